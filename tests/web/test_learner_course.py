"""Course pages, lessons and completion as a learner meets them: statuses, locks, "Lanjutkan", exactly-once
completion, and pages that never render Markdown nor query from templates."""

from __future__ import annotations

import threading
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from elearn import signals
from elearn.courses import render
from elearn.models import Completion, ModuleProgress
from tests.factories import login
from tests.web.learning_support import (
    ADVANCED,
    BASIC,
    Learner,
    counting_statements,
    csrf_of,
    make_learner,
    question_id,
    start_attempt,
    submit,
    sync_journey_courses,
    token_for,
)
from tests.web.test_course_sync import write_course


@pytest.fixture
def learner(app: Flask, session: Session) -> Learner:
    sync_journey_courses(session)
    return make_learner(app, session)


def _page(learner: Learner, url: str) -> str:
    response = learner.client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def _take_pretest(learner: Learner, session: Session) -> None:
    attempt = start_attempt(learner.client, BASIC, "01-pretest")
    answers = {question_id(session, "pre-spm"): ["b"], question_id(session, "pre-hari"): ["14"]}
    assert submit(learner.client, attempt, token_for(learner.client, attempt), answers).status_code == 302


def _mark_done(learner: Learner, key: str):  # noqa: ANN202
    page = _page(learner, f"/kursus/{BASIC}/{key}")
    return learner.client.post(f"/kursus/{BASIC}/{key}/selesai", data={"csrf_token": csrf_of(page)})


def test_course_page_shows_modules_jp_competencies_and_locks_until_pretest(learner: Learner) -> None:
    page = _page(learner, f"/kursus/{BASIC}")
    assert "Layanan Dasar" in page and "2 JP" in page
    assert "M.05" in page and "level 2" in page
    assert page.count('class="module-item module-locked"') == 5  # every module but the pretest
    assert "Kerjakan pretest terlebih dahulu." in page
    assert f'href="/kursus/{BASIC}/01-pretest"' in page
    assert f'href="/kursus/{BASIC}/02-standar"' not in page


def test_locked_lesson_sends_back_to_the_course(learner: Learner) -> None:
    response = learner.client.get(f"/kursus/{BASIC}/02-standar")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/kursus/{BASIC}")


def test_after_the_pretest_lessons_open_and_posttest_waits_for_them(
    learner: Learner, session: Session
) -> None:
    _take_pretest(learner, session)
    page = _page(learner, f"/kursus/{BASIC}")
    assert f'href="/kursus/{BASIC}/02-standar"' in page
    assert f'href="/kursus/{BASIC}/05-posttest"' not in page
    assert "Terbuka setelah semua modul wajib lainnya selesai." in page
    assert "Lanjutkan" in page and "Standar Pelayanan" in page


def test_lesson_shows_stored_html_without_rendering(learner: Learner, session: Session, monkeypatch) -> None:
    _take_pretest(learner, session)

    def no_rendering(*args: object, **kwargs: object) -> None:
        raise AssertionError("a lesson page rendered Markdown")

    monkeypatch.setattr(render, "render_markdown", no_rendering)
    page = _page(learner, f"/kursus/{BASIC}/02-standar")
    assert "<strong>persyaratan</strong>" in page
    assert 'href="03-maklumat"' in page  # module links stay relative to the course's address
    assert "Tandai selesai dan lanjutkan" in page
    assert 'rel="next"' in page and "Maklumat Pelayanan" in page


def test_lesson_page_costs_a_fixed_handful_of_statements(
    app: Flask, learner: Learner, session: Session
) -> None:
    _take_pretest(learner, session)
    _page(learner, f"/kursus/{BASIC}/02-standar")  # first visit records "started" and warms the outline cache
    with counting_statements(app) as statements:
        _page(learner, f"/kursus/{BASIC}/02-standar")
    # who is signed in; the course's current version with the person's progress and completions (one UNION ALL);
    # the lesson's HTML comes from the process's cache
    assert len(statements) <= 2, statements


def test_marking_lessons_done_moves_on_and_unlocks_the_posttest(learner: Learner, session: Session) -> None:
    _take_pretest(learner, session)
    response = _mark_done(learner, "02-standar")
    assert response.headers["Location"].endswith(f"/kursus/{BASIC}/03-maklumat")
    _mark_done(learner, "03-maklumat")
    page = _page(learner, f"/kursus/{BASIC}")
    assert f'href="/kursus/{BASIC}/05-posttest"' not in page  # the quiz is required and not passed yet
    rows = session.scalar(
        select(func.count()).select_from(ModuleProgress).where(ModuleProgress.status == "completed")
    )
    assert rows == 3  # pretest and two lessons


def test_course_with_unmet_prerequisite_is_locked_with_its_reason(learner: Learner) -> None:
    page = _page(learner, f"/kursus/{ADVANCED}")
    assert "Kursus ini terbuka setelah Anda menyelesaikan:" in page
    assert f'href="/kursus/{BASIC}"' in page and "Layanan Dasar" in page
    assert learner.client.get(f"/kursus/{ADVANCED}/01-materi").status_code == 302


def test_unknown_course_and_module_are_not_found(learner: Learner) -> None:
    assert learner.client.get("/kursus/tidak-ada").status_code == 404
    assert learner.client.get(f"/kursus/{BASIC}/99-tidak-ada").status_code == 404


def test_asset_is_served_with_type_and_revalidation(app: Flask, session: Session, tmp_path: Path) -> None:
    root = tmp_path / "courses"
    write_course(root, "kursus-aset")
    sync_journey_courses(session, root)
    learner = make_learner(app, session)
    response = learner.client.get("/kursus/kursus-aset/assets/alur.png")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    again = learner.client.get(
        "/kursus/kursus-aset/assets/alur.png", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304
    assert learner.client.get("/kursus/kursus-aset/assets/tidak-ada.png").status_code == 404


def _complete_everything_but_the_survey(learner: Learner, session: Session) -> None:
    _take_pretest(learner, session)
    _mark_done(learner, "02-standar")
    _mark_done(learner, "03-maklumat")
    quiz = start_attempt(learner.client, BASIC, "04-kuis")
    answers = {
        question_id(session, "kuis-spm"): ["b"],
        question_id(session, "kuis-komponen"): ["syarat", "waktu"],
        question_id(session, "kuis-maklumat"): ["true"],
        question_id(session, "kuis-istilah"): ["Maklumat"],
    }
    submit(learner.client, quiz, token_for(learner.client, quiz), answers)


def test_completing_the_course_records_one_completion_and_one_signal(
    app: Flask, learner: Learner, session: Session
) -> None:
    heard: list[dict[str, object]] = []

    def receiver(sender: Flask, **payload: object) -> None:
        heard.append(payload)

    signals.course_completed.connect(receiver)
    try:
        _complete_everything_but_the_survey(learner, session)
        post = start_attempt(learner.client, BASIC, "05-posttest")
        answers = {question_id(session, "post-spm"): ["b"], question_id(session, "post-hari"): ["14"]}
        token = token_for(learner.client, post)
        response = submit(learner.client, post, token, answers)
        again = submit(learner.client, post, token, answers)  # a resend after a lost response
        assert (response.status_code, again.status_code) == (302, 302)
        assert again.headers["Location"] == response.headers["Location"]
    finally:
        signals.course_completed.disconnect(receiver)
    completions = session.scalars(select(Completion)).all()
    assert len(completions) == 1
    assert completions[0].jp == Decimal("2.00") and completions[0].final_score == Decimal("100.00")
    assert [event["completion_id"] for event in heard] == [completions[0].id]
    page = _page(learner, "/")
    assert "Layanan Dasar" in page and "Sudah selesai" in page
    assert "2</strong> / 20 JP" in page


def test_concurrent_completion_of_the_last_module_records_one_completion(
    app: Flask, learner: Learner, session: Session
) -> None:
    _complete_everything_but_the_survey(learner, session)
    post = start_attempt(learner.client, BASIC, "05-posttest")
    answers = {question_id(session, "post-spm"): ["b"], question_id(session, "post-hari"): ["14"]}
    token = token_for(learner.client, post)
    statuses: list[int] = []
    barrier = threading.Barrier(2)
    clients = [app.test_client(), app.test_client()]
    for client in clients:
        login(client, learner.person)

    def send(client: object) -> None:
        barrier.wait()
        statuses.append(submit(client, post, token, answers).status_code)

    threads = [threading.Thread(target=send, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302, 302]
    assert session.scalar(select(func.count()).select_from(Completion)) == 1
