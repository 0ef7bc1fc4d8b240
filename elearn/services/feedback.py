"""Feedback notes on a mentee and their replies: a current mentor writes notes, the mentee and a current mentor
reply, and the mentee's supervisors read along. Who may read or write is decided by the views through
`elearn.scope`; this module writes, notifies the other side once, and reads a thread in two queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from elearn.models import FeedbackNote, FeedbackReply, Person
from elearn.services import audit, notifications

MAX_BODY = 4000


class FeedbackRefused(Exception):
    """An empty or too long text; nothing is written."""


def _clean(body: str) -> str:
    text = body.strip()
    if not text or len(text) > MAX_BODY:
        raise FeedbackRefused(body)
    return text


def write_note(
    session: Session, *, author: Person, mentee: Person, body: str, now: datetime, today: date, ip: str | None
) -> FeedbackNote:
    """A mentor's note about `mentee` (already checked to be a current mentee); the mentee is told."""
    note = FeedbackNote(mentee_id=mentee.id, author_id=author.id, body=_clean(body), created_at=now)
    session.add(note)
    session.flush()
    notifications.queue_one(
        session,
        person=mentee,
        reason="feedback",
        subject_type="feedback",
        subject_id=note.id,
        bucket=today,
        now=now,
    )
    audit.record(session, actor=author, action="feedback.note", target=note, ip=ip, mentee=mentee.id)
    return note


def note_of_or_none(session: Session, *, note_id: int, mentee_id: int) -> FeedbackNote | None:
    """The note `note_id` if it is about `mentee_id`."""
    return session.scalar(
        select(FeedbackNote).where(FeedbackNote.id == note_id, FeedbackNote.mentee_id == mentee_id)
    )


def write_reply(
    session: Session,
    *,
    author: Person,
    note: FeedbackNote,
    mentee: Person,
    body: str,
    now: datetime,
    today: date,
    ip: str | None,
) -> FeedbackReply:
    """A reply by the mentee or a current mentor; the note's author hears of the mentee's reply, the mentee of a
    mentor's."""
    reply = FeedbackReply(note_id=note.id, author_id=author.id, body=_clean(body), created_at=now)
    session.add(reply)
    session.flush()
    reader = session.get(Person, note.author_id) if author.id == mentee.id and note.author_id else mentee
    if reader is not None and reader.id != author.id:
        notifications.queue_one(
            session,
            person=reader,
            reason="reply",
            subject_type="feedback",
            subject_id=note.id,
            bucket=today,
            now=now,
        )
    audit.record(session, actor=author, action="feedback.reply", target=reply, ip=ip, note=note.id)
    return reply


@dataclass(frozen=True)
class Message:
    """A note or a reply as a thread shows it."""

    author_name: str
    author_id: int | None
    body: str
    created_at: datetime


@dataclass(frozen=True)
class Thread:
    """A note with its replies, oldest reply first."""

    note_id: int
    note: Message
    replies: tuple[Message, ...]


def threads_of(session: Session, *, mentee_id: int) -> list[Thread]:
    """Every note about the mentee, newest first, with replies (two queries)."""
    author = aliased(Person, name="author")
    notes = session.execute(
        select(
            FeedbackNote.id, author.name, FeedbackNote.author_id, FeedbackNote.body, FeedbackNote.created_at
        )
        .outerjoin(author, author.id == FeedbackNote.author_id)
        .where(FeedbackNote.mentee_id == mentee_id)
        .order_by(FeedbackNote.created_at.desc(), FeedbackNote.id.desc())
    ).all()
    replies: dict[int, list[Message]] = {}
    if notes:
        rows = session.execute(
            select(
                FeedbackReply.note_id,
                author.name,
                FeedbackReply.author_id,
                FeedbackReply.body,
                FeedbackReply.created_at,
            )
            .outerjoin(author, author.id == FeedbackReply.author_id)
            .where(FeedbackReply.note_id.in_([row[0] for row in notes]))
            .order_by(FeedbackReply.created_at, FeedbackReply.id)
        )
        for note_id, name, author_id, body, created_at in rows:
            replies.setdefault(note_id, []).append(Message(name or "", author_id, body, created_at))
    return [
        Thread(
            note_id=note_id,
            note=Message(name or "", author_id, body, created_at),
            replies=tuple(replies.get(note_id, ())),
        )
        for note_id, name, author_id, body, created_at in notes
    ]
