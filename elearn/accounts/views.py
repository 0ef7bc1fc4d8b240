"""Sign in, sign out, password change and the language switch."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from elearn.extension import db_session
from elearn.i18n import LOCALE_SESSION_KEY, LOCALES
from elearn.services import accounts

bp = Blueprint("accounts", __name__)


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths are followed after login (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("elearn.learner.home")


@bp.route("/masuk", methods=["GET", "POST"])
def login() -> str | Response:
    """Sign in by NIP or e-mail and password."""
    if request.method == "POST":
        identifier = request.form.get("identifier", "")
        person = accounts.authenticate(
            db_session(), identifier=identifier, password=request.form.get("password", ""),
            ip=request.remote_addr or "",
        )
        db_session().commit()
        if person is not None:
            login_user(person, remember=bool(request.form.get("remember")))
            return redirect(_safe_next(request.args.get("next")))
        flash(_("NIP/e-mail atau kata sandi salah."), "error")
    return render_template("elearn/accounts/login.html")


@bp.post("/keluar")
@login_required
def logout() -> Response:
    """End the session everywhere: the session version changes, so copied cookies stop working."""
    accounts.end_sessions(db_session(), current_user._get_current_object())
    db_session().commit()
    logout_user()
    flash(_("Anda telah keluar."), "info")
    return redirect(url_for("elearn.accounts.login"))


@bp.route("/akun/kata-sandi", methods=["GET", "POST"])
@login_required
def change_password() -> str | Response:
    """Change one's own password (the current one is asked again)."""
    return render_template("elearn/accounts/change_password.html")


@bp.post("/bahasa")
def set_language() -> Response:
    """Switch the interface language for this browser and, when signed in, for the person."""
    locale = request.form.get("locale", "")
    if locale in LOCALES:
        session[LOCALE_SESSION_KEY] = locale
        if current_user.is_authenticated:
            current_user.locale = locale
            db_session().commit()
    return redirect(_safe_next(request.form.get("next")))
