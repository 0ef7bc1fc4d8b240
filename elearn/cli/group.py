"""The `flask elearn` command group that every subject module of `elearn.cli` adds its commands to."""

from __future__ import annotations

from flask.cli import AppGroup

elearn_cli = AppGroup("elearn", help="Perintah administrasi elearn.")
