"""Browser journeys of the account pages on a phone (360x740): an expired login form comes back filled in, and an
administrator lifts a sign-in lock that a colleague's typing caused."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from tests.e2e.support import PASSWORD, Tab, migrated_app, served, sign_in
from tests.factories import make_person

pytestmark = pytest.mark.e2e

BAD_REQUEST_LOGGED = "Failed to load resource: the server responded with a status of 400 (BAD REQUEST)"
EXPIRED = "Formulir ini sudah kedaluwarsa"


PEOPLE = {"Siti Rahmawati": ("employee",), "Budi Santoso": ("admin",), "Rahmat Hidayat": ("employee",)}


@dataclass(frozen=True)
class Site:
    """Where the served app answers, and the NIP of each of PEOPLE (all sign in with PASSWORD)."""

    url: str
    nips: dict[str, str]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A migrated SQLite app with PEOPLE, served on 127.0.0.1 for the module's journeys."""
    app = migrated_app(tmp_path_factory.mktemp("e2e-accounts"))
    with app.app_context():
        session = app.extensions["elearn"].db.session
        people = {
            name: make_person(session, name=name, roles=roles, password=PASSWORD)
            for name, roles in PEOPLE.items()
        }
        session.commit()
        nips = {name: person.nip for name, person in people.items()}
        session.remove()
    with served(app) as url:
        yield Site(url=url, nips=nips)


def _token(tab: Tab) -> str:
    return tab.page.locator('form.stack input[name="csrf_token"]').input_value()


@pytest.mark.parametrize("expiry", ["session cleared", "token tampered"])
def test_expired_login_form_comes_back_filled_in_and_then_signs_in(
    phone: Tab, site: Site, expiry: str
) -> None:
    page = phone.page
    page.goto(site.url + "/masuk")
    page.get_by_label("NIP atau e-mail").fill(site.nips["Siti Rahmawati"])
    page.get_by_label("Kata sandi").fill(PASSWORD)
    before = _token(phone)
    if expiry == "session cleared":
        page.context.clear_cookies()
    else:
        page.locator('form.stack input[name="csrf_token"]').evaluate("input => { input.value = 'usang'; }")
    page.get_by_role("button", name="Masuk").click()

    expect(page.get_by_role("alert")).to_contain_text(EXPIRED)
    expect(page.get_by_label("NIP atau e-mail")).to_have_value(site.nips["Siti Rahmawati"])
    expect(page.get_by_label("Kata sandi")).to_have_value("")
    # A fresh token for this session (the same text as before tampering when signed in the same second).
    stale = before if expiry == "session cleared" else "usang"
    assert _token(phone) != stale
    phone.screenshot(f"accounts-01-expired-login-{expiry.replace(' ', '-')}")
    assert phone.fits_screen_width()

    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", name="Selamat datang, Siti Rahmawati")).to_be_visible()
    assert phone.problems == [BAD_REQUEST_LOGGED], "only the refused post's own status"


def test_admin_lifts_a_lock_that_failures_from_one_address_made(phone: Tab, site: Site) -> None:
    page = phone.page
    for _ in range(5):
        page.goto(site.url + "/masuk")
        page.get_by_label("NIP atau e-mail").fill(site.nips["Rahmat Hidayat"])
        page.get_by_label("Kata sandi").fill("tebakan-yang-salah")
        page.get_by_role("button", name="Masuk").click()
        expect(page.get_by_role("alert")).to_contain_text("NIP/e-mail atau kata sandi salah.")
    page.context.clear_cookies()

    sign_in(phone, site.url, site.nips["Budi Santoso"])
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
