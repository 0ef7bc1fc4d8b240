"""`flask elearn competency import-framework FILE` and `import-standards FILE`: technical competencies and position
standards (SKJ) from CSV or YAML, all or nothing (docs/competency.md)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click
from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from elearn.cli.competency import competency_cli
from elearn.cli.import_outcome import echo_outcome
from elearn.competency.files import parse_framework, parse_standards
from elearn.database_errors import describe_database_error
from elearn.orgdata import Limits
from elearn.services.framework_import import (
    FrameworkCounts,
    FrameworkImportReport,
    import_framework,
    import_standards,
)
from elearn.state import db_session

FILE_ARGUMENT = click.Path(exists=True, dir_okay=False, path_type=Path)
DRY_RUN_HELP = "Periksa dan hitung perubahan tanpa menyimpan apa pun."


@competency_cli.command("import-framework")
@click.argument("file", type=FILE_ARGUMENT)
@click.option("--dry-run", is_flag=True, help=DRY_RUN_HELP)
def import_framework_command(file: Path, dry_run: bool) -> None:
    """Impor kompetensi teknis (kode, nama, definisi, level_1..level_5) dari CSV atau YAML."""
    limits = Limits.from_config(current_app.config)
    parsed = parse_framework(file.read_bytes(), source=file.name, limits=limits)
    _run(lambda: import_framework(db_session(), parsed, dry_run=dry_run))


@competency_cli.command("import-standards")
@click.argument("file", type=FILE_ARGUMENT)
@click.option("--dry-run", is_flag=True, help=DRY_RUN_HELP)
def import_standards_command(file: Path, dry_run: bool) -> None:
    """Impor standar kompetensi jabatan (kode_jabatan, kode_kompetensi, level) dari CSV atau YAML."""
    limits = Limits.from_config(current_app.config)
    parsed = parse_standards(file.read_bytes(), source=file.name, limits=limits)
    _run(lambda: import_standards(db_session(), parsed, dry_run=dry_run))


def _run(importing: Callable[[], FrameworkImportReport]) -> None:
    """Import, commit when applied, print the report; exit 1 when refused or the database failed."""
    session = db_session()
    try:
        report = importing()
        if report.applied:
            session.commit()
        else:
            session.rollback()
    except SQLAlchemyError as error:
        session.rollback()
        # Never the error's own text: it may quote values from the file.
        click.echo(
            f"Impor gagal karena kesalahan basis data ({describe_database_error(error)}); "
            "tidak ada yang disimpan. Periksa basis data lalu jalankan lagi.",
            err=True,
        )
        raise SystemExit(1) from None
    print_report(report)
    if report.refused:
        raise SystemExit(1)


def counts_line(report: FrameworkImportReport) -> str:
    """The counts of an import in one line."""
    counts = report.counts
    if isinstance(counts, FrameworkCounts):
        return f"kompetensi: {counts.created} baru, {counts.updated} diubah, {counts.unchanged} tetap"
    return (
        f"jabatan: {counts.positions} disebut, {counts.positions_changed} berubah standarnya; "
        f"standar: {counts.created} baru, {counts.updated} diubah, {counts.removed} dihapus, "
        f"{counts.unchanged} tetap"
    )


def print_report(report: FrameworkImportReport) -> None:
    """Counts, then every warning and problem as `file:row:column: reason`."""
    if not report.refused:
        click.echo(counts_line(report))
    echo_outcome(report)
