"""Forms posted after their CSRF token or session expired: the account forms come back filled in with a fresh token;
every other POST gets the styled 400 page with the way back, and its action never runs."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from sqlalchemy import func, select

from elearn.form_tokens import ANSWERS_REFUSAL
from elearn.models import ActivationToken, AuditEntry, LoginAttempt
from tests.conftest import ElearnClient
from tests.factories import login, make_person
from tests.web.accounts_support import PASSWORD, is_signed_in, new_browser, page_text, production_app

EXPIRED = "Formulir ini sudah kedaluwarsa"
STALE_TOKEN = "IjQ2ZGY0YjM1In0.kedaluwarsa.tanda-tangan-lama"


def token_in(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def value_of(html: str, name: str) -> str | None:
    """The value an input named `name` is rendered with (None when it has none)."""
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
    value = re.search(r'value="([^"]*)"', tag)
    return value.group(1) if value else None


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def person(session):
    person = make_person(session, password=PASSWORD)
    session.commit()
    return person


def test_login_with_stale_token_comes_back_filled_in_and_the_fresh_token_signs_in(client, session, person):
    client.csrf_token()
    typed = {"identifier": person.nip, "password": PASSWORD, "remember": "y", "csrf_token": STALE_TOKEN}

    refilled = client.post("/masuk", data=typed)

    html = refilled.get_data(as_text=True)
    assert refilled.status_code == 400 and EXPIRED in page_text(refilled)
    assert value_of(html, "identifier") == person.nip
    assert not value_of(html, "password"), "a password is never sent back"
    assert '<input checked id="remember"' in html
    assert count(session, LoginAttempt) == 0 and count(session, AuditEntry) == 0, "nothing was tried"
    assert not is_signed_in(client)

    fresh = token_in(html)
    response = client.post("/masuk", data={**typed, "csrf_token": fresh})
    assert response.status_code == 302 and is_signed_in(client)


def test_login_after_the_session_ended_comes_back_with_a_token_for_a_new_session(app, person):
    old_browser = new_browser(app)
    token = old_browser.csrf_token()
    cookie_gone = new_browser(app)

    refilled = cookie_gone.post(
        "/masuk", data={"identifier": person.nip, "password": PASSWORD, "csrf_token": token}
    )

    assert refilled.status_code == 400 and EXPIRED in page_text(refilled)
    assert value_of(refilled.get_data(as_text=True), "identifier") == person.nip
    assert any(h.startswith("session=") for h in refilled.headers.getlist("Set-Cookie"))
    fresh = token_in(refilled.get_data(as_text=True))
    again = cookie_gone.post(
        "/masuk", data={"identifier": person.nip, "password": PASSWORD, "csrf_token": fresh}
    )
    assert again.status_code == 302 and is_signed_in(cookie_gone)


def test_login_refill_keeps_where_the_person_was_going(client, person):
    client.csrf_token()
    refilled = client.post(
        "/masuk?next=/akun/kata-sandi",
        data={"identifier": person.nip, "password": PASSWORD, "csrf_token": STALE_TOKEN},
    )
    fresh = token_in(refilled.get_data(as_text=True))
    response = client.post(
        "/masuk?next=/akun/kata-sandi",
        data={"identifier": person.nip, "password": PASSWORD, "csrf_token": fresh},
    )
    assert response.headers["Location"] == "/akun/kata-sandi"


def test_activation_code_form_comes_back_with_nip_and_code_but_no_password(client, session, person):
    client.csrf_token()
    typed = {
        "nip": person.nip,
        "code": "ABCD-2345",
        "new_password": "sandi-pertama-saya",
        "confirm_password": "sandi-pertama-saya",
        "csrf_token": STALE_TOKEN,
    }

    refilled = client.post("/aktivasi", data=typed)

    html = refilled.get_data(as_text=True)
    assert refilled.status_code == 400 and EXPIRED in page_text(refilled)
    assert value_of(html, "nip") == person.nip and value_of(html, "code") == "ABCD-2345"
    assert not value_of(html, "new_password") and not value_of(html, "confirm_password")
    assert count(session, LoginAttempt) == 0


def test_activation_link_form_comes_back_and_the_link_still_works(app, client, session):
    admin = make_person(session, roles=("admin",))
    person = make_person(session, name="Rina Wulandari")
    session.commit()
    admin_browser = new_browser(app)
    login(admin_browser, admin)
    issued = admin_browser.post_form(f"/admin/orang/{person.id}/aktivasi").get_data(as_text=True)
    link = re.findall(r'<code class="secret">([^<]+)</code>', issued)[0].removeprefix("http://localhost")
    client.get(link)
    passwords = {"new_password": "sandi-pertama-saya", "confirm_password": "sandi-pertama-saya"}

    refilled = client.post(link, data={**passwords, "csrf_token": STALE_TOKEN})

    assert (
        refilled.status_code == 400
        and EXPIRED in page_text(refilled)
        and "Rina Wulandari" in page_text(refilled)
    )
    session.refresh(person)
    assert person.password_hash is None
    fresh = token_in(refilled.get_data(as_text=True))
    assert client.post(link, data={**passwords, "csrf_token": fresh}).status_code == 302


def test_change_password_form_comes_back_and_changes_nothing(client, session, person):
    login(client, person)
    before = person.password_hash
    client.get("/akun/kata-sandi")

    refilled = client.post(
        "/akun/kata-sandi",
        data={
            "current_password": PASSWORD,
            "new_password": "sandi-baru-yang-panjang",
            "confirm_password": "sandi-baru-yang-panjang",
            "csrf_token": STALE_TOKEN,
        },
    )

    assert refilled.status_code == 400 and EXPIRED in page_text(refilled)
    session.refresh(person)
    assert person.password_hash == before
    assert count(session, LoginAttempt) == 0 and count(session, AuditEntry) == 0


def test_other_post_with_stale_token_gets_the_400_page_with_a_way_back_and_does_nothing(app, session):
    admin = make_person(session, roles=("admin",))
    target = make_person(session)
    session.commit()
    browser = new_browser(app)
    login(browser, admin)
    page = f"/admin/orang/{target.id}"

    response = browser.post(
        f"{page}/aktivasi", data={"csrf_token": STALE_TOKEN}, headers={"Referer": f"http://localhost{page}"}
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<h1>Formulir sudah kedaluwarsa</h1>" in html and "tidak ada yang diubah" in html
    assert f'<a class="button primary" href="{page}">Kembali ke halaman sebelumnya</a>' in html
    assert 'class="skip-link"' in html, "in elearn's layout"
    assert count(session, ActivationToken) == 0


def test_way_back_is_offered_only_to_a_page_of_this_site(client):
    response = client.post(
        "/bahasa",
        data={"locale": "en", "csrf_token": STALE_TOKEN},
        headers={"Referer": "https://evil.example/x"},
    )
    assert response.status_code == 400 and "Kembali ke halaman sebelumnya" not in response.get_data(
        as_text=True
    )


def test_opted_in_form_gets_the_same_check_as_every_other_post(database_url, session, person):
    """Over HTTPS CSRFProtect also wants a same-site Referer; the login form, checked by its decorator, does too."""
    nip = person.nip
    with production_app(database_url) as production:
        browser = production.test_client()
        token = token_in(browser.get("/masuk", base_url="https://localhost").get_data(as_text=True))
        response = browser.post(
            "/masuk",
            base_url="https://localhost",
            data={"csrf_token": token, "identifier": nip, "password": PASSWORD},
        )
    assert response.status_code == 400 and EXPIRED in page_text(response)
    assert count(session, LoginAttempt) == 0


def test_only_the_account_forms_and_logout_answer_a_refused_token_themselves(app: Flask):
    checking = {
        endpoint for endpoint, view in app.view_functions.items() if getattr(view, ANSWERS_REFUSAL, False)
    }
    assert checking == {
        "elearn.accounts.login",
        "elearn.accounts.logout",
        "elearn.accounts.activate_link",
        "elearn.accounts.activate_code",
        "elearn.accounts.change_password",
    }


def test_every_other_elearn_post_is_refused_without_a_token(app: Flask, client: ElearnClient, session):
    admin = make_person(session, roles=("admin", "mentor", "supervisor"))
    session.commit()
    login(client, admin)
    posts = [
        rule
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods and rule.endpoint.startswith("elearn.") and not rule.arguments
    ]
    assert posts, "elearn has forms"
    for rule in posts:
        if getattr(app.view_functions[rule.endpoint], ANSWERS_REFUSAL, False):
            continue
        response = client.post(rule.rule, data={})
        assert response.status_code == 400, rule.rule
        assert "Formulir sudah kedaluwarsa" in response.get_data(as_text=True), rule.rule
