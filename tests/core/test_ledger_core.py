"""The ledger's pure core: certificate serials, proof types by content, standing against the target or the PPPK cap,
and totals recomputed from records."""

from __future__ import annotations

from decimal import Decimal

import pytest

from elearn.certificates.serial import ALPHABET, LENGTH, display, new_serial, normalise
from elearn.ledger.proof import JPEG, PDF, PNG, ProofProblem, proof_type
from elearn.ledger.standing import standing
from elearn.ledger.summary import Difference, YearTotals, differences, plain_jp, totals_from
from tests.proof_files import JPEG as JPEG_BYTES
from tests.proof_files import PDF as PDF_BYTES
from tests.proof_files import PNG as PNG_BYTES


def test_serials_are_distinct_and_read_back_however_they_are_typed() -> None:
    serials = {new_serial() for _ in range(2000)}
    assert len(serials) == 2000
    serial = next(iter(serials))
    assert len(serial) == LENGTH and set(serial) <= set(ALPHABET)
    shown = display(serial)
    assert shown.count("-") == 4 and len(shown.split("-")[0]) == 4
    assert normalise(shown) == normalise(shown.lower().replace("-", " ")) == serial
    ambiguous = serial.replace("0", "O").replace("1", "I")
    assert normalise(ambiguous) == serial


def test_every_single_mistyped_character_is_caught_by_the_check_character() -> None:
    serial = new_serial()
    for position in range(LENGTH):
        for char in ALPHABET:
            if char != serial[position]:
                assert normalise(serial[:position] + char + serial[position + 1 :]) is None


@pytest.mark.parametrize("typed", ["", "ABC", "7K3Q-9XWD-M2PA-H4ZT-RR", "UUUU-UUUU-UUUU-UUUU-U", "<script>"])
def test_what_cannot_be_a_serial_is_refused(typed: str) -> None:
    assert normalise(typed) is None


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (PDF_BYTES, PDF),
        (PNG_BYTES, PNG),
        (JPEG_BYTES, JPEG),
        (b"MZ\x90\x00" + b"\x00" * 100, ProofProblem.NOT_ACCEPTED),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 100, ProofProblem.NOT_ACCEPTED),
        (b"#!/bin/sh\nrm -rf /\n", ProofProblem.NOT_ACCEPTED),
        (b"<html><script>alert(1)</script></html>", ProofProblem.NOT_ACCEPTED),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', ProofProblem.NOT_ACCEPTED),
        (b"  %PDF-1.4\n%%EOF", ProofProblem.NOT_ACCEPTED),
        (PDF_BYTES[:40], ProofProblem.INCOMPLETE),
        (PNG_BYTES[:30], ProofProblem.INCOMPLETE),
        (b"", ProofProblem.EMPTY),
    ],
    ids=[
        "pdf",
        "png",
        "jpeg",
        "exe",
        "elf",
        "script",
        "html",
        "svg",
        "pdf-after-junk",
        "cut-pdf",
        "cut-png",
        "empty",
    ],
)
def test_proof_type_comes_from_the_content(data: bytes, expected: object) -> None:
    assert proof_type(data, max_bytes=10_000) == expected


def test_proof_larger_than_the_limit_is_refused_before_anything_else() -> None:
    assert proof_type(PDF_BYTES, max_bytes=len(PDF_BYTES) - 1) is ProofProblem.TOO_LARGE
    assert proof_type(PDF_BYTES, max_bytes=len(PDF_BYTES)) is PDF


def test_pns_standing_counts_everything_approved_toward_the_target() -> None:
    year = standing(
        YearTotals(Decimal(8), Decimal(4), Decimal(6)), year=2026, employment="PNS", target=20, pppk_cap=24
    )
    assert (year.goal, year.capped, year.approved, year.counted, year.missing) == (20, False, 12, 12, 8)
    assert (year.approved_share, year.pending_share) == (60, 30)
    assert not year.reached and year.over_cap == 0


def test_pppk_standing_runs_to_the_cap_and_does_not_count_beyond_it() -> None:
    year = standing(
        YearTotals(Decimal(20), Decimal(10), Decimal(5)), year=2026, employment="PPPK", target=20, pppk_cap=24
    )
    assert (year.goal, year.capped, year.counted, year.over_cap, year.missing) == (24, True, 24, 6, 0)
    assert year.reached and (year.approved_share, year.pending_share) == (100, 0)


def test_pending_part_of_the_bar_never_runs_past_its_end() -> None:
    year = standing(
        YearTotals(Decimal(18), Decimal(0), Decimal(10)), year=2026, employment="PNS", target=20, pppk_cap=24
    )
    assert year.approved_share + year.pending_share == 100


def test_totals_count_approved_and_pending_and_ignore_rejected() -> None:
    found = totals_from(
        [(1, 2026, Decimal(2)), (1, 2026, Decimal("1.5")), (2, 2025, Decimal(3))],
        [
            (1, 2026, "approved", Decimal(8)),
            (1, 2026, "proposed", Decimal(4)),
            (1, 2026, "rejected", Decimal(99)),
        ],
    )
    assert found == {
        (1, 2026): YearTotals(Decimal("3.5"), Decimal(8), Decimal(4)),
        (2, 2025): YearTotals(course_jp=Decimal(3)),
    }


def test_differences_treat_a_zero_row_like_a_missing_one() -> None:
    stored = {(1, 2026): YearTotals(Decimal(2)), (3, 2026): YearTotals(), (4, 2026): YearTotals(Decimal(1))}
    computed = {(1, 2026): YearTotals(Decimal("2.00")), (2, 2026): YearTotals(pending_jp=Decimal(4))}
    assert differences(stored, computed) == [
        Difference(2, 2026, YearTotals(), YearTotals(pending_jp=Decimal(4))),
        Difference(4, 2026, YearTotals(Decimal(1)), YearTotals()),
    ]


@pytest.mark.parametrize(
    ("value", "shown"), [("16.00", "16"), ("4.50", "4.5"), ("10", "10"), ("0.25", "0.25")]
)
def test_jp_are_written_as_people_write_them(value: str, shown: str) -> None:
    assert str(plain_jp(Decimal(value))) == shown
