"""The words of a notification, in the current language: its title, one sentence, and where it leads. The in-app
list and the e-mails both word notifications here, from what `services.notifications.subject_facts` read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import url_for
from flask_babel import gettext as _

from elearn.i18n import office_date
from elearn.models import Notification
from elearn.services.notifications import AssignmentFacts, Facts, FeedbackFacts, PlanFacts


@dataclass(frozen=True)
class NoticeText:
    """One notification as a reader sees it."""

    notification_id: int
    title: str
    body: str
    url: str | None
    created_at: datetime
    unread: bool


def _day(value: date) -> str:
    return office_date(value, "d MMMM yyyy")


def _assignment_words(reason: str, facts: AssignmentFacts, bucket: date) -> tuple[str, str]:
    what = f"{facts.module_title} ({facts.course_title})" if facts.module_title else facts.course_title
    if reason == "assigned":
        return (
            _("Tugas belajar baru: %(course)s", course=facts.course_title),
            _(
                "%(assigner)s menugaskan %(what)s kepada Anda, paling lambat %(due)s.",
                assigner=facts.assigner_name,
                what=what,
                due=_day(facts.due_on),
            ),
        )
    if reason == "due_soon":
        return (
            _("Tenggat tugas belajar: %(course)s", course=facts.course_title),
            _(
                "Tugas belajar %(what)s dari %(assigner)s jatuh tempo %(due)s.",
                what=what,
                assigner=facts.assigner_name,
                due=_day(bucket),
            ),
        )
    return (
        _("Tugas belajar terlambat: %(course)s", course=facts.course_title),
        _(
            "Tugas belajar %(what)s dari %(assigner)s sudah lewat tenggat (%(due)s).",
            what=what,
            assigner=facts.assigner_name,
            due=_day(bucket),
        ),
    )


def _plan_words(reason: str, facts: PlanFacts) -> tuple[str, str]:
    if reason == "approval_awaited":
        return (
            _("Rencana pengembangan menunggu persetujuan"),
            _(
                "%(person)s mengajukan rencana pengembangan kompetensi tahun %(year)s untuk Anda setujui.",
                person=facts.person_name,
                year=facts.year,
            ),
        )
    return (
        _("Rencana pengembangan disetujui"),
        _(
            "Rencana pengembangan kompetensi Anda tahun %(year)s disetujui oleh %(supervisor)s.",
            year=facts.year,
            supervisor=facts.agreed_by_name,
        ),
    )


def _feedback_words(reason: str, facts: FeedbackFacts) -> tuple[str, str]:
    if reason == "feedback":
        return (
            _("Umpan balik baru dari mentor"),
            _("%(author)s menulis umpan balik untuk Anda.", author=facts.author_name),
        )
    return _("Balasan umpan balik"), _("Ada balasan baru pada catatan umpan balik.")


def _url(notification: Notification, facts: Facts, external: bool) -> str:
    """Where the reader goes from the notification: a path in the app, a full address in an e-mail."""
    if isinstance(facts, AssignmentFacts):
        if facts.module_key:
            return url_for("elearn.learner.module", slug=facts.slug, key=facts.module_key, _external=external)
        return url_for("elearn.learner.course", slug=facts.slug, _external=external)
    if isinstance(facts, PlanFacts):
        if notification.reason == "approval_awaited":
            return url_for(
                "elearn.supervisor.plan", person_id=facts.person_id, year=facts.year, _external=external
            )
        return url_for("elearn.learner.plan", year=facts.year, _external=external)
    if notification.person_id == facts.mentee_id:
        return url_for("elearn.learner.feedback", _external=external)
    return url_for("elearn.mentor.person", person_id=facts.mentee_id, _external=external)


def word(notification: Notification, facts: Facts | None, *, external: bool = False) -> NoticeText:
    """The notification's title, sentence and link; a subject that is gone leaves a plain title."""
    if isinstance(facts, AssignmentFacts):
        title, body = _assignment_words(notification.reason, facts, notification.bucket)
    elif isinstance(facts, PlanFacts):
        title, body = _plan_words(notification.reason, facts)
    elif isinstance(facts, FeedbackFacts):
        title, body = _feedback_words(notification.reason, facts)
    else:
        title, body = _("Pemberitahuan"), ""
    return NoticeText(
        notification_id=notification.id,
        title=title,
        body=body,
        url=_url(notification, facts, external) if facts is not None else None,
        created_at=notification.created_at,
        unread=notification.read_at is None,
    )
