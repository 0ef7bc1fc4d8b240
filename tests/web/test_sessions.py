"""Sessions over HTTP: logout really ends them, cookies carry the right flags, sign-in starts afresh."""

from __future__ import annotations

import re

from sqlalchemy import select
from werkzeug.test import TestResponse

from elearn.i18n import LOCALE_SESSION_KEY
from elearn.models import AuditEntry
from tests.factories import make_person
from tests.web.accounts_support import (
    PASSWORD,
    is_signed_in,
    new_browser,
    production_app,
    sign_in,
)


def set_cookie_header(response: TestResponse, name: str) -> str:
    headers = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}=")]
    assert headers, f"no Set-Cookie for {name}"
    return headers[-1]


def test_logout_replayed_session_cookie_is_signed_out(app, client, session):
    person = make_person(session, password=PASSWORD)
    session.commit()
    sign_in(client, person.nip)
    captured = client.get_cookie("session").value
    assert is_signed_in(new_browser(app, session=captured)), "the captured cookie must work before logout"

    assert client.post_form("/keluar").status_code == 302

    replay = new_browser(app, session=captured)
    response = replay.get("/")
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]
    assert not is_signed_in(client)


def test_logout_replayed_remember_cookie_is_signed_out(app, client, session):
    person = make_person(session, password=PASSWORD)
    session.commit()
    sign_in(client, person.nip, remember=True)
    captured = client.get_cookie("remember_token").value
    assert is_signed_in(new_browser(app, remember_token=captured)), "remember cookie must work before logout"

    response = client.post_form("/keluar")
    assert "remember_token=;" in set_cookie_header(response, "remember_token"), "logout deletes the cookie"

    assert not is_signed_in(new_browser(app, remember_token=captured))


def test_logout_with_refused_token_signs_this_browser_out_and_writes_nothing(app, client, session):
    person = make_person(session, password=PASSWORD)
    session.commit()
    sign_in(client, person.nip, remember=True)
    other_device = new_browser(app)
    sign_in(other_device, person.nip)
    version = person.session_version

    response = client.post("/keluar", data={"csrf_token": "kedaluwarsa"})

    assert response.status_code == 302 and response.headers["Location"] == "/masuk"
    assert "remember_token=;" in set_cookie_header(response, "remember_token")
    assert not is_signed_in(client)
    assert is_signed_in(other_device), "an unverified request only ends this browser's session"
    session.refresh(person)
    assert person.session_version == version
    assert session.scalars(select(AuditEntry.action).where(AuditEntry.action == "account.logout")).all() == []


def test_logout_when_already_signed_out_lands_on_login_page(client):
    response = client.post_form("/keluar")
    assert response.status_code == 302 and response.headers["Location"] == "/masuk"


def test_cookies_development_httponly_lax_not_secure(client, session):
    person = make_person(session, password=PASSWORD)
    session.commit()
    response = sign_in(client, person.nip, remember=True)
    for name in ("session", "remember_token"):
        header = set_cookie_header(response, name)
        assert "HttpOnly" in header and "SameSite=Lax" in header
        assert "Secure" not in header


def test_cookies_production_are_secure_httponly_lax(app, database_url, session):
    nip = make_person(session, password=PASSWORD).nip
    session.commit()
    with production_app(database_url) as production:
        client = production.test_client()
        page = client.get("/masuk", base_url="https://localhost")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
        response = client.post(
            "/masuk",
            base_url="https://localhost",
            headers={"Referer": "https://localhost/masuk"},
            data={"csrf_token": token, "identifier": nip, "password": PASSWORD, "remember": "y"},
        )
        assert response.status_code == 302
        for name in ("session", "remember_token"):
            header = set_cookie_header(response, name)
            assert "Secure" in header and "HttpOnly" in header and "SameSite=Lax" in header


def test_login_starts_fresh_session_keeping_language(client, session):
    person = make_person(session, password=PASSWORD)
    session.commit()
    with client.session_transaction() as browser_session:
        browser_session["planted_by_attacker"] = "x"
        browser_session[LOCALE_SESSION_KEY] = "en"

    sign_in(client, person.nip)

    with client.session_transaction() as browser_session:
        assert "planted_by_attacker" not in browser_session
        assert browser_session[LOCALE_SESSION_KEY] == "en"
        assert browser_session["_user_id"] == person.get_id()


def test_change_password_ends_other_sessions_keeps_this_one(app, client, session):
    person = make_person(session, password=PASSWORD)
    session.commit()
    other_device = new_browser(app)
    sign_in(other_device, person.nip)
    sign_in(client, person.nip, remember=True)

    response = client.post_form(
        "/akun/kata-sandi",
        {
            "current_password": PASSWORD,
            "new_password": "sandi-baru-yang-panjang",
            "confirm_password": "sandi-baru-yang-panjang",
        },
    )

    assert response.status_code == 302
    assert is_signed_in(client)
    assert not is_signed_in(other_device)
    renewed = client.get_cookie("remember_token").value
    assert is_signed_in(new_browser(app, remember_token=renewed)), "the remember cookie is re-issued"
