"""Reading framework and SKJ files, CSV and YAML: every problem located by row and column or entry and field."""

from __future__ import annotations

from elearn.competency.files import (
    FRAMEWORK_COLUMNS,
    CompetencyFile,
    FrameworkRecord,
    StandardRecord,
    parse_framework,
    parse_standards,
)
from elearn.orgdata import Limits

LIMITS = Limits(max_bytes=100_000, max_rows=100, max_field=200)
HEADER = "kode;nama;jenis;definisi;level_1;level_2;level_3;level_4;level_5;indikator_1;indikator_3"
ROW = 'T.SIK.01;Pengelolaan SIAK;teknis;Mengelola data kependudukan;L1;L2;L3;L4;L5;Mencatat;"Memeriksa; Melapor"'

FRAMEWORK_YAML = """\
kompetensi:
  - kode: T.SIK.01
    nama: Pengelolaan SIAK
    jenis: teknis
    definisi: >
      Mengelola data
      kependudukan
    level_1: Memahami dasar
    level_2: L2
    level_3: L3
    level_4: L4
    level_5: L5
    indikator_1:
      - Mencatat
      - Memeriksa
  - kode: 1.10
    nama: Kode angka
    definisi: D
    level_1: L1
    level_2: L2
    level_3: L3
    level_4: L4
    level_5: L5
"""


def framework(
    text: str, source: str = "kompetensi.csv", limits: Limits = LIMITS
) -> CompetencyFile[FrameworkRecord]:
    return parse_framework(text.encode(), source=source, limits=limits)


def standards(text: str, source: str = "skj.csv") -> CompetencyFile[StandardRecord]:
    return parse_standards(text.encode(), source=source, limits=LIMITS)


def located(
    parsed: CompetencyFile[FrameworkRecord] | CompetencyFile[StandardRecord],
) -> list[tuple[int | None, str]]:
    return [(p.row, p.column) for p in parsed.problems]


def test_framework_csv_row_becomes_a_record_with_five_levels_and_indicators() -> None:
    parsed = framework(f"{HEADER}\n{ROW}\n")
    assert not parsed.problems and parsed.format == "csv"
    (record,) = parsed.records
    assert (record.code, record.name, record.kind) == ("T.SIK.01", "Pengelolaan SIAK", "teknis")
    assert [level.description for level in record.levels] == ["L1", "L2", "L3", "L4", "L5"]
    assert record.levels[0].indicators == ("Mencatat",)
    assert record.levels[2].indicators == ("Memeriksa", "Melapor")
    assert record.levels[1].indicators == ()


def test_framework_csv_problems_name_row_and_column_and_keep_no_record() -> None:
    rows = [
        ROW,
        "M.01;Integritas;manajerial;D;1;2;3;4;5;;",
        "T.SIK.02;;teknis;D;1;2;;4;5;;",
        "t.sik.01;Lagi;;D;1;2;3;4;5;;",
        "bad code!;Nama;lain;D;1;2;3;4;5;;",
    ]
    parsed = framework(HEADER + "\n" + "\n".join(rows) + "\n")
    assert parsed.records == ()
    assert located(parsed) == [
        (3, "jenis"),
        (4, "nama"),
        (4, "level_3"),
        (5, "kode"),
        (6, "kode"),
        (6, "jenis"),
    ]
    reasons = {(p.row, p.column): p.reason for p in parsed.problems}
    assert "kamus nasional" in reasons[(3, "jenis")]
    assert reasons[(4, "nama")] == "Wajib diisi."
    assert "baris 2" in reasons[(5, "kode")]


def test_framework_csv_header_must_hold_the_required_columns() -> None:
    parsed = framework("kode;nama;level_1\nT.1;Nama;L1\n")
    missing = {p.column for p in parsed.problems}
    assert {"definisi", "level_2", "level_5"} <= missing and all(p.row == 1 for p in parsed.problems)


def test_framework_csv_must_be_utf8_located_by_row_and_column() -> None:
    data = (f"{HEADER}\n" + ROW.replace("Pengelolaan", "Pengelolaan Caf\xe9")).encode("cp1252")
    parsed = parse_framework(data, source="kompetensi.csv", limits=LIMITS)
    (found,) = parsed.problems
    assert (found.row, found.column) == (2, "nama") and "UTF-8" in found.reason


def test_framework_cells_may_be_longer_than_other_import_cells() -> None:
    long_definition = "kata " * 150
    parsed = framework(
        f"{HEADER}\n" + ROW.replace("Mengelola data kependudukan", long_definition.strip()) + "\n"
    )
    assert not parsed.problems and len(parsed.records[0].definition) > LIMITS.max_field


def test_framework_yaml_reads_text_as_written_and_lists_of_indicators() -> None:
    parsed = framework(FRAMEWORK_YAML, source="kompetensi.yml")
    assert not parsed.problems and parsed.format == "yaml"
    first, second = parsed.records
    assert first.definition == "Mengelola data kependudukan"
    assert first.levels[0].indicators == ("Mencatat", "Memeriksa")
    assert second.code == "1.10", "a YAML number stays the text written"
    assert second.kind == "teknis"


def test_framework_yaml_problems_name_line_entry_and_field() -> None:
    text = FRAMEWORK_YAML.replace("    level_3: L3\n", "    level_3:\n", 1).replace(
        "jenis: teknis", "jenis: manajerial"
    )
    parsed = framework(text + "  - kode: T.SIK.01\n    nama: Dua kali\n", source="kompetensi.yaml")
    found = [(p.row, p.column) for p in parsed.problems]
    assert (4, "entri 1, jenis") in found
    assert (10, "entri 1, level_3") in found
    assert (24, "entri 3, definisi") in found
    assert parsed.records == ()


def test_framework_yaml_broken_syntax_names_the_line() -> None:
    parsed = framework("kompetensi:\n  - kode: A\n   nama: [x\n", source="k.yml")
    (found,) = parsed.problems
    assert found.row is not None and "YAML rusak" in found.reason


def test_framework_yaml_without_the_list_is_refused() -> None:
    parsed = framework("judul: kompetensi\n", source="k.yml")
    assert "kompetensi:" in parsed.problems[0].reason


def test_framework_yaml_aliases_are_refused() -> None:
    text = FRAMEWORK_YAML.replace("    level_2: L2\n", "    level_2: &teks L2\n", 1).replace(
        "    level_4: L4\n", "    level_4: *teks\n", 1
    )
    parsed = framework(text, source="k.yml")
    assert [p.column for p in parsed.problems] == ["entri 1, level_4"]


def test_framework_yaml_unknown_field_is_a_warning() -> None:
    parsed = framework(
        FRAMEWORK_YAML.replace("    level_2: L2\n", "    level_2: L2\n    is_admin: ya\n", 1), source="k.yml"
    )
    assert not parsed.problems
    assert [w.column for w in parsed.warnings] == ["entri 1, is_admin"]


def test_framework_yaml_must_be_utf8() -> None:
    data = FRAMEWORK_YAML.replace("Kode angka", "Caf\xe9").encode("cp1252")
    (found,) = parse_framework(data, source="k.yml", limits=LIMITS).problems
    assert found.row == 17 and "UTF-8" in found.reason


def test_standards_csv_checks_level_and_duplicate_pairs() -> None:
    text = (
        "kode_jabatan,kode_kompetensi,level\n"
        "ANALIS,M.01,3\n"
        "ANALIS,M.02,6\n"
        "ANALIS,M.01,2\n"
        "PRANATA,M.01,tiga\n"
        ",M.01,2\n"
    )
    parsed = standards(text)
    assert located(parsed) == [(3, "level"), (4, "kode_kompetensi"), (5, "level"), (6, "kode_jabatan")]
    assert "baris 2" in parsed.problems[1].reason


def test_standards_yaml_entries_become_records() -> None:
    parsed = standards(
        "standar:\n  - {kode_jabatan: ANALIS, kode_kompetensi: M.01, level: 3}\n"
        "  - kode_jabatan: ANALIS\n    kode_kompetensi: T.1\n    level: '2'\n",
        source="skj.yml",
    )
    assert not parsed.problems
    assert [(r.position_code, r.competency_code, r.level) for r in parsed.records] == [
        ("ANALIS", "M.01", 3),
        ("ANALIS", "T.1", 2),
    ]


def test_empty_files_are_refused() -> None:
    assert standards("kode_jabatan;kode_kompetensi;level\n").problems
    assert standards("standar: []\n", source="skj.yml").problems


def test_every_framework_column_is_known_to_the_yaml_reader() -> None:
    entry = "\n".join(f"    {column}: x" for column in FRAMEWORK_COLUMNS).replace("    kode", "  - kode", 1)
    parsed = framework("kompetensi:\n" + entry + "\n", source="k.yml")
    assert not parsed.warnings


def _doc_samples() -> dict[str, list[str]]:
    """The code blocks of the "Framework and SKJ files" section of docs/competency.md, by language."""
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "competency.md").read_text(encoding="utf-8")
    section = text.split("## Framework and SKJ files", 1)[1].split("\n## ", 1)[0]
    found: dict[str, list[str]] = {}
    for language, body in re.findall(r"```(csv|yaml)\n(.*?)```", section, re.S):
        found.setdefault(language, []).append(body)
    return found


def test_the_documented_samples_read_without_problems() -> None:
    samples = _doc_samples()
    (framework_csv, standards_csv), (framework_yaml, standards_yaml) = samples["csv"], samples["yaml"]
    assert len(framework(framework_csv).records) == 2
    yaml_framework = framework(framework_yaml, source="kompetensi.yml")
    assert not yaml_framework.problems and yaml_framework.records[0].levels[0].indicators == (
        "Menjelaskan jenis dokumen",
        "Menyebut sumber data",
    )
    assert len(standards(standards_csv).records) == 6
    assert len(standards(standards_yaml, source="skj.yml").records) == 3
