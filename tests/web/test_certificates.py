"""Certificates: one per completion in its transaction, the printable page and PDF for those who may see the holder,
the public verification page (no sign-in, no cookie, throttled guessing) and revocation by an administrator."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from elearn.certificates.serial import display
from elearn.models import AuditEntry, Certificate, Completion, JpSummary
from elearn.services import ledger
from elearn.state import clock
from tests.factories import login
from tests.web.learning_support import counting_statements
from tests.web.ledger_support import (
    Offices,
    build_offices,
    certificate_of,
    complete_course,
    sync_certificate_course,
)


@pytest.fixture
def offices(session: Session) -> Offices:
    sync_certificate_course(session)
    return build_offices(session)


@pytest.fixture
def certified(app: Flask, session: Session, offices: Offices) -> Certificate:
    """Siti (unit A) completed the course over HTTP."""
    client = app.test_client()
    login(client, offices.world.in_a)
    complete_course(client)
    return certificate_of(session, offices.world.in_a)


def test_completion_writes_its_certificate_and_jp_in_the_same_transaction(
    session: Session, offices: Offices, certified: Certificate
) -> None:
    completion = session.scalars(select(Completion)).one()
    assert certified.completion_id == completion.id
    assert certified.issued_at == completion.completed_at
    assert (certified.holder_name, certified.holder_nip) == ("Siti Rahmawati", offices.world.in_a.nip)
    assert (certified.course_title, certified.version_number, certified.jp) == (
        "Pelayanan Prima di Loket",
        1,
        Decimal("3.00"),
    )
    assert [(c["code"], c["level"]) for c in certified.competencies] == [("M.03", 1), ("M.05", 2)]
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{17}", certified.serial)
    this_year = clock().today().year
    assert ledger.totals(session, person_id=offices.world.in_a.id, year=this_year).course_jp == 3


def test_holder_sees_the_certificate_on_my_learning_and_its_printable_page(
    app: Flask, offices: Offices, certified: Certificate
) -> None:
    client = app.test_client()
    login(client, offices.world.in_a)
    home = client.get("/").get_data(as_text=True)
    assert f'href="/sertifikat/{certified.serial}"' in home
    assert "3</strong> / 20 JP" in home
    page = client.get(f"/sertifikat/{certified.serial}").get_data(as_text=True)
    assert "Siti Rahmawati" in page and offices.world.in_a.nip in page
    assert "Pelayanan Prima di Loket" in page and "3 JP" in page
    assert "M.05 Pelayanan Publik, level 2" in page
    assert display(certified.serial) in page
    assert f"http://localhost/verifikasi/{display(certified.serial)}" in page
    assert '<svg viewBox="0 0 ' in page and 'class="qr-code"' in page


@pytest.mark.parametrize("language", ["id", "en"])
def test_certificate_pdf_is_drawn_from_the_stored_certificate(
    app: Flask, offices: Offices, certified: Certificate, language: str
) -> None:
    client = app.test_client()
    login(client, offices.world.in_a)
    response = client.get(f"/sertifikat/{certified.serial}/pdf?bahasa={language}")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-") and b"%%EOF" in response.data[-64:]
    assert response.headers["Cache-Control"] == "private, no-store"
    assert f"sertifikat-{certified.serial}-{language}.pdf" in response.headers["Content-Disposition"]


def test_supervisor_sees_a_certificate_of_their_unit_and_a_sibling_supervisor_does_not(
    app: Flask, offices: Offices, certified: Certificate
) -> None:
    head_a, head_b = app.test_client(), app.test_client()
    login(head_a, offices.world.head_a)
    login(head_b, offices.head_b)
    assert head_a.get(f"/sertifikat/{certified.serial}").status_code == 200
    assert head_b.get(f"/sertifikat/{certified.serial}").status_code == 404
    assert head_b.get(f"/sertifikat/{certified.serial}/pdf").status_code == 404


def test_verification_page_confirms_without_sign_in_and_sets_no_cookie(
    client, certified: Certificate
) -> None:
    response = client.get(f"/verifikasi/{display(certified.serial)}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"
    assert "Sah" in page and "berlaku" in page
    assert "Siti Rahmawati" in page and "Pelayanan Prima di Loket" in page and ">3<" in page
    assert certified.holder_nip not in page
    assert "csrf_token" not in page


def test_verification_accepts_the_serial_as_typed_by_hand(client, certified: Certificate) -> None:
    typed = display(certified.serial).lower().replace("-", " ")
    response = client.get(f"/verifikasi/?nomor={typed}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/verifikasi/{display(certified.serial)}")


def test_verification_page_in_english_by_link(client, certified: Certificate) -> None:
    response = client.get(f"/verifikasi/{certified.serial}?bahasa=en")
    page = response.get_data(as_text=True)
    assert '<html lang="en">' in page and "Valid" in page
    assert "Set-Cookie" not in response.headers


def test_unknown_serial_is_not_found_without_a_cookie(client, certified: Certificate) -> None:
    other = certified.serial[:-2] + ("0" if certified.serial[-2] != "0" else "1") + certified.serial[-1]
    for serial in ("ABCD", other):
        response = client.get(f"/verifikasi/{serial}")
        assert response.status_code == 404
        assert "Set-Cookie" not in response.headers


def test_guessing_serials_is_throttled_per_address_even_for_a_real_one(
    app: Flask, client, session: Session, certified: Certificate
) -> None:
    app.config["ELEARN_VERIFY_MAX_FAILURES_IP"] = 3
    for guess in range(3):
        assert client.get(f"/verifikasi/GUESS{guess}").status_code == 404
    throttled = client.get(f"/verifikasi/{certified.serial}")
    assert throttled.status_code == 429
    assert int(throttled.headers["Retry-After"]) > 0
    elsewhere = client.get(f"/verifikasi/{certified.serial}", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert elsewhere.status_code == 200


def test_verification_page_costs_a_fixed_handful_of_statements(
    app: Flask, client, certified: Certificate
) -> None:
    url = f"/verifikasi/{certified.serial}"
    client.get(url)
    with counting_statements(app) as statements:
        assert client.get(url).status_code == 200
    # the throttle check, the certificate
    assert len(statements) <= 3, statements


def test_certificate_page_costs_a_fixed_handful_of_statements(
    app: Flask, offices: Offices, certified: Certificate
) -> None:
    client = app.test_client()
    login(client, offices.world.in_a)
    client.get(f"/sertifikat/{certified.serial}")
    with counting_statements(app) as statements:
        assert client.get(f"/sertifikat/{certified.serial}").status_code == 200
    # who is signed in (with roles), the certificate within the viewer's scope
    assert len(statements) <= 4, statements


def _revoke(app: Flask, admin, certificate: Certificate, reason: str):  # noqa: ANN001, ANN202
    client = app.test_client()
    login(client, admin)
    page = client.get(f"/admin/sertifikat/{certificate.id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return client.post(
        f"/admin/sertifikat/{certificate.id}/cabut", data={"csrf_token": token, "reason": reason}
    )


def test_admin_revokes_with_a_reason_audited_and_the_public_page_says_revoked(
    app: Flask, client, session: Session, offices: Offices, certified: Certificate
) -> None:
    response = _revoke(app, offices.world.admin, certified, "Kursus dikerjakan oleh orang lain.")
    assert response.status_code == 302
    page = client.get(f"/verifikasi/{certified.serial}").get_data(as_text=True)
    assert "Dicabut" in page and "tidak berlaku lagi" in page
    assert "dikerjakan oleh orang lain" not in page
    session.expire_all()
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "certificate.revoke")).one()
    assert (
        entry.actor_id == offices.world.admin.id
        and entry.detail["reason"] == "Kursus dikerjakan oleh orang lain."
    )
    year = clock().today().year
    assert ledger.totals(session, person_id=offices.world.in_a.id, year=year).course_jp == 0


def test_revocation_without_a_reason_changes_nothing(
    app: Flask, session: Session, offices: Offices, certified: Certificate
) -> None:
    assert _revoke(app, offices.world.admin, certified, "   ").status_code == 400
    assert certificate_of(session, offices.world.in_a).revoked_at is None
    assert session.scalar(select(func.count()).select_from(JpSummary).where(JpSummary.course_jp == 3)) == 1


def test_only_an_admin_reaches_certificate_administration(
    app: Flask, offices: Offices, certified: Certificate
) -> None:
    client = app.test_client()
    login(client, offices.world.head_a)
    assert client.get(f"/admin/sertifikat/{certified.id}").status_code == 404
    assert client.post(f"/admin/sertifikat/{certified.id}/cabut", data={"reason": "x"}).status_code in (
        400,
        404,
    )


def test_admin_finds_certificates_by_serial_or_nip(
    app: Flask, offices: Offices, certified: Certificate
) -> None:
    client = app.test_client()
    login(client, offices.world.admin)
    by_serial = client.get(f"/admin/sertifikat?q={display(certified.serial).lower()}").get_data(as_text=True)
    by_nip = client.get(f"/admin/sertifikat?q={offices.world.in_a.nip}").get_data(as_text=True)
    for page in (by_serial, by_nip):
        assert f"/admin/sertifikat/{certified.id}" in page and "Sah" in page
    nobody = client.get(f"/admin/sertifikat?q={offices.world.in_b.nip}").get_data(as_text=True)
    assert "Tidak ada sertifikat" in nobody


def test_lookup_form_sets_no_cookie_and_costs_no_query(app: Flask, client) -> None:
    with counting_statements(app) as statements:
        response = client.get("/verifikasi/")
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert 'name="nomor"' in response.get_data(as_text=True)
    assert statements == []


def test_admin_certificate_pages_cost_a_fixed_handful_of_statements(
    app: Flask, offices: Offices, certified: Certificate
) -> None:
    client = app.test_client()
    login(client, offices.world.admin)
    for url, budget in (
        (f"/admin/sertifikat?q={offices.world.in_a.nip}", 3),
        (f"/admin/sertifikat/{certified.id}", 3),
    ):
        client.get(url)
        with counting_statements(app) as statements:
            assert client.get(url).status_code == 200
        assert len(statements) <= budget, (url, statements)


def test_printed_verification_address_follows_the_public_url_setting(
    app: Flask, offices: Offices, certified: Certificate
) -> None:
    app.config["ELEARN_PUBLIC_URL"] = "https://elearn.salatiga.go.id/belajar/"
    client = app.test_client()
    login(client, offices.world.in_a)
    page = client.get(f"/sertifikat/{certified.serial}").get_data(as_text=True)
    assert f"https://elearn.salatiga.go.id/belajar/verifikasi/{display(certified.serial)}" in page
    assert "http://localhost/verifikasi/" not in page
