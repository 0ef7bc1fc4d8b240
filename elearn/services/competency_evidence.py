"""Competency evidence and the attained-level summary, kept in the transaction of each event.

A course completion writes one evidence row per competency its version proves (INSERT ... ON CONFLICT DO NOTHING
on (completion, competency), so a double submit or a re-import never adds a second); a revoked certificate
withdraws them; supervisors and admins record and withdraw assessed evidence, audited. Each event re-derives the
`AttainedCompetency` rows of that one person and those competencies with the pure rules of
`elearn.competency.evidence`, then the person's standing: the incremental path never reads anyone else.
`refresh_expired` (daily) re-derives the rows whose `valid_until` has come; `recompute_all` rebuilds every row
from the evidence, a chunk of people at a time, and reports where the stored summary differed.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Select,
    String,
    case,
    delete,
    func,
    insert,
    literal,
    null,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.orm import InstrumentedAttribute, Session

from elearn.competency.evidence import (
    ASSESSMENT,
    COURSE,
    AssessmentProblem,
    Evidence,
    Gettext,
    assessment_problems,
    attained,
    expiry,
    problem_message,
)
from elearn.db import UTCDateTime, utcnow
from elearn.models import (
    AttainedCompetency,
    Competency,
    CompetencyEvidence,
    CompetencyStanding,
    Completion,
    CourseCompetency,
    CourseVersion,
    Person,
)
from elearn.services import audit
from elearn.services.competency_standing import refresh_standings
from elearn.services.upsert import insert_select_if_absent

CHUNK = 1000
"""People per chunk of a recompute or refresh (each chunk is a few statements over an indexed person range)."""
BATCH = 500
"""(person, competency) pairs per DELETE ... WHERE (person_id, competency_id) IN (...)."""

# What an AttainedCompetency row holds besides its key: level, since, evidence id, valid until.
Summary = tuple[int, date, int, date | None]
# What a CompetencyStanding row holds besides its key: position, required total, attained total, gaps, JPM.
Standing = tuple[int, int, int, int, Decimal]
PeopleFilter = Callable[[InstrumentedAttribute[int]], ColumnElement[bool]]


class AssessmentRefused(ValueError):
    """The assessment breaks a rule (level 1-5, not in the future, a note of at most 1,000 characters); nothing
    was recorded. `message(gettext)` words it in the reader's language."""

    def __init__(self, problems: Collection[AssessmentProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__(self.message())

    def message(self, gettext: Gettext | None = None) -> str:
        """Every problem in words, in the language of `gettext` (Indonesian without it)."""
        return " ".join(
            problem_message(problem, **({"gettext": gettext} if gettext else {})) for problem in self.problems
        )


@dataclass(frozen=True)
class Difference:
    """A summary row the evidence does not support: `stored` is what the table holds, `derived` what the evidence
    gives (None: no row). `competency_id` None is the person's standing."""

    person_id: int
    competency_id: int | None
    stored: tuple[Any, ...] | None
    derived: tuple[Any, ...] | None


# -- course evidence ---------------------------------------------------------------------------------------------


def record_course_evidence(
    session: Session, completion: Completion | int, *, timezone: tzinfo = UTC, today: date | None = None
) -> int:
    """Write the evidence of a completion (its date on the office calendar of `timezone`, expiring after the
    version's `valid_years`) unless it is there already, and re-derive the person's levels of those competencies
    on `today` (the completion's date by default). Returns how many evidence rows were written."""
    completion_id = completion if isinstance(completion, int) else completion.id
    person_id, version_id, completed_at, valid_years = session.execute(
        select(
            Completion.person_id, Completion.version_id, Completion.completed_at, CourseVersion.valid_years
        )
        .join(CourseVersion, CourseVersion.id == Completion.version_id)
        .where(Completion.id == completion_id)
    ).one()
    achieved_on = completed_at.astimezone(timezone).date()
    rows = (
        select(
            literal(person_id),
            Competency.id,
            CourseCompetency.level,
            literal(achieved_on, Date),
            literal(expiry(achieved_on, valid_years), Date),
            literal(COURSE, String),
            literal(completion_id),
            literal(version_id),
            literal("", String),
            literal(utcnow(), UTCDateTime),
        )
        .join(Competency, Competency.code == CourseCompetency.competency_code)
        .where(CourseCompetency.version_id == version_id)
    )
    written = insert_select_if_absent(
        session,
        CompetencyEvidence,
        [
            "person_id",
            "competency_id",
            "level",
            "achieved_on",
            "expires_on",
            "source",
            "completion_id",
            "version_id",
            "note",
            "created_at",
        ],
        rows,
    )
    competencies = (
        select(Competency.id)
        .join(CourseCompetency, CourseCompetency.competency_code == Competency.code)
        .where(CourseCompetency.version_id == version_id)
    )
    _rederive_person(session, person_id, today=today or achieved_on, competencies=competencies)
    return written


def withdraw_course_evidence(
    session: Session, completion: Completion | int, *, today: date, now: datetime | None = None
) -> int:
    """The completion no longer proves anything (its certificate was revoked): withdraw its evidence and
    re-derive the person's levels on `today`. Returns how many rows were withdrawn."""
    completion_id = completion if isinstance(completion, int) else completion.id
    withdrawn = session.execute(
        update(CompetencyEvidence)
        .where(CompetencyEvidence.completion_id == completion_id, CompetencyEvidence.withdrawn_at.is_(None))
        .values(withdrawn_at=now or utcnow())
        .returning(CompetencyEvidence.person_id, CompetencyEvidence.competency_id)
        .execution_options(synchronize_session=False)
    ).all()
    if withdrawn:
        _rederive_person(
            session,
            withdrawn[0].person_id,
            today=today,
            competencies=[row.competency_id for row in withdrawn],
        )
    return len(withdrawn)


# -- assessed evidence -------------------------------------------------------------------------------------------


def record_assessment(
    session: Session,
    *,
    person: Person,
    competency: Competency,
    level: int,
    achieved_on: date,
    note: str,
    recorded_by: Person,
    today: date,
    ip: str | None = None,
) -> CompetencyEvidence:
    """Record an assessment result (e.g. an assessment centre's) as evidence, audited, and re-derive the
    person's level of that competency; refused with `AssessmentRefused` when it breaks a rule. Whether
    `recorded_by` may assess `person` is the caller's (scope) question."""
    note = note.strip()
    problems = assessment_problems(level=level, achieved_on=achieved_on, note=note, today=today)
    if problems:
        raise AssessmentRefused(problems)
    evidence = CompetencyEvidence(
        person_id=person.id,
        competency_id=competency.id,
        level=level,
        achieved_on=achieved_on,
        source=ASSESSMENT,
        recorded_by_id=recorded_by.id,
        note=note,
    )
    session.add(evidence)
    session.flush()
    audit.record(
        session,
        actor=recorded_by,
        action="competency.assess",
        target=person,
        ip=ip,
        evidence_id=evidence.id,
        competency=competency.code,
        level=level,
        achieved_on=achieved_on.isoformat(),
        note=note,
    )
    _rederive_person(session, person.id, today=today, competencies=[competency.id])
    return evidence


def withdraw_assessment(
    session: Session,
    evidence: CompetencyEvidence,
    *,
    by: Person,
    today: date,
    now: datetime | None = None,
    ip: str | None = None,
) -> bool:
    """Withdraw an assessment recorded in error (kept, marked withdrawn), audited, and re-derive the level;
    False when it was withdrawn already. Course evidence is withdrawn by revoking its certificate."""
    if evidence.source != ASSESSMENT:
        raise ValueError("only assessed evidence is withdrawn by hand; revoke the certificate instead")
    if evidence.withdrawn_at is not None:
        return False
    evidence.withdrawn_at = now or utcnow()
    session.flush()
    competency_code = session.scalar(select(Competency.code).where(Competency.id == evidence.competency_id))
    audit.record(
        session,
        actor=by,
        action="competency.withdraw",
        target=session.get(Person, evidence.person_id),
        ip=ip,
        evidence_id=evidence.id,
        competency=competency_code,
        level=evidence.level,
        achieved_on=evidence.achieved_on.isoformat(),
    )
    _rederive_person(session, evidence.person_id, today=today, competencies=[evidence.competency_id])
    return True


# -- reading evidence --------------------------------------------------------------------------------------------


def evidence_of(
    session: Session, *, person_id: int, competency_ids: Collection[int] | None = None
) -> list[Evidence]:
    """A person's evidence (withdrawn included) as the pure core reads it, with course titles and versions, for
    explaining levels and listing the history; oldest first."""
    query = (
        _evidence_query()
        .add_columns(CourseVersion.title, CourseVersion.number)
        .outerjoin(CourseVersion, CourseVersion.id == CompetencyEvidence.version_id)
        .where(CompetencyEvidence.person_id == person_id)
        .order_by(CompetencyEvidence.achieved_on, CompetencyEvidence.id)
    )
    if competency_ids is not None:
        query = query.where(CompetencyEvidence.competency_id.in_(competency_ids))
    return [
        _evidence(row, course_title=row.title or "", version_label=f"v{row.number}" if row.number else "")
        for row in session.execute(query)
    ]


# -- upkeep over many people -------------------------------------------------------------------------------------


def refresh_expired(session: Session, *, today: date, end_chunk: Callable[[], None] | None = None) -> int:
    """Re-derive the levels of everyone with a summary row whose `valid_until` has come (the daily job); only
    those people are read (the `valid_until` index). Returns how many summary rows changed."""
    changed = 0
    after = 0
    while True:
        people = list(
            session.scalars(
                select(AttainedCompetency.person_id)
                .where(AttainedCompetency.valid_until <= today, AttainedCompetency.person_id > after)
                .group_by(AttainedCompetency.person_id)
                .order_by(AttainedCompetency.person_id)
                .limit(CHUNK)
            )
        )
        if not people:
            return changed
        chosen = people

        def among(column: InstrumentedAttribute[int]) -> ColumnElement[bool]:
            return column.in_(chosen)  # noqa: B023  (used within this iteration only)

        differences = _rederive(session, among, today=today)
        touched = sorted({difference.person_id for difference in differences})
        if touched:
            refresh_standings(session, person_ids=touched)
        changed += len(differences)
        after = people[-1]
        if end_chunk is not None:
            end_chunk()


def recompute_all(
    session: Session,
    *,
    today: date,
    progress: Callable[[int], None] | None = None,
    apply: bool = True,
    end_chunk: Callable[[], None] | None = None,
) -> list[Difference]:
    """Rebuild every attained-level row and standing from the evidence, `CHUNK` people at a time (by id range,
    so memory stays flat at 100,000 people), and return where the stored rows differed. With `apply` False
    nothing changes (each chunk's standings are rebuilt inside a savepoint and rolled back). `progress` is told
    how many people each chunk covered; `end_chunk` runs after each (the CLI commits there). A check takes no
    locks, so an event committed meanwhile may show as a difference that is none."""
    differences: list[Difference] = []
    after = 0
    while True:
        people = list(
            session.scalars(select(Person.id).where(Person.id > after).order_by(Person.id).limit(CHUNK))
        )
        if not people:
            return differences
        first, last = people[0], people[-1]

        def in_range(column: InstrumentedAttribute[int]) -> ColumnElement[bool]:
            return column.between(first, last)  # noqa: B023  (used within this iteration only)

        before = _standings(session, in_range)
        savepoint = None if apply else session.begin_nested()
        differences.extend(_rederive(session, in_range, today=today, lock=apply))
        refresh_standings(session, person_ids=people)
        now = _standings(session, in_range)
        if savepoint is not None:
            savepoint.rollback()
        differences.extend(
            Difference(person_id, None, before.get(person_id), now.get(person_id))
            for person_id in sorted(before.keys() | now.keys())
            if before.get(person_id) != now.get(person_id)
        )
        if progress is not None:
            progress(len(people))
        after = last
        if end_chunk is not None:
            end_chunk()


# -- deriving ----------------------------------------------------------------------------------------------------


def _rederive_person(
    session: Session, person_id: int, *, today: date, competencies: Select[int] | Iterable[int]
) -> None:
    """Re-derive one person's levels of `competencies` (ids, or a SELECT of them) and, when one changed, their
    standing."""
    chosen = competencies if isinstance(competencies, Select) else list(competencies)
    differences = _rederive(
        session, lambda column: column == person_id, today=today, competencies=chosen, in_sql=False
    )
    if differences:
        refresh_standings(session, person_ids=[person_id])


def _rederive(
    session: Session,
    people: PeopleFilter,
    *,
    today: date,
    lock: bool = True,
    competencies: Select[int] | list[int] | None = None,
    in_sql: bool = True,
) -> list[Difference]:
    """Derive the attained rows of the people `people` selects (and `competencies`, when given) from their
    evidence, compare them with the stored rows and write the difference.

    `in_sql` derives in the database, set-based (`_derived_rows`, for chunks of a thousand people); otherwise
    with the pure rules of `elearn.competency.evidence` (one person's few rows, on every event). Two derivations
    of one rule, so the property test that compares the incremental state with a recompute compares both.
    `lock` locks the people's rows first (PostgreSQL: FOR NO KEY UPDATE, which still lets rows that refer to
    them be inserted), so two events of one person derive one after the other and the later sees the earlier's
    evidence.
    """
    if lock:
        session.execute(select(Person.id).where(people(Person.id)).with_for_update(key_share=True)).all()
    evidence_filter = people(CompetencyEvidence.person_id)
    stored_filter = people(AttainedCompetency.person_id)
    if competencies is not None:
        evidence_filter = evidence_filter & CompetencyEvidence.competency_id.in_(competencies)
        stored_filter = stored_filter & AttainedCompetency.competency_id.in_(competencies)
    derived = (
        _derived_rows(session, evidence_filter, today=today)
        if in_sql
        else _derived_in_python(session, evidence_filter, today=today)
    )
    stored: dict[tuple[int, int], Summary] = {
        (row.person_id, row.competency_id): (row.level, row.since, row.evidence_id, row.valid_until)
        for row in session.execute(
            select(
                AttainedCompetency.person_id,
                AttainedCompetency.competency_id,
                AttainedCompetency.level,
                AttainedCompetency.since,
                AttainedCompetency.evidence_id,
                AttainedCompetency.valid_until,
            ).where(stored_filter)
        )
    }
    changed = sorted(key for key in stored.keys() | derived.keys() if stored.get(key) != derived.get(key))
    if changed:
        _write(
            session,
            [key for key in changed if key in stored],
            {key: derived[key] for key in changed if key in derived},
        )
    return [Difference(key[0], key[1], stored.get(key), derived.get(key)) for key in changed]


def _derived_in_python(
    session: Session, evidence_filter: ColumnElement[bool], *, today: date
) -> dict[tuple[int, int], Summary]:
    """The summary rows the pure rules give for the evidence `evidence_filter` selects."""
    by_person: dict[int, list[Evidence]] = {}
    competency_ids: dict[str, int] = {}
    for row in session.execute(_evidence_query().where(evidence_filter)):
        by_person.setdefault(row.person_id, []).append(_evidence(row))
        competency_ids[row.code] = row.competency_id
    derived: dict[tuple[int, int], Summary] = {}
    for person_id, items in by_person.items():
        for code, attainment in attained(items, today=today).items():
            derived[(person_id, competency_ids[code])] = (
                attainment.level,
                attainment.since,
                attainment.evidence.id,
                attainment.valid_until,
            )
    return derived


def _derived_rows(
    session: Session, evidence_filter: ColumnElement[bool], *, today: date
) -> dict[tuple[int, int], Summary]:
    """The same rules in one statement (window functions, SQLite and PostgreSQL): of the evidence valid on
    `today`, per person and competency, the top level's first row by (achieved_on, id), and its latest expiry
    unless one never expires."""
    evidence = CompetencyEvidence
    key = (evidence.person_id, evidence.competency_id)
    valid = (
        select(
            evidence.id,
            evidence.person_id,
            evidence.competency_id,
            evidence.level,
            evidence.achieved_on,
            evidence.expires_on,
            func.max(evidence.level).over(partition_by=key).label("top"),
        )
        .where(
            evidence_filter,
            evidence.withdrawn_at.is_(None),
            evidence.achieved_on <= today,
            or_(evidence.expires_on.is_(None), evidence.expires_on > today),
        )
        .subquery()
    )
    pair = (valid.c.person_id, valid.c.competency_id)
    at_top = (
        select(
            valid.c.id,
            valid.c.person_id,
            valid.c.competency_id,
            valid.c.level,
            valid.c.achieved_on,
            func.row_number()
            .over(partition_by=pair, order_by=(valid.c.achieved_on, valid.c.id))
            .label("place"),
            func.count(valid.c.id).over(partition_by=pair).label("held"),
            func.count(valid.c.expires_on).over(partition_by=pair).label("expiring"),
            func.max(valid.c.expires_on).over(partition_by=pair).label("latest"),
        )
        .where(valid.c.level == valid.c.top)
        .subquery()
    )
    rows = select(
        at_top.c.person_id,
        at_top.c.competency_id,
        at_top.c.level,
        at_top.c.achieved_on,
        at_top.c.id,
        case((at_top.c.expiring == at_top.c.held, at_top.c.latest), else_=null()),
    ).where(at_top.c.place == 1)
    return {
        (person_id, competency_id): (level, since, evidence_id, until)
        for person_id, competency_id, level, since, evidence_id, until in session.execute(rows)
    }


def _write(session: Session, stale: list[tuple[int, int]], fresh: dict[tuple[int, int], Summary]) -> None:
    """Delete the `stale` summary rows, then insert the `fresh` ones."""
    for start in range(0, len(stale), BATCH):
        session.execute(
            delete(AttainedCompetency)
            .where(
                tuple_(AttainedCompetency.person_id, AttainedCompetency.competency_id).in_(
                    stale[start : start + BATCH]
                )
            )
            .execution_options(synchronize_session=False)
        )
    if fresh:
        session.execute(
            insert(AttainedCompetency),
            [
                {
                    "person_id": person_id,
                    "competency_id": competency_id,
                    "level": level,
                    "since": since,
                    "evidence_id": evidence_id,
                    "valid_until": valid_until,
                }
                for (person_id, competency_id), (level, since, evidence_id, valid_until) in fresh.items()
            ],
        )


def _evidence_query() -> Select[*tuple[Any, ...]]:
    """Evidence rows with their competency's code, in the columns `_evidence` reads."""
    return select(
        CompetencyEvidence.id,
        CompetencyEvidence.person_id,
        CompetencyEvidence.competency_id,
        Competency.code,
        CompetencyEvidence.level,
        CompetencyEvidence.achieved_on,
        CompetencyEvidence.expires_on,
        CompetencyEvidence.source,
        CompetencyEvidence.note,
        CompetencyEvidence.withdrawn_at,
    ).join(Competency, Competency.id == CompetencyEvidence.competency_id)


def _evidence(row: Any, *, course_title: str = "", version_label: str = "") -> Evidence:
    return Evidence(
        id=row.id,
        competency=row.code,
        level=row.level,
        achieved_on=row.achieved_on,
        expires_on=row.expires_on,
        source=row.source,
        course_title=course_title,
        version_label=version_label,
        note=row.note or "",
        withdrawn=row.withdrawn_at is not None,
    )


def _standings(session: Session, people: PeopleFilter) -> dict[int, Standing]:
    """The stored standings of the people `people` selects."""
    return {
        row.person_id: (row.position_id, row.required_total, row.attained_total, row.gaps, Decimal(row.jpm))
        for row in session.execute(
            select(
                CompetencyStanding.person_id,
                CompetencyStanding.position_id,
                CompetencyStanding.required_total,
                CompetencyStanding.attained_total,
                CompetencyStanding.gaps,
                CompetencyStanding.jpm,
            ).where(people(CompetencyStanding.person_id))
        )
    }
