"""`flask elearn jobs`: run the admin page's import checks and imports on this machine, outside any web server."""

from __future__ import annotations

import time

import click
from flask import current_app

from elearn.cli.group import elearn_cli
from elearn.import_runner import run_queued_jobs


@elearn_cli.command("jobs")
@click.option("--once", is_flag=True, help="Jalankan tugas yang sedang menunggu, lalu berhenti.")
@click.option(
    "--poll",
    default=2.0,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Detik antarpemeriksaan antrean.",
)
def jobs_command(once: bool, poll: float) -> None:
    """Jalankan tugas impor dari halaman admin (pemeriksaan dan penyimpanan berkas) di mesin ini.

    Beberapa pekerja, di mesin mana pun, boleh berjalan bersamaan: setiap tugas diambil satu pekerja saja.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # typed as Flask, is a LocalProxy
    while True:
        ran = run_queued_jobs(app)
        if ran:
            click.echo(f"{ran} tugas impor selesai.")
        if once:
            return
        time.sleep(poll)
