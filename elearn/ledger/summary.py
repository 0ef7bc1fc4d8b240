"""JP totals per person and year, and how a stored summary differs from one recomputed from the records.

The database keeps one summary row per person and year (`elearn_jp_summary`), changed in the transaction of every
completion, decision and withdrawal; `flask elearn ledger recompute` rebuilds the totals from the records and
compares them with `differences`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal(0)


def plain_jp(value: Decimal) -> Decimal:
    """JP as people write them: 16 and 4.5, not 16.00 and 4.50 (whatever scale the database hands back)."""
    return value.to_integral_value() if value == value.to_integral_value() else value.normalize()


@dataclass(frozen=True)
class YearTotals:
    """JP of one person in one year: approved from courses, approved external training, and still pending."""

    course_jp: Decimal = ZERO
    external_jp: Decimal = ZERO
    pending_jp: Decimal = ZERO

    @property
    def approved(self) -> Decimal:
        """JP that count: completed courses plus approved external training."""
        return self.course_jp + self.external_jp

    def __add__(self, other: YearTotals) -> YearTotals:
        return YearTotals(
            self.course_jp + other.course_jp,
            self.external_jp + other.external_jp,
            self.pending_jp + other.pending_jp,
        )

    @property
    def empty(self) -> bool:
        """Nothing recorded at all (a row like this need not exist)."""
        return self.course_jp == self.external_jp == self.pending_jp == ZERO


Key = tuple[int, int]
"""(person id, year)"""


def totals_from(
    courses: Iterable[tuple[int, int, Decimal]],
    external: Iterable[tuple[int, int, str, Decimal]],
) -> dict[Key, YearTotals]:
    """Totals from (person, year, JP) of valid completions and (person, year, state, JP) of external records.

    Approved external records count, proposed ones are pending, rejected ones are nothing.
    """
    found: dict[Key, YearTotals] = {}
    for person_id, year, jp in courses:
        key = (person_id, year)
        found[key] = found.get(key, YearTotals()) + YearTotals(course_jp=Decimal(jp))
    for person_id, year, state, jp in external:
        if state == "approved":
            change = YearTotals(external_jp=Decimal(jp))
        elif state == "proposed":
            change = YearTotals(pending_jp=Decimal(jp))
        else:
            continue
        key = (person_id, year)
        found[key] = found.get(key, YearTotals()) + change
    return found


@dataclass(frozen=True)
class Difference:
    """A summary row that does not match the records: what is stored and what the records add up to."""

    person_id: int
    year: int
    stored: YearTotals
    computed: YearTotals


def differences(stored: Mapping[Key, YearTotals], computed: Mapping[Key, YearTotals]) -> list[Difference]:
    """Every (person, year) whose stored totals differ from the computed ones; an empty row equals a missing one."""
    keys = sorted(set(stored) | set(computed))
    found = []
    for person_id, year in keys:
        kept = stored.get((person_id, year), YearTotals())
        wanted = computed.get((person_id, year), YearTotals())
        if kept != wanted:
            found.append(Difference(person_id, year, kept, wanted))
    return found
