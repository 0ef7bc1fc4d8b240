"""Helpers for the account and session tests: extra browsers, signing in, reading a page as a person does."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from sqlalchemy import event
from werkzeug.test import TestResponse

from elearn.app import create_app
from elearn.clock import FixedClock
from tests.conftest import ElearnClient

PASSWORD = "kata-sandi-rahasia-1"
STOPPED_AT = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # 10.00 WIB


def new_browser(app: Flask, **cookies: str) -> ElearnClient:
    """Another browser (or device), optionally holding cookies copied from a first one."""
    browser: ElearnClient = app.test_client()  # type: ignore[assignment]
    for name, value in cookies.items():
        browser.set_cookie(name, value)
    return browser


def from_address(app: Flask, ip: str) -> ElearnClient:
    """Another browser whose requests come from `ip`."""
    browser = new_browser(app)
    browser.environ_base["REMOTE_ADDR"] = ip
    return browser


def stop_clock(app: Flask, at: datetime = STOPPED_AT) -> FixedClock:
    """Stop the app's clock at `at`, so every request and the test agree on "now"."""
    state = app.extensions["elearn"]
    state.clock = FixedClock(timezone=state.clock.timezone, at=at)
    return state.clock


@contextmanager
def production_app(database_url: str) -> Iterator[Flask]:
    """elearn in production mode (Secure cookies, the strict CSRF Referer check over HTTPS) on the test database."""
    production = create_app(
        {
            "ELEARN_DATABASE_URL": database_url,
            "ELEARN_PRODUCTION": True,
            "ELEARN_SECRET_KEY": "production-secret-for-the-test",
        }
    )
    with production.app_context():
        yield production
        production.extensions["elearn"].db.session.remove()
        production.extensions["elearn"].db.engine.dispose()


@contextmanager
def counted_statements(app: Flask) -> Iterator[list[str]]:
    """Every SQL statement elearn's engine sends while the block runs."""
    engine = app.extensions["elearn"].db.engine
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def sign_in(
    client: ElearnClient, identifier: str, password: str = PASSWORD, *, remember: bool = False, **kwargs: Any
) -> TestResponse:
    """Submit the login form."""
    data = {"identifier": identifier, "password": password}
    if remember:
        data["remember"] = "y"
    return client.post_form("/masuk", data, **kwargs)


def is_signed_in(client: ElearnClient) -> bool:
    """Whether the home page opens (signed out, it redirects to the login page)."""
    return client.get("/").status_code == 200


def page_text(response: TestResponse) -> str:
    """The response body with tags removed and whitespace collapsed, for asserting on what a person reads."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())
