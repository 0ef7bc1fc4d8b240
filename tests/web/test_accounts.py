"""Signing in over HTTP: NIP or e-mail, generic errors, CSRF, and where the person goes next."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from elearn.models import LoginAttempt
from elearn.passwords import verify_password
from elearn.services import accounts
from tests.factories import make_person
from tests.web.accounts_support import (
    PASSWORD,
    is_signed_in,
    page_text,
    sign_in,
)

GENERIC_ERROR = "NIP/e-mail atau kata sandi salah."


def attempts(session, **where) -> list[LoginAttempt]:
    query = select(LoginAttempt).filter_by(**where).order_by(LoginAttempt.id)
    return list(session.scalars(query))


def test_login_by_nip_signs_in_and_records_success(client, session):
    person = make_person(session, password=PASSWORD)
    session.commit()

    response = sign_in(client, person.nip)

    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert is_signed_in(client)
    assert [(a.identifier, a.succeeded) for a in attempts(session)] == [(person.nip, True)]


def test_login_by_email_ignores_case_and_spaces(client, session):
    make_person(session, email="siti.rahma@kemenkeu.go.id", password=PASSWORD)
    session.commit()
    assert sign_in(client, "  Siti.Rahma@KEMENKEU.go.id ").status_code == 302
    assert is_signed_in(client)


def test_login_by_nip_typed_with_spaces_signs_in(client, session):
    person = make_person(session, password=PASSWORD)
    session.commit()
    spaced = f"{person.nip[:8]} {person.nip[8:14]} {person.nip[14]} {person.nip[15:]}"
    assert sign_in(client, spaced).status_code == 302


def test_login_wrong_password_shows_generic_error(client, session):
    person = make_person(session, password=PASSWORD)
    session.commit()

    response = sign_in(client, person.nip, "bukan-kata-sandinya")

    assert response.status_code == 200
    assert GENERIC_ERROR in page_text(response)
    assert not is_signed_in(client)
    assert [(a.identifier, a.succeeded) for a in attempts(session)] == [(person.nip, False)]


def test_login_unknown_account_same_error_and_hashes_a_dummy(client, session, monkeypatch):
    checked: list[str] = []
    real_check = accounts.verify_password
    monkeypatch.setattr(accounts, "verify_password", lambda h, p: checked.append(h) or real_check(h, p))

    response = sign_in(client, "tidak.ada@contoh.go.id")

    assert GENERIC_ERROR in page_text(response)
    assert len(checked) == 1 and checked[0].startswith("$argon2id$"), (
        "unknown accounts cost one Argon2id check too"
    )


def test_login_upgrades_an_older_scrypt_hash_to_argon2id(client, session):
    person = make_person(session)
    person.password_hash = generate_password_hash(PASSWORD, method="scrypt")
    session.commit()

    assert sign_in(client, person.nip).status_code == 302

    session.refresh(person)
    assert person.password_hash.startswith("$argon2id$")
    assert verify_password(person.password_hash, PASSWORD)


def test_failed_login_leaves_an_older_hash_alone(client, session):
    person = make_person(session)
    older = generate_password_hash(PASSWORD, method="scrypt")
    person.password_hash = older
    session.commit()

    sign_in(client, person.nip, "bukan-kata-sandinya")

    session.refresh(person)
    assert person.password_hash == older


@pytest.mark.parametrize("setup", ["inactive", "no_password"])
def test_login_unusable_account_refused_with_generic_error(client, session, setup):
    person = make_person(
        session, password=None if setup == "no_password" else PASSWORD, active=setup != "inactive"
    )
    session.commit()
    response = sign_in(client, person.nip)
    assert GENERIC_ERROR in page_text(response)
    assert not is_signed_in(client)


def test_login_without_csrf_token_refused_and_records_nothing(client, session):
    person = make_person(session, password=PASSWORD)
    session.commit()

    response = client.post("/masuk", data={"identifier": person.nip, "password": PASSWORD})

    assert response.status_code == 400
    assert attempts(session) == []
    assert not is_signed_in(client)


def test_login_empty_fields_show_errors_next_to_fields(client):
    response = client.post_form("/masuk", {"identifier": "", "password": ""})
    html = response.get_data(as_text=True)
    assert 'id="identifier-error"' in html and "Isi NIP atau e-mail Anda." in html
    assert 'id="password-error"' in html and "Isi kata sandi Anda." in html
    assert 'aria-describedby="identifier-error"' in html


def test_login_page_has_autocomplete_and_labels(client):
    html = client.get("/masuk").get_data(as_text=True)
    assert 'autocomplete="username"' in html and 'autocomplete="current-password"' in html
    assert '<label for="identifier">' in html and '<label for="password">' in html


# As an attacker writes them in a link: percent-encoded, so the tab, line feed and backslash reach the check raw.
FOREIGN_NEXT = [
    "/%09/evil",
    "/%0a/evil",
    "/%0d/evil",
    "/%5Cevil",
    "//evil",
    "https://evil",
    "javascript:alert(1)",
]
LOCAL_NEXT = ["/akun/kata-sandi", "/kursus/dasar?halaman=2"]


@pytest.mark.parametrize("next_url", LOCAL_NEXT)
def test_login_follows_local_next(client, session, next_url):
    person = make_person(session, password=PASSWORD)
    session.commit()
    response = sign_in(client, person.nip, query_string={"next": next_url})
    assert response.headers["Location"] == next_url


@pytest.mark.parametrize("encoded_next", FOREIGN_NEXT)
def test_login_with_foreign_next_goes_home(client, session, encoded_next):
    person = make_person(session, password=PASSWORD)
    session.commit()
    response = sign_in(client, person.nip, query_string=f"next={encoded_next}")
    assert response.status_code == 302 and response.headers["Location"] == "/"


@pytest.mark.parametrize("encoded_next", FOREIGN_NEXT)
def test_language_switch_with_foreign_next_goes_home(client, encoded_next):
    response = client.post_form("/bahasa", {"locale": "en", "next": unquote(encoded_next)})
    assert response.status_code == 302 and response.headers["Location"] == "/"
