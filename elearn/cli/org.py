"""`flask elearn import-org`: load units, positions, people and mentorships from CSV files, all or nothing;
`flask elearn prune-imports`: forget admin-page uploads older than a day."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app

from elearn.cli.group import elearn_cli
from elearn.orgdata import Limits, ParsedFile, parse_file
from elearn.services import pending_import
from elearn.services.org_import import ImportReport, import_org
from elearn.state import clock, db_session

KIND_LABELS = {"units": "unit kerja", "positions": "jabatan", "people": "pegawai", "mentorships": "bimbingan"}
FILE_OPTION = click.Path(exists=True, dir_okay=False, path_type=Path)


@elearn_cli.command("import-org")
@click.option("--units", "units_file", type=FILE_OPTION)
@click.option("--positions", "positions_file", type=FILE_OPTION)
@click.option("--people", "people_file", type=FILE_OPTION)
@click.option("--mentorships", "mentorships_file", type=FILE_OPTION)
@click.option("--dry-run", is_flag=True, help="Periksa dan hitung perubahan tanpa menyimpan apa pun.")
def import_org_command(
    units_file: Path | None,
    positions_file: Path | None,
    people_file: Path | None,
    mentorships_file: Path | None,
    dry_run: bool,
) -> None:
    """Impor unit, jabatan, pegawai dan bimbingan dari CSV (docs/import.md); satu masalah menolak semua."""
    chosen = {
        kind: path
        for kind, path in (
            ("units", units_file),
            ("positions", positions_file),
            ("people", people_file),
            ("mentorships", mentorships_file),
        )
        if path
    }
    if not chosen:
        raise click.UsageError(
            "Sebutkan paling tidak satu berkas: --units, --positions, --people atau --mentorships."
        )
    limits = Limits.from_config(current_app.config)
    parsed: list[ParsedFile] = []
    with click.progressbar(
        chosen.items(), label="Membaca berkas", item_show_func=_shown_name, file=sys.stderr
    ) as files:
        for kind, path in files:
            data = path.read_bytes()
            parsed.append(parse_file(kind, data, source=path.name, limits=limits, today=clock().today()))
    session = db_session()
    report = import_org(session, files=parsed, today=clock().today(), dry_run=dry_run)
    if report.applied:
        session.commit()
    else:
        session.rollback()
    _print_report(report)
    if report.refused:
        raise SystemExit(1)


def _shown_name(item: tuple[str, Path] | None) -> str | None:
    return item[1].name if item else None


def _print_report(report: ImportReport) -> None:
    """Counts per kind, then every warning and problem as `file:row:column: reason`."""
    for kind, counts in report.counts.items():
        granted = f", {counts.roles_granted} mentor diberi peran mentor" if counts.roles_granted else ""
        click.echo(
            f"{KIND_LABELS[kind]}: {counts.created} baru, {counts.updated} diubah, {counts.unchanged} tetap"
            f"{granted}"
        )
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


@elearn_cli.command("prune-imports")
def prune_imports_command() -> None:
    """Hapus unggahan impor di halaman admin yang berumur lebih dari sehari (dijalankan berkala, mis. dari cron)."""
    session = db_session()
    removed = pending_import.prune(session, now=clock().now())
    session.commit()
    click.echo(f"{removed} unggahan impor lama dihapus.")
