"""The learner's side of mentoring: notifications (and e-mail or in-app only), feedback from mentors with replies,
and the yearly development plan the person drafts and proposes to their supervisor."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from elearn.feedback_pages import post_reply
from elearn.learner.blueprint import bp
from elearn.learner.context import me
from elearn.models import Person
from elearn.notices import word
from elearn.plan_pages import PLAN_PROBLEMS, plan_download, plan_page, year_or_404
from elearn.services import audit, feedback, notifications, plans
from elearn.services.plans import ItemDraft, PlanRefused
from elearn.state import clock, db_session

NOTIFICATIONS_PER_PAGE = 20


def me_with_unit() -> Person:
    """The signed-in person with unit and position loaded (pages show them without another query)."""
    person = db_session().scalar(
        select(Person)
        .where(Person.id == me().id)
        .options(joinedload(Person.unit), joinedload(Person.position))
    )
    if person is None:
        raise NotFound()
    return person


@bp.get("/notifikasi", endpoint="notifications")
def notifications_page() -> str:
    """The person's notifications, newest first (`?sebelum=<id>` pages on), and the e-mail choice."""
    session = db_session()
    page = notifications.notifications_of(
        session,
        person_id=me().id,
        limit=NOTIFICATIONS_PER_PAGE,
        before_id=request.args.get("sebelum", type=int),
    )
    facts = notifications.subject_facts(session, page.items)
    return render_template(
        "elearn/learner/notifications.html",
        texts=[word(item, facts.get((item.subject_type, item.subject_id))) for item in page.items],
        page=page,
        me=me(),
        mail_on=bool(current_app.config["ELEARN_MAIL_SERVER"]),
    )


@bp.post("/notifikasi/baca")
def read_notifications() -> Response:
    """Mark every notification read."""
    session = db_session()
    notifications.mark_all_read(session, person_id=me().id, now=clock().now())
    session.commit()
    return redirect(url_for("elearn.learner.notifications"))


@bp.post("/notifikasi/pilihan")
def notification_choice() -> Response:
    """E-mail as well as in-app notifications, or in-app only (the person's own choice; audited)."""
    session = db_session()
    person = me()
    wanted = request.form.get("email") == "1"
    if person.notify_by_email != wanted:
        person.notify_by_email = wanted
        audit.record(
            session,
            actor=person,
            action="notification.preference",
            target=person,
            ip=request.remote_addr,
            email=wanted,
        )
    session.commit()
    if wanted:
        flash(_("Pemberitahuan dikirim lewat e-mail dan tampil di aplikasi."), "success")
    else:
        flash(_("Pemberitahuan hanya tampil di aplikasi."), "success")
    return redirect(url_for("elearn.learner.notifications"))


@bp.get("/umpan-balik", endpoint="feedback")
def feedback_page() -> str:
    """Feedback notes from the person's mentors, with replies and the forms to reply."""
    return render_template(
        "elearn/learner/feedback.html", threads=feedback.threads_of(db_session(), mentee_id=me().id), me=me()
    )


@bp.post("/umpan-balik/<int:note_id>/balas")
def reply_feedback(note_id: int) -> Response:
    """Reply to a note about oneself (the note's author is told)."""
    session = db_session()
    note = feedback.note_of_or_none(session, note_id=note_id, mentee_id=me().id)
    if note is None:
        raise NotFound()
    return post_reply(note, me(), back_to=url_for("elearn.learner.feedback", _anchor=f"note-{note_id}"))


@bp.get("/rencana")
def plan_now() -> Response:
    """This year's development plan."""
    return redirect(url_for("elearn.learner.plan", year=clock().today().year))


@bp.get("/rencana/<int:year>")
def plan(year: int) -> str:
    """The person's development plan for `year`: start it, add and remove items, propose it."""
    return plan_page(me_with_unit(), year, viewer="self")


@bp.get("/rencana/<int:year>/ekspor")
def export_plan(year: int) -> Response:
    """The person's own plan as CSV, XLSX (`?format=xlsx`) or PDF (`?format=pdf`); audited."""
    return plan_download(me_with_unit(), year)


def _back(year: int) -> Response:
    return redirect(url_for("elearn.learner.plan", year=year))


def _own_plan_or_404(year: int) -> plans.DevelopmentPlan:
    found = plans.plan_of(db_session(), person_id=me().id, year=year_or_404(year))
    if found is None:
        raise NotFound()
    return found


def _jp(raw: str) -> Decimal | None:
    """The JP typed (comma or point), None when empty; an unreadable value is refused like an out-of-range one."""
    raw = raw.strip().replace(",", ".")
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return Decimal(-1)
    return value if value.is_finite() else Decimal(-1)


def _draft() -> ItemDraft:
    form = request.form
    level = form.get("target_level", "")
    return ItemDraft(
        kind=form.get("kind", ""),
        competency_code=form.get("competency", "")[:32],
        target_level=int(level) if level.isdigit() else None,
        course_slug=form.get("course", "")[:100],
        title=form.get("title", ""),
        provider=form.get("provider", ""),
        jp=_jp(form.get("jp", "")),
        note=form.get("note", ""),
    )


@bp.post("/rencana/<int:year>/<action>")
def change_plan(year: int, action: str) -> Response:
    """Start (`mulai`), add an item (`butir`), propose (`ajukan`) or take back (`tarik`) one's own plan."""
    session = db_session()
    office = clock()
    person = me()
    ip = request.remote_addr
    try:
        if action == "mulai":
            plans.start_plan(session, person=person, year=year_or_404(year), now=office.now(), ip=ip)
        elif action == "butir":
            plans.add_item(session, person=person, plan=_own_plan_or_404(year), draft=_draft(), ip=ip)
        elif action == "ajukan":
            plans.propose(
                session,
                person=person,
                plan=_own_plan_or_404(year),
                now=office.now(),
                today=office.today(),
                ip=ip,
            )
            flash(_("Rencana diajukan kepada atasan Anda untuk disetujui."), "success")
        elif action == "tarik":
            plans.retract(session, person=person, plan=_own_plan_or_404(year), ip=ip)
        else:
            raise NotFound()
    except PlanRefused as refused:
        session.rollback()
        flash(str(PLAN_PROBLEMS[refused.reason]), "error")
        return _back(year)
    session.commit()
    return _back(year)


@bp.post("/rencana/<int:year>/butir/<int:item_id>/hapus")
def remove_plan_item(year: int, item_id: int) -> Response:
    """Remove an item from one's own draft plan."""
    session = db_session()
    try:
        plans.remove_item(
            session, person=me(), plan=_own_plan_or_404(year), item_id=item_id, ip=request.remote_addr
        )
    except PlanRefused as refused:
        session.rollback()
        flash(str(PLAN_PROBLEMS[refused.reason]), "error")
        return _back(year)
    session.commit()
    return _back(year)
