"""What elearn keeps per app, and the database session and clock every view, CLI command and service caller uses.

A leaf module: it imports nothing of elearn but pure modules, so no module has to import the extension that
registers it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

from flask import Flask, current_app
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import Session

from elearn.clock import Clock
from elearn.competency.standard import Bands
from elearn.courses.journey import CourseOutline
from elearn.lru import LruCache

OUTLINE_CACHE_SIZE = 512
# Module HTML is typically 5-30 KB: a few MB per process.
MODULE_HTML_CACHE_SIZE = 256

EXTENSION_NAME = "elearn"


@dataclass
class ElearnState:
    """elearn's state in `app.extensions["elearn"]` (the extension object stores no app)."""

    db: SQLAlchemy
    url_prefix: str
    clock: Clock
    outlines: LruCache[int, CourseOutline] = field(default_factory=lambda: LruCache(OUTLINE_CACHE_SIZE))
    module_html: LruCache[tuple[int, int], str] = field(
        default_factory=lambda: LruCache(MODULE_HTML_CACHE_SIZE)
    )


def elearn_state(app: Flask | None = None) -> ElearnState:
    """The state of `app`, or of the current app."""
    state: ElearnState = (app or current_app).extensions[EXTENSION_NAME]
    return state


def db_session() -> Session:
    """The session of the database elearn uses in the current app."""
    return cast(Session, elearn_state().db.session)  # a scoped session: it stands for the current Session


def outlines() -> LruCache[int, CourseOutline]:
    """The current app's cache of course outlines (versions never change, so it is never invalidated)."""
    return elearn_state().outlines


def module_htmls() -> LruCache[tuple[int, int], str]:
    """The current app's cache of module HTML by (course version id, module content id)."""
    return elearn_state().module_html


def clock() -> Clock:
    """The office clock of the current app: views and commands read "now" and "today" here and pass them on."""
    return elearn_state().clock


def jpm_bands() -> Bands:
    """The JPM bands of the current app (ELEARN_JPM_MEETS and ELEARN_JPM_STILL_MEETS)."""
    config = current_app.config
    return Bands(meets=config["ELEARN_JPM_MEETS"], still_meets=config["ELEARN_JPM_STILL_MEETS"])
