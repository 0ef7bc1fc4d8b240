"""The admin's framework and SKJ pages over HTTP: lists, one competency, adding and editing technical ones, one
position's standard, the CSV/YAML uploads; statement budgets; everyone else gets 404."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from elearn.models import AuditEntry, Competency, CompetencyStanding, Person, Position, PositionStandard
from elearn.services.competency import seed_dictionary
from tests.factories import login, make_person, make_position
from tests.statements import page_statements

LEVELS = {f"level_{n}": f"Deskripsi level {n}" for n in range(1, 6)}


@dataclass(frozen=True)
class Office:
    admin: Person
    employee: Person
    analis: Position
    technical: Competency


def _technical(session: Session, code: str = "T.SIK.01") -> Competency:
    from elearn.models import CompetencyLevel

    competency = Competency(
        code=code,
        kind="teknis",
        name="Pengelolaan SIAK",
        definition="Mengelola data kependudukan",
        source="admin",
    )
    competency.levels = [
        CompetencyLevel(
            level=n, description=f"Level {n} SIAK", indicators=[f"Indikator {n}a", f"Indikator {n}b"]
        )
        for n in range(1, 6)
    ]
    session.add(competency)
    session.flush()
    return competency


@pytest.fixture
def office(session, client) -> Office:
    seed_dictionary(session)
    analis = make_position(session, "ANALIS")
    admin = make_person(session, name="Admin BKPSDM", roles=("employee", "admin"))
    employee = make_person(session, name="Dewi Lestari")
    employee.position_id = analis.id
    technical = _technical(session)
    session.commit()
    login(client, admin)
    return Office(admin=admin, employee=employee, analis=analis, technical=technical)


def body(response) -> str:  # noqa: ANN001
    return response.get_data(as_text=True)


def entries(session: Session, action: str) -> list[AuditEntry]:
    session.expire_all()
    return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def by_code(session: Session, code: str) -> Competency | None:
    session.expire_all()
    return session.scalar(select(Competency).where(Competency.code == code))


# The framework list and one competency.


def test_framework_list_shows_dictionary_and_technical_competencies(client, office):
    page = body(client.get("/admin/kompetensi"))
    assert "M.01" in page and "Integritas" in page and "SK.01" in page and "T.SIK.01" in page
    assert "Kamus nasional" in page and "Administrator" in page
    assert 'action="/admin/kompetensi/impor"' in page and 'name="file" type="file"' in page


def test_framework_list_filters_by_kind_and_searches_code_and_name(client, office):
    technical = body(client.get("/admin/kompetensi?jenis=teknis"))
    assert "T.SIK.01" in technical and "M.01" not in technical
    by_name = body(client.get("/admin/kompetensi?q=integritas"))
    assert "M.01" in by_name and "M.02" not in by_name
    by_code_prefix = body(client.get("/admin/kompetensi?q=M.0"))
    assert "M.08" in by_code_prefix and "SK.01" not in by_code_prefix


def test_framework_list_is_paged(app, client, session, office):
    app.config["ELEARN_PAGE_SIZE"] = 5
    first = body(client.get("/admin/kompetensi"))
    assert "M.05" in first and "M.06" not in first and 'rel="next"' in first
    assert "M.06" in body(client.get("/admin/kompetensi?page=2"))


def test_competency_page_shows_five_levels_with_indicators(client, office):
    page = body(client.get(f"/admin/kompetensi/{office.technical.id}"))
    for n in range(1, 6):
        assert f"Level {n} SIAK" in page and f"Indikator {n}b" in page
    assert "Ubah kompetensi" in page


def test_dictionary_competency_page_offers_no_edit_and_its_edit_page_is_404(client, session, office):
    integritas = by_code(session, "M.01")
    page = body(client.get(f"/admin/kompetensi/{integritas.id}"))
    assert "Ubah kompetensi" not in page and "tidak dapat diubah" in page
    assert client.get(f"/admin/kompetensi/{integritas.id}/ubah").status_code == 404
    response = client.post_form(f"/admin/kompetensi/{integritas.id}/ubah", {"name": "Lain", **LEVELS})
    assert response.status_code == 404
    assert by_code(session, "M.01").name == "Integritas"


def test_unknown_competency_is_404(client, office):
    assert client.get("/admin/kompetensi/999999").status_code == 404


# Adding and editing a technical competency.


def test_admin_adds_a_technical_competency_and_the_audit_names_it(client, session, office):
    form = {
        "code": "T.PBJ.01",
        "name": "Pengadaan Barang/Jasa",
        "definition": "Merencanakan pengadaan",
        **LEVELS,
        "indicators_2": "Menyusun HPS\n\nMemilih metode",
    }
    response = client.post_form("/admin/kompetensi/baru", form)
    assert response.status_code == 302
    saved = session.scalar(select(Competency).where(Competency.code == "T.PBJ.01"))
    assert (saved.kind, saved.source) == ("teknis", "admin")
    assert [level.description for level in saved.levels] == list(LEVELS.values())
    assert saved.levels[1].indicators == ["Menyusun HPS", "Memilih metode"]
    (entry,) = entries(session, "competency.created")
    assert entry.detail["code"] == "T.PBJ.01" and entry.actor_id == office.admin.id


def test_adding_refuses_missing_fields_bad_and_taken_codes_and_saves_nothing(client, session, office):
    form = {"code": "t.sik.01", "name": "", "definition": "D", **LEVELS, "level_3": ""}
    response = client.post_form("/admin/kompetensi/baru", form)
    assert response.status_code == 400
    page = body(response)
    assert "Kode ini sudah dipakai kompetensi lain" in page
    assert page.count("Wajib diisi.") == 2
    bad = client.post_form(
        "/admin/kompetensi/baru", {**form, "code": "kode salah!", "name": "N", "level_3": "x"}
    )
    assert bad.status_code == 400 and "Kode hanya boleh" in body(bad)
    assert by_code(session, "kode salah!") is None
    assert entries(session, "competency.created") == []


def test_admin_edits_a_technical_competency_with_old_and_new_values_audited(client, session, office):
    page = body(client.get(f"/admin/kompetensi/{office.technical.id}/ubah"))
    assert "Indikator 3a\nIndikator 3b" in page and 'value="T.SIK.01" readonly' in page
    form = {
        "name": "Pengelolaan SIAK Terpadu",
        "definition": "Mengelola data kependudukan",
        **{f"level_{n}": f"Level {n} SIAK" for n in range(1, 6)},
        **{f"indicators_{n}": f"Indikator {n}a\nIndikator {n}b" for n in range(1, 6)},
        "level_5": "Merancang kebijakan SIAK",
        "code": "DIABAIKAN",
    }
    response = client.post_form(f"/admin/kompetensi/{office.technical.id}/ubah", form)
    assert response.status_code == 302
    saved = by_code(session, "T.SIK.01")
    assert (
        saved.name == "Pengelolaan SIAK Terpadu" and saved.levels[4].description == "Merancang kebijakan SIAK"
    )
    (entry,) = entries(session, "competency.updated")
    assert entry.detail["changes"] == {
        "name": {"old": "Pengelolaan SIAK", "new": "Pengelolaan SIAK Terpadu"},
        "level_5": {"old": "Level 5 SIAK", "new": "Merancang kebijakan SIAK"},
    }
    again = client.post_form(f"/admin/kompetensi/{office.technical.id}/ubah", form)
    assert again.status_code == 302 and len(entries(session, "competency.updated")) == 1


# Positions and one position's standard.


def test_positions_list_searches_and_links_to_each_standard(client, session, office):
    make_position(session, "PRANATA")
    session.add(
        PositionStandard(
            position_id=office.analis.id, competency_id=by_code(session, "M.01").id, required_level=3
        )
    )
    session.commit()
    page = body(client.get("/admin/jabatan"))
    assert f"/admin/jabatan/{office.analis.id}/standar" in page and "Jabatan PRANATA" in page
    assert 'action="/admin/jabatan/impor"' in page
    row = re.search(r"Jabatan ANALIS</a></th>.*?</tr>", page, re.S).group(0)
    assert '<td data-label="Kompetensi dipersyaratkan" class="number">1</td>' in row
    searched = body(client.get("/admin/jabatan?q=pran"))
    assert "Jabatan PRANATA" in searched and "Jabatan ANALIS" not in searched


def test_positions_list_pages_by_key(app, client, session, office):
    for n in range(6):
        make_position(session, f"P{n}")
    session.commit()
    app.config["ELEARN_PAGE_SIZE"] = 3
    first = body(client.get("/admin/jabatan"))
    following = re.search(r'href="([^"]*setelah=\d+[^"]*)" rel="next"', first).group(1).replace("&amp;", "&")
    assert "Jabatan P2" in body(client.get(following))


def standing(session: Session, person: Person) -> tuple[int, Decimal] | None:
    session.expire_all()
    row = session.get(CompetencyStanding, person.id)
    return None if row is None else (row.required_total, row.jpm)


def test_admin_sets_changes_and_removes_a_required_level_and_standings_follow(client, session, office):
    url = f"/admin/jabatan/{office.analis.id}/standar"
    integritas = by_code(session, "M.01")
    response = client.post_form(url, {"competency": str(integritas.id), "level": "3"})
    assert response.status_code == 302
    assert standing(session, office.employee) == (3, Decimal("0.00"))
    client.post_form(url, {"competency": str(office.technical.id), "level": "2"})
    assert standing(session, office.employee) == (5, Decimal("0.00"))
    client.post_form(url, {"competency": str(integritas.id), "level": "4"})
    assert standing(session, office.employee) == (6, Decimal("0.00"))
    page = body(client.get(url))
    assert "M.01</a> Integritas" in page and "Hapus T.SIK.01" in page
    removed = client.post_form(f"{url}/{integritas.id}/hapus")
    assert removed.status_code == 302
    assert standing(session, office.employee) == (2, Decimal("0.00"))
    client.post_form(f"{url}/{office.technical.id}/hapus")
    assert standing(session, office.employee) is None
    actions = [e.action for e in entries(session, "standard.set")] + [
        e.action for e in entries(session, "standard.removed")
    ]
    assert actions == ["standard.set"] * 3 + ["standard.removed"] * 2
    changed = entries(session, "standard.set")[2]
    assert changed.detail["changes"] == {"required_level": {"old": 3, "new": 4}}
    assert changed.detail["competency"]["code"] == "M.01"


def test_standard_form_refuses_unknown_competency_and_bad_level(client, session, office):
    url = f"/admin/jabatan/{office.analis.id}/standar"
    unknown = client.post_form(url, {"competency": "999999", "level": "3"})
    assert unknown.status_code == 400 and "Pilih kompetensi dari daftar." in body(unknown)
    bad_level = client.post_form(url, {"competency": str(office.technical.id), "level": "7"})
    assert bad_level.status_code == 400 and "Pilih level 1 sampai 5." in body(bad_level)
    assert session.scalars(select(PositionStandard)).all() == []


def test_removing_an_unknown_or_absent_competency_changes_nothing(client, session, office):
    url = f"/admin/jabatan/{office.analis.id}/standar"
    unknown = client.post_form(f"{url}/999999/hapus")
    assert unknown.status_code == 400 and "Pilih kompetensi dari daftar." in body(unknown)
    absent = client.post_form(f"{url}/{office.technical.id}/hapus", follow_redirects=True)
    assert absent.status_code == 200 and "Tidak ada yang diubah." in body(absent)
    assert entries(session, "standard.removed") == []


def test_standard_form_without_csrf_token_changes_nothing(client, session, office):
    response = client.post(
        f"/admin/jabatan/{office.analis.id}/standar",
        data={"competency": str(office.technical.id), "level": "3"},
    )
    assert response.status_code == 400
    assert session.scalars(select(PositionStandard)).all() == []


def test_unknown_position_is_404(client, office):
    assert client.get("/admin/jabatan/999999/standar").status_code == 404
    assert (
        client.post_form("/admin/jabatan/999999/standar", {"competency": "1", "level": "3"}).status_code
        == 404
    )


# Uploads.


def upload(client, url: str, name: str, text: str, *, check_only: bool = False):  # noqa: ANN001, ANN201
    data: dict[str, object] = {"file": (io.BytesIO(text.encode()), name)}
    if check_only:
        data["periksa"] = "1"
    return client.post_form(url, data, content_type="multipart/form-data")


FRAMEWORK_CSV = (
    "kode;nama;definisi;level_1;level_2;level_3;level_4;level_5\n"
    "T.PBJ.01;Pengadaan;Merencanakan pengadaan;1;2;3;4;5\n"
    "M.01;Integritas versi kami;D;1;2;3;4;5\n"
    "T.PBJ.02;;D;1;2;3;4;5\n"
)


def test_framework_upload_shows_located_problems_and_saves_nothing(client, session, office):
    response = upload(client, "/admin/kompetensi/impor", "kompetensi.csv", FRAMEWORK_CSV)
    assert response.status_code == 400
    page = body(response)
    assert "Impor ditolak: 1 masalah" in page
    assert '<td data-label="Baris">4</td>' in page and '<td data-label="Kolom">nama</td>' in page
    assert by_code(session, "T.PBJ.01") is None


def test_framework_upload_names_dictionary_clash_by_row(client, session, office):
    text = FRAMEWORK_CSV.replace("T.PBJ.02;;", "T.PBJ.02;Nama;")
    page = body(upload(client, "/admin/kompetensi/impor", "kompetensi.csv", text))
    assert '<td data-label="Baris">3</td>' in page and "kamus nasional" in page
    assert by_code(session, "M.01").name == "Integritas"


def test_framework_upload_check_only_then_import(client, session, office):
    text = FRAMEWORK_CSV.splitlines()[0] + "\n" + FRAMEWORK_CSV.splitlines()[1] + "\n"
    checked = upload(client, "/admin/kompetensi/impor", "kompetensi.csv", text, check_only=True)
    assert checked.status_code == 200 and "belum ada yang disimpan" in body(checked)
    assert by_code(session, "T.PBJ.01") is None
    done = upload(client, "/admin/kompetensi/impor", "kompetensi.csv", text)
    assert done.status_code == 200 and "1 baru" in body(done)
    assert by_code(session, "T.PBJ.01") is not None
    assert len(entries(session, "import-framework")) == 1


def test_standards_upload_from_yaml_replaces_the_standard_and_rebuilds_standings(client, session, office):
    text = (
        "standar:\n  - {kode_jabatan: ANALIS, kode_kompetensi: M.01, level: 3}\n"
        "  - {kode_jabatan: ANALIS, kode_kompetensi: T.SIK.01, level: 2}\n"
    )
    response = upload(client, "/admin/jabatan/impor", "skj.yml", text)
    assert response.status_code == 200, body(response)
    assert "2 baru" in body(response)
    assert standing(session, office.employee) == (5, Decimal("0.00"))
    assert len(entries(session, "import-standards")) == 1


def test_standards_upload_with_unknown_codes_names_entry_and_field(client, session, office):
    text = "standar:\n  - kode_jabatan: TIDAKADA\n    kode_kompetensi: M.01\n    level: 3\n"
    page = body(upload(client, "/admin/jabatan/impor", "skj.yaml", text))
    assert "entri 1, kode_jabatan" in page and "Jabatan dengan kode ini tidak ada" in page


def test_upload_without_a_file_is_refused(client, office):
    response = client.post_form("/admin/jabatan/impor", {})
    assert response.status_code == 400 and "Pilih berkas CSV atau YAML" in body(response)


# Statement budgets: whatever the number of rows, each page costs the same few statements.


def test_every_page_stays_within_its_statement_budget(app, client, session, office):
    for n in range(30):
        _technical(session, f"T.X.{n:02}")
        make_position(session, f"POS{n}")
    for competency in session.scalars(select(Competency)).all()[:20]:
        session.add(
            PositionStandard(position_id=office.analis.id, competency_id=competency.id, required_level=2)
        )
    session.commit()
    budgets = {
        "/admin/kompetensi": 3,
        "/admin/kompetensi?jenis=teknis&q=T.X": 3,
        f"/admin/kompetensi/{office.technical.id}": 3,
        "/admin/kompetensi/baru": 1,
        f"/admin/kompetensi/{office.technical.id}/ubah": 3,
        "/admin/kompetensi/impor": 1,
        "/admin/jabatan": 4,
        "/admin/jabatan?q=POS": 4,
        f"/admin/jabatan/{office.analis.id}/standar": 5,
        "/admin/jabatan/impor": 1,
    }
    spent = {url: len(page_statements(app, client, url)) for url in budgets}
    assert {url: count for url, count in spent.items() if count > budgets[url]} == {}


# Everyone else: 404, like pages that do not exist.

ADMIN_URLS = [
    "/admin/kompetensi",
    "/admin/kompetensi/{competency}",
    "/admin/kompetensi/baru",
    "/admin/kompetensi/{competency}/ubah",
    "/admin/kompetensi/impor",
    "/admin/jabatan",
    "/admin/jabatan/{position}/standar",
    "/admin/jabatan/impor",
]
ADMIN_POSTS = [
    "/admin/kompetensi/baru",
    "/admin/kompetensi/{competency}/ubah",
    "/admin/kompetensi/impor",
    "/admin/jabatan/{position}/standar",
    "/admin/jabatan/{position}/standar/{competency}/hapus",
    "/admin/jabatan/impor",
]


@pytest.mark.parametrize(
    "roles", [("employee",), ("employee", "supervisor"), ("employee", "mentor", "trainer")]
)
def test_everyone_but_admins_gets_404_on_every_framework_page(client, session, office, roles):
    other = make_person(session, roles=roles)
    session.commit()
    login(client, other)
    ids = {"competency": office.technical.id, "position": office.analis.id}
    for url in ADMIN_URLS:
        assert client.get(url.format(**ids)).status_code == 404, url
    for url in ADMIN_POSTS:
        assert (
            client.post_form(
                url.format(**ids), {"competency": str(office.technical.id), "level": "3"}
            ).status_code
            == 404
        ), url
    assert session.scalars(select(PositionStandard)).all() == []


def test_signed_out_visitors_are_sent_to_sign_in(app, office):
    anonymous = app.test_client()
    response = anonymous.get("/admin/kompetensi")
    assert response.status_code == 302
    assert "/masuk" in response.headers["Location"]


def test_admin_home_links_to_the_framework_and_standards(client, office):
    page = body(client.get("/admin/"))
    assert 'href="/admin/kompetensi"' in page and 'href="/admin/jabatan"' in page


def test_the_audit_log_reads_framework_changes_in_words(client, session, office):
    url = f"/admin/jabatan/{office.analis.id}/standar"
    client.post_form(url, {"competency": str(office.technical.id), "level": "3"})
    upload(client, "/admin/jabatan/impor", "skj.csv", "kode_jabatan;kode_kompetensi;level\nANALIS;M.01;2\n")
    page = body(client.get("/admin/audit"))
    assert (
        "Level standar kompetensi jabatan ditetapkan" in page and "Standar kompetensi jabatan diimpor" in page
    )
    assert "Pengelolaan SIAK (T.SIK.01)" in page and "Jabatan ANALIS (ANALIS)" in page
    assert "skj.csv" in page and "1 baru, 0 diubah, 0 tetap. 1 dihapus." in page
