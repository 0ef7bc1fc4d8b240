"""Activation over HTTP: an admin issues a one-time link and code; the person sets a password, signed in."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import Select, select

from elearn import scope
from elearn.db import utcnow
from elearn.models import ActivationToken, AuditEntry, Person
from tests.conftest import ElearnClient
from tests.factories import login, make_person
from tests.web.accounts_support import (
    PASSWORD,
    is_signed_in,
    new_browser,
    page_text,
    sign_in,
    stop_clock,
)

NEW_PASSWORD = "sandi-pertama-saya"


@pytest.fixture
def admin_client(app: Flask, session) -> ElearnClient:
    admin = make_person(session, roles=("admin",), password=PASSWORD)
    session.commit()
    browser = new_browser(app)
    login(browser, admin)
    return browser


def issue(admin_client: ElearnClient, person: Person) -> tuple[str, str, str]:
    """Issue through the admin route; return (page html, link path, code)."""
    response = admin_client.post_form(f"/admin/orang/{person.id}/aktivasi")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    link, code = re.findall(r'<code class="secret">([^<]+)</code>', html)
    return html, link.removeprefix("http://localhost"), code


def new_password(password: str = NEW_PASSWORD, confirm: str | None = None) -> dict[str, str]:
    return {"new_password": password, "confirm_password": password if confirm is None else confirm}


def actions(session) -> list[str]:
    return list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_issue_activation_shows_link_and_code_once_and_stores_only_hashes(admin_client, session):
    person = make_person(session, name="Rina Wulandari")
    session.commit()

    html, link, code = issue(admin_client, person)

    token = link.rsplit("/", 1)[1]
    assert "Rina Wulandari" in html and re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    stored = set(
        session.scalars(select(ActivationToken.token_hash).where(ActivationToken.person_id == person.id))
    )
    assert len(stored) == 2 and hashlib.sha256(f"link:{token}".encode()).hexdigest() in stored
    assert not any(token in h or code.replace("-", "") in h for h in stored)
    assert actions(session) == ["account.activation_issued"]


def test_issue_activation_page_shows_expiry_on_the_office_clock(app, admin_client, session):
    person = make_person(session)
    session.commit()
    stop_clock(app)

    html, _, _ = issue(admin_client, person)

    assert "72 jam, sampai 5 Maret 2026, 10.00 WIB" in html


def test_issue_activation_page_is_not_cached(admin_client, session):
    person = make_person(session)
    session.commit()
    response = admin_client.post_form(f"/admin/orang/{person.id}/aktivasi")
    assert response.headers["Cache-Control"] == "private, no-store"


def test_issue_activation_forbidden_for_non_admin(app, session):
    employee = make_person(session, password=PASSWORD)
    target = make_person(session)
    session.commit()
    browser = new_browser(app)
    login(browser, employee)
    assert browser.post_form(f"/admin/orang/{target.id}/aktivasi").status_code == 404
    assert session.scalars(select(ActivationToken)).all() == []


def test_issue_activation_inactive_person_refused(admin_client, session):
    person = make_person(session, active=False)
    session.commit()
    response = admin_client.post_form(f"/admin/orang/{person.id}/aktivasi")
    assert response.status_code == 409 and "nonaktif" in page_text(response)
    assert session.scalars(select(ActivationToken)).all() == []


def test_issue_activation_unknown_person_not_found(admin_client):
    assert admin_client.post_form("/admin/orang/999999/aktivasi").status_code == 404


def test_issue_activation_person_outside_admin_scope_not_found(admin_client, session, monkeypatch):
    person = make_person(session)
    session.commit()

    def only_themself(viewer: Person, **_: object) -> Select[Person]:
        return select(Person).where(Person.id == viewer.id)

    monkeypatch.setattr(scope, "people_visible_to", only_themself)

    response = admin_client.post_form(f"/admin/orang/{person.id}/aktivasi")

    assert response.status_code == 404, "the admin action looks people up through elearn.scope"
    assert session.scalars(select(ActivationToken)).all() == []


def test_activation_link_sets_password_and_signs_in(admin_client, client, session):
    person = make_person(session, name="Rina Wulandari")
    session.commit()
    _, link, _ = issue(admin_client, person)

    form_page = client.get(link)
    response = client.post_form(link, new_password())

    assert "Rina Wulandari" in page_text(form_page) and 'autocomplete="new-password"' in form_page.text
    assert response.status_code == 302 and is_signed_in(client)
    assert actions(session)[-1] == "account.activated"
    assert sign_in(new_browser(client.application), person.nip, NEW_PASSWORD).status_code == 302


def test_activation_link_works_only_once(admin_client, client, session):
    person = make_person(session)
    session.commit()
    _, link, _ = issue(admin_client, person)
    client.post_form(link, new_password())

    again = new_browser(client.application)
    assert again.get(link).status_code == 404
    assert again.post_form(link, new_password("sandi-penyerang-123")).status_code == 404
    assert sign_in(again, person.nip, "sandi-penyerang-123").status_code == 200


def test_activation_link_expired_is_refused(admin_client, client, session):
    person = make_person(session)
    session.commit()
    _, link, _ = issue(admin_client, person)
    for row in session.scalars(select(ActivationToken)):
        row.expires_at = utcnow() - timedelta(minutes=1)
    session.commit()

    response = client.get(link)

    assert response.status_code == 404
    assert "Tautan aktivasi tidak berlaku" in page_text(response)


def test_issuing_again_revokes_previous_link_and_code(admin_client, client, session):
    person = make_person(session)
    session.commit()
    _, old_link, old_code = issue(admin_client, person)
    _, new_link, _ = issue(admin_client, person)

    refused = client.post_form("/aktivasi", {"nip": person.nip, "code": old_code, **new_password()})

    assert client.get(old_link).status_code == 404
    assert "kode aktivasi salah" in page_text(refused)
    assert client.get(new_link).status_code == 200


def test_activation_code_with_nip_sets_password_and_voids_link(admin_client, client, session):
    person = make_person(session)
    session.commit()
    _, link, code = issue(admin_client, person)

    typed = code.replace("-", " ").lower()
    response = client.post_form("/aktivasi", {"nip": person.nip, "code": typed, **new_password()})

    assert response.status_code == 302 and is_signed_in(client)
    assert new_browser(client.application).get(link).status_code == 404
    assert actions(session)[-1] == "account.activated"


def test_activation_code_wrong_code_throttled_after_max_failures(app, admin_client, client, session):
    person = make_person(session)
    session.commit()
    _, _, code = issue(admin_client, person)
    for _ in range(app.config["ELEARN_LOGIN_MAX_FAILURES_PAIR"]):
        wrong = client.post_form("/aktivasi", {"nip": person.nip, "code": "AAAA-AAAA", **new_password()})
        assert "kode aktivasi salah" in page_text(wrong)

    response = client.post_form("/aktivasi", {"nip": person.nip, "code": code, **new_password()})

    assert response.status_code == 429
    assert "Terlalu banyak kode aktivasi yang salah. Coba lagi dalam 15 menit." in page_text(response)
    assert "percobaan masuk" not in page_text(response), "this page is not the login page"
    session.refresh(person)
    assert person.password_hash is None


@pytest.mark.parametrize(
    ("password", "confirm", "message"),
    [
        ("pendek", None, "Kata sandi minimal 10 karakter."),
        ("NIP", None, "Kata sandi tidak boleh sama dengan NIP."),
        ("sandi-pertama-saya", "sandi-kedua-saya", "Kedua kata sandi tidak sama."),
    ],
)
def test_activation_password_rules_errors_next_to_field(
    admin_client, client, session, password, confirm, message
):
    person = make_person(session)
    session.commit()
    _, link, _ = issue(admin_client, person)
    password = person.nip if password == "NIP" else password

    response = client.post_form(link, new_password(password, confirm))

    assert response.status_code == 200
    field = "confirm_password" if confirm else "new_password"
    assert re.search(rf'id="{field}-error">{re.escape(message)}<', response.text)
    assert client.get(link).status_code == 200, "a refused password does not use up the link"


def test_activation_without_csrf_token_changes_nothing(admin_client, client, session):
    person = make_person(session)
    session.commit()
    _, link, _ = issue(admin_client, person)

    assert client.post(link, data=new_password()).status_code == 400

    session.refresh(person)
    assert person.password_hash is None
    assert client.get(link).status_code == 200


def test_activation_reset_ends_sessions_opened_with_old_password(app, admin_client, session):
    person = make_person(session, password=PASSWORD)
    session.commit()
    old_device = new_browser(app)
    sign_in(old_device, person.nip)
    _, link, _ = issue(admin_client, person)

    new_browser(app).post_form(link, new_password())

    assert not is_signed_in(old_device)
    assert sign_in(new_browser(app), person.nip, PASSWORD).status_code == 200
