"""Supervisor pages: the units a person heads, the people in them, one person and their JP, and the export of that
list (the JP ledger's approvals and exports are in `elearn.supervisor.training`).

Every query starts from `elearn.scope.people_supervised_by` / `units_supervised_by`, so nothing outside the
supervisor's subtrees can be listed, searched, opened or exported.
"""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user
from werkzeug.wrappers import Response

from elearn import jp
from elearn.auth import require_roles
from elearn.clock import year_bounds
from elearn.listing import filtered_people, people_list_page
from elearn.models import Person, Role
from elearn.people_export import PERSON_COLUMNS, people_export
from elearn.scope import people_supervised_by, person_among_or_404, units_supervised_by
from elearn.services import directory, progress, training
from elearn.state import clock, db_session
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


@bp.get("/orang/<int:person_id>")
def person(person_id: int) -> str:
    """One person in the supervisor's units with their JP of a year (`?tahun=`); anyone else is a 404."""
    session = db_session()
    shown = person_among_or_404(session, people_supervised_by(_viewer()), person_id)
    year = jp.requested_year()
    return render_template(
        "elearn/supervisor/person.html",
        person=shown,
        year=year,
        this_year=clock().today().year,
        standing=jp.standing_of(session, shown, year),
        courses=progress.completions_of(
            session, person_id=shown.id, within=year_bounds(year, clock().timezone)
        ),
        records=training.records_of(session, person_id=shown.id, year=year),
        kind_labels=KIND_LABELS,
    )


@bp.get("/orang/ekspor")
def export_people() -> Response:
    """The people list (with the page's filters) as CSV, or XLSX with `?format=xlsx`; audited."""
    viewer = _viewer()
    filtered, _unit = filtered_people(db_session(), people_supervised_by(viewer), units_supervised_by(viewer))
    return people_export("pegawai-unit", filtered, PERSON_COLUMNS, filters=("q", "unit"))
