"""Admin upload of organisation files: upload, preview every problem, then confirm to apply.

Between the two steps the uploaded bytes wait in the database (`elearn.services.pending_import`), so the confirm
may reach any app server; the confirm form carries only a token, so the data applied is exactly the data previewed.
"""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext, ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from elearn.admin.blueprint import bp
from elearn.models import Person
from elearn.orgdata import FILE_KINDS, Limits, ParsedFile, display_value, parse_file
from elearn.services import org_import, pending_import
from elearn.services.org_import import ImportReport, KindCounts
from elearn.state import clock, db_session

KIND_LABELS = {
    "units": lazy_pgettext("plural", "Unit kerja"),
    "positions": lazy_pgettext("plural", "Jabatan"),
    "people": lazy_pgettext("plural", "Pegawai"),
    "mentorships": _l("Bimbingan mentor"),
}


def _parse(kind: str, filename: str, data: bytes) -> ParsedFile:
    limits = Limits.from_config(current_app.config)
    return parse_file(kind, data, source=filename, limits=limits, today=clock().today())


def _render_preview(parsed: ParsedFile, report: ImportReport, *, token: str | None) -> str:
    """The preview page; without a token it offers no confirm button."""
    return render_template(
        "elearn/admin/import_preview.html",
        token=token,
        parsed=parsed,
        report=report,
        kind_labels=KIND_LABELS,
        show=display_value,
    )


@bp.route("/import", methods=["GET", "POST"])
def import_org() -> str | tuple[str, int]:
    """Upload one CSV file of a chosen kind; answer with a preview of what importing it would do."""
    if request.method == "GET":
        return render_template("elearn/admin/import.html", kind_labels=KIND_LABELS)
    kind = request.form.get("kind", "")
    uploaded = request.files.get("file")
    if kind not in FILE_KINDS or uploaded is None or not uploaded.filename:
        flash(_("Pilih jenis berkas dan berkas CSV yang akan diimpor."), "error")
        return render_template("elearn/admin/import.html", kind_labels=KIND_LABELS), 400
    filename = Path(uploaded.filename).name[:100]
    data = uploaded.stream.read(int(current_app.config["ELEARN_IMPORT_MAX_BYTES"]) + 1)
    parsed = _parse(kind, filename, data)
    report = _run_import(parsed, dry_run=True)
    token = None
    if not report.refused:
        token = pending_import.store(
            db_session(), owner=_admin(), kind=kind, filename=filename, data=data, now=clock().now()
        )
        db_session().commit()
    return _render_preview(parsed, report, token=token)


@bp.post("/import/confirm")
def import_org_confirm() -> str | Response:
    """Apply a previewed upload once; the database is checked again, so a change since the preview refuses it."""
    session = db_session()
    now = clock().now()
    upload = pending_import.load(session, token=request.form.get("token", ""), owner=_admin(), now=now)
    if upload is None:
        abort(404)
    if upload.applied_at is not None or not pending_import.claim(session, upload.token, now=now):
        session.rollback()
        flash(_("Berkas ini sudah disimpan ke basis data; tidak diimpor dua kali."), "warning")
        return redirect(url_for("elearn.admin.import_org"))
    parsed = _parse(upload.kind, upload.filename, upload.data)
    report = _run_import(parsed, dry_run=False)
    if report.refused:
        session.rollback()
        pending_import.discard(session, upload.token)
        session.commit()
        return _render_preview(parsed, report, token=None)
    session.commit()
    _flash_applied(report.counts[upload.kind])
    return redirect(url_for("elearn.admin.import_org"))


def _flash_applied(counts: KindCounts) -> None:
    """Tell the administrator what the import changed, on the page the redirect lands on."""
    flash(
        _(
            "Impor selesai: %(created)s baru, %(updated)s diubah, %(unchanged)s tetap.",
            created=counts.created,
            updated=counts.updated,
            unchanged=counts.unchanged,
        ),
        "success",
    )
    if counts.roles_granted:
        granted = ngettext(
            "%(num)d pegawai diberi peran mentor.",
            "%(num)d pegawai diberi peran mentor.",
            counts.roles_granted,
        )
        flash(granted, "success")


def _admin() -> Person:
    """The signed-in administrator as a model object (the proxy is not a Person)."""
    return current_user._get_current_object()


def _run_import(parsed: ParsedFile, *, dry_run: bool) -> ImportReport:
    """Run the import service for the signed-in administrator."""
    return org_import.import_org(
        db_session(),
        files=[parsed],
        today=clock().today(),
        dry_run=dry_run,
        actor=_admin(),
        ip=request.remote_addr,
    )
