"""`flask elearn competency recompute [--check]` and `flask elearn competency refresh`: rebuild the attained levels
and standings from the evidence (and say what differed), and the daily re-derivation of levels whose evidence
expired."""

from __future__ import annotations

import sys
from typing import Any

import click
from sqlalchemy import func, select

from elearn.cli.competency import competency_cli
from elearn.models import Person
from elearn.services import competency_evidence
from elearn.services.competency_evidence import Difference
from elearn.state import clock, db_session

SHOWN = 50
"""Differences printed one by one; the count covers them all."""


def _row(values: tuple[Any, ...] | None, *, standing: bool) -> str:
    if values is None:
        return "tidak ada"
    if standing:
        position, required, attained, gaps, jpm = values
        return f"jabatan={position} wajib={required} capai={attained} kesenjangan={gaps} jpm={jpm}"
    level, since, evidence, until = values
    return f"level={level} sejak={since} bukti={evidence} berlaku_sampai={until or '-'}"


def _describe(difference: Difference) -> str:
    standing = difference.competency_id is None
    what = "standar" if standing else f"kompetensi {difference.competency_id}"
    return (
        f"pegawai {difference.person_id} {what}: tersimpan {_row(difference.stored, standing=standing)}; "
        f"seharusnya {_row(difference.derived, standing=standing)}"
    )


@competency_cli.command("recompute")
@click.option(
    "--check", is_flag=True, help="Hanya laporkan selisih, jangan ubah apa pun (keluar 1 bila ada)."
)
def recompute_command(check: bool) -> None:
    """Hitung ulang level kompetensi yang dicapai dan standar tiap pegawai dari bukti, lalu laporkan selisihnya."""
    session = db_session()
    today = clock().today()
    total = session.scalar(select(func.count(Person.id))) or 0
    with click.progressbar(length=total, label="Pegawai", file=sys.stderr, show_pos=True) as bar:
        found = competency_evidence.recompute_all(
            session,
            today=today,
            progress=lambda people: bar.update(people),
            apply=not check,
            end_chunk=session.rollback if check else session.commit,
        )
    for difference in found[:SHOWN]:
        click.echo(_describe(difference))
    if len(found) > SHOWN:
        click.echo(f"... dan {len(found) - SHOWN} lagi.")
    verb = "ditemukan" if check else "diperbaiki"
    click.echo(f"{len(found)} selisih {verb}.")
    if check and found:
        raise SystemExit(1)


@competency_cli.command("refresh")
def refresh_command() -> None:
    """Perbarui level yang buktinya kedaluwarsa hari ini (jalankan setiap hari)."""
    session = db_session()
    changed = competency_evidence.refresh_expired(session, today=clock().today(), end_chunk=session.commit)
    session.commit()
    click.echo(f"{changed} level kompetensi diperbarui.")
