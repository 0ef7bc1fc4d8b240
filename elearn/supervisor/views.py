"""Supervisor pages: the units a person heads, the people in them, one person's JP, follow-up and development plan
(which only the supervisor can agree), and the export of the people list (the JP ledger's approvals and exports
are in `elearn.supervisor.training`).

Every query starts from `elearn.scope.people_supervised_by` / `units_supervised_by`, so nothing outside the
supervisor's subtrees can be listed, searched, opened or exported.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from elearn import jp
from elearn.auth import require_roles
from elearn.clock import year_bounds
from elearn.competency_pages import add_profile_routes
from elearn.listing import filtered_people, people_list_page
from elearn.models import Person, Role
from elearn.people_export import PERSON_COLUMNS, people_export
from elearn.plan_pages import PLAN_PROBLEMS, plan_download, plan_page
from elearn.scope import people_supervised_by, person_among_or_404, units_supervised_by
from elearn.services import directory, follow_up, plans, progress, training
from elearn.services.directory import listed
from elearn.services.plans import PlanRefused
from elearn.state import clock, db_session, outlines
from elearn.training_labels import KIND_LABELS

bp = Blueprint("supervisor", __name__, url_prefix="/atasan")
bp.before_request(require_roles(Role.SUPERVISOR))


def _viewer() -> Person:
    return current_user._get_current_object()


PENDING_ON_HOME = 5


@bp.get("/")
def home() -> str:
    """External training waiting for a decision first, then the units the supervisor heads with headcounts."""
    viewer = _viewer()
    session = db_session()
    waiting = training.pending_for(viewer)
    forest = directory.unit_forest(session, units_supervised_by(viewer), people_supervised_by(viewer))
    return render_template(
        "elearn/supervisor/home.html",
        forest=forest,
        pending=session.scalars(waiting.limit(PENDING_ON_HOME)).all(),
        pending_count=directory.count(session, waiting.order_by(None)),
        year=clock().today().year,
        kind_labels=KIND_LABELS,
    )


@bp.get("/orang")
def people() -> str:
    """People in the supervisor's units: search by name, NIP or e-mail, filter by unit (a picker of their own
    units, subtree included), paged."""
    viewer = _viewer()
    return people_list_page(
        "elearn/supervisor/people.html",
        db_session(),
        people_supervised_by(viewer),
        units_supervised_by(viewer),
    )


def _person_or_404(person_id: int) -> Person:
    return person_among_or_404(db_session(), listed(people_supervised_by(_viewer())), person_id)


@bp.get("/orang/<int:person_id>")
def person(person_id: int) -> str:
    """One person in the supervisor's units: their JP of a year (`?tahun=`), follow-up (assignments, progress, quiz
    results, feedback) and the form that assigns learning to them; anyone else is a 404."""
    shown = _person_or_404(person_id)
    session = db_session()
    office = clock()
    year = jp.requested_year()
    return render_template(
        "elearn/supervisor/person.html",
        person=shown,
        year=year,
        this_year=office.today().year,
        standing=jp.standing_of(session, shown, year),
        courses=progress.completions_of(
            session, person_id=shown.id, within=year_bounds(year, office.timezone)
        ),
        records=training.records_of(session, person_id=shown.id, year=year),
        kind_labels=KIND_LABELS,
        overview=follow_up.overview(
            session, person=shown, today=office.today(), timezone=office.timezone, outlines=outlines()
        ),
        choices=follow_up.assignable_choices(session),
        today=office.today(),
    )


add_profile_routes(bp, viewer="supervisor", person_or_404=_person_or_404)


@bp.get("/orang/<int:person_id>/rencana/<int:year>")
def plan(person_id: int, year: int) -> str:
    """A person's development plan for `year`, with agree, send back and done."""
    return plan_page(_person_or_404(person_id), year, viewer="supervisor")


@bp.get("/orang/<int:person_id>/rencana/<int:year>/ekspor")
def export_plan(person_id: int, year: int) -> Response:
    """The plan as CSV, XLSX (`?format=xlsx`) or PDF (`?format=pdf`); audited."""
    return plan_download(_person_or_404(person_id), year)


@bp.post("/orang/<int:person_id>/rencana/<int:year>/<action>")
def decide_plan(person_id: int, year: int, action: str) -> Response:
    """Agree (`setujui`), send back (`kembalikan`) or mark done (`selesai`): the supervisor's decisions."""
    shown = _person_or_404(person_id)
    session = db_session()
    found = plans.plan_of(session, person_id=shown.id, year=year)
    if found is None or action not in ("setujui", "kembalikan", "selesai"):
        abort(404)
    comment = request.form.get("comment", "")
    office = clock()
    try:
        if action == "setujui":
            plans.agree(
                session,
                supervisor=_viewer(),
                plan=found,
                comment=comment,
                now=office.now(),
                today=office.today(),
                ip=request.remote_addr,
            )
            flash(_("Rencana pengembangan disetujui."), "success")
        elif action == "kembalikan":
            plans.send_back(
                session, supervisor=_viewer(), plan=found, comment=comment, ip=request.remote_addr
            )
            flash(_("Rencana dikembalikan kepada pegawai untuk diperbaiki."), "success")
        else:
            plans.mark_done(
                session, supervisor=_viewer(), plan=found, now=office.now(), ip=request.remote_addr
            )
            flash(_("Rencana pengembangan ditandai terlaksana."), "success")
    except PlanRefused as refused:
        session.rollback()
        flash(str(PLAN_PROBLEMS[refused.reason]), "error")
        return redirect(url_for("elearn.supervisor.plan", person_id=person_id, year=year))
    session.commit()
    return redirect(url_for("elearn.supervisor.plan", person_id=person_id, year=year))


@bp.get("/orang/ekspor")
def export_people() -> Response:
    """The people list (with the page's filters) as CSV, or XLSX with `?format=xlsx`; audited."""
    viewer = _viewer()
    filtered, _unit = filtered_people(db_session(), people_supervised_by(viewer), units_supervised_by(viewer))
    return people_export("pegawai-unit", filtered, PERSON_COLUMNS, filters=("q", "unit"))
