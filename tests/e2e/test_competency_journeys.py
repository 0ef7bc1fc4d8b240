"""Competencies in headless Chromium: a supervisor drills from a person into their competency profile (chart,
table, evidence, recommendations); the employee finds their own profile from the menu and the catalogue's
"recommended for you"."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from elearn.models import AttainedCompetency, Competency, CompetencyEvidence, PositionStandard
from elearn.services.competency_standing import refresh_standings
from elearn.services.course_sync import sync_courses
from tests.e2e.support import PASSWORD, Tab, migrated_app, served, sign_in
from tests.factories import make_person, make_position, make_unit

pytestmark = pytest.mark.e2e

COURSES = Path(__file__).resolve().parents[1] / "fixtures" / "courses_journey"


@dataclass(frozen=True)
class Site:
    """The served app and who signs in there (all with PASSWORD)."""

    url: str
    head_nip: str
    employee_nip: str
    employee_id: int


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A unit with a head and an employee whose position requires M.05 at 3 and M.03 at 2, attained M.05 at 1."""
    app = migrated_app(tmp_path_factory.mktemp("competency-e2e"))
    with app.app_context():
        session = app.extensions["elearn"].db.session
        assert sync_courses(session, COURSES).ok
        unit = make_unit(session, "DUKCAPIL", name="Dinas Kependudukan dan Pencatatan Sipil")
        head = make_person(
            session, name="Hendra Wijaya", unit=unit, roles=("employee", "supervisor"), password=PASSWORD
        )
        unit.head = head
        employee = make_person(session, name="Rina Kartika", unit=unit, password=PASSWORD)
        position = make_position(session, "ADMKEP")
        codes = dict(session.execute(select(Competency.code, Competency.id)).all())
        session.add_all(
            PositionStandard(position_id=position.id, competency_id=codes[code], required_level=level)
            for code, level in (("M.05", 3), ("M.03", 2))
        )
        employee.position_id = position.id
        evidence = CompetencyEvidence(
            person_id=employee.id,
            competency_id=codes["M.05"],
            level=1,
            achieved_on=date(2026, 5, 2),
            source="assessment",
            recorded_by_id=head.id,
            note="Asesmen 2026",
        )
        session.add(evidence)
        session.flush()
        session.add(
            AttainedCompetency(
                person_id=employee.id,
                competency_id=codes["M.05"],
                level=1,
                since=evidence.achieved_on,
                evidence_id=evidence.id,
            )
        )
        refresh_standings(session, person_ids=[employee.id])
        session.commit()
        found = Site(url="", head_nip=head.nip, employee_nip=employee.nip, employee_id=employee.id)
        session.remove()
    with served(app) as url:
        yield replace(found, url=url)


def test_supervisor_drills_into_a_persons_competency_profile(tab: Tab, site: Site) -> None:
    page = tab.page
    sign_in(tab, site.url, site.head_nip)
    page.goto(f"{site.url}/atasan/orang/{site.employee_id}")
    page.get_by_role("link", name="Kompetensi dan kesenjangan").click()
    expect(page.get_by_role("heading", name="Kompetensi: Rina Kartika")).to_be_visible()
    expect(page.get_by_text("JPM 20 %")).to_be_visible()
    expect(
        page.get_by_role("img", name="Level yang dicapai dibanding standar jabatan, per kompetensi")
    ).to_be_visible()
    row = page.get_by_role("row").filter(has_text="M.05")
    expect(row.first).to_contain_text("level 1 sejak 2 Mei 2026 dari asesmen: Asesmen 2026")
    expect(page.locator(".recommendations li").first).to_contain_text("Layanan Dasar")
    tab.screenshot("competency-profile-supervisor")
    assert tab.fits_screen_width()
    assert tab.problems == []


def test_employee_finds_their_profile_and_recommendations(tab: Tab, site: Site) -> None:
    page = tab.page
    sign_in(tab, site.url, site.employee_nip)
    page.get_by_role("link", name="Kompetensi", exact=True).click()
    expect(page.get_by_role("heading", name="Kompetensi saya")).to_be_visible()
    expect(page.get_by_text("2 kompetensi di bawah standar.")).to_be_visible()
    tab.screenshot("competency-profile-self")
    assert tab.fits_screen_width()
    page.get_by_role("link", name="Katalog").click()
    recommended = page.get_by_role("region", name="Disarankan untuk Anda")
    expect(recommended.get_by_role("link", name="Layanan Lanjutan")).to_be_visible()
    tab.screenshot("competency-catalogue-recommended")
    assert tab.problems == []
