"""`flask elearn upgrade` and `config-docs`: the schema and the configuration reference."""

from __future__ import annotations

import click

from elearn.cli.group import elearn_cli
from elearn.config import configuration_markdown
from elearn.migrate import upgrade
from elearn.services.competency import seed_dictionary
from elearn.state import db_session


@elearn_cli.command("config-docs")
def config_docs() -> None:
    """Cetak rujukan konfigurasi (docs/configuration.md)."""
    click.echo(configuration_markdown(), nl=False)


@elearn_cli.command("upgrade")
def upgrade_command() -> None:
    """Buat atau perbarui tabel elearn dan kamus kompetensi (juga di dalam aplikasi induk)."""
    upgrade()
    changed = seed_dictionary(db_session())
    db_session().commit()
    click.echo(f"Basis data mutakhir ({changed} baris kamus kompetensi berubah).")
