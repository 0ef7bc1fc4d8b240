"""Changing one's own password over HTTP: the current password is asked, rules apply, CSRF is required."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from elearn.models import AuditEntry, LoginAttempt
from tests.factories import make_person
from tests.web.accounts_support import PASSWORD, from_address, new_browser, page_text, sign_in

URL = "/akun/kata-sandi"
NEW = "sandi-baru-yang-panjang"


@pytest.fixture
def person(client, session):
    person = make_person(session, password=PASSWORD)
    session.commit()
    sign_in(client, person.nip)
    return person


def actions(session) -> list[str]:
    """The audit actions written since the person signed in."""
    query = select(AuditEntry.action).where(AuditEntry.action != "account.login").order_by(AuditEntry.id)
    return list(session.scalars(query))


def form(current: str = PASSWORD, new: str = NEW, confirm: str = NEW) -> dict[str, str]:
    return {"current_password": current, "new_password": new, "confirm_password": confirm}


def test_change_password_page_requires_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]


def test_change_password_page_has_autocomplete_hints(client, person):
    html = client.get(URL).text
    assert 'autocomplete="current-password"' in html and html.count('autocomplete="new-password"') == 2


def test_change_password_replaces_password_and_audits(app, client, session, person):
    response = client.post_form(URL, form())

    assert response.status_code == 302
    assert actions(session) == ["account.password_changed"]
    assert sign_in(new_browser(app), person.nip, NEW).status_code == 302
    assert sign_in(new_browser(app), person.nip, PASSWORD).status_code == 200


def test_change_password_wrong_current_shows_error_keeps_hash(client, session, person):
    before = person.password_hash

    response = client.post_form(URL, form(current="bukan-yang-lama"))

    assert re.search(r'id="current_password-error">Kata sandi saat ini salah\.<', response.text)
    session.refresh(person)
    assert person.password_hash == before


def test_change_password_wrong_current_counts_as_failed_login_and_audits(client, session, person):
    client.post_form(URL, form(current="bukan-yang-lama"))

    failures = session.scalars(select(LoginAttempt).where(LoginAttempt.succeeded.is_(False))).all()
    assert [(a.identifier, a.ip) for a in failures] == [(person.nip, "127.0.0.1")]
    assert actions(session) == ["account.password_change_refused"]


def test_change_password_throttled_after_max_wrong_current_refuses_right_one(app, client, session, person):
    before = person.password_hash
    for _ in range(app.config["ELEARN_LOGIN_MAX_FAILURES_PAIR"]):
        assert client.post_form(URL, form(current="bukan-yang-lama")).status_code == 200

    response = client.post_form(URL, form())

    assert response.status_code == 429 and response.headers["Retry-After"] == str(15 * 60)
    assert "Terlalu banyak percobaan kata sandi yang salah. Coba lagi dalam 15 menit." in page_text(response)
    session.refresh(person)
    assert person.password_hash == before


def test_change_password_wrong_current_throttles_login_from_same_address(app, client, session, person):
    for _ in range(app.config["ELEARN_LOGIN_MAX_FAILURES_PAIR"]):
        client.post_form(URL, form(current="bukan-yang-lama"))
    assert sign_in(new_browser(app), person.nip).status_code == 429
    assert sign_in(from_address(app, "198.51.100.9"), person.nip).status_code == 302


@pytest.mark.parametrize(
    ("new", "confirm", "field", "message"),
    [
        ("pendek", "pendek", "new_password", "Kata sandi minimal 10 karakter."),
        (NEW, "lain-lagi-panjang", "confirm_password", "Kedua kata sandi tidak sama."),
    ],
)
def test_change_password_rules_show_errors_next_to_fields(
    client, session, person, new, confirm, field, message
):
    before = person.password_hash
    response = client.post_form(URL, form(new=new, confirm=confirm))
    assert re.search(rf'id="{field}-error">{re.escape(message)}<', response.text)
    session.refresh(person)
    assert person.password_hash == before


def test_change_password_equal_to_nip_refused(client, person):
    response = client.post_form(URL, form(new=person.nip, confirm=person.nip))
    assert "Kata sandi tidak boleh sama dengan NIP." in response.text


def test_change_password_without_csrf_token_leaves_hash_unchanged(client, session, person):
    before = person.password_hash

    response = client.post(URL, data=form())

    assert response.status_code == 400
    session.refresh(person)
    assert person.password_hash == before
