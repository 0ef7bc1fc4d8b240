"""An employee's whole course on a phone (360x740) in headless Chromium: pre-test, lessons, a failed and a passed
quiz, the post-test with its gain, the survey, the completed course and the JP; and a quiz answered offline."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from elearn.app import create_app
from elearn.migrate import upgrade
from elearn.services.course_sync import sync_courses
from tests.e2e.support import PASSWORD, Tab, served, sign_in
from tests.factories import make_person, make_unit

pytestmark = pytest.mark.e2e

COURSES = Path(__file__).resolve().parents[1] / "fixtures" / "courses_journey"
COURSE = "/kursus/layanan-dasar"


@dataclass(frozen=True)
class Site:
    """The served app and the NIPs of two employees who can sign in with PASSWORD."""

    url: str
    first_nip: str
    second_nip: str


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A migrated SQLite app with the journey courses and two employees, served on a free port."""
    tmp = tmp_path_factory.mktemp("learner-e2e")
    app = create_app({"ELEARN_DATABASE_URL": f"sqlite:///{tmp / 'e2e.sqlite3'}", "SECRET_KEY": "e2e-secret"})
    app.instance_path = str(tmp)
    with app.app_context():
        upgrade()
        session = app.extensions["elearn"].db.session
        assert sync_courses(session, COURSES).ok
        unit = make_unit(session, "DUKCAPIL", name="Dinas Kependudukan dan Pencatatan Sipil")
        first = make_person(session, name="Siti Rahmawati", unit=unit, password=PASSWORD)
        second = make_person(session, name="Agus Saputra", unit=unit, password=PASSWORD)
        session.commit()
        found = Site(url="", first_nip=first.nip, second_nip=second.nip)
        session.remove()
    with served(app) as url:
        yield replace(found, url=url)


def question(page: Page, stem: str) -> Locator:
    """The fieldset of the question whose stem contains `stem`."""
    return page.locator("fieldset.question").filter(has_text=stem)


def answer_quiz(page: Page, *, right: bool) -> None:
    """Answer the quiz on its pages (two questions a page, shuffled), every answer right or every one wrong."""
    choices = {
        "Apa kepanjangan SPM?": "Standar Pelayanan Minimal" if right else "Sistem Pelayanan Mandiri",
        "Maklumat wajib dipublikasikan.": "Benar" if right else "Salah",
    }
    while True:
        for stem, label in choices.items():
            box = question(page, stem)
            if box.count():
                box.get_by_label(label, exact=True).check()
        components = question(page, "Komponen standar pelayanan?")
        if components.count():
            components.get_by_label("Persyaratan").check()
            components.get_by_label("Jangka waktu" if right else "Nama kepala dinas").check()
        term = question(page, "Pernyataan kesanggupan")
        if term.count():
            term.get_by_label("Jawaban Anda").fill("maklumat" if right else "spanduk")
        matching = question(page, "Jodohkan singkatan")
        if matching.count():
            for left, meaning in (
                ("SPM", "Standar Pelayanan Minimal"),
                ("IKM", "Indeks Kepuasan Masyarakat"),
            ):
                chosen = meaning if right else ("Indeks Kepuasan Masyarakat" if left == "SPM" else meaning)
                matching.get_by_label(left, exact=True).select_option(label=chosen)
        next_page = page.get_by_role("button", name="Simpan dan lanjut")
        if not next_page.count():
            break
        next_page.click()
    page.get_by_role("button", name="Periksa dan kirim").click()
    expect(page.get_by_role("heading", name="Periksa jawaban sebelum dikirim")).to_be_visible()
    page.get_by_role("button", name="Kirim jawaban").click()


def read_lesson(page: Page, url: str, title: str) -> None:
    """Open a lesson from the course page, read it, mark it done."""
    page.goto(url + COURSE)
    page.get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    page.get_by_role("button", name="Tandai selesai dan lanjutkan").click()


def test_employee_completes_a_course_on_a_phone(phone: Tab, site: Site) -> None:
    page = phone.page
    sign_in(phone, site.url, site.first_nip)
    expect(page.get_by_role("heading", name="Selamat datang, Siti Rahmawati")).to_be_visible()
    expect(page.get_by_text("0 / 20 JP")).to_be_visible()
    page.get_by_role("link", name="Lihat katalog kursus").click()
    expect(page.get_by_role("heading", name="Katalog kursus")).to_be_visible()
    phone.screenshot("20-catalogue")
    assert phone.fits_screen_width()
    page.get_by_role("link", name="Layanan Dasar").click()
    expect(page.get_by_text("Kerjakan pretest terlebih dahulu.").first).to_be_visible()
    phone.screenshot("21-course-locked")
    assert phone.fits_screen_width()

    page.get_by_role("link", name="Mulai").click()
    page.get_by_role("button", name="Mulai mengerjakan").click()
    question(page, "Kepanjangan SPM?").get_by_label("Sistem Pelayanan Mandiri").check()
    question(page, "Batas hari kerja").get_by_label("Jawaban Anda (angka)").fill("7")
    phone.screenshot("22-pretest")
    assert phone.fits_screen_width()
    page.get_by_role("button", name="Periksa dan kirim").click()
    page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.get_by_text("Pretest selesai.")).to_be_visible()

    read_lesson(page, site.url, "Standar Pelayanan")
    expect(page.get_by_role("heading", name="Maklumat Pelayanan", level=1)).to_be_visible()
    phone.screenshot("23-lesson")
    assert phone.fits_screen_width()
    page.get_by_role("button", name="Tandai selesai dan lanjutkan").click()

    expect(page.get_by_role("heading", name="Kuis Standar", level=1)).to_be_visible()
    page.get_by_role("button", name="Mulai mengerjakan").click()
    phone.screenshot("24-quiz-page")
    assert phone.fits_screen_width()
    answer_quiz(page, right=False)
    expect(page.get_by_text("Belum lulus").first).to_be_visible()
    phone.screenshot("25-quiz-failed")
    assert phone.fits_screen_width()
    page.get_by_role("link", name="Coba lagi").click()
    page.get_by_role("button", name="Coba lagi").click()
    answer_quiz(page, right=True)
    expect(page.get_by_text("Lulus", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Pembahasan")).to_be_visible()
    phone.screenshot("26-quiz-passed")

    page.get_by_role("link", name="Lanjut ke Posttest").click()
    page.get_by_role("button", name="Mulai mengerjakan").click()
    expect(page.get_by_text(re.compile("Waktu habis pukul"))).to_be_visible()
    question(page, "Kepanjangan SPM?").get_by_label("Standar Pelayanan Minimal").check()
    question(page, "Batas hari kerja").get_by_label("Jawaban Anda (angka)").fill("14")
    page.get_by_role("button", name="Periksa dan kirim").click()
    page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.get_by_text("Selamat! Kursus ini selesai dan JP Anda bertambah.")).to_be_visible()
    expect(page.get_by_role("heading", name="Peningkatan Anda")).to_be_visible()
    gain = page.get_by_role("row").filter(has_text="M.05")
    expect(gain).to_contain_text("+100")
    phone.screenshot("27-posttest-gain")
    assert phone.fits_screen_width()

    page.get_by_role("link", name="Lanjut ke Survei").click()
    page.locator("fieldset").filter(has_text="Materi mudah dipahami.").get_by_label("4 · Setuju").check()
    page.get_by_label("Jawaban Anda").fill("Contoh kasus lebih banyak.")
    phone.screenshot("28-survey")
    page.get_by_role("button", name="Kirim survei").click()
    expect(page.get_by_text("Terima kasih, jawaban survei Anda tersimpan tanpa nama.")).to_be_visible()
    expect(page.get_by_text("Kursus selesai")).to_be_visible()

    page.get_by_role("link", name="Beranda").click()
    expect(page.get_by_text("2 / 20 JP")).to_be_visible()
    expect(page.get_by_role("heading", name="Sudah selesai")).to_be_visible()
    expect(page.get_by_role("link", name="Layanan Dasar", exact=True)).to_be_visible()
    phone.screenshot("29-my-learning-done")
    assert phone.fits_screen_width()
    assert phone.problems == []


def test_answers_given_offline_are_sent_when_the_connection_returns(phone: Tab, site: Site) -> None:
    page = phone.page
    sign_in(phone, site.url, site.second_nip)
    page.goto(site.url + COURSE + "/01-pretest")
    page.get_by_role("button", name="Mulai mengerjakan").click()
    spm = question(page, "Kepanjangan SPM?")
    days = question(page, "Batas hari kerja")
    expect(spm).to_be_visible()

    page.context.set_offline(True)
    spm.get_by_label("Standar Pelayanan Minimal").check()
    days.get_by_label("Jawaban Anda (angka)").fill("14")
    days.get_by_label("Jawaban Anda (angka)").blur()
    expect(spm.get_by_text("Belum tersimpan")).to_be_visible()
    expect(days.get_by_text("Belum tersimpan")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="offline")).to_be_visible()
    phone.screenshot("30-quiz-offline")

    page.context.set_offline(False)
    expect(spm.get_by_text("Tersimpan", exact=True)).to_be_visible()
    expect(days.get_by_text("Tersimpan", exact=True)).to_be_visible()
    phone.screenshot("31-quiz-back-online")

    page.reload()
    expect(question(page, "Kepanjangan SPM?").get_by_label("Standar Pelayanan Minimal")).to_be_checked()
    expect(question(page, "Batas hari kerja").get_by_label("Jawaban Anda (angka)")).to_have_value("14")
    problems = [p for p in phone.problems if "ERR_INTERNET_DISCONNECTED" not in p]
    assert problems == []
