"""What the browser journeys share: screen sizes, a tab that records console errors, serving an app, signing in."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from playwright.sync_api import Page, expect
from werkzeug.serving import make_server

from elearn.app import create_app
from elearn.migrate import upgrade

PROJECT_DIR = Path(__file__).resolve().parents[2]
SCREENSHOTS = PROJECT_DIR / "test-output" / "screenshots"
PASSWORD = "Rahasia-Sekali-2024"
NOT_FOUND_LOGGED = "Failed to load resource: the server responded with a status of 404 (NOT FOUND)"
VIEWPORTS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 800}}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


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


def migrated_app(folder: Path) -> Flask:
    """A standalone app on a fresh, migrated SQLite file in `folder` (also its instance folder)."""
    app = create_app(
        {"ELEARN_DATABASE_URL": f"sqlite:///{folder / 'e2e.sqlite3'}", "SECRET_KEY": "e2e-secret"}
    )
    app.instance_path = str(folder)
    with app.app_context():
        upgrade()
    return app


@contextmanager
def served(app: Flask) -> Iterator[str]:
    """Serve `app` with werkzeug on 127.0.0.1 and a free port in a background thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        with app.app_context():
            app.extensions["elearn"].db.engine.dispose()


def sign_in(tab: Tab, url: str, nip: str, password: str = PASSWORD) -> None:
    """Open the site, land on the login page and sign in by NIP."""
    page = tab.page
    page.goto(url + "/")
    expect(page).to_have_url(f"{url}/masuk?next=%2F")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", name="Masuk")).to_be_visible()
    tab.screenshot("01-login")
    assert tab.fits_screen_width()
    page.get_by_label("NIP atau e-mail").fill(nip)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
