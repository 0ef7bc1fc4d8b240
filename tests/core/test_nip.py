"""NIP and NI PPPK validation: structure, ASCII digits, and a specific hint for each kind of Excel damage."""

from __future__ import annotations

from datetime import date

import pytest

from elearn.people.nip import NI_PPPK_KIND, identifier_problem, make_nip

TODAY = date(2025, 6, 1)
VALID = "198501012010011001"


def problem(raw: str, kind: str = "nip") -> str | None:
    return identifier_problem(raw, kind, today=TODAY)


def test_identifier_problem_none_for_valid_nip() -> None:
    assert problem(VALID) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", "wajib diisi"),
        ("19850101201001100", "tepat 18 angka"),
        ("1985010120100110011", "tepat 18 angka"),
        ("19850101201001100a", "tepat 18 angka"),
        ("198513012010011001", "tanggal lahir yang sah"),
        ("198502302010011001", "tanggal lahir yang sah"),
        ("193901012010011001", "tidak masuk akal"),
        ("203001012050011001", "tidak masuk akal"),
        ("198501012010131001", "bulan 01-12"),
        ("198501011999011001", "kurang dari 15 tahun"),
        ("198501012026011001", "masa depan"),
        ("198501012010013001", "jenis kelamin"),
        ("198501012010010001", "jenis kelamin"),
    ],
)
def test_identifier_problem_explains_structure_errors(raw: str, expected: str) -> None:
    assert expected in (problem(raw) or "")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1.98501E+17", "notasi ilmiah"),
        ("1,98501E+17", "notasi ilmiah"),
        ("198501012010011000", "Excel membulatkan"),
        ("'198501012010011001", "tanda petik"),
        ("19850101 201001 1 001", "spasi, titik"),
        ("19850101.201001.1.001", "spasi, titik"),
        ("198501012010011001.0", "'.0'"),
    ],
)
def test_identifier_problem_names_excel_damage(raw: str, expected: str) -> None:
    assert expected in (problem(raw) or "")


@pytest.mark.parametrize(
    "raw", ["１９８５０１０１２０１００１１００１", "١٩٨٥٠١٠١٢٠١٠٠١١٠٠١", "19850101201001100１"]
)
def test_identifier_problem_refuses_non_ascii_digits(raw: str) -> None:
    assert "0-9 biasa" in (problem(raw) or "")


def test_identifier_problem_refuses_zero_width_character() -> None:
    assert "tak terlihat" in (problem(VALID[:9] + "\u200b" + VALID[9:]) or "")


def test_identifier_problem_accepts_ni_pppk_with_loose_check() -> None:
    assert problem("198701012023211001", NI_PPPK_KIND) is None


def test_identifier_problem_refuses_ni_pppk_with_bad_birth_date() -> None:
    assert "tanggal lahir" in (problem("198713012023211001", NI_PPPK_KIND) or "")


def test_identifier_problem_refuses_unknown_kind() -> None:
    assert "tidak dikenal" in (problem(VALID, "nik") or "")


def test_make_nip_builds_valid_nip() -> None:
    nip = make_nip(date(1990, 5, 17), date(2015, 3, 1), 2, 7)
    assert nip == "199005172015032007"
    assert problem(nip) is None


@pytest.mark.parametrize(("gender", "sequence"), [(3, 1), (1, 0), (1, 1000)])
def test_make_nip_refuses_impossible_parts(gender: int, sequence: int) -> None:
    with pytest.raises(ValueError):
        make_nip(date(1990, 5, 17), date(2015, 3, 1), gender, sequence)
