"""Assigning learning: who may assign to whom (404 outside), what the assignee sees first, statuses from progress,
relative due dates, extending and withdrawing, and assigning again without duplicates."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from elearn.models import Assignment, AssignmentBatch, AuditEntry, Mentorship, Notification, Person
from elearn.services import assignment_status, assignments
from elearn.services.assignments import AssignmentRefused, DueRule, Target
from elearn.services.outlines import current_version, outline_of
from elearn.state import clock, outlines
from tests.factories import make_person, make_position
from tests.web.learning_support import csrf_of
from tests.web.mentoring_support import (
    COURSE,
    FIRST_LESSON,
    SECOND_LESSON,
    assign_form,
    build_mentoring_world,
    client_for,
    course_id,
    page,
    post_form,
)
from tests.web.scope_world import World
from tests.web.test_tables import assert_fits_a_phone, tables_of


@pytest.fixture
def world(session) -> World:
    return build_mentoring_world(session)


def _today() -> date:
    return clock().today()


def _assignments_of(session, person: Person) -> list[Assignment]:
    return list(session.scalars(select(Assignment).where(Assignment.person_id == person.id)))


def _outline(session):  # noqa: ANN202
    return outline_of(session, outlines(), current_version(session, COURSE).version_id)


def test_mentor_assigns_a_module_and_the_mentee_sees_it_first_with_due_date_and_assigner(app, session, world):
    mentor = client_for(app, world.mentor)
    due = _today() + timedelta(days=14)
    form = assign_form("mentor", person_id=world.mentee_now.id, due_on=due, note="Baca sebelum rapat.")
    response = post_form(mentor, "/penugasan/baru", form, from_page=f"/mentor/mentee/{world.mentee_now.id}")
    assert response.status_code == 302
    assert re.fullmatch(r"/penugasan/\d+", response.headers["Location"])
    [row] = _assignments_of(session, world.mentee_now)
    assert (row.module_key, row.due_on, row.assigner_id) == (FIRST_LESSON, due, world.mentor.id)

    mentee = client_for(app, world.mentee_now)
    home = page(mentee, "/")
    assigned = home.index("Tugas belajar untuk saya")
    assert assigned < home.index("JP tahun ini")
    section = home[assigned : home.index("JP tahun ini")]
    assert "Etika Pelayanan Publik" in section and "Integritas dalam Pelayanan" in section
    assert "Mentor Senior" in section and "Baca sebelum rapat." in section and "Belum dimulai" in section
    assert f"{due.day} " in section


def test_catalogue_lists_assigned_courses_first_with_due_date(app, session, world):
    mentee = client_for(app, world.mentee_now)
    before = page(mentee, "/kursus")
    assert before.index("Etika Pelayanan Publik") > before.index("Administrasi Kepegawaian")
    outline = _outline(session)
    assignments.assign(
        session,
        assigner=world.mentor,
        role="mentor",
        outline=outline,
        module_key="",
        target=Target("person", world.mentee_now.id),
        due=DueRule("after_assignment", days=10),
        note="",
        today=_today(),
        now=clock().now(),
    )
    session.commit()
    after = page(mentee, "/kursus")
    assert after.index("Etika Pelayanan Publik") < after.index("Administrasi Kepegawaian")
    assert "Ditugaskan" in after and "dari Mentor Senior" in after


@pytest.mark.parametrize("target", ["mentee_past", "in_b", "employee"])
def test_mentor_cannot_assign_to_a_former_mentee_or_a_non_mentee(app, session, world, target):
    mentor = client_for(app, world.mentor)
    person = getattr(world, target)
    form = assign_form("mentor", person_id=person.id, due_on=_today() + timedelta(days=7))
    response = post_form(mentor, "/penugasan/baru", form)
    assert response.status_code == 404
    assert session.scalar(select(func.count()).select_from(Assignment)) == 0
    assert session.scalar(select(func.count()).select_from(AssignmentBatch)) == 0


def test_mentor_cannot_assign_to_a_unit(app, session, world):
    mentor = client_for(app, world.mentor)
    form = assign_form("mentor", target_kind="unit", unit_id=world.b.id, due_on=_today() + timedelta(days=7))
    assert post_form(mentor, "/penugasan/baru", form).status_code == 404


def test_a_role_not_held_is_404(app, world):
    employee = client_for(app, world.employee)
    assert employee.get("/penugasan/").status_code == 404
    mentor = client_for(app, world.mentor)
    form = assign_form(
        "supervisor", target_kind="unit", unit_id=world.b.id, due_on=_today() + timedelta(days=7)
    )
    assert post_form(mentor, "/penugasan/baru", form).status_code == 404


def test_supervisor_assigns_a_sub_unit_with_its_subtree_and_nobody_else(app, session, world):
    deeper = make_person(session, name="Pegawai A1", unit=world.a1)
    session.commit()
    head = client_for(app, world.head_a)
    form = assign_form(
        "supervisor",
        what=COURSE,
        target_kind="unit",
        unit_id=world.a1.id,
        due_days=30,
        due_kind="after_assignment",
    )
    response = post_form(head, "/penugasan/baru", form)
    assert response.status_code == 302
    assigned = set(session.scalars(select(Assignment.person_id)))
    assert assigned == {world.in_a1.id, deeper.id}
    assert {row.due_on for row in session.scalars(select(Assignment))} == {_today() + timedelta(days=30)}


@pytest.mark.parametrize(
    ("target_kind", "field", "who"),
    [
        ("unit", "unit_id", "b"),
        ("unit", "unit_id", "root"),
        ("person", "person_id", "in_b"),
        ("person", "person_id", "mentee_now"),
    ],
)
def test_supervisor_cannot_assign_outside_the_subtree(app, session, world, target_kind, field, who):
    head = client_for(app, world.head_a)
    form = assign_form(
        "supervisor", target_kind=target_kind, due_on=_today(), **{field: getattr(world, who).id}
    )
    assert post_form(head, "/penugasan/baru", form).status_code == 404
    assert session.scalar(select(func.count()).select_from(Assignment)) == 0


def test_supervisor_nip_outside_the_subtree_is_refused_with_a_message(app, session, world):
    head = client_for(app, world.head_a)
    form = assign_form("supervisor", target_kind="person", nip=world.in_b.nip, due_on=_today())
    response = post_form(head, "/penugasan/baru", form)
    assert response.status_code == 302
    assert "Tidak ada pegawai dengan NIP itu di unit Anda." in page(head, response.headers["Location"])
    assert session.scalar(select(func.count()).select_from(Assignment)) == 0


def test_supervisor_assigns_everyone_in_a_position_within_the_subtree_only(app, session, world):
    analyst = make_position(session, "ANALIS")
    for person in (world.in_a, world.in_a1, world.in_b):
        person.position = analyst
    session.commit()
    head = client_for(app, world.head_a)
    form = assign_form(
        "supervisor", target_kind="position", position_id=analyst.id, due_on=_today() + timedelta(days=3)
    )
    assert post_form(head, "/penugasan/baru", form).status_code == 302
    assert set(session.scalars(select(Assignment.person_id))) == {world.in_a.id, world.in_a1.id}


def test_assigning_the_same_thing_again_adds_nobody_and_says_so(app, session, world):
    head = client_for(app, world.head_a)
    form = assign_form(
        "supervisor", target_kind="unit", unit_id=world.a.id, due_on=_today() + timedelta(days=5)
    )
    assert post_form(head, "/penugasan/baru", form).status_code == 302
    rows = session.scalar(select(func.count()).select_from(Assignment))
    notices = session.scalar(select(func.count()).select_from(Notification))
    again = post_form(head, "/penugasan/baru", form)
    assert again.status_code == 302
    assert "tidak ada yang ditambahkan" in page(head, again.headers["Location"])
    assert session.scalar(select(func.count()).select_from(Assignment)) == rows
    assert session.scalar(select(func.count()).select_from(AssignmentBatch)) == 1
    assert session.scalar(select(func.count()).select_from(Notification)) == notices


def test_bad_input_gets_a_message_and_changes_nothing(app, session, world):
    mentor = client_for(app, world.mentor)
    cases = [
        (
            assign_form("mentor", person_id=world.mentee_now.id, due_on=_today() - timedelta(days=1)),
            "hari ini atau sesudahnya",
        ),
        (
            assign_form("mentor", person_id=world.mentee_now.id, due_kind="after_assignment", due_days=0),
            "antara 1 dan 3650",
        ),
        (
            assign_form("mentor", person_id=world.mentee_now.id, what="tidak-ada", due_on=_today()),
            "Pilih kursus",
        ),
        (
            assign_form(
                "mentor", person_id=world.mentee_now.id, what=f"{COURSE}/99-tidak-ada", due_on=_today()
            ),
            "Modul itu tidak ada",
        ),
    ]
    for form, message in cases:
        response = post_form(mentor, "/penugasan/baru", form)
        assert response.status_code == 302
        assert message in page(mentor, response.headers["Location"]), message
    assert session.scalar(select(func.count()).select_from(Assignment)) == 0
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def _assign_module(session, world: World, *, due: date, module_key: str = FIRST_LESSON) -> int:
    result = assignments.assign(
        session,
        assigner=world.mentor,
        role="mentor",
        outline=_outline(session),
        module_key=module_key,
        target=Target("person", world.mentee_now.id),
        due=DueRule("fixed", on=due),
        note="",
        today=_today(),
        now=clock().now(),
    )
    session.commit()
    return result.batch_id


def _status(session, person: Person, today: date) -> str:
    [item] = assignment_status.assignments_of(session, person_id=person.id, today=today)
    return item.status


def test_status_follows_progress_not_started_in_progress_done(app, session, world):
    _assign_module(session, world, due=_today() + timedelta(days=3))
    assert _status(session, world.mentee_now, _today()) == "not_started"
    mentee = client_for(app, world.mentee_now)
    page(mentee, f"/kursus/{COURSE}/{FIRST_LESSON}")
    assert _status(session, world.mentee_now, _today()) == "in_progress"
    lesson = page(mentee, f"/kursus/{COURSE}/{FIRST_LESSON}")
    mentee.post(f"/kursus/{COURSE}/{FIRST_LESSON}/selesai", data={"csrf_token": csrf_of(lesson)})
    assert _status(session, world.mentee_now, _today()) == "done"
    assert _status(session, world.mentee_now, _today() + timedelta(days=30)) == "done"


def test_an_unfinished_assignment_past_its_due_date_is_overdue(app, session, world):
    _assign_module(session, world, due=_today() + timedelta(days=3))
    assert _status(session, world.mentee_now, _today() + timedelta(days=3)) == "not_started"
    assert _status(session, world.mentee_now, _today() + timedelta(days=4)) == "overdue"


def test_a_whole_course_is_done_only_once_completed(app, session, world):
    assignments.assign(
        session,
        assigner=world.mentor,
        role="mentor",
        outline=_outline(session),
        module_key="",
        target=Target("person", world.mentee_now.id),
        due=DueRule("fixed", on=_today() + timedelta(days=3)),
        note="",
        today=_today(),
        now=clock().now(),
    )
    session.commit()
    mentee = client_for(app, world.mentee_now)
    for key in (FIRST_LESSON, SECOND_LESSON):
        lesson = page(mentee, f"/kursus/{COURSE}/{key}")
        mentee.post(f"/kursus/{COURSE}/{key}/selesai", data={"csrf_token": csrf_of(lesson)})
        expected = "done" if key == SECOND_LESSON else "in_progress"
        assert _status(session, world.mentee_now, _today()) == expected


def test_due_after_joining_the_unit_counts_from_the_later_of_joining_and_assigning(app, session, world):
    today = _today()
    newcomer = make_person(session, name="Pegawai Baru", unit=world.a1)
    newcomer.unit_since = today + timedelta(days=5)
    world.in_a1.unit_since = today - timedelta(days=400)
    session.commit()
    assignments.assign(
        session,
        assigner=world.head_a,
        role="supervisor",
        outline=_outline(session),
        module_key="",
        target=Target("unit", world.a1.id),
        due=DueRule("after_unit_join", days=30),
        note="",
        today=today,
        now=clock().now(),
    )
    session.commit()
    due = {row.person_id: row.due_on for row in session.scalars(select(Assignment))}
    assert due == {world.in_a1.id: today + timedelta(days=30), newcomer.id: today + timedelta(days=35)}


def test_standing_batch_adds_people_who_join_later_with_their_own_due_date(app, session, world):
    today = _today()
    assignments.assign(
        session,
        assigner=world.head_a,
        role="supervisor",
        outline=_outline(session),
        module_key="",
        target=Target("unit", world.a1.id),
        due=DueRule("after_unit_join", days=30),
        note="",
        today=today,
        now=clock().now(),
    )
    session.commit()
    joined = make_person(session, name="Pindahan", unit=world.a1)
    joined.unit_since = today + timedelta(days=10)
    session.commit()
    later = today + timedelta(days=12)
    assert assignments.refresh_standing_batches(session, today=later, now=clock().now()) == 1
    assert assignments.refresh_standing_batches(session, today=later, now=clock().now()) == 0
    session.commit()
    [row] = session.scalars(select(Assignment).where(Assignment.person_id == joined.id))
    assert (row.assigned_on, row.due_on) == (later, today + timedelta(days=40))
    assert (
        session.scalar(
            select(func.count()).select_from(Notification).where(Notification.person_id == joined.id)
        )
        == 1
    )


def test_extend_moves_the_whole_batch_or_one_person(app, session, world):
    due = _today() + timedelta(days=5)
    head = client_for(app, world.head_a)
    post_form(
        head, "/penugasan/baru", assign_form("supervisor", target_kind="unit", unit_id=world.a.id, due_on=due)
    )
    batch = session.scalar(select(AssignmentBatch))
    one = session.scalar(select(Assignment).where(Assignment.person_id == world.in_a1.id))
    url = f"/penugasan/{batch.id}"
    assert (
        post_form(head, f"{url}/perpanjang", {"days": 7, "assignment_id": one.id}, from_page=url).status_code
        == 302
    )
    session.expire_all()
    dues = {row.person_id: row.due_on for row in session.scalars(select(Assignment))}
    assert dues[world.in_a1.id] == due + timedelta(days=7) and dues[world.in_a.id] == due
    assert post_form(head, f"{url}/perpanjang", {"days": 2}, from_page=url).status_code == 302
    session.expire_all()
    dues = {row.person_id: row.due_on for row in session.scalars(select(Assignment))}
    assert dues[world.in_a1.id] == due + timedelta(days=9) and dues[world.in_a.id] == due + timedelta(days=2)
    actions = list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["assignment.create", "assignment.extend", "assignment.extend"]


def test_withdrawn_assignments_disappear_for_the_assignee(app, session, world):
    batch_id = _assign_module(session, world, due=_today() + timedelta(days=5))
    mentee = client_for(app, world.mentee_now)
    assert "Tugas belajar untuk saya" in page(mentee, "/")
    mentor = client_for(app, world.mentor)
    url = f"/penugasan/{batch_id}"
    assert post_form(mentor, f"{url}/tarik", {}, from_page=url).status_code == 302
    assert "Tugas belajar untuk saya" not in page(mentee, "/")
    assert "Ditarik" in page(mentor, url)
    again = post_form(
        mentor,
        "/penugasan/baru",
        assign_form("mentor", person_id=world.mentee_now.id, due_on=_today() + timedelta(days=9)),
    )
    assert again.status_code == 302
    assert "Tugas belajar untuk saya" in page(mentee, "/")


def test_someone_elses_batch_and_rows_are_404(app, session, world):
    batch_id = _assign_module(session, world, due=_today() + timedelta(days=5))
    head = client_for(app, world.head_a)
    url = f"/penugasan/{batch_id}"
    assert head.get(url).status_code == 404
    assert post_form(head, f"{url}/tarik", {}).status_code == 404
    other_row = session.scalar(select(Assignment.id))
    mentor = client_for(app, world.mentor)
    head_batch = post_form(
        head, "/penugasan/baru", assign_form("supervisor", person_id=world.in_a.id, due_on=_today())
    )
    own_url = head_batch.headers["Location"]
    response = post_form(
        head, f"{own_url}/perpanjang", {"days": 3, "assignment_id": other_row}, from_page=own_url
    )
    assert response.status_code == 404
    assert mentor.get(own_url).status_code == 404


def test_a_former_mentees_row_can_no_longer_be_changed_by_the_mentor(app, session, world):
    batch_id = _assign_module(session, world, due=_today() + timedelta(days=5))
    mentorship = session.scalar(select(Mentorship).where(Mentorship.mentee_id == world.mentee_now.id))
    mentorship.ends_on = _today() - timedelta(days=1)
    session.commit()
    row = session.scalar(select(Assignment.id))
    mentor = client_for(app, world.mentor)
    url = f"/penugasan/{batch_id}"
    assert post_form(mentor, f"{url}/tarik", {"assignment_id": row}, from_page=url).status_code == 404
    assert "Tidak ada pegawai dalam penugasan ini yang masih dalam jangkauan Anda." in page(mentor, url)


def test_service_refuses_a_bad_due_rule(app, session, world):
    with pytest.raises(AssignmentRefused):
        assignments.assign(
            session,
            assigner=world.mentor,
            role="mentor",
            outline=_outline(session),
            module_key="",
            target=Target("person", world.mentee_now.id),
            due=DueRule("after_assignment", days=5000),
            note="",
            today=_today(),
            now=clock().now(),
        )
    assert course_id(session)


def test_the_batch_table_fits_a_phone(app, session, world):
    head = client_for(app, world.head_a)
    response = post_form(
        head,
        "/penugasan/baru",
        assign_form("supervisor", target_kind="unit", unit_id=world.a.id, due_on=_today()),
    )
    [table] = tables_of(page(head, response.headers["Location"]))
    assert len(table.rows) == 3
    assert_fits_a_phone(table)
