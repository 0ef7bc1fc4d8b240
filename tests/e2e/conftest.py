"""Browser fixtures: Debian's Chromium once per session, and a fresh tab per test at a phone and a desktop size."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, ConsoleMessage, sync_playwright

from tests.e2e.support import CHROMIUM_ARGS, VIEWPORTS, Tab


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium (Playwright's own browser download is not used)."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def open_tab(browser: Browser, size: str) -> Tab:
    """A new browser context (no cookies) at `size`, collecting console errors and page errors."""
    context = browser.new_context(viewport=VIEWPORTS[size], locale="id-ID")
    page = context.new_page()
    problems: list[str] = []

    def note_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(message.text)

    page.on("console", note_console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return Tab(page=page, size=size, problems=problems)


@pytest.fixture(params=sorted(VIEWPORTS))
def tab(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Tab]:
    """A fresh tab at a phone or desktop size; tests assert `tab.problems == []`."""
    opened = open_tab(browser, request.param)
    yield opened
    opened.page.context.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Tab]:
    """A fresh tab at 360x740 only, for journeys that run once on a phone."""
    opened = open_tab(browser, "phone")
    yield opened
    opened.page.context.close()
