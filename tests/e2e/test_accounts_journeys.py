"""Browser journeys of the account pages on a phone (360x740): an expired login form comes back filled in, and an
administrator lifts a sign-in lock that a colleague's typing caused."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import expect

from elearn.app import create_app
from elearn.migrate import upgrade
from tests.e2e.support import PASSWORD, Tab, served, sign_in
from tests.factories import make_person, make_unit

pytestmark = pytest.mark.e2e

BAD_REQUEST_LOGGED = "Failed to load resource: the server responded with a status of 400 (BAD REQUEST)"
EXPIRED = "Formulir ini sudah kedaluwarsa"


@dataclass(frozen=True)
class LiveSite:
    """Where the served app answers, and who can sign in there with PASSWORD."""

    url: str
    employee_nip: str
    admin_nip: str
    locked_nip: str


def _build_app(tmp: Path) -> tuple[Flask, LiveSite]:
    """A migrated SQLite app with an employee, an administrator and a person whose sign-in is locked."""
    app = create_app({"ELEARN_DATABASE_URL": f"sqlite:///{tmp / 'e2e.sqlite3'}", "SECRET_KEY": "e2e-secret"})
    app.instance_path = str(tmp)
    with app.app_context():
        upgrade()
        session = app.extensions["elearn"].db.session
        unit = make_unit(session, "BKPSDM", name="Badan Kepegawaian dan Pengembangan SDM")
        employee = make_person(session, name="Siti Rahmawati", unit=unit, password=PASSWORD)
        admin = make_person(session, name="Budi Santoso", unit=unit, password=PASSWORD, roles=("admin",))
        locked = make_person(session, name="Rahmat Hidayat", unit=unit, password=PASSWORD)
        session.commit()
        site = LiveSite(url="", employee_nip=employee.nip, admin_nip=admin.nip, locked_nip=locked.nip)
        session.remove()
    return app, site


@pytest.fixture(scope="module")
def live_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    """Serve the app on 127.0.0.1 and a free port for the module's journeys."""
    app, site = _build_app(tmp_path_factory.mktemp("e2e-accounts"))
    with served(app) as url:
        yield replace(site, url=url)


def _token(tab: Tab) -> str:
    return tab.page.locator('form.stack input[name="csrf_token"]').input_value()


@pytest.mark.parametrize("expiry", ["session cleared", "token tampered"])
def test_expired_login_form_comes_back_filled_in_and_then_signs_in(
    phone: Tab, live_site: LiveSite, expiry: str
) -> None:
    page = phone.page
    page.goto(live_site.url + "/masuk")
    page.get_by_label("NIP atau e-mail").fill(live_site.employee_nip)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    before = _token(phone)
    if expiry == "session cleared":
        page.context.clear_cookies()
    else:
        page.locator('form.stack input[name="csrf_token"]').evaluate("input => { input.value = 'usang'; }")
    page.get_by_role("button", name="Masuk").click()

    expect(page.get_by_role("alert")).to_contain_text(EXPIRED)
    expect(page.get_by_label("NIP atau e-mail")).to_have_value(live_site.employee_nip)
    expect(page.get_by_label("Kata sandi")).to_have_value("")
    assert _token(phone) not in (before, "usang"), "the form carries a fresh token"
    phone.screenshot(f"accounts-01-expired-login-{expiry.replace(' ', '-')}")
    assert phone.fits_screen_width()

    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", name="Selamat datang, Siti Rahmawati")).to_be_visible()
    assert phone.problems == [BAD_REQUEST_LOGGED], "only the refused post's own status"


def test_admin_lifts_a_lock_that_failures_from_one_address_made(phone: Tab, live_site: LiveSite) -> None:
    page = phone.page
    for _ in range(5):
        page.goto(live_site.url + "/masuk")
        page.get_by_label("NIP atau e-mail").fill(live_site.locked_nip)
        page.get_by_label("Kata sandi").fill("tebakan-yang-salah")
        page.get_by_role("button", name="Masuk").click()
        expect(page.get_by_role("alert")).to_contain_text("NIP/e-mail atau kata sandi salah.")
    page.context.clear_cookies()

    sign_in(phone, live_site.url, live_site.admin_nip)
    page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Administrasi").click()
    page.get_by_role("link", name="Daftar pegawai").click()
    page.get_by_role("link", name="Rahmat Hidayat").click()
    account = page.get_by_role("region", name="Akun")
    expect(account).to_contain_text("Masuk terkunci sementara")
    expect(account).to_contain_text("127.0.0.1 sampai")
    phone.screenshot("accounts-02-admin-sees-lock")
    assert phone.fits_screen_width()

    account.get_by_role("button", name="Buka kunci masuk").click()
    expect(page.get_by_role("status").first).to_contain_text("Kunci masuk untuk Rahmat Hidayat dibuka")
    expect(page.get_by_role("region", name="Akun")).to_contain_text("Masuk tidak terkunci.")
    phone.screenshot("accounts-03-lock-lifted")
    assert phone.fits_screen_width()
    assert phone.problems == []
