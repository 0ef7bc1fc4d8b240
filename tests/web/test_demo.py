"""`flask elearn demo`: a realistic demo organisation, loaded once, with a working login per role."""

import re
from datetime import date

from sqlalchemy import func, select

from elearn.models import Mentorship, Person, Unit
from elearn.people.nip import identifier_problem


def _run_demo(app):
    result = app.test_cli_runner().invoke(args=["elearn", "demo"])
    assert result.exit_code == 0, result.output
    return re.findall(r"^\s+(\w+)\s+(\d{18})\s+(\S+)\s", result.output, flags=re.M)


def test_demo_creates_organisation_with_valid_people_and_logins(app, session, client):
    logins = _run_demo(app)
    assert {role for role, _, _ in logins} == {"admin", "supervisor", "mentor", "trainer", "employee"}
    people = session.scalars(select(Person)).all()
    assert 50 <= len(people) <= 80
    assert all(identifier_problem(p.nip, today=date.today()) is None for p in people)
    assert session.scalar(select(func.count()).select_from(Unit).where(Unit.parent_id.is_not(None))) >= 10
    assert session.scalar(select(func.count()).select_from(Mentorship)) >= 5
    role, nip, password = logins[0]
    response = client.post_form("/masuk", {"identifier": nip, "password": password})
    assert response.status_code == 302 and not response.headers["Location"].endswith("/masuk")


def test_demo_runs_twice_without_duplicating_and_changes_passwords(app, session, client):
    first = _run_demo(app)
    count = session.scalar(select(func.count()).select_from(Person))
    second = _run_demo(app)
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Person)) == count
    assert [nip for _, nip, _ in first] == [nip for _, nip, _ in second]
    assert all(a != b for (_, _, a), (_, _, b) in zip(first, second, strict=True))
    _, nip, old_password = first[0]
    response = client.post_form("/masuk", {"identifier": nip, "password": old_password})
    assert response.status_code == 200, "the first run's password no longer signs in"
    assert "NIP/e-mail atau kata sandi salah." in response.get_data(as_text=True)


def test_upgrade_command_seeds_competency_dictionary_once(app, session):
    from elearn.models import Competency

    runner = app.test_cli_runner()
    assert runner.invoke(args=["elearn", "upgrade"]).exit_code == 0
    codes = set(session.scalars(select(Competency.code)))
    assert {"M.01", "M.08", "SK.01"} <= codes
    second = runner.invoke(args=["elearn", "upgrade"])
    assert "(0 baris kamus kompetensi berubah)" in second.output


def test_demo_gives_mentors_and_a_supervisor_assignments_to_follow_once(app, session):
    from pathlib import Path

    from elearn.models import Assignment, AssignmentBatch

    app.config["ELEARN_COURSES_DIR"] = str(Path(__file__).resolve().parents[2] / "courses")
    _run_demo(app)
    batches = session.scalars(select(AssignmentBatch)).all()
    assert {batch.assigner_role for batch in batches} == {"mentor", "supervisor"}
    assigned = session.scalar(select(func.count()).select_from(Assignment))
    assert assigned >= 10
    _run_demo(app)
    assert session.scalar(select(func.count()).select_from(Assignment)) == assigned


def test_demo_gives_every_position_a_competency_standard_and_assessments_once(app, session):
    from pathlib import Path

    from elearn.models import CompetencyStanding, Position, PositionStandard

    app.config["ELEARN_COURSES_DIR"] = str(Path(__file__).resolve().parents[2] / "courses")
    _run_demo(app)
    positions = session.scalar(select(func.count()).select_from(Position))
    standardised = session.scalar(select(func.count(func.distinct(PositionStandard.position_id))))
    assert standardised == positions
    rows = session.scalar(select(func.count()).select_from(PositionStandard))
    people = session.scalar(select(func.count()).select_from(Person).where(Person.position_id.is_not(None)))
    assert session.scalar(select(func.count()).select_from(CompetencyStanding)) == people
    from elearn.models import AttainedCompetency, CompetencyEvidence

    evidence = session.scalar(select(func.count()).select_from(CompetencyEvidence))
    assert evidence >= people  # most people hold several assessed levels
    assert session.scalar(select(func.count()).select_from(AttainedCompetency)) > 0
    jpm = set(session.scalars(select(CompetencyStanding.jpm)))
    assert len(jpm) > 3, "the demo shows a spread of JPM"
    _run_demo(app)
    assert session.scalar(select(func.count()).select_from(PositionStandard)) == rows
    assert session.scalar(select(func.count()).select_from(CompetencyEvidence)) == evidence
