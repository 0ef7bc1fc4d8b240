"""Assigner pages: the batches one has assigned with each status counted, a batch's people, the form that assigns,
and extending or withdrawing. A mentor reaches only current mentees, a supervisor only the people of the units
they head; anything else (a person, unit, batch or row) answers 404 (`elearn.services.assignments.OutOfReach`).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import Select, select
from werkzeug.wrappers import Response

from elearn.assignments import forms
from elearn.auth import require_roles
from elearn.listing import paginate_rows
from elearn.models import AssignmentBatch, Person, Position, Role
from elearn.scope import units_supervised_by
from elearn.services import assignment_status, assignments, directory
from elearn.services.assignments import AssignmentRefused, OutOfReach, Target
from elearn.services.follow_up import assignable_choices
from elearn.services.outlines import current_version, outline_of
from elearn.state import clock, db_session, outlines

bp = Blueprint("assignments", __name__, url_prefix="/penugasan")
bp.before_request(require_roles(Role.MENTOR, Role.SUPERVISOR))

ROLES = (Role.MENTOR.value, Role.SUPERVISOR.value)


def _me() -> Person:
    person: Person = current_user._get_current_object()
    return person


def _role(raw: str | None) -> str:
    """The area the assigner acts in, which they must hold (else 404)."""
    if raw not in ROLES or not _me().has_role(raw):
        abort(404)
    return str(raw)


def _people_by_role(me: Person) -> dict[str, Select[Person]]:
    today = clock().today()
    return {role: assignments.assignable_people(me, role, today=today) for role in ROLES if me.has_role(role)}


@bp.get("/")
def home() -> str:
    """Every batch the signed-in person assigned, newest first, with how many people stand in each status."""
    me = _me()
    pagination = paginate_rows(assignment_status.batches_of(me.id))
    rows = assignment_status.batch_rows(
        db_session(), pagination.items, people_by_role=_people_by_role(me), today=clock().today()
    )
    return render_template("elearn/assignments/home.html", pagination=pagination, batches=rows)


@bp.get("/baru")
def new() -> str:
    """The assignment form: a mentor picks a mentee, a supervisor a person (NIP), a unit or a position."""
    role = _role(request.args.get("peran"))
    return _form_page(role, request.args.get("orang", type=int))


def _form_page(role: str, person_id: int | None) -> str:
    session = db_session()
    me = _me()
    today = clock().today()
    people = assignments.assignable_people(me, role, today=today)
    person = session.scalar(people.where(Person.id == person_id)) if person_id else None
    if person_id and person is None:
        abort(404)
    context: dict[str, object] = {}
    if role == Role.MENTOR:
        context["mentees"] = session.scalars(directory.listed(people)).unique().all()
    else:
        context["units"] = directory.unit_choices(session, units_supervised_by(me))
        context["positions"] = session.scalars(
            select(Position)
            .where(Position.id.in_(people.with_only_columns(Person.position_id)))
            .order_by(Position.name, Position.id)
        ).all()
    return render_template(
        "elearn/assignments/new.html",
        role=role,
        person=person,
        choices=assignable_choices(session),
        today=today,
        **context,
    )


def _target(role: str) -> Target | None:
    """The target the form names; a NIP is looked up among the assigner's people (None when not found)."""
    form = request.form
    kind = form.get("target_kind", "person")
    if kind == "person" and form.get("nip", "").strip():
        people = assignments.assignable_people(_me(), role, today=clock().today())
        found = db_session().scalar(
            people.where(Person.nip == form["nip"].strip()).with_only_columns(Person.id)
        )
        return Target("person", found) if found is not None else None
    chosen = forms.whole_number(
        form, {"person": "person_id", "unit": "unit_id", "position": "position_id"}.get(kind, "")
    )
    if chosen is None:
        return None
    return Target(kind, chosen)


def _back(role: str) -> Response:
    """Back to the page the form was on, with the flashed problem."""
    person_id = forms.whole_number(request.form, "person_id")
    if person_id:
        area = "elearn.mentor.person" if role == Role.MENTOR else "elearn.supervisor.person"
        return redirect(url_for(area, person_id=person_id))
    return redirect(url_for("elearn.assignments.new", peran=role))


@bp.post("/baru")
def create() -> Response:
    """Assign: one batch, every person's row in one statement; assigning the same thing again adds nobody twice."""
    role = _role(request.form.get("peran"))
    session = db_session()
    chosen = forms.chosen_learning(request.form)
    published = current_version(session, chosen.slug) if chosen else None
    due = forms.due_rule(request.form)
    target = _target(role)
    problem = "course" if published is None else "due_kind" if due is None else None
    if problem is None and target is None:
        problem = "nip" if request.form.get("nip", "").strip() else "target"
    if problem is not None:
        flash(str(forms.PROBLEMS[problem]), "error")
        return _back(role)
    assert chosen is not None and published is not None and due is not None and target is not None  # noqa: S101
    try:
        result = assignments.assign(
            session,
            assigner=_me(),
            role=role,
            outline=outline_of(session, outlines(), published.version_id),
            module_key=chosen.module_key,
            target=target,
            due=due,
            note=request.form.get("note", ""),
            today=clock().today(),
            now=clock().now(),
            ip=request.remote_addr,
        )
    except OutOfReach:
        session.rollback()
        abort(404)
    except AssignmentRefused as refused:
        session.rollback()
        flash(str(forms.PROBLEMS[refused.reason]), "error")
        return _back(role)
    if not result.added:
        session.rollback()
        flash(_("Semua yang dituju sudah mendapat tugas ini dari Anda; tidak ada yang ditambahkan."), "info")
        return _back(role)
    session.commit()
    flash(
        ngettext(
            "Tugas belajar diberikan kepada %(num)d pegawai.",
            "Tugas belajar diberikan kepada %(num)d pegawai.",
            result.added,
        ),
        "success",
    )
    return redirect(url_for("elearn.assignments.batch", batch_id=result.batch_id))


def _batch_or_404(batch_id: int) -> AssignmentBatch:
    try:
        return assignments.batch_of_or_404(db_session(), assigner=_me(), batch_id=batch_id)
    except OutOfReach:
        abort(404)


@bp.get("/<int:batch_id>")
def batch(batch_id: int) -> str:
    """One batch: what, the due rule and note, and each person the assigner still reaches with their status."""
    found = _batch_or_404(batch_id)
    session = db_session()
    today = clock().today()
    people = assignments.assignable_people(_me(), found.assigner_role, today=today)
    summary_row = session.execute(
        assignment_status.batches_of(_me().id).where(AssignmentBatch.id == batch_id)
    ).one()
    summary = assignment_status.batch_rows(
        session, [summary_row], people_by_role={found.assigner_role: people}, today=today
    )[0]
    pagination = paginate_rows(assignment_status.people_of_batch(batch_id, people=people, today=today))
    return render_template(
        "elearn/assignments/batch.html", batch=found, summary=summary, pagination=pagination
    )


@bp.post("/<int:batch_id>/perpanjang")
def extend(batch_id: int) -> Response:
    """Move the due date of the whole batch, or of one person's row, a number of days later."""
    found = _batch_or_404(batch_id)
    session = db_session()
    days = forms.whole_number(request.form, "days")
    try:
        moved = assignments.extend(
            session,
            assigner=_me(),
            batch=found,
            days=days or 0,
            assignment_id=forms.whole_number(request.form, "assignment_id"),
            today=clock().today(),
            ip=request.remote_addr,
        )
    except OutOfReach:
        session.rollback()
        abort(404)
    except AssignmentRefused as refused:
        session.rollback()
        flash(str(forms.PROBLEMS[refused.reason]), "error")
        return redirect(url_for("elearn.assignments.batch", batch_id=batch_id))
    session.commit()
    flash(
        ngettext("Tenggat %(num)d penugasan diperpanjang.", "Tenggat %(num)d penugasan diperpanjang.", moved),
        "success",
    )
    return redirect(url_for("elearn.assignments.batch", batch_id=batch_id))


@bp.post("/<int:batch_id>/tarik")
def withdraw(batch_id: int) -> Response:
    """Withdraw the whole batch, or one person's row."""
    found = _batch_or_404(batch_id)
    session = db_session()
    try:
        withdrawn = assignments.withdraw(
            session,
            assigner=_me(),
            batch=found,
            now=clock().now(),
            today=clock().today(),
            assignment_id=forms.whole_number(request.form, "assignment_id"),
            ip=request.remote_addr,
        )
    except OutOfReach:
        session.rollback()
        abort(404)
    session.commit()
    flash(ngettext("%(num)d penugasan ditarik.", "%(num)d penugasan ditarik.", withdrawn), "success")
    return redirect(url_for("elearn.assignments.batch", batch_id=batch_id))
