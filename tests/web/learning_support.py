"""What the learner-journey tests share: the journey courses synced, a signed-in learner, statement counting, and
helpers that take an attempt the way a browser does (forms with the attempt token)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event, select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict
from werkzeug.test import TestResponse

from elearn.models import Person, Question
from elearn.services.course_sync import sync_courses
from tests.factories import login, make_person, make_unit

JOURNEY_COURSES = Path(__file__).resolve().parents[1] / "fixtures" / "courses_journey"
BASIC = "layanan-dasar"
ADVANCED = "layanan-lanjut"


@dataclass(frozen=True)
class Learner:
    """A signed-in learner and the client they browse with."""

    person: Person
    client: Any


def sync_journey_courses(session: Session, root: Path = JOURNEY_COURSES) -> None:
    """Import the journey courses (or another folder) into the catalogue."""
    report = sync_courses(session, root)
    assert report.ok, report.refused


def make_learner(
    app: Flask, session: Session, *, name: str = "Siti Rahmawati", employment: str = "PNS"
) -> Learner:
    """A new employee in a unit, signed in on a fresh client."""
    unit = make_unit(session)
    person = make_person(session, name=name, unit=unit, employment=employment)
    session.commit()
    client = app.test_client()
    login(client, person)
    return Learner(person=person, client=client)


def question_id(session: Session, qid: str) -> int:
    """The row id of the stored question with author id `qid` (the current content)."""
    return int(
        session.scalars(select(Question.id).where(Question.qid == qid).order_by(Question.id.desc())).first()
    )


@contextmanager
def counting_statements(app: Flask) -> Iterator[list[str]]:
    """Every SQL statement the app's engine sends while the block runs."""
    engine = app.extensions["elearn"].db.engine
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def csrf_of(page: str) -> str:
    """The session CSRF token printed in a page's forms."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "no CSRF token in the page"
    return match.group(1)


def attempt_token_of(page: str) -> str:
    """The attempt token printed in an attempt page."""
    match = re.search(r'name="token" value="([^"]+)"', page)
    assert match, "no attempt token in the page"
    return match.group(1)


def start_attempt(client: Any, slug: str, key: str) -> int:
    """Press "Mulai mengerjakan" on a quiz's start page; the id of the attempt it leads to."""
    page = client.get(f"/kursus/{slug}/{key}").get_data(as_text=True)
    response = client.post(f"/kursus/{slug}/{key}/mulai", data={"csrf_token": csrf_of(page)})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    match = re.fullmatch(r".*/kuis/(\d+)", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def answer_form(
    token: str, answers: Mapping[int, Sequence[str]], *, rev: int | None = None, **extra: str
) -> MultiDict:
    """The form an attempt page posts: token, revision, and each shown question's values."""
    form: MultiDict = MultiDict([("token", token)])
    if rev is not None:
        form.add("rev", str(rev))
    for question, values in answers.items():
        form.add("shown", str(question))
        for value in values:
            form.add(f"q{question}", value)
    for name, value in extra.items():
        form.add(name, value)
    return form


def autosave(
    client: Any, attempt_id: int, token: str, answers: Mapping[int, Sequence[str]], *, rev: int | None = None
) -> TestResponse:
    """What quiz.js sends when an answer changes (JSON answer)."""
    return client.post(
        f"/kuis/{attempt_id}/jawab",
        data=answer_form(token, answers, rev=rev),
        headers={"Accept": "application/json"},
    )


def submit(
    client: Any, attempt_id: int, token: str, answers: Mapping[int, Sequence[str]] | None = None
) -> TestResponse:
    """Press "Kirim jawaban"."""
    return client.post(f"/kuis/{attempt_id}/kirim", data=answer_form(token, answers or {}))


def token_for(client: Any, attempt_id: int) -> str:
    """Open the attempt's first page and read its token."""
    return attempt_token_of(client.get(f"/kuis/{attempt_id}").get_data(as_text=True))
