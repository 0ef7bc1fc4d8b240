"""Factory helpers that build valid objects with as few arguments as a test needs."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import date

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from elearn.models import Mentorship, Person, Position, Unit
from elearn.people.nip import make_nip
from elearn.services.accounts import set_password
from elearn.services.org import create_unit

_sequence = itertools.count(1)


def valid_nip(n: int | None = None, *, gender: int = 1) -> str:
    """A NIP that passes the structural rules: real birth date, appointment at 18+, gender digit, sequence not 000."""
    n = next(_sequence) if n is None else n
    birth = date(1965 + n % 30, 1 + n % 12, 1 + n % 28)
    appointed = date(birth.year + 18 + n % 10, 1 + (n // 12) % 12, 1)
    return make_nip(birth, appointed, gender, 1 + n % 999)


def make_unit(
    session: Session,
    code: str | None = None,
    *,
    name: str | None = None,
    parent: Unit | None = None,
    head: Person | None = None,
) -> Unit:
    """A unit in the tree."""
    code = code or f"U{next(_sequence)}"
    unit = create_unit(session, code=code, name=name or f"Unit {code}", parent=parent)
    unit.head = head
    session.flush()
    return unit


def make_position(session: Session, code: str | None = None, *, kind: str = "pelaksana") -> Position:
    """A position (jabatan)."""
    code = code or f"J{next(_sequence)}"
    position = Position(code=code, name=f"Jabatan {code}", kind=kind)
    session.add(position)
    session.flush()
    return position


def make_person(
    session: Session,
    *,
    name: str | None = None,
    roles: Iterable[str] = ("employee",),
    unit: Unit | None = None,
    nip: str | None = None,
    email: str | None = None,
    password: str | None = None,
    employment: str = "PNS",
    active: bool = True,
) -> Person:
    """A person with roles; `password` makes them able to sign in."""
    n = next(_sequence)
    person = Person(
        nip=nip or valid_nip(n),
        name=name or f"Pegawai {n}",
        email=email,
        unit=unit,
        employment=employment,
        active=active,
    )
    person.set_roles(set(roles))
    if password:
        set_password(person, password)
    session.add(person)
    session.flush()
    return person


def make_mentorship(
    session: Session,
    mentor: Person,
    mentee: Person,
    *,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> Mentorship:
    """A mentor-mentee link (current unless `ends_on` is in the past)."""
    link = Mentorship(mentor=mentor, mentee=mentee, starts_on=starts_on or date(2020, 1, 1), ends_on=ends_on)
    session.add(link)
    session.flush()
    return link


def login(client: FlaskClient, person: Person) -> None:
    """Sign `person` in on `client` without going through the form (the form has its own tests)."""
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = person.get_id()
        flask_session["_fresh"] = True
