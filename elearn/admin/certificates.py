"""Administrator pages for certificates (find by serial or NIP, see the status, revoke with a reason) and the
organisation-wide training-history export."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from elearn import jp
from elearn.admin.blueprint import bp
from elearn.certificate_sheet import verification_url
from elearn.events import commit
from elearn.listing import filtered_people
from elearn.models import Certificate, Person
from elearn.scope import people_visible_to, units_visible_to
from elearn.services import certificates
from elearn.state import clock, db_session
from elearn.training_export import training_history_export

SEARCH_LIMIT = 50


class RevokeForm(FlaskForm):
    """Why the certificate stops being valid (kept in the audit log and shown to its holder)."""

    reason = TextAreaField(
        _l("Alasan pencabutan"),
        validators=[DataRequired(message=_l("Tulis alasan pencabutan.")), Length(max=1000)],
    )


def _admin() -> Person:
    return current_user._get_current_object()


@bp.get("/sertifikat")
def certificates_page() -> str:
    """Certificates found by serial or by the holder's NIP."""
    query = request.args.get("q", "").strip()[:60]
    return render_template(
        "elearn/admin/certificates.html",
        query=query,
        found=certificates.search(db_session(), query, limit=SEARCH_LIMIT),
    )


def _certificate_or_404(certificate_id: int) -> Certificate:
    found = db_session().get(Certificate, certificate_id)
    if found is None:
        abort(404)
    return found


@bp.get("/sertifikat/<int:certificate_id>")
def certificate(certificate_id: int) -> str:
    """One certificate: what it says, whether it is valid, and the revocation form."""
    found = _certificate_or_404(certificate_id)
    return render_template(
        "elearn/admin/certificate.html",
        certificate=found,
        form=RevokeForm(),
        public_url=verification_url(found.serial),
    )


@bp.post("/sertifikat/<int:certificate_id>/cabut")
def revoke_certificate(certificate_id: int) -> str | tuple[str, int] | Response:
    """Revoke with a reason (audited as `certificate.revoke`); the public page says revoked from now on."""
    found = _certificate_or_404(certificate_id)
    form = RevokeForm()
    if not form.validate_on_submit():
        page = render_template(
            "elearn/admin/certificate.html",
            certificate=found,
            form=form,
            public_url=verification_url(found.serial),
        )
        return page, 400
    session = db_session()
    revoked = certificates.revoke(
        session,
        certificate=found,
        by=_admin(),
        reason=form.reason.data.strip(),
        now=clock().now(),
        timezone=clock().timezone,
        ip=request.remote_addr,
    )
    commit(session)
    if revoked:
        flash(_("Sertifikat dicabut; halaman verifikasinya kini menyatakan dicabut."), "success")
    else:
        flash(_("Sertifikat ini sudah dicabut sebelumnya."), "info")
    return redirect(url_for("elearn.admin.certificate", certificate_id=certificate_id))


@bp.get("/riwayat-pelatihan/ekspor")
def export_training_history() -> Response:
    """Everyone's (or a unit subtree's) training history for `?tahun=`, CSV or XLSX; audited."""
    people, _unit = filtered_people(
        db_session(), people_visible_to(_admin(), today=clock().today()), units_visible_to(_admin())
    )
    filters = {name: request.args[name] for name in ("q", "unit") if request.args.get(name)}
    return training_history_export("riwayat-pelatihan", people, year=jp.requested_year(), filters=filters)
