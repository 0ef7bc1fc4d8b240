"""A lesson's first visit on a phone weighs at most 50 KB on the wire: HTML, stylesheet, scripts and favicon as
headless Chromium at 360x740 fetches them with an empty cache, each counted as docs/deployment.md serves it
(nginx: pages gzipped at level 5 from 1 KB up, static files from their precompressed `.gz` copies)."""

from __future__ import annotations

import gzip
import random
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Response

from elearn.app import create_app
from elearn.migrate import upgrade
from elearn.resources import STATIC_DIR
from elearn.services import attempts
from elearn.services.course_sync import sync_courses
from elearn.services.outlines import current_version, outline_of
from elearn.state import outlines
from tests.e2e.conftest import open_tab
from tests.e2e.support import PASSWORD, SCREENSHOTS, VIEWPORTS, served, sign_in
from tests.factories import make_person, make_unit

pytestmark = pytest.mark.e2e

SAMPLE_COURSES = Path(__file__).resolve().parents[2] / "courses"
COURSE = "pelayanan-publik-prima"
LESSON = "02-asas-dan-standar-pelayanan"  # the longest lesson of the sample courses
LIMIT_BYTES = 50_000
NGINX_GZIP_LEVEL = 5
NGINX_GZIP_MIN_LENGTH = 1024


@dataclass(frozen=True)
class Site:
    url: str
    nip: str


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The sample course with its longest lesson, and an employee who has taken its pre-test (lessons open)."""
    tmp = tmp_path_factory.mktemp("page-weight")
    shutil.copytree(SAMPLE_COURSES / COURSE, tmp / "courses" / COURSE)
    app = create_app({"ELEARN_DATABASE_URL": f"sqlite:///{tmp / 'weight.sqlite3'}", "SECRET_KEY": "weight"})
    app.instance_path = str(tmp)
    with app.app_context():
        upgrade()
        session = app.extensions["elearn"].db.session
        assert sync_courses(session, tmp / "courses").ok
        person = make_person(session, name="Dewi Lestari", unit=make_unit(session), password=PASSWORD)
        published = current_version(session, COURSE)
        assert published is not None
        outline = outline_of(session, outlines(), published.version_id)
        pretest = outline.of_kind("pretest")
        assert pretest is not None
        now, grace = datetime.now(UTC), timedelta(minutes=1)
        taken = attempts.start_attempt(
            session,
            person_id=person.id,
            outline=outline,
            module=pretest,
            now=now,
            rng=random.Random(1),
            grace=grace,
            timezone=UTC,
        )
        attempts.submit(
            session, attempt_id=taken, person_id=person.id, outline=outline, module=pretest, answers={},
            base_revision=None, now=now, grace=grace, timezone=UTC,
        )  # fmt: skip
        session.commit()
        found = Site(url="", nip=person.nip)
        session.remove()
    with served(app) as url:
        yield replace(found, url=url)


def wire_bytes(url: str, body: bytes, headers: list[dict[str, str]]) -> int:
    """What nginx would send for this response: its headers, and the body gzipped as docs/deployment.md says."""
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    precompressed = STATIC_DIR / "elearn" / f"{name}.gz"
    if "/static/" in url and precompressed.is_file():
        sent = precompressed.stat().st_size
    elif len(body) >= NGINX_GZIP_MIN_LENGTH:
        sent = len(gzip.compress(body, NGINX_GZIP_LEVEL))
    else:
        sent = len(body)
    return sum(len(header["name"]) + len(header["value"]) + 4 for header in headers) + sent


def test_lesson_first_visit_on_a_phone_weighs_at_most_50_kb(browser: Browser, site: Site) -> None:
    signing_in = open_tab(browser, "phone")
    sign_in(signing_in, site.url, site.nip)
    signed_in = signing_in.page.context.storage_state()
    signing_in.page.context.close()

    context = browser.new_context(viewport=VIEWPORTS["phone"], locale="id-ID", storage_state=signed_in)
    page = context.new_page()
    responses: list[Response] = []
    page.on("response", lambda response: responses.append(response))
    page.goto(f"{site.url}/kursus/{COURSE}/{LESSON}", wait_until="load")
    assert page.get_by_role("heading", level=1).inner_text() == "Asas dan Standar Pelayanan"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "lesson-first-visit-phone.png", full_page=True)
    fetched = {
        urlsplit(r.url).path: (r.status, wire_bytes(r.url, r.body(), r.headers_array())) for r in responses
    }
    favicon = page.locator("link[rel=icon]").get_attribute("href")
    assert favicon is not None
    if (
        urlsplit(favicon).path not in fetched
    ):  # headless Chromium skips the favicon; a phone's browser does not
        icon = page.request.get(site.url + favicon)
        fetched[urlsplit(favicon).path] = (icon.status, wire_bytes(icon.url, icon.body(), icon.headers_array))
    context.close()

    assert all(status == 200 for status, _ in fetched.values()), fetched
    kinds = sorted(path.rsplit(".", 1)[-1] if "/static/" in path else "html" for path in fetched)
    assert kinds == ["css", "html", "svg"], fetched  # a lesson needs no script
    assert sum(weight for _, weight in fetched.values()) <= LIMIT_BYTES, fetched
