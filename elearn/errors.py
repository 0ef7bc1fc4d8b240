"""Error pages for every HTTP error in elearn's layout and language, instead of bare server defaults.

Known codes get their own words, any other code a generic page; headers a client needs (Allow on a 405,
Retry-After on a 429 or 503) are kept.
"""

from __future__ import annotations

from flask import Blueprint, Flask, render_template
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from elearn import assets, i18n
from elearn.state import db_session

ERROR_TEXTS: dict[int, tuple[LazyString, LazyString]] = {
    400: (
        _l("Permintaan tidak dapat diproses"),
        _l("Isi permintaan tidak lengkap atau tidak sesuai. Kembali ke halaman sebelumnya, lalu coba lagi."),
    ),
    403: (_l("Akses ditolak"), _l("Anda tidak memiliki izin untuk membuka halaman ini.")),
    404: (
        _l("Halaman tidak ditemukan"),
        _l("Alamat yang Anda buka tidak ada atau tidak tersedia untuk akun Anda."),
    ),
    405: (
        _l("Halaman ini tidak bisa dibuka dengan cara itu"),
        _l(
            "Alamat ini hanya menerima kiriman formulir, atau hanya bisa dibuka biasa. "
            "Buka halamannya lewat menu atau tautan, lalu coba lagi."
        ),
    ),
    413: (
        _l("Kiriman terlalu besar"),
        _l(
            "Berkas atau isian yang dikirim melebihi batas ukuran. Perkecil atau bagi berkasnya, lalu coba lagi."
        ),
    ),
    429: (_l("Terlalu banyak percobaan"), _l("Tunggu beberapa menit, lalu coba lagi.")),
    500: (
        _l("Terjadi kesalahan pada server"),
        _l("Kesalahan ini sudah tercatat. Coba lagi beberapa saat lagi."),
    ),
    503: (
        _l("Layanan sedang tidak tersedia"),
        _l("elearn sedang dalam pemeliharaan atau sangat sibuk. Coba lagi beberapa saat lagi."),
    ),
}
GENERIC_TEXT = (
    _l("Halaman tidak dapat ditampilkan"),
    _l("Permintaan ini tidak dapat dipenuhi. Kembali ke halaman sebelumnya atau ke beranda, lalu coba lagi."),
)
# The error's own Content-Type describes werkzeug's bare page, not ours.
DROPPED_HEADERS = {"content-type"}


def render_error(error: HTTPException) -> tuple[str, int, list[tuple[str, str]]]:
    """The page for `error`, keeping the headers a client needs (when to retry, which methods are allowed)."""
    code = error.code or 500
    if code >= 500:
        _forget_failed_transaction()
    title, explanation = ERROR_TEXTS.get(code, GENERIC_TEXT)
    kept = [(name, value) for name, value in error.get_headers() if name.lower() not in DROPPED_HEADERS]
    return error_page(code, title, explanation, headers=kept)


def error_page(
    code: int,
    title: LazyString,
    explanation: LazyString,
    *,
    back_url: str | None = None,
    headers: list[tuple[str, str]] | None = None,
) -> tuple[str, int, list[tuple[str, str]]]:
    """The styled error page, with a link back to `back_url` (a local path) when there is one."""
    page = render_template(
        "elearn/errors/error.html",
        code=code,
        title=title,
        explanation=explanation,
        back_url=back_url,
        **i18n.template_globals(),
        **assets.template_globals(),
    )
    return page, code, headers or []


def _forget_failed_transaction() -> None:
    """A failed transaction must not break the page reporting it (the layout reads the signed-in person)."""
    db_session().rollback()


def install(target: Blueprint | Flask) -> None:
    """Serve elearn's error pages for errors raised in `target` (elearn's blueprint, or a standalone app)."""
    target.register_error_handler(HTTPException, render_error)
