"""Admin upload of organisation files: upload, watch the check, read the preview with every problem, confirm,
watch the import, read its counts.

The check (a dry run) and the import run as jobs outside the HTTP request (`elearn.import_runner`); their state
and progress live in the database, so the job page may be served by any app server. It reloads itself every
few seconds (a `Refresh` header: no JavaScript) until the job is finished. Only the administrator who uploaded
a file sees its jobs; any other job id answers 404.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_login import current_user
from werkzeug.wrappers import Response

from elearn import import_runner
from elearn.admin.blueprint import bp
from elearn.models import JobMode, JobStatus, Person
from elearn.orgdata import FILE_KINDS, display_value
from elearn.services import import_jobs, pending_import
from elearn.state import clock, db_session

KIND_LABELS = {
    "units": lazy_pgettext("plural", "Unit kerja"),
    "positions": lazy_pgettext("plural", "Jabatan"),
    "people": lazy_pgettext("plural", "Pegawai"),
    "mentorships": _l("Bimbingan mentor"),
}
STAGE_LABELS = {
    "read": _l("Membaca berkas"),
    "check": _l("Memeriksa baris terhadap basis data"),
    "write": _l("Menyimpan ke basis data"),
}
REFRESH_SECONDS = 2


@bp.route("/import", methods=["GET", "POST"])
def import_org() -> str | tuple[str, int] | Response:
    """Upload one CSV file of a chosen kind; its check runs as a job, whose page the browser is sent to."""
    if request.method == "GET":
        return render_template("elearn/admin/import.html", kind_labels=KIND_LABELS)
    kind = request.form.get("kind", "")
    uploaded = request.files.get("file")
    if kind not in FILE_KINDS or uploaded is None or not uploaded.filename:
        flash(_("Pilih jenis berkas dan berkas CSV yang akan diimpor."), "error")
        return render_template("elearn/admin/import.html", kind_labels=KIND_LABELS), 400
    limit = int(current_app.config["ELEARN_IMPORT_MAX_BYTES"])
    data = uploaded.stream.read(limit + 1)
    if len(data) > limit:
        flash(
            _("Berkas lebih besar dari batas %(limit)s byte; bagi menjadi beberapa berkas.", limit=limit),
            "error",
        )
        return render_template("elearn/admin/import.html", kind_labels=KIND_LABELS), 400
    session, now = db_session(), clock().now()
    upload = pending_import.store(
        session, owner=_admin(), kind=kind, filename=Path(uploaded.filename).name[:100], data=data, now=now
    )
    job = import_jobs.queue(session, upload=upload, mode=JobMode.CHECK, ip=request.remote_addr, now=now)
    session.commit()
    import_runner.wake(_this_app())
    return redirect(url_for("elearn.admin.import_job", job_id=job.id))


@bp.get("/import/tugas/<int:job_id>")
def import_job(job_id: int) -> Response:
    """A check or import job: its progress while it runs (the page reloads itself), then its outcome."""
    app = _this_app()
    job = import_jobs.owned_job(db_session(), job_id=job_id, owner=_admin())
    if job is None:
        abort(404)
    view = import_jobs.describe(job, now=clock().now(), stale_after=import_runner.stale_after(app))
    auto_refresh = request.args.get("otomatis") != "0"
    if view.status == JobStatus.QUEUED.value:
        # Any server showing a waiting job offers to run it, so a job whose server went away still runs.
        import_runner.wake(app)
    page = render_template(
        "elearn/admin/import_job.html",
        job=view,
        kind_labels=KIND_LABELS,
        stage_labels=STAGE_LABELS,
        auto_refresh=auto_refresh,
        refresh_seconds=REFRESH_SECONDS,
        worker_needed=not app.config["ELEARN_IMPORT_JOBS_IN_APP"],
        show=display_value,
    )
    response = Response(page, mimetype="text/html")
    if auto_refresh and not view.finished:
        response.headers["Refresh"] = str(REFRESH_SECONDS)
    return response


@bp.post("/import/tugas/<int:job_id>/simpan")
def import_job_confirm(job_id: int) -> Response:
    """Import a checked upload once, as a new job; the database is checked again, so a change since the check
    refuses it. A second confirm (from any server) imports nothing and leads to the first one's job."""
    session, now = db_session(), clock().now()
    job = import_jobs.owned_job(session, job_id=job_id, owner=_admin())
    if job is None:
        abort(404)
    view = import_jobs.describe(job, now=now, stale_after=import_runner.stale_after(current_app))
    if view.mode != JobMode.CHECK.value or view.result is None or view.result.refused:
        abort(404)
    if not pending_import.confirm(session, upload_id=job.upload_id, now=now):
        session.rollback()
        flash(_("Berkas ini sudah disimpan ke basis data; tidak diimpor dua kali."), "warning")
        started = import_jobs.apply_job_of(session, job.upload_id)
        target = started.id if started is not None else job.id
        return redirect(url_for("elearn.admin.import_job", job_id=target))
    applying = import_jobs.queue(
        session, upload=job.upload, mode=JobMode.APPLY, ip=request.remote_addr, now=now
    )
    session.commit()
    import_runner.wake(_this_app())
    return redirect(url_for("elearn.admin.import_job", job_id=applying.id))


def _this_app() -> Flask:
    """The app behind `current_app`, for the background runner (the proxy ends with the request)."""
    return current_app._get_current_object()  # type: ignore[attr-defined]  # typed as Flask, is a LocalProxy


def _admin() -> Person:
    """The signed-in administrator as a model object (the proxy is not a Person)."""
    return current_user._get_current_object()
