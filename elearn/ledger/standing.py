"""Where a person stands in a year: approved and pending JP against the PNS target or the PPPK cap.

PNS have the right to at least ELEARN_JP_TARGET (20) JP a year: the bar runs to that target and says what is
missing. PPPK development is capped (ELEARN_PPPK_JP_CAP, 24 by default, PP 49/2018 art. 39 UNVERIFIED): the bar runs
to the cap, JP beyond it are shown but not counted. docs/ledger.md explains the choice.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from elearn.ledger.summary import YearTotals

PPPK = "PPPK"


@dataclass(frozen=True)
class Standing:
    """A person's year as the JP bar shows it."""

    year: int
    approved: Decimal
    pending: Decimal
    goal: int
    capped: bool
    """True for PPPK: `goal` is the most that counts, not a minimum to reach."""

    @property
    def counted(self) -> Decimal:
        """Approved JP that count toward the goal (all of them for PNS, up to the cap for PPPK)."""
        return min(self.approved, Decimal(self.goal)) if self.capped else self.approved

    @property
    def over_cap(self) -> Decimal:
        """Approved JP beyond the PPPK cap (never anything for PNS)."""
        return max(self.approved - self.goal, Decimal(0)) if self.capped else Decimal(0)

    @property
    def missing(self) -> Decimal:
        """JP still to earn before the goal is reached."""
        return max(Decimal(self.goal) - self.counted, Decimal(0))

    @property
    def reached(self) -> bool:
        """Whether the year's goal is met."""
        return self.missing == 0

    def share(self, value: Decimal) -> Decimal:
        """`value` as a percentage of the goal, for drawing the bar (0-100)."""
        if self.goal <= 0:
            return Decimal(100)
        return min(max(value, Decimal(0)) * 100 / self.goal, Decimal(100))

    @property
    def approved_share(self) -> Decimal:
        """The approved part of the bar, in percent."""
        return self.share(self.counted)

    @property
    def pending_share(self) -> Decimal:
        """The pending part of the bar, in percent, drawn after the approved part."""
        return min(self.share(self.counted + self.pending), Decimal(100)) - self.approved_share


def standing(totals: YearTotals, *, year: int, employment: str, target: int, pppk_cap: int) -> Standing:
    """The standing of a PNS (target) or a PPPK (cap) employee with `totals` in `year`."""
    capped = employment == PPPK
    return Standing(
        year=year,
        approved=totals.approved,
        pending=totals.pending_jp,
        goal=pppk_cap if capped else target,
        capped=capped,
    )
