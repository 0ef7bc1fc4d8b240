"""A certificate as its holder (or anyone who may see the holder) opens it: the printable page and the PDF.

The PDF is drawn on request from the stored certificate (about 0.25 s on this 2-core machine), never from course
Markdown; a revoked certificate prints "DICABUT" under its title.
"""

from __future__ import annotations

import segno
from flask import Response, abort, render_template
from markupsafe import Markup
from werkzeug.wrappers import Response as BaseResponse

from elearn import security
from elearn.certificate_sheet import certificate_sheet
from elearn.certificates.pdf import render_pdf
from elearn.export import content_disposition
from elearn.i18n import select_locale
from elearn.learner.blueprint import bp
from elearn.learner.context import me
from elearn.models import Certificate
from elearn.services import certificates
from elearn.state import clock, db_session

QR_SCALE = 4


def _certificate_or_404(serial: str) -> Certificate:
    found = certificates.visible_or_none(db_session(), me(), serial, today=clock().today())
    if found is None:
        abort(404)
    return found


def qr_svg(text: str) -> Markup:
    """`text` as an inline SVG QR code (no style attributes, so the page's CSP allows it)."""
    code = segno.make(text, error="m", micro=False)
    return Markup(code.svg_inline(scale=QR_SCALE, omitsize=True, svgclass="qr-code", lineclass=None))  # noqa: S704


@bp.get("/sertifikat/<serial>")
def certificate(serial: str) -> str:
    """The printable certificate (the browser's print prints just the certificate) with its PDF downloads."""
    found = _certificate_or_404(serial)
    sheet = certificate_sheet(found, select_locale())
    return render_template(
        "elearn/learner/certificate.html", certificate=found, sheet=sheet, qr=qr_svg(sheet.verify_url)
    )


@bp.get("/sertifikat/<serial>/pdf")
def certificate_pdf(serial: str) -> BaseResponse:
    """The certificate as a PDF in Bahasa Indonesia or English (`?bahasa=id|en`)."""
    found = _certificate_or_404(serial)
    language = select_locale()
    data = render_pdf(certificate_sheet(found, language))
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = content_disposition(f"sertifikat-{found.serial}-{language}.pdf")
    return security.forbid_caching(response)
