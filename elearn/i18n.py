"""Language choice (Bahasa Indonesia first, English second) and the globals every elearn template sees."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from flask import current_app, request, session
from flask_babel import get_locale
from flask_login import current_user

from elearn.languages import LOCALES
from elearn.state import clock

TRANSLATIONS_DIR = Path(__file__).parent / "translations"
LOCALE_SESSION_KEY = "elearn_locale"
LOCALE_PARAMETER = "bahasa"


def select_locale() -> str:
    """`?bahasa=` for this one request (public pages, which keep no session, and documents such as a certificate
    PDF), else the signed-in person's choice, else this browser's choice, else the configured default."""
    asked = request.args.get(LOCALE_PARAMETER)
    if asked in LOCALES:
        return str(asked)
    if current_user and current_user.is_authenticated and current_user.locale in LOCALES:
        return str(current_user.locale)
    chosen = session.get(LOCALE_SESSION_KEY)
    if chosen in LOCALES:
        return str(chosen)
    return str(current_app.config.get("ELEARN_DEFAULT_LOCALE", "id"))


def office_time(moment: datetime, format: str = "d MMM yyyy, HH.mm zzz") -> str:
    """`moment` on the office's clock (ELEARN_TIMEZONE) in the reader's language: "2 Des 2026, 13.05 WIB"."""
    return format_datetime(moment, format, tzinfo=clock().timezone, locale=get_locale())


def office_date(day: date, format: str = "d MMM yyyy") -> str:
    """A calendar date (a due date, a mentorship's start) in the reader's language: "2 Des 2026"."""
    return format_date(day, format, locale=get_locale())


def format_number(value: Decimal | int | float) -> str:
    """A number in the reader's language, without trailing zeros: 3, 1,5 (id) or 1.5 (en)."""
    return format_decimal(value, format="#,##0.##", locale=get_locale())


def template_globals() -> dict[str, Any]:
    """Values every elearn page needs: the layout to extend and the current language."""
    return {
        "elearn_base_template": current_app.config["ELEARN_BASE_TEMPLATE"],
        "elearn_locale": select_locale(),
        "elearn_locales": LOCALES,
        "elearn_next": request.full_path.rstrip("?"),
        "office_time": office_time,
        "office_date": office_date,
    }
