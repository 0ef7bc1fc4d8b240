"""Gap and Job Person Match (JPM) of attained levels against a position's competency standard (SKJ); pure.

JPM = sum(attained level, capped at the required one) / sum(required levels) x 100 %, so a level above the
standard never makes up for a gap elsewhere. `elearn.services.competency_standing` keeps the same rule in SQL.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDREDTH = Decimal("0.01")


class JpmBand(enum.StrEnum):
    """Where a JPM falls against the configured bands (defaults 80 % and 68 %, see docs/configuration.md)."""

    MEETS = "memenuhi"
    STILL_MEETS = "masih_memenuhi"
    BELOW = "kurang"


@dataclass(frozen=True)
class Bands:
    """The JPM thresholds: at least `meets` meets the standard, at least `still_meets` still does."""

    meets: Decimal = Decimal(80)
    still_meets: Decimal = Decimal(68)

    def __post_init__(self) -> None:
        if not Decimal(0) <= self.still_meets <= self.meets <= Decimal(100):
            raise ValueError("JPM bands need 0 <= still_meets <= meets <= 100")

    def band(self, jpm: Decimal) -> JpmBand:
        """The band `jpm` (percent) falls in."""
        if jpm >= self.meets:
            return JpmBand.MEETS
        if jpm >= self.still_meets:
            return JpmBand.STILL_MEETS
        return JpmBand.BELOW


def gap(required: int, attained: int) -> int:
    """Levels still missing for one competency (0 when attained meets or exceeds the requirement)."""
    return max(required - attained, 0)


def jpm(required: Mapping[str, int], attained: Mapping[str, int]) -> Decimal | None:
    """JPM in percent, rounded half up to hundredths, of `attained` levels (by competency; missing is 0) against
    the `required` ones; None when nothing is required (a position without a standard has no JPM)."""
    required_total = sum(required.values())
    if required_total == 0:
        return None
    capped = sum(min(attained.get(code, 0), level) for code, level in required.items())
    return (Decimal(100) * capped / required_total).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def gaps(required: Mapping[str, int], attained: Mapping[str, int]) -> dict[str, int]:
    """The competencies below standard with how many levels each lacks."""
    found = {code: gap(level, attained.get(code, 0)) for code, level in required.items()}
    return {code: missing for code, missing in found.items() if missing}
