"""What the account doors write to the audit log: sign-ins, failures (never a password), logouts, activations."""

from __future__ import annotations

import json

from sqlalchemy import select

from elearn.models import AuditEntry
from tests.factories import make_person
from tests.web.accounts_support import PASSWORD, from_address, sign_in

WRONG = "tebakan-yang-salah-123"


def entries(session) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def summary(session) -> list[tuple[str, str | None, str | None, str | None]]:
    """(action, actor id, target id, address) of every entry."""
    return [(e.action, e.actor_id and str(e.actor_id), e.target_id, e.ip) for e in entries(session)]


def test_successful_login_is_audited_with_who_and_where(app, session):
    person = make_person(session, password=PASSWORD)
    session.commit()

    sign_in(from_address(app, "198.51.100.9"), person.nip)

    assert summary(session) == [("account.login", str(person.id), str(person.id), "198.51.100.9")]


def test_failed_login_names_the_account_but_never_the_password(client, session):
    person = make_person(session, email="sari@contoh.go.id", password=PASSWORD)
    session.commit()

    sign_in(client, "sari@contoh.go.id", WRONG)

    assert summary(session) == [("account.login_failed", None, str(person.id), "127.0.0.1")]
    assert WRONG not in json.dumps([e.detail for e in entries(session)])


def test_failed_login_for_an_unknown_identifier_stores_no_identifier(client, session):
    typed = "mungkin-kata-sandi-yang-salah-ketik"

    sign_in(client, typed, WRONG)

    assert summary(session) == [("account.login_failed", None, None, "127.0.0.1")]
    stored = json.dumps([(e.detail, e.target_id) for e in entries(session)])
    assert typed not in stored and WRONG not in stored, (
        "a password typed in the NIP field must not land in the log"
    )


def test_logout_is_audited(client, session):
    person = make_person(session, password=PASSWORD)
    session.commit()
    sign_in(client, person.nip)

    client.post_form("/keluar")

    assert [entry[:3] for entry in summary(session)][-1] == ("account.logout", str(person.id), str(person.id))


def test_wrong_activation_code_is_audited_against_the_nip_owner(client, session):
    person = make_person(session)
    session.commit()
    new_password = {"new_password": "sandi-pertama-saya", "confirm_password": "sandi-pertama-saya"}

    client.post_form("/aktivasi", {"nip": person.nip, "code": "AAAA-AAAA", **new_password})

    assert summary(session) == [("account.activation_refused", None, str(person.id), "127.0.0.1")]
