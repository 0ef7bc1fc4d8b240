"""Anyone may check a certificate: valid or revoked, the holder's name, the course, the date and the JP, nothing more.

No sign-in and no session cookie: these pages never write the session and their layout has no CSRF form; the
language comes from `?bahasa=` links (`elearn.i18n.select_locale`). Unknown serials answer 404 and are counted per
client address in the database; past ELEARN_VERIFY_MAX_FAILURES_IP within the window every look-up from that
address answers 429, found or not, so hits cannot be told from misses while throttled.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, make_response, redirect, render_template, request, url_for
from werkzeug.exceptions import TooManyRequests
from werkzeug.wrappers import Response

from elearn.certificates.serial import display, normalise
from elearn.i18n import select_locale
from elearn.services import certificates
from elearn.state import clock, db_session

bp = Blueprint("verification", __name__, url_prefix="/verifikasi")
NOT_STORED = "no-store"


def _public(response: Response) -> Response:
    """A status that may change (revocation) is never kept by a browser or a proxy, nor indexed."""
    response.headers["Cache-Control"] = NOT_STORED
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.get("/")
def lookup() -> Response:
    """A form to type a serial (GET, so nothing to protect); a typed serial leads to its page."""
    typed = request.args.get("nomor", "").strip()
    if typed:
        serial = normalise(typed)
        shown = display(serial) if serial else typed[:40]
        return redirect(url_for(".certificate", serial=shown, bahasa=request.args.get("bahasa") or None))
    page = render_template("elearn/verification/lookup.html", language=select_locale())
    return _public(make_response(page))


@bp.get("/<serial>")
def certificate(serial: str) -> Response:
    """The status of one certificate for anyone; unknown is 404, too many unknowns from one address 429."""
    session = db_session()
    now = clock().now()
    result = certificates.verify(
        session,
        typed=serial,
        ip=request.remote_addr or "",
        now=now,
        policy=certificates.ThrottlePolicy.from_config(current_app.config),
    )
    session.commit()
    if result.retry_after_minutes is not None:
        raise TooManyRequests(retry_after=result.retry_after_minutes * 60)
    if result.certificate is None:
        abort(404)
    page = render_template(
        "elearn/verification/certificate.html",
        certificate=result.certificate,
        serial=display(result.certificate.serial),
        issuer=current_app.config["ELEARN_ISSUER_NAME"],
        language=select_locale(),
    )
    return _public(make_response(page))
