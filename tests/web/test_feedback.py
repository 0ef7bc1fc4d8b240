"""Feedback notes with replies: written by a current mentor, answered by the mentee, read by the mentee's
supervisors; nobody else reaches them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from elearn.models import AuditEntry, FeedbackNote, FeedbackReply, Mentorship, Notification
from elearn.state import clock
from tests.factories import make_mentorship
from tests.web.mentoring_support import build_mentoring_world, client_for, page, post_form
from tests.web.scope_world import World


@pytest.fixture
def world(session) -> World:
    world = build_mentoring_world(session)
    make_mentorship(session, world.mentor, world.in_a1, starts_on=clock().today() - timedelta(days=10))
    session.commit()
    return world


def _note(app, session, world: World, body: str = "Bagus, lanjutkan modul kedua.") -> int:
    mentor = client_for(app, world.mentor)
    url = f"/mentor/mentee/{world.in_a1.id}"
    response = post_form(mentor, f"{url}/umpan-balik", {"body": body}, from_page=url)
    assert response.status_code == 302
    return int(session.scalar(select(func.max(FeedbackNote.id))))


def test_mentor_note_and_mentee_reply_are_seen_by_mentor_mentee_and_supervisor(app, session, world):
    note_id = _note(app, session, world)
    mentee = client_for(app, world.in_a1)
    assert "Bagus, lanjutkan modul kedua." in page(mentee, "/umpan-balik")
    reply = post_form(
        mentee, f"/umpan-balik/{note_id}/balas", {"body": "Terima kasih, Pak."}, from_page="/umpan-balik"
    )
    assert reply.status_code == 302
    for viewer, url in (
        (world.mentor, f"/mentor/mentee/{world.in_a1.id}"),
        (world.in_a1, "/umpan-balik"),
        (world.head_a, f"/atasan/orang/{world.in_a1.id}"),
    ):
        body = page(client_for(app, viewer), url)
        assert "Bagus, lanjutkan modul kedua." in body and "Terima kasih, Pak." in body, viewer.name
    reasons = dict(session.execute(select(Notification.reason, Notification.person_id)).all())
    assert reasons == {"feedback": world.in_a1.id, "reply": world.mentor.id}
    actions = list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["feedback.note", "feedback.reply"]


def test_a_supervisor_reads_but_has_no_reply_form(app, session, world):
    _note(app, session, world)
    body = page(client_for(app, world.head_a), f"/atasan/orang/{world.in_a1.id}")
    assert "Kirim balasan" not in body


def test_mentor_reply_tells_the_mentee(app, session, world):
    note_id = _note(app, session, world)
    mentor = client_for(app, world.mentor)
    url = f"/mentor/mentee/{world.in_a1.id}"
    assert (
        post_form(
            mentor, f"{url}/umpan-balik/{note_id}/balas", {"body": "Satu lagi."}, from_page=url
        ).status_code
        == 302
    )
    assert (
        session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.reason == "reply", Notification.person_id == world.in_a1.id)
        )
        == 1
    )


def test_former_mentor_and_strangers_cannot_write_or_read(app, session, world):
    note_id = _note(app, session, world)
    link = session.scalar(select(Mentorship).where(Mentorship.mentee_id == world.in_a1.id))
    link.ends_on = clock().today() - timedelta(days=1)
    session.commit()
    mentor = client_for(app, world.mentor)
    url = f"/mentor/mentee/{world.in_a1.id}"
    assert mentor.get(url).status_code == 404
    assert post_form(mentor, f"{url}/umpan-balik", {"body": "x"}).status_code == 404
    assert post_form(mentor, f"{url}/umpan-balik/{note_id}/balas", {"body": "x"}).status_code == 404
    other = client_for(app, world.in_b)
    assert post_form(other, f"/umpan-balik/{note_id}/balas", {"body": "x"}).status_code == 404
    assert "Bagus" not in page(other, "/umpan-balik")
    assert session.scalar(select(func.count()).select_from(FeedbackReply)) == 0


def test_a_note_of_another_mentee_cannot_be_answered_through_this_one(app, session, world):
    note_id = _note(app, session, world)
    mentor = client_for(app, world.mentor)
    url = f"/mentor/mentee/{world.mentee_now.id}"
    assert (
        post_form(mentor, f"{url}/umpan-balik/{note_id}/balas", {"body": "x"}, from_page=url).status_code
        == 404
    )


def test_an_empty_note_is_refused_with_a_message(app, session, world):
    mentor = client_for(app, world.mentor)
    url = f"/mentor/mentee/{world.in_a1.id}"
    response = post_form(mentor, f"{url}/umpan-balik", {"body": "   "}, from_page=url)
    assert response.status_code == 302
    assert "Tulis umpan balik" in page(mentor, url)
    assert session.scalar(select(func.count()).select_from(FeedbackNote)) == 0
