"""Credit markers (`[50%]`, `[-25%]`) as fractions of a question's points, with Moodle's precision and rules."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

FULL = Decimal(1)
NONE = Decimal(0)
CREDIT_QUANTUM = Decimal("0.0000001")
"""Moodle stores an answer's fraction with seven decimals (a percentage with five), and so does elearn."""

SCORE_QUANTUM = Decimal("0.000001")
"""A question's score is rounded half up to six decimals, so seven-decimal credits like 3 x 0.3333333 make 1."""

PERCENT = r"[+-]?[0-9]{1,3}(?:[.,][0-9]+)?%"
"""A credit as written between the brackets: `50%`, `-25%`, `33.33333%` (`,` also accepted as decimal mark)."""

_PERCENT = re.compile(r"(?P<number>[+-]?[0-9]{1,3}(?:[.,](?P<decimals>[0-9]+))?)%")
_MAX_DECIMALS = 5


class CreditError(ValueError):
    """A credit marker that is no percentage elearn can store; the message (Bahasa Indonesia) says why."""


def percent_credit(written: str) -> Decimal:
    """`50%` -> 0.5; raise CreditError outside -100%..100% or with more decimals than Moodle keeps."""
    match = _PERCENT.fullmatch(written)
    if match is None:
        raise CreditError(f"kredit '{written}' tidak valid: tulis persen seperti 50% atau -25%")
    if len(match.group("decimals") or "") > _MAX_DECIMALS:
        raise CreditError(f"kredit '{written}' terlalu rinci: paling banyak {_MAX_DECIMALS} angka desimal")
    credit = Decimal(match.group("number").replace(",", ".")) / 100
    if abs(credit) > FULL:
        raise CreditError(f"kredit '{written}' di luar batas -100% sampai 100%")
    return credit


def share(right_options: int) -> Decimal:
    """Each right option's credit under the `[x]` rule of multiple response: 1/k, to Moodle's seven decimals."""
    return (FULL / right_options).quantize(CREDIT_QUANTUM)


def totals_full(total: Decimal) -> bool:
    """Moodle's check that a multiple-response question's positive credits add up to 100% (to a percent)."""
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) == FULL


def scores_full(total: Decimal) -> bool:
    """Whether choosing every option with a positive credit earns exactly 100% once rounded like a score."""
    return min(total, FULL).quantize(SCORE_QUANTUM, rounding=ROUND_HALF_UP) == FULL


def percent_text(credit: Decimal) -> str:
    """0.3333333 -> `33.33333%`, for messages."""
    return f"{(credit * 100).normalize():f}%"
