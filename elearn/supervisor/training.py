"""Supervisor pages of the JP ledger: external training waiting for a decision, one record with its proof and the
approve/reject forms, a person's year, and the training-history exports of a unit subtree or one person.

Records come from `services.training.decidable_by` (people in the subtrees the supervisor heads, never their own),
people from `scope.people_supervised_by`; anything else is a 404.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from elearn import jp
from elearn.events import commit
from elearn.listing import filtered_people, paginate
from elearn.models import ExternalTraining, Person
from elearn.scope import people_supervised_by, person_among_or_404, units_supervised_by
from elearn.services import training
from elearn.state import clock, db_session
from elearn.supervisor.views import bp
from elearn.training_export import training_history_export
from elearn.training_labels import KIND_LABELS

REASON_LENGTH = 1000


class DecisionForm(FlaskForm):
    """Approve, or reject with a reason the employee will read."""

    decision = RadioField(
        _l("Keputusan"),
        choices=[SelectChoice("approve", _l("Setujui")), SelectChoice("reject", _l("Tolak"))],
        validators=[DataRequired(message=_l("Pilih setujui atau tolak."))],
    )
    reason = TextAreaField(_l("Alasan (wajib bila ditolak)"), validators=[Length(max=REASON_LENGTH)])

    def validate_reason(self, field: TextAreaField) -> None:
        if self.decision.data == "reject" and not (field.data or "").strip():
            raise ValidationError(_l("Tulis alasan penolakan agar pegawai tahu apa yang perlu diperbaiki."))


def _viewer() -> Person:
    return current_user._get_current_object()


@bp.get("/pelatihan")
def pending_training() -> str:
    """External training waiting for my decision, oldest first, paged."""
    return render_template(
        "elearn/supervisor/pending.html",
        pagination=paginate(training.pending_for(_viewer())),
        kind_labels=KIND_LABELS,
    )


def _record_or_404(training_id: int) -> ExternalTraining:
    record = training.decidable_or_none(db_session(), _viewer(), training_id)
    if record is None:
        abort(404)
    return record


@bp.get("/pelatihan/<int:training_id>")
def training_record(training_id: int) -> str:
    """One record of a person in my units, its proof, and the decision form while it waits."""
    record = _record_or_404(training_id)
    return render_template(
        "elearn/supervisor/training.html", record=record, form=DecisionForm(), kind_labels=KIND_LABELS
    )


@bp.post("/pelatihan/<int:training_id>/keputusan")
def decide_training(training_id: int) -> str | tuple[str, int] | Response:
    """Approve or reject a waiting record (a reason is needed to reject); a record decided meanwhile is kept."""
    record = _record_or_404(training_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        page = render_template(
            "elearn/supervisor/training.html", record=record, form=form, kind_labels=KIND_LABELS
        )
        return page, 400
    session = db_session()
    approve = form.decision.data == "approve"
    decided = training.decide(
        session,
        record=record,
        decider=_viewer(),
        approve=approve,
        reason=(form.reason.data or "").strip(),
        now=clock().now(),
        ip=request.remote_addr,
    )
    commit(session)
    if not decided:
        flash(_("Catatan ini sudah diputuskan sebelumnya; keputusan Anda tidak disimpan."), "warning")
    elif approve:
        flash(_("Pelatihan disetujui; JP-nya kini dihitung."), "success")
    else:
        flash(_("Pelatihan ditolak; pegawai melihat alasan Anda."), "info")
    return redirect(url_for("elearn.supervisor.pending_training"))


@bp.get("/riwayat-pelatihan/ekspor")
def export_unit_history() -> Response:
    """The training history of my units (or the subtree of `?unit=`) for `?tahun=`, CSV or XLSX; audited."""
    people, _unit = filtered_people(
        db_session(), people_supervised_by(_viewer()), units_supervised_by(_viewer())
    )
    filters = {name: request.args[name] for name in ("q", "unit") if request.args.get(name)}
    return training_history_export(
        "riwayat-pelatihan-unit", people, year=jp.requested_year(), filters=filters
    )


@bp.get("/orang/<int:person_id>/riwayat-pelatihan/ekspor")
def export_person_history(person_id: int) -> Response:
    """One person's training history for `?tahun=` (a person in my units only)."""
    people = people_supervised_by(_viewer())
    shown = person_among_or_404(db_session(), people, person_id)
    return training_history_export(
        f"riwayat-pelatihan-{shown.nip}",
        people.where(Person.id == shown.id),
        year=jp.requested_year(),
        filters={"person": str(shown.id)},
    )
