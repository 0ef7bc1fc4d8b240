"""`flask elearn create-admin`, `issue-activation` and `prune-login-attempts`, checked through the web."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from elearn.db import utcnow
from elearn.models import LoginAttempt, Person
from tests.factories import make_person, valid_nip
from tests.web.accounts_support import is_signed_in, sign_in, stop_clock

ADMIN_PASSWORD = "sandi-admin-pertama"


def run(app: Flask, *args: str, input: str | None = None):  # noqa: ANN201
    return app.test_cli_runner().invoke(args=["elearn", *args], input=input)


def test_create_admin_prompts_and_admin_can_sign_in(app, client, session):
    nip = valid_nip(41)
    result = run(
        app,
        "create-admin",
        input=f"{nip}\nDewi Lestari\nDewi@Contoh.go.id\n{ADMIN_PASSWORD}\n{ADMIN_PASSWORD}\n",
    )

    assert result.exit_code == 0, result.output
    assert ADMIN_PASSWORD not in result.output
    admin = session.scalar(select(Person).where(Person.nip == nip))
    assert admin.name == "Dewi Lestari" and admin.email == "dewi@contoh.go.id" and admin.roles == {"admin"}
    assert sign_in(client, "dewi@contoh.go.id", ADMIN_PASSWORD).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_create_admin_reprompts_weak_or_mismatched_password(app, session):
    nip = valid_nip(42)
    result = run(
        app,
        "create-admin",
        "--nip",
        nip,
        "--name",
        "Dewi",
        input=f"\npendek\npendek\n{ADMIN_PASSWORD}\nlain-lagi-panjang\n{ADMIN_PASSWORD}\n{ADMIN_PASSWORD}\n",
    )

    assert result.exit_code == 0, result.output
    assert "Kesalahan: Kata sandi minimal 10 karakter." in result.output
    assert "Kesalahan: kedua kata sandi tidak sama." in result.output
    assert session.scalar(select(Person).where(Person.nip == nip)) is not None


def test_create_admin_refuses_password_option(app):
    result = run(app, "create-admin", "--password", ADMIN_PASSWORD)
    assert result.exit_code == 2 and "No such option" in result.output


def test_create_admin_refuses_taken_nip(app, session):
    existing = make_person(session)
    session.commit()
    result = run(
        app,
        "create-admin",
        "--nip",
        existing.nip,
        "--name",
        "X",
        input=f"\n{ADMIN_PASSWORD}\n{ADMIN_PASSWORD}\n",
    )
    assert result.exit_code == 1 and "sudah dipakai orang lain" in result.output
    session.refresh(existing)
    assert existing.roles == {"employee"}


def test_create_admin_rejects_invalid_nip(app):
    result = run(app, "create-admin", input="12345\n")
    assert result.exit_code != 0 and "18 angka" in result.output


def test_issue_activation_prints_working_link_and_code(app, client, session):
    person = make_person(session)
    session.commit()

    result = run(app, "issue-activation", person.nip, "--base-url", "https://elearn.contoh.go.id")

    assert result.exit_code == 0, result.output
    link = re.search(r"tautan: https://elearn\.contoh\.go\.id(/aktivasi/\S+)", result.output).group(1)
    code = re.search(r"kode: (\S+)", result.output).group(1)
    assert client.get(link).status_code == 200
    response = client.post_form(
        "/aktivasi",
        {"nip": person.nip, "code": code, "new_password": ADMIN_PASSWORD, "confirm_password": ADMIN_PASSWORD},
    )
    assert response.status_code == 302 and is_signed_in(client)


def test_issue_activation_prints_expiry_on_the_office_clock(app, session):
    person = make_person(session)
    session.commit()
    stop_clock(app)

    result = run(app, "issue-activation", person.nip)

    assert "berlaku 72 jam (sampai 5 Maret 2026, 10.00 WIB)" in result.output, "72 hours after 10.00 WIB"
    assert "UTC" not in result.output


def test_issue_activation_unknown_nip_fails(app):
    result = run(app, "issue-activation", valid_nip(43))
    assert result.exit_code == 1 and "Tidak ada pegawai dengan NIP" in result.output


def test_prune_login_attempts_removes_only_old_rows(app, session):
    session.add_all(
        [
            LoginAttempt(at=utcnow() - timedelta(days=2), identifier="lama", ip="1.2.3.4"),
            LoginAttempt(at=utcnow() - timedelta(minutes=5), identifier="baru", ip="1.2.3.4"),
        ]
    )
    session.commit()

    result = run(app, "prune-login-attempts")

    assert result.exit_code == 0 and "1 percobaan masuk yang lebih lama dari 1 hari dihapus." in result.output
    assert session.scalars(select(LoginAttempt.identifier)).all() == ["baru"]
