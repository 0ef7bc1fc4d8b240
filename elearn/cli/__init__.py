"""`flask elearn ...`: thin command-line wrappers over the services, one module per subject."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from elearn.config import configuration_markdown

elearn_cli = AppGroup("elearn", help="Perintah administrasi elearn.")


@elearn_cli.command("config-docs")
def config_docs() -> None:
    """Cetak rujukan konfigurasi (docs/configuration.md)."""
    click.echo(configuration_markdown(), nl=False)


@elearn_cli.command("upgrade")
def upgrade_command() -> None:
    """Buat atau perbarui tabel elearn dan kamus kompetensi (juga di dalam aplikasi induk)."""
    from elearn.extension import db_session
    from elearn.migrate import upgrade
    from elearn.services.competency import seed_dictionary

    upgrade()
    changed = seed_dictionary(db_session())
    db_session().commit()
    click.echo(f"Basis data mutakhir ({changed} baris kamus kompetensi berubah).")


def _register_subcommands() -> None:
    """Each subject module attaches its commands to `elearn_cli` when imported."""
    import importlib
    import pkgutil

    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")


_register_subcommands()
