"""An admin edits a person and their mentorships in the browser: the CSV import's rules, audited, one transaction."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from elearn.clock import FixedClock
from elearn.models import AuditEntry, Mentorship, Person, Position, Unit
from elearn.state import clock
from tests.factories import login, make_mentorship, make_person, make_position, make_unit
from tests.statements import page_statements


@dataclass(frozen=True)
class Office:
    admin: Person
    person: Person
    dinas: Unit
    bidang: Unit
    analis: Position


@pytest.fixture
def office(session, client) -> Office:
    dinas = make_unit(session, "DISKOMINFO", name="Dinas Komunikasi dan Informatika")
    bidang = make_unit(session, "APTIKA", name="Bidang Aplikasi Informatika", parent=dinas)
    analis = make_position(session, "ANALIS")
    admin = make_person(session, name="Admin BKPSDM", roles=("employee", "admin"), unit=dinas)
    person = make_person(session, name="Siti Rahmawati", unit=dinas, email="siti@salatiga.go.id")
    session.commit()
    login(client, admin)
    return Office(admin=admin, person=person, dinas=dinas, bidang=bidang, analis=analis)


def edit_form(office: Office, **changes: object) -> dict[str, object]:
    """The edit form as the browser posts it, with the person's current values unless changed."""
    form: dict[str, object] = {
        "name": office.person.name,
        "email": office.person.email or "",
        "unit": str(office.person.unit_id or ""),
        "position": "",
        "roles": ["employee"],
        "active": "y",
    }
    form.update(changes)
    return {key: value for key, value in form.items() if value is not None}


def reloaded(session, person: Person) -> Person:
    session.expire_all()
    return session.get(Person, person.id)


def audit_entries(session, action: str) -> list[AuditEntry]:
    session.expire_all()
    return list(
        session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id))
    )


def test_edit_page_shows_the_current_record_with_unit_and_position_pickers(client, office):
    body = client.get(f"/admin/orang/{office.person.id}/ubah").get_data(as_text=True)
    assert 'value="Siti Rahmawati"' in body and 'value="siti@salatiga.go.id"' in body
    assert f'<option selected value="{office.dinas.id}">' in body
    assert "\u00a0\u00a0\u00a0Bidang Aplikasi Informatika (APTIKA)" in body
    assert "Jabatan ANALIS (ANALIS)" in body
    assert re.search(r'<input checked id="roles-0" name="roles" type="checkbox" value="employee">', body)


def test_admin_edits_every_field_and_the_audit_keeps_old_and_new_values(client, session, office):
    response = client.post_form(
        f"/admin/orang/{office.person.id}/ubah",
        edit_form(
            office,
            name="Siti Rahmawati, S.Kom.",
            email="Siti.R@Salatiga.go.id",
            unit=str(office.bidang.id),
            position=str(office.analis.id),
            roles=["employee", "mentor"],
        ),
    )
    assert response.status_code == 302 and response.headers["Location"] == f"/admin/orang/{office.person.id}"
    person = reloaded(session, office.person)
    assert (person.name, person.email, person.unit_id, person.position_id) == (
        "Siti Rahmawati, S.Kom.",
        "siti.r@salatiga.go.id",
        office.bidang.id,
        office.analis.id,
    )
    assert person.roles == {"employee", "mentor"}
    [entry] = audit_entries(session, "person.updated")
    assert (entry.actor_id, entry.target_type, entry.target_id) == (office.admin.id, "Person", str(person.id))
    assert entry.detail["changes"] == {
        "name": {"old": "Siti Rahmawati", "new": "Siti Rahmawati, S.Kom."},
        "email": {"old": "siti@salatiga.go.id", "new": "siti.r@salatiga.go.id"},
        "unit": {
            "old": {"code": "DISKOMINFO", "name": "Dinas Komunikasi dan Informatika"},
            "new": {"code": "APTIKA", "name": "Bidang Aplikasi Informatika"},
        },
        "position": {"old": None, "new": {"code": "ANALIS", "name": "Jabatan ANALIS"}},
        "roles": {"old": ["employee"], "new": ["employee", "mentor"]},
    }


def test_moving_someone_to_another_unit_dates_their_joining_it(client, session, office):
    office.person.unit_since = date(2019, 7, 1)
    session.commit()
    client.post_form(f"/admin/orang/{office.person.id}/ubah", edit_form(office, name="Siti R."))
    assert reloaded(session, office.person).unit_since == date(2019, 7, 1)
    client.post_form(f"/admin/orang/{office.person.id}/ubah", edit_form(office, unit=str(office.bidang.id)))
    assert reloaded(session, office.person).unit_since == clock().today()


def test_the_audit_entry_carries_the_views_clock(app, client, session, office):
    app.extensions["elearn"].clock = FixedClock(
        timezone=clock().timezone, at=datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    )
    client.post_form(f"/admin/orang/{office.person.id}/ubah", edit_form(office, name="Siti R."))
    [entry] = audit_entries(session, "person.updated")
    assert entry.at == datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def test_saving_without_a_change_writes_no_audit_entry(client, session, office):
    response = client.post_form(
        f"/admin/orang/{office.person.id}/ubah", edit_form(office), follow_redirects=True
    )
    assert "Tidak ada yang diubah." in response.get_data(as_text=True)
    assert audit_entries(session, "person.updated") == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "  "}, "Isi nama."),
        ({"name": "N" * 201}, "Nama paling banyak 200 karakter."),
        ({"email": "bukan-email"}, "Alamat e-mail tidak sah"),
        ({"email": "ADMIN@salatiga.go.id"}, "E-mail ini sudah dipakai pegawai lain."),
        ({"unit": "987654"}, "Unit ini tidak ada lagi; pilih unit lain."),
        ({"position": "987654"}, "Jabatan ini tidak ada lagi; pilih jabatan lain."),
        ({"roles": None}, "Pilih paling sedikit satu peran."),
        ({"roles": ["employee", "superuser"]}, "Peran ini tidak dikenal."),
    ],
)
def test_a_refused_edit_explains_itself_and_changes_nothing(client, session, office, changes, message):
    make_person(session, name="Pemilik E-mail", email="admin@salatiga.go.id")
    session.commit()
    response = client.post_form(f"/admin/orang/{office.person.id}/ubah", edit_form(office, **changes))
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(r'<p class="field-error" id="[a-z_]+-error">[^<]*' + re.escape(message), body)
    person = reloaded(session, office.person)
    assert (person.name, person.email, person.roles) == (
        "Siti Rahmawati",
        "siti@salatiga.go.id",
        {"employee"},
    )
    assert audit_entries(session, "person.updated") == []


def test_a_refused_edit_keeps_what_was_typed(client, office):
    response = client.post_form(
        f"/admin/orang/{office.person.id}/ubah", edit_form(office, name="Nama Baru", email="salah@")
    )
    assert 'value="Nama Baru"' in response.get_data(as_text=True)


def test_an_admin_cannot_remove_their_own_admin_role_or_deactivate_themself(client, session, office):
    own = f"/admin/orang/{office.admin.id}/ubah"
    values = {"name": "Admin BKPSDM", "email": "", "unit": str(office.dinas.id), "position": ""}
    without_admin = client.post_form(own, {**values, "roles": ["employee"], "active": "y"})
    assert without_admin.status_code == 400
    assert "Anda tidak dapat mencabut peran administrator Anda sendiri." in without_admin.get_data(
        as_text=True
    )
    deactivated = client.post_form(own, {**values, "roles": ["employee", "admin"]})
    assert deactivated.status_code == 400
    assert "Anda tidak dapat menonaktifkan akun Anda sendiri." in deactivated.get_data(as_text=True)
    admin = reloaded(session, office.admin)
    assert admin.active and admin.has_role("admin")


def test_an_admin_may_withdraw_another_admins_role(client, session, office):
    other = make_person(session, name="Admin Lain", roles=("employee", "admin"))
    session.commit()
    response = client.post_form(
        f"/admin/orang/{other.id}/ubah",
        {"name": "Admin Lain", "email": "", "unit": "", "position": "", "roles": ["employee"], "active": "y"},
    )
    assert response.status_code == 302
    assert reloaded(session, other).roles == {"employee"}


def test_deactivating_someone_ends_their_sessions(app, client, session, office):
    their_browser = app.test_client()
    login(their_browser, office.person)
    assert their_browser.get("/").status_code == 200
    response = client.post_form(f"/admin/orang/{office.person.id}/ubah", edit_form(office, active=None))
    assert response.status_code == 302
    assert not reloaded(session, office.person).active
    assert their_browser.get("/").status_code == 302, "their copied session cookie no longer works"
    [entry] = audit_entries(session, "person.updated")
    assert entry.detail["changes"] == {"active": {"old": True, "new": False}}
    assert entry.detail["sessions_ended"] is True


def test_the_edit_form_needs_a_csrf_token(client, session, office):
    response = client.post(
        f"/admin/orang/{office.person.id}/ubah", data=edit_form(office, name="Tanpa Token")
    )
    assert response.status_code == 400
    assert reloaded(session, office.person).name == "Siti Rahmawati"


def test_edit_page_of_an_unknown_person_is_404(client, office):
    assert client.get("/admin/orang/987654/ubah").status_code == 404


def test_editing_a_person_is_not_for_a_supervisor(client, session, office):
    head = make_person(session, name="Kepala Dinas", roles=("employee", "supervisor"), unit=office.dinas)
    office.dinas.head = head
    session.commit()
    login(client, head)
    assert client.get(f"/admin/orang/{office.person.id}/ubah").status_code == 404
    response = client.post_form(
        f"/admin/orang/{office.person.id}/ubah", edit_form(office, name="Diubah Atasan")
    )
    assert response.status_code == 404
    assert reloaded(session, office.person).name == "Siti Rahmawati"
    added = client.post_form(f"/admin/orang/{office.person.id}/bimbingan", mentorship_form(head))
    assert added.status_code == 404
    assert session.scalars(select(Mentorship)).all() == []


# Mentorships.


def mentorship_form(other: Person, *, side: str = "mentee", starts_on: str = "2026-01-05", ends_on: str = ""):
    return {"side": side, "other_nip": other.nip, "starts_on": starts_on, "ends_on": ends_on}


def test_adding_a_mentorship_gives_the_mentor_the_role_and_audits_both(client, session, office):
    mentor = make_person(session, name="Budi Santoso")
    session.commit()
    response = client.post_form(f"/admin/orang/{office.person.id}/bimbingan", mentorship_form(mentor))
    assert response.status_code == 302
    session.expire_all()
    [link] = session.scalars(select(Mentorship)).all()
    assert (link.mentor_id, link.mentee_id, link.starts_on, link.ends_on) == (
        mentor.id,
        office.person.id,
        date(2026, 1, 5),
        None,
    )
    assert reloaded(session, mentor).roles == {"employee", "mentor"}
    [granted] = audit_entries(session, "person.updated")
    assert granted.target_id == str(mentor.id)
    assert granted.detail["changes"] == {"roles": {"old": ["employee"], "new": ["employee", "mentor"]}}
    [added] = audit_entries(session, "mentorship.added")
    assert added.target_id == str(office.person.id)
    assert (added.detail["mentor_id"], added.detail["mentee_id"], added.detail["starts_on"]) == (
        mentor.id,
        office.person.id,
        "2026-01-05",
    )


def test_this_person_may_be_the_mentor_side(client, session, office):
    mentee = make_person(session, name="Pegawai Baru")
    session.commit()
    client.post_form(f"/admin/orang/{office.person.id}/bimbingan", mentorship_form(mentee, side="mentor"))
    session.expire_all()
    [link] = session.scalars(select(Mentorship)).all()
    assert (link.mentor_id, link.mentee_id) == (office.person.id, mentee.id)


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"starts_on": "2026-03-01"}, "tumpang tindih"),
        ({"starts_on": "2025-01-01", "ends_on": "2025-12-31"}, "tumpang tindih"),
        (
            {"starts_on": "2026-03-01", "ends_on": "2026-02-01"},
            "Tanggal selesai tidak boleh sebelum tanggal mulai.",
        ),
        ({"starts_on": "31/02/2026"}, "Tulis tanggal seperti 2026-01-31."),
        ({"other_nip": "199001012015011001"}, "Tidak ada pegawai dengan NIP ini."),
        ({"self": True}, "Mentor dan mentee tidak boleh orang yang sama."),
    ],
)
def test_a_refused_mentorship_explains_itself_and_adds_nothing(client, session, office, form, message):
    mentor = make_person(session, name="Budi Santoso", roles=("employee", "mentor"))
    make_mentorship(session, mentor, office.person, starts_on=date(2025, 6, 1))
    session.commit()
    values = mentorship_form(office.person if form.get("self") else mentor)
    values.update({key: value for key, value in form.items() if key != "self"})
    response = client.post_form(f"/admin/orang/{office.person.id}/bimbingan", values)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    session.expire_all()
    assert len(session.scalars(select(Mentorship)).all()) == 1
    assert audit_entries(session, "mentorship.added") == []


def test_a_later_mentorship_of_the_same_pair_after_the_last_one_ended_is_accepted(client, session, office):
    mentor = make_person(session, name="Budi Santoso", roles=("employee", "mentor"))
    make_mentorship(session, mentor, office.person, starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31))
    session.commit()
    response = client.post_form(
        f"/admin/orang/{office.person.id}/bimbingan", mentorship_form(mentor, starts_on="2026-01-01")
    )
    assert response.status_code == 302
    assert audit_entries(session, "person.updated") == [], "a mentor who holds the role is not changed"


def test_ending_a_mentorship_sets_its_last_day_and_audits_it(client, session, office):
    mentor = make_person(session, name="Budi Santoso", roles=("employee", "mentor"))
    link = make_mentorship(session, mentor, office.person, starts_on=date(2025, 6, 1))
    session.commit()
    last_day = clock().today()
    response = client.post_form(
        f"/admin/bimbingan/{link.id}/akhiri", {"ends_on": last_day.isoformat(), "person_id": str(mentor.id)}
    )
    assert response.status_code == 302 and response.headers["Location"].startswith(
        f"/admin/orang/{mentor.id}"
    )
    session.expire_all()
    assert session.get(Mentorship, link.id).ends_on == last_day
    [ended] = audit_entries(session, "mentorship.ended")
    assert ended.detail["changes"] == {"ends_on": {"old": None, "new": last_day.isoformat()}}


@pytest.mark.parametrize(
    ("ends_on", "started", "ended", "message"),
    [
        ("2025-05-31", date(2025, 6, 1), None, "Tanggal selesai tidak boleh sebelum tanggal mulai."),
        ("2025-12-31", date(2025, 6, 1), date(2025, 7, 1), "Bimbingan ini sudah berakhir."),
        ("bukan tanggal", date(2025, 6, 1), None, "Tulis tanggal seperti 2026-01-31."),
    ],
)
def test_a_refused_end_explains_itself_on_the_persons_page(
    client, session, office, ends_on, started, ended, message
):
    mentor = make_person(session, name="Budi Santoso", roles=("employee", "mentor"))
    link = make_mentorship(session, mentor, office.person, starts_on=started, ends_on=ended)
    session.commit()
    response = client.post_form(f"/admin/bimbingan/{link.id}/akhiri", {"ends_on": ends_on})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and message in body and "<h1>Siti Rahmawati</h1>" in body
    session.expire_all()
    assert session.get(Mentorship, link.id).ends_on == ended


def test_ending_an_unknown_mentorship_is_404(client, office):
    assert client.post_form("/admin/bimbingan/987654/akhiri", {"ends_on": "2026-01-01"}).status_code == 404


def test_person_page_offers_end_forms_for_running_mentorships_only(client, session, office):
    mentor = make_person(session, name="Budi Santoso", roles=("employee", "mentor"))
    today = clock().today()
    running = make_mentorship(session, mentor, office.person, starts_on=today - timedelta(days=30))
    past = make_mentorship(
        session,
        mentor,
        office.person,
        starts_on=today - timedelta(days=400),
        ends_on=today - timedelta(days=100),
    )
    session.commit()
    body = client.get(f"/admin/orang/{office.person.id}").get_data(as_text=True)
    assert f'action="/admin/bimbingan/{running.id}/akhiri"' in body
    assert f'action="/admin/bimbingan/{past.id}/akhiri"' not in body
    assert f'href="/admin/orang/{office.person.id}/ubah"' in body


# Statement budgets: the pages cost the same whatever the number of mentorships, units and positions.


def test_person_page_statements_do_not_grow_with_mentorships(app, client, session, office):
    def statements() -> int:
        return len(page_statements(app, client, f"/admin/orang/{office.person.id}"))

    make_mentorship(session, make_person(session, name="Mentor 0"), office.person)
    session.commit()
    few = statements()
    for n in range(1, 6):
        make_mentorship(session, make_person(session, name=f"Mentor {n}"), office.person)
    make_unit(session, parent=office.dinas).head = office.person
    session.commit()
    assert statements() == few <= 8


def test_edit_page_statements_do_not_grow_with_units_and_positions(app, client, session, office):
    def statements() -> int:
        return len(page_statements(app, client, f"/admin/orang/{office.person.id}/ubah"))

    few = statements()
    for _ in range(20):
        make_unit(session, parent=office.bidang)
        make_position(session)
    session.commit()
    assert statements() == few <= 6
