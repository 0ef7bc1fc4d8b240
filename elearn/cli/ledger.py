"""`flask elearn ledger recompute`: rebuild the JP summary from completions and external training, and say what
differed (run it after upgrading to the release that adds the summary, or whenever a check is wanted)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from elearn.cli.group import elearn_cli
from elearn.ledger.summary import YearTotals, plain_jp
from elearn.services import ledger
from elearn.state import clock, db_session


def _totals(totals: YearTotals) -> str:
    return (
        f"kursus={plain_jp(totals.course_jp)} eksternal={plain_jp(totals.external_jp)} "
        f"menunggu={plain_jp(totals.pending_jp)}"
    )


ledger_cli = AppGroup("ledger", help="Buku JP: ringkasan JP per pegawai dan tahun.")
elearn_cli.add_command(ledger_cli)


@ledger_cli.command("recompute")
@click.option(
    "--year", "years", type=int, multiple=True, help="Hanya tahun ini (boleh diulang); bawaan: semua."
)
@click.option(
    "--check", is_flag=True, help="Hanya laporkan selisih, jangan ubah apa pun (keluar 1 bila ada)."
)
def recompute_command(years: tuple[int, ...], check: bool) -> None:
    """Hitung ulang ringkasan JP dari kursus yang selesai dan pelatihan eksternal, lalu laporkan selisihnya."""
    session = db_session()
    found = ledger.recompute(session, timezone=clock().timezone, years=years or None, write=not check)
    if check:
        session.rollback()
    else:
        session.commit()
    for difference in found:
        click.echo(
            f"pegawai {difference.person_id} tahun {difference.year}: "
            f"tersimpan {_totals(difference.stored)}; seharusnya {_totals(difference.computed)}"
        )
    verb = "ditemukan" if check else "diperbaiki"
    click.echo(f"{len(found)} selisih {verb}.")
    if check and found:
        raise SystemExit(1)
