"""External training: recorded with a proof checked by content, decided by the person's supervisor only, counted
only when approved, and every step kept in the JP summary in its own transaction."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from elearn.models import AuditEntry, ExternalTraining, TrainingProof
from elearn.services import ledger
from elearn.state import clock
from tests.factories import login
from tests.proof_files import JPEG, PDF, PNG
from tests.web.learning_support import counting_statements, csrf_of
from tests.web.ledger_support import Offices, build_offices, post_training

EXECUTABLE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 64
    + b"This program cannot be run"
)
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.fixture
def offices(session: Session) -> Offices:
    return build_offices(session)


def client_of(app: Flask, person):  # noqa: ANN001, ANN201
    client = app.test_client()
    login(client, person)
    return client


def totals(session: Session, person) -> ledger.YearTotals:  # noqa: ANN001
    session.expire_all()
    return ledger.totals(session, person_id=person.id, year=clock().today().year)


def only_record(session: Session) -> ExternalTraining:
    session.expire_all()
    return session.scalars(select(ExternalTraining)).one()


def decide(client, record_id: int, decision: str, reason: str = ""):  # noqa: ANN001, ANN201
    page = client.get(f"/atasan/pelatihan/{record_id}").get_data(as_text=True)
    data = {"csrf_token": csrf_of(page), "decision": decision, "reason": reason}
    return client.post(f"/atasan/pelatihan/{record_id}/keputusan", data=data)


def test_recorded_training_waits_for_approval_and_shows_as_pending(
    app: Flask, session: Session, offices: Offices
) -> None:
    employee = client_of(app, offices.world.in_a1)
    response = post_training(employee)
    assert response.status_code == 302
    record = only_record(session)
    assert (record.state, record.jp, record.kind) == ("proposed", Decimal("16.00"), "pelatihan_teknis")
    assert session.get(TrainingProof, record.id).media_type == "application/pdf"
    assert totals(session, offices.world.in_a1) == ledger.YearTotals(pending_jp=Decimal(16))
    page = employee.get("/jp").get_data(as_text=True)
    assert "Menunggu persetujuan: 16 JP" in page and "Pelatihan Teknis Administrasi Kependudukan" in page
    assert "0</strong> / 20 JP" in page


def test_supervisor_of_a_unit_above_approves_and_the_jp_count_changes(
    app: Flask, session: Session, offices: Offices
) -> None:
    post_training(client_of(app, offices.world.in_a1))
    record = only_record(session)
    head = client_of(app, offices.world.head_a)
    home = head.get("/atasan/").get_data(as_text=True)
    assert home.index("Menunggu persetujuan Anda") < home.index("Jumlah pegawai")
    assert f"/atasan/pelatihan/{record.id}" in home
    assert decide(head, record.id, "approve").status_code == 302
    assert only_record(session).state == "approved"
    assert only_record(session).decided_by_id == offices.world.head_a.id
    assert totals(session, offices.world.in_a1) == ledger.YearTotals(external_jp=Decimal(16))
    employee_page = client_of(app, offices.world.in_a1).get("/").get_data(as_text=True)
    assert "16</strong> / 20 JP" in employee_page
    late = decide(
        head, record.id, "reject", "terlambat"
    )  # another supervisor decided meanwhile: nothing changes
    assert late.status_code == 302
    assert "sudah diputuskan" in head.get(late.headers["Location"]).get_data(as_text=True)
    assert only_record(session).state == "approved"


def test_sibling_supervisor_gets_404_on_the_record_its_proof_and_the_decision(
    app: Flask, session: Session, offices: Offices
) -> None:
    post_training(client_of(app, offices.world.in_a))
    record = only_record(session)
    sibling = client_of(app, offices.head_b)
    assert sibling.get(f"/atasan/pelatihan/{record.id}").status_code == 404
    assert sibling.get(f"/pelatihan/{record.id}/bukti").status_code == 404
    token = csrf_of(sibling.get("/atasan/").get_data(as_text=True))
    forged = sibling.post(
        f"/atasan/pelatihan/{record.id}/keputusan", data={"csrf_token": token, "decision": "approve"}
    )
    assert forged.status_code == 404
    assert f"/atasan/pelatihan/{record.id}" not in sibling.get("/atasan/pelatihan").get_data(as_text=True)
    assert only_record(session).state == "proposed"
    assert totals(session, offices.world.in_a).external_jp == 0


def test_a_supervisor_cannot_approve_their_own_training(
    app: Flask, session: Session, offices: Offices
) -> None:
    head = client_of(app, offices.world.head_a)
    post_training(head)
    record = only_record(session)
    assert head.get(f"/atasan/pelatihan/{record.id}").status_code == 404
    assert decide_blind(head, record.id).status_code == 404
    assert only_record(session).state == "proposed"


def decide_blind(client, record_id: int):  # noqa: ANN001, ANN201
    token = csrf_of(client.get("/atasan/").get_data(as_text=True))
    return client.post(
        f"/atasan/pelatihan/{record_id}/keputusan", data={"csrf_token": token, "decision": "approve"}
    )


def test_rejection_needs_a_reason_and_a_rejected_record_does_not_count(
    app: Flask, session: Session, offices: Offices
) -> None:
    employee = client_of(app, offices.world.in_a)
    post_training(employee)
    record = only_record(session)
    head = client_of(app, offices.world.head_a)
    without_reason = decide(head, record.id, "reject", "  ")
    assert without_reason.status_code == 400
    assert "Tulis alasan penolakan" in without_reason.get_data(as_text=True)
    assert only_record(session).state == "proposed"
    assert decide(head, record.id, "reject", "Sertifikat tidak terbaca.").status_code == 302
    assert only_record(session).state == "rejected"
    assert totals(session, offices.world.in_a) == ledger.YearTotals()
    page = employee.get("/jp").get_data(as_text=True)
    assert "Ditolak" in page and "Sertifikat tidak terbaca." in page and "0</strong> / 20 JP" in page


def test_employee_withdraws_a_pending_record_and_its_proof(
    app: Flask, session: Session, offices: Offices
) -> None:
    employee = client_of(app, offices.world.in_a)
    post_training(employee)
    record = only_record(session)
    page = employee.get("/jp").get_data(as_text=True)
    response = employee.post(f"/pelatihan/{record.id}/tarik", data={"csrf_token": csrf_of(page)})
    assert response.status_code == 302
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(ExternalTraining)) == 0
    assert session.scalar(select(func.count()).select_from(TrainingProof)) == 0
    assert totals(session, offices.world.in_a) == ledger.YearTotals()
    other = client_of(app, offices.world.in_a1)
    post_training(other)
    again = only_record(session)
    assert (
        employee.post(f"/pelatihan/{again.id}/tarik", data={"csrf_token": csrf_of(page)}).status_code == 404
    )


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (EXECUTABLE, "sertifikat.pdf", "bukan salah satunya"),
        (HTML, "sertifikat.pdf", "bukan salah satunya"),
        (SVG, "sertifikat.png", "bukan salah satunya"),
        (PDF[:-7], "sertifikat.pdf", "tidak utuh"),
        (b"", "kosong.pdf", "Pilih berkas bukti"),
    ],
    ids=["renamed-executable", "html", "svg", "truncated-pdf", "empty"],
)
def test_upload_that_is_not_pdf_jpeg_or_png_by_content_is_refused_and_nothing_is_stored(
    app: Flask, session: Session, offices: Offices, content: bytes, filename: str, message: str
) -> None:
    response = post_training(client_of(app, offices.world.in_a), proof=(content, filename))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert_nothing_stored(session, offices)


def assert_nothing_stored(session: Session, offices: Offices) -> None:
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(ExternalTraining)) == 0
    assert session.scalar(select(func.count()).select_from(TrainingProof)) == 0
    assert totals(session, offices.world.in_a) == ledger.YearTotals()


def test_oversized_upload_is_refused_and_nothing_is_stored(
    app: Flask, session: Session, offices: Offices
) -> None:
    app.config["ELEARN_PROOF_MAX_BYTES"] = 1024
    big = PDF[:-6] + b"%" + b"0" * 2048 + b"\n%%EOF\n"
    response = post_training(client_of(app, offices.world.in_a), proof=(big, "besar.pdf"))
    assert response.status_code == 400
    assert "terlalu besar" in response.get_data(as_text=True)
    assert_nothing_stored(session, offices)


def test_invalid_fields_are_refused_with_their_message_and_nothing_is_stored(
    app: Flask, session: Session, offices: Offices
) -> None:
    response = post_training(
        client_of(app, offices.world.in_a),
        kind="liburan",
        starts_on="2026-05-10",
        ends_on="2026-05-01",
        jp="-3",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Tanggal selesai tidak boleh sebelum tanggal mulai." in page
    assert "Isi jumlah JP antara 0,5 dan 1000" in page
    assert_nothing_stored(session, offices)


@pytest.mark.parametrize(("content", "media_type"), [(PNG, "image/png"), (JPEG, "image/jpeg")])
def test_images_are_accepted_as_proof(
    app: Flask, session: Session, offices: Offices, content: bytes, media_type: str
) -> None:
    assert post_training(client_of(app, offices.world.in_a), proof=(content, "foto")).status_code == 302
    assert session.get(TrainingProof, only_record(session).id).media_type == media_type


def test_proof_is_a_download_with_nosniff_for_the_supervisor_and_audited(
    app: Flask, session: Session, offices: Offices
) -> None:
    post_training(client_of(app, offices.world.in_a1), proof=(PDF, "sertifikat <bimtek>.pdf"))
    record = only_record(session)
    response = client_of(app, offices.world.head_a).get(f"/pelatihan/{record.id}/bukti")
    assert response.status_code == 200 and response.data == PDF
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert f"bukti-pelatihan-{record.id}.pdf" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    session.expire_all()
    viewed = session.scalars(select(AuditEntry).where(AuditEntry.action == "training.proof_view")).one()
    assert viewed.actor_id == offices.world.head_a.id and viewed.detail["owner_id"] == offices.world.in_a1.id


def test_pages_of_the_ledger_cost_a_fixed_handful_of_statements(
    app: Flask, session: Session, offices: Offices
) -> None:
    employee = client_of(app, offices.world.in_a1)
    for _ in range(3):
        post_training(employee)
    record_id = session.scalars(select(ExternalTraining.id)).first()
    head = client_of(app, offices.world.head_a)
    budgets = [
        (employee, "/", 9),
        (employee, "/jp", 6),
        (employee, "/pelatihan/baru", 3),
        (head, "/atasan/", 8),
        (head, "/atasan/pelatihan", 6),
        (head, f"/atasan/pelatihan/{record_id}", 4),
        # the person page also shows the mentoring follow-up (assignments, progress, feedback, assign form)
        (head, f"/atasan/orang/{offices.world.in_a1.id}", 16),
    ]
    for client, url, budget in budgets:
        client.get(url)
        with counting_statements(app) as statements:
            assert client.get(url).status_code == 200, url
        assert len(statements) <= budget, (url, statements)


def test_supervisor_person_page_shows_the_year_and_a_sibling_person_is_404(
    app: Flask, session: Session, offices: Offices
) -> None:
    post_training(client_of(app, offices.world.in_a1))
    head = client_of(app, offices.world.head_a)
    page = head.get(f"/atasan/orang/{offices.world.in_a1.id}").get_data(as_text=True)
    assert "Menunggu persetujuan: 16 JP" in page and "Putuskan" in page
    assert head.get(f"/atasan/orang/{offices.world.in_b.id}").status_code == 404
    assert re.search(r"riwayat-pelatihan/ekspor\?tahun=\d{4}", page)
