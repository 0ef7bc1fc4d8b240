"""`flask elearn import-org`: load units, positions, people and mentorships from CSV files, all or nothing,
with a progress bar per stage on stderr; `flask elearn prune-imports`: forget admin-page uploads older than a
day."""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager
from pathlib import Path
from types import TracebackType
from typing import Any

import click
from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from elearn.cli.group import elearn_cli
from elearn.cli.import_outcome import echo_outcome
from elearn.database_errors import describe_database_error
from elearn.orgdata import Limits, ParsedFile, Stage, parse_file
from elearn.services import pending_import
from elearn.services.org_import import ImportReport, import_org
from elearn.state import clock, db_session

KIND_LABELS = {"units": "unit kerja", "positions": "jabatan", "people": "pegawai", "mentorships": "bimbingan"}
STAGE_LABELS = {"read": "Membaca {source}", "check": "Memeriksa baris", "write": "Menyimpan baris"}
FILE_OPTION = click.Path(exists=True, dir_okay=False, path_type=Path)


class ProgressBars:
    """One click progress bar per stage of the import (reading each file, checking, writing), counted in rows,
    on stderr so that the report on stdout stays clean."""

    def __init__(self) -> None:
        self._bar: AbstractContextManager[Any] | None = None
        self._rows: Any = None

    def start(self, stage: Stage, total: int, *, source: str = "") -> None:
        """Close the previous stage's bar and open this one's."""
        self.close()
        self._bar = click.progressbar(
            length=total, label=STAGE_LABELS[stage].format(source=source), file=sys.stderr, show_pos=True
        )
        self._rows = self._bar.__enter__()

    def advance(self, rows: int) -> None:
        """Move the current bar on by `rows`."""
        if self._rows is not None:
            self._rows.update(rows)

    def close(self) -> None:
        """Finish the current bar, if any."""
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
        self._bar = self._rows = None

    def __enter__(self) -> ProgressBars:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


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
    today = clock().today()
    session = db_session()
    with ProgressBars() as progress:
        parsed: list[ParsedFile] = [
            parse_file(
                kind, path.read_bytes(), source=path.name, limits=limits, today=today, progress=progress
            )
            for kind, path in chosen.items()
        ]
        try:
            report = import_org(session, files=parsed, today=today, dry_run=dry_run, progress=progress)
            if report.applied:
                session.commit()
        except SQLAlchemyError as error:
            session.rollback()
            progress.close()
            # Never the error's own text: it may quote names and e-mail addresses from the file.
            click.echo(
                f"Impor gagal karena kesalahan basis data ({describe_database_error(error)}); "
                "tidak ada yang disimpan. Periksa basis data lalu jalankan lagi.",
                err=True,
            )
            raise SystemExit(1) from None
    if not report.applied:
        session.rollback()
    _print_report(report)
    if report.refused:
        raise SystemExit(1)


def _print_report(report: ImportReport) -> None:
    """Counts per kind, then every warning and problem as `file:row:column: reason`."""
    for kind, counts in report.counts.items():
        granted = f", {counts.roles_granted} mentor diberi peran mentor" if counts.roles_granted else ""
        click.echo(
            f"{KIND_LABELS[kind]}: {counts.created} baru, {counts.updated} diubah, {counts.unchanged} tetap"
            f"{granted}"
        )
    echo_outcome(report)


@elearn_cli.command("prune-imports")
def prune_imports_command() -> None:
    """Hapus unggahan impor halaman admin (dan tugasnya) yang berumur lebih dari sehari (mis. harian dari cron)."""
    session = db_session()
    removed = pending_import.prune(session, now=clock().now())
    session.commit()
    click.echo(f"{removed} unggahan impor lama dihapus.")
