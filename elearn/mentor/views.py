"""Mentor pages: the mentor's current mentees, and one mentee's follow-up (assignments, progress, quiz results, JP,
feedback with replies, the mentorship's dates, the development plan). Past mentees and everyone else are a 404.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from elearn.auth import require_roles
from elearn.competency_pages import competency_page
from elearn.feedback_pages import post_reply
from elearn.listing import paginate
from elearn.models import Person, Role
from elearn.plan_pages import plan_download, plan_page
from elearn.scope import mentees_of, person_among_or_404
from elearn.services import feedback, follow_up
from elearn.services.directory import listed
from elearn.state import clock, db_session, outlines

bp = Blueprint("mentor", __name__, url_prefix="/mentor")
bp.before_request(require_roles(Role.MENTOR))


def _me() -> Person:
    person: Person = current_user._get_current_object()
    return person


def _mentee_or_404(person_id: int) -> Person:
    return person_among_or_404(db_session(), listed(mentees_of(_me(), today=clock().today())), person_id)


@bp.get("/")
def home() -> str:
    """The mentor's current mentees, paged."""
    pagination = paginate(listed(mentees_of(_me(), today=clock().today())))
    return render_template("elearn/mentor/home.html", pagination=pagination)


@bp.get("/mentee/<int:person_id>")
def person(person_id: int) -> str:
    """One current mentee's follow-up, with the forms to assign learning and to write feedback."""
    mentee = _mentee_or_404(person_id)
    session = db_session()
    office = clock()
    return render_template(
        "elearn/mentor/person.html",
        person=mentee,
        overview=follow_up.overview(
            session, person=mentee, today=office.today(), timezone=office.timezone, outlines=outlines()
        ),
        choices=follow_up.assignable_choices(session),
        today=office.today(),
    )


@bp.get("/mentee/<int:person_id>/kompetensi")
def mentee_competency(person_id: int) -> tuple[str, int]:
    """A current mentee's competencies against their position's standard, evidence and recommended courses."""
    mentee = _mentee_or_404(person_id)
    return competency_page(mentee, viewer="mentor", back_url=url_for(".person", person_id=mentee.id))


@bp.post("/mentee/<int:person_id>/umpan-balik")
def write_note(person_id: int) -> Response:
    """Write a feedback note about a current mentee (the mentee is told)."""
    mentee = _mentee_or_404(person_id)
    session = db_session()
    try:
        feedback.write_note(
            session,
            author=_me(),
            mentee=mentee,
            body=request.form.get("body", ""),
            now=clock().now(),
            today=clock().today(),
            ip=request.remote_addr,
        )
    except feedback.FeedbackRefused:
        session.rollback()
        flash(_("Tulis umpan balik (paling banyak 4000 karakter)."), "error")
        return redirect(url_for("elearn.mentor.person", person_id=person_id, _anchor="feedback"))
    session.commit()
    flash(_("Umpan balik tersimpan dan terlihat oleh mentee serta atasannya."), "success")
    return redirect(url_for("elearn.mentor.person", person_id=person_id, _anchor="feedback"))


@bp.post("/mentee/<int:person_id>/umpan-balik/<int:note_id>/balas")
def reply(person_id: int, note_id: int) -> Response:
    """Reply to a note about a current mentee."""
    mentee = _mentee_or_404(person_id)
    session = db_session()
    note = feedback.note_of_or_none(session, note_id=note_id, mentee_id=mentee.id)
    if note is None:
        abort(404)
    return post_reply(
        note, mentee, back_to=url_for("elearn.mentor.person", person_id=person_id, _anchor=f"note-{note_id}")
    )


@bp.get("/mentee/<int:person_id>/rencana/<int:year>")
def plan(person_id: int, year: int) -> str:
    """A current mentee's development plan for `year`, to read."""
    return plan_page(_mentee_or_404(person_id), year, viewer="mentor")


@bp.get("/mentee/<int:person_id>/rencana/<int:year>/ekspor")
def export_plan(person_id: int, year: int) -> Response:
    """A current mentee's plan as CSV, XLSX (`?format=xlsx`) or PDF (`?format=pdf`); audited."""
    return plan_download(_mentee_or_404(person_id), year)
