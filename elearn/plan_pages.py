"""The development plan page and its downloads, shared by the person, their supervisor and their mentor: the same
plan, with the actions each of them may take (the views have checked the scope already)."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from elearn import security
from elearn.export import content_disposition
from elearn.models import Competency, Course, CourseVersion, Person
from elearn.personal_export import personal_data_download
from elearn.plan_export import PLAN_HEADER, plan_pdf, plan_rows
from elearn.services import audit, plans
from elearn.state import db_session

FIRST_YEAR, LAST_YEAR = 2000, 2100
EXPORT_ACTION = "export.plan"
PLAN_PROBLEMS = {
    "status": _l("Rencana ini sudah berubah status; muat ulang halaman."),
    "empty": _l("Tambahkan paling tidak satu butir sebelum mengajukan."),
    "own_plan": _l("Rencana Anda sendiri disetujui oleh atasan Anda, bukan oleh Anda."),
    "comment": _l("Tulis apa yang perlu diperbaiki."),
    "competency": _l("Pilih kompetensi dan level sasaran 1 sampai 5."),
    "course": _l("Pilih kursus dari katalog."),
    "external": _l("Isi nama pelatihan (paling banyak 200 karakter)."),
    "jp": _l("JP diisi angka 0 sampai 999."),
    "note": _l("Catatan paling banyak 1000 karakter."),
    "kind": _l("Pilih jenis butir."),
    "item": _l("Butir itu tidak ada di rencana ini."),
}
VIEWER_ENDPOINTS = {
    "self": ("elearn.learner.plan", "elearn.learner.export_plan"),
    "mentor": ("elearn.mentor.plan", "elearn.mentor.export_plan"),
    "supervisor": ("elearn.supervisor.plan", "elearn.supervisor.export_plan"),
}


def year_or_404(year: int) -> int:
    """A plausible calendar year."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        abort(404)
    return year


def _address(viewer: str, person: Person, year: int) -> dict[str, Any]:
    return {"year": year} if viewer == "self" else {"person_id": person.id, "year": year}


def plan_page(person: Person, year: int, *, viewer: str) -> str:
    """The plan of `person` for `year` as `viewer` ("self", "mentor" or "supervisor") sees it."""
    session = db_session()
    year_or_404(year)
    found = plans.plan_of(session, person_id=person.id, year=year)
    page, export = VIEWER_ENDPOINTS[viewer]
    context: dict[str, object] = {}
    if viewer == "self" and found is not None and found.status == "draft":
        context["competencies"] = session.execute(
            select(Competency.code, Competency.name).order_by(Competency.code)
        ).all()
        context["courses"] = session.execute(
            select(Course.slug, CourseVersion.title)
            .join(CourseVersion, CourseVersion.id == Course.current_version_id)
            .where(Course.archived_at.is_(None))
            .order_by(CourseVersion.title)
        ).all()
    return render_template(
        "elearn/plans/plan.html",
        person=person,
        year=year,
        plan=found,
        items=plans.item_views(session, found) if found is not None else [],
        years=plans.years_of(session, person_id=person.id),
        viewer=viewer,
        page_endpoint=page,
        address=_address(viewer, person, year),
        export_url=lambda fmt: url_for(export, format=fmt, **_address(viewer, person, year)),
        **context,
    )


def plan_download(person: Person, year: int) -> BaseResponse:
    """The plan as CSV, XLSX or PDF (`?format=`); audited as `export.plan` and never cached."""
    session = db_session()
    year_or_404(year)
    found = plans.plan_of(session, person_id=person.id, year=year)
    if found is None:
        abort(404)
    items = plans.item_views(session, found)
    basename = f"rencana-pengembangan-{person.nip}-{year}"
    filters = {"person": str(person.id), "year": str(year)}
    if request.args.get("format") != "pdf":
        header = [str(title) for title in PLAN_HEADER]
        return personal_data_download(
            EXPORT_ACTION, basename, header, plan_rows(person, found, items), filters=filters
        )
    document = plan_pdf(person, found, items)
    audit.record(
        session,
        actor=current_user._get_current_object(),
        action=EXPORT_ACTION,
        target=found,
        ip=request.remote_addr,
        format="pdf",
        filters=filters,
    )
    session.commit()
    response = Response(
        document,
        mimetype="application/pdf",
        headers={"Content-Disposition": content_disposition(f"{basename}.pdf")},
    )
    return security.forbid_caching(response)
