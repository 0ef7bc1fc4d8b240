"""Every HTTP error gets elearn's styled, translated page: specific words for known codes, generic ones otherwise,
and the headers a client needs (Allow, Retry-After) are kept."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask, abort
from werkzeug.exceptions import ServiceUnavailable

from elearn import ELearn

STYLED = re.compile(r'href="[^"]*/static/elearn\.css\?v=\w+"')


def styled_page(html: str, title: str) -> bool:
    """elearn's layout (skip link, stylesheet) with `title` as the heading."""
    return f"<h1>{title}</h1>" in html and 'class="skip-link"' in html and bool(STYLED.search(html))


def test_method_not_allowed_gets_the_styled_page_and_keeps_allow(client):
    response = client.get("/keluar")

    assert response.status_code == 405
    assert styled_page(response.get_data(as_text=True), "Halaman ini tidak bisa dibuka dengan cara itu")
    assert set(response.headers["Allow"].replace(" ", "").split(",")) == {"POST", "OPTIONS"}


def test_method_not_allowed_in_english(client):
    client.post_form("/bahasa", {"locale": "en", "next": "/masuk"})
    html = client.get("/keluar").get_data(as_text=True)
    assert "<h1>This page cannot be opened that way</h1>" in html and '<html lang="en">' in html


def test_uncommon_code_gets_the_generic_styled_page(app, client):
    app.add_url_rule("/uji-galat/teko", view_func=lambda: abort(418))

    response = client.get("/uji-galat/teko")

    html = response.get_data(as_text=True)
    assert response.status_code == 418
    assert styled_page(html, "Halaman tidak dapat ditampilkan")
    assert '<p class="error-code">418</p>' in html


def test_service_unavailable_keeps_retry_after(app, client):
    def down() -> None:
        raise ServiceUnavailable(retry_after=30)

    app.add_url_rule("/uji-galat/pemeliharaan", view_func=down)

    response = client.get("/uji-galat/pemeliharaan")

    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert styled_page(response.get_data(as_text=True), "Layanan sedang tidak tersedia")
    assert response.headers["Content-Type"].startswith("text/html")


@pytest.fixture
def host(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """A host portal that mounts elearn and installs no error pages of its own."""
    host = Flask("portal")
    host.config.update(
        TESTING=True, SQLALCHEMY_DATABASE_URI=database_url, SECRET_KEY="portal", MAX_CONTENT_LENGTH=1024
    )
    host.instance_path = str(tmp_path)
    ELearn(host, url_prefix="/belajar")
    yield host
    with host.app_context():
        host.extensions["elearn"].db.engine.dispose()


def test_errors_in_elearns_pages_of_a_host_get_elearns_page(host):
    with host.app_context():
        response = host.test_client().post("/belajar/bahasa", data={"locale": "x" * 2048})

    assert response.status_code == 413
    assert styled_page(response.get_data(as_text=True), "Kiriman terlalu besar")
