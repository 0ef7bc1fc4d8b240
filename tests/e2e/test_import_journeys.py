"""Browser journeys of the admin CSV import: on a phone the problems' reasons are readable, and a file goes
from upload through the check and the import, the job pages reloading themselves until each is done."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.support import VIEWPORTS, Tab, migrated_app, served, sign_in
from tests.factories import make_person, make_unit, valid_nip

pytestmark = pytest.mark.e2e

LONG_ADDRESS = "alamat" * 15 + "tanpa-at-sama-sekali"
BAD_PEOPLE = (
    "nip;nama;email\n"
    "1.98501E+17;Ani Lestari;ani@salatiga.go.id\n"
    f"{valid_nip(7)};Budi Santoso;{LONG_ADDRESS}\n"
    f"{valid_nip(8)};Siti Rahmawati\n"
)


@dataclass(frozen=True)
class ImportSite:
    """Where the served app answers, and the administrator who signs in."""

    url: str
    admin_nip: str


@pytest.fixture(scope="module")
def import_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ImportSite]:
    """A migrated SQLite app with one administrator, served with its own background import runner."""
    folder: Path = tmp_path_factory.mktemp("e2e-import")
    app = migrated_app(folder)
    with app.app_context():
        session = app.extensions["elearn"].db.session
        unit = make_unit(session, "BKPSDM", name="Badan Kepegawaian dan Pengembangan SDM")
        admin = make_person(
            session,
            name="Dewi Lestari",
            unit=unit,
            password="Rahasia-Sekali-2024",
            roles=("employee", "admin"),
        )
        session.commit()
        nip = admin.nip
        session.remove()
    with served(app) as url:
        yield ImportSite(url=url, admin_nip=nip)


def upload(tab: Tab, site: ImportSite, kind: str, name: str, text: str) -> None:
    """Choose a kind and a file on the import page and send it to be checked."""
    page = tab.page
    page.goto(site.url + "/admin/import")
    page.get_by_label("Jenis berkas").select_option(label=kind)
    page.get_by_label("Berkas CSV").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": text.encode()}
    )
    page.get_by_role("button", name="Periksa berkas").click()


def test_admin_reads_every_import_problem_reason_on_phone_and_desktop(
    tab: Tab, import_site: ImportSite
) -> None:
    """On a phone every problem is a card of labelled lines; on a desktop the problems form a table."""
    page = tab.page
    sign_in(tab, import_site.url, import_site.admin_nip)
    upload(tab, import_site, "Pegawai", "pegawai.csv", BAD_PEOPLE)
    expect(page.get_by_role("heading", name="Masalah")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("alert")).to_contain_text("Impor ditolak: 3 masalah")
    expect(page.get_by_role("button", name="Simpan ke basis data")).to_have_count(0)
    reasons = page.locator(".problem-reason")
    expect(reasons).to_have_count(3)
    expect(reasons.nth(0)).to_contain_text("notasi ilmiah")
    expect(reasons.nth(1)).to_contain_text("Alamat e-mail tidak sah")
    expect(reasons.nth(2)).to_contain_text("2 kolom, padahal judul 3 kolom")
    width = VIEWPORTS[tab.size]["width"]
    label = '"Alasan"' if tab.size == "phone" else "none"
    for index in range(3):
        reason = reasons.nth(index)
        box = reason.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
        assert reason.evaluate("cell => getComputedStyle(cell, '::before').content") == label
    expect(page.get_by_role("columnheader", name="Alasan")).to_be_visible(visible=tab.size == "desktop")
    value = page.locator("table.stacked code", has_text=LONG_ADDRESS[:30])
    value_box = value.bounding_box()
    assert value_box is not None and value_box["x"] + value_box["width"] <= width
    tab.screenshot("import-01-problems")
    assert tab.fits_screen_width()
    assert tab.problems == []


def test_admin_checks_then_imports_a_file_and_sees_the_counts(tab: Tab, import_site: ImportSite) -> None:
    page = tab.page
    sign_in(tab, import_site.url, import_site.admin_nip)
    offset = 100 if tab.size == "phone" else 200
    people = "nip;nama;email\n" + "".join(
        f"{valid_nip(offset + n, gender=2)};Pegawai {tab.size} {n};p{n}.{tab.size}@salatiga.go.id\n"
        for n in range(3)
    )
    upload(tab, import_site, "Pegawai", "pegawai.csv", people)
    expect(page.get_by_role("heading", name="Pratinjau impor: Pegawai")).to_be_visible()
    expect(page.get_by_text("3 baru, 0 diubah, 0 tetap.")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("heading", name="Baris pertama")).to_be_visible()
    tab.screenshot("import-02-preview")
    assert tab.fits_screen_width()
    page.get_by_role("button", name="Simpan ke basis data").click()
    expect(page.get_by_role("heading", name="Impor: Pegawai")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(
        "Impor selesai: 3 baru, 0 diubah, 0 tetap.", timeout=30_000
    )
    tab.screenshot("import-03-done")
    assert tab.fits_screen_width()
    page.goto(import_site.url + "/admin/orang")
    expect(page.get_by_role("row", name=f"Pegawai {tab.size} 0")).to_be_visible()
    assert tab.problems == []
