"""The audit log reads like a log: action names in the reader's language, people by name, details in words."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from elearn.admin.audit_text import ACTION_LABELS, action_label
from elearn.models import AuditEntry
from tests.factories import login, make_person
from tests.statements import page_statements

ELEARN_DIR = Path(__file__).resolve().parents[2] / "elearn"
AT = datetime(2026, 1, 1, 0, 30, tzinfo=UTC)


@pytest.fixture
def admin(session, client):
    person = make_person(session, name="Admin BKPSDM", roles=("employee", "admin"))
    session.commit()
    login(client, person)
    return person


def entry(session, *, actor, action: str, target=None, **detail) -> AuditEntry:
    added = AuditEntry(
        at=AT,
        actor_id=actor.id if actor else None,
        action=action,
        target_type="Person" if target is not None else None,
        target_id=str(target.id) if target is not None else None,
        detail=detail,
        ip="10.0.0.7",
    )
    session.add(added)
    session.commit()
    return added


def log_row(body: str) -> str:
    """The first row of the log's table body."""
    match = re.search(r"<tbody>\s*<tr>(.*?)</tr>", body, re.S)
    assert match, "the log shows no row"
    return match.group(1)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_every_action_code_elearn_records_has_a_label() -> None:
    recorded = {
        code
        for path in ELEARN_DIR.rglob("*.py")
        for code in re.findall(r'\baction="([a-z][\w.-]*)"', path.read_text(encoding="utf-8"))
    }
    assert recorded, "the scan found the codes services record"
    assert sorted(recorded - ACTION_LABELS.keys()) == []


def test_an_unknown_code_reads_as_itself() -> None:
    assert action_label("plugin.something_new") == "plugin.something_new"


def test_the_action_picker_lists_every_known_action_by_its_label(client, admin):
    body = client.get("/admin/audit?action=person.updated").get_data(as_text=True)
    picker = re.search(r'<select id="action" name="action">(.*?)</select>', body, re.S).group(1)
    options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', picker)
    assert options[0] == ("", "", "Semua tindakan")
    assert {value for value, _selected, _label in options[1:]} == set(ACTION_LABELS)
    assert ("person.updated", " selected", "Data pegawai diubah") in options
    labels = [label for _value, _selected, label in options[1:]]
    assert labels == sorted(labels, key=str.casefold)


def test_the_action_picker_speaks_english_to_an_english_reader(client, session, admin):
    admin.locale = "en"
    session.commit()
    body = client.get("/admin/audit").get_data(as_text=True)
    assert '<option value="person.updated">Employee record changed</option>' in body
    assert '<option value="account.login_failed">Sign-in failed</option>' in body


def test_filtering_by_an_unknown_code_keeps_it_in_the_picker(client, session, admin):
    entry(session, actor=admin, action="plugin.something_new")
    body = client.get("/admin/audit?action=plugin.something_new").get_data(as_text=True)
    assert '<option value="plugin.something_new" selected>plugin.something_new</option>' in body
    assert "plugin.something_new" in text_of(log_row(body))


def test_a_row_names_actor_and_target_with_links_and_details_in_words(client, session, admin):
    siti = make_person(session, name="Siti Rahmawati")
    entry(
        session,
        actor=admin,
        action="person.updated",
        target=siti,
        changes={
            "roles": {"old": ["employee"], "new": ["employee", "mentor"]},
            "unit": {"old": None, "new": {"code": "APTIKA", "name": "Bidang Aplikasi Informatika"}},
            "active": {"old": True, "new": False},
        },
        sessions_ended=True,
    )
    row = log_row(client.get("/admin/audit").get_data(as_text=True))
    assert f'<a href="/admin/orang/{admin.id}">Admin BKPSDM</a>' in row
    assert f'<a href="/admin/orang/{siti.id}">Siti Rahmawati</a>' in row
    words = text_of(row)
    assert "1 Jan 2026, 07.30.00 WIB" in words and "Data pegawai diubah" in words
    assert "Unit kerja: — → Bidang Aplikasi Informatika (APTIKA)" in words
    assert "Peran: Pegawai → Pegawai, Mentor" in words
    assert "Aktif: Ya → Tidak" in words
    assert "Semua sesinya di setiap perangkat diakhiri." in words
    assert "Pegawai #" not in row and "person.updated" not in row


def test_details_read_in_english_for_an_english_reader(client, session, admin):
    admin.locale = "en"
    session.commit()
    entry(
        session,
        actor=admin,
        action="person.updated",
        target=admin,
        changes={"roles": {"old": ["employee"], "new": ["employee", "mentor"]}},
    )
    words = text_of(log_row(client.get("/admin/audit").get_data(as_text=True)))
    assert "Roles: Employee → Employee, Mentor" in words and "Employee record changed" in words


def test_a_mentorship_entry_names_both_people(client, session, admin):
    mentor = make_person(session, name="Budi Santoso")
    mentee = make_person(session, name="Siti Rahmawati")
    entry(
        session,
        actor=admin,
        action="mentorship.added",
        target=mentee,
        mentorship_id=7,
        mentor_id=mentor.id,
        mentee_id=mentee.id,
        starts_on="2026-01-05",
        ends_on=None,
    )
    row = log_row(client.get("/admin/audit").get_data(as_text=True))
    assert f'Mentor: <a href="/admin/orang/{mentor.id}">Budi Santoso</a>' in row
    words = text_of(row)
    assert "Mulai: 5 Jan 2026" in words and "Selesai: —" in words and "mentorship" not in words


def test_system_entries_and_other_targets_read_plainly(client, session, admin):
    entry(
        session,
        actor=None,
        action="import-org",
        files={"people": "pegawai.csv"},
        counts={"people": {"created": 3, "updated": 1, "unchanged": 0, "roles_granted": 0}},
    )
    words = text_of(log_row(client.get("/admin/audit").get_data(as_text=True)))
    assert "sistem" in words and "Data organisasi diimpor" in words
    assert "Berkas: pegawai.csv" in words and "Pegawai: 3 baru, 1 diubah, 0 tetap." in words


def test_an_activation_expiry_is_shown_on_the_office_clock(client, session, admin):
    entry(
        session,
        actor=admin,
        action="account.activation_issued",
        target=admin,
        expires_at="2026-01-02T17:00:00+00:00",
    )
    words = text_of(log_row(client.get("/admin/audit").get_data(as_text=True)))
    assert "Berlaku sampai: 3 Jan 2026, 00.00.00 WIB" in words


def test_unknown_detail_keys_still_show_their_values(client, session, admin):
    entry(session, actor=admin, action="export.people", format="xlsx", rows=12)
    words = text_of(log_row(client.get("/admin/audit").get_data(as_text=True)))
    assert "format: xlsx" in words and "rows: 12" in words


def test_the_log_page_costs_the_same_whatever_the_number_of_people_it_names(app, client, session, admin):
    def statements() -> int:
        return len(page_statements(app, client, "/admin/audit"))

    first = make_person(session, name="Pegawai Pertama")
    entry(session, actor=admin, action="person.updated", target=first)
    few = statements()
    for n in range(10):
        someone = make_person(session, name=f"Pegawai {n}")
        entry(session, actor=someone, action="mentorship.added", target=first, mentor_id=someone.id)
    assert statements() == few <= 5
