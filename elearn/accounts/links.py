"""Addresses of account pages that are handed to people outside the browser (printed, sent, read aloud)."""

from __future__ import annotations

from flask import url_for


def activation_link(token: str) -> str:
    """The absolute address of an activation link (needs a request, real or test, for the host name)."""
    return url_for("elearn.accounts.activate_link", token=token, _external=True)


def activation_code_page() -> str:
    """The absolute address of the page where a NIP and an activation code are entered."""
    return url_for("elearn.accounts.activate_code", _external=True)
