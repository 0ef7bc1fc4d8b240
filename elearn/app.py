"""The standalone host: a thin Flask app around the ELearn extension."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_migrate import Migrate

from elearn import errors
from elearn.extension import ELearn
from elearn.resources import MIGRATIONS_DIR


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Defaults, then the given config, then the extension; `flask db ...` manages elearn's own migrations."""
    app = Flask("elearn", instance_relative_config=True, static_folder=None)
    if test_config:
        app.config.update(test_config)
    ELearn(app)
    errors.install(app)
    Migrate(
        app,
        app.extensions["elearn"].db,
        directory=str(MIGRATIONS_DIR),
        render_as_batch=True,
        version_table="alembic_version_elearn",
    )
    return app
