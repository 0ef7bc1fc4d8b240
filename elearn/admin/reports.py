"""The administrator's competency reports over the whole organisation: the supervisor area's reports
(`elearn.competency_pages`) through the admin lens (`people_visible_to`, active people only, and every unit)."""

from __future__ import annotations

from flask_login import current_user
from werkzeug.wrappers import Response

from elearn.admin.blueprint import bp
from elearn.competency_pages import Area, report_download, report_page, reports_index
from elearn.scope import people_visible_to, units_visible_to
from elearn.state import clock


def _area() -> Area:
    admin = current_user._get_current_object()
    return Area(
        name="admin",
        people=people_visible_to(admin, today=clock().today()),
        units=units_visible_to(admin),
    )


@bp.get("/laporan")
def reports() -> str:
    """The organisation-wide reports."""
    return reports_index(_area())


@bp.get("/laporan/<name>")
def report(name: str) -> str:
    """One report (`jp`, `kesenjangan`, `jpm`) over the whole organisation."""
    return report_page(_area(), name)


@bp.get("/laporan/<name>/ekspor")
def export_report(name: str) -> Response:
    """One report as CSV, or XLSX with `?format=xlsx`; audited."""
    return report_download(_area(), name)
