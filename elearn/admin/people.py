"""Administrator pages for one person: their page, editing their record, and adding or ending a mentorship.

Views parse the form and call `elearn.services.people`, which checks the rules and audits the change; a refused
change comes back on the same page with the message under its field, and nothing is saved.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from elearn.admin.accounts import login_locks
from elearn.admin.audit_text import DATE_FORMAT
from elearn.admin.blueprint import bp
from elearn.admin.forms import PROBLEM_MESSAGES, EndMentorshipForm, MentorshipForm, PersonForm, apply_problems
from elearn.competency_pages import add_profile_routes
from elearn.models import Mentorship, Person
from elearn.scope import people_visible_to, person_among_or_404, units_visible_to
from elearn.services import directory
from elearn.services import people as people_service
from elearn.services.people import EditProblem, EditRefused
from elearn.state import clock, db_session

Page = str | tuple[str, int]


def _admin() -> Person:
    """The signed-in administrator as a model object (the proxy is not a Person)."""
    return current_user._get_current_object()


def _person_or_404(person_id: int) -> Person:
    """The person with unit and position loaded (the page shows both), if the admin's scope holds them."""
    people = people_visible_to(_admin(), today=clock().today())
    return person_among_or_404(
        db_session(), people.options(joinedload(Person.unit), joinedload(Person.position)), person_id
    )


def _person_page(
    shown: Person,
    *,
    mentorship_form: MentorshipForm,
    end_problems: dict[int, str] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    """The person's page: record, units headed, mentorships with their end forms, and the new-mentorship form."""
    session = db_session()
    today = clock().today()
    page = render_template(
        "elearn/admin/person.html",
        person=shown,
        headed=directory.units_headed_by(session, shown),
        mentorships=directory.mentorships_of(session, shown, today=today),
        mentorship_form=mentorship_form,
        end_problems=end_problems or {},
        today=today,
        login_locks=login_locks(shown),
    )
    return page, status


@bp.get("/orang/<int:person_id>")
def person(person_id: int) -> Page:
    """One person: record, roles, unit, units headed and mentorships, with the edit and activation actions."""
    form = MentorshipForm()
    form.starts_on.data = clock().today()
    return _person_page(_person_or_404(person_id), mentorship_form=form)


add_profile_routes(bp, viewer="admin", person_or_404=_person_or_404)


@bp.route("/orang/<int:person_id>/ubah", methods=["GET", "POST"])
def edit_person(person_id: int) -> Page | Response:
    """Edit name, e-mail, unit, position, roles and the active flag; every change is audited."""
    session = db_session()
    shown = _person_or_404(person_id)
    form = PersonForm(data=_current_values(shown))
    form.offer(
        directory.unit_choices(session, units_visible_to(_admin())), directory.positions_by_name(session)
    )
    if form.validate_on_submit():
        try:
            changes = people_service.update_person(
                session,
                shown,
                actor=_admin(),
                name=form.name.data or "",
                email=form.email.data,
                unit_id=form.chosen_id(form.unit),
                position_id=form.chosen_id(form.position),
                roles=form.roles.data or (),
                active=form.active.data,
                now=clock().now(),
                today=clock().today(),
                ip=request.remote_addr,
            )
        except EditRefused as refused:
            apply_problems(form, refused.problems)
        else:
            if _committed(form.email.errors, EditProblem.EMAIL_TAKEN):
                if changes:
                    flash(_("Perubahan data %(name)s disimpan.", name=shown.name), "success")
                else:
                    flash(_("Tidak ada yang diubah."), "info")
                return redirect(url_for("elearn.admin.person", person_id=shown.id))
    status = 400 if request.method == "POST" else 200
    return render_template("elearn/admin/person_edit.html", person=shown, form=form), status


@bp.post("/orang/<int:person_id>/bimbingan")
def add_mentorship(person_id: int) -> Page | Response:
    """Add a mentorship between this person and someone named by NIP, on this person's page."""
    session = db_session()
    shown = _person_or_404(person_id)
    form = MentorshipForm()
    if form.validate_on_submit():
        everyone = people_visible_to(_admin(), today=clock().today())
        other = directory.person_with_nip(session, everyone, form.other_nip.data or "")
        if other is None:
            form.other_nip.errors.append(_("Tidak ada pegawai dengan NIP ini."))
        else:
            mentor, mentee = (shown, other) if form.side.data == "mentor" else (other, shown)
            try:
                people_service.add_mentorship(
                    session,
                    actor=_admin(),
                    mentor=mentor,
                    mentee=mentee,
                    starts_on=form.starts_on.data,
                    ends_on=form.ends_on.data,
                    now=clock().now(),
                    ip=request.remote_addr,
                )
            except EditRefused as refused:
                apply_problems(form, refused.problems)
            else:
                if _committed(form.starts_on.errors, EditProblem.OVERLAP):
                    flash(
                        _(
                            "Bimbingan %(mentor)s untuk %(mentee)s ditambahkan.",
                            mentor=mentor.name,
                            mentee=mentee.name,
                        ),
                        "success",
                    )
                    return redirect(
                        url_for("elearn.admin.person", person_id=shown.id, _anchor="mentorship-heading")
                    )
    return _person_page(shown, mentorship_form=form, status=400)


@bp.post("/bimbingan/<int:mentorship_id>/akhiri")
def end_mentorship(mentorship_id: int) -> Page | Response:
    """Set the last day of a running mentorship; back to the page of whichever of the two it was ended from."""
    session = db_session()
    mentorship = _mentorship_or_404(mentorship_id)
    shown_id = request.form.get("person_id", type=int)
    shown = mentorship.mentor if shown_id == mentorship.mentor_id else mentorship.mentee
    form = EndMentorshipForm()
    if form.validate_on_submit():
        try:
            people_service.end_mentorship(
                session,
                mentorship,
                actor=_admin(),
                ends_on=form.ends_on.data,
                today=clock().today(),
                now=clock().now(),
                ip=request.remote_addr,
            )
        except EditRefused as refused:
            apply_problems(form, refused.problems)
        else:
            session.commit()
            flash(
                _(
                    "Bimbingan diakhiri; hari terakhirnya %(day)s.",
                    day=format_date(form.ends_on.data, DATE_FORMAT),
                ),
                "success",
            )
            return redirect(url_for("elearn.admin.person", person_id=shown.id, _anchor="mentorship-heading"))
    new_mentorship = MentorshipForm(formdata=None)
    new_mentorship.starts_on.data = clock().today()
    return _person_page(
        _person_or_404(shown.id),
        mentorship_form=new_mentorship,
        end_problems={mentorship.id: " ".join(str(error) for error in form.ends_on.errors)},
        status=400,
    )


def _mentorship_or_404(mentorship_id: int) -> Mentorship:
    """The mentorship if the admin's scope holds both people in it, with both loaded; otherwise 404."""
    visible = people_visible_to(_admin(), today=clock().today()).with_only_columns(Person.id)
    mentorship = db_session().scalar(
        select(Mentorship)
        .where(
            Mentorship.id == mentorship_id,
            Mentorship.mentor_id.in_(visible),
            Mentorship.mentee_id.in_(visible),
        )
        .options(joinedload(Mentorship.mentor), joinedload(Mentorship.mentee))
    )
    if mentorship is None:
        raise NotFound()
    return mentorship


def _committed(errors: list[str], clash: EditProblem) -> bool:
    """Commit; a uniqueness the database enforces and a concurrent request just took becomes a field error."""
    session = db_session()
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        errors.append(str(PROBLEM_MESSAGES[clash]))
        return False
    return True


def _current_values(person: Person) -> dict[str, Any]:
    """The edit form's starting values: the record as it is."""
    return {
        "name": person.name,
        "email": person.email or "",
        "unit": str(person.unit_id or ""),
        "position": str(person.position_id or ""),
        "roles": sorted(person.roles),
        "active": person.active,
    }
