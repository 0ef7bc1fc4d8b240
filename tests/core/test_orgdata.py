"""Reading import CSV files: encodings, delimiters, headers, limits, hidden characters, per-row problems."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from elearn.orgdata import (
    Limits,
    MentorshipRecord,
    ParsedFile,
    PersonRecord,
    UnitRecord,
    display_value,
    parse_file,
)
from elearn.people.nip import identifier_problem
from tests.progress_support import RecordingProgress

LIMITS = Limits(max_bytes=100_000, max_rows=100, max_field=200)
TODAY = date(2025, 6, 1)
NIP_A = "198501012010011001"
NIP_B = "199002152015032002"
NIP_C = "197803122005011003"
MENTORSHIP_HEADER = "nip_mentor;nip_mentee;mulai;selesai\n"


def parse(kind: str, text: str, *, encoding: str = "utf-8", limits: Limits = LIMITS) -> ParsedFile:
    return parse_file(kind, text.encode(encoding), source=f"{kind}.csv", limits=limits, today=TODAY)


def reasons(parsed: ParsedFile) -> list[tuple[int | None, str, str]]:
    return [(p.row, p.column, p.reason) for p in parsed.problems]


def test_parse_file_reads_semicolon_file_with_bom() -> None:
    parsed = parse(
        "units", "\ufeffkode_unit;nama_unit;kode_induk\nA;Dinas Perhubungan;\nB;Bidang Lalu Lintas;A\n"
    )
    assert parsed.problems == ()
    assert parsed.records == (
        UnitRecord(row=2, code="A", name="Dinas Perhubungan", parent_code=None, head_nip=None),
        UnitRecord(row=3, code="B", name="Bidang Lalu Lintas", parent_code="A", head_nip=None),
    )


def test_parse_file_reads_comma_file_and_quoted_roles() -> None:
    parsed = parse(
        "people", f'nip,nama,peran,aktif,bahasa\n{NIP_A},"Budi, S.Kom","pegawai;mentor",tidak,EN\n'
    )
    assert parsed.problems == ()
    (person,) = parsed.records
    assert isinstance(person, PersonRecord)
    assert (person.name, person.roles, person.active, person.locale) == (
        "Budi, S.Kom",
        frozenset({"employee", "mentor"}),
        False,
        "en",
    )


def test_parse_file_refuses_cp1252_file_with_hint() -> None:
    parsed = parse("people", f"nip;nama\n{NIP_A};Andr\u00e9 Siregar\n", encoding="cp1252")
    assert parsed.records == ()
    assert "simpan sebagai CSV UTF-8" in parsed.problems[0].reason


def test_parse_file_refuses_mojibake_cell_with_hint() -> None:
    broken = "Andr\u00e9".encode().decode("cp1252")
    parsed = parse("people", f"nip;nama\n{NIP_A};{broken}\n")
    assert reasons(parsed) == [(2, "nama", "Huruf tampak rusak (salah encoding); simpan sebagai CSV UTF-8.")]


def test_parse_file_refuses_duplicate_header_naming_both_columns() -> None:
    parsed = parse("units", "kode_unit;nama_unit;Kode_Unit\nA;Dinas;A\n")
    assert parsed.records == ()
    assert reasons(parsed) == [
        (1, "kode_unit", "Judul kolom 'kode_unit' muncul dua kali (kolom ke-1 dan ke-3).")
    ]


def test_parse_file_refuses_missing_required_column() -> None:
    parsed = parse("positions", "kode_jabatan;nama_jabatan\nJ1;Analis\n")
    assert reasons(parsed) == [(1, "jenis", "Kolom wajib 'jenis' tidak ada di baris judul.")]


def test_parse_file_ignores_unknown_columns_with_warning() -> None:
    parsed = parse("people", f"nip;nama;password;role;is_admin\n{NIP_A};Budi;rahasia;admin;1\n")
    assert parsed.problems == ()
    assert [w.column for w in parsed.warnings] == ["password", "role", "is_admin"]
    (person,) = parsed.records
    assert isinstance(person, PersonRecord)
    assert person.roles == frozenset({"employee"})
    assert parsed.columns == frozenset({"nip", "nama"})
    assert all("password" not in cells for _, cells in parsed.sample)


def test_parse_file_never_grants_admin_role() -> None:
    parsed = parse("people", f"nip;nama;peran\n{NIP_A};Budi;admin\n")
    assert parsed.records == ()
    assert reasons(parsed)[0][:2] == (2, "peran")


def test_parse_file_reports_every_bad_row_with_spreadsheet_numbers() -> None:
    text = (
        "nip;nama;email\n"
        f"{NIP_A};Budi;budi@kota.go.id\n"
        "1.98501E+17;Ani;ani@kota.go.id\n"
        f"{NIP_B};;sri@kota.go.id\n"
        "\n"
        f"{NIP_B[:-3]}004;Rina;bukan-email\n"
    )
    parsed = parse("people", text)
    assert [(row, column) for row, column, _ in reasons(parsed)] == [(3, "nip"), (4, "nama"), (6, "email")]
    assert [r.row for r in parsed.records] == [2]


def test_parse_file_names_both_rows_of_duplicate_nip_and_email() -> None:
    text = f"nip;nama;email\n{NIP_A};Budi;b@kota.go.id\n{NIP_B};Sri;B@Kota.go.id\n{NIP_A};Budi lagi;\n"
    parsed = parse("people", text)
    assert reasons(parsed) == [
        (3, "email", "Nilai email ini sama dengan baris 2; satu nilai hanya boleh satu baris."),
        (4, "nip", "Nilai nip ini sama dengan baris 2; satu nilai hanya boleh satu baris."),
    ]


@pytest.mark.parametrize(
    ("hidden", "described"),
    [
        ("\x00", "NUL (U+0000)"),
        ("\u202e", "pembalik arah teks (U+202E)"),
        ("\u2066", "pembalik arah teks (U+2066)"),
        ("\u200b", "tak terlihat (U+200B)"),
        ("\ufeff", "tak terlihat (U+FEFF)"),
        ("\u2060", "tak terlihat (U+2060)"),
        ("\x07", "kendali (U+0007)"),
    ],
)
def test_parse_file_refuses_hidden_characters_with_row_and_column(hidden: str, described: str) -> None:
    parsed = parse("units", f"kode_unit;nama_unit\nA;Dinas{hidden}Sosial\n")
    assert parsed.records == ()
    (found,) = parsed.problems
    assert (found.row, found.column) == (2, "nama_unit")
    assert described in found.reason
    assert found.value == display_value(f"Dinas{hidden}Sosial")
    assert hidden not in found.value


def test_parse_file_stores_formula_like_name_literally() -> None:
    parsed = parse("units", 'kode_unit;nama_unit\nA;=HYPERLINK("http://x")\n')
    (unit,) = parsed.records
    assert isinstance(unit, UnitRecord)
    assert unit.name == '=HYPERLINK("http://x")'


def test_parse_file_refuses_file_over_byte_limit() -> None:
    parsed = parse("units", "kode_unit;nama_unit\n" + "A;B\n" * 10, limits=Limits(30, 100, 100))
    assert parsed.records == ()
    assert "lebih besar dari batas 30" in parsed.problems[0].reason


def test_parse_file_refuses_file_over_row_limit() -> None:
    rows = "".join(f"U{n};Unit {n}\n" for n in range(4))
    parsed = parse("units", "kode_unit;nama_unit\n" + rows, limits=Limits(10_000, 3, 100))
    assert parsed.records == ()
    assert "lebih dari 3 baris" in parsed.problems[0].reason


def test_parse_file_refuses_overlong_field() -> None:
    parsed = parse("units", "kode_unit;nama_unit\nA;" + "x" * 21 + "\n", limits=Limits(10_000, 100, 20))
    assert reasons(parsed) == [(2, "nama_unit", "Isi sel terlalu panjang (21 karakter; paling banyak 20).")]


def test_parse_file_refuses_row_with_extra_cells() -> None:
    parsed = parse("units", "kode_unit;nama_unit\nA;Dinas;lebih\n")
    assert reasons(parsed)[0][0] == 2
    assert "3 kolom" in reasons(parsed)[0][2]


def test_parse_file_refuses_unit_that_is_its_own_parent() -> None:
    parsed = parse("units", "kode_unit;nama_unit;kode_induk\nA;Dinas;A\n")
    assert reasons(parsed) == [(2, "kode_induk", "Unit tidak boleh menjadi induk dirinya sendiri.")]


def test_parse_file_refuses_ni_pppk_for_pns() -> None:
    parsed = parse("people", f"nip;nama;jenis_identitas;status_kepegawaian\n{NIP_A};Budi;ni_pppk;PNS\n")
    assert [(row, column) for row, column, _ in reasons(parsed)] == [(2, "jenis_identitas")]


def test_parse_file_defaults_pppk_people_to_ni_pppk() -> None:
    parsed = parse("people", "nip;nama;status_kepegawaian\n198701012023211001;Sri;pppk\n")
    (person,) = parsed.records
    assert isinstance(person, PersonRecord)
    assert (person.id_kind, person.employment) == ("ni_pppk", "PPPK")


def test_display_value_escapes_control_characters() -> None:
    assert display_value("a\x00b\u202ec\\") == "a\\x00b\\u202ec\\\\"


def test_parse_file_reads_mentorships_in_iso_and_indonesian_dates() -> None:
    text = MENTORSHIP_HEADER + f"{NIP_A};{NIP_B};2025-01-06;\n{NIP_A};{NIP_C};6/1/2025;30/06/2025\n"
    parsed = parse("mentorships", text)
    assert parsed.problems == ()
    assert parsed.records == (
        MentorshipRecord(row=2, mentor_nip=NIP_A, mentee_nip=NIP_B, starts_on=date(2025, 1, 6), ends_on=None),
        MentorshipRecord(
            row=3, mentor_nip=NIP_A, mentee_nip=NIP_C, starts_on=date(2025, 1, 6), ends_on=date(2025, 6, 30)
        ),
    )


def test_parse_file_reads_mentorships_without_end_column() -> None:
    parsed = parse("mentorships", f"nip_mentee,nip_mentor,mulai\n{NIP_B},{NIP_A},2025-01-06\n")
    (mentorship,) = parsed.records
    assert isinstance(mentorship, MentorshipRecord)
    assert (mentorship.mentor_nip, mentorship.mentee_nip, mentorship.ends_on) == (NIP_A, NIP_B, None)
    assert parsed.columns == frozenset({"nip_mentor", "nip_mentee", "mulai"})


def test_parse_file_reports_each_bad_mentorship_row() -> None:
    text = MENTORSHIP_HEADER + (
        f"{NIP_A};{NIP_B};2025-01-06;\n"
        f"{NIP_A};{NIP_A};2025-01-06;\n"
        f"{NIP_A};{NIP_C};2025-03-01;2025-02-28\n"
        f"{NIP_B};{NIP_C};2025-02-30;\n"
        f"{NIP_B};{NIP_C};45663;\n"
        f"{NIP_B};{NIP_C};2025/01/06;\n"
        f"1.98501E+17;{NIP_C};2025-01-06;\n"
        f";{NIP_C};;\n"
    )
    parsed = parse("mentorships", text)
    assert [r.row for r in parsed.records] == [2]
    assert reasons(parsed) == [
        (3, "nip_mentee", "Mentor dan mentee tidak boleh orang yang sama."),
        (4, "selesai", "Tanggal selesai sebelum tanggal mulai (01/03/2025)."),
        (5, "mulai", "Tanggal ini tidak ada di kalender (hari 30, bulan 02, tahun 2025)."),
        (
            6,
            "mulai",
            "Tanggal tertulis sebagai nomor seri Excel; format kolom sebagai Teks lalu tulis YYYY-MM-DD "
            "(2025-01-31) atau DD/MM/YYYY (31/01/2025).",
        ),
        (7, "mulai", "Tanggal tidak dikenali; tulis YYYY-MM-DD (2025-01-31) atau DD/MM/YYYY (31/01/2025)."),
        (8, "nip_mentor", identifier_problem("1.98501E+17", today=TODAY)),
        (9, "nip_mentor", "Wajib diisi."),
        (9, "mulai", "Wajib diisi."),
    ]


def test_parse_file_names_earlier_row_of_duplicate_mentorship_whatever_the_date_format() -> None:
    text = (
        MENTORSHIP_HEADER
        + f"{NIP_A};{NIP_B};2025-01-06;\n{NIP_A};{NIP_C};2025-01-06;\n{NIP_A};{NIP_B};06/01/2025;\n"
    )
    parsed = parse("mentorships", text)
    assert reasons(parsed) == [
        (
            4,
            "mulai",
            "Mentor, mentee dan tanggal mulai sama dengan baris 2; satu bimbingan hanya boleh satu baris.",
        )
    ]
    assert [r.row for r in parsed.records] == [2, 3]


def test_parse_file_refuses_overlapping_periods_of_same_pair_only() -> None:
    text = MENTORSHIP_HEADER + (
        f"{NIP_A};{NIP_B};2024-01-01;2024-12-31\n"
        f"{NIP_A};{NIP_B};2025-01-01;\n"
        f"{NIP_A};{NIP_B};2024-12-31;2025-01-15\n"
        f"{NIP_B};{NIP_A};2024-06-01;\n"
    )
    parsed = parse("mentorships", text)
    assert reasons(parsed) == [
        (4, "mulai", "Masa bimbingan tumpang tindih dengan baris 2 (mentor dan mentee sama)."),
    ]
    assert [r.row for r in parsed.records] == [2, 3, 5]


def test_parse_file_refuses_duplicate_mentorship_header() -> None:
    parsed = parse(
        "mentorships", f"nip_mentor;nip_mentee;mulai;Mulai\n{NIP_A};{NIP_B};2025-01-06;2025-01-06\n"
    )
    assert parsed.records == ()
    assert reasons(parsed) == [(1, "mulai", "Judul kolom 'mulai' muncul dua kali (kolom ke-3 dan ke-4).")]


def test_parse_file_refuses_hidden_character_in_mentorship_date() -> None:
    parsed = parse("mentorships", MENTORSHIP_HEADER + f"{NIP_A};{NIP_B};2025-01-06\u200b;\n")
    assert parsed.records == ()
    assert [(row, column) for row, column, _ in reasons(parsed)] == [(2, "mulai")]
    assert "tak terlihat (U+200B)" in parsed.problems[0].reason


def test_parse_file_refuses_row_with_fewer_cells_than_header() -> None:
    parsed = parse("people", f"nip;nama;email\n{NIP_A};Budi;budi@kota.go.id\n{NIP_B};Sri\n")
    assert [(row, column) for row, column, _ in reasons(parsed)] == [(3, "")]
    assert "2 kolom, padahal judul 3 kolom" in parsed.problems[0].reason
    assert [r.row for r in parsed.records] == [2]


def test_parse_file_forgives_trailing_delimiter_of_header() -> None:
    parsed = parse("units", "kode_unit;nama_unit;\nA;Dinas\n")
    assert parsed.problems == ()
    assert [r.row for r in parsed.records] == [2]


def test_parse_file_names_row_and_column_of_encoding_error_not_byte_offset() -> None:
    text = f"nip;nama;email\n{NIP_A};Budi;budi@kota.go.id\n{NIP_B};Andr\u00e9;andre@kota.go.id\n"
    parsed = parse("people", text, encoding="cp1252")
    (found,) = parsed.problems
    assert (found.row, found.column) == (3, "nama")
    assert found.value == "Andr\ufffd"
    assert "posisi" not in found.reason and "byte" not in found.reason
    assert "simpan sebagai CSV UTF-8" in found.reason
    assert parsed.records == ()


def test_parse_file_locates_encoding_error_in_header_by_position() -> None:
    parsed = parse("people", "nip;n\u00e4ma\n1;2\n", encoding="cp1252")
    assert [(p.row, p.column) for p in parsed.problems] == [(1, "kolom ke-2")]


def test_parse_file_explains_utf16_file() -> None:
    for encoding in ("utf-16", "utf-16-le"):
        parsed = parse("people", f"nip;nama\n{NIP_A};Budi\n", encoding=encoding)
        (found,) = parsed.problems
        assert "UTF-16" in found.reason and "simpan sebagai CSV UTF-8" in found.reason
        assert parsed.records == ()


@pytest.mark.parametrize("body", ["", "\n\n", ";;\n"])
def test_parse_file_with_header_and_no_data_rows_says_so(body: str) -> None:
    parsed = parse("units", "kode_unit;nama_unit;kode_induk\n" + body)
    assert reasons(parsed) == [
        (None, "", "Berkas hanya berisi baris judul; tidak ada baris data untuk diimpor.")
    ]
    assert parsed.row_count == 0


def test_parse_file_explains_unclosed_quote_with_row_and_column() -> None:
    parsed = parse("people", f'nip;nama;email\n{NIP_A};"Budi;budi@kota.go.id\n{NIP_B};Sri;sri@kota.go.id\n')
    (found,) = parsed.problems
    assert (found.row, found.column) == (2, "nama")
    assert found.reason.startswith('Tanda kutip (") pembuka sel ini tidak ditutup')
    assert "Baris sesudahnya belum diperiksa." in found.reason
    assert "unexpected" not in found.reason and "expected" not in found.reason
    assert parsed.records == ()


def test_parse_file_explains_text_after_closing_quote() -> None:
    parsed = parse("people", f'nip;nama;email\n{NIP_A};"Budi" Santoso;budi@kota.go.id\n')
    (found,) = parsed.problems
    assert (found.row, found.column, found.value) == (2, "nama", '"Budi" Santoso')
    assert "Sesudah tanda kutip penutup harus ada pemisah (;)" in found.reason


def test_parse_file_explains_cell_over_python_csv_limit_with_the_documented_limit() -> None:
    huge = "x" * (csv.field_size_limit() + 10)
    parsed = parse(
        "units", f"kode_unit;nama_unit\nA;Dinas\nB;{huge}\nC;Dinas\n", limits=Limits(10**6, 100, 200)
    )
    (found,) = parsed.problems
    assert (found.row, found.column) == (3, "nama_unit")
    assert found.reason.startswith(f"Isi sel terlalu panjang ({len(huge)} karakter; paling banyak 200).")
    assert "field" not in found.reason


def test_parse_file_explains_malformed_header() -> None:
    parsed = parse("units", 'kode_unit;"nama_unit\nA;Dinas\n')
    (found,) = parsed.problems
    assert (found.row, found.column) == (1, "kolom ke-2")
    assert "tidak ditutup" in found.reason


def test_parse_file_refuses_nul_in_quoted_cell_with_row_and_column() -> None:
    parsed = parse("units", 'kode_unit;nama_unit\nA;"Dinas\x00Sosial"\n')
    assert [(p.row, p.column) for p in parsed.problems] == [(2, "nama_unit")]
    assert "NUL (U+0000)" in parsed.problems[0].reason


def test_parse_file_reports_reading_progress_per_row() -> None:
    rows = "".join(f"U{n};Unit {n}\n" for n in range(2500))
    progress = RecordingProgress()
    parsed = parse_file(
        "units",
        ("kode_unit;nama_unit\n" + rows).encode(),
        source="unit.csv",
        limits=Limits(10**6, 10_000, 100),
        today=TODAY,
        progress=progress,
    )
    assert len(parsed.records) == 2500
    assert progress.stages == [("read", 2500, "unit.csv")]
    assert progress.rows == [2500]
