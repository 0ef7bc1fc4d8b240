"""Login throttling over HTTP: the (account, address) pair first, then the account, then the address; lifting a lock.

The app's clock is stopped, so "now" is the same in every request and in the test.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from elearn.models import AuditEntry, LoginAttempt, Person
from elearn.services import login_throttle
from tests.conftest import ElearnClient
from tests.factories import login, make_person
from tests.web.accounts_support import (
    PASSWORD,
    STOPPED_AT,
    counted_statements,
    from_address,
    is_signed_in,
    new_browser,
    page_text,
    sign_in,
    stop_clock,
)

WRONG = "salah-salah-salah"
ATTACKER = "203.0.113.7"
OWNER = "198.51.100.9"


@pytest.fixture(autouse=True)
def stopped_clock(app: Flask) -> None:
    stop_clock(app)


def add_failures(session, count: int, *, identifier: str, ip: str = "127.0.0.1", age: timedelta) -> None:
    """`count` failed attempts made `age` before the stopped clock."""
    session.add_all(
        LoginAttempt(at=STOPPED_AT - age, identifier=identifier, ip=ip, succeeded=False) for _ in range(count)
    )
    session.commit()


def fail(browser: ElearnClient, identifier: str, times: int) -> None:
    for _ in range(times):
        assert sign_in(browser, identifier, WRONG).status_code == 200


def locks(session) -> list[tuple[str | None, str, str | None]]:
    """(target id, scope, address) of every lockout in the audit log."""
    rows = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "account.locked").order_by(AuditEntry.id)
    )
    return [(row.target_id, row.detail["scope"], row.ip) for row in rows]


@pytest.fixture
def person(session) -> Person:
    person = make_person(session, email="budi@contoh.go.id", password=PASSWORD)
    session.commit()
    return person


def test_pair_failures_from_one_address_do_not_stop_the_owner_elsewhere(app, person):
    attacker = from_address(app, ATTACKER)
    fail(attacker, person.nip, app.config["ELEARN_LOGIN_MAX_FAILURES_PAIR"])

    refused = sign_in(attacker, person.nip)
    owner = from_address(app, OWNER)
    allowed = sign_in(owner, person.nip)

    assert refused.status_code == 429, "the address that typed wrong is refused, even with the right password"
    assert allowed.status_code == 302 and is_signed_in(owner)


def test_pair_lock_says_how_long_to_wait(app, client, person):
    fail(client, person.nip, app.config["ELEARN_LOGIN_MAX_FAILURES_PAIR"])

    response = sign_in(client, "budi@contoh.go.id")

    assert response.status_code == 429
    assert "Terlalu banyak percobaan masuk. Coba lagi dalam 15 menit." in page_text(response)
    assert response.headers["Retry-After"] == str(15 * 60)
    assert not is_signed_in(client)


def test_pair_counts_by_nip_for_email_failures_too(app, client, person):
    fail(client, "BUDI@contoh.go.id", app.config["ELEARN_LOGIN_MAX_FAILURES_PAIR"])
    assert sign_in(client, person.nip).status_code == 429


def test_pair_lock_says_minutes_left(client, session, person):
    add_failures(session, 5, identifier=person.nip, age=timedelta(minutes=10, seconds=30))
    response = sign_in(client, person.nip)
    assert response.status_code == 429
    assert "Coba lagi dalam 5 menit." in page_text(response)


def test_pair_lock_lifts_when_failures_leave_window(client, session, person):
    add_failures(session, 5, identifier=person.nip, age=timedelta(minutes=16))
    assert sign_in(client, person.nip).status_code == 302


def test_pair_count_starts_afresh_after_success_from_that_address(app, client, person):
    below_limit = app.config["ELEARN_LOGIN_MAX_FAILURES_PAIR"] - 1
    for _ in range(2):
        fail(client, person.nip, below_limit)
        assert sign_in(client, person.nip).status_code == 302


def test_account_limit_refuses_every_address_when_guesses_come_from_many(app, person):
    app.config.update(ELEARN_LOGIN_MAX_FAILURES_PAIR=3, ELEARN_LOGIN_MAX_FAILURES_ACCOUNT=6)
    for n in range(3):
        fail(from_address(app, f"203.0.113.{n + 1}"), person.nip, 2)

    owner = from_address(app, OWNER)
    response = sign_in(owner, person.nip)

    assert response.status_code == 429 and "Coba lagi dalam 15 menit." in page_text(response)
    assert not is_signed_in(owner)


def test_account_limit_not_reached_below_it(app, person):
    app.config.update(ELEARN_LOGIN_MAX_FAILURES_PAIR=3, ELEARN_LOGIN_MAX_FAILURES_ACCOUNT=6)
    for n in range(5):
        fail(from_address(app, f"203.0.113.{n + 1}"), person.nip, 1)
    assert sign_in(from_address(app, OWNER), person.nip).status_code == 302


def test_account_count_is_not_reset_by_the_owner_signing_in(app, person):
    app.config.update(ELEARN_LOGIN_MAX_FAILURES_PAIR=3, ELEARN_LOGIN_MAX_FAILURES_ACCOUNT=4)
    fail(from_address(app, "203.0.113.1"), person.nip, 2)
    assert sign_in(from_address(app, OWNER), person.nip).status_code == 302
    fail(from_address(app, "203.0.113.2"), person.nip, 2)

    assert sign_in(from_address(app, OWNER), person.nip).status_code == 429


def test_address_limit_refuses_every_account_from_that_address(app, person):
    app.config["ELEARN_LOGIN_MAX_FAILURES_IP"] = 3
    attacker = from_address(app, ATTACKER)
    for n in range(3):
        sign_in(attacker, f"orang{n}@contoh.go.id", "tebakan-tebakan")

    refused = sign_in(attacker, person.nip)
    allowed = sign_in(from_address(app, OWNER), person.nip)

    assert refused.status_code == 429 and "Terlalu banyak percobaan masuk." in page_text(refused)
    assert allowed.status_code == 302


def test_throttled_attempts_are_not_recorded(client, session, person):
    add_failures(session, 5, identifier=person.nip, age=timedelta(minutes=1))
    sign_in(client, person.nip)
    assert session.scalar(select(func.count()).select_from(LoginAttempt)) == 5


def test_lockout_is_audited_once_when_the_pair_locks(app, client, session, person):
    fail(client, person.nip, app.config["ELEARN_LOGIN_MAX_FAILURES_PAIR"] - 1)
    assert locks(session) == []

    fail(client, person.nip, 1)
    sign_in(client, person.nip)
    sign_in(client, person.nip, WRONG)

    assert locks(session) == [(str(person.id), "pair", "127.0.0.1")]
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "account.locked"))
    assert entry.detail["minutes"] == 15


def test_lockout_of_the_whole_account_is_audited(app, session, person):
    app.config.update(ELEARN_LOGIN_MAX_FAILURES_PAIR=3, ELEARN_LOGIN_MAX_FAILURES_ACCOUNT=4)
    fail(from_address(app, "203.0.113.1"), person.nip, 2)
    fail(from_address(app, "203.0.113.2"), person.nip, 2)
    assert locks(session) == [(str(person.id), "account", "203.0.113.2")]


def test_successful_login_prunes_attempts_older_than_a_day(client, session, person):
    add_failures(session, 3, identifier="lama", age=timedelta(days=1, minutes=1))
    add_failures(session, 1, identifier="baru", age=timedelta(hours=23))

    sign_in(client, person.nip)

    assert set(session.scalars(select(LoginAttempt.identifier))) == {"baru", person.nip}


def test_prune_keeps_the_window_when_longer_than_a_day(session):
    add_failures(session, 2, identifier="x", age=timedelta(days=2))
    policy = login_throttle.ThrottlePolicy(
        max_failures_pair=5, max_failures_account=50, max_failures_ip=30, window=timedelta(days=3)
    )
    assert login_throttle.prune(session, now=STOPPED_AT, older_than=policy.retention) == 0
    assert login_throttle.prune(session, now=STOPPED_AT) == 2
    assert session.scalar(select(func.count()).select_from(LoginAttempt)) == 0


@pytest.mark.parametrize(("password", "budget"), [(WRONG, 6), (PASSWORD, 7)])
def test_login_costs_few_statements(app, client, person, password, budget):
    form = {"identifier": person.nip, "password": password, "csrf_token": client.csrf_token()}
    with counted_statements(app) as statements:
        client.post("/masuk", data=form)
    # Read: the account (and its roles), its recent attempts, the address's failures. Written: the attempt and
    # the audit entry; a success also prunes old attempts.
    assert len(statements) == budget


# Lifting a lock: the admin person page.


@pytest.fixture
def admin(app: Flask, session) -> ElearnClient:
    admin = make_person(session, roles=("admin",), password=PASSWORD, name="Dewi Admin")
    session.commit()
    browser = new_browser(app)
    login(browser, admin)
    return browser


def test_admin_sees_pair_lock_with_address_and_end_in_office_time(app, admin, session, person):
    fail(from_address(app, ATTACKER), person.nip, app.config["ELEARN_LOGIN_MAX_FAILURES_PAIR"])

    page = page_text(admin.get(f"/admin/orang/{person.id}"))

    assert "Masuk terkunci sementara" in page
    assert f"{ATTACKER} sampai 2 Mar 2026, 10.15 WIB" in page, "the lock ends 15 minutes after 10.00 WIB"
    assert "dari alamat lain tetap bisa" in page


def test_admin_sees_account_wide_lock(app, admin, person):
    app.config.update(ELEARN_LOGIN_MAX_FAILURES_PAIR=3, ELEARN_LOGIN_MAX_FAILURES_ACCOUNT=4)
    fail(from_address(app, "203.0.113.1"), person.nip, 2)
    fail(from_address(app, "203.0.113.2"), person.nip, 2)

    page = page_text(admin.get(f"/admin/orang/{person.id}"))

    assert "tidak bisa dipakai masuk dari mana pun sampai 2 Mar 2026, 10.15 WIB" in page


def test_admin_page_says_when_not_locked(admin, person):
    page = page_text(admin.get(f"/admin/orang/{person.id}"))
    assert "Masuk tidak terkunci." in page and "Buka kunci masuk" not in page


def test_admin_lifts_lock_and_the_person_signs_in_from_the_locked_address(app, admin, session, person):
    app.config.update(ELEARN_LOGIN_MAX_FAILURES_PAIR=3, ELEARN_LOGIN_MAX_FAILURES_ACCOUNT=4)
    locked_out = from_address(app, "203.0.113.1")
    fail(locked_out, person.nip, 3)
    fail(from_address(app, "203.0.113.2"), person.nip, 1)
    assert sign_in(locked_out, person.nip).status_code == 429

    response = admin.post_form(f"/admin/orang/{person.id}/buka-kunci")

    assert response.status_code == 302 and response.headers["Location"] == f"/admin/orang/{person.id}"
    page = page_text(admin.get(response.headers["Location"]))
    assert f"Kunci masuk untuk {person.name} dibuka" in page and "Masuk tidak terkunci." in page
    assert sign_in(locked_out, person.nip).status_code == 302
    lifted = session.scalar(select(AuditEntry).where(AuditEntry.action == "account.lock_lifted"))
    assert lifted.target_id == str(person.id) and lifted.actor.name == "Dewi Admin"
    assert lifted.detail == {"failures": 4}


def test_lifting_when_not_locked_changes_nothing(admin, session, person):
    response = admin.post_form(f"/admin/orang/{person.id}/buka-kunci", follow_redirects=True)
    assert "tidak sedang terkunci" in page_text(response)
    assert session.scalars(select(AuditEntry.action)).all() == []


def test_lifting_needs_the_form_token(app, admin, session, person):
    attacker = from_address(app, ATTACKER)
    fail(attacker, person.nip, 5)

    response = admin.post(f"/admin/orang/{person.id}/buka-kunci")

    assert response.status_code == 400
    assert sign_in(attacker, person.nip).status_code == 429
    assert "account.lock_lifted" not in session.scalars(select(AuditEntry.action)).all()


def test_lifting_is_for_admins_only(app, session, person):
    employee = make_person(session, password=PASSWORD)
    session.commit()
    browser = new_browser(app)
    login(browser, employee)
    fail(from_address(app, ATTACKER), person.nip, 5)

    assert browser.post_form(f"/admin/orang/{person.id}/buka-kunci").status_code == 404
    assert sign_in(from_address(app, ATTACKER), person.nip).status_code == 429
