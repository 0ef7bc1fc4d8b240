"""The yearly training history in the national HR system's shape: exactly what counts for the people in scope, on
SQLite and PostgreSQL, streamed as CSV or XLSX and audited."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, timedelta
from decimal import Decimal

import pytest
from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from elearn.certificates.serial import display
from elearn.ledger.proof import PDF as PDF_TYPE
from elearn.models import AuditEntry, JpSummary
from elearn.services import certificates, ledger, training
from elearn.services.training import ProofUpload, TrainingEntry
from elearn.state import clock
from tests.factories import login, make_person
from tests.web.ledger_support import (
    PDF,
    Offices,
    build_offices,
    certificate_of,
    complete_course,
    sync_certificate_course,
)

HEADER = [
    "NIP", "Nama", "Kode unit", "Unit kerja", "Jenis pengembangan", "Nama pelatihan", "Institusi penyelenggara",
    "Tanggal mulai", "Tanggal selesai", "Jumlah JP", "Nomor sertifikat", "Tahun", "Sumber",
]  # fmt: skip


def _record(session: Session, person, name: str, *, ends_on: date, state: str, jp: str = "8") -> None:  # noqa: ANN001
    entry = TrainingEntry(
        kind="seminar",
        name=name,
        provider="Universitas Kristen Satya Wacana",
        starts_on=ends_on - timedelta(days=1),
        ends_on=ends_on,
        jp=Decimal(jp),
        certificate_number=f"UKSW/{name[:3]}",
    )
    record = training.propose(
        session,
        person=person,
        entry=entry,
        proof=ProofUpload(data=PDF, filename="bukti.pdf", type=PDF_TYPE),
        now=clock().now(),
        ip=None,
    )
    if state != "proposed":
        training.decide(
            session,
            record=record,
            decider=person,
            approve=state == "approved",
            reason="" if state == "approved" else "tidak relevan",
            now=clock().now(),
            ip=None,
        )


@pytest.fixture
def history_world(app: Flask, session: Session) -> Offices:
    """Completions and records in A, A1 and B, this year and last, in every state."""
    sync_certificate_course(session)
    offices = build_offices(session)
    world = offices.world
    today = clock().today()
    last_year = date(today.year - 1, 6, 30)
    for person in (world.in_a1, world.in_b, world.head_a):
        client = app.test_client()
        login(client, person)
        complete_course(client)
    revoked_holder = make_person(session, name="Yusuf Hidayat", unit=world.a)
    session.commit()
    client = app.test_client()
    login(client, revoked_holder)
    complete_course(client)
    certificates.revoke(
        session,
        certificate=certificate_of(session, revoked_holder),
        by=world.admin,
        reason="ganda",
        now=clock().now(),
        timezone=clock().timezone,
        ip=None,
    )
    _record(session, world.in_a, "Seminar Pelayanan Publik", ends_on=today, state="approved")
    _record(session, world.in_a, "Seminar Ditolak", ends_on=today, state="rejected")
    _record(session, world.in_a, "Seminar Menunggu", ends_on=today, state="proposed")
    _record(session, world.in_a, "Seminar Tahun Lalu", ends_on=last_year, state="approved")
    _record(session, world.in_a1, "Lokakarya Arsip", ends_on=today, state="approved", jp="4.5")
    _record(session, world.in_b, "Seminar Dinas B", ends_on=today, state="approved")
    session.commit()
    return offices


def _csv(client, url: str) -> list[list[str]]:  # noqa: ANN001
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "text/csv" and response.headers["Cache-Control"] == "private, no-store"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_unit_export_lists_exactly_the_approved_records_and_valid_completions_of_the_subtree(
    app: Flask, session: Session, history_world: Offices
) -> None:
    world = history_world.world
    year = clock().today().year
    client = app.test_client()
    login(client, world.head_a)
    rows = _csv(client, f"/atasan/riwayat-pelatihan/ekspor?tahun={year}")
    assert rows[0] == HEADER
    found = sorted((row[1], row[5], row[9], row[12]) for row in rows[1:])
    assert found == [
        ("Budi Santoso", "Lokakarya Arsip", "4.5", "Dicatat pegawai"),
        ("Budi Santoso", "Pelayanan Prima di Loket", "3", "elearn"),
        ("Kepala Dinas A", "Pelayanan Prima di Loket", "3", "elearn"),
        ("Siti Rahmawati", "Seminar Pelayanan Publik", "8", "Dicatat pegawai"),
    ]
    names = [row[1] for row in rows[1:]]
    assert names == sorted(names)
    budi_course = next(row for row in rows[1:] if row[1] == "Budi Santoso" and row[12] == "elearn")
    certificate = certificate_of(session, world.in_a1)
    assert budi_course[0] == world.in_a1.nip and budi_course[2:5] == ["A1", "Bidang Pelayanan", "E-learning"]
    assert budi_course[6] == "elearn" and budi_course[10] == display(certificate.serial)
    assert budi_course[7] == budi_course[8] == clock().local(certificate.issued_at).date().isoformat()
    assert budi_course[11] == str(year)
    seminar = next(row for row in rows[1:] if row[5] == "Seminar Pelayanan Publik")
    assert seminar[4:7] == ["Seminar, konferensi atau sarasehan", "Seminar Pelayanan Publik",
                            "Universitas Kristen Satya Wacana"]  # fmt: skip


def test_unit_filter_narrows_to_a_subtree_and_last_year_is_its_own(
    app: Flask, history_world: Offices
) -> None:
    year = clock().today().year
    client = app.test_client()
    login(client, history_world.world.head_a)
    a1 = _csv(client, f"/atasan/riwayat-pelatihan/ekspor?tahun={year}&unit=A1")
    assert {row[1] for row in a1[1:]} == {"Budi Santoso"}
    last = _csv(client, f"/atasan/riwayat-pelatihan/ekspor?tahun={year - 1}")
    assert [(row[1], row[5]) for row in last[1:]] == [("Siti Rahmawati", "Seminar Tahun Lalu")]
    sibling = _csv(client, f"/atasan/riwayat-pelatihan/ekspor?tahun={year}&unit=B")
    assert {row[1] for row in sibling[1:]} >= {"Siti Rahmawati"}  # an outside unit code filters nothing in


def test_xlsx_export_has_the_same_rows_typed(app: Flask, history_world: Offices) -> None:
    year = clock().today().year
    client = app.test_client()
    login(client, history_world.world.head_a)
    response = client.get(f"/atasan/riwayat-pelatihan/ekspor?tahun={year}&format=xlsx")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.data)) as workbook:
        sheet = workbook.read("xl/worksheets/sheet1.xml").decode()
    assert sheet.count("<row ") == 5
    assert "Lokakarya Arsip" in sheet and "Seminar Dinas B" not in sheet
    assert "<v>4.5</v>" in sheet


def test_person_export_and_the_admin_export_are_audited_with_their_filters(
    app: Flask, session: Session, history_world: Offices
) -> None:
    world = history_world.world
    year = clock().today().year
    own = app.test_client()
    login(own, world.in_a)
    mine = _csv(own, f"/jp/ekspor?tahun={year}")
    assert [row[5] for row in mine[1:]] == ["Seminar Pelayanan Publik"]
    admin = app.test_client()
    login(admin, world.admin)
    everyone = _csv(admin, f"/admin/riwayat-pelatihan/ekspor?tahun={year}")
    assert len(everyone) == 1 + 6  # four in A's subtree, B's completion and B's seminar
    head = app.test_client()
    login(head, world.head_a)
    assert head.get(f"/atasan/orang/{world.in_b.id}/riwayat-pelatihan/ekspor").status_code == 404
    assert (
        _csv(head, f"/atasan/orang/{world.in_a1.id}/riwayat-pelatihan/ekspor?tahun={year}")[1][1]
        == "Budi Santoso"
    )
    session.expire_all()
    audited = [
        (entry.actor_id, entry.detail["filters"])
        for entry in session.scalars(
            select(AuditEntry).where(AuditEntry.action == "export.training_history").order_by(AuditEntry.id)
        )
    ]
    assert audited == [
        (world.in_a.id, {"tahun": str(year)}),
        (world.admin.id, {"tahun": str(year)}),
        (world.head_a.id, {"tahun": str(year), "person": str(world.in_a1.id)}),
    ]


def test_export_is_not_reachable_outside_the_role(app: Flask, history_world: Offices) -> None:
    client = app.test_client()
    login(client, history_world.world.employee)
    assert client.get("/atasan/riwayat-pelatihan/ekspor").status_code == 404
    assert client.get("/admin/riwayat-pelatihan/ekspor").status_code == 404


def test_summary_kept_by_every_event_equals_a_recomputation_and_the_cli_repairs_drift(
    app: Flask, session: Session, history_world: Offices
) -> None:
    runner = app.test_cli_runner()
    clean = runner.invoke(args=["elearn", "ledger", "recompute", "--check"])
    assert clean.exit_code == 0, clean.output
    assert "0 selisih ditemukan." in clean.output
    year = clock().today().year
    session.execute(
        update(JpSummary)
        .where(JpSummary.person_id == history_world.world.in_a.id, JpSummary.year == year)
        .values(external_jp=99, pending_jp=0)
    )
    session.commit()
    drift = runner.invoke(args=["elearn", "ledger", "recompute", "--check"])
    assert drift.exit_code == 1
    assert (
        f"pegawai {history_world.world.in_a.id} tahun {year}" in drift.output and "1 selisih" in drift.output
    )
    repaired = runner.invoke(args=["elearn", "ledger", "recompute"])
    assert repaired.exit_code == 0 and "1 selisih diperbaiki." in repaired.output
    session.expire_all()
    assert ledger.totals(session, person_id=history_world.world.in_a.id, year=year) == ledger.YearTotals(
        external_jp=Decimal(8), pending_jp=Decimal(8)
    )
    assert runner.invoke(args=["elearn", "ledger", "recompute", "--check"]).exit_code == 0
