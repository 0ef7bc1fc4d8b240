"""Caching headers: what a signed-in person sees is never stored; versioned static files are cached by everyone."""

from __future__ import annotations

import re

import pytest

from tests.factories import login, make_person
from tests.web.accounts_support import PASSWORD, sign_in

SIGNED_IN_PAGES = [
    "/",
    "/akun/kata-sandi",
    "/mentor/",
    "/atasan/",
    "/atasan/orang",
    "/admin/",
    "/admin/orang",
    "/admin/unit",
    "/admin/audit",
    "/admin/import",
    "/jp",
    "/pelatihan/baru",
    "/atasan/pelatihan",
    "/admin/sertifikat",
]
STATIC_CACHING = "public, max-age=31536000, immutable"


@pytest.fixture
def everyone(session):
    """A person holding every role, so every area's pages answer."""
    person = make_person(
        session, roles=("employee", "mentor", "trainer", "supervisor", "admin"), password=PASSWORD
    )
    session.commit()
    return person


def stylesheet_url(client) -> str:
    """The versioned stylesheet URL the layout links to."""
    page = client.get("/masuk").get_data(as_text=True)
    return re.search(r'<link rel="stylesheet" href="([^"]+)"', page).group(1).replace("&amp;", "&")


@pytest.mark.parametrize("url", SIGNED_IN_PAGES)
def test_signed_in_pages_are_never_stored(client, everyone, url):
    login(client, everyone)
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "Cookie" in response.vary


def test_error_page_for_a_signed_in_person_is_never_stored(client, everyone):
    login(client, everyone)
    response = client.get("/admin/orang/987654")
    assert response.status_code == 404 and response.headers["Cache-Control"] == "private, no-store"


def test_public_login_page_keeps_default_caching(client):
    response = client.get("/masuk")
    assert response.status_code == 200 and "Cache-Control" not in response.headers


def test_versioned_static_file_is_immutable_and_does_not_vary_by_cookie(client):
    url = stylesheet_url(client)
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "text/css"
    assert response.headers["Cache-Control"] == STATIC_CACHING
    assert "Vary" not in response.headers and "Set-Cookie" not in response.headers


def test_versioned_static_file_for_a_signed_in_person_is_still_shared(client, everyone):
    login(client, everyone)
    url = stylesheet_url(client)
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == STATIC_CACHING
    assert "Vary" not in response.headers and "Set-Cookie" not in response.headers


def test_remembered_sign_in_still_sets_its_cookie_on_pages(client, everyone):
    """The remember-cookie hook skips static files only: a login with "remember me" still gets its cookie."""
    response = sign_in(client, everyone.nip, remember=True)
    assert response.status_code == 302
    assert "remember_token=" in " ".join(response.headers.getlist("Set-Cookie"))
