"""Sign in, sign out, activation, password change and the language switch."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import Field

from elearn.accounts.forms import ActivationCodeForm, ChangePasswordForm, LoginForm, NewPasswordForm
from elearn.form_tokens import on_refused_token, refill_on_refused_token
from elearn.i18n import LOCALE_SESSION_KEY, LOCALES
from elearn.local_paths import is_local_path
from elearn.models import Person
from elearn.services import accounts, login_throttle
from elearn.state import clock, db_session

bp = Blueprint("accounts", __name__)

Page = str | tuple[str, int] | Response


def _safe_next(target: str | None) -> str:
    """Where to go after login or a language switch: `target` when it is a local path, else home (no open redirect)."""
    if target and is_local_path(target):
        return target
    return url_for("elearn.learner.home")


def _client_ip() -> str:
    """The address throttling counts (a host behind a proxy applies ProxyFix so this is the real client)."""
    return request.remote_addr or ""


def _throttle_policy() -> login_throttle.ThrottlePolicy:
    return login_throttle.ThrottlePolicy.from_config(current_app.config)


def _restart_session() -> None:
    """Drop everything the session held (no fixation), keeping only the language chosen on this browser."""
    locale = session.get(LOCALE_SESSION_KEY)
    session.clear()
    if locale:
        session[LOCALE_SESSION_KEY] = locale


def _sign_in(person: Person, *, remember: bool) -> None:
    """Start a brand-new session for `person`."""
    _restart_session()
    login_user(person, remember=remember)


def _refuse(
    result: accounts.AttemptResult,
    template: str,
    *,
    too_many: Callable[[int], str],
    wrong: str,
    form: FlaskForm,
    wrong_field: Field | None = None,
) -> Page:
    """Save a refused attempt (a wrong password or code, or a throttled one) and answer with its page.

    Throttled: HTTP 429 with the page's own `too_many` wording of the wait and a Retry-After header. A wrong secret:
    the form again with `wrong`, next to `wrong_field` when given, else above the form. The page is rendered before
    the commit, which would otherwise make it reload the signed-in person.
    """
    minutes = result.retry_after_minutes
    if minutes is not None:
        form.form_errors.append(too_many(minutes))
    else:
        (wrong_field.errors if wrong_field is not None else form.form_errors).append(wrong)
    response = current_app.make_response(render_template(template, form=form))
    db_session().commit()
    if minutes is not None:
        response.status_code = 429
        response.headers["Retry-After"] = str(minutes * 60)
    return response


@bp.route("/masuk", methods=["GET", "POST"])
@refill_on_refused_token
def login() -> Page:
    """Sign in by NIP or e-mail and password."""
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("elearn/accounts/login.html", form=form)
    result = accounts.authenticate(
        db_session(),
        identifier=form.identifier.data,
        password=form.password.data,
        ip=_client_ip(),
        policy=_throttle_policy(),
        now=clock().now(),
    )
    if result.person is None:
        return _refuse(
            result,
            "elearn/accounts/login.html",
            too_many=lambda wait: ngettext(
                "Terlalu banyak percobaan masuk. Coba lagi dalam %(num)d menit.",
                "Terlalu banyak percobaan masuk. Coba lagi dalam %(num)d menit.",
                wait,
            ),
            wrong=_("NIP/e-mail atau kata sandi salah."),
            form=form,
        )
    _sign_in(result.person, remember=form.remember.data)
    db_session().commit()
    return redirect(_safe_next(request.args.get("next")))


def _sign_out_this_browser() -> Response:
    """End this browser's session (and its remember cookie) and say so; the database is not touched."""
    _restart_session()
    logout_user()
    flash(_("Anda telah keluar."), "info")
    return redirect(url_for("elearn.accounts.login"))


@bp.post("/keluar")
@on_refused_token(_sign_out_this_browser)
def logout() -> Response:
    """End the session everywhere: the session version changes, so copied cookies stop working.

    With a refused token (a page left open too long) it still signs this browser out, and does nothing else.
    """
    if current_user.is_authenticated:
        accounts.log_out(db_session(), current_user._get_current_object(), ip=_client_ip())
        db_session().commit()
    return _sign_out_this_browser()


@bp.route("/aktivasi/<token>", methods=["GET", "POST"])
@refill_on_refused_token
def activate_link(token: str) -> Page:
    """Set a first password (or a reset one) from the one-time link an administrator issued."""
    now = clock().now()
    person = accounts.person_for_activation_link(db_session(), token, now=now)
    if person is None:
        return render_template("elearn/accounts/activation_invalid.html"), 404
    form = NewPasswordForm(owner_nip=person.nip)
    if not form.validate_on_submit():
        return render_template("elearn/accounts/activate.html", form=form, person=person)
    activated = accounts.activate_by_link(
        db_session(), token=token, password=form.new_password.data, ip=_client_ip(), now=now
    )
    if activated is None:
        return render_template("elearn/accounts/activation_invalid.html"), 404
    return _welcome(activated)


@bp.route("/aktivasi", methods=["GET", "POST"])
@refill_on_refused_token
def activate_code() -> Page:
    """Set a first password with NIP + the short code, for people who got the code on paper or by phone."""
    form = ActivationCodeForm()
    if not form.validate_on_submit():
        return render_template("elearn/accounts/activate_code.html", form=form)
    result = accounts.activate_by_code(
        db_session(),
        nip=form.nip.data,
        code=form.code.data,
        password=form.new_password.data,
        ip=_client_ip(),
        policy=_throttle_policy(),
        now=clock().now(),
    )
    if result.person is None:
        return _refuse(
            result,
            "elearn/accounts/activate_code.html",
            too_many=lambda wait: ngettext(
                "Terlalu banyak kode aktivasi yang salah. Coba lagi dalam %(num)d menit.",
                "Terlalu banyak kode aktivasi yang salah. Coba lagi dalam %(num)d menit.",
                wait,
            ),
            wrong=_(
                "NIP atau kode aktivasi salah, atau kode sudah tidak berlaku. Minta kode baru kepada admin."
            ),
            form=form,
        )
    return _welcome(result.person)


def _welcome(person: Person) -> Response:
    """Sign the newly activated person in, save the activation, and greet them.

    Signing in before the commit spares reloading the person the commit would expire.
    """
    _sign_in(person, remember=False)
    db_session().commit()
    flash(_("Kata sandi tersimpan dan akun Anda aktif. Selamat belajar!"), "success")
    return redirect(url_for("elearn.learner.home"))


@bp.route("/akun/kata-sandi", methods=["GET", "POST"])
@refill_on_refused_token
@login_required
def change_password() -> Page:
    """Change one's own password; other sessions end, this one stays signed in."""
    person: Person = current_user._get_current_object()
    form = ChangePasswordForm(owner_nip=person.nip)
    if not form.validate_on_submit():
        return render_template("elearn/accounts/change_password.html", form=form)
    result = accounts.change_password(
        db_session(),
        person,
        current_password=form.current_password.data,
        new_password=form.new_password.data,
        ip=_client_ip(),
        policy=_throttle_policy(),
        now=clock().now(),
    )
    if result.person is None:
        return _refuse(
            result,
            "elearn/accounts/change_password.html",
            too_many=lambda wait: ngettext(
                "Terlalu banyak percobaan kata sandi yang salah. Coba lagi dalam %(num)d menit.",
                "Terlalu banyak percobaan kata sandi yang salah. Coba lagi dalam %(num)d menit.",
                wait,
            ),
            wrong=_("Kata sandi saat ini salah."),
            form=form,
            wrong_field=form.current_password,
        )
    remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
    _sign_in(person, remember=remembered)
    db_session().commit()
    flash(_("Kata sandi berhasil diganti. Sesi di perangkat lain telah diakhiri."), "success")
    return redirect(url_for("elearn.learner.home"))


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
