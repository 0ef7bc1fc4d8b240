"""A stored certificate as its printed texts in one language: what the PDF and the printable page both show."""

from __future__ import annotations

from babel.dates import format_date
from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from elearn.certificates.pdf import CertificateSheet
from elearn.certificates.serial import display
from elearn.i18n import format_number
from elearn.models import Certificate
from elearn.state import clock


def verification_url(serial: str) -> str:
    """The public address that confirms this certificate (under ELEARN_PUBLIC_URL when set)."""
    path = url_for("elearn.verification.certificate", serial=display(serial))
    public = (current_app.config["ELEARN_PUBLIC_URL"] or "").rstrip("/")
    if not public:
        return url_for("elearn.verification.certificate", serial=display(serial), _external=True)
    prefix = current_app.config["ELEARN_URL_PREFIX"].rstrip("/")
    return public + path.removeprefix(prefix)


def competency_lines(certificate: Certificate, language: str) -> tuple[str, ...]:
    """Each competency the course proves with its level, named in `language` where the dictionary has it."""
    lines = []
    for competency in certificate.competencies:
        name = (competency.get("name_en") if language == "en" else None) or competency["name"]
        lines.append(
            _(
                "%(code)s %(name)s, level %(level)d",
                code=competency["code"],
                name=name,
                level=competency["level"],
            )
        )
    return tuple(lines)


def certificate_sheet(certificate: Certificate, language: str) -> CertificateSheet:
    """Every text of `certificate` in `language` (`id` or `en`)."""
    with force_locale(language):
        completed_on = clock().local(certificate.issued_at).date()
        identifier = _("NI PPPK") if certificate.holder_id_kind == "ni_pppk" else _("NIP")
        return CertificateSheet(
            language=language,
            issuer=current_app.config["ELEARN_ISSUER_NAME"],
            title=_("SERTIFIKAT"),
            given_to=_("diberikan kepada"),
            holder_name=certificate.holder_name,
            holder_id=f"{identifier} {certificate.holder_nip}",
            completed=_("yang telah menyelesaikan kursus"),
            course_title=certificate.course_title,
            facts=_(
                "versi %(number)d · %(jp)s JP · %(date)s",
                number=certificate.version_number,
                jp=format_number(certificate.jp),
                date=format_date(completed_on, format="long", locale=language),
            ),
            competencies_heading=_("Kompetensi yang dibuktikan"),
            competencies=competency_lines(certificate, language),
            serial_label=_("Nomor seri"),
            serial=display(certificate.serial),
            verify_label=_("Periksa keaslian sertifikat ini di"),
            verify_url=verification_url(certificate.serial),
            issued_at=certificate.issued_at,
            revoked=_("DICABUT") if certificate.revoked_at else "",
        )
