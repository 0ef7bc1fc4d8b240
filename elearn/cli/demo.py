"""`flask elearn demo`: the demo city government, its courses, and one printed login per role."""

from __future__ import annotations

import click
from flask import current_app

from elearn.cli.group import elearn_cli
from elearn.state import clock, db_session, outlines


@elearn_cli.command("demo")
def demo_command() -> None:
    """Muat organisasi demo (sekali) dan kursus, lalu cetak akun baru untuk setiap peran."""
    from elearn.services.demo import load_demo

    session = db_session()
    logins = load_demo(session, today=clock().today())
    session.commit()
    _sync_demo_courses()
    _assign_demo_learning()
    _seed_demo_competencies()
    base = f"http://127.0.0.1:5000{current_app.config['ELEARN_URL_PREFIX']}/masuk"
    click.echo(f"\nDemo: Pemerintah Kota Salatiga. Masuk di {base} dengan NIP dan kata sandi berikut")
    click.echo("(sign in with the NIP and password below):\n")
    for login in logins:
        click.echo(f"  {login.role:<11} {login.nip}  {login.password:<14} {login.name}")
    click.echo(
        "\nKata sandi berganti setiap kali `flask elearn demo` dijalankan (passwords change on every run)."
    )


def _assign_demo_learning() -> None:
    """Demo assignments from mentors and a supervisor, once the courses are in the catalogue."""
    from elearn.services.demo import assign_demo_learning

    session = db_session()
    added = assign_demo_learning(session, today=clock().today(), now=clock().now(), outlines=outlines())
    session.commit()
    if added:
        click.echo(f"{added} tugas belajar demo diberikan oleh mentor dan atasan.")


def _seed_demo_competencies() -> None:
    """Competency standards for the demo positions (after the courses, which define the technical ones)."""
    from elearn.services.demo_competency import seed_demo_assessments, seed_demo_standards

    session = db_session()
    given = seed_demo_standards(session)
    assessed = seed_demo_assessments(session, today=clock().today())
    session.commit()
    if given:
        click.echo(f"Standar kompetensi jabatan (SKJ) demo untuk {given} jabatan.")
    if assessed:
        click.echo(f"{assessed} hasil asesmen kompetensi demo dicatat.")


def _sync_demo_courses() -> None:
    """Import the courses folder with `flask elearn courses sync`, so the demo has a catalogue."""
    from pathlib import Path

    from elearn.cli.courses import sync_command

    root = Path(current_app.config["ELEARN_COURSES_DIR"])
    if root.is_dir():
        click.get_current_context().invoke(sync_command, path=root)
