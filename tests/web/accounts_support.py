"""Helpers for the account and session tests: extra browsers, signing in, reading a page as a person does."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from werkzeug.test import TestResponse

from tests.conftest import ElearnClient

PASSWORD = "kata-sandi-rahasia-1"


def new_browser(app: Flask, **cookies: str) -> ElearnClient:
    """Another browser (or device), optionally holding cookies copied from a first one."""
    browser: ElearnClient = app.test_client()  # type: ignore[assignment]
    for name, value in cookies.items():
        browser.set_cookie(name, value)
    return browser


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
