"""Browser journeys in headless Chromium, on a phone (360 px) and a desktop (1280 px) screen.

The real app is served by werkzeug in a background thread on a fresh SQLite database; screenshots go to
`test-output/screenshots/` for a human to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import expect

from tests.e2e.support import NOT_FOUND_LOGGED, PASSWORD, Tab, migrated_app, served, sign_in
from tests.factories import make_person, make_unit

pytestmark = pytest.mark.e2e


@dataclass(frozen=True)
class LiveSite:
    """Where the served app answers, and the NIPs of people who can sign in with PASSWORD."""

    url: str
    employee_nip: str
    admin_nip: str


def _build_app(tmp: Path) -> tuple[Flask, LiveSite]:
    """A migrated SQLite app with an employee and a mentor-supervisor-administrator (URL set once served)."""
    app = migrated_app(tmp)
    with app.app_context():
        session = app.extensions["elearn"].db.session
        unit = make_unit(session, "BKPSDM", name="Badan Kepegawaian dan Pengembangan SDM")
        employee = make_person(session, name="Siti Rahmawati", unit=unit, password=PASSWORD)
        admin = make_person(
            session,
            name="Budi Santoso",
            unit=unit,
            password=PASSWORD,
            roles=("employee", "mentor", "supervisor", "admin"),
        )
        session.commit()
        site = LiveSite(url="", employee_nip=employee.nip, admin_nip=admin.nip)
        session.remove()
    return app, site


@pytest.fixture(scope="module")
def live_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    """Serve the app on 127.0.0.1 and a free port for the module's journeys."""
    app, site = _build_app(tmp_path_factory.mktemp("e2e"))
    with served(app) as url:
        yield replace(site, url=url)


def test_employee_signs_in_switches_language_and_signs_out(tab: Tab, live_site: LiveSite) -> None:
    page = tab.page
    sign_in(tab, live_site.url, live_site.employee_nip)
    expect(page.get_by_role("heading", name="Selamat datang, Siti Rahmawati")).to_be_visible()
    navigation = page.get_by_role("navigation", name="Navigasi utama")
    expect(navigation.get_by_role("link", name="Beranda")).to_have_attribute("aria-current", "page")
    expect(navigation.get_by_role("link", name="Administrasi")).to_have_count(0)
    tab.screenshot("02-home")
    assert tab.fits_screen_width()

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Welcome, Siti Rahmawati")).to_be_visible()
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "true")
    tab.screenshot("03-home-english")
    assert tab.fits_screen_width()

    page.get_by_role("button", name="Bahasa Indonesia").click()
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", name="Selamat datang, Siti Rahmawati")).to_be_visible()

    page.get_by_role("button", name="Keluar").click()
    expect(page).to_have_url(f"{live_site.url}/masuk")
    expect(page.get_by_role("status")).to_have_text("Anda telah keluar.")
    expect(page.get_by_role("navigation", name="Navigasi utama")).to_have_count(0)
    tab.screenshot("04-signed-out")

    page.goto(live_site.url + "/")
    expect(page.get_by_role("heading", name="Masuk")).to_be_visible()
    assert tab.problems == []


def test_admin_sees_every_area_in_navigation(tab: Tab, live_site: LiveSite) -> None:
    page = tab.page
    sign_in(tab, live_site.url, live_site.admin_nip)
    navigation = page.get_by_role("navigation", name="Navigasi utama")
    for area in ("Beranda", "Mentee", "Unit saya", "Administrasi", "Akun"):
        expect(navigation.get_by_role("link", name=area)).to_be_visible()
    navigation.get_by_role("link", name="Administrasi").click()
    expect(navigation.get_by_role("link", name="Administrasi")).to_have_attribute("aria-current", "page")
    tab.screenshot("05-admin-home")
    assert tab.fits_screen_width()

    page.get_by_role("link", name="Daftar pegawai").click()
    expect(page.get_by_role("row", name="Budi Santoso")).to_be_visible()
    tab.screenshot("06-admin-people")
    assert tab.fits_screen_width()
    nip_cell = page.locator("table.stacked td[data-label='NIP']").first
    label = nip_cell.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label == ('"NIP"' if tab.size == "phone" else "none"), (
        "a phone shows each person as a labelled card"
    )
    assert tab.problems == []


def test_unknown_page_shows_error_page_in_layout(tab: Tab, live_site: LiveSite) -> None:
    page = tab.page
    sign_in(tab, live_site.url, live_site.employee_nip)
    response = page.goto(live_site.url + "/admin/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Halaman tidak ditemukan")).to_be_visible()
    expect(page.get_by_role("link", name="Kembali ke beranda")).to_be_visible()
    tab.screenshot("07-not-found")
    assert tab.fits_screen_width()
    page.get_by_role("link", name="Kembali ke beranda").click()
    expect(page.get_by_role("heading", name="Selamat datang, Siti Rahmawati")).to_be_visible()
    assert tab.problems == [NOT_FOUND_LOGGED], "only the page's own status; no CSP violation, no missing file"
