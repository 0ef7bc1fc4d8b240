"""Property: whatever happens (completions, repeated completions, assessments, withdrawals, revocations, days
passing with the daily refresh), the attained levels and standings kept incrementally equal a full recompute."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from elearn.models import (
    AttainedCompetency,
    Competency,
    CompetencyEvidence,
    Completion,
    Course,
    CourseCompetency,
    CourseVersion,
    Person,
    PositionStandard,
)
from elearn.services import competency_evidence
from elearn.services.competency_standing import refresh_standings
from tests.factories import make_person, make_position

START = date(2026, 1, 1)
# version index -> (valid years, {competency index: level})
VERSIONS = (
    (None, {0: 2, 1: 1}),
    (1, {0: 3}),
    (2, {0: 1, 2: 4}),
    (1, {1: 5, 2: 2}),
)


@dataclass
class World:
    people: list[Person]
    assessor: Person
    competencies: list[Competency]
    versions: list[tuple[int, int]]  # (course id, version id)


def _build(session: Session) -> World:
    competencies = [
        Competency(code=f"T.{n:02}", kind="teknis", name=f"Teknis {n}", source="test") for n in range(3)
    ]
    session.add_all(competencies)
    session.flush()
    versions = []
    for number, (valid_years, proves) in enumerate(VERSIONS, start=1):
        course = Course(slug=f"kursus-{number}", code=f"K{number}")
        session.add(course)
        session.flush()
        version = CourseVersion(
            course_id=course.id,
            number=1,
            source_hash=f"{number:064}",
            title=f"Kursus {number}",
            jp=Decimal(2),
            valid_years=valid_years,
            competencies=[
                CourseCompetency(competency_code=competencies[index].code, level=level)
                for index, level in proves.items()
            ],
        )
        session.add(version)
        session.flush()
        versions.append((course.id, version.id))
    position = make_position(session)
    session.add_all(
        PositionStandard(position_id=position.id, competency_id=competency.id, required_level=level)
        for competency, level in zip(competencies, (3, 2, 4), strict=True)
    )
    people = [make_person(session) for _ in range(3)]
    people[0].position_id = people[1].position_id = position.id  # the third has no position, so no standing
    assessor = make_person(session, roles=("employee", "supervisor"))
    refresh_standings(session)  # what a position change does (the framework's upkeep)
    session.commit()
    return World(people, assessor, competencies, versions)


people = st.integers(0, 2)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("complete"), st.integers(0, 1) | people, st.integers(0, len(VERSIONS) - 1)),
        st.tuples(
            st.just("assess"), st.integers(0, 1), st.integers(0, 1), st.integers(2, 4), st.integers(0, 500)
        ),
        st.tuples(st.just("withdraw"), st.integers(0, 20)),
        st.tuples(st.just("revoke"), st.integers(0, 20)),
        st.tuples(st.just("days"), st.integers(1, 900) | st.sampled_from([1, 365, 366, 730, 731])),
        st.tuples(st.just("next_drop")),
    ),
    min_size=4,
    max_size=16,
)


def _apply(session: Session, world: World, history: list[tuple[Any, ...]]) -> tuple[Any, ...] | None:
    """Play `history` through the services, each event on its day (the daily refresh runs whenever days pass),
    and after every step compare the kept state with a full recompute: the first step where they differ, with
    the day and the differences, or None when they never do."""
    today = START
    completions: list[int] = []
    assessments: list[CompetencyEvidence] = []
    for step in history:
        kind, *args = step
        if kind == "complete":
            person_index, version_index = args
            course_id, version_id = world.versions[version_index]
            person = world.people[person_index]
            completion_id = session.scalar(
                select(Completion.id).where(
                    Completion.person_id == person.id, Completion.version_id == version_id
                )
            )
            if completion_id is None:
                completion_id = session.scalar(
                    insert(Completion)
                    .values(
                        person_id=person.id,
                        course_id=course_id,
                        version_id=version_id,
                        completed_at=datetime.combine(today, time(9), UTC),
                        jp=Decimal(2),
                    )
                    .returning(Completion.id)
                )
                completions.append(completion_id)
            competency_evidence.record_course_evidence(session, completion_id, timezone=UTC, today=today)
        elif kind == "assess":
            person_index, competency_index, level, days_back = args
            assessments.append(
                competency_evidence.record_assessment(
                    session,
                    person=world.people[person_index],
                    competency=world.competencies[competency_index],
                    level=level,
                    achieved_on=today - timedelta(days=days_back),
                    note="asesmen",
                    recorded_by=world.assessor,
                    today=today,
                )
            )
        elif kind == "withdraw" and assessments:
            evidence = assessments[args[0] % len(assessments)]
            competency_evidence.withdraw_assessment(session, evidence, by=world.assessor, today=today)
        elif kind == "revoke" and completions:
            completion_id = completions[args[0] % len(completions)]
            competency_evidence.withdraw_course_evidence(session, completion_id, today=today)
        elif kind == "days":
            today += timedelta(days=args[0])
            competency_evidence.refresh_expired(session, today=today)
        elif kind == "next_drop":  # to the very day a level may drop: the boundary of the refresh
            drop = session.scalar(
                select(func.min(AttainedCompetency.valid_until)).where(AttainedCompetency.valid_until > today)
            )
            today = drop or today + timedelta(days=1)
            competency_evidence.refresh_expired(session, today=today)
        differences = competency_evidence.recompute_all(session, today=today, apply=False)
        if differences:
            return step, today, differences
    return None


def test_incremental_state_equals_a_full_recompute(session: Session) -> None:
    world = _build(session)

    @settings(
        max_examples=30,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(history=steps)
    def check(history: list[tuple[Any, ...]]) -> None:
        try:
            assert _apply(session, world, history) is None
        finally:
            session.rollback()

    check()
