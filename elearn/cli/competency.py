"""`flask elearn competency ...`: the group that the framework import and the evidence recompute commands join."""

from __future__ import annotations

from flask.cli import AppGroup

from elearn.cli.group import elearn_cli

competency_cli = AppGroup("competency", help="Kompetensi: kamus, standar jabatan (SKJ) dan bukti.")
elearn_cli.add_command(competency_cli)
