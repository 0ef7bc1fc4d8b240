"""The supervisor's competency pages on a phone (360x740) in headless Chromium: the dashboard and its heatmap, a
sub-unit filter, drilling into a person, a talent search and a CSV download; then an administrator's
organisation-wide 20-JP report with its chart."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from elearn.app import create_app
from elearn.migrate import upgrade
from elearn.models import PositionStandard
from tests.e2e.conftest import open_tab
from tests.e2e.support import PASSWORD, Tab, served, sign_in
from tests.factories import make_person, make_position, make_unit
from tests.web.competency_world import add_competency, attain, earn_jp, stand

pytestmark = pytest.mark.e2e


@dataclass(frozen=True)
class Site:
    """The served app and who signs in there with PASSWORD."""

    url: str
    head_nip: str
    admin_nip: str


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A department with a sub-unit, two people measured against one position standard, and an administrator."""
    tmp = tmp_path_factory.mktemp("competency-e2e")
    app = create_app({"ELEARN_DATABASE_URL": f"sqlite:///{tmp / 'e2e.sqlite3'}", "SECRET_KEY": "e2e-secret"})
    app.instance_path = str(tmp)
    with app.app_context():
        upgrade()
        session = app.extensions["elearn"].db.session
        dinas = make_unit(session, "DUKCAPIL", name="Dinas Kependudukan dan Pencatatan Sipil")
        bidang = make_unit(session, "DUKCAPIL-PD", name="Bidang Pelayanan Pendaftaran Penduduk", parent=dinas)
        other = make_unit(session, "DISHUB", name="Dinas Perhubungan")
        head = make_person(session, name="Hendra Wijaya", roles=("employee", "supervisor"), unit=dinas,
                           password=PASSWORD)  # fmt: skip
        dinas.head = head
        admin = make_person(session, name="Admin BKPSDM", roles=("employee", "admin"), password=PASSWORD)
        archive = add_competency(session, "T.01", "Pengelolaan Arsip")
        service = add_competency(session, "T.02", "Pelayanan Kependudukan")
        position = make_position(session, "PELAKSANA-ADM")
        for competency, level in ((archive, 3), (service, 2)):
            session.add(
                PositionStandard(position_id=position.id, competency_id=competency.id, required_level=level)
            )
        siti = make_person(session, name="Siti Rahmawati", unit=dinas)
        budi = make_person(session, name="Budi Santoso", unit=bidang)
        agus = make_person(session, name="Agus Saputra", unit=other)
        for person, levels, jp in ((siti, (3, 1), 22), (budi, (2, 0), 5), (agus, (3, 2), 30)):
            for competency, level in zip((archive, service), levels, strict=True):
                if level:
                    attain(session, person, competency, level)
            attained = min(levels[0], 3) + min(levels[1], 2)
            stand(session, person, position, required=5, attained=attained, gaps=sum(
                1 for got, need in zip(levels, (3, 2), strict=True) if got < need))  # fmt: skip
            earn_jp(session, person, course=jp)
        session.commit()
        found = Site("", head.nip, admin.nip)
        session.remove()
    with served(app) as url:
        yield replace(found, url=url)


def test_supervisor_reads_the_heatmap_filters_drills_down_searches_and_downloads(
    phone: Tab, site: Site, tmp_path: Path
) -> None:
    page = phone.page
    sign_in(phone, site.url, site.head_nip)
    page.goto(f"{site.url}/atasan/")
    page.get_by_role("link", name="Dasbor kompetensi").click()
    expect(page.get_by_role("heading", name="Dasbor kompetensi", exact=True)).to_be_visible()
    heatmap = page.get_by_role("region", name="Peta kesenjangan kompetensi: pegawai pada baris")
    expect(heatmap).to_be_visible()
    expect(heatmap.get_by_text("level 1 dari 2, kurang 1")).to_have_count(1)
    expect(heatmap.get_by_text("3/3")).to_be_visible()
    expect(page.get_by_text("Agus Saputra")).to_have_count(0)
    phone.screenshot("70-competency-dashboard")
    assert phone.fits_screen_width()

    page.get_by_label("Unit kerja (beserta sub-unit)").select_option("DUKCAPIL-PD")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.get_by_role("link", name="Budi Santoso").first).to_be_visible()
    expect(page.get_by_role("link", name="Siti Rahmawati")).to_have_count(0)
    phone.screenshot("71-competency-dashboard-sub-unit")
    assert phone.fits_screen_width()

    page.get_by_role("link", name="Budi Santoso").first.click()
    expect(page.get_by_role("heading", name="Kompetensi: Budi Santoso")).to_be_visible()

    page.goto(f"{site.url}/atasan/talenta")
    page.get_by_label("Kompetensi 1").select_option("T.01")
    page.locator("#l1").select_option("3")
    page.get_by_role("button", name="Cari").click()
    expect(page.get_by_role("link", name="Siti Rahmawati")).to_be_visible()
    expect(page.get_by_role("link", name="Budi Santoso")).to_have_count(0)
    expect(page.get_by_text("Agus Saputra")).to_have_count(0)
    phone.screenshot("72-talent-search")
    assert phone.fits_screen_width()

    page.get_by_role("link", name="Laporan", exact=True).click()
    page.get_by_role("link", name="Pemenuhan 20 JP per unit").click()
    expect(page.get_by_role("img", name="Persentase PNS yang mencapai 20 JP per unit")).to_be_visible()
    phone.screenshot("73-jp-report")
    assert phone.fits_screen_width()
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh CSV").click()
    saved = tmp_path / "laporan.csv"
    download.value.save_as(saved)
    text = saved.read_text(encoding="utf-8-sig")
    assert "Bidang Pelayanan Pendaftaran Penduduk" in text and "Dinas Perhubungan" not in text
    assert phone.problems == []


def test_admin_runs_the_organisation_wide_jp_report(browser: Browser, site: Site) -> None:
    admin = open_tab(browser, "phone")
    try:
        sign_in(admin, site.url, site.admin_nip)
        admin.page.goto(f"{site.url}/admin/")
        admin.page.get_by_role("link", name="20 JP").click()
        expect(admin.page.get_by_role("heading", name="Pemenuhan 20 JP per unit")).to_be_visible()
        expect(admin.page.get_by_role("link", name="Dinas Perhubungan")).to_be_visible()
        expect(
            admin.page.get_by_role("img", name="Persentase PNS yang mencapai 20 JP per unit")
        ).to_be_visible()
        admin.screenshot("74-admin-jp-report")
        assert admin.fits_screen_width()
        assert admin.problems == []
    finally:
        admin.page.context.close()
