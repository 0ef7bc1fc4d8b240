"""What supervisors and admins read of a group's competencies and JP: the dashboard, the heatmap, talent search and
the reports, each from the summary rows only (AttainedCompetency, CompetencyStanding, JpSummary, PositionStandard).

Nothing here counts completions or evidence: every figure is one grouped statement over the summaries of the
people a scope (`elearn.scope`) hands in, so a page costs the same number of statements for 5 or 5,000 people.
Per-unit figures are grouped by the unit a person is placed in and rolled up the unit paths in Python (a row per
unit and competency, never a row per person), so a unit's figure always includes its sub-units.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, select
from sqlalchemy.orm import Session, aliased

from elearn.competency.standard import Bands, JpmBand
from elearn.ledger.standing import PPPK
from elearn.models import (
    Assignment,
    AttainedCompetency,
    Competency,
    CompetencyStanding,
    JpSummary,
    Person,
    Position,
    PositionStandard,
    Unit,
)
from elearn.services.assignment_status import is_done
from elearn.services.directory import UnitChoice, in_unit_subtree

ZERO = Decimal(0)
Rows = Select[*tuple[Any, ...]]
"""A SELECT of several columns."""
MAX_CRITERIA = 5
LEVELS = (1, 2, 3, 4, 5)
BUCKETS = tuple(range(10))
"""JPM in tenths: bucket n holds n*10 <= JPM < (n+1)*10, the last one 90-100 inclusive."""


# Filters ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What a dashboard or a search narrows its scope by: a sub-unit (subtree), a position, an employment kind."""

    unit: UnitChoice | None = None
    position_id: int | None = None
    employment: str | None = None


def narrowed(people: Select[Person], filters: Filters) -> Select[Person]:
    """`people` narrowed by `filters`; never wider than `people`."""
    if filters.unit is not None:
        people = in_unit_subtree(people, filters.unit)
    if filters.position_id is not None:
        people = people.where(Person.position_id == filters.position_id)
    if filters.employment is not None:
        people = people.where(Person.employment == filters.employment)
    return people


def _ids(people: Select[Person]) -> Rows:
    """The ids of `people` (active only: deactivated people are in no figure), for `IN (...)`."""
    return people.where(Person.active.is_(True)).with_only_columns(Person.id).order_by(None)


@dataclass(frozen=True)
class HeldPosition:
    """One position of the position filter (columns only: a unit of 5,000 people holds thousands of positions, and
    loading them as entities cost more than the rest of the dashboard)."""

    id: int
    code: str
    name: str


# Up to this many positions held the filter is a list of them all; with more it is a search field.
FULL_POSITION_CHOICES = 200
# A search shows at most this many matching positions to choose from.
POSITION_MATCHES = 20


@dataclass(frozen=True)
class PositionFilter:
    """The position filter as asked for (`jabatan`: a code, or with many positions part of a name)."""

    asked: str
    choices: list[HeldPosition]
    searching: bool
    chosen: HeldPosition | None = None
    matches: list[HeldPosition] = field(default_factory=list)
    more_matches: bool = False


def position_filter(session: Session, people: Select[Person], asked: str) -> PositionFilter:
    """The positions someone among `people` holds, by name, and the one `asked` names: every position while there
    are few (one query); else a search, by exact code or else by part of the name (up to three small queries)."""
    asked = asked.strip()
    held = people.with_only_columns(Person.position_id).where(Person.position_id.is_not(None)).order_by(None)
    positions = select(Position.id, Position.code, Position.name).where(Position.id.in_(held))
    ordered = positions.order_by(Position.name, Position.id)
    few = _held(session, ordered.limit(FULL_POSITION_CHOICES + 1))
    if len(few) <= FULL_POSITION_CHOICES:
        chosen = next((position for position in few if position.code == asked), None) if asked else None
        return PositionFilter(asked, few, searching=False, chosen=chosen)
    if not asked:
        return PositionFilter(asked, [], searching=True)
    exact = _held(session, positions.where(Position.code == asked))
    if exact:
        return PositionFilter(asked, [], searching=True, chosen=exact[0])
    found = _held(
        session, ordered.where(Position.name.icontains(asked, autoescape=True)).limit(POSITION_MATCHES + 1)
    )
    if len(found) == 1:
        return PositionFilter(asked, [], searching=True, chosen=found[0])
    return PositionFilter(
        asked,
        [],
        searching=True,
        matches=found[:POSITION_MATCHES],
        more_matches=len(found) > POSITION_MATCHES,
    )


def _held(session: Session, statement: Select[int, str, str]) -> list[HeldPosition]:
    return [HeldPosition(id, code, name) for id, code, name in session.execute(statement)]


# The dashboard's people ---------------------------------------------------------------------------------------

SORTS = ("nama", "jpm", "jp")


def approved_jp() -> ColumnElement[Decimal]:
    """SQL: JP that count in the joined JpSummary row (0 without one)."""
    return func.coalesce(JpSummary.course_jp + JpSummary.external_jp, ZERO)


def dashboard_rows(people: Select[Person], *, year: int, sort: str, descending: bool) -> Rows:
    """One row per person of `people`: name, NIP, employment, unit, position, JP of `year`, JPM and gaps, in the
    order `sort` asks (people without a standard last when sorting by JPM); page it with LIMIT/OFFSET."""
    jp = approved_jp().label("jp")
    rows = (
        select(
            Person.id,
            Person.name,
            Person.nip,
            Person.employment,
            Unit.name.label("unit_name"),
            Position.name.label("position_name"),
            jp,
            JpSummary.pending_jp.label("pending_jp"),
            CompetencyStanding.jpm,
            CompetencyStanding.gaps,
        )
        .select_from(Person)
        .outerjoin(Unit, Unit.id == Person.unit_id)
        .outerjoin(Position, Position.id == Person.position_id)
        .outerjoin(JpSummary, and_(JpSummary.person_id == Person.id, JpSummary.year == year))
        .outerjoin(CompetencyStanding, CompetencyStanding.person_id == Person.id)
        .where(Person.id.in_(_ids(people)))
    )
    name_order = (Person.name.desc(), Person.id.desc()) if descending else (Person.name, Person.id)
    if sort == "jpm":
        key = CompetencyStanding.jpm.desc() if descending else CompetencyStanding.jpm.asc()
        return rows.order_by(key.nulls_last(), *name_order)
    if sort == "jp":
        return rows.order_by(jp.desc() if descending else jp.asc(), *name_order)
    return rows.order_by(*name_order)


def overdue_counts(session: Session, person_ids: Sequence[int], *, today: date) -> dict[int, int]:
    """Person id -> live assignments past their due date and not done, for one page of people (one statement)."""
    if not person_ids:
        return {}
    rows = session.execute(
        select(Assignment.person_id, func.count())
        .where(
            Assignment.person_id.in_(person_ids),
            Assignment.withdrawn_at.is_(None),
            Assignment.due_on < today,
            ~is_done(),
        )
        .group_by(Assignment.person_id)
    )
    return {person_id: count for person_id, count in rows}


# The heatmap --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompetencyHead:
    """A competency as a column or a row label: code, name (Bahasa Indonesia) and English name if any."""

    id: int
    code: str
    name: str
    name_en: str | None


@dataclass(frozen=True)
class Cell:
    """One person's required and attained level of one competency of their standard."""

    required: int
    attained: int

    @property
    def gap(self) -> int:
        """Levels still missing (0 when met)."""
        return max(self.required - self.attained, 0)


@dataclass(frozen=True)
class Heatmap:
    """People (ids, in the page's order) x the competencies of their standards, with a cell where one applies."""

    competencies: list[CompetencyHead]
    cells: dict[tuple[int, int], Cell]

    def cell(self, person_id: int, competency_id: int) -> Cell | None:
        """The cell of one person and competency (None: not in the person's standard)."""
        return self.cells.get((person_id, competency_id))


def _against_standards(*columns: Any) -> Rows:
    """People x the competencies their position's standard requires, with the attained level outer-joined:
    selecting the competency's id, code, name and English name, then `columns`."""
    return (
        select(Competency.id, Competency.code, Competency.name, Competency.name_en, *columns)
        .select_from(Person)
        .join(PositionStandard, PositionStandard.position_id == Person.position_id)
        .join(Competency, Competency.id == PositionStandard.competency_id)
        .outerjoin(
            AttainedCompetency,
            and_(
                AttainedCompetency.person_id == Person.id,
                AttainedCompetency.competency_id == PositionStandard.competency_id,
            ),
        )
    )


def heatmap(session: Session, person_ids: Sequence[int]) -> Heatmap:
    """The heatmap of one page of people: every competency any of their standards requires (one statement)."""
    if not person_ids:
        return Heatmap(competencies=[], cells={})
    rows = session.execute(
        _against_standards(
            Person.id.label("person_id"),
            PositionStandard.required_level,
            func.coalesce(AttainedCompetency.level, 0).label("attained"),
        ).where(Person.id.in_(person_ids))
    )
    heads: dict[int, CompetencyHead] = {}
    cells: dict[tuple[int, int], Cell] = {}
    for row in rows:
        heads.setdefault(row.id, CompetencyHead(row.id, row.code, row.name, row.name_en))
        cells[(row.person_id, row.id)] = Cell(required=row.required_level, attained=row.attained)
    return Heatmap(competencies=sorted(heads.values(), key=lambda head: (head.code, head.id)), cells=cells)


# Shares of a group --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    """`part` of `whole` people, with the percentage (None when there is nobody to count)."""

    whole: int
    part: int

    @property
    def percent(self) -> Decimal | None:
        """`part` / `whole` x 100, to one decimal."""
        if not self.whole:
            return None
        return (Decimal(100) * self.part / self.whole).quantize(Decimal("0.1"))

    @property
    def rest(self) -> Share:
        """The others of `whole`: those not counted in `part` (PNS short of the target, people below standard)."""
        return Share(self.whole, self.whole - self.part)

    def __add__(self, other: Share) -> Share:
        return Share(self.whole + other.whole, self.part + other.part)


@dataclass(frozen=True)
class CompetencyShare:
    """Of the people whose standard requires a competency, how many attain the required level."""

    competency: CompetencyHead
    share: Share


def _meets_standard() -> ColumnElement[bool]:
    return func.coalesce(AttainedCompetency.level, 0) >= PositionStandard.required_level


def _standard_rows(people: Select[Person]) -> Rows:
    """(competency id, code, name, English name, unit, people with it in their standard, people meeting it),
    grouped by unit and competency."""
    return (
        _against_standards(Person.unit_id, func.count(), func.count().filter(_meets_standard()))
        .where(Person.id.in_(_ids(people)))
        .group_by(Person.unit_id, Competency.id, Competency.code, Competency.name, Competency.name_en)
    )


def meets_jp_target(target: int) -> ColumnElement[bool]:
    """SQL, over a person outer-joined to their JpSummary row of the year: a PNS with at least `target` JP."""
    return and_(Person.employment != PPPK, approved_jp() >= target)


def _jp_rows(people: Select[Person], *, year: int, target: int) -> Rows:
    """(unit, PNS people, PNS meeting the target), grouped by unit: the 20 JP are a PNS right (docs/reports.md)."""
    return (
        select(Person.unit_id, func.count(), func.count().filter(meets_jp_target(target)))
        .select_from(Person)
        .outerjoin(JpSummary, and_(JpSummary.person_id == Person.id, JpSummary.year == year))
        .where(Person.id.in_(_ids(people)), Person.employment != PPPK)
        .group_by(Person.unit_id)
    )


# Per unit, rolled up ------------------------------------------------------------------------------------------


@dataclass
class UnitFigures:
    """One unit of the scope (its subtree included) with what a report counts in it."""

    unit: UnitChoice
    jp: Share = field(default_factory=lambda: Share(0, 0))
    competencies: dict[int, CompetencyShare] = field(default_factory=dict)

    def add_competency(self, head: CompetencyHead, share: Share) -> None:
        """Add people of one competency (from this unit or one below it)."""
        found = self.competencies.get(head.id)
        self.competencies[head.id] = CompetencyShare(head, share if found is None else found.share + share)

    @property
    def competency_shares(self) -> list[CompetencyShare]:
        """The unit's competencies by code."""
        return sorted(self.competencies.values(), key=lambda item: (item.competency.code, item.competency.id))


class UnitReport:
    """Every unit of a scope in tree order with its figures (each unit's subtree included), filled by `add_jp`
    and `add_standards` from rows grouped by the unit a person is placed in, rolled up the unit paths."""

    def __init__(self, units: Sequence[UnitChoice]) -> None:
        self.units = [UnitFigures(unit=unit) for unit in units]
        by_id = {item.unit.id: item for item in self.units}
        self._adds_to = {
            item.unit.id: [
                by_id[int(part)] for part in item.unit.path.strip("/").split("/") if int(part) in by_id
            ]
            for item in self.units
        }

    def _receivers(self, unit_id: int | None) -> list[UnitFigures]:
        """The figures a row placed in `unit_id` adds to: that unit and its ancestors within the scope."""
        return self._adds_to.get(unit_id, []) if unit_id is not None else []

    def add_jp(self, session: Session, people: Select[Person], *, year: int, target: int) -> UnitReport:
        """Count the 20-JP compliance of the PNS among `people` in `year` (one statement)."""
        for unit_id, whole, part in session.execute(_jp_rows(people, year=year, target=target)):
            for item in self._receivers(unit_id):
                item.jp = item.jp + Share(whole, part)
        return self

    def add_standards(self, session: Session, people: Select[Person]) -> UnitReport:
        """Count, per competency, `people` with it in their standard and those meeting it (one statement)."""
        for competency_id, code, name, name_en, unit_id, whole, part in session.execute(
            _standard_rows(people)
        ):
            head = CompetencyHead(competency_id, code, name, name_en)
            for item in self._receivers(unit_id):
                item.add_competency(head, Share(whole, part))
        return self

    @property
    def roots(self) -> list[UnitFigures]:
        """The top units of the scope."""
        return [figures for figures in self.units if figures.unit.indent == 0]

    def find(self, unit: UnitChoice | None) -> UnitFigures | None:
        """The figures of one unit of the scope."""
        if unit is None:
            return None
        return next((figures for figures in self.units if figures.unit.id == unit.id), None)

    def below(self, unit: UnitChoice | None) -> list[UnitFigures]:
        """The units listed right below `unit`, in tree order; without one, the scope's top units (or the units
        below the top one when there is only one, which the whole-scope figures already describe)."""
        if unit is None:
            roots = self.roots
            return self.below(roots[0].unit) if len(roots) == 1 else roots
        start = next((n for n, figures in enumerate(self.units) if figures.unit.id == unit.id), None)
        if start is None:
            return []
        found = []
        for figures in self.units[start + 1 :]:
            if figures.unit.indent <= unit.indent:
                break
            if figures.unit.indent == unit.indent + 1:
                found.append(figures)
        return found

    def within(self, unit: UnitChoice | None) -> list[UnitFigures]:
        """`unit` and every unit below it (the whole scope without one), in tree order."""
        if unit is None:
            return self.units
        return [figures for figures in self.units if figures.unit.path.startswith(unit.path)]

    def total(self, unit: UnitChoice | None) -> UnitFigures:
        """The figures of `unit`, or without one the sum over the scope's top units (disjoint subtrees)."""
        found = self.find(unit)
        if found is not None:
            return found
        combined = UnitFigures(unit=UnitChoice(id=0, code="", name="", path="", indent=0))
        for root in self.roots:
            combined.jp = combined.jp + root.jp
            for item in root.competencies.values():
                combined.add_competency(item.competency, item.share)
        return combined


# JPM distribution ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class JpmDistribution:
    """How many people fall in each JPM band and each tenth of JPM; `without_standard` have no JPM at all."""

    bands: dict[JpmBand, int]
    buckets: dict[int, int]
    without_standard: int

    @property
    def measured(self) -> int:
        """People with a JPM."""
        return sum(self.bands.values())


def _bucket() -> ColumnElement[int]:
    """SQL: the tenth of JPM a standing falls in, -1 without one (portable: SQLite has no FLOOR, and a CAST
    rounds on PostgreSQL)."""
    jpm = CompetencyStanding.jpm
    return case(
        (CompetencyStanding.person_id.is_(None), -1),
        *((jpm >= bucket * 10, bucket) for bucket in reversed(BUCKETS[1:])),
        else_=0,
    )


def _band(bands: Bands) -> ColumnElement[str]:
    """SQL: the JPM band of a standing, "" without one."""
    jpm = CompetencyStanding.jpm
    return case(
        (CompetencyStanding.person_id.is_(None), ""),
        (jpm >= bands.meets, JpmBand.MEETS.value),
        (jpm >= bands.still_meets, JpmBand.STILL_MEETS.value),
        else_=JpmBand.BELOW.value,
    )


def jpm_distribution(session: Session, people: Select[Person], *, bands: Bands) -> JpmDistribution:
    """The JPM of `people` in bands and tenths, and how many have no standard (one statement)."""
    placed = (
        select(_bucket().label("bucket"), _band(bands).label("band"))
        .select_from(Person)
        .outerjoin(CompetencyStanding, CompetencyStanding.person_id == Person.id)
        .where(Person.id.in_(_ids(people)))
        .subquery()
    )
    rows = session.execute(
        select(placed.c.bucket, placed.c.band, func.count()).group_by(placed.c.bucket, placed.c.band)
    )
    counted_bands = dict.fromkeys(JpmBand, 0)
    buckets = dict.fromkeys(BUCKETS, 0)
    without = 0
    for bucket_value, band_value, count in rows:
        if int(bucket_value) < 0:
            without += count
            continue
        buckets[int(bucket_value)] += count
        counted_bands[JpmBand(band_value)] += count
    return JpmDistribution(bands=counted_bands, buckets=buckets, without_standard=without)


# Talent search ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    """Competency `competency` at level `level` or higher."""

    competency: CompetencyHead
    level: int


def competencies_by_code(session: Session) -> list[CompetencyHead]:
    """Every competency by code, for the search's pickers."""
    rows = session.execute(
        select(Competency.id, Competency.code, Competency.name, Competency.name_en).order_by(
            Competency.code, Competency.id
        )
    )
    return [CompetencyHead(*row) for row in rows]


def talent_rows(people: Select[Person], criteria: Sequence[Criterion]) -> Rows:
    """People of `people` meeting every criterion, with name, NIP, unit, position and, per criterion n, the level
    attained (`level_n`) and since when (`since_n`); each criterion is a range of the (competency, level, person)
    index. Page it by (name, id)."""
    rows = (
        select(
            Person.id,
            Person.name,
            Person.nip,
            Unit.name.label("unit_name"),
            Position.name.label("position_name"),
        )
        .select_from(Person)
        .outerjoin(Unit, Unit.id == Person.unit_id)
        .outerjoin(Position, Position.id == Person.position_id)
    )
    for number, criterion in enumerate(criteria):
        attained = aliased(AttainedCompetency, name=f"attained_{number}")
        rows = rows.join(
            attained,
            and_(
                attained.person_id == Person.id,
                attained.competency_id == criterion.competency.id,
                attained.level >= criterion.level,
            ),
        ).add_columns(attained.level.label(f"level_{number}"), attained.since.label(f"since_{number}"))
    return rows.where(Person.id.in_(_ids(people)))


def evidence_of(row: Any, criteria: Iterable[Criterion]) -> list[tuple[Criterion, int, date]]:
    """A talent row's (criterion, level attained, since) in the criteria's order."""
    return [
        (criterion, getattr(row, f"level_{n}"), getattr(row, f"since_{n}"))
        for n, criterion in enumerate(criteria)
    ]
