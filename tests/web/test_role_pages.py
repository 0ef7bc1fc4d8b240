"""What the role pages show: profiles, unit trees with headcounts, paging with filters, audit times in WIB."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import UTC, datetime

import pytest

from elearn.models import AuditEntry
from tests.factories import login, make_mentorship, make_person, make_position, make_unit


@pytest.fixture
def admin(session):
    person = make_person(session, name="Admin BKPSDM", roles=("employee", "admin"))
    session.commit()
    return person


def test_learner_home_shows_own_profile_and_links_to_held_areas(client, session):
    unit = make_unit(session, "DUKCAPIL", name="Dinas Kependudukan")
    person = make_person(session, name="Siti Rahmawati", roles=("employee", "supervisor"), unit=unit)
    person.position = make_position(session, "ANALIS")
    mentor = make_person(session, name="Mentor Senior", roles=("employee", "mentor"))
    make_mentorship(session, mentor, person)
    session.commit()
    login(client, person)
    profile = client.get("/profil").get_data(as_text=True)
    for shown in (person.nip, "Dinas Kependudukan", "Jabatan ANALIS", "Mentor Senior"):
        assert shown in profile
    body = client.get("/").get_data(as_text=True)
    assert "/atasan/" in body and "JP tahun ini" in body
    assert 'href="/mentor/"' not in body and 'href="/admin/"' not in body


def test_learner_home_of_plain_employee_has_no_area_links(client, session):
    person = make_person(session, name="Dewi Lestari")
    session.commit()
    login(client, person)
    body = client.get("/").get_data(as_text=True)
    assert "Area kerja saya" not in body and "Unit kerja" not in body


def test_supervisor_home_shows_headed_tree_with_headcounts(client, session):
    dinas = make_unit(session, "DISHUB", name="Dinas Perhubungan")
    bidang = make_unit(session, "LALIN", name="Bidang Lalu Lintas", parent=dinas)
    head = make_person(session, name="Kepala Dinas", roles=("employee", "supervisor"), unit=dinas)
    dinas.head = head
    for n in range(3):
        make_person(session, name=f"Petugas {n}", unit=bidang)
    session.commit()
    login(client, head)
    body = client.get("/atasan/").get_data(as_text=True)
    assert "Dinas Perhubungan" in body and "Jumlah pegawai: 4" in body
    assert re.search(r"Bidang Lalu Lintas</a>\s*<span[^>]*>\(LALIN\)</span>:\s*3 pegawai langsung, 3", body)


def test_supervisor_home_of_an_admin_shows_only_the_headed_tree(client, session):
    root = make_unit(session, "PEMKOT", name="Pemerintah Kota")
    dinas = make_unit(session, "DISHUB", name="Dinas Perhubungan", parent=root)
    make_unit(session, "BPBD", name="Badan Penanggulangan Bencana", parent=root)
    head = make_person(session, name="Kepala Dinas", roles=("employee", "supervisor", "admin"), unit=dinas)
    dinas.head = head
    session.commit()
    login(client, head)
    body = client.get("/atasan/").get_data(as_text=True)
    assert "Dinas Perhubungan" in body
    assert "Pemerintah Kota" not in body and "Badan Penanggulangan Bencana" not in body


def test_admin_people_paging_links_keep_the_filters(client, session, app, admin):
    app.config["ELEARN_PAGE_SIZE"] = 2
    for n in range(5):
        make_person(session, name=f"Budi {n}")
    make_person(session, name="Agus")
    session.commit()
    login(client, admin)
    first = client.get("/admin/orang?q=Budi").get_data(as_text=True)
    assert "Budi 0" in first and "Budi 2" not in first and "Agus" not in first
    following = re.search(r'href="(/admin/orang\?q=Budi&amp;setelah=\d+)" rel="next"', first)
    assert following
    second = client.get(following.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "Budi 2" in second and "Budi 3" in second and "Budi 1" not in second


def test_admin_people_filters_by_unit_subtree_and_role(client, session, admin):
    dinas = make_unit(session, "DISKOMINFO")
    bidang = make_unit(session, "APTIKA", parent=dinas)
    other = make_unit(session, "BPBD")
    make_person(session, name="Mentor Aptika", roles=("employee", "mentor"), unit=bidang)
    make_person(session, name="Pegawai Aptika", unit=bidang)
    make_person(session, name="Mentor BPBD", roles=("employee", "mentor"), unit=other)
    session.commit()
    login(client, admin)
    body = client.get("/admin/orang?unit=DISKOMINFO&role=mentor").get_data(as_text=True)
    assert "Mentor Aptika" in body
    assert "Pegawai Aptika" not in body and "Mentor BPBD" not in body


def test_admin_person_page_shows_mentorships_and_activation_form(client, session, admin):
    mentor = make_person(session, name="Mentor Senior", roles=("employee", "mentor"))
    mentee = make_person(session, name="Mentee Baru")
    make_mentorship(session, mentor, mentee)
    session.commit()
    login(client, admin)
    body = client.get(f"/admin/orang/{mentor.id}").get_data(as_text=True)
    assert "Mentee Baru" in body and "Berjalan" in body
    assert f'action="/admin/orang/{mentor.id}/aktivasi"' in body


def test_admin_units_page_shows_heads_and_headcounts(client, session, admin):
    dinas = make_unit(session, "DISDUK", name="Dinas Kependudukan")
    bidang = make_unit(session, "PELAYANAN", name="Bidang Pelayanan", parent=dinas)
    dinas.head = make_person(session, name="Kepala Disduk", unit=dinas)
    make_person(session, name="Petugas", unit=bidang)
    session.commit()
    login(client, admin)
    body = client.get("/admin/unit").get_data(as_text=True)
    row = re.search(r"Dinas Kependudukan</a>.*?</tr>", body, re.S).group(0)
    assert "Kepala Disduk" in row
    assert re.findall(r'<td class="number">(\d+)</td>', row) == ["1", "2"]


def test_admin_audit_shows_wib_times_newest_first_and_filters(client, session, admin):
    session.add_all(
        [
            AuditEntry(
                at=datetime(2026, 1, 1, 0, 30, tzinfo=UTC), actor_id=admin.id, action="account.activated"
            ),
            AuditEntry(at=datetime(2026, 2, 1, 17, 0, tzinfo=UTC), actor_id=admin.id, action="import-org"),
        ]
    )
    session.commit()
    login(client, admin)
    body = client.get("/admin/audit").get_data(as_text=True)
    assert "1 Jan 2026, 07.30.00 WIB" in body
    assert body.index("2 Feb 2026, 00.00.00 WIB") < body.index("1 Jan 2026, 07.30.00 WIB")
    filtered = client.get("/admin/audit?action=import-org").get_data(as_text=True)
    assert "2 Feb 2026, 00.00.00 WIB" in filtered and "1 Jan 2026" not in filtered
    assert "2 Feb 2026" not in client.get("/admin/audit?actor=Tidak+Ada").get_data(as_text=True)
    assert "2 Feb 2026" in client.get(f"/admin/audit?actor={admin.nip}").get_data(as_text=True)


def test_admin_home_counts_active_and_deactivated_people(client, session, admin):
    make_person(session, name="Pensiunan", active=False)
    make_unit(session)
    session.commit()
    login(client, admin)
    body = client.get("/admin/").get_data(as_text=True)
    assert "1 aktif, 1 nonaktif" in body and "1 unit" in body


def test_people_pages_report_an_unknown_unit_code_and_ignore_it(client, session, admin):
    make_person(session, name="Pegawai Mana Saja")
    session.commit()
    login(client, admin)
    body = client.get("/admin/orang?unit=TIDAK-ADA").get_data(as_text=True)
    assert "Unit dengan kode TIDAK-ADA tidak ditemukan" in body and "Pegawai Mana Saja" in body


def test_supervisor_search_label_and_matching_include_email(client, session):
    dinas = make_unit(session, "DISHUB")
    head = make_person(session, name="Kepala Dinas", roles=("employee", "supervisor"), unit=dinas)
    dinas.head = head
    make_person(session, name="Rina Wulandari", email="rina.w@salatiga.go.id", unit=dinas)
    session.commit()
    login(client, head)
    body = client.get("/atasan/orang?q=rina.w@").get_data(as_text=True)
    assert "Cari nama, NIP, atau e-mail" in body and "Rina Wulandari" in body
    assert "Kepala Dinas</a>" not in body


def test_admin_people_table_shows_roles_in_order_and_status(client, session, admin):
    make_person(session, name="Kepala Aktif", roles=("admin", "employee", "mentor"))
    make_person(session, name="Pensiunan", active=False)
    session.commit()
    login(client, admin)
    body = client.get("/admin/orang").get_data(as_text=True)
    row = re.search(r"Kepala Aktif</a>.*?</tr>", body, re.S).group(0)
    assert re.findall(r'class="badge badge-(\w+)"', row) == ["employee", "mentor", "admin", "ok"]
    assert "Nonaktif" in re.search(r"Pensiunan</a>.*?</tr>", body, re.S).group(0)


def admin_csv(client) -> list[list[str]]:
    response = client.get("/admin/orang/ekspor")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_admin_csv_export_writes_role_and_status_labels_and_the_nip_as_plain_digits(client, session, admin):
    head = make_person(session, name="Kepala Aktif", roles=("supervisor", "trainer", "employee"))
    retired = make_person(session, name="Pensiunan", active=False)
    session.commit()
    login(client, admin)
    rows = {row[1]: row for row in admin_csv(client)[1:]}
    assert rows["Kepala Aktif"][0] == head.nip and rows["Pensiunan"][0] == retired.nip
    assert rows["Kepala Aktif"][7:] == ["Pegawai; Pengajar; Atasan", "Ya"]
    assert rows["Pensiunan"][7:] == ["Pegawai", "Tidak"]


def test_admin_csv_export_labels_follow_the_viewers_language(client, session, admin):
    admin.locale = "en"
    make_person(session, name="Kepala Aktif", roles=("supervisor", "employee"), active=False)
    session.commit()
    login(client, admin)
    rows = {row[1]: row for row in admin_csv(client)[1:]}
    assert rows["Kepala Aktif"][7:] == ["Employee; Supervisor", "No"]


def test_admin_xlsx_export_writes_the_nip_as_a_text_cell(client, session, admin):
    login(client, admin)
    response = client.get("/admin/orang/ekspor?format=xlsx")
    sheet = zipfile.ZipFile(io.BytesIO(response.get_data())).read("xl/worksheets/sheet1.xml").decode()
    cell = re.search(r'<c r="A2"([^>]*)><is><t[^>]*>(\d+)</t>', sheet)
    assert cell is not None and 't="inlineStr"' in cell.group(1) and cell.group(2) == admin.nip
