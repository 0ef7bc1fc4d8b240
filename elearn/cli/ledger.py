"""`flask elearn ledger recompute`: rebuild the JP summary from completions and external training, and say what
differed (run it after upgrading to the release that adds the summary, or whenever a check is wanted)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from elearn.cli.group import elearn_cli
from elearn.services import ledger
from elearn.state import clock, db_session

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
            f"tersimpan kursus={difference.stored.course_jp} eksternal={difference.stored.external_jp} "
            f"menunggu={difference.stored.pending_jp}; seharusnya kursus={difference.computed.course_jp} "
            f"eksternal={difference.computed.external_jp} menunggu={difference.computed.pending_jp}"
        )
    verb = "ditemukan" if check else "diperbaiki"
    click.echo(f"{len(found)} selisih {verb}.")
    if check and found:
        raise SystemExit(1)
