"""What the mentoring tests share: the scope world with a small course synced, signed-in clients per person, the
forms the assignment pages post, and many people inserted at once for the large-batch tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from elearn.models import Course, Person, PersonRole
from elearn.services.course_sync import sync_courses
from tests.factories import login
from tests.web.learning_support import csrf_of
from tests.web.scope_world import World, build_world

MENTORING_COURSES = Path(__file__).resolve().parents[1] / "fixtures" / "courses_mentoring"
COURSE = "etika-pelayanan"
FIRST_LESSON = "01-integritas"
SECOND_LESSON = "02-keramahan"


def build_mentoring_world(session: Session) -> World:
    """The scope world (units R > A > A1, R > B; a head of A; a mentor with a current and a past mentee) and the
    mentoring course in the catalogue."""
    world = build_world(session)
    report = sync_courses(session, MENTORING_COURSES)
    assert report.ok, report.refused
    session.commit()
    return world


def client_for(app: Flask, person: Person) -> Any:
    """A fresh client signed in as `person`."""
    client = app.test_client()
    login(client, person)
    return client


def page(client: Any, url: str) -> str:
    """A page that must answer 200."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def assign_form(
    role: str,
    *,
    what: str = f"{COURSE}/{FIRST_LESSON}",
    target_kind: str = "person",
    due_kind: str = "fixed",
    due_on: date | None = None,
    due_days: int | None = None,
    note: str = "",
    **target: object,
) -> dict[str, object]:
    """The fields the assignment form posts (the CSRF token is added by `post_form`)."""
    form: dict[str, object] = {
        "peran": role,
        "what": what,
        "target_kind": target_kind,
        "due_kind": due_kind,
        "note": note,
    }
    if due_on is not None:
        form["due_on"] = due_on.isoformat()
    if due_days is not None:
        form["due_days"] = str(due_days)
    form.update({name: str(value) for name, value in target.items()})
    return form


def post_form(client: Any, url: str, data: dict[str, object], *, from_page: str = "/") -> Any:
    """POST `data` with the CSRF token printed in `from_page`."""
    payload = dict(data)
    payload["csrf_token"] = csrf_of(page(client, from_page))
    return client.post(url, data=payload)


def add_people(session: Session, *, count: int, unit_id: int, first: int = 1, **values: Any) -> list[int]:
    """`count` active employees in one unit, inserted in one statement each for people and roles; their ids."""
    rows = [
        {
            "nip": f"{199001012015011000 + first + n:018d}",
            "name": f"Pegawai Massal {first + n:05d}",
            "unit_id": unit_id,
            "id_kind": "nip",
            "employment": "PNS",
            "active": True,
            "session_version": 1,
            **values,
        }
        for n in range(count)
    ]
    session.execute(insert(Person), rows)
    ids = list(
        session.scalars(
            select(Person.id).where(Person.nip.in_([row["nip"] for row in rows])).order_by(Person.id)
        )
    )
    session.execute(insert(PersonRole), [{"person_id": person_id, "role": "employee"} for person_id in ids])
    session.commit()
    return ids


def course_id(session: Session, slug: str = COURSE) -> int:
    """The id of a synced course."""
    return int(session.scalar(select(Course.id).where(Course.slug == slug)))
