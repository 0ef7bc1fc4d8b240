"""Administrator pages of the competency framework and the position standards (SKJ): the framework list, one
competency with its levels, adding and editing technical competencies, the positions list, one position's
standard with its set and remove forms, and the CSV/YAML imports of both.

Views parse the form and call `elearn.services.framework` or `elearn.services.framework_import`, which check the
rules, audit, and rebuild the standings a change touches; a refused change comes back on the same page with its
message, and nothing is saved. An import runs within the request (framework and SKJ files are small next to a
people file; `flask elearn competency import-standards` takes any size) and shows every located problem.
"""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from werkzeug.wrappers import Response

from elearn.admin.blueprint import bp
from elearn.admin.framework_forms import CompetencyForm, StandardForm, apply_framework_problems
from elearn.competency.files import FRAMEWORK_COLUMNS, STANDARD_COLUMNS, parse_framework, parse_standards
from elearn.competency_labels import COMPETENCY_KIND_LABELS, POSITION_KIND_LABELS
from elearn.database_errors import describe_database_error
from elearn.listing import keyset_page, paginate
from elearn.models import Competency, Person, Position
from elearn.orgdata import Limits, display_value
from elearn.services import framework
from elearn.services.competency import ADMIN_SOURCE, DICTIONARY_SOURCE
from elearn.services.framework import FieldProblem, FrameworkEditRefused, FrameworkProblem
from elearn.services.framework_import import FrameworkImportReport, import_framework, import_standards
from elearn.state import clock, db_session

Page = str | tuple[str, int]

IMPORT_TITLES = {
    "framework": _l("Impor kompetensi teknis"),
    "standards": _l("Impor standar kompetensi jabatan"),
}
IMPORT_ENDPOINTS = {
    "framework": "elearn.admin.import_competencies",
    "standards": "elearn.admin.import_position_standards",
}
IMPORT_COLUMNS = {"framework": FRAMEWORK_COLUMNS, "standards": STANDARD_COLUMNS}


def _admin() -> Person:
    """The signed-in administrator as a model object (the proxy is not a Person)."""
    return current_user._get_current_object()


def source_label(competency: Competency) -> str:
    """Who owns a competency's definition, in words."""
    if competency.source == DICTIONARY_SOURCE:
        return _("Kamus nasional (PermenPAN-RB 38/2017)")
    if competency.source == ADMIN_SOURCE:
        return _("Administrator")
    return _("Kursus %(slug)s", slug=competency.source)


# The framework.


@bp.get("/kompetensi")
def competencies() -> str:
    """The framework: every competency by code; filter by kind, search code (prefix) or name; paged."""
    kind = request.args.get("jenis", "")
    query = request.args.get("q", "")
    pagination = paginate(framework.competencies(kind, query))
    return render_template(
        "elearn/admin/competencies.html",
        pagination=pagination,
        kind=kind if kind in COMPETENCY_KIND_LABELS else "",
        query=query,
        kind_labels=COMPETENCY_KIND_LABELS,
        source_label=source_label,
    )


def _competency_or_404(competency_id: int) -> Competency:
    found = framework.competency_with_levels(db_session(), competency_id)
    if found is None:
        abort(404)
    return found


@bp.get("/kompetensi/<int:competency_id>")
def competency(competency_id: int) -> str:
    """One competency: definition, and each level's description and indicators."""
    shown = _competency_or_404(competency_id)
    return render_template(
        "elearn/admin/competency.html",
        competency=shown,
        kind_labels=COMPETENCY_KIND_LABELS,
        source=source_label(shown),
        editable=framework.is_editable(shown),
        from_course=framework.owned_by_course(shown),
    )


@bp.route("/kompetensi/baru", methods=["GET", "POST"])
def new_competency() -> Page | Response:
    """Add a technical competency."""
    return _competency_form(None)


@bp.route("/kompetensi/<int:competency_id>/ubah", methods=["GET", "POST"])
def edit_competency(competency_id: int) -> Page | Response:
    """Edit a technical competency that administrators keep (the dictionary's and courses' are not edited here)."""
    shown = _competency_or_404(competency_id)
    if not framework.is_editable(shown):
        abort(404)
    return _competency_form(shown)


def _competency_form(shown: Competency | None) -> Page | Response:
    form = CompetencyForm(data=_current_values(shown) if shown is not None else None)
    if form.validate_on_submit():
        session = db_session()
        try:
            saved = framework.save_technical(
                session,
                competency=shown,
                code=form.code.data or "",
                name=form.name.data or "",
                definition=form.definition.data or "",
                levels=form.levels(),
                actor=_admin(),
                now=clock().now(),
                ip=request.remote_addr,
            )
            session.commit()
        except FrameworkEditRefused as refused:
            session.rollback()
            apply_framework_problems(form, refused.problems)
        except IntegrityError:
            # Another request took the code between the check and the commit.
            session.rollback()
            apply_framework_problems(form, [FieldProblem("code", FrameworkProblem.CODE_TAKEN)])
        else:
            flash(_("Kompetensi %(code)s disimpan.", code=saved.code), "success")
            return redirect(url_for("elearn.admin.competency", competency_id=saved.id))
    status = 400 if request.method == "POST" else 200
    return render_template("elearn/admin/competency_edit.html", form=form, competency=shown), status


def _current_values(competency: Competency) -> dict[str, str]:
    values = {"code": competency.code, "name": competency.name, "definition": competency.definition}
    for level in competency.levels:
        values[f"level_{level.level}"] = level.description
        values[f"indicators_{level.level}"] = "\n".join(str(item) for item in level.indicators)
    return values


# Positions and their standards.


@bp.get("/jabatan")
def positions() -> str:
    """Every position by name (keyset pages), searchable by code (prefix) or name, with its standard's size."""
    session = db_session()
    query = request.args.get("q", "")
    page = keyset_page(session, framework.positions(query), (Position.name, Position.id))
    return render_template(
        "elearn/admin/positions.html",
        page=page,
        query=query,
        sizes=framework.standard_sizes(session, [position.id for position in page.items]),
        kind_labels=POSITION_KIND_LABELS,
    )


def _position_or_404(position_id: int) -> Position:
    found = db_session().get(Position, position_id)
    if found is None:
        abort(404)
    return found


def _standard_page(position: Position, form: StandardForm, *, status: int = 200) -> tuple[str, int]:
    session = db_session()
    form.offer(framework.competency_choices(session))
    page = render_template(
        "elearn/admin/position_standard.html",
        position=position,
        lines=framework.standard_of(session, position.id),
        holders=framework.holder_count(session, position.id),
        form=form,
        kind_labels=COMPETENCY_KIND_LABELS,
        position_kind_labels=POSITION_KIND_LABELS,
    )
    return page, status


@bp.get("/jabatan/<int:position_id>/standar")
def position_standard(position_id: int) -> Page:
    """One position's standard (SKJ): each competency and its required level, with the set and remove forms."""
    return _standard_page(_position_or_404(position_id), StandardForm())


@bp.post("/jabatan/<int:position_id>/standar")
def set_standard(position_id: int) -> Page | Response:
    """Require a competency at a level (a competency already in the standard gets the new level)."""
    position = _position_or_404(position_id)
    form = StandardForm()
    if form.validate_on_submit():
        changed = _change_standard(position, form, form.chosen_competency(), form.chosen_level())
        if changed is not None:
            return changed
    return _standard_page(position, form, status=400)


@bp.post("/jabatan/<int:position_id>/standar/<int:competency_id>/hapus")
def remove_standard(position_id: int, competency_id: int) -> Page | Response:
    """Remove a competency from the position's standard."""
    position = _position_or_404(position_id)
    form = StandardForm(formdata=None)
    changed = _change_standard(position, form, competency_id, None)
    if changed is not None:
        return changed
    return _standard_page(position, form, status=400)


def _change_standard(
    position: Position, form: StandardForm, competency_id: int | None, level: int | None
) -> Response | None:
    """Apply one change of the standard; None (with the form's errors set) when it is refused."""
    session = db_session()
    try:
        changed = framework.set_required_level(
            session,
            position,
            competency_id=competency_id,
            level=level,
            actor=_admin(),
            now=clock().now(),
            ip=request.remote_addr,
        )
    except FrameworkEditRefused as refused:
        session.rollback()
        apply_framework_problems(form, refused.problems)
        return None
    session.commit()
    if not changed:
        flash(_("Tidak ada yang diubah."), "info")
    elif level is None:
        flash(_("Kompetensi dihapus dari standar jabatan ini."), "success")
    else:
        flash(_("Standar jabatan disimpan; nilai JPM pemegang jabatan ini diperbarui."), "success")
    return redirect(url_for("elearn.admin.position_standard", position_id=position.id))


# Imports.


@bp.route("/kompetensi/impor", methods=["GET", "POST"])
def import_competencies() -> Page:
    """Upload a CSV or YAML file of technical competencies; check only, or import (all or nothing)."""
    return _import_page("framework")


@bp.route("/jabatan/impor", methods=["GET", "POST"])
def import_position_standards() -> Page:
    """Upload a CSV or YAML file of position standards; check only, or import (all or nothing)."""
    return _import_page("standards")


def _import_page(kind: str) -> Page:
    if request.method == "GET":
        return _import_template(kind, None)
    uploaded = request.files.get("file")
    if uploaded is None or not uploaded.filename:
        flash(_("Pilih berkas CSV atau YAML yang akan diimpor."), "error")
        return _import_template(kind, None), 400
    limit = int(current_app.config["ELEARN_IMPORT_MAX_BYTES"])
    data = uploaded.stream.read(limit + 1)
    limits = Limits.from_config(current_app.config)
    source = Path(uploaded.filename).name[:100]
    check_only = request.form.get("periksa") == "1"
    session = db_session()
    try:
        if kind == "framework":
            report = import_framework(
                session,
                parse_framework(data, source=source, limits=limits),
                dry_run=check_only,
                actor=_admin(),
                ip=request.remote_addr,
            )
        else:
            report = import_standards(
                session,
                parse_standards(data, source=source, limits=limits),
                dry_run=check_only,
                actor=_admin(),
                ip=request.remote_addr,
            )
        if report.applied:
            session.commit()
        else:
            session.rollback()
    except SQLAlchemyError as error:
        session.rollback()
        current_app.logger.exception("competency import failed")
        flash(
            _(
                "Impor gagal karena kesalahan basis data (%(detail)s); tidak ada yang disimpan.",
                detail=describe_database_error(error),
            ),
            "error",
        )
        return _import_template(kind, None), 500
    return _import_template(kind, report), 400 if report.refused else 200


def _import_template(kind: str, report: FrameworkImportReport | None) -> str:
    return render_template(
        "elearn/admin/framework_import.html",
        kind=kind,
        title=IMPORT_TITLES[kind],
        columns=IMPORT_COLUMNS[kind],
        report=report,
        show=display_value,
        action=url_for(IMPORT_ENDPOINTS[kind]),
    )
