"""The employee's JP ledger: a year's JP from courses and external training, recording external training with its
proof, withdrawing a record, the proof file, and the year's training history as a download."""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from elearn import jp
from elearn.clock import year_bounds
from elearn.events import commit
from elearn.export import content_disposition
from elearn.learner.blueprint import bp
from elearn.learner.context import me
from elearn.learner.training_forms import ExternalTrainingForm
from elearn.ledger.proof import ACCEPTED, ProofProblem, ProofType, proof_type
from elearn.models import Person
from elearn.services import audit, progress, training
from elearn.state import clock, db_session
from elearn.training_export import training_history_export
from elearn.training_labels import KIND_LABELS

PROOF_NAME_LENGTH = 100
EXTENSIONS = {accepted.media_type: accepted.extension for accepted in ACCEPTED}


def proof_problem_message(problem: ProofProblem) -> str:
    """Why a proof file was refused, in the reader's language."""
    megabytes = int(current_app.config["ELEARN_PROOF_MAX_BYTES"]) / (1024 * 1024)
    return {
        ProofProblem.EMPTY: _("Pilih berkas bukti (PDF, JPEG atau PNG)."),
        ProofProblem.TOO_LARGE: _(
            "Berkas bukti terlalu besar: paling besar %(size)s MB.", size=f"{megabytes:g}"
        ),
        ProofProblem.NOT_ACCEPTED: _(
            "Berkas bukti harus PDF, JPEG atau PNG. Isi berkas ini bukan salah satunya, apa pun nama berkasnya."
        ),
        ProofProblem.INCOMPLETE: _(
            "Berkas bukti tidak utuh (terpotong saat diunggah). Unggah ulang berkasnya."
        ),
    }[problem]


@bp.get("/jp")
def ledger() -> str:
    """One year's JP: the bar (approved, pending), completed courses with certificates, external training."""
    session = db_session()
    person = me()
    year = jp.requested_year()
    courses = progress.completions_of(
        session, person_id=person.id, within=year_bounds(year, clock().timezone)
    )
    return render_template(
        "elearn/learner/ledger.html",
        year=year,
        this_year=clock().today().year,
        standing=jp.standing_of(session, person, year),
        courses=courses,
        records=training.records_of(session, person_id=person.id, year=year),
        kind_labels=KIND_LABELS,
    )


def _uploaded_proof(form: ExternalTrainingForm) -> training.ProofUpload | None:
    """The proof sent with the form when its content is PDF, JPEG or PNG; else the reason goes on the field."""
    uploaded = form.proof.data
    limit = int(current_app.config["ELEARN_PROOF_MAX_BYTES"])
    data = uploaded.stream.read(limit + 1) if uploaded else b""
    found = proof_type(data, max_bytes=limit)
    if not isinstance(found, ProofType):
        form.proof.errors = [*form.proof.errors, proof_problem_message(found)]
        return None
    name = Path(uploaded.filename or "").name[:PROOF_NAME_LENGTH] or f"bukti.{found.extension}"
    return training.ProofUpload(data=data, filename=name, type=found)


@bp.route("/pelatihan/baru", methods=["GET", "POST"])
def record_training() -> str | tuple[str, int] | Response:
    """Record external training with its proof; it counts once the supervisor approves it."""
    form = ExternalTrainingForm(today=clock().today())
    if request.method == "GET":
        return render_template("elearn/learner/training_form.html", form=form)
    fields_ok = form.validate_on_submit()
    proof = _uploaded_proof(form)
    if not fields_ok or proof is None:
        return render_template("elearn/learner/training_form.html", form=form), 400
    session = db_session()
    entry = form.entry()
    training.propose(
        session, person=me(), entry=entry, proof=proof, now=clock().now(), ip=request.remote_addr
    )
    commit(session)
    flash(_("Pelatihan dicatat dan menunggu persetujuan atasan Anda."), "success")
    return redirect(url_for("elearn.learner.ledger", tahun=entry.ends_on.year))


@bp.post("/pelatihan/<int:training_id>/tarik")
def withdraw_training(training_id: int) -> Response:
    """Take back one's own record while it waits for a decision or after it was rejected."""
    session = db_session()
    if not training.withdraw(session, person=me(), training_id=training_id, ip=request.remote_addr):
        abort(404)
    commit(session)
    flash(_("Catatan pelatihan ditarik."), "info")
    return redirect(url_for("elearn.learner.ledger", tahun=request.form.get("tahun", type=int)))


@bp.get("/pelatihan/<int:training_id>/bukti")
def training_proof(training_id: int) -> Response:
    """The proof file, to whoever may see its person; always a download, never shown in the page's origin."""
    session = db_session()
    viewer: Person = me()
    found = training.proof_visible_to(session, viewer, training_id, today=clock().today())
    if found is None:
        abort(404)
    proof, owner_id = found
    if owner_id != viewer.id:
        audit.record(
            session,
            actor=viewer,
            action="training.proof_view",
            ip=request.remote_addr,
            training_id=training_id,
            owner_id=owner_id,
        )
        session.commit()
    extension = EXTENSIONS.get(proof.media_type, "bin")
    response = Response(proof.data, mimetype=proof.media_type)
    response.headers["Content-Disposition"] = content_disposition(
        f"bukti-pelatihan-{training_id}.{extension}"
    )
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/jp/ekspor")
def export_my_history() -> Response:
    """My training history of a year (what counts) as CSV or XLSX, in the national HR system's shape."""
    mine = select(Person).where(Person.id == me().id)
    return training_history_export("riwayat-pelatihan-saya", mine, year=jp.requested_year(), filters={})
