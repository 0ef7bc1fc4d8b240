"""Yearly development plans: the person drafts and proposes, only the supervisor's action agrees (or sends back,
or marks done), the mentor reads along, and the CSV, XLSX and PDF exports hold the plan (audited)."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from sqlalchemy import func, select

from elearn.models import AuditEntry, DevelopmentPlan, Notification, PlanItem
from elearn.state import clock
from tests.factories import make_mentorship
from tests.web.mentoring_support import COURSE, build_mentoring_world, client_for, page, post_form
from tests.web.scope_world import World
from tests.web.test_tables import assert_fits_a_phone, tables_of


@pytest.fixture
def world(session) -> World:
    world = build_mentoring_world(session)
    make_mentorship(session, world.mentor, world.in_a1)
    session.commit()
    return world


def _year() -> int:
    return clock().today().year


def _plan(session) -> DevelopmentPlan:
    session.expire_all()
    return session.scalar(select(DevelopmentPlan))


def _drafted(app, world: World) -> object:
    """The person (in A1) starts this year's plan and adds one item of each kind; their client."""
    person = client_for(app, world.in_a1)
    url = f"/rencana/{_year()}"
    assert post_form(person, f"{url}/mulai", {}, from_page=url).status_code == 302
    for item in (
        {"kind": "competency", "competency": "M.05", "target_level": "3", "jp": "4"},
        {"kind": "course", "course": COURSE, "note": "Wajib tahun ini"},
        {
            "kind": "external",
            "title": "Pelatihan Pelayanan Prima",
            "provider": "BPSDM Provinsi",
            "jp": "12,5",
        },
    ):
        assert post_form(person, f"{url}/butir", item, from_page=url).status_code == 302
    return person


def _proposed(app, world: World) -> object:
    person = _drafted(app, world)
    url = f"/rencana/{_year()}"
    assert post_form(person, f"{url}/ajukan", {}, from_page=url).status_code == 302
    return person


def test_person_drafts_a_plan_with_competency_course_and_outside_training(app, session, world):
    person = _drafted(app, world)
    body = page(person, f"/rencana/{_year()}")
    for shown in (
        "M.05",
        "level 3",
        "Etika Pelayanan Publik",
        "Pelatihan Pelayanan Prima",
        "BPSDM Provinsi",
        "12,5",
    ):
        assert shown in body
    assert _plan(session).status == "draft"
    assert session.scalar(select(func.count()).select_from(PlanItem)) == 3


def test_a_bad_item_gets_a_message_and_adds_nothing(app, session, world):
    person = _drafted(app, world)
    url = f"/rencana/{_year()}"
    for item, message in (
        ({"kind": "competency", "competency": "X.99", "target_level": "3"}, "Pilih kompetensi"),
        ({"kind": "external", "title": ""}, "Isi nama pelatihan"),
        ({"kind": "external", "title": "Kursus", "jp": "banyak"}, "JP diisi angka"),
        ({"kind": "course", "course": "tidak-ada"}, "Pilih kursus dari katalog"),
    ):
        response = post_form(person, f"{url}/butir", item, from_page=url)
        assert response.status_code == 302
        assert message in page(person, url)
    assert session.scalar(select(func.count()).select_from(PlanItem)) == 3


def test_proposing_tells_the_direct_supervisor_and_freezes_the_items(app, session, world):
    person = _proposed(app, world)
    assert _plan(session).status == "proposed"
    [notice] = session.scalars(select(Notification).where(Notification.reason == "approval_awaited"))
    assert notice.person_id == world.head_a.id
    url = f"/rencana/{_year()}"
    post_form(person, f"{url}/butir", {"kind": "external", "title": "Tambahan"}, from_page=url)
    assert "sudah berubah status" in page(person, url)
    assert session.scalar(select(func.count()).select_from(PlanItem)) == 3


def test_only_the_supervisor_can_agree(app, session, world):
    person = _proposed(app, world)
    year = _year()
    agree = f"/atasan/orang/{world.in_a1.id}/rencana/{year}/setujui"
    assert post_form(person, f"/rencana/{year}/setujui", {}).status_code == 404
    assert post_form(person, agree, {}).status_code == 404
    assert post_form(client_for(app, world.mentor), agree, {}).status_code == 404
    assert _plan(session).status == "proposed"
    head = client_for(app, world.head_a)
    assert (
        post_form(head, agree, {"comment": "Setuju."}, from_page=agree.rsplit("/", 1)[0]).status_code == 302
    )
    plan = _plan(session)
    assert (plan.status, plan.agreed_by_id, plan.supervisor_comment) == ("agreed", world.head_a.id, "Setuju.")
    assert "Disetujui oleh Kepala Dinas A" in page(person, f"/rencana/{year}")
    assert (
        session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.reason == "plan_agreed", Notification.person_id == world.in_a1.id)
        )
        == 1
    )


def test_a_supervisor_outside_the_subtree_gets_404(app, session, world):
    _proposed(app, world)
    from tests.factories import make_person

    head_b = make_person(session, name="Kepala Dinas B", roles=("employee", "supervisor"), unit=world.b)
    world.b.head = head_b
    session.commit()
    other = client_for(app, head_b)
    url = f"/atasan/orang/{world.in_a1.id}/rencana/{_year()}"
    assert other.get(url).status_code == 404
    assert post_form(other, f"{url}/setujui", {}).status_code == 404
    assert _plan(session).status == "proposed"


def test_a_supervisor_cannot_agree_their_own_plan(app, session, world):
    own = client_for(app, world.head_a)
    url = f"/rencana/{_year()}"
    post_form(own, f"{url}/mulai", {}, from_page=url)
    post_form(own, f"{url}/butir", {"kind": "external", "title": "Kepemimpinan"}, from_page=url)
    post_form(own, f"{url}/ajukan", {}, from_page=url)
    decide = f"/atasan/orang/{world.head_a.id}/rencana/{_year()}"
    post_form(own, f"{decide}/setujui", {}, from_page=decide)
    assert "disetujui oleh atasan Anda, bukan oleh Anda" in page(own, decide)
    assert _plan(session).status == "proposed"


def test_sent_back_with_a_comment_then_proposed_again_agreed_and_done(app, session, world):
    person = _proposed(app, world)
    head = client_for(app, world.head_a)
    decide = f"/atasan/orang/{world.in_a1.id}/rencana/{_year()}"
    post_form(head, f"{decide}/kembalikan", {"comment": ""}, from_page=decide)
    assert "Tulis apa yang perlu diperbaiki." in page(head, decide)
    post_form(head, f"{decide}/kembalikan", {"comment": "Tambah JP pelatihan."}, from_page=decide)
    assert _plan(session).status == "draft"
    assert "Tambah JP pelatihan." in page(person, f"/rencana/{_year()}")
    post_form(person, f"/rencana/{_year()}/ajukan", {}, from_page=f"/rencana/{_year()}")
    post_form(head, f"{decide}/setujui", {}, from_page=decide)
    post_form(head, f"{decide}/selesai", {}, from_page=decide)
    assert _plan(session).status == "done"
    actions = [
        a for a in session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)) if a.startswith("plan.")
    ]
    assert actions[-5:] == ["plan.propose", "plan.return", "plan.propose", "plan.agree", "plan.done"]


def test_the_mentor_reads_the_plan_without_actions(app, session, world):
    _proposed(app, world)
    body = page(client_for(app, world.mentor), f"/mentor/mentee/{world.in_a1.id}/rencana/{_year()}")
    assert "Pelatihan Pelayanan Prima" in body and "Diajukan" in body
    assert "Setujui rencana" not in body and "Tambah butir" not in body


def _agreed(app, world: World) -> str:
    _proposed(app, world)
    head = client_for(app, world.head_a)
    decide = f"/atasan/orang/{world.in_a1.id}/rencana/{_year()}"
    post_form(head, f"{decide}/setujui", {}, from_page=decide)
    return f"{decide}/ekspor"


def test_csv_export_holds_the_agreed_plan_and_is_audited(app, session, world):
    url = _agreed(app, world)
    response = client_for(app, world.head_a).get(url)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "no-store" in response.headers["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:5] == ["Tahun", "NIP", "Nama", "Unit kerja", "Status rencana"]
    assert len(rows) == 4
    assert {row[4] for row in rows[1:]} == {"Disetujui"}
    assert {row[5] for row in rows[1:]} == {"Kepala Dinas A"}
    assert [row[8] for row in rows[1:]] == [
        "M.05 Pelayanan Publik",
        "Etika Pelayanan Publik",
        "Pelatihan Pelayanan Prima",
    ]
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "export.plan"))
    assert entry.actor_id == world.head_a.id and entry.detail["format"] == "csv"


def test_xlsx_and_pdf_exports_hold_the_plan(app, session, world):
    url = _agreed(app, world)
    person = client_for(app, world.in_a1)
    own = f"/rencana/{_year()}/ekspor"
    workbook = person.get(f"{own}?format=xlsx")
    assert workbook.status_code == 200
    sheet = zipfile.ZipFile(io.BytesIO(workbook.get_data())).read("xl/worksheets/sheet1.xml").decode()
    assert "Pelatihan Pelayanan Prima" in sheet and "Disetujui" in sheet
    document = client_for(app, world.mentor).get(
        f"/mentor/mentee/{world.in_a1.id}/rencana/{_year()}/ekspor?format=pdf"
    )
    assert document.status_code == 200 and document.mimetype == "application/pdf"
    assert "no-store" in document.headers["Cache-Control"]
    data = document.get_data()
    assert data.startswith(b"%PDF")
    for text in (
        b"Rencana pengembangan kompetensi",
        b"Budi Santoso",
        b"Pelatihan Pelayanan Prima",
        b"Kepala Dinas A",
    ):
        assert text in data, text
    formats = list(session.scalars(select(AuditEntry.detail).where(AuditEntry.action == "export.plan")))
    assert sorted(detail["format"] for detail in formats) == ["pdf", "xlsx"]
    assert client_for(app, world.in_b).get(url).status_code == 404


@pytest.mark.parametrize("viewer", ["person", "supervisor"])
def test_the_items_table_fits_a_phone(app, session, world, viewer):
    person = _drafted(app, world)
    client = person if viewer == "person" else client_for(app, world.head_a)
    url = f"/rencana/{_year()}" if viewer == "person" else f"/atasan/orang/{world.in_a1.id}/rencana/{_year()}"
    [table] = tables_of(page(client, url))
    assert len(table.rows) == 3
    assert_fits_a_phone(table)
