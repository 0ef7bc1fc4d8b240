"""Browser journeys in headless Chromium, on a phone (360 px) and a desktop (1280 px) screen.

The real app is served by werkzeug in a background thread on a fresh SQLite database; screenshots go to
`test-output/screenshots/` for a human to look at.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, ConsoleMessage, Page, expect, sync_playwright
from werkzeug.serving import make_server

from elearn.app import create_app
from elearn.migrate import upgrade
from tests.factories import make_person, make_unit

pytestmark = pytest.mark.e2e

PROJECT_DIR = Path(__file__).resolve().parents[2]
SCREENSHOTS = PROJECT_DIR / "test-output" / "screenshots"
PASSWORD = "Rahasia-Sekali-2024"
NOT_FOUND_LOGGED = "Failed to load resource: the server responded with a status of 404 (NOT FOUND)"
VIEWPORTS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 800}}


@dataclass(frozen=True)
class LiveSite:
    """Where the served app answers, and the NIPs of people who can sign in with PASSWORD."""

    url: str
    employee_nip: str
    admin_nip: str


def _build_app(tmp: Path) -> tuple[Flask, LiveSite]:
    """A migrated SQLite app with an employee and a mentor-supervisor-administrator (URL set once served)."""
    app = create_app({"ELEARN_DATABASE_URL": f"sqlite:///{tmp / 'e2e.sqlite3'}", "SECRET_KEY": "e2e-secret"})
    app.instance_path = str(tmp)
    with app.app_context():
        upgrade()
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
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield replace(site, url=f"http://127.0.0.1:{server.server_port}")
    server.shutdown()
    thread.join()
    with app.app_context():
        app.extensions["elearn"].db.engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium (Playwright's own browser download is not used)."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


@dataclass
class Tab:
    """A page at one screen size, with every console error and page error it produced."""

    page: Page
    size: str
    problems: list[str]

    def screenshot(self, name: str) -> None:
        """Save the whole page for review under test-output/screenshots."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=SCREENSHOTS / f"{name}-{self.size}.png", full_page=True)

    def fits_screen_width(self) -> bool:
        """Nothing sticks out sideways (wide tables scroll inside their own box instead)."""
        return self.page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[self.size]["width"]


@pytest.fixture(params=sorted(VIEWPORTS))
def tab(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Tab]:
    """A fresh browser context (no cookies) at a phone or desktop size; fails the test on console errors."""
    context = browser.new_context(viewport=VIEWPORTS[request.param], locale="id-ID")
    page = context.new_page()
    problems: list[str] = []

    def note_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(message.text)

    page.on("console", note_console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield Tab(page=page, size=request.param, problems=problems)
    context.close()


def sign_in(tab: Tab, site: LiveSite, nip: str) -> None:
    """Open the site, land on the login page and sign in by NIP."""
    page = tab.page
    page.goto(site.url + "/")
    expect(page).to_have_url(f"{site.url}/masuk?next=%2F")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", name="Masuk")).to_be_visible()
    tab.screenshot("01-login")
    assert tab.fits_screen_width()
    page.get_by_label("NIP atau e-mail").fill(nip)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()


def test_employee_signs_in_switches_language_and_signs_out(tab: Tab, live_site: LiveSite) -> None:
    page = tab.page
    sign_in(tab, live_site, live_site.employee_nip)
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
    sign_in(tab, live_site, live_site.admin_nip)
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
    table_box = page.locator(".table-scroll").first
    scrolls_sideways = table_box.evaluate("box => box.scrollWidth > box.clientWidth")
    assert scrolls_sideways == (tab.size == "phone"), "the table scrolls inside its box on a phone only"
    assert tab.problems == []


def test_unknown_page_shows_error_page_in_layout(tab: Tab, live_site: LiveSite) -> None:
    page = tab.page
    sign_in(tab, live_site, live_site.employee_nip)
    response = page.goto(live_site.url + "/admin/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Halaman tidak ditemukan")).to_be_visible()
    expect(page.get_by_role("link", name="Kembali ke beranda")).to_be_visible()
    tab.screenshot("07-not-found")
    assert tab.fits_screen_width()
    page.get_by_role("link", name="Kembali ke beranda").click()
    expect(page.get_by_role("heading", name="Selamat datang, Siti Rahmawati")).to_be_visible()
    assert tab.problems == [NOT_FOUND_LOGGED], "only the page's own status; no CSP violation, no missing file"
