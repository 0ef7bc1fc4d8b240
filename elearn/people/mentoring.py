"""Mentorship periods: the one rule for when two periods of the same mentor and mentee clash."""

from __future__ import annotations

from datetime import date


def periods_overlap(
    starts_on: date, ends_on: date | None, other_starts_on: date, other_ends_on: date | None
) -> bool:
    """Whether two periods share a day; an end date is the last day included, an empty end runs forever."""
    return (other_ends_on is None or starts_on <= other_ends_on) and (
        ends_on is None or other_starts_on <= ends_on
    )
