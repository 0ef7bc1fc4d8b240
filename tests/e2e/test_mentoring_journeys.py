"""A mentor and a mentee on phones (360x740) in headless Chromium: the mentor assigns a module with a due date, the
mentee sees it first and completes it, the mentor sees it done and leaves feedback, the mentee replies."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from elearn.app import create_app
from elearn.migrate import upgrade
from elearn.services.course_sync import sync_courses
from tests.e2e.support import PASSWORD, Tab, served, sign_in
from tests.factories import make_mentorship, make_person, make_unit

pytestmark = pytest.mark.e2e

COURSES = Path(__file__).resolve().parents[1] / "fixtures" / "courses_mentoring"
MODULE = "Etika Pelayanan Publik › Integritas dalam Pelayanan"


@dataclass(frozen=True)
class Site:
    """The served app and who signs in there (all with PASSWORD)."""

    url: str
    mentor_nip: str
    mentee_nip: str
    mentee_id: int


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A migrated SQLite app with the mentoring courses, a mentor and their current mentee."""
    tmp = tmp_path_factory.mktemp("mentoring-e2e")
    app = create_app({"ELEARN_DATABASE_URL": f"sqlite:///{tmp / 'e2e.sqlite3'}", "SECRET_KEY": "e2e-secret"})
    app.instance_path = str(tmp)
    with app.app_context():
        upgrade()
        session = app.extensions["elearn"].db.session
        assert sync_courses(session, COURSES).ok
        unit = make_unit(session, "DUKCAPIL", name="Dinas Kependudukan dan Pencatatan Sipil")
        mentor = make_person(
            session, name="Hendra Wijaya", unit=unit, roles=("employee", "mentor"), password=PASSWORD
        )
        mentee = make_person(session, name="Rina Kartika", unit=unit, password=PASSWORD)
        make_mentorship(session, mentor, mentee, starts_on=date.today() - timedelta(days=30))
        session.commit()
        found = Site(url="", mentor_nip=mentor.nip, mentee_nip=mentee.nip, mentee_id=mentee.id)
        session.remove()
    with served(app) as url:
        yield replace(found, url=url)


def sign_out(tab: Tab) -> None:
    tab.page.get_by_role("button", name="Keluar").click()
    expect(tab.page.get_by_role("heading", name="Masuk")).to_be_visible()


def test_mentor_assigns_mentee_completes_mentor_gives_feedback_mentee_replies(phone: Tab, site: Site) -> None:
    page = phone.page
    due = date.today() + timedelta(days=14)

    sign_in(phone, site.url, site.mentor_nip)
    page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Mentee").click()
    page.get_by_role("link", name="Rina Kartika").click()
    expect(page.get_by_role("heading", name="Rina Kartika", level=1)).to_be_visible()
    page.get_by_label("Kursus atau modul").select_option(label=MODULE)
    page.get_by_label("Tanggal tenggat").fill(due.isoformat())
    page.get_by_label("Catatan untuk pegawai (boleh kosong)").fill("Baca sebelum rapat Senin.")
    phone.screenshot("40-mentor-assigns")
    assert phone.fits_screen_width()
    page.get_by_role("button", name="Tugaskan").click()
    expect(page.get_by_text("Tugas belajar diberikan kepada 1 pegawai.")).to_be_visible()
    expect(page.get_by_role("cell", name="Belum dimulai")).to_be_visible()
    phone.screenshot("41-assignment-batch")
    assert phone.fits_screen_width()
    sign_out(phone)

    sign_in(phone, site.url, site.mentee_nip)
    first_section = page.locator("main section").first
    expect(first_section.get_by_role("heading", name="Tugas belajar untuk saya")).to_be_visible()
    expect(first_section).to_contain_text("Hendra Wijaya")
    expect(first_section).to_contain_text("Baca sebelum rapat Senin.")
    expect(first_section).to_contain_text("Modul Integritas dalam Pelayanan")
    phone.screenshot("42-mentee-sees-assignment")
    assert phone.fits_screen_width()
    first_section.get_by_role("link", name="Etika Pelayanan Publik").click()
    expect(page.get_by_role("heading", name="Integritas dalam Pelayanan", level=1)).to_be_visible()
    page.get_by_role("button", name="Tandai selesai dan lanjutkan").click()
    page.get_by_role("link", name="Beranda").click()
    expect(page.locator("main section").first).to_contain_text("Selesai")
    sign_out(phone)

    sign_in(phone, site.url, site.mentor_nip)
    page.goto(f"{site.url}/mentor/mentee/{site.mentee_id}")
    assignments = page.locator("section").filter(
        has=page.get_by_role("heading", name="Tugas belajar", exact=True)
    )
    expect(assignments).to_contain_text("Selesai")
    page.get_by_label("Catatan umpan balik baru").fill("Bagus, Rina. Lanjutkan modul keramahan minggu depan.")
    page.get_by_role("button", name="Simpan umpan balik").click()
    expect(
        page.get_by_text("Umpan balik tersimpan dan terlihat oleh mentee serta atasannya.")
    ).to_be_visible()
    phone.screenshot("43-mentor-feedback")
    assert phone.fits_screen_width()
    sign_out(phone)

    sign_in(phone, site.url, site.mentee_nip)
    page.get_by_role("link", name="Umpan balik dari mentor").click()
    expect(page.get_by_text("Bagus, Rina. Lanjutkan modul keramahan minggu depan.")).to_be_visible()
    page.get_by_label("Balas").fill("Terima kasih, Pak Hendra. Siap.")
    page.get_by_role("button", name="Kirim balasan").click()
    expect(page.get_by_text("Balasan tersimpan.")).to_be_visible()
    expect(page.get_by_text("Terima kasih, Pak Hendra. Siap.")).to_be_visible()
    phone.screenshot("44-mentee-replies")
    assert phone.fits_screen_width()
    sign_out(phone)

    sign_in(phone, site.url, site.mentor_nip)
    page.goto(f"{site.url}/mentor/mentee/{site.mentee_id}")
    expect(page.get_by_text("Terima kasih, Pak Hendra. Siap.")).to_be_visible()
    assert phone.problems == []
