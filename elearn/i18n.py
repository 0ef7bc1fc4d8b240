"""Language choice (Bahasa Indonesia first, English second) and the globals every elearn template sees."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import current_app, request, session
from flask_login import current_user

TRANSLATIONS_DIR = Path(__file__).parent / "translations"
LOCALES = ("id", "en")
LOCALE_SESSION_KEY = "elearn_locale"


def select_locale() -> str:
    """The signed-in person's choice, else this browser's choice, else the configured default."""
    if current_user and current_user.is_authenticated and current_user.locale in LOCALES:
        return str(current_user.locale)
    chosen = session.get(LOCALE_SESSION_KEY)
    if chosen in LOCALES:
        return str(chosen)
    return str(current_app.config.get("ELEARN_DEFAULT_LOCALE", "id"))


def template_globals() -> dict[str, Any]:
    """Values every elearn page needs: the layout to extend and the current language."""
    return {
        "elearn_base_template": current_app.config["ELEARN_BASE_TEMPLATE"],
        "elearn_locale": select_locale(),
        "elearn_locales": LOCALES,
        "elearn_next": request.full_path.rstrip("?"),
    }
