"""Certificates and the JP ledger on a phone (360x740) in headless Chromium: an employee completes a course and
downloads the certificate PDF (rendered with pdftoppm and looked at), its QR code decodes to the verification
address, which confirms it to someone not signed in and says revoked once an administrator revokes it; and external
training recorded with a PDF proof, approved by the supervisor, moves the JP bar."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from elearn.app import create_app
from elearn.certificates.serial import display
from elearn.migrate import upgrade
from elearn.services.course_sync import sync_courses
from tests.e2e.conftest import open_tab
from tests.e2e.support import PASSWORD, SCREENSHOTS, Tab, served, sign_in
from tests.factories import make_person, make_unit
from tests.proof_files import PDF
from tests.web.ledger_support import CERTIFICATE_COURSES, COURSE

pytestmark = pytest.mark.e2e


@dataclass(frozen=True)
class Site:
    """The served app and who can sign in there with PASSWORD."""

    url: str
    learner_nip: str
    recorder_nip: str
    head_nip: str
    admin_nip: str


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A migrated SQLite app with the one-lesson course, a unit with its head and sub-unit, and an administrator."""
    tmp = tmp_path_factory.mktemp("ledger-e2e")
    app = create_app(
        {
            "ELEARN_DATABASE_URL": f"sqlite:///{tmp / 'e2e.sqlite3'}",
            "SECRET_KEY": "e2e-secret",
            "ELEARN_ISSUER_NAME": "BKPSDM Kota Salatiga",
        }
    )
    app.instance_path = str(tmp)
    with app.app_context():
        upgrade()
        session = app.extensions["elearn"].db.session
        assert sync_courses(session, CERTIFICATE_COURSES).ok
        dinas = make_unit(session, "DUKCAPIL", name="Dinas Kependudukan dan Pencatatan Sipil")
        bidang = make_unit(session, "DUKCAPIL-PD", name="Bidang Pelayanan Pendaftaran Penduduk", parent=dinas)
        head = make_person(session, name="Hendra Wijaya", roles=("employee", "supervisor"), unit=dinas,
                           password=PASSWORD)  # fmt: skip
        dinas.head = head
        learner = make_person(session, name="Siti Rahmawati", unit=bidang, password=PASSWORD)
        recorder = make_person(session, name="Agus Saputra", unit=bidang, password=PASSWORD)
        admin = make_person(session, name="Admin BKPSDM", roles=("employee", "admin"), password=PASSWORD)
        session.commit()
        found = Site("", learner.nip, recorder.nip, head.nip, admin.nip)
        session.remove()
    with served(app) as url:
        yield replace(found, url=url)


def decode_qr(png: Path) -> str:
    """What a phone camera reads from the QR code in the picture."""
    result = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(png)], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_certificate_pdf_qr_and_public_verification_until_revoked(
    phone: Tab, browser: Browser, site: Site, tmp_path: Path
) -> None:
    page = phone.page
    sign_in(phone, site.url, site.learner_nip)
    page.goto(f"{site.url}/kursus/{COURSE}")
    page.get_by_role("link", name="Mulai").click()
    page.get_by_role("button", name="Tandai selesai dan lanjutkan").click()
    expect(page.get_by_text("Selamat! Kursus ini selesai dan JP Anda bertambah.")).to_be_visible()
    page.get_by_role("link", name="Beranda").click()
    expect(page.get_by_text("3 / 20 JP")).to_be_visible()
    phone.screenshot("40-my-learning-certificate")
    assert phone.fits_screen_width()

    page.get_by_role("link", name="Sertifikat").click()
    expect(page.get_by_role("heading", name="SERTIFIKAT")).to_be_visible()
    expect(page.get_by_text("Siti Rahmawati")).to_be_visible()
    phone.screenshot("41-certificate-page")
    assert phone.fits_screen_width()
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF · Bahasa Indonesia").click()
    pdf = tmp_path / "sertifikat.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "110", "-singlefile", str(pdf), str(tmp_path / "page")], check=True
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    rendered = SCREENSHOTS / "42-certificate-pdf.png"
    shutil.copyfile(tmp_path / "page.png", rendered)
    verification_url = decode_qr(rendered)
    serial = verification_url.rsplit("/", 1)[-1]
    assert verification_url == f"{site.url}/verifikasi/{serial}"
    assert display(serial.replace("-", "")) == serial
    assert phone.problems == []

    outsider = open_tab(browser, "phone")
    try:
        outsider.page.goto(verification_url)
        expect(outsider.page.get_by_text("Sah", exact=True)).to_be_visible()
        expect(outsider.page.get_by_text("Siti Rahmawati")).to_be_visible()
        expect(outsider.page.get_by_text("Pelayanan Prima di Loket")).to_be_visible()
        assert outsider.page.context.cookies() == []
        outsider.screenshot("43-verification-valid")
        assert outsider.fits_screen_width()

        admin = open_tab(browser, "phone")
        try:
            sign_in(admin, site.url, site.admin_nip)
            admin.page.goto(f"{site.url}/admin/sertifikat?q={serial}")
            admin.page.get_by_role("link", name=serial).click()
            admin.page.get_by_label("Alasan pencabutan").fill("Kursus dikerjakan oleh orang lain.")
            admin.page.get_by_role("button", name="Cabut sertifikat").click()
            expect(
                admin.page.get_by_text("Sertifikat dicabut; halaman verifikasinya kini menyatakan dicabut.")
            ).to_be_visible()
            admin.screenshot("44-certificate-revoked-admin")
            assert admin.problems == []
        finally:
            admin.page.context.close()

        outsider.page.reload()
        expect(outsider.page.get_by_text("Dicabut", exact=True)).to_be_visible()
        expect(outsider.page.get_by_text("tidak berlaku lagi")).to_be_visible()
        assert outsider.page.context.cookies() == []
        outsider.screenshot("45-verification-revoked")
        assert outsider.problems == []
    finally:
        outsider.page.context.close()


def test_external_training_with_a_pdf_proof_approved_by_the_supervisor(
    phone: Tab, browser: Browser, site: Site
) -> None:
    page = phone.page
    sign_in(phone, site.url, site.recorder_nip)
    page.get_by_role("link", name="Catat pelatihan di luar elearn").click()
    page.get_by_label("Jenis pengembangan kompetensi").select_option(label="Pelatihan teknis")
    page.get_by_label("Nama pelatihan").fill("Pelatihan Teknis Administrasi Kependudukan")
    page.get_by_label("Institusi penyelenggara").fill("BPSDM Provinsi Jawa Tengah")
    today = page.evaluate("new Date().toLocaleDateString('sv-SE', {timeZone: 'Asia/Jakarta'})")
    page.get_by_label("Tanggal mulai").fill(today)
    page.get_by_label("Tanggal selesai").fill(today)
    page.get_by_label("Jumlah JP").fill("16")
    page.get_by_label("Nomor sertifikat").fill("BPSDM/2026/0412")
    page.get_by_label("Bukti (PDF, JPEG atau PNG)").set_input_files(
        {"name": "sertifikat.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    phone.screenshot("46-record-training")
    assert phone.fits_screen_width()
    page.get_by_role("button", name="Kirim untuk disetujui").click()
    expect(page.get_by_text("Pelatihan dicatat dan menunggu persetujuan atasan Anda.")).to_be_visible()
    expect(page.get_by_text("Menunggu persetujuan: 16 JP")).to_be_visible()
    expect(page.get_by_text("0 / 20 JP")).to_be_visible()
    phone.screenshot("47-ledger-pending")
    assert phone.fits_screen_width()

    head = open_tab(browser, "phone")
    try:
        sign_in(head, site.url, site.head_nip)
        head.page.get_by_role("link", name="Unit saya").click()
        expect(head.page.get_by_role("heading", name="Menunggu persetujuan Anda")).to_be_visible()
        head.screenshot("48-supervisor-pending")
        assert head.fits_screen_width()
        head.page.get_by_role("link", name="Pelatihan Teknis Administrasi Kependudukan").click()
        head.page.get_by_label("Setujui").check()
        head.screenshot("49-supervisor-decision")
        assert head.fits_screen_width()
        head.page.get_by_role("button", name="Simpan keputusan").click()
        expect(head.page.get_by_text("Pelatihan disetujui; JP-nya kini dihitung.")).to_be_visible()
        assert head.problems == []
    finally:
        head.page.context.close()

    page.goto(site.url + "/")
    expect(page.get_by_text("16 / 20 JP")).to_be_visible()
    expect(page.get_by_text("Disetujui: 16 JP")).to_be_visible()
    phone.screenshot("50-my-learning-approved")
    assert phone.problems == []
