"""How every import command ends: warnings and problems located on stderr, then refused, tried or done."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import click


class Located(Protocol):
    """A warning or problem that names its file, row and column."""

    def located(self) -> str: ...


class ImportOutcome(Protocol):
    """What the org and competency import reports share."""

    @property
    def warnings(self) -> Sequence[Located]: ...

    @property
    def problems(self) -> Sequence[Located]: ...

    @property
    def refused(self) -> bool: ...

    @property
    def dry_run(self) -> bool: ...


def echo_outcome(report: ImportOutcome) -> None:
    """Every warning and problem as `file:row:column: reason`, then whether anything was saved."""
    for warning in report.warnings:
        click.echo(f"peringatan: {warning.located()}", err=True)
    for problem in report.problems:
        click.echo(problem.located(), err=True)
    if report.refused:
        click.echo(f"Impor ditolak: {len(report.problems)} masalah; tidak ada yang disimpan.", err=True)
    elif report.dry_run:
        click.echo("Uji coba (--dry-run): tidak ada yang disimpan.")
    else:
        click.echo("Impor selesai.")
