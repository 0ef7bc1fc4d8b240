"""Run elearn's migrations from any app (standalone or host) without depending on the host's Flask-Migrate."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from elearn.resources import MIGRATIONS_DIR


def alembic_config() -> Config:
    """Alembic configuration pointing at elearn's migrations folder."""
    config = Config(str(MIGRATIONS_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade(revision: str = "head") -> None:
    """Bring the current app's database to `revision` (call inside an app context)."""
    command.upgrade(alembic_config(), revision)
