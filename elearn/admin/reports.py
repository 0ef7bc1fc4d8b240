"""The administrator's competency reports over the whole organisation: the supervisor area's reports
(`elearn.competency_reports`) through the admin lens (`people_visible_to`, active people only, and every unit)."""

from __future__ import annotations

from flask_login import current_user

from elearn.admin.blueprint import bp
from elearn.competency_reports import Area, add_report_routes
from elearn.scope import people_visible_to, units_visible_to
from elearn.state import clock


def _area() -> Area:
    admin = current_user._get_current_object()
    return Area(
        name="admin",
        people=people_visible_to(admin, today=clock().today()),
        units=units_visible_to(admin),
    )


add_report_routes(bp, _area)
