"""Browser journey of an administrator on a phone (360x740) through the competency framework and one position's
standard: add a technical competency, require it of a position, upload an SKJ file with a mistake and read where.

Screenshots go to `test-output/screenshots/framework-*.png`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from elearn.services.competency import seed_dictionary
from tests.e2e.support import PASSWORD, Tab, migrated_app, served, sign_in
from tests.factories import make_person, make_position

pytestmark = pytest.mark.e2e
BAD_REQUEST = "Failed to load resource: the server responded with a status of 400 (BAD REQUEST)"


@dataclass(frozen=True)
class Office:
    url: str
    admin_nip: str


def _build_app(tmp: Path) -> tuple[Flask, Office]:
    app = migrated_app(tmp)
    with app.app_context():
        session = app.extensions["elearn"].db.session
        seed_dictionary(session)
        make_position(session, "ANALIS-DATA")
        admin = make_person(session, name="Budi Santoso", password=PASSWORD, roles=("employee", "admin"))
        session.commit()
        office = Office(url="", admin_nip=admin.nip)
        session.remove()
    return app, office


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Office]:
    app, built = _build_app(tmp_path_factory.mktemp("framework-e2e"))
    with served(app) as url:
        yield replace(built, url=url)


def _fill_competency(page: Page) -> None:
    page.get_by_label("Kode", exact=True).fill("T.SIK.01")
    page.get_by_label("Nama", exact=True).fill("Pengelolaan Data Kependudukan")
    page.get_by_label("Definisi").fill("Mengelola data kependudukan dalam SIAK sesuai ketentuan")
    for level in range(1, 6):
        page.get_by_label(f"Level {level}: deskripsi").fill(f"Deskripsi level {level}")
    page.get_by_label("Level 3: indikator").fill("Memeriksa kualitas data\nMemperbaiki data ganda")


def test_admin_adds_a_competency_requires_it_and_reads_an_upload_problem(
    phone: Tab, office: Office, tmp_path: Path
) -> None:
    page = phone.page
    sign_in(phone, office.url, office.admin_nip)
    page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Administrasi").click()
    page.get_by_role("link", name="Kamus kompetensi").click()
    expect(page.get_by_role("heading", name="Kamus kompetensi", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="M.01")).to_be_visible()
    phone.screenshot("framework-01-list")
    assert phone.fits_screen_width()

    page.get_by_role("link", name="Tambah kompetensi teknis").click()
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator(".field-error").first).to_have_text("Wajib diisi.")
    _fill_competency(page)
    phone.screenshot("framework-02-add")
    assert phone.fits_screen_width()
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("status")).to_have_text("Kompetensi T.SIK.01 disimpan.")
    expect(page.get_by_role("heading", name="Level 3")).to_be_visible()
    expect(page.get_by_text("Memperbaiki data ganda")).to_be_visible()
    phone.screenshot("framework-03-competency")
    assert phone.fits_screen_width()

    page.goto(office.url + "/admin/jabatan")
    page.get_by_role("link", name="Jabatan ANALIS-DATA").click()
    page.get_by_label("Kompetensi", exact=True).select_option(label="T.SIK.01 Pengelolaan Data Kependudukan")
    page.get_by_label("Level yang dipersyaratkan").select_option("3")
    page.get_by_role("button", name="Simpan level").click()
    expect(page.get_by_role("status")).to_contain_text("Standar jabatan disimpan")
    row = page.locator("table.stacked tbody tr").first
    expect(row).to_contain_text("T.SIK.01")
    expect(row).to_contain_text("3")
    phone.screenshot("framework-04-standard")
    assert phone.fits_screen_width()

    skj = tmp_path / "skj.csv"
    skj.write_text(
        "kode_jabatan;kode_kompetensi;level\nANALIS-DATA;M.01;3\nANALIS-DATA;M.99;2\n", encoding="utf-8"
    )
    page.get_by_role("link", name="Kembali ke daftar jabatan").click()
    page.get_by_label("Berkas CSV atau YAML").set_input_files(str(skj))
    page.get_by_role("button", name="Unggah").click()
    expect(page.get_by_role("alert")).to_contain_text("Impor ditolak: 1 masalah")
    problem = page.locator("table.stacked tbody tr").first
    expect(problem).to_contain_text("3")
    expect(problem).to_contain_text("kode_kompetensi")
    expect(problem).to_contain_text("M.99")
    phone.screenshot("framework-05-upload-problem")
    assert phone.fits_screen_width()
    assert phone.problems == [BAD_REQUEST] * 2, "only the refused form's and the refused upload's own status"
