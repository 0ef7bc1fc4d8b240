"""Gap, JPM and its bands on hand-made cases (pure core)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from elearn.competency.standard import Bands, JpmBand, gap, gaps, jpm


def test_gap_is_what_is_missing_never_negative() -> None:
    assert gap(3, 1) == 2
    assert gap(3, 3) == 0
    assert gap(2, 5) == 0


def test_jpm_caps_each_competency_so_a_surplus_never_hides_a_gap() -> None:
    required = {"M.01": 3, "M.02": 3, "T.01": 2}
    attained = {"M.01": 5, "M.02": 1}
    assert jpm(required, attained) == Decimal("50.00")  # (3 + 1 + 0) / 8
    assert gaps(required, attained) == {"M.02": 2, "T.01": 2}


def test_jpm_rounds_half_up_and_is_none_without_a_standard() -> None:
    assert jpm({"A": 3}, {"A": 2}) == Decimal("66.67")
    assert jpm({"A": 8}, {"A": 1}) == Decimal("12.50")
    assert jpm({"A": 1, "B": 1, "C": 1, "D": 1, "E": 1, "F": 1, "G": 1, "H": 1}, {"A": 1}) == Decimal("12.50")
    assert jpm({}, {"A": 3}) is None
    assert jpm({"A": 3, "B": 2}, {"A": 3, "B": 2, "C": 5}) == Decimal("100.00")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("100", JpmBand.MEETS),
        ("80", JpmBand.MEETS),
        ("79.99", JpmBand.STILL_MEETS),
        ("68", JpmBand.STILL_MEETS),
        ("67.99", JpmBand.BELOW),
        ("0", JpmBand.BELOW),
    ],
)
def test_default_bands_follow_the_regulation(value: str, expected: JpmBand) -> None:
    assert Bands().band(Decimal(value)) is expected


def test_bands_are_configurable_and_must_be_ordered() -> None:
    strict = Bands(meets=Decimal(90), still_meets=Decimal(75))
    assert strict.band(Decimal(85)) is JpmBand.STILL_MEETS
    with pytest.raises(ValueError, match="still_meets <= meets"):
        Bands(meets=Decimal(60), still_meets=Decimal(70))
