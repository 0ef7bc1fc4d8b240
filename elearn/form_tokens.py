"""What a POST gets when its CSRF token is refused (expired, missing, or from a session that has ended).

CSRFProtect checks every POST before its view runs; a refused one gets the styled 400 page with a way back, and its
view never runs. A view may instead opt in, by decorator, to answering a refused token itself:

- `refill_on_refused_token`: a form view, run with its `RefillableForm` refusing to validate, so the person gets
  the form again with what they typed (password fields never echo a value), a fresh token and a clear message;
- `on_refused_token(answer)`: `answer` runs instead of the view (logout ends this browser's session).

The decorator runs the very check CSRFProtect runs, and the views it marks are left to it (`exempt_checked_views`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Blueprint, Flask, current_app, g, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError

from elearn import errors
from elearn.local_paths import is_local_path

View = TypeVar("View", bound=Callable[..., ResponseReturnValue])

ANSWERS_REFUSAL = "elearn_checks_own_token"
REFUSED_FLAG = "elearn_token_refused"
EXPIRED_FORM = _l(
    "Formulir ini sudah kedaluwarsa (terlalu lama terbuka, atau sesi Anda berakhir), jadi belum dikirim. "
    "Isian Anda sudah dikembalikan, kecuali kata sandi: periksa, ketik ulang kata sandinya, lalu kirim lagi."
)
REFUSED_TEXTS = (
    _l("Formulir sudah kedaluwarsa"),
    _l(
        "Formulir mungkin sudah kedaluwarsa (terlalu lama terbuka) atau sesi Anda sudah berakhir, jadi kiriman "
        "ini tidak diterima dan tidak ada yang diubah. Kembali ke halaman tadi, muat ulang, lalu coba lagi."
    ),
)


def token_refused() -> bool:
    """Whether this request's CSRF token was refused by an opted-in view's check."""
    return bool(g.get(REFUSED_FLAG, False))


class RefillableForm(FlaskForm):
    """A form that refuses to validate, and says why, when its view was posted with a refused token."""

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if token_refused():
            self.form_errors.append(EXPIRED_FORM)
            return False
        return bool(valid)


def on_refused_token(answer: Callable[..., ResponseReturnValue]) -> Callable[[View], View]:
    """Mark a view that answers a refused token with `answer` (given the view's arguments) instead of the 400 page."""

    def mark(view: View) -> View:
        @wraps(view)
        def checked(*args: Any, **kwargs: Any) -> ResponseReturnValue:
            if _token_accepted():
                return view(*args, **kwargs)
            return answer(*args, **kwargs)

        setattr(checked, ANSWERS_REFUSAL, True)
        return checked  # type: ignore[return-value]  # same signature as `view`, by functools.wraps

    return mark


def refill_on_refused_token(view: View) -> View:
    """Mark a form view (its form a `RefillableForm`) that shows its form again when the token is refused."""

    def refill(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        setattr(g, REFUSED_FLAG, True)
        response = current_app.make_response(view(*args, **kwargs))
        if response.status_code == 200:
            response.status_code = 400
        return response

    return on_refused_token(refill)(view)


def _token_accepted() -> bool:
    """The check CSRFProtect runs before every other POST (with the same settings); False when it refuses.

    Run even when a host turned CSRFProtect's automatic check off, since the form would check the token anyway.
    """
    if not current_app.config["WTF_CSRF_ENABLED"]:
        return True
    try:
        current_app.extensions["csrf"].protect()
    except CSRFError:
        return False
    return True


def exempt_checked_views(app: Flask) -> None:
    """Leave the views that check their own token to their decorator (CSRFProtect would refuse them first)."""
    csrf = app.extensions["csrf"]
    for view in app.view_functions.values():
        if getattr(view, ANSWERS_REFUSAL, False):
            csrf.exempt(view)


def refused_token_page(error: CSRFError) -> ResponseReturnValue:
    """Every other POST with a refused token: the styled 400 page, that nothing changed, and the way back."""
    title, explanation = REFUSED_TEXTS
    return errors.error_page(400, title, explanation, back_url=_local_referrer())


def _local_referrer() -> str | None:
    """The page the form was on, when it is one of this site's (the way back); None otherwise."""
    parts = urlsplit(request.referrer or "")
    if parts.scheme not in {"http", "https"} or parts.netloc != request.host:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return path if is_local_path(path) else None


def install(target: Blueprint) -> None:
    """Answer refused tokens in `target` (elearn's blueprint) with `refused_token_page`."""
    target.register_error_handler(CSRFError, refused_token_page)
