"""`flask elearn create-admin`, `issue-activation`, `prune-login-attempts`: account chores on the server."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select

from elearn.accounts.links import activation_code_page, activation_link
from elearn.accounts.messages import password_problem_message
from elearn.cli.group import elearn_cli
from elearn.i18n import office_time
from elearn.models import Person
from elearn.people.nip import identifier_problem
from elearn.services import accounts, login_throttle
from elearn.state import clock, db_session

# The `flask elearn` commands speak Bahasa Indonesia (sync, import-org), whatever language a browser chose.
CLI_LOCALE = "id"


def _checked_nip(value: str) -> str:
    """A click value_proc: re-prompt until the NIP is 18 valid digits."""
    nip = value.strip()
    problem = identifier_problem(nip, today=clock().today())
    if problem:
        raise click.BadParameter(problem)
    return nip


def _prompt_new_password(nip: str) -> str:
    """Ask at a hidden prompt until the password is typed the same twice and follows the rules."""
    while True:
        password = click.prompt("Kata sandi", hide_input=True)
        if click.prompt("Ulangi kata sandi", hide_input=True) != password:
            click.echo("Kesalahan: kedua kata sandi tidak sama.", err=True)
            continue
        problem = accounts.password_problem(password, nip=nip)
        if problem is None:
            return password
        with force_locale(CLI_LOCALE):
            click.echo(f"Kesalahan: {password_problem_message(problem)}", err=True)


@elearn_cli.command("create-admin")
@click.option("--nip", help="NIP administrator (18 angka); ditanyakan bila tidak diberikan.")
@click.option("--name", help="Nama lengkap; ditanyakan bila tidak diberikan.")
def create_admin_command(nip: str | None, name: str | None) -> None:
    """Buat administrator; kata sandi diketik dua kali tanpa terlihat, tidak pernah sebagai opsi."""
    nip = _checked_nip(nip) if nip else click.prompt("NIP", value_proc=_checked_nip)
    name = name or click.prompt("Nama")
    email = click.prompt("E-mail (boleh kosong)", default="", show_default=False)
    password = _prompt_new_password(nip)
    session = db_session()
    try:
        person = accounts.create_admin(session, nip=nip, name=name, email=email, password=password)
    except accounts.AccountError as error:
        raise click.ClickException("NIP atau e-mail itu sudah dipakai orang lain.") from error
    session.commit()
    click.echo(f"Administrator {person.name} ({person.nip}) dibuat; masuk dengan NIP dan kata sandi ini.")


@elearn_cli.command("issue-activation")
@click.argument("nip")
@click.option(
    "--base-url",
    default="http://localhost:5000",
    show_default=True,
    help="Alamat tempat orang membuka elearn, misalnya https://elearn.contoh.go.id",
)
def issue_activation_command(nip: str, base_url: str) -> None:
    """Cetak tautan dan kode aktivasi sekali pakai untuk NIP (juga cara mengatur ulang kata sandi yang terlupa)."""
    session = db_session()
    person = session.scalar(select(Person).where(Person.nip == nip.strip()))
    if person is None:
        raise click.ClickException(f"Tidak ada pegawai dengan NIP {nip}.")
    hours = current_app.config["ELEARN_ACTIVATION_HOURS"]
    try:
        issued = accounts.issue_activation(
            session,
            person=person,
            issued_by=None,
            valid_for=timedelta(hours=hours),
            ip=None,
            now=clock().now(),
        )
    except accounts.AccountError as error:
        raise click.ClickException(
            f"{person.name} ({person.nip}) nonaktif; aktifkan kembali akunnya dulu."
        ) from error
    session.commit()
    with current_app.test_request_context(base_url=base_url), force_locale(CLI_LOCALE):
        link = activation_link(issued.token)
        code_page = activation_code_page()
        expires = office_time(issued.expires_at, "d MMMM yyyy, HH.mm zzz")
    click.echo(
        f"Aktivasi untuk {person.name} ({person.nip}), berlaku {hours} jam "
        f"(sampai {expires}). Tautan dan kode sebelumnya tidak berlaku lagi."
    )
    click.echo(f"  tautan: {link}")
    click.echo(f"  kode: {issued.code}  (dimasukkan bersama NIP di {code_page})")


@elearn_cli.command("prune-login-attempts")
def prune_login_attempts_command() -> None:
    """Hapus percobaan masuk yang terlalu lama untuk dihitung (lewat cron tiap hari, atau biarkan saat orang masuk)."""
    session = db_session()
    retention = login_throttle.ThrottlePolicy.from_config(current_app.config).retention
    removed = login_throttle.prune(session, now=clock().now(), older_than=retention)
    session.commit()
    click.echo(f"{removed} percobaan masuk yang lebih lama dari {_in_words(retention)} dihapus.")


def _in_words(duration: timedelta) -> str:
    """A duration as whole days, hours or minutes, in Bahasa Indonesia."""
    minutes = int(duration.total_seconds() // 60)
    for size, unit in ((24 * 60, "hari"), (60, "jam")):
        if minutes % size == 0:
            return f"{minutes // size} {unit}"
    return f"{minutes} menit"
