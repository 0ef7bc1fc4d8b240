"""Reminders from cron against a real SMTP server on localhost: each message sent once when run twice, twice at
once (two processes), or killed halfway and run again; reminders created once per due date; e-mail or in-app only.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from elearn.models import Assignment, Notification, Person
from elearn.services import assignments, feedback, notifications, plans
from elearn.services.assignments import DueRule, Target
from elearn.services.outlines import current_version, outline_of
from elearn.state import clock, outlines
from tests.factories import make_person
from tests.web.mentoring_support import (
    COURSE,
    FIRST_LESSON,
    build_mentoring_world,
    client_for,
    page,
    post_form,
)
from tests.web.scope_world import World
from tests.web.smtp_support import smtp_server

MAILED = 6


@pytest.fixture
def world(session) -> World:
    return build_mentoring_world(session)


@pytest.fixture
def mailed(session, world) -> list[Person]:
    """Six people in A1 with e-mail addresses, assigned the course by the head of A (six messages waiting)."""
    people = [
        make_person(session, name=f"Penerima {n}", unit=world.a1, email=f"penerima{n}@salatiga.go.id")
        for n in range(MAILED)
    ]
    session.commit()
    _assign(session, world, Target("unit", world.a1.id), due=clock().today() + timedelta(days=20))
    return people


def _assign(session, world: World, target: Target, *, due: date, module_key: str = "") -> None:
    outline = outline_of(session, outlines(), current_version(session, COURSE).version_id)
    role = "mentor" if target.kind == "person" and target.id == world.mentee_now.id else "supervisor"
    assigner = world.mentor if role == "mentor" else world.head_a
    assignments.assign(
        session,
        assigner=assigner,
        role=role,
        outline=outline,
        module_key=module_key,
        target=target,
        due=DueRule("fixed", on=due),
        note="",
        today=clock().today(),
        now=clock().now(),
    )
    session.commit()


def _statuses(session) -> Counter[str]:
    session.expire_all()
    return Counter(session.scalars(select(Notification.email_status)))


def _mail_config(app, port: int) -> None:
    app.config.update(
        ELEARN_MAIL_SERVER="127.0.0.1", ELEARN_MAIL_PORT=port, ELEARN_PUBLIC_URL="https://belajar.test"
    )


def _run(app) -> str:
    result = app.test_cli_runner().invoke(args=["elearn", "send-reminders"])
    assert result.exit_code == 0, result.output
    return result.output


def _process(database_url: str, port: int) -> subprocess.Popen[bytes]:
    """`flask elearn send-reminders` in its own process, as cron on another server would start it."""
    env = dict(
        os.environ,
        ELEARN_DATABASE_URL=database_url,
        ELEARN_SECRET_KEY="reminder-test",
        ELEARN_MAIL_SERVER="127.0.0.1",
        ELEARN_MAIL_PORT=str(port),
        ELEARN_PUBLIC_URL="https://belajar.test",
    )
    command = [sys.executable, "-m", "flask", "--app", "elearn.app:create_app", "elearn", "send-reminders"]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _each_once(message_ids: list[str]) -> None:
    assert len(message_ids) == MAILED
    assert len(set(message_ids)) == MAILED


def test_run_twice_sends_each_message_once(app, session, mailed):
    with smtp_server() as (recorder, port):
        _mail_config(app, port)
        first = _run(app)
        second = _run(app)
        _each_once(recorder.message_ids())
    assert "E-mail: 6 terkirim" in first and "E-mail: 0 terkirim" in second
    assert _statuses(session)["sent"] == MAILED
    addresses = sorted(str(message["To"]) for message in recorder.accepted)
    assert addresses == sorted(person.email for person in mailed)
    [sample] = [m for m in recorder.accepted if m["To"] == mailed[0].email]
    assert sample["Subject"] == "Tugas belajar baru: Etika Pelayanan Publik"
    assert "https://belajar.test/kursus/etika-pelayanan" in sample.get_content()


def test_two_processes_at_once_send_each_message_once(app, session, mailed, database_url):
    with smtp_server() as (recorder, port):
        runs = [_process(database_url, port), _process(database_url, port)]
        outputs = [run.communicate(timeout=120)[0].decode() for run in runs]
        assert [run.returncode for run in runs] == [0, 0], outputs
        _each_once(recorder.message_ids())
    assert _statuses(session)["sent"] == MAILED


def test_killed_halfway_and_run_again_sends_the_rest_once(app, session, mailed, database_url):
    with smtp_server() as (recorder, port):
        recorder.hold_at = 3
        run = _process(database_url, port)
        assert recorder.holding.wait(timeout=120), "the sender never reached the third message"
        run.kill()
        run.wait(timeout=30)
        recorder.release.set()
        _mail_config(app, port)
        _run(app)
        _each_once(recorder.message_ids())
        statuses = _statuses(session)
        assert statuses == Counter({"sent": MAILED - 1, "sending": 1, "none": statuses["none"]})
        later = clock().now() + timedelta(hours=1)
        recovered = notifications.recover_stale(session, now=later, lease=timedelta(minutes=15))
        session.commit()
        assert (recovered.released, recovered.unknown) == (0, 1)
        output = _run(app)
        assert len(recorder.message_ids()) == MAILED
    assert "tidak diketahui terkirim atau tidak" in output
    assert _statuses(session)["unknown"] == 1


def test_a_claim_that_never_reached_smtp_is_sent_after_its_lease(app, session, mailed):
    claimed = notifications.claim_next(session, now=clock().now() - timedelta(hours=1))
    session.commit()
    assert claimed is not None
    with smtp_server() as (recorder, port):
        _mail_config(app, port)
        _run(app)
        _each_once(recorder.message_ids())


def test_temporary_refusal_is_retried_and_permanent_refusal_fails(app, session, mailed):
    with smtp_server() as (recorder, port):
        recorder.refuse = {
            mailed[0].email: "451 4.3.0 Coba lagi nanti",
            mailed[1].email: "550 5.1.1 Tidak dikenal",
        }
        _mail_config(app, port)
        output = _run(app)
        assert "4 terkirim" in output and "1 dicoba lagi" in output and "1 gagal" in output
        assert _statuses(session)["pending"] == 1 and _statuses(session)["failed"] == 1
        recorder.refuse = {}
        _run(app)
        assert len(recorder.message_ids()) == MAILED - 1
    assert _statuses(session)["sent"] == MAILED - 1


def test_unreachable_server_leaves_messages_waiting(app, session, mailed):
    with smtp_server() as (_recorder, port):
        pass
    _mail_config(app, port)
    result = app.test_cli_runner().invoke(args=["elearn", "send-reminders"])
    assert result.exit_code == 1
    assert "tidak dapat dihubungi" in result.output
    assert _statuses(session)["pending"] == MAILED


def test_in_app_only_people_get_no_email(app, session, world, mailed):
    chooser = client_for(app, mailed[0])
    response = post_form(chooser, "/notifikasi/pilihan", {"email": "0"}, from_page="/notifikasi")
    assert response.status_code == 302
    assert "Pemberitahuan hanya tampil di aplikasi." in page(chooser, "/notifikasi")
    with smtp_server() as (recorder, port):
        _mail_config(app, port)
        _run(app)
        assert mailed[0].email not in {str(m["To"]) for m in recorder.accepted}
        assert len(recorder.message_ids()) == MAILED - 1
    assert _statuses(session)["skipped"] == 1
    _assign(
        session,
        world,
        Target("person", mailed[0].id),
        due=clock().today() + timedelta(days=3),
        module_key=FIRST_LESSON,
    )
    newest = session.scalar(
        select(Notification).where(Notification.person_id == mailed[0].id).order_by(Notification.id.desc())
    )
    assert newest.email_status == "none"


def test_without_mail_settings_notifications_stay_in_app(app, session, mailed):
    output = _run(app)
    assert "E-mail belum diatur" in output
    assert _statuses(session)["skipped"] == MAILED
    body = page(client_for(app, mailed[0]), "/notifikasi")
    assert "Tugas belajar baru: Etika Pelayanan Publik" in body and "Kepala Dinas A menugaskan" in body


def test_due_reminders_are_created_once_per_due_date(app, session, world):
    today = clock().today()
    _assign(
        session,
        world,
        Target("person", world.mentee_now.id),
        due=today + timedelta(days=2),
        module_key=FIRST_LESSON,
    )
    now = clock().now()
    assert notifications.queue_due_reminders(session, today=today, days_before=3, now=now) == 1
    assert notifications.queue_due_reminders(session, today=today, days_before=3, now=now) == 0
    late = today + timedelta(days=3)
    assert notifications.queue_due_reminders(session, today=late, days_before=3, now=now) == 1
    assert notifications.queue_due_reminders(session, today=late, days_before=3, now=now) == 0
    session.execute(update(Assignment).values(due_on=today + timedelta(days=4)))
    assert notifications.queue_due_reminders(session, today=late, days_before=3, now=now) == 1
    session.commit()
    reasons = Counter(
        session.scalars(select(Notification.reason).where(Notification.person_id == world.mentee_now.id))
    )
    assert reasons == Counter({"assigned": 1, "due_soon": 2, "overdue": 1})


def test_no_reminder_once_the_assignment_is_done(app, session, world):
    today = clock().today()
    _assign(
        session,
        world,
        Target("person", world.mentee_now.id),
        due=today + timedelta(days=1),
        module_key=FIRST_LESSON,
    )
    mentee = client_for(app, world.mentee_now)
    lesson = page(mentee, f"/kursus/{COURSE}/{FIRST_LESSON}")
    post_form(
        mentee, f"/kursus/{COURSE}/{FIRST_LESSON}/selesai", {}, from_page=f"/kursus/{COURSE}/{FIRST_LESSON}"
    )
    assert "Integritas" in lesson
    assert notifications.queue_due_reminders(session, today=today, days_before=3, now=clock().now()) == 0


def test_notifications_page_marks_read_and_pages_by_key(app, session, world, mailed):
    reader = client_for(app, mailed[0])
    assert "1 pemberitahuan baru" in page(reader, "/")
    body = page(reader, "/notifikasi")
    assert "Tandai semua sudah dibaca" in body
    post_form(reader, "/notifikasi/baca", {}, from_page="/notifikasi")
    assert "pemberitahuan baru" not in page(reader, "/")
    assert (
        session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.read_at.is_(None), Notification.person_id == mailed[0].id)
        )
        == 0
    )


def test_every_kind_of_notification_is_worded_with_a_link(app, session, world):
    today, now = clock().today(), clock().now()
    _assign(
        session,
        world,
        Target("person", world.mentee_now.id),
        due=today + timedelta(days=2),
        module_key=FIRST_LESSON,
    )
    notifications.queue_due_reminders(session, today=today, days_before=3, now=now)
    notifications.queue_due_reminders(session, today=today + timedelta(days=3), days_before=3, now=now)
    note = feedback.write_note(
        session, author=world.mentor, mentee=world.mentee_now, body="Bagus.", now=now, today=today, ip=None
    )
    feedback.write_reply(
        session,
        author=world.mentee_now,
        note=note,
        mentee=world.mentee_now,
        body="Terima kasih.",
        now=now,
        today=today,
        ip=None,
    )
    plan_id = plans.start_plan(session, person=world.in_a1, year=today.year, now=now, ip=None)
    plan = plans.plan_of(session, person_id=world.in_a1.id, year=today.year)
    assert plan is not None and plan.id == plan_id
    plans.add_item(
        session,
        person=world.in_a1,
        plan=plan,
        draft=plans.ItemDraft(kind="external", title="Diklat"),
        ip=None,
    )
    plans.propose(session, person=world.in_a1, plan=plan, now=now, today=today, ip=None)
    session.commit()
    supervisor_page = page(client_for(app, world.head_a), "/notifikasi")
    assert "Rencana pengembangan menunggu persetujuan" in supervisor_page
    assert f'href="/atasan/orang/{world.in_a1.id}/rencana/{today.year}"' in supervisor_page
    plans.agree(session, supervisor=world.head_a, plan=plan, comment="", now=now, today=today, ip=None)
    session.commit()
    person_page = page(client_for(app, world.in_a1), "/notifikasi")
    assert "Rencana pengembangan disetujui" in person_page and f'href="/rencana/{today.year}"' in person_page
    mentee_page = page(client_for(app, world.mentee_now), "/notifikasi")
    for title in (
        "Tugas belajar baru: Etika Pelayanan Publik",
        "Tenggat tugas belajar: Etika Pelayanan Publik",
        "Tugas belajar terlambat: Etika Pelayanan Publik",
        "Umpan balik baru dari mentor",
    ):
        assert title in mentee_page, title
    assert f'href="/kursus/{COURSE}/{FIRST_LESSON}"' in mentee_page and 'href="/umpan-balik"' in mentee_page
    mentor_page = page(client_for(app, world.mentor), "/notifikasi")
    assert (
        "Balasan umpan balik" in mentor_page and f'href="/mentor/mentee/{world.mentee_now.id}"' in mentor_page
    )
