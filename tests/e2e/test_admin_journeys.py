"""Browser journeys of an administrator on a phone (360x740): editing a person, reading the audit log, the tables.

Screenshots go to `test-output/screenshots/admin-*.png`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests.e2e.support import PASSWORD, Tab, migrated_app, served, sign_in
from tests.factories import make_person, make_unit

pytestmark = pytest.mark.e2e

LONG_NAME = "Pegawai_dengan_nama_tanpa_spasi_yang_sangat_panjang_sekali_sampai_melewati_layar"
LONG_CODE = "DINAS-KOMUNIKASI-DAN-INFORMATIKA-KOTA-SALATIGA-01"


@dataclass(frozen=True)
class Office:
    """Where the served app answers, and the people of its small organisation."""

    url: str
    admin_nip: str
    siti_id: int


def _build_app(tmp: Path) -> tuple[Flask, Office]:
    """A migrated SQLite app: a city with two departments (one with a long code), an admin and two employees."""
    app = migrated_app(tmp)
    with app.app_context():
        session = app.extensions["elearn"].db.session
        city = make_unit(session, "PEMKOT", name="Pemerintah Kota Salatiga")
        bkpsdm = make_unit(session, "BKPSDM", name="Badan Kepegawaian dan Pengembangan SDM", parent=city)
        diskominfo = make_unit(session, LONG_CODE, name="Dinas Komunikasi dan Informatika", parent=city)
        admin = make_person(
            session, name="Budi Santoso", unit=bkpsdm, password=PASSWORD, roles=("employee", "admin")
        )
        siti = make_person(session, name="Siti Rahmawati", unit=diskominfo, email="siti@salatiga.go.id")
        make_person(session, name=LONG_NAME, unit=diskominfo)
        session.commit()
        office = Office(url="", admin_nip=admin.nip, siti_id=siti.id)
        session.remove()
    return app, office


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Office]:
    app, built = _build_app(tmp_path_factory.mktemp("admin-e2e"))
    with served(app) as url:
        yield replace(built, url=url)


def cell_label(page: Page, selector: str) -> str:
    """The column label a stacked cell shows before its value (CSS `content`), or "none"."""
    return page.locator(selector).first.evaluate("cell => getComputedStyle(cell, '::before').content")


def test_admin_edits_a_persons_roles_and_reads_it_in_the_audit_log(phone: Tab, office: Office) -> None:
    page = phone.page
    sign_in(phone, office.url, office.admin_nip)
    page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Administrasi").click()
    page.get_by_role("link", name="Daftar pegawai").click()
    expect(page.get_by_role("heading", name="Pegawai", exact=True)).to_be_visible()
    phone.screenshot("admin-01-people")
    assert phone.fits_screen_width(), "long names wrap instead of widening the page"
    assert cell_label(page, "table.stacked td[data-label='NIP']") == '"NIP"', "each cell shows its column"

    page.get_by_role("link", name="Siti Rahmawati").click()
    page.get_by_role("link", name="Ubah data pegawai").click()
    expect(page.get_by_role("heading", name="Ubah data: Siti Rahmawati")).to_be_visible()
    roles = page.get_by_role("group", name="Peran")
    expect(roles.get_by_role("checkbox", name="Pegawai")).to_be_checked()
    roles.get_by_role("checkbox", name="Mentor").check()
    phone.screenshot("admin-02-edit")
    assert phone.fits_screen_width()
    page.get_by_role("button", name="Simpan perubahan").click()

    expect(page).to_have_url(f"{office.url}/admin/orang/{office.siti_id}")
    expect(page.get_by_role("status")).to_have_text("Perubahan data Siti Rahmawati disimpan.")
    expect(page.locator("dl.profile .badge-mentor")).to_have_text("Mentor")
    phone.screenshot("admin-03-person")
    assert phone.fits_screen_width()

    page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Administrasi").click()
    page.get_by_role("link", name="Lihat log audit").click()
    newest = page.locator("table.stacked tbody tr").first
    expect(newest).to_contain_text("Data pegawai diubah")
    expect(newest).to_contain_text("Peran: Pegawai → Pegawai, Mentor")
    expect(newest).to_contain_text("WIB")
    expect(newest.get_by_role("link", name="Budi Santoso")).to_be_visible()
    target = newest.get_by_role("link", name="Siti Rahmawati")
    expect(target).to_have_attribute("href", f"/admin/orang/{office.siti_id}")
    phone.screenshot("admin-04-audit")
    assert phone.fits_screen_width()

    page.get_by_label("Tindakan").select_option(label="Data pegawai diubah")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page).to_have_url(re.compile(r"action=person\.updated"))
    expect(page.locator("table.stacked tbody tr")).to_have_count(1)
    assert phone.problems == []


def test_unit_picker_narrows_the_people_list_to_a_subtree(phone: Tab, office: Office) -> None:
    page = phone.page
    sign_in(phone, office.url, office.admin_nip)
    page.goto(office.url + "/admin/orang")
    picker = page.get_by_label("Unit kerja (beserta sub-unit)")
    expect(picker.locator("option").first).to_have_text("Semua unit")
    picker.select_option(value=LONG_CODE)
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.get_by_role("link", name="Siti Rahmawati")).to_be_visible()
    expect(page.get_by_role("link", name="Budi Santoso")).to_have_count(0)
    expect(picker).to_have_value(LONG_CODE)
    phone.screenshot("admin-05-people-by-unit")
    assert phone.fits_screen_width()
    assert phone.problems == []


def test_wide_unit_table_scrolls_in_a_focusable_labelled_region(tab: Tab, office: Office) -> None:
    page = tab.page
    sign_in(tab, office.url, office.admin_nip)
    page.goto(office.url + "/admin/unit")
    region = page.get_by_role("region", name="Unit kerja, diurutkan menurut pohon organisasi")
    expect(region).to_be_visible()
    region.focus()
    expect(region).to_be_focused()
    hint = page.get_by_text("Geser tabel ke samping untuk melihat semua kolom.")
    scrolls = region.evaluate("box => box.scrollWidth > box.clientWidth")
    if tab.size == "phone":
        expect(hint).to_be_visible()
        assert scrolls, "the table is wider than a phone, so its region scrolls"
        page.keyboard.press("ArrowRight")
        # The keyboard scrolls the focused region (smoothly, so wait for the scroll rather than read it at once).
        page.wait_for_function("box => box.scrollLeft > 0", arg=region.element_handle(), timeout=5_000)
    else:
        expect(hint).to_be_hidden()
        assert not scrolls
    tab.screenshot("admin-06-units")
    assert tab.fits_screen_width()
    assert tab.problems == []


def test_admin_adds_and_ends_a_mentorship_on_a_phone(phone: Tab, office: Office) -> None:
    page = phone.page
    sign_in(phone, office.url, office.admin_nip)
    page.goto(f"{office.url}/admin/orang/{office.siti_id}")
    form = page.get_by_role("form", name="Tambah bimbingan")
    form.get_by_role("radio", name="Mentee (dibimbing)").check()
    form.get_by_label("NIP pegawai lainnya").fill(office.admin_nip)
    form.get_by_label("Mulai").fill("2026-01-05")
    form.get_by_role("button", name="Tambah bimbingan").click()

    expect(page.get_by_role("status")).to_have_text(
        "Bimbingan Budi Santoso untuk Siti Rahmawati ditambahkan."
    )
    row = page.locator("section[aria-labelledby='mentorship-heading'] table.stacked tbody tr").first
    expect(row.get_by_role("link", name="Budi Santoso")).to_be_visible()
    expect(row).to_contain_text("5 Jan 2026")
    phone.screenshot("admin-07-mentorship")
    assert phone.fits_screen_width()

    row.get_by_label("Hari terakhir").fill("2026-01-31")
    row.get_by_role("button", name="Akhiri").click()
    expect(page.get_by_role("status")).to_have_text("Bimbingan diakhiri; hari terakhirnya 31 Jan 2026.")
    expect(page.locator("section[aria-labelledby='mentorship-heading'] tbody tr").first).to_contain_text(
        "31 Jan 2026"
    )
    assert phone.problems == []
