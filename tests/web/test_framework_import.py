"""Framework and SKJ imports on a real database: all or nothing, idempotent, dictionary codes protected, standings
rebuilt, audited; and their `flask elearn competency` commands."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from elearn.competency.files import parse_framework, parse_standards
from elearn.models import AuditEntry, Competency, CompetencyStanding, Person, PositionStandard
from elearn.orgdata import Limits
from elearn.services.competency import seed_dictionary
from elearn.services.framework_import import (
    FrameworkCounts,
    FrameworkImportReport,
    StandardCounts,
    import_framework,
    import_standards,
)
from tests.factories import login, make_person, make_position, valid_nip
from tests.web.org_files import run

FRAMEWORK = (
    "kode;nama;definisi;level_1;level_2;level_3;level_4;level_5;indikator_2\n"
    'T.SIK.01;Pengelolaan SIAK;Mengelola data kependudukan;Dasar;Cakap;Mahir;Ahli;Pakar;"Mencatat; Memeriksa"\n'
    "T.SIK.02;Pelayanan Dokumen;Menerbitkan dokumen;D1;D2;D3;D4;D5;\n"
)


def framework(
    app: Flask, session: Session, text: str, *, source: str = "kompetensi.csv", dry_run: bool = False
) -> FrameworkImportReport:
    parsed = parse_framework(text.encode(), source=source, limits=Limits.from_config(app.config))
    report = import_framework(session, parsed, dry_run=dry_run)
    session.commit() if report.applied else session.rollback()
    return report


def standards(
    app: Flask, session: Session, text: str, *, source: str = "skj.csv", dry_run: bool = False
) -> FrameworkImportReport:
    parsed = parse_standards(text.encode(), source=source, limits=Limits.from_config(app.config))
    report = import_standards(session, parsed, dry_run=dry_run)
    session.commit() if report.applied else session.rollback()
    return report


def competencies(session: Session) -> dict[str, Competency]:
    session.expire_all()
    rows = session.scalars(select(Competency).options(selectinload(Competency.levels)))
    return {row.code: row for row in rows}


def standard_of(session: Session, position_id: int) -> dict[str, int]:
    rows = session.execute(
        select(Competency.code, PositionStandard.required_level)
        .join(Competency, Competency.id == PositionStandard.competency_id)
        .where(PositionStandard.position_id == position_id)
    )
    return dict(rows.all())


def test_framework_import_creates_technical_competencies_then_changes_nothing(app, session):
    report = framework(app, session, FRAMEWORK)
    assert not report.refused and report.counts == FrameworkCounts(created=2)
    stored = competencies(session)["T.SIK.01"]
    assert (stored.kind, stored.source, stored.definition) == (
        "teknis",
        "admin",
        "Mengelola data kependudukan",
    )
    assert [level.description for level in stored.levels] == ["Dasar", "Cakap", "Mahir", "Ahli", "Pakar"]
    assert stored.levels[1].indicators == ["Mencatat", "Memeriksa"]
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "import-framework")).all()
    assert len(entries) == 1 and entries[0].detail["counts"]["competencies"]["created"] == 2

    again = framework(app, session, FRAMEWORK)
    assert again.counts == FrameworkCounts(unchanged=2)
    changed = framework(app, session, FRAMEWORK.replace("Pakar", "Pakar utama"))
    assert changed.counts == FrameworkCounts(updated=1, unchanged=1)
    assert competencies(session)["T.SIK.01"].levels[4].description == "Pakar utama"


def test_framework_dry_run_counts_and_writes_nothing(app, session):
    report = framework(app, session, FRAMEWORK, dry_run=True)
    assert report.counts == FrameworkCounts(created=2) and not report.applied
    assert competencies(session) == {}


def test_framework_import_refuses_dictionary_and_course_codes_naming_the_row(app, session):
    seed_dictionary(session)
    session.add(Competency(code="T.KURSUS", kind="teknis", name="Dari kursus", source="siak-dasar"))
    session.commit()
    text = (
        FRAMEWORK + "M.01;Integritas versi kami;D;1;2;3;4;5;\nT.KURSUS;X;D;1;2;3;4;5;\nm.02;Y;D;1;2;3;4;5;\n"
    )
    framework(app, session, FRAMEWORK)
    report = framework(app, session, text)
    assert report.refused
    assert [(p.row, p.column) for p in report.problems] == [(4, "kode"), (5, "kode"), (6, "kode")]
    assert "kamus nasional" in report.problems[0].reason
    assert "siak-dasar" in report.problems[1].reason
    assert "huruf besar/kecil" in report.problems[2].reason
    stored = competencies(session)
    assert stored["M.01"].name == "Integritas" and stored["M.01"].source == "dictionary"


def test_framework_import_from_yaml(app, session):
    text = """\
kompetensi:
  - kode: T.PBJ.01
    nama: Pengadaan Barang/Jasa
    definisi: Merencanakan dan melaksanakan pengadaan
    level_1: Memahami
    level_2: Menerapkan
    level_3: Menganalisis
    level_4: Mengevaluasi
    level_5: Menciptakan
    indikator_5: [Merancang kebijakan, Membina]
"""
    report = framework(app, session, text, source="kompetensi.yml")
    assert report.counts == FrameworkCounts(created=1)
    assert competencies(session)["T.PBJ.01"].levels[4].indicators == ["Merancang kebijakan", "Membina"]


def _framework_ready(app: Flask, session: Session) -> None:
    seed_dictionary(session)
    session.commit()
    framework(app, session, FRAMEWORK)


def test_standards_import_replaces_the_standard_of_each_named_position_only(app, session):
    _framework_ready(app, session)
    analis, pranata, untouched = (
        make_position(session, "ANALIS"),
        make_position(session, "PRANATA"),
        make_position(session, "LAIN"),
    )
    session.add(
        PositionStandard(
            position_id=analis.id, competency_id=competencies(session)["M.08"].id, required_level=4
        )
    )
    session.add(
        PositionStandard(
            position_id=untouched.id, competency_id=competencies(session)["M.01"].id, required_level=2
        )
    )
    session.commit()
    text = "kode_jabatan;kode_kompetensi;level\nANALIS;M.01;3\nANALIS;T.SIK.01;2\nPRANATA;M.01;2\n"
    report = standards(app, session, text)
    assert report.counts == StandardCounts(positions=2, positions_changed=2, created=3, removed=1)
    assert standard_of(session, analis.id) == {"M.01": 3, "T.SIK.01": 2}
    assert standard_of(session, pranata.id) == {"M.01": 2}
    assert standard_of(session, untouched.id) == {"M.01": 2}
    assert len(session.scalars(select(AuditEntry).where(AuditEntry.action == "import-standards")).all()) == 1

    again = standards(app, session, text)
    assert again.counts == StandardCounts(positions=2, unchanged=3)
    changed = standards(app, session, text.replace("ANALIS;M.01;3", "ANALIS;M.01;4"))
    assert changed.counts == StandardCounts(positions=2, positions_changed=1, updated=1, unchanged=2)


def test_standards_import_rebuilds_the_standing_of_holders_in_the_same_transaction(app, session):
    _framework_ready(app, session)
    analis = make_position(session, "ANALIS")
    holder = make_person(session)
    holder.position_id = analis.id
    session.commit()
    standards(app, session, "kode_jabatan;kode_kompetensi;level\nANALIS;M.01;3\nANALIS;M.02;2\n")
    standing = session.get(CompetencyStanding, holder.id)
    assert standing is not None and (standing.required_total, standing.gaps, standing.jpm) == (
        5,
        2,
        Decimal("0.00"),
    )
    standards(app, session, "kode_jabatan;kode_kompetensi;level\nANALIS;M.01;4\n")
    session.expire_all()
    assert session.get(CompetencyStanding, holder.id).required_total == 4


def test_standards_import_with_unknown_codes_writes_nothing_and_names_each(app, session):
    _framework_ready(app, session)
    analis = make_position(session, "ANALIS")
    session.commit()
    text = "kode_jabatan;kode_kompetensi;level\nANALIS;M.01;3\nTIDAKADA;M.01;2\nANALIS;m.02;2\nANALIS;X.9;1\n"
    report = standards(app, session, text)
    assert [(p.row, p.column) for p in report.problems] == [
        (3, "kode_jabatan"),
        (4, "kode_kompetensi"),
        (5, "kode_kompetensi"),
    ]
    assert "M.02" in report.problems[1].reason
    assert standard_of(session, analis.id) == {}


def test_standards_import_from_yaml_names_entry_and_field(app, session):
    _framework_ready(app, session)
    make_position(session, "ANALIS")
    session.commit()
    text = (
        "standar:\n  - kode_jabatan: ANALIS\n    kode_kompetensi: M.01\n    level: 3\n"
        "  - kode_jabatan: ANALIS\n    kode_kompetensi: TIDAK\n    level: 2\n"
    )
    report = standards(app, session, text, source="skj.yaml")
    (found,) = report.problems
    assert (found.row, found.column) == (6, "entri 2, kode_kompetensi")


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_cli_imports_framework_and_standards_with_dry_run_first(app, session, tmp_path):
    seed_dictionary(session)
    make_position(session, "ANALIS")
    session.commit()
    runner = app.test_cli_runner()
    framework_file = _write(tmp_path, "kompetensi.csv", FRAMEWORK)
    dry = runner.invoke(args=["elearn", "competency", "import-framework", framework_file, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "2 baru" in dry.output and "tidak ada yang disimpan" in dry.output
    assert "T.SIK.01" not in competencies(session)
    done = runner.invoke(args=["elearn", "competency", "import-framework", framework_file])
    assert done.exit_code == 0 and "Impor selesai." in done.output
    skj = _write(
        tmp_path, "skj.yml", "standar:\n  - {kode_jabatan: ANALIS, kode_kompetensi: T.SIK.01, level: 3}\n"
    )
    result = runner.invoke(args=["elearn", "competency", "import-standards", skj])
    assert result.exit_code == 0, result.output
    assert "1 baru" in result.output


def test_cli_refused_import_prints_located_problems_and_exits_1(app, session, tmp_path):
    skj = _write(tmp_path, "skj.csv", "kode_jabatan;kode_kompetensi;level\nTIDAKADA;M.01;9\n")
    result = app.test_cli_runner().invoke(args=["elearn", "competency", "import-standards", skj])
    assert result.exit_code == 1
    assert "skj.csv:2:level: Level harus bilangan bulat 1 sampai 5." in result.output
    assert "Impor ditolak: 1 masalah" in result.output


# Standings follow a change of a person's position: by the admin's edit, and by the organisation import.


def _two_positions_with_standards(session: Session) -> tuple[int, int]:
    seed_dictionary(session)
    by_code = {c.code: c.id for c in session.scalars(select(Competency))}
    kabid, peng = make_position(session, "KABID"), make_position(session, "PENG")
    session.add_all(
        [
            PositionStandard(position_id=kabid.id, competency_id=by_code["M.01"], required_level=4),
            PositionStandard(position_id=kabid.id, competency_id=by_code["M.02"], required_level=3),
            PositionStandard(position_id=peng.id, competency_id=by_code["M.01"], required_level=2),
        ]
    )
    session.flush()
    return kabid.id, peng.id


def _standing_row(session: Session, person_id: int) -> tuple[int, int] | None:
    session.expire_all()
    standing = session.get(CompetencyStanding, person_id)
    return None if standing is None else (standing.position_id, standing.required_total)


def test_admin_edit_of_a_persons_position_rebuilds_their_standing(client, session):
    kabid, peng = _two_positions_with_standards(session)
    admin = make_person(session, roles=("employee", "admin"))
    person = make_person(session, name="Siti Rahmawati")
    session.commit()
    login(client, admin)
    form = {"name": person.name, "email": "", "unit": "", "roles": ["employee"], "active": "y"}
    response = client.post_form(f"/admin/orang/{person.id}/ubah", {**form, "position": str(kabid)})
    assert response.status_code == 302
    assert _standing_row(session, person.id) == (kabid, 7)
    client.post_form(f"/admin/orang/{person.id}/ubah", {**form, "position": str(peng)})
    assert _standing_row(session, person.id) == (peng, 2)
    client.post_form(f"/admin/orang/{person.id}/ubah", {**form, "position": ""})
    assert _standing_row(session, person.id) is None


def test_org_import_of_people_rebuilds_the_standing_of_new_and_moved_people(app, session):
    kabid, peng = _two_positions_with_standards(session)
    session.commit()
    nip_a, nip_b = valid_nip(), valid_nip()
    people = f"nip;nama;kode_jabatan\n{nip_a};Budi;KABID\n{nip_b};Siti;\n"
    assert not run(app, session, people=people).refused
    budi = session.scalar(select(Person).where(Person.nip == nip_a))
    siti = session.scalar(select(Person).where(Person.nip == nip_b))
    assert _standing_row(session, budi.id) == (kabid, 7)
    assert _standing_row(session, siti.id) is None

    moved = f"nip;nama;kode_jabatan\n{nip_a};Budi;PENG\n{nip_b};Siti;KABID\n"
    assert not run(app, session, people=moved).refused
    assert _standing_row(session, budi.id) == (peng, 2)
    assert _standing_row(session, siti.id) == (kabid, 7)

    without_positions = f"nip;nama\n{nip_a};Budi Santoso\n"
    assert not run(app, session, people=without_positions).refused
    assert _standing_row(session, budi.id) == (peng, 2), "a file without kode_jabatan leaves positions alone"
