"""Error pages (400, 403, 404, 429, 500) in elearn's layout and language instead of bare server defaults."""

from __future__ import annotations

from flask import Blueprint, Flask, render_template
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from elearn import assets, i18n
from elearn.state import db_session

ERROR_TEXTS = {
    400: (
        _l("Permintaan tidak dapat diproses"),
        _l("Formulir mungkin sudah kedaluwarsa. Muat ulang halaman, lalu coba lagi."),
    ),
    403: (_l("Akses ditolak"), _l("Anda tidak memiliki izin untuk membuka halaman ini.")),
    404: (
        _l("Halaman tidak ditemukan"),
        _l("Alamat yang Anda buka tidak ada atau tidak tersedia untuk akun Anda."),
    ),
    429: (_l("Terlalu banyak percobaan"), _l("Tunggu beberapa menit, lalu coba lagi.")),
    500: (
        _l("Terjadi kesalahan pada server"),
        _l("Kesalahan ini sudah tercatat. Coba lagi beberapa saat lagi."),
    ),
}
KEPT_HEADERS = ("Retry-After",)


def render_error(error: HTTPException) -> tuple[str, int, dict[str, str]]:
    """The page for `error`, keeping headers a client needs (when to retry after a 429)."""
    code = error.code or 500
    if code >= 500:
        _forget_failed_transaction()
    title, explanation = ERROR_TEXTS[code]
    page = render_template(
        "elearn/errors/error.html",
        code=code,
        title=title,
        explanation=explanation,
        **i18n.template_globals(),
        **assets.template_globals(),
    )
    kept = {name: value for name, value in error.get_headers() if name in KEPT_HEADERS}
    return page, code, kept


def _forget_failed_transaction() -> None:
    """A failed transaction must not break the page reporting it (the layout reads the signed-in person)."""
    db_session().rollback()


def install(target: Blueprint | Flask) -> None:
    """Serve elearn's error pages for errors raised in `target` (elearn's blueprint, or a standalone app)."""
    for code in ERROR_TEXTS:
        target.register_error_handler(code, render_error)
