"""Who reaches which page over HTTP: lists, searches, person pages and exports honour the scope; else 404."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from elearn.models import Person
from tests.factories import login, make_person
from tests.web.scope_world import World, build_world

UNKNOWN_ID = 987_654


@pytest.fixture
def world(session) -> World:
    return build_world(session)


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def csv_rows(client, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


# The supervisor: unit A and its sub-unit A1, never the sibling B.


def test_supervisor_people_page_lists_subtree_and_never_sibling(client, world):
    login(client, world.head_a)
    body = page(client, "/atasan/orang")
    assert "Siti Rahmawati" in body and "Budi Santoso" in body
    assert "Agus Saputra" not in body and "Dewi Lestari" not in body


def test_supervisor_people_page_hides_deactivated_people(client, world):
    login(client, world.head_a)
    assert "Pensiunan A" not in page(client, "/atasan/orang")


def test_supervisor_search_finds_a_match_in_scope(client, world):
    login(client, world.head_a)
    body = page(client, "/atasan/orang?q=Budi")
    assert "Budi Santoso" in body and "Agus Saputra" not in body


def test_supervisor_search_for_a_name_outside_scope_finds_nobody(client, world):
    login(client, world.head_a)
    body = page(client, "/atasan/orang?q=Agus")
    assert "Agus Saputra" not in body and "Tidak ada pegawai yang cocok." in body


def test_supervisor_search_by_nip_of_sibling_unit_finds_nobody(client, world):
    login(client, world.head_a)
    body = page(client, f"/atasan/orang?q={world.in_b.nip}")
    assert "Agus Saputra" not in body and "Tidak ada pegawai yang cocok." in body


def test_supervisor_unit_filter_outside_scope_cannot_widen_the_list(client, world):
    login(client, world.head_a)
    assert "Agus Saputra" not in page(client, "/atasan/orang?unit=B")


def test_supervisor_unit_filter_narrows_to_that_subtree(client, world):
    login(client, world.head_a)
    body = page(client, "/atasan/orang?unit=A1")
    assert "Budi Santoso" in body and "Siti Rahmawati" not in body


def test_supervisor_person_page_in_subtree_is_shown(client, world):
    login(client, world.head_a)
    assert world.in_a1.nip in page(client, f"/atasan/orang/{world.in_a1.id}")


@pytest.mark.parametrize("target", ["sibling", "deactivated", "unknown"])
def test_supervisor_person_page_outside_scope_is_404(client, world, target):
    person_id = {"sibling": world.in_b.id, "deactivated": world.deactivated.id, "unknown": UNKNOWN_ID}[target]
    login(client, world.head_a)
    assert client.get(f"/atasan/orang/{person_id}").status_code == 404


def test_supervisor_csv_export_holds_subtree_and_never_sibling(client, world):
    login(client, world.head_a)
    nips = {row[0] for row in csv_rows(client, "/atasan/orang/ekspor")[1:]}
    assert nips == {world.head_a.nip, world.in_a.nip, world.in_a1.nip}


def test_supervisor_csv_export_keeps_the_search_filter(client, world):
    login(client, world.head_a)
    assert [row[1] for row in csv_rows(client, "/atasan/orang/ekspor?q=Budi")[1:]] == ["Budi Santoso"]


def test_supervisor_xlsx_export_is_a_workbook_without_sibling(client, world):
    login(client, world.head_a)
    response = client.get("/atasan/orang/ekspor?format=xlsx")
    assert response.status_code == 200
    data = response.get_data()
    assert data[:2] == b"PK"
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "Budi Santoso" in sheet and "Agus Saputra" not in sheet


# The mentor: current mentees only.


def test_mentor_list_shows_current_mentee_and_not_past_one(client, world):
    login(client, world.mentor)
    body = page(client, "/mentor/")
    assert "Mentee Sekarang" in body and "Mentee Lama" not in body


def test_mentor_person_page_of_current_mentee_is_shown(client, world):
    login(client, world.mentor)
    assert world.mentee_now.nip in page(client, f"/mentor/mentee/{world.mentee_now.id}")


@pytest.mark.parametrize("target", ["ended", "colleague", "unknown"])
def test_mentor_person_page_of_anyone_else_is_404(client, world, target):
    person_id = {"ended": world.mentee_past.id, "colleague": world.in_b.id, "unknown": UNKNOWN_ID}[target]
    login(client, world.mentor)
    assert client.get(f"/mentor/mentee/{person_id}").status_code == 404


# Role areas a person does not hold answer 404, exactly like pages that do not exist.

AREA_URLS = [
    "/atasan/",
    "/atasan/orang",
    "/atasan/orang/{other}",
    "/atasan/orang/ekspor",
    "/atasan/kompetensi",
    "/atasan/kompetensi/ekspor",
    "/atasan/kompetensi/ekspor?format=xlsx",
    "/atasan/talenta?k=T.01&l=1",
    "/atasan/laporan",
    *(f"/atasan/laporan/{name}" for name in ("jp", "kesenjangan", "jpm")),
    *(f"/atasan/laporan/{name}/ekspor" for name in ("jp", "kesenjangan", "jpm")),
    *(f"/atasan/laporan/{name}/ekspor?format=xlsx" for name in ("jp", "kesenjangan", "jpm")),
    "/mentor/",
    "/mentor/mentee/{other}",
    "/admin/",
    "/admin/orang",
    "/admin/orang/{other}",
    "/admin/orang/{other}/ubah",
    "/admin/orang/ekspor",
    "/admin/unit",
    "/admin/audit",
    "/admin/laporan",
    *(f"/admin/laporan/{name}" for name in ("jp", "kesenjangan", "jpm")),
    *(f"/admin/laporan/{name}/ekspor" for name in ("jp", "kesenjangan", "jpm")),
    *(f"/admin/laporan/{name}/ekspor?format=xlsx" for name in ("jp", "kesenjangan", "jpm")),
]
NOT_IN_AREA = {
    "employee": AREA_URLS,
    "head_a": [url for url in AREA_URLS if not url.startswith("/atasan/")],
    "mentor": [url for url in AREA_URLS if not url.startswith("/mentor/")],
}


@pytest.mark.parametrize(
    ("who", "url"),
    [(who, url) for who, urls in NOT_IN_AREA.items() for url in urls],
)
def test_role_area_without_the_role_is_404(client, world, who, url):
    login(client, getattr(world, who))
    assert client.get(url.format(other=world.in_b.id)).status_code == 404


@pytest.mark.parametrize(
    ("holder", "url"),
    [
        ("admin", "/admin/orang/{id}"),
        ("head_a", "/atasan/orang/{id}"),
        ("mentor", "/mentor/mentee/{id}"),
    ],
)
def test_unknown_person_id_is_404_for_those_who_hold_the_area(client, world, holder, url):
    login(client, getattr(world, holder))
    assert client.get(url.format(id=UNKNOWN_ID)).status_code == 404


# The employee: only themself.


def test_employee_home_shows_own_record_and_nobody_else(client, world):
    login(client, world.employee)
    body = page(client, "/profil")
    assert "Dewi Lestari" in body and world.employee.nip in body
    assert "Agus Saputra" not in body


# The admin: everyone.


def test_admin_people_page_lists_everyone_including_deactivated(client, world):
    login(client, world.admin)
    body = page(client, "/admin/orang")
    for name in ("Siti Rahmawati", "Budi Santoso", "Agus Saputra", "Mentee Lama", "Pensiunan A"):
        assert name in body


@pytest.mark.parametrize("who", ["in_b", "mentee_past", "deactivated"])
def test_admin_person_page_opens_anyone(client, world, who):
    login(client, world.admin)
    assert getattr(world, who).nip in page(client, f"/admin/orang/{getattr(world, who).id}")


def test_admin_csv_export_holds_everyone(client, world, session):
    login(client, world.admin)
    nips = {row[0] for row in csv_rows(client, "/admin/orang/ekspor")[1:]}
    assert nips == set(session.scalars(Person.__table__.select().with_only_columns(Person.nip)))


# Hostile names: neutralised in CSV, escaped in HTML.


def test_csv_export_neutralises_formula_like_name(client, world, session):
    make_person(session, name='=HYPERLINK("x")', unit=world.a)
    session.commit()
    login(client, world.head_a)
    names = [row[1] for row in csv_rows(client, "/atasan/orang/ekspor")[1:]]
    assert '\'=HYPERLINK("x")' in names
    assert '=HYPERLINK("x")' not in names


@pytest.mark.parametrize("url", ["/atasan/orang", "/admin/orang"])
def test_people_page_escapes_script_in_names(client, world, session, url):
    make_person(session, name="<script>alert(1)</script>", unit=world.a)
    session.commit()
    login(client, world.admin if url.startswith("/admin") else world.head_a)
    body = page(client, url)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script>alert(1)" not in body
