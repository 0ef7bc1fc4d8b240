"""The small organisation the scope tests share: units R > A > A1 and R > B, and one person per kind of viewer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from elearn.models import Person, Unit
from elearn.state import clock
from tests.factories import make_mentorship, make_person, make_unit


@dataclass(frozen=True)
class World:
    """A head of A (sees A and A1, never B), a mentor with a current and an ended mentee, an admin, and others."""

    root: Unit
    a: Unit
    a1: Unit
    b: Unit
    admin: Person
    head_a: Person
    in_a: Person
    in_a1: Person
    in_b: Person
    mentor: Person
    mentee_now: Person
    mentee_past: Person
    employee: Person
    deactivated: Person


def build_world(session: Session) -> World:
    """Create the world and commit it, so HTTP requests in the test see it."""
    root = make_unit(session, "R", name="Pemerintah Kota")
    a = make_unit(session, "A", name="Dinas Kependudukan", parent=root)
    a1 = make_unit(session, "A1", name="Bidang Pelayanan", parent=a)
    b = make_unit(session, "B", name="Dinas Perhubungan", parent=root)
    head_a = make_person(session, name="Kepala Dinas A", roles=("employee", "supervisor"), unit=a)
    a.head = head_a
    mentor = make_person(session, name="Mentor Senior", roles=("employee", "mentor"), unit=b)
    mentee_now = make_person(session, name="Mentee Sekarang", unit=b)
    mentee_past = make_person(session, name="Mentee Lama", unit=b)
    today = clock().today()
    make_mentorship(session, mentor, mentee_now, starts_on=today - timedelta(days=90))
    make_mentorship(
        session, mentor, mentee_past, starts_on=today - timedelta(days=400), ends_on=today - timedelta(days=1)
    )
    world = World(
        root=root,
        a=a,
        a1=a1,
        b=b,
        admin=make_person(session, name="Admin BKPSDM", roles=("employee", "admin"), unit=root),
        head_a=head_a,
        in_a=make_person(session, name="Siti Rahmawati", unit=a),
        in_a1=make_person(session, name="Budi Santoso", unit=a1),
        in_b=make_person(session, name="Agus Saputra", unit=b),
        mentor=mentor,
        mentee_now=mentee_now,
        mentee_past=mentee_past,
        employee=make_person(session, name="Dewi Lestari", unit=b),
        deactivated=make_person(session, name="Pensiunan A", unit=a, active=False),
    )
    session.commit()
    return world
