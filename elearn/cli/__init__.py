"""`flask elearn ...`: thin command-line wrappers over the services, one module per subject."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from elearn.config import configuration_markdown

elearn_cli = AppGroup("elearn", help="elearn administration commands.")


@elearn_cli.command("config-docs")
def config_docs() -> None:
    """Print the configuration reference (docs/configuration.md)."""
    click.echo(configuration_markdown(), nl=False)


@elearn_cli.command("upgrade")
def upgrade_command() -> None:
    """Create or update elearn's tables (works inside a host app too)."""
    from elearn.migrate import upgrade

    upgrade()
    click.echo("Database is up to date.")


def _register_subcommands() -> None:
    """Each subject module attaches its commands to `elearn_cli` when imported."""
    import importlib
    import pkgutil

    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")


_register_subcommands()
