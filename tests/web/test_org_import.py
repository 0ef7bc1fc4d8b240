"""Organisation import on a real database: all or nothing, idempotent, the unit tree, mentorships, the CLI."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from elearn.export import csv_response, xlsx_response
from elearn.models import AuditEntry, Mentorship, Person, Unit
from elearn.people.nip import make_nip
from elearn.services.org_import import KindCounts, import_org
from tests.factories import login, make_mentorship, make_person, make_unit, valid_nip
from tests.progress_support import RecordingProgress
from tests.statements import counted_statements
from tests.web.org_files import (
    MENTORSHIPS,
    NIP_A,
    NIP_B,
    NIP_C,
    NIP_D,
    PEOPLE,
    POSITIONS,
    UNITS,
    count,
    email_taken_before_people_are_written,
    make_mentorship_people,
    parse,
    run,
)


def test_import_org_creates_tree_people_and_heads(app, session):
    report = run(app, session, units=UNITS, positions=POSITIONS, people=PEOPLE)
    assert not report.refused
    assert report.counts["units"] == KindCounts(created=3)
    assert report.counts["people"] == KindCounts(created=2)
    units = {u.code: u for u in session.scalars(select(Unit))}
    assert units["BID-1"].path == f"/{units['PEMKOT'].id}/{units['DISDUK'].id}/{units['BID-1'].id}/"
    assert units["BID-1"].depth == 2
    budi = session.scalar(select(Person).where(Person.nip == NIP_A))
    siti = session.scalar(select(Person).where(Person.nip == NIP_B))
    assert units["BID-1"].head_id == budi.id
    assert budi.roles == {"employee", "supervisor"} and budi.password_hash is None
    assert siti.name == 'Siti =HYPERLINK("x")'
    assert siti.position.code == "PENG" and siti.unit.code == "BID-1"
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "import-org")).all()
    assert len(entries) == 1 and entries[0].detail["counts"]["people"]["created"] == 2


def test_import_org_with_three_bad_rows_writes_nothing_and_reports_all(app, session):
    people = (
        "nip;nama;email\n"
        f"{NIP_A};Budi;budi@salatiga.go.id\n"
        "1.98501E+17;Ani;ani@salatiga.go.id\n"
        f"{NIP_B};Siti;bukan-email\n"
        f"{NIP_C};;c@salatiga.go.id\n"
    )
    report = run(app, session, people=people)
    assert report.refused
    assert [(p.row, p.column) for p in report.problems] == [(3, "nip"), (4, "email"), (5, "nama")]
    assert count(session, Person) == 0
    assert count(session, AuditEntry) == 0


def test_import_org_second_time_issues_no_update(app, session):
    run(app, session, units=UNITS, positions=POSITIONS, people=PEOPLE)
    before = {p.nip: p.updated_at for p in session.scalars(select(Person))}
    session.expire_all()
    with counted_statements(app) as statements:
        report = import_org(
            session,
            files=[
                parse(app, "units", UNITS),
                parse(app, "positions", POSITIONS),
                parse(app, "people", PEOPLE),
            ],
            today=date.today(),
        )
        session.flush()
    session.commit()
    assert report.counts == {
        "units": KindCounts(unchanged=3),
        "positions": KindCounts(unchanged=2),
        "people": KindCounts(unchanged=2),
    }
    writes = [s for s in statements if s.lstrip().upper().startswith(("UPDATE", "DELETE"))]
    assert writes == []
    assert {p.nip: p.updated_at for p in session.scalars(select(Person))} == before


def test_import_org_updates_only_changed_fields(app, session):
    run(app, session, units=UNITS, positions=POSITIONS, people=PEOPLE)
    changed = PEOPLE.replace("Budi Santoso", "Budi Santoso, S.Kom.")
    report = run(app, session, people=changed)
    assert report.counts["people"] == KindCounts(updated=1, unchanged=1)
    assert session.scalar(select(Person.name).where(Person.nip == NIP_A)) == "Budi Santoso, S.Kom."


def test_import_org_dry_run_counts_without_writing(app, session):
    report = run(app, session, dry_run=True, units=UNITS, positions=POSITIONS, people=PEOPLE)
    assert report.counts["people"] == KindCounts(created=2)
    assert (count(session, Unit), count(session, Person), count(session, AuditEntry)) == (0, 0, 0)


def test_import_org_reads_semicolon_file_with_bom(app, session):
    report = run(app, session, units=("\ufeff" + UNITS).encode())
    assert report.counts["units"] == KindCounts(created=3)


def test_import_org_refuses_duplicate_header(app, session):
    report = run(app, session, units="kode_unit;nama_unit;nama_unit\nA;B;C\n")
    assert [p.reason for p in report.problems] == [
        "Judul kolom 'nama_unit' muncul dua kali (kolom ke-2 dan ke-3)."
    ]
    assert count(session, Unit) == 0


def test_import_org_refuses_cp1252_file_with_hint(app, session):
    report = run(app, session, people=f"nip;nama\n{NIP_A};Andr\u00e9\n".encode("cp1252"))
    assert "simpan sebagai CSV UTF-8" in report.problems[0].reason
    assert count(session, Person) == 0


def test_import_org_gives_each_excel_damage_its_hint(app, session):
    people = (
        "nip;nama\n1.98501E+17;A\n198501012010011000;B\n'199002152015032002;C\n"
        "19780312 200501 1 003;D\n197803122005011004.0;E\n１９８５０１０１２０１００１１００５;F\n"
    )
    report = run(app, session, people=people)
    hints = [p.reason.split(":")[0] for p in report.problems]
    assert [p.row for p in report.problems] == [2, 3, 4, 5, 6, 7]
    assert "notasi ilmiah" in hints[0]
    assert "berakhiran 000" in hints[1]
    assert "tanda petik" in hints[2]
    assert "spasi" in hints[3]
    assert "'.0'" in hints[4]
    assert "0-9 biasa" in report.problems[5].reason


def test_import_org_refuses_hidden_characters_the_same_on_every_backend(app, session):
    units = (
        "kode_unit;nama_unit\nA;Dinas\x00Sosial\nB;Dinas\u202eSosial\n"
        "C;Dinas\u200bSosial\nD;Dinas\ufeffSosial\n"
    )
    report = run(app, session, units=units.encode())
    assert [(p.row, p.column, p.value) for p in report.problems] == [
        (2, "nama_unit", "Dinas\\x00Sosial"),
        (3, "nama_unit", "Dinas\\u202eSosial"),
        (4, "nama_unit", "Dinas\\u200bSosial"),
        (5, "nama_unit", "Dinas\\ufeffSosial"),
    ]
    assert count(session, Unit) == 0


def test_import_org_ignores_unknown_columns_and_never_maps_them(app, session):
    people = f"nip;nama;password_hash;roles;is_admin\n{NIP_A};Budi;$2b$12$abc;admin;1\n"
    report = run(app, session, people=people)
    assert [w.column for w in report.warnings] == ["password_hash", "roles", "is_admin"]
    person = session.scalar(select(Person).where(Person.nip == NIP_A))
    assert person.password_hash is None and person.roles == {"employee"}


def test_import_org_keeps_admin_role_and_untouched_columns(app, session):
    admin = make_person(session, nip=NIP_A, roles=("employee", "admin"), email="admin@salatiga.go.id")
    session.commit()
    run(app, session, people=f"nip;nama;peran\n{NIP_A};Admin Baru;pegawai\n")
    session.refresh(admin)
    assert admin.roles == {"employee", "admin"}
    assert admin.email == "admin@salatiga.go.id"
    assert admin.name == "Admin Baru"


def test_import_org_refuses_parent_cycle(app, session):
    units = "kode_unit;nama_unit;kode_induk\nA;Unit A;C\nB;Unit B;A\nC;Unit C;B\nD;Unit D;\n"
    report = run(app, session, units=units)
    assert [(p.row, p.column) for p in report.problems] == [
        (2, "kode_induk"),
        (3, "kode_induk"),
        (4, "kode_induk"),
    ]
    assert "A → C → B → A" in report.problems[0].reason
    assert count(session, Unit) == 0


def test_import_org_refuses_cycle_through_database(app, session):
    parent = make_unit(session, "ATAS")
    make_unit(session, "BAWAH", parent=parent)
    session.commit()
    report = run(app, session, units="kode_unit;nama_unit;kode_induk\nATAS;Atas;BAWAH\n")
    assert "lingkaran" in report.problems[0].reason


def test_import_org_moves_unit_and_rewrites_subtree_paths(app, session):
    old_parent = make_unit(session, "LAMA")
    new_parent = make_unit(session, "BARU")
    moved = make_unit(session, "PINDAH", parent=old_parent)
    child = make_unit(session, "ANAK", parent=moved)
    grandchild = make_unit(session, "CUCU", parent=child)
    session.commit()
    report = run(app, session, units="kode_unit;nama_unit;kode_induk\nPINDAH;Unit PINDAH;BARU\n")
    assert report.counts["units"] == KindCounts(updated=1)
    session.expire_all()
    assert grandchild.path == f"/{new_parent.id}/{moved.id}/{child.id}/{grandchild.id}/"
    assert (moved.depth, child.depth, grandchild.depth) == (1, 2, 3)


def test_import_org_refuses_unknown_references_and_taken_email(app, session):
    make_person(session, nip=NIP_C, email="dipakai@salatiga.go.id")
    session.commit()
    people = f"nip;nama;email;kode_unit;kode_jabatan\n{NIP_A};Budi;dipakai@salatiga.go.id;TIDAKADA;JX\n"
    report = run(app, session, people=people, units=f"kode_unit;nama_unit;nip_kepala\nU1;Unit;{NIP_B}\n")
    assert sorted((p.source, p.column) for p in report.problems) == [
        ("people.csv", "email"),
        ("people.csv", "kode_jabatan"),
        ("people.csv", "kode_unit"),
        ("units.csv", "nip_kepala"),
    ]


def test_import_org_queries_in_bulk_not_per_row(app, session):
    nips = [make_nip(date(1980, 1, 1 + n % 28), date(2005, 1 + n % 12, 1), 1, n) for n in range(1, 600)]
    people = "nip;nama\n" + "".join(f"{nip};Pegawai {n}\n" for n, nip in enumerate(nips))
    with counted_statements(app) as statements:
        report = run(app, session, people=people)
    assert report.counts["people"].created == 599
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) < 10


def test_import_cli_prints_problems_and_exits_1(app, session, tmp_path: Path):
    (tmp_path / "pegawai.csv").write_text(f"nip;nama\n{NIP_A};Budi\n1.98E+17;Ani\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(
        args=["elearn", "import-org", "--people", str(tmp_path / "pegawai.csv")]
    )
    assert result.exit_code == 1
    assert "pegawai.csv:3:nip: NIP tertulis dalam notasi ilmiah" in result.output
    assert count(session, Person) == 0


def test_import_cli_applies_and_reports_counts(app, session, tmp_path: Path):
    for name, text in (("u.csv", UNITS), ("j.csv", POSITIONS), ("p.csv", PEOPLE)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    args = [
        "elearn",
        "import-org",
        "--units",
        str(tmp_path / "u.csv"),
        "--positions",
        str(tmp_path / "j.csv"),
        "--people",
        str(tmp_path / "p.csv"),
    ]
    result = app.test_cli_runner().invoke(args=[*args, "--dry-run"])
    assert result.exit_code == 0 and "pegawai: 2 baru, 0 diubah, 0 tetap" in result.output
    assert count(session, Person) == 0
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0 and "Impor selesai." in result.output
    assert count(session, Person) == 2


def test_export_responses_stream_csv_and_write_xlsx_text_as_text(app):
    rows = [["198501012010011001", "=cmd|' /C calc'!A0"]]
    with app.test_request_context():
        csv_resp = csv_response("pegawai.csv", ["nip", "nama"], iter(rows))
        xlsx_resp = xlsx_response("pegawai.xlsx", ["nip", "nama"], iter(rows))
        assert csv_resp.is_streamed and xlsx_resp.is_streamed
        csv_text = csv_resp.get_data(as_text=True)
    assert csv_resp.headers["Content-Disposition"].startswith('attachment; filename="pegawai.csv"')
    assert csv_text == "\ufeffnip,nama\r\n198501012010011001,'=cmd|' /C calc'!A0\r\n"
    workbook = b"".join(xlsx_resp.response)
    xlsx_resp.close()
    assert int(xlsx_resp.headers["Content-Length"]) == len(workbook)
    sheet = zipfile.ZipFile(io.BytesIO(workbook)).read("xl/worksheets/sheet1.xml").decode()
    assert '<c r="B2" t="inlineStr"><is><t>=cmd|\' /C calc\'!A0</t></is></c>' in sheet


def test_import_org_without_parent_column_keeps_units_in_place(app, session):
    parent = make_unit(session, "INDUK")
    child = make_unit(session, "ANAK", parent=parent)
    session.commit()
    report = run(app, session, units="kode_unit;nama_unit\nANAK;Anak Baru\nLAIN;Unit Lain\n")
    assert report.counts["units"] == KindCounts(created=1, updated=1)
    session.expire_all()
    assert (child.parent_id, child.name) == (parent.id, "Anak Baru")


def stored_mentorships(session: Session) -> set[tuple[str, str, date, date | None]]:
    mentor, mentee = Person.__table__.alias(), Person.__table__.alias()
    rows = session.execute(
        select(mentor.c.nip, mentee.c.nip, Mentorship.starts_on, Mentorship.ends_on)
        .join(mentor, mentor.c.id == Mentorship.mentor_id)
        .join(mentee, mentee.c.id == Mentorship.mentee_id)
    )
    return {tuple(row) for row in rows}


def test_import_mentorships_creates_links_and_grants_mentor_role(app, session):
    people = make_mentorship_people(session)
    report = run(app, session, mentorships=MENTORSHIPS)
    assert not report.refused
    assert report.counts["mentorships"] == KindCounts(created=2, roles_granted=1)
    assert stored_mentorships(session) == {
        (NIP_A, NIP_B, date(2020, 1, 6), None),
        (NIP_A, NIP_C, date(2020, 2, 1), date(2021, 12, 31)),
    }
    session.refresh(people[NIP_A])
    assert people[NIP_A].roles == {"employee", "mentor"}
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "import-org"))
    assert entry.detail["counts"]["mentorships"]["roles_granted"] == 1


def test_import_mentorships_second_time_changes_nothing(app, session):
    make_mentorship_people(session)
    run(app, session, mentorships=MENTORSHIPS)
    session.expire_all()
    with counted_statements(app) as statements:
        report = run(app, session, mentorships=MENTORSHIPS)
    assert report.counts["mentorships"] == KindCounts(unchanged=2)
    writes = [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert [w for w in writes if "elearn_audit" not in w] == []
    assert count(session, Mentorship) == 2


def test_import_mentorships_updates_changed_end_date(app, session):
    make_mentorship_people(session)
    run(app, session, mentorships=MENTORSHIPS)
    report = run(app, session, mentorships=MENTORSHIPS.replace("2020-01-06;", "2020-01-06;30/06/2024"))
    assert report.counts["mentorships"] == KindCounts(updated=1, unchanged=1)
    assert (NIP_A, NIP_B, date(2020, 1, 6), date(2024, 6, 30)) in stored_mentorships(session)
    assert count(session, Mentorship) == 2


def test_import_mentorships_without_end_column_keeps_end_dates(app, session):
    make_mentorship_people(session)
    run(app, session, mentorships=MENTORSHIPS)
    report = run(app, session, mentorships=f"nip_mentor;nip_mentee;mulai\n{NIP_A};{NIP_C};2020-02-01\n")
    assert report.counts["mentorships"] == KindCounts(unchanged=1)
    assert (NIP_A, NIP_C, date(2020, 2, 1), date(2021, 12, 31)) in stored_mentorships(session)


def test_import_mentorships_reports_every_bad_row_and_writes_nothing(app, session):
    people = make_mentorship_people(session)
    make_mentorship(session, people[NIP_B], people[NIP_C], starts_on=date(2023, 1, 1))
    session.commit()
    mentorships = (
        "nip_mentor;nip_mentee;mulai;selesai\n"
        f"{NIP_A};{NIP_B};2020-01-06;\n"
        f"{NIP_A};{NIP_D};2020-01-06;\n"
        f"{NIP_A};{NIP_A};2020-01-06;\n"
        f"{NIP_A};{NIP_C};2020-02-01;2020-01-31\n"
        f"{NIP_A};{NIP_B};06/01/2020;\n"
        f"{NIP_A};{NIP_B};2019-01-01;2020-01-06\n"
        f"{NIP_B};{NIP_C};2024-01-01;\n"
    )
    report = run(app, session, people=f"nip;nama\n{NIP_D[:-1]}5;Dewi\n", mentorships=mentorships)
    assert sorted((p.row, p.column) for p in report.problems if p.source == "mentorships.csv") == [
        (3, "nip_mentee"),
        (4, "nip_mentee"),
        (5, "selesai"),
        (6, "mulai"),
        (7, "mulai"),
        (8, "mulai"),
    ]
    reasons = {p.row: p.reason for p in report.problems}
    assert "tidak ada di berkas pegawai maupun di basis data" in reasons[3]
    assert "sama dengan baris 2" in reasons[6]
    assert "tumpang tindih dengan baris 2" in reasons[7]
    assert "tumpang tindih dengan bimbingan tersimpan (mulai 01/01/2023, tanpa tanggal selesai)" in reasons[8]
    assert count(session, Mentorship) == 1
    assert count(session, Person) == 3
    session.refresh(people[NIP_A])
    assert people[NIP_A].roles == {"employee"}


def test_import_mentorships_may_end_a_stored_mentorship_and_start_the_next(app, session):
    make_mentorship_people(session)
    run(app, session, mentorships=MENTORSHIPS)
    next_period = f"{NIP_A};{NIP_B};2024-01-01;\n"
    report = run(
        app, session, mentorships=MENTORSHIPS.replace("2020-01-06;", "2020-01-06;2023-12-31") + next_period
    )
    assert report.counts["mentorships"] == KindCounts(created=1, updated=1, unchanged=1)
    assert {row for row in stored_mentorships(session) if row[1] == NIP_B} == {
        (NIP_A, NIP_B, date(2020, 1, 6), date(2023, 12, 31)),
        (NIP_A, NIP_B, date(2024, 1, 1), None),
    }


def test_import_people_and_mentorships_in_one_run_resolves_new_nips(app, session):
    people = f"nip;nama;peran\n{NIP_A};Budi Santoso;pegawai\n{NIP_B};Siti Aminah;pegawai\n"
    report = run(
        app, session, people=people, mentorships=f"nip_mentor;nip_mentee;mulai\n{NIP_A};{NIP_B};2020-01-06\n"
    )
    assert not report.refused
    assert report.counts["people"] == KindCounts(created=2)
    assert report.counts["mentorships"] == KindCounts(created=1, roles_granted=1)
    budi = session.scalar(select(Person).where(Person.nip == NIP_A))
    assert budi.roles == {"employee", "mentor"}
    assert stored_mentorships(session) == {(NIP_A, NIP_B, date(2020, 1, 6), None)}
    session.expire_all()
    with counted_statements(app) as statements:
        again = run(
            app,
            session,
            people=people,
            mentorships=f"nip_mentor;nip_mentee;mulai\n{NIP_A};{NIP_B};2020-01-06\n",
        )
    assert again.counts == {"people": KindCounts(unchanged=2), "mentorships": KindCounts(unchanged=1)}
    writes = [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert [w for w in writes if "elearn_audit" not in w] == []


def test_imported_mentor_sees_current_mentee_but_not_ended_one(app, session, client):
    people = make_mentorship_people(session)
    run(app, session, mentorships=MENTORSHIPS)
    login(client, people[NIP_A])
    page = client.get("/mentor/").get_data(as_text=True)
    assert "Siti Aminah" in page
    assert "Rina Wulandari" not in page
    assert client.get(f"/mentor/mentee/{people[NIP_C].id}").status_code == 404


def test_import_cli_reads_mentorships_and_reports_granted_roles(app, session, tmp_path: Path):
    make_mentorship_people(session)
    (tmp_path / "bimbingan.csv").write_text(MENTORSHIPS, encoding="utf-8")
    args = ["elearn", "import-org", "--mentorships", str(tmp_path / "bimbingan.csv")]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0
    assert "bimbingan: 2 baru, 0 diubah, 0 tetap, 1 mentor diberi peran mentor" in result.output
    assert count(session, Mentorship) == 2


def test_import_org_reports_check_and_write_progress_per_row(app, session):
    nips = [valid_nip(n) for n in range(1, 1500)]
    people = "nip;nama\n" + "".join(f"{nip};Pegawai {n}\n" for n, nip in enumerate(nips))
    progress = RecordingProgress()
    report = import_org(session, files=[parse(app, "people", people)], today=date.today(), progress=progress)
    session.commit()
    assert report.counts["people"] == KindCounts(created=1499)
    assert progress.stages == [("check", 1499, ""), ("write", 1499, "")]
    assert progress.rows == [1499, 1499]


def test_import_org_dry_run_reports_no_writing(app, session):
    progress = RecordingProgress()
    import_org(
        session, files=[parse(app, "units", UNITS)], today=date.today(), dry_run=True, progress=progress
    )
    assert [stage for stage, _, _ in progress.stages] == ["check"]


def write_files(folder: Path, **texts: str) -> list[str]:
    """The CSV files on disk, as `import-org` options."""
    options = []
    for kind, text in texts.items():
        (folder / f"{kind}.csv").write_text(text, encoding="utf-8")
        options += [f"--{kind}", str(folder / f"{kind}.csv")]
    return options


def test_import_cli_shows_progress_bars_for_reading_checking_and_writing_on_stderr(app, session, tmp_path):
    options = write_files(tmp_path, units=UNITS, positions=POSITIONS, people=PEOPLE)
    dry = app.test_cli_runner().invoke(args=["elearn", "import-org", *options, "--dry-run"])
    assert dry.exit_code == 0
    assert "Membaca units.csv" in dry.stderr and "Membaca people.csv" in dry.stderr
    assert "Memeriksa baris" in dry.stderr and "Menyimpan baris" not in dry.stderr
    assert "Membaca" not in dry.stdout
    result = app.test_cli_runner().invoke(args=["elearn", "import-org", *options])
    assert result.exit_code == 0 and "Menyimpan baris" in result.stderr
    assert "pegawai: 2 baru, 0 diubah, 0 tetap" in result.stdout


def test_import_cli_database_failure_prints_clean_error_and_changes_nothing(app, session, tmp_path):
    people = (
        f"nip;nama;email\n{NIP_A};Budi Santoso;budi@salatiga.go.id\n{NIP_B};Siti Aminah;siti@salatiga.go.id\n"
    )
    options = write_files(tmp_path, people=people)
    with email_taken_before_people_are_written(session, "siti@salatiga.go.id"):
        result = app.test_cli_runner().invoke(args=["elearn", "import-org", *options])
    assert result.exit_code == 1
    assert "Impor gagal karena kesalahan basis data (IntegrityError" in result.stderr
    assert "tidak ada yang disimpan" in result.stderr
    for private in ("Budi", "budi@salatiga.go.id", "Siti", "siti@salatiga.go.id", "Orang Lain"):
        assert private not in result.output
    assert session.scalars(select(Person.nip)).all() == ["197001012000011009"]
    assert count(session, AuditEntry) == 0


def _unit_since(session: Session, nip: str) -> date | None:
    session.expire_all()
    return session.scalar(select(Person.unit_since).where(Person.nip == nip))


def test_import_stamps_the_day_a_person_joins_a_unit_and_keeps_it_while_they_stay(app, session):
    run(app, session, units=UNITS, positions=POSITIONS, people=PEOPLE)
    assert _unit_since(session, NIP_A) == date.today()
    session.execute(update(Person).values(unit_since=date(2020, 5, 4)))
    session.commit()
    run(app, session, units=UNITS, positions=POSITIONS, people=PEOPLE)
    assert _unit_since(session, NIP_A) == date(2020, 5, 4)
    moved = PEOPLE.replace(";BID-1;KABID;", ";DISDUK;KABID;")
    run(app, session, people=moved)
    assert _unit_since(session, NIP_A) == date.today()
    assert _unit_since(session, NIP_B) == date(2020, 5, 4)


def test_import_takes_tmt_unit_from_the_file_and_refuses_a_future_one(app, session):
    with_tmt = (
        PEOPLE.replace("kode_jabatan;peran\n", "kode_jabatan;peran;tmt_unit\n")
        .replace('atasan"\n', 'atasan";01/03/2019\n', 1)
        .replace('mentor"\n', 'mentor";\n', 1)
    )
    run(app, session, units=UNITS, positions=POSITIONS, people=with_tmt)
    assert _unit_since(session, NIP_A) == date(2019, 3, 1)
    assert _unit_since(session, NIP_B) == date.today()
    future = (date.today() + timedelta(days=3)).strftime("%d/%m/%Y")
    report = run(app, session, people=with_tmt.replace("01/03/2019", future))
    assert report.refused
    assert [p.column for p in report.problems] == ["tmt_unit"]
    assert _unit_since(session, NIP_A) == date(2019, 3, 1)
