"""The layout: landmarks, skip link, versioned cached CSS, no inline script or style, a light first visit."""

from __future__ import annotations

import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import Flask, abort
from sqlalchemy import text
from werkzeug.exceptions import TooManyRequests

from elearn import errors
from elearn.state import db_session
from tests.factories import login, make_person

STATIC_DIR = Path(__file__).resolve().parents[2] / "static" / "elearn"
FIRST_VISIT_BUDGET_BYTES = 50 * 1024


class TagCollector(HTMLParser):
    """Every start tag of a page with its attributes, and the text of inline <script>/<style> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.inline_code: list[str] = []
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._open = tag if tag in {"script", "style"} else None

    def handle_data(self, data: str) -> None:
        if self._open and data.strip():
            self.inline_code.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._open = None

    def find(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]


def parse(html: str) -> TagCollector:
    collector = TagCollector()
    collector.feed(html)
    return collector


@pytest.fixture
def admin_client(session, client):  # noqa: ANN001, ANN201
    person = make_person(session, name="Rina Kusuma", roles=("employee", "mentor", "supervisor", "admin"))
    session.commit()
    login(client, person)
    return client


def test_login_page_has_landmarks_and_skip_link(client) -> None:
    page = parse(client.get("/masuk").get_data(as_text=True))
    assert len(page.find("header")) == 1 and len(page.find("footer")) == 1
    assert page.find("main", id="main")
    first_link = page.find("a")[0]
    assert first_link["href"] == "#main" and first_link["class"] == "skip-link"


def test_signed_in_page_has_labelled_navigation_with_current_area(admin_client) -> None:
    page = parse(admin_client.get("/admin/").get_data(as_text=True))
    navigation = page.find("nav", **{"aria-label": "Navigasi utama"})
    assert len(navigation) == 1
    current = page.find("a", **{"aria-current": "page"})
    assert [a["href"] for a in current] == ["/admin/"]


def test_stylesheet_link_carries_the_file_version(client) -> None:
    page = parse(client.get("/masuk").get_data(as_text=True))
    stylesheets = [link["href"] for link in page.find("link", rel="stylesheet")]
    expected = hashlib.sha256((STATIC_DIR / "elearn.css").read_bytes()).hexdigest()[:12]
    assert stylesheets == [f"/static/elearn.css?v={expected}"]


def test_versioned_static_file_is_cached_for_a_year(client) -> None:
    response = client.get("/static/elearn.css?v=anything")
    assert response.status_code == 200
    cache = response.cache_control
    assert cache.max_age == 365 * 24 * 60 * 60 and cache.immutable and cache.public and not cache.no_cache


def test_unversioned_static_file_is_revalidated(client) -> None:
    response = client.get("/static/elearn.css")
    assert response.status_code == 200
    assert response.cache_control.max_age is None


@pytest.mark.parametrize("path", ["/masuk", "/", "/admin/", "/akun/kata-sandi", "/tidak-ada"])
def test_pages_have_no_inline_script_or_style(admin_client, path: str) -> None:
    response = admin_client.get(path)
    page = parse(response.get_data(as_text=True))
    assert page.inline_code == []
    assert all(attrs.get("src") for attrs in page.find("script"))
    assert not [(t, a) for t, a in page.tags if "style" in a or any(name.startswith("on") for name in a)]


def test_content_security_policy_forbids_inline_script(client) -> None:
    policy = client.get("/masuk").headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert "unsafe-inline" not in policy


def test_login_page_and_its_assets_weigh_under_budget(client) -> None:
    html = client.get("/masuk").get_data()
    page = parse(html.decode())
    assets = [link["href"] for link in page.find("link") if link.get("rel") in {"stylesheet", "icon"}]
    assert len(assets) == 2
    total = len(html) + sum(len(client.get(url).get_data()) for url in assets)
    assert total < FIRST_VISIT_BUDGET_BYTES


def test_denied_area_answers_not_found_page_in_layout(session, client) -> None:
    person = make_person(session, name="Agus Salim")
    session.commit()
    login(client, person)
    response = client.get("/admin/")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in html and 'id="main"' in html
    assert 'href="/"' in html


def test_form_without_csrf_token_answers_page_in_layout(client) -> None:
    response = client.post("/bahasa", data={"locale": "en"})
    assert response.status_code == 400
    assert "Formulir mungkin sudah kedaluwarsa" in response.get_data(as_text=True)


def _app_with_failing_route(app: Flask) -> None:
    """A standalone app shows elearn's error pages for errors raised outside elearn's blueprint too."""
    errors.install(app)

    def fail(code: int) -> None:
        if code == 429:
            raise TooManyRequests(retry_after=120)
        abort(code)

    app.add_url_rule("/uji-galat/<int:code>", view_func=fail)


@pytest.mark.parametrize(
    ("code", "title"),
    [
        (403, "Akses ditolak"),
        (404, "Halaman tidak ditemukan"),
        (429, "Terlalu banyak percobaan"),
        (500, "Terjadi kesalahan pada server"),
    ],
)
def test_error_page_shows_title_in_layout(app, client, code: int, title: str) -> None:
    _app_with_failing_route(app)
    response = client.get(f"/uji-galat/{code}")
    html = response.get_data(as_text=True)
    assert response.status_code == code
    assert f"<h1>{title}</h1>" in html and 'class="skip-link"' in html
    assert re.search(r'href="/static/elearn\.css\?v=\w+"', html)


def test_too_many_requests_page_keeps_retry_after(app, client) -> None:
    _app_with_failing_route(app)
    assert client.get("/uji-galat/429").headers["Retry-After"] == "120"


def test_error_page_follows_chosen_language(app, client) -> None:
    _app_with_failing_route(app)
    client.post_form("/bahasa", {"locale": "en", "next": "/masuk"})
    html = client.get("/uji-galat/404").get_data(as_text=True)
    assert "<h1>Page not found</h1>" in html and '<html lang="en">' in html


def test_server_error_page_renders_after_failed_query(app, session, client) -> None:
    person = make_person(session, name="Wahyu Hidayat")
    session.commit()
    login(client, person)
    errors.install(app)
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def broken_view() -> None:
        db_session().execute(text("select * from elearn_no_such_table"))

    app.add_url_rule("/uji-galat/kueri", view_func=broken_view)
    response = client.get("/uji-galat/kueri")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Terjadi kesalahan pada server" in html and "Keluar" in html, "layout shows the signed-in person"
