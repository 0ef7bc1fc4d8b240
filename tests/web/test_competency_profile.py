"""The competency profile over HTTP: attained against the standard, explanations, JPM, recommendations, the same
page for the person, their mentor, their supervisors and admins, and a 404 for everyone else."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from elearn.models import AttainedCompetency, Competency, CompetencyEvidence, Person, PositionStandard
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
    world = build_world(session)
    sync_journey_courses(session)
    give_standard(session, world.in_a1, {"M.05": 3, "M.03": 2})
    assess(session, world.in_a1, "M.05", 1, on=date(2026, 5, 2), by=world.head_a)
    assess(session, world.in_a1, "SK.01", 2, on=date(2026, 3, 1), by=world.head_a)
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
    assert "JPM 20 %" in body and "Belum memenuhi standar" in body  # (1 + 0) / (3 + 2)
    assert "2 kompetensi di bawah standar." in body
    assert "Level 1 sejak 2 Mei 2026 dari asesmen yang dicatat Kepala Dinas A" in body
    assert '<svg class="level-chart"' in body and "Belum ada bukti" in body  # M.03 has none
    assert "Kompetensi lain yang dicapai" in body  # SK.01 is beyond the standard


def test_recommendations_put_the_prerequisite_first(client, world):
    login(client, world.head_a)
    body = body_of(client, f"/atasan/orang/{world.in_a1.id}/kompetensi")
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


def test_the_person_sees_their_own_profile_with_links_to_courses(client, world):
    login(client, world.in_a1)
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


def test_profile_statements_do_not_grow_with_the_history(app, client, session, world):
    login(client, world.head_a)
    url = f"/atasan/orang/{world.in_a1.id}/kompetensi"
    before = len(page_statements(app, client, url))
    assert before <= 10  # viewer, person, roles, standard, attained, history, offers (2), completions, JP
    for code in ("M.01", "M.02", "M.03", "M.04"):
        assess(session, world.in_a1, code, 1, on=date(2026, 1, 5), by=world.head_a)
    for day in range(1, 15):
        assess(session, world.in_a1, "M.05", 1, on=date(2026, 1, day), by=world.head_a, summary=False)
    session.commit()
    assert len(page_statements(app, client, url)) == before


def test_the_catalogue_recommends_courses_for_my_gaps(client, world):
    login(client, world.in_a1)
    body = body_of(client, "/kursus")
    recommended = body.split("Disarankan untuk Anda", 1)[1].split("kursus ditemukan", 1)[0]
    assert recommended.index("Layanan Dasar") < recommended.index("Layanan Lanjutan")


def test_the_catalogue_recommends_nothing_without_a_standard(client, world):
    login(client, world.in_a)
    assert "Disarankan untuk Anda" not in body_of(client, "/kursus")
