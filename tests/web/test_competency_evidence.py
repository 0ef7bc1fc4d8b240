"""Competency evidence: written with each completion (with the attained levels and standing it changes, in the
same transaction, exactly once), withdrawn with a revoked certificate, recorded and withdrawn by assessors
(validated, audited), re-derived daily when it expires, and rebuilt from scratch by the recompute command."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from elearn.competency import AssessmentProblem, attained, explanation
from elearn.models import (
    AttainedCompetency,
    AuditEntry,
    Certificate,
    CompetencyEvidence,
    CompetencyStanding,
    Completion,
    CourseVersion,
    Person,
)
from elearn.services import certificates, competency_evidence
from elearn.services.competency_evidence import AssessmentRefused
from elearn.services.outlines import load_outline
from tests.factories import make_person
from tests.web.evidence_support import (
    COMPLETED_AT,
    EvidenceWorld,
    attained_rows,
    build_evidence_world,
    complete,
    evidence_rows,
    standing_of,
)
from tests.web.learning_support import counting_statements

MAY_2 = date(2026, 5, 2)


@pytest.fixture
def world(session: Session) -> EvidenceWorld:
    return build_evidence_world(session)


def _assessor(session: Session):  # noqa: ANN202
    person = make_person(session, name="Bambang Supervisor", roles=("employee", "supervisor"))
    session.commit()
    return person


def test_completion_writes_evidence_levels_and_standing_in_its_transaction(
    session: Session, world: EvidenceWorld
) -> None:
    assert standing_of(session, world.person) is None
    recorded = complete(session, world)
    assert recorded is not None
    evidence = evidence_rows(session, world.person)
    assert sorted(
        (e.competency_id, e.level, e.achieved_on, e.expires_on, e.source) for e in evidence
    ) == sorted([(world.m05.id, 2, MAY_2, None, "course"), (world.m03.id, 1, MAY_2, None, "course")])
    assert {e.completion_id for e in evidence} == {recorded.completion_id}
    assert {e.version_id for e in evidence} == {world.outline.version_id}
    by_code = {row.competency_id: row.id for row in evidence}
    assert attained_rows(session, world.person) == {
        "M.05": (2, MAY_2, by_code[world.m05.id], None),
        "M.03": (1, MAY_2, by_code[world.m03.id], None),
    }
    assert standing_of(session, world.person) == (4, 3, 1, Decimal("75.00"))

    session.rollback()  # nothing was committed on the way: the whole event goes with its transaction
    assert evidence_rows(session, world.person) == []
    assert attained_rows(session, world.person) == {}
    assert standing_of(session, world.person) is None


def _bare_completion(session: Session, world: EvidenceWorld, person: Person, *, at: datetime) -> int:
    """A completion row alone (as an import of past completions writes it), without its evidence yet."""
    return session.scalar(
        insert(Completion)
        .values(
            person_id=person.id,
            course_id=world.outline.course_id,
            version_id=world.outline.version_id,
            completed_at=at,
            jp=Decimal(3),
        )
        .returning(Completion.id)
    )


def test_a_completion_on_the_office_calendar_dates_its_evidence_there(
    session: Session, world: EvidenceWorld
) -> None:
    late = datetime(2026, 5, 1, 20, 0, tzinfo=UTC)  # 2 May 03:00 in Jakarta
    completion_id = _bare_completion(session, world, world.person, at=late)
    competency_evidence.record_course_evidence(session, completion_id, timezone=ZoneInfo("Asia/Jakarta"))
    assert {e.achieved_on for e in evidence_rows(session, world.person)} == {MAY_2}


def test_completing_twice_or_recording_again_keeps_one_evidence_per_competency(
    session: Session, world: EvidenceWorld
) -> None:
    recorded = complete(session, world)
    session.commit()
    assert complete(session, world, at=COMPLETED_AT + timedelta(days=3)) is None, "completed once per version"
    assert competency_evidence.record_course_evidence(session, recorded.completion_id, timezone=UTC) == 0
    session.commit()
    assert len(evidence_rows(session, world.person)) == 2
    assert len(attained_rows(session, world.person)) == 2


def test_a_version_with_valid_years_gives_evidence_that_expires(
    session: Session, world: EvidenceWorld
) -> None:
    session.execute(
        update(CourseVersion).where(CourseVersion.id == world.outline.version_id).values(valid_years=2)
    )
    world.outline = load_outline(session, world.outline.version_id)
    complete(session, world)
    assert {e.expires_on for e in evidence_rows(session, world.person)} == {date(2028, 5, 2)}
    assert {row[3] for row in attained_rows(session, world.person).values()} == {date(2028, 5, 2)}


def test_revoking_the_certificate_withdraws_its_evidence(session: Session, world: EvidenceWorld) -> None:
    complete(session, world)
    admin = make_person(session, roles=("admin",))
    session.commit()
    certificate = session.scalars(select(Certificate)).one()
    now = COMPLETED_AT + timedelta(days=10)
    assert certificates.revoke(
        session, certificate=certificate, by=admin, reason="data keliru", now=now, timezone=UTC, ip=None
    )
    session.commit()
    evidence = evidence_rows(session, world.person)
    assert len(evidence) == 2
    assert {e.withdrawn_at for e in evidence} == {now}
    assert attained_rows(session, world.person) == {}
    assert standing_of(session, world.person) == (4, 0, 2, Decimal("0.00"))


def test_one_completion_costs_a_fixed_handful_of_statements_whoever_else_exists(
    app: Flask, session: Session, world: EvidenceWorld
) -> None:
    for _ in range(20):
        other = make_person(session)
        other.position_id = world.position.id
        complete(session, world, other)
    session.commit()
    completion_id = _bare_completion(session, world, world.person, at=COMPLETED_AT)
    with counting_statements(app) as statements:
        competency_evidence.record_course_evidence(session, completion_id, timezone=UTC)
    # read the completion, insert the evidence, lock the person, read their evidence and levels, insert the
    # levels, rebuild the standing (delete, insert)
    assert len(statements) == 8, statements
    assert standing_of(session, world.person) == (4, 3, 1, Decimal("75.00"))


def test_the_incremental_update_reads_only_the_person(
    app: Flask, session: Session, world: EvidenceWorld
) -> None:
    complete(session, world)
    session.commit()
    other = make_person(session)
    session.commit()
    with counting_statements(app) as statements:
        complete(session, world, other)
    derivation = [
        s for s in statements if "elearn_attained_competency" in s or "elearn_competency_evidence" in s
    ]
    assert derivation, statements
    assert all("person_id" in s for s in derivation), derivation


def test_an_assessment_is_validated_audited_and_raises_the_level(
    session: Session, world: EvidenceWorld
) -> None:
    assessor = _assessor(session)
    complete(session, world)
    session.commit()
    with pytest.raises(AssessmentRefused) as refused:
        competency_evidence.record_assessment(
            session,
            person=world.person,
            competency=world.m05,
            level=6,
            achieved_on=MAY_2 + timedelta(days=1),
            note="  ",
            recorded_by=assessor,
            today=MAY_2,
        )
    assert refused.value.problems == (
        AssessmentProblem.LEVEL,
        AssessmentProblem.FUTURE,
        AssessmentProblem.NOTE_MISSING,
    )
    assert "Level harus antara 1 dan 5." in str(refused.value)
    assert isinstance(refused.value, ValueError)
    with pytest.raises(AssessmentRefused, match="1000 karakter"):
        competency_evidence.record_assessment(
            session,
            person=world.person,
            competency=world.m05,
            level=3,
            achieved_on=MAY_2,
            note="x" * 1001,
            recorded_by=assessor,
            today=MAY_2,
        )
    assert session.scalars(select(AuditEntry)).all() == []

    evidence = competency_evidence.record_assessment(
        session,
        person=world.person,
        competency=world.m05,
        level=4,
        achieved_on=date(2026, 4, 20),
        note="Assessment center BKD 2026",
        recorded_by=assessor,
        today=MAY_2,
        ip="10.0.0.1",
    )
    session.commit()
    assert (evidence.source, evidence.recorded_by_id, evidence.expires_on) == (
        "assessment",
        assessor.id,
        None,
    )
    assert attained_rows(session, world.person)["M.05"] == (4, date(2026, 4, 20), evidence.id, None)
    assert standing_of(session, world.person) == (4, 4, 0, Decimal("100.00"))
    entry = session.scalars(select(AuditEntry)).one()
    assert (entry.action, entry.actor_id, entry.target_type, entry.target_id, entry.ip) == (
        "competency.assess",
        assessor.id,
        "Person",
        str(world.person.id),
        "10.0.0.1",
    )
    assert entry.detail == {
        "evidence_id": evidence.id,
        "competency": "M.05",
        "level": 4,
        "achieved_on": "2026-04-20",
        "note": "Assessment center BKD 2026",
    }
    found = attained(competency_evidence.evidence_of(session, person_id=world.person.id), today=MAY_2)
    assert explanation(found["M.05"]) == "level 4 sejak 2026-04-20 dari asesmen: Assessment center BKD 2026"
    assert explanation(found["M.03"]) == "level 1 sejak 2026-05-02 dari kursus Pelayanan Prima di Loket v1"

    assert competency_evidence.withdraw_assessment(session, evidence, by=assessor, today=MAY_2)
    assert not competency_evidence.withdraw_assessment(session, evidence, by=assessor, today=MAY_2)
    session.commit()
    assert attained_rows(session, world.person)["M.05"][0] == 2, "back to the course's level"
    assert standing_of(session, world.person) == (4, 3, 1, Decimal("75.00"))
    withdrawal = session.scalars(select(AuditEntry).where(AuditEntry.action == "competency.withdraw")).one()
    assert (withdrawal.actor_id, withdrawal.target_id) == (assessor.id, str(world.person.id))


def test_course_evidence_is_not_withdrawn_as_an_assessment(session: Session, world: EvidenceWorld) -> None:
    complete(session, world)
    evidence = evidence_rows(session, world.person)[0]
    with pytest.raises(ValueError, match="revoke"):
        competency_evidence.withdraw_assessment(session, evidence, by=world.person, today=MAY_2)


def test_refresh_expired_rederives_only_levels_whose_evidence_ran_out(
    session: Session, world: EvidenceWorld
) -> None:
    session.execute(
        update(CourseVersion).where(CourseVersion.id == world.outline.version_id).values(valid_years=1)
    )
    world.outline = load_outline(session, world.outline.version_id)
    complete(session, world)
    assessor = _assessor(session)
    assessment = competency_evidence.record_assessment(
        session,
        person=world.person,
        competency=world.m03,
        level=1,
        achieved_on=date(2026, 1, 5),
        note="AC",
        recorded_by=assessor,
        today=MAY_2,
    )
    session.commit()
    assert competency_evidence.refresh_expired(session, today=date(2027, 5, 1)) == 0
    assert attained_rows(session, world.person)["M.05"][3] == date(2027, 5, 2)
    assert attained_rows(session, world.person)["M.03"][1:] == (date(2026, 1, 5), assessment.id, None)
    assert competency_evidence.refresh_expired(session, today=date(2027, 5, 2)) == 1
    session.commit()
    rows = attained_rows(session, world.person)
    assert rows == {"M.03": (1, date(2026, 1, 5), assessment.id, None)}, "M.05 lapsed; the assessment lasts"
    assert standing_of(session, world.person) == (4, 1, 1, Decimal("25.00"))
    assert competency_evidence.refresh_expired(session, today=date(2027, 5, 2)) == 0


def _cli(app: Flask, *args: str):  # noqa: ANN202
    return app.test_cli_runner().invoke(args=["elearn", "competency", *args])


def test_recompute_check_agrees_with_the_incremental_state(
    app: Flask, session: Session, world: EvidenceWorld
) -> None:
    complete(session, world)
    complete(session, world, make_person(session))
    session.commit()
    result = _cli(app, "recompute", "--check")
    assert result.exit_code == 0, result.output
    assert "0 selisih ditemukan." in result.output


def test_recompute_check_reports_a_tampered_summary_and_recompute_repairs_it(
    app: Flask, session: Session, world: EvidenceWorld
) -> None:
    complete(session, world)
    session.commit()
    session.execute(
        update(AttainedCompetency).where(AttainedCompetency.competency_id == world.m05.id).values(level=5)
    )
    session.execute(update(CompetencyStanding).values(attained_total=4, gaps=0, jpm=Decimal(100)))
    session.commit()

    result = _cli(app, "recompute", "--check")
    assert result.exit_code == 1, result.output
    assert "2 selisih ditemukan." in result.output
    assert f"pegawai {world.person.id} kompetensi {world.m05.id}: tersimpan level=5" in result.output
    assert "seharusnya level=2" in result.output
    session.expire_all()
    assert attained_rows(session, world.person)["M.05"][0] == 5, "a check changes nothing"
    assert standing_of(session, world.person) == (4, 4, 0, Decimal("100.00"))

    result = _cli(app, "recompute")
    assert result.exit_code == 0, result.output
    assert "2 selisih diperbaiki." in result.output
    session.expire_all()
    assert attained_rows(session, world.person)["M.05"][0] == 2
    assert standing_of(session, world.person) == (4, 3, 1, Decimal("75.00"))
    assert _cli(app, "recompute", "--check").exit_code == 0


def test_recompute_works_through_people_in_chunks(
    monkeypatch: pytest.MonkeyPatch, session: Session, world: EvidenceWorld
) -> None:
    monkeypatch.setattr(competency_evidence, "CHUNK", 2)
    people = [make_person(session) for _ in range(5)]
    for person in people:
        person.position_id = world.position.id
        complete(session, world, person)
    session.execute(AttainedCompetency.__table__.delete())  # type: ignore[attr-defined]
    session.execute(CompetencyStanding.__table__.delete())  # type: ignore[attr-defined]
    seen: list[int] = []
    found = competency_evidence.recompute_all(session, today=MAY_2, progress=seen.append)
    assert seen == [2, 2, 2], "six people, two at a time"
    assert len([d for d in found if d.competency_id is not None]) == 2 * 5
    assert len([d for d in found if d.competency_id is None]) == 6, "everyone holds the position"

    assert competency_evidence.recompute_all(session, today=MAY_2, apply=False) == []
    assert standing_of(session, people[0]) == (4, 3, 1, Decimal("75.00"))


def test_refresh_command_reports_what_changed(app: Flask, session: Session, world: EvidenceWorld) -> None:
    complete(session, world)
    session.commit()
    result = _cli(app, "refresh")
    assert result.exit_code == 0, result.output
    assert "0 level kompetensi diperbarui." in result.output
    assert session.scalars(select(CompetencyEvidence)).all()


def test_the_set_based_recompute_derives_what_the_pure_rules_do_on_tricky_evidence(
    session: Session, world: EvidenceWorld
) -> None:
    assessor = _assessor(session)
    m05, m03 = world.m05.id, world.m03.id
    cases = [  # (competency, level, achieved_on, expires_on, withdrawn)
        (m05, 3, date(2026, 3, 1), date(2027, 3, 1), False),  # top level, expiring
        (m05, 3, date(2026, 4, 1), None, False),  # top level, lasting: the level never drops
        (m05, 3, date(2026, 2, 1), None, True),  # withdrawn: does not count
        (m05, 5, date(2026, 6, 1), None, False),  # not yet achieved
        (m05, 4, date(2024, 1, 1), date(2026, 1, 1), False),  # expired
        (m03, 2, date(2026, 1, 10), date(2027, 1, 10), False),
        (m03, 2, date(2026, 1, 5), date(2026, 12, 1), False),  # later id, earlier date: explains the level
        (m03, 2, date(2026, 1, 5), date(2026, 11, 1), False),  # same date, higher id
        (m03, 1, date(2025, 1, 5), None, False),
    ]
    session.add_all(
        CompetencyEvidence(
            person_id=world.person.id,
            competency_id=competency,
            level=level,
            achieved_on=on,
            expires_on=until,
            source="assessment",
            recorded_by_id=assessor.id,
            note="AC",
            withdrawn_at=COMPLETED_AT if withdrawn else None,
        )
        for competency, level, on, until, withdrawn in cases
    )
    session.flush()
    found = competency_evidence.recompute_all(session, today=MAY_2)
    assert {d.competency_id for d in found} == {m05, m03, None}
    expected = attained(competency_evidence.evidence_of(session, person_id=world.person.id), today=MAY_2)
    assert attained_rows(session, world.person) == {
        code: (a.level, a.since, a.evidence.id, a.valid_until) for code, a in expected.items()
    }
    ids = [e.id for e in evidence_rows(session, world.person)]
    assert attained_rows(session, world.person) == {
        "M.05": (3, date(2026, 3, 1), ids[0], None),
        "M.03": (2, date(2026, 1, 5), ids[6], date(2027, 1, 10)),
    }
