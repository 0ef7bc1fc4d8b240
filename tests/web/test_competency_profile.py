"""The competency profile over HTTP: attained against the standard, explanations, JPM, recommendations, the same
page for the person, their mentor, their supervisors and admins, and a 404 for everyone else."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from elearn.models import AttainedCompetency, Competency, CompetencyEvidence, Person, PositionStandard
from elearn.services.competency import seed_dictionary
from elearn.services.competency_standing import refresh_standings
from tests.factories import login, make_position
from tests.statements import page_statements
from tests.web.learning_support import sync_journey_courses
from tests.web.scope_world import World, build_world


def competency(session: Session, code: str) -> Competency:
    return session.scalars(select(Competency).where(Competency.code == code)).one()


def assess(
    session: Session, person: Person, code: str, level: int, *, on: date, by: Person, summary: bool = True
) -> None:
    """Assessed evidence, with the summary row the evidence service keeps unless `summary` is false."""
    evidence = CompetencyEvidence(
        person_id=person.id,
        competency_id=competency(session, code).id,
        level=level,
        achieved_on=on,
        source="assessment",
        recorded_by_id=by.id,
        note="Hasil asesmen",
    )
    session.add(evidence)
    session.flush()
    if not summary:
        return
    session.add(
        AttainedCompetency(
            person_id=person.id,
            competency_id=evidence.competency_id,
            level=level,
            since=on,
            evidence_id=evidence.id,
        )
    )
    session.flush()


def give_standard(session: Session, person: Person, levels: dict[str, int]) -> None:
    position = make_position(session)
    session.add_all(
        PositionStandard(
            position_id=position.id, competency_id=competency(session, code).id, required_level=level
        )
        for code, level in levels.items()
    )
    person.position_id = position.id
    session.flush()
    refresh_standings(session, person_ids=[person.id])


@pytest.fixture
def world(session: Session) -> World:
    """The scope world; Budi (in A1) holds a position requiring M.05 at 3 and M.03 at 2 and attained M.05 at 1."""
    world = build_world(session)
    seed_dictionary(session)
    give_standard(session, world.in_a1, {"M.05": 3, "M.03": 2})
    assess(session, world.in_a1, "M.05", 1, on=date(2026, 5, 2), by=world.head_a)
    assess(session, world.in_a1, "SK.01", 2, on=date(2026, 3, 1), by=world.head_a)
    session.commit()
    return world


@pytest.fixture
def courses(session: Session, world: World) -> World:
    """The world with the journey courses: Layanan Lanjutan proves M.05 at 3 and needs Layanan Dasar first."""
    sync_journey_courses(session)
    session.commit()
    return world


def body_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_supervisor_sees_levels_against_the_standard_with_their_explanation(client, world):
    login(client, world.head_a)
    body = body_of(client, f"/atasan/orang/{world.in_a1.id}/kompetensi")
    assert "Budi Santoso" in body
    assert "JPM 20 %" in body and "Kurang memenuhi syarat" in body  # (1 + 0) / (3 + 2)
    assert "2 kompetensi di bawah standar." in body
    assert "level 1 sejak 2 Mei 2026 dari asesmen: Hasil asesmen" in body
    assert '<svg class="level-chart"' in body and "Belum ada bukti" in body  # M.03 has none
    assert "Kompetensi lain yang dicapai" in body  # SK.01 is beyond the standard


def test_recommendations_put_the_prerequisite_first(client, courses):
    login(client, courses.head_a)
    body = body_of(client, f"/atasan/orang/{courses.in_a1.id}/kompetensi")
    recommended = body.split("Kursus yang disarankan", 1)[1]
    assert recommended.index("Layanan Dasar") < recommended.index("Layanan Lanjutan")
    assert "Membuktikan M.05 level 3" in recommended
    assert "Prasyarat untuk kursus berikutnya dalam daftar ini." in recommended


def test_a_person_without_a_standard_is_told_so(client, world):
    login(client, world.head_a)
    body = body_of(client, f"/atasan/orang/{world.in_a.id}/kompetensi")
    assert (
        "Pegawai ini belum memiliki jabatan" in body
        and "JPM" not in body.split("<main", 1)[-1].split("jp-bar")[0]
    )


def test_the_person_sees_their_own_profile_with_links_to_courses(client, courses):
    login(client, courses.in_a1)
    body = body_of(client, "/kompetensi")
    assert "Kompetensi saya" in body and "JPM 20 %" in body
    assert 'href="/kursus/layanan-lanjut"' in body


@pytest.mark.parametrize(
    ("viewer", "url", "status"),
    [
        ("head_a", "/atasan/orang/{in_a1}/kompetensi", 200),
        ("head_a", "/atasan/orang/{in_a}/kompetensi", 200),
        ("head_a", "/atasan/orang/{in_b}/kompetensi", 404),
        ("head_a", "/atasan/orang/987654/kompetensi", 404),
        ("mentor", "/mentor/mentee/{mentee_now}/kompetensi", 200),
        ("mentor", "/mentor/mentee/{mentee_past}/kompetensi", 404),
        ("mentor", "/mentor/mentee/{in_a1}/kompetensi", 404),
        ("admin", "/admin/orang/{in_a1}/kompetensi", 200),
        ("admin", "/admin/orang/987654/kompetensi", 404),
        ("employee", "/atasan/orang/{in_a1}/kompetensi", 404),
        ("employee", "/mentor/mentee/{mentee_now}/kompetensi", 404),
        ("employee", "/admin/orang/{in_a1}/kompetensi", 404),
        ("in_a1", "/atasan/orang/{in_a1}/kompetensi", 404),
    ],
)
def test_who_may_open_a_competency_profile(client, world, viewer, url, status):
    login(client, getattr(world, viewer))
    ids = {name: getattr(world, name).id for name in ("in_a", "in_a1", "in_b", "mentee_now", "mentee_past")}
    assert client.get(url.format(**ids)).status_code == status


def test_profile_statements_do_not_grow_with_the_history(app, client, session, courses):
    login(client, courses.head_a)
    url = f"/atasan/orang/{courses.in_a1.id}/kompetensi"
    before = len(page_statements(app, client, url))
    # viewer, roles, the headed units' paths, person, standard, attained, history, offers (2), completions, JP,
    # the framework for the assessment form
    assert before <= 12
    for code in ("M.01", "M.02", "M.03", "M.04"):
        assess(session, courses.in_a1, code, 1, on=date(2026, 1, 5), by=courses.head_a)
    for day in range(1, 15):
        assess(session, courses.in_a1, "M.05", 1, on=date(2026, 1, day), by=courses.head_a, summary=False)
    session.commit()
    assert len(page_statements(app, client, url)) == before


def test_the_catalogue_recommends_courses_for_my_gaps(client, courses):
    login(client, courses.in_a1)
    body = body_of(client, "/kursus")
    recommended = body.split("Disarankan untuk Anda", 1)[1].split("kursus ditemukan", 1)[0]
    assert recommended.index("Layanan Dasar") < recommended.index("Layanan Lanjutan")


def test_the_catalogue_recommends_nothing_without_a_standard(client, world):
    login(client, world.in_a)
    assert "Disarankan untuk Anda" not in body_of(client, "/kursus")


# Recording and withdrawing assessed evidence from the profile.


def attained_level(session: Session, person: Person, code: str) -> int | None:
    session.expire_all()
    return session.scalar(
        select(AttainedCompetency.level).where(
            AttainedCompetency.person_id == person.id,
            AttainedCompetency.competency_id == competency(session, code).id,
        )
    )


def assessment(**changes: object) -> dict[str, object]:
    return {
        "competency": "M.03",
        "level": "3",
        "achieved_on": "2026-06-01",
        "note": "Assessment center BKN",
    } | changes


def test_supervisor_records_an_assessment_that_raises_the_level_and_is_audited(client, session, world):
    from elearn.models import AuditEntry

    login(client, world.head_a)
    url = f"/atasan/orang/{world.in_a1.id}/kompetensi"
    assert "Catat hasil asesmen" in body_of(client, url)
    response = client.post_form(url + "/asesmen", assessment())
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    assert attained_level(session, world.in_a1, "M.03") == 3
    assert (
        session.scalar(select(AuditEntry.action).where(AuditEntry.action == "competency.assess")) is not None
    )
    body = body_of(client, url)
    assert "Hasil asesmen M.03 level 3 dicatat." in body
    assert "JPM 60 %" in body  # (1 + 2) / (3 + 2): M.03 capped at its standard of 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"achieved_on": "2999-01-01"}, "Tanggal asesmen tidak boleh di masa depan."),
        ({"note": "  "}, "Tulis catatan asesmen"),
        ({"note": "x" * 1001}, "Catatan asesmen paling banyak 1000 karakter."),
        ({"level": "7"}, 'aria-invalid="true"'),
        ({"competency": "X.99"}, 'aria-invalid="true"'),
        ({"achieved_on": "kemarin"}, 'aria-invalid="true"'),
    ],
)
def test_a_refused_assessment_says_why_and_changes_nothing(client, session, world, changes, message):
    login(client, world.head_a)
    response = client.post_form(f"/atasan/orang/{world.in_a1.id}/kompetensi/asesmen", assessment(**changes))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert attained_level(session, world.in_a1, "M.03") is None


@pytest.mark.parametrize(
    ("viewer", "url"),
    [
        ("head_a", "/atasan/orang/{in_b}/kompetensi/asesmen"),
        ("head_a", "/atasan/orang/{head_a}/kompetensi/asesmen"),
        ("mentor", "/atasan/orang/{mentee_now}/kompetensi/asesmen"),
        ("employee", "/admin/orang/{in_a1}/kompetensi/asesmen"),
    ],
)
def test_nobody_outside_the_scope_or_themself_may_record_an_assessment(client, session, world, viewer, url):
    login(client, getattr(world, viewer))
    ids = {name: getattr(world, name).id for name in ("in_a1", "in_b", "head_a", "mentee_now")}
    response = client.post_form(url.format(**ids), assessment())
    assert response.status_code == 404
    assert (
        session.scalar(
            select(CompetencyEvidence.id).where(
                CompetencyEvidence.competency_id == competency(session, "M.03").id
            )
        )
        is None
    )


def test_a_supervisor_sees_no_assessment_form_on_their_own_profile_nor_a_mentor(client, world):
    login(client, world.mentor)
    assert "Catat hasil asesmen" not in body_of(client, f"/mentor/mentee/{world.mentee_now.id}/kompetensi")


def test_admin_withdraws_an_assessment_and_the_level_drops(client, session, world):
    login(client, world.admin)
    url = f"/admin/orang/{world.in_a1.id}/kompetensi"
    assert client.post_form(url + "/asesmen", assessment(competency="M.05", level="2")).status_code == 302
    assert attained_level(session, world.in_a1, "M.05") == 2
    latest = session.scalar(select(func.max(CompetencyEvidence.id)))
    assert client.post_form(f"{url}/asesmen/{latest}/tarik").status_code == 302
    assert attained_level(session, world.in_a1, "M.05") == 1
    assert "Ditarik" in body_of(client, url)


def test_withdrawing_evidence_of_someone_else_answers_404(client, session, world):
    login(client, world.head_a)
    theirs = session.scalar(
        select(CompetencyEvidence.id).where(CompetencyEvidence.person_id == world.in_a1.id)
    )
    assert (
        client.post_form(f"/atasan/orang/{world.in_a.id}/kompetensi/asesmen/{theirs}/tarik").status_code
        == 404
    )
    assert (
        client.post_form(f"/atasan/orang/{world.in_b.id}/kompetensi/asesmen/{theirs}/tarik").status_code
        == 404
    )
