"""Where elearn's packaged files live: static files and migrations are packages of their own (`elearn.static`,
`elearn.migrations`), mapped from the repository's top-level `static/` and `migrations/` at build time, so a
wheel and an editable checkout find them the same way."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def _package_dir(name: str) -> Path:
    """The folder of one of elearn's data packages, on disk (wheel, sdist install or editable checkout)."""
    return Path(str(files(name)))


STATIC_DIR = _package_dir("elearn.static")
MIGRATIONS_DIR = _package_dir("elearn.migrations")
