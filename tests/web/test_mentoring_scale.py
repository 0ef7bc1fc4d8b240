"""Mentoring at scale: 5,000 people assigned in one request of a fixed number of statements (and again, nothing
new), and every new page costs the same number of statements however much there is to show."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from elearn.models import Assignment, AssignmentBatch, Notification
from elearn.services import assignments, feedback, plans
from elearn.services.assignments import DueRule, Target
from elearn.services.outlines import current_version, outline_of
from elearn.services.plans import ItemDraft
from elearn.state import clock, outlines
from tests.factories import make_mentorship
from tests.web.learning_support import counting_statements, csrf_of
from tests.web.mentoring_support import (
    COURSE,
    FIRST_LESSON,
    SECOND_LESSON,
    add_people,
    assign_form,
    build_mentoring_world,
    client_for,
    page,
)
from tests.web.scope_world import World

MANY = 5000
ASSIGN_STATEMENTS = 25
SECONDS_ALLOWED = 20


@pytest.fixture
def world(session) -> World:
    return build_mentoring_world(session)


def _count(session, model) -> int:  # noqa: ANN001
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_supervisor_assigns_a_course_to_5000_people_in_one_request_and_again_adds_nothing(
    app, session, world
):
    ids = add_people(session, count=MANY, unit_id=world.a1.id, email=None)
    head = client_for(app, world.head_a)
    form = assign_form(
        "supervisor",
        what=COURSE,
        target_kind="unit",
        unit_id=world.a1.id,
        due_on=clock().today() + timedelta(days=30),
    )
    form["csrf_token"] = csrf_of(page(head, "/penugasan/baru?peran=supervisor"))
    with counting_statements(app) as statements:
        started = time.perf_counter()
        response = head.post("/penugasan/baru", data=form)
        elapsed = time.perf_counter() - started
    assert response.status_code == 302
    assert len(statements) <= ASSIGN_STATEMENTS, len(statements)
    assert elapsed < SECONDS_ALLOWED, elapsed
    assert _count(session, Assignment) == MANY + 1
    assert _count(session, Notification) == MANY + 1

    assignee = client_for(app, session.get(type(world.in_a1), ids[MANY // 2]))
    home = page(assignee, "/")
    assert "Tugas belajar untuk saya" in home and "Etika Pelayanan Publik" in home

    batch_page = page(head, response.headers["Location"])
    assert f"{MANY + 1} belum dimulai" in batch_page

    again = head.post("/penugasan/baru", data=form)
    assert again.status_code == 302
    assert (_count(session, Assignment), _count(session, AssignmentBatch)) == (MANY + 1, 1)
    assert _count(session, Notification) == MANY + 1


def _statements(client, url: str) -> int:  # noqa: ANN001
    """Statements of one GET of `url`, after a first GET has filled the per-process caches."""
    page(client, url)
    with counting_statements(client.application) as statements:
        page(client, url)
    return len(statements)


def _pages(world: World, year: int) -> dict[str, tuple[World, str]]:
    mentee = world.mentee_now.id
    return {
        "home": ("mentee_now", "/"),
        "catalogue": ("mentee_now", "/kursus"),
        "notifications": ("mentee_now", "/notifikasi"),
        "feedback": ("mentee_now", "/umpan-balik"),
        "own plan": ("mentee_now", f"/rencana/{year}"),
        "mentee page": ("mentor", f"/mentor/mentee/{mentee}"),
        "mentor plan": ("mentor", f"/mentor/mentee/{mentee}/rencana/{year}"),
        "supervisor person": ("head_a", f"/atasan/orang/{world.in_a.id}"),
        "supervisor plan": ("head_a", f"/atasan/orang/{world.in_a.id}/rencana/{year}"),
        "assignments": ("head_a", "/penugasan/"),
        "batch": ("head_a", "/penugasan/{batch}"),
        "new for supervisor": ("head_a", "/penugasan/baru?peran=supervisor"),
        "new for mentor": ("mentor", "/penugasan/baru?peran=mentor"),
    }


def _add_round(app, session, world: World, year: int, round_number: int) -> int:  # noqa: ANN001
    """One more of everything the pages list: assignments, notes with replies, plan items, a completed lesson."""
    outline = outline_of(session, outlines(), current_version(session, COURSE).version_id)
    today, now = clock().today(), clock().now()
    due = DueRule("fixed", on=today + timedelta(days=round_number))
    key = FIRST_LESSON if round_number % 2 else SECOND_LESSON
    batch = assignments.assign(
        session,
        assigner=world.head_a,
        role="supervisor",
        outline=outline,
        module_key="" if round_number > 1 else key,
        target=Target("unit", world.a.id),
        due=DueRule("fixed", on=today + timedelta(days=10 + round_number)),
        note=f"Putaran {round_number}",
        today=today,
        now=now,
    )
    assignments.assign(
        session,
        assigner=world.mentor,
        role="mentor",
        outline=outline,
        module_key=key,
        target=Target("person", world.mentee_now.id),
        due=due,
        note="",
        today=today,
        now=now,
    )
    for mentee in (world.mentee_now, world.in_a):
        note = feedback.write_note(
            session,
            author=world.mentor,
            mentee=mentee,
            body=f"Catatan {round_number}",
            now=now,
            today=today,
            ip=None,
        )
        feedback.write_reply(
            session,
            author=mentee,
            note=note,
            mentee=mentee,
            body=f"Balasan {round_number}",
            now=now,
            today=today,
            ip=None,
        )
        plan_id = plans.start_plan(session, person=mentee, year=year, now=now, ip=None)
        plan = plans.plan_of(session, person_id=mentee.id, year=year)
        assert plan is not None and plan.id == plan_id
        plans.add_item(
            session, person=mentee, plan=plan, draft=ItemDraft(kind="course", course_slug=COURSE), ip=None
        )
        plans.add_item(
            session,
            person=mentee,
            plan=plan,
            draft=ItemDraft(kind="competency", competency_code="M.05", target_level=2),
            ip=None,
        )
    session.commit()
    return batch.batch_id


def test_every_mentoring_page_costs_the_same_statements_however_much_it_shows(app, session, world):
    make_mentorship(session, world.mentor, world.in_a)
    session.commit()
    year = clock().today().year
    first_batch = _add_round(app, session, world, year, 1)
    clients = {name: client_for(app, getattr(world, name)) for name in ("mentee_now", "mentor", "head_a")}
    page(clients["mentee_now"], f"/kursus/{COURSE}/{FIRST_LESSON}")
    pages = _pages(world, year)
    few = {
        name: _statements(clients[who], url.format(batch=first_batch)) for name, (who, url) in pages.items()
    }
    for round_number in (2, 3, 4):
        _add_round(app, session, world, year, round_number)
    lesson = page(clients["mentee_now"], f"/kursus/{COURSE}/{FIRST_LESSON}")
    clients["mentee_now"].post(
        f"/kursus/{COURSE}/{FIRST_LESSON}/selesai", data={"csrf_token": csrf_of(lesson)}
    )
    many = {
        name: _statements(clients[who], url.format(batch=first_batch)) for name, (who, url) in pages.items()
    }
    assert many == few
    assert max(few.values()) <= 20, few
