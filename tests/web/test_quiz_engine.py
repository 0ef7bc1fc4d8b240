"""The quiz engine over HTTP, on SQLite and PostgreSQL, with real concurrency where it matters: fixed layouts,
autosave, stale writes, refused input, attempt limits, deadlines, idempotent submit, and keys that never leak."""

from __future__ import annotations

import re
import threading
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from flask import Flask
from itsdangerous import timed
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from elearn.clock import FixedClock
from elearn.models import QuizAnswer, QuizAttempt
from tests.factories import login
from tests.web.learning_support import (
    BASIC,
    Learner,
    answer_form,
    autosave,
    counting_statements,
    csrf_of,
    make_learner,
    question_id,
    start_attempt,
    submit,
    sync_journey_courses,
    token_for,
)

QUIZ = "04-kuis"
POSTTEST = "05-posttest"


@pytest.fixture
def learner(app: Flask, session: Session) -> Learner:
    """A learner who took the pre-test and read both lessons, so the quiz is open."""
    sync_journey_courses(session)
    learner = make_learner(app, session)
    pretest = start_attempt(learner.client, BASIC, "01-pretest")
    submit(
        learner.client, pretest, token_for(learner.client, pretest), {question_id(session, "pre-spm"): ["a"]}
    )
    for key in ("02-standar", "03-maklumat"):
        page = learner.client.get(f"/kursus/{BASIC}/{key}").get_data(as_text=True)
        learner.client.post(f"/kursus/{BASIC}/{key}/selesai", data={"csrf_token": csrf_of(page)})
    return learner


def _attempt(session: Session, attempt_id: int) -> QuizAttempt:
    session.expire_all()
    return session.get(QuizAttempt, attempt_id)


def _quiz_ids(session: Session) -> dict[str, int]:
    return {
        qid: question_id(session, qid)
        for qid in ("kuis-spm", "kuis-komponen", "kuis-maklumat", "kuis-istilah", "kuis-jodoh")
    }


def _shown_order(client: object, attempt_id: int) -> list[str]:
    pages = []
    for page in (1, 2, 3):
        html = client.get(f"/kuis/{attempt_id}?hal={page}").get_data(as_text=True)
        pages += re.findall(r'name="shown" value="(\d+)"', html) + re.findall(
            r'name="q\d+" value="([^"]+)"', html
        )
    return pages


def test_reload_and_another_device_show_the_same_attempt(
    app: Flask, learner: Learner, session: Session
) -> None:
    attempt = start_attempt(learner.client, BASIC, QUIZ)
    order = _shown_order(learner.client, attempt)
    assert _shown_order(learner.client, attempt) == order
    other_device = app.test_client()
    login(other_device, learner.person)
    assert start_attempt(other_device, BASIC, QUIZ) == attempt  # starting again returns the open attempt
    assert _shown_order(other_device, attempt) == order


def test_autosaved_answers_survive_a_reload(learner: Learner, session: Session) -> None:
    ids = _quiz_ids(session)
    attempt = start_attempt(learner.client, BASIC, QUIZ)
    token = token_for(learner.client, attempt)
    saved = autosave(learner.client, attempt, token, {ids["kuis-istilah"]: ["maklumat"]}, rev=0)
    assert saved.status_code == 200
    assert saved.get_json() == {"revision": 1, "saved": [ids["kuis-istilah"]], "conflicts": []}
    pages = "".join(learner.client.get(f"/kuis/{attempt}?hal={n}").get_data(as_text=True) for n in (1, 2, 3))
    assert 'value="maklumat"' in pages


def test_stale_write_from_a_second_tab_is_reported_not_saved(learner: Learner, session: Session) -> None:
    ids = _quiz_ids(session)
    attempt = start_attempt(learner.client, BASIC, QUIZ)
    token = token_for(learner.client, attempt)
    first = autosave(learner.client, attempt, token, {ids["kuis-spm"]: ["b"]}, rev=0).get_json()
    assert first["revision"] == 1
    stale = autosave(
        learner.client, attempt, token, {ids["kuis-spm"]: ["a"], ids["kuis-maklumat"]: ["true"]}, rev=0
    )
    assert stale.get_json()["conflicts"] == [ids["kuis-spm"]]
    assert stale.get_json()["saved"] == [ids["kuis-maklumat"]]
    stored = session.scalar(select(QuizAnswer.response).where(QuizAnswer.question_id == ids["kuis-spm"]))
    assert stored == {"choices": ["b"]}


def test_option_of_another_question_and_foreign_question_are_refused_whole(
    learner: Learner, session: Session
) -> None:
    ids = _quiz_ids(session)
    attempt = start_attempt(learner.client, BASIC, QUIZ)
    token = token_for(learner.client, attempt)
    foreign_option = autosave(
        learner.client, attempt, token, {ids["kuis-spm"]: ["syarat"], ids["kuis-istilah"]: ["x"]}
    )
    assert foreign_option.status_code == 400
    foreign_question = autosave(learner.client, attempt, token, {question_id(session, "post-spm"): ["b"]})
    assert foreign_question.status_code == 400
    assert (
        session.scalar(select(func.count()).select_from(QuizAnswer).where(QuizAnswer.attempt_id == attempt))
        == 0
    )


def test_writes_without_the_attempt_token_or_by_someone_else_are_refused(
    app: Flask, learner: Learner, session: Session
) -> None:
    ids = _quiz_ids(session)
    attempt = start_attempt(learner.client, BASIC, QUIZ)
    assert autosave(learner.client, attempt, "forged", {ids["kuis-spm"]: ["b"]}).status_code == 400
    intruder = make_learner(app, session, name="Agus Saputra")
    token = token_for(learner.client, attempt)
    assert autosave(intruder.client, attempt, token, {ids["kuis-spm"]: ["b"]}).status_code == 400
    assert intruder.client.get(f"/kuis/{attempt}").status_code == 404
    assert intruder.client.get(f"/kuis/{attempt}/hasil").status_code == 404


def test_open_attempt_page_holds_no_key_feedback_or_explanation(learner: Learner) -> None:
    attempt = start_attempt(learner.client, BASIC, QUIZ)
    html = "".join(learner.client.get(f"/kuis/{attempt}?hal={n}").get_data(as_text=True) for n in (1, 2, 3))
    assert "Standar Pelayanan Minimal" in html and "Indeks Kepuasan Masyarakat" in html
    for secret in (
        "maklumat pelayanan",
        "Bukan, itu nama aplikasi",
        "Penjelasan",
        "correct",
        "credit",
        "answer_key",
    ):
        assert secret not in html


def test_score_is_computed_on_the_server_whatever_the_client_sends(
    learner: Learner, session: Session
) -> None:
    ids = _quiz_ids(session)
    attempt = start_attempt(learner.client, BASIC, QUIZ)
    form = answer_form(token_for(learner.client, attempt), {ids["kuis-spm"]: ["b"]}, score="100", passed="1")
    learner.client.post(f"/kuis/{attempt}/kirim", data=form)
    finished = _attempt(session, attempt)
    # 1 of 6 points: kuis-spm right (1), komponen (2), maklumat (1), istilah (1), jodoh (1) unanswered
    assert (finished.score_points, finished.max_points) == (Decimal("1.00"), Decimal("6.00"))
    assert finished.score_percent == Decimal("16.67") and finished.passed is False


def test_full_marks_pass_and_show_the_review(learner: Learner, session: Session) -> None:
    ids = _quiz_ids(session)
    attempt = start_attempt(learner.client, BASIC, QUIZ)
    html = "".join(learner.client.get(f"/kuis/{attempt}?hal={n}").get_data(as_text=True) for n in (1, 2, 3))
    meaning = {"SPM": "Standar Pelayanan Minimal", "IKM": "Indeks Kepuasan Masyarakat"}
    rows = re.findall(
        rf'<label for="q{ids["kuis-jodoh"]}-\d+">(\w+)</label>\s*<select[^>]*>(.*?)</select>',
        html,
        flags=re.S,
    )
    assert sorted(left for left, _ in rows) == ["IKM", "SPM"]
    chosen = [
        re.search(rf'<option value="([^"]+)">{meaning[left]}</option>', options).group(1)
        for left, options in rows
    ]
    answers = {
        ids["kuis-spm"]: ["b"],
        ids["kuis-komponen"]: ["syarat", "waktu"],
        ids["kuis-maklumat"]: ["true"],
        ids["kuis-istilah"]: ["  Maklumat  "],
        ids["kuis-jodoh"]: chosen,
    }
    response = submit(learner.client, attempt, token_for(learner.client, attempt), answers)
    result = learner.client.get(response.headers["Location"]).get_data(as_text=True)
    assert _attempt(session, attempt).score_percent == Decimal("100.00")
    assert "Lulus" in result and "Pembahasan" in result and "SPM mengatur mutu pelayanan dasar." in result


def test_attempts_beyond_the_limit_are_refused(learner: Learner, session: Session) -> None:
    for _ in range(2):
        attempt = start_attempt(learner.client, BASIC, QUIZ)
        submit(learner.client, attempt, token_for(learner.client, attempt))
    page = learner.client.get(f"/kursus/{BASIC}/{QUIZ}").get_data(as_text=True)
    assert "Kesempatan mengerjakan sudah habis." in page
    refused = learner.client.post(f"/kursus/{BASIC}/{QUIZ}/mulai", data={"csrf_token": csrf_of(page)})
    assert refused.status_code == 302
    assert (
        session.scalar(select(func.count()).select_from(QuizAttempt).where(QuizAttempt.module_key == QUIZ))
        == 2
    )


def _posttest_open(learner: Learner, session: Session) -> None:
    ids = _quiz_ids(session)
    attempt = start_attempt(learner.client, BASIC, QUIZ)
    submit(
        learner.client,
        attempt,
        token_for(learner.client, attempt),
        {
            ids["kuis-spm"]: ["b"],
            ids["kuis-komponen"]: ["syarat", "waktu"],
            ids["kuis-maklumat"]: ["true"],
            ids["kuis-istilah"]: ["maklumat"],
        },
    )


def test_expired_attempt_is_finished_from_saved_answers_at_its_deadline(
    app: Flask, learner: Learner, session: Session
) -> None:
    _posttest_open(learner, session)
    attempt = start_attempt(learner.client, BASIC, POSTTEST)
    token = token_for(learner.client, attempt)
    autosave(learner.client, attempt, token, {question_id(session, "post-spm"): ["b"]})
    deadline = _attempt(session, attempt).deadline_at
    assert deadline is not None
    state = app.extensions["elearn"]
    state.clock = FixedClock(state.clock.timezone, at=deadline + timedelta(minutes=5))
    late = autosave(learner.client, attempt, token, {question_id(session, "post-hari"): ["14"]})
    assert late.status_code == 409 and late.get_json()["status"] == "expired"
    finished = _attempt(session, attempt)
    assert (finished.status, finished.finished_by, finished.finished_at) == ("expired", "deadline", deadline)
    assert finished.score_percent == Decimal("50.00")


def test_starting_again_after_the_time_ran_out_finishes_the_old_attempt_first(
    app: Flask, learner: Learner, session: Session
) -> None:
    _posttest_open(learner, session)
    first = start_attempt(learner.client, BASIC, POSTTEST)
    autosave(
        learner.client, first, token_for(learner.client, first), {question_id(session, "post-spm"): ["b"]}
    )
    deadline = _attempt(session, first).deadline_at
    state = app.extensions["elearn"]
    state.clock = FixedClock(state.clock.timezone, at=deadline + timedelta(hours=1))
    page = learner.client.get(f"/kursus/{BASIC}/{POSTTEST}").get_data(as_text=True)
    response = learner.client.post(f"/kursus/{BASIC}/{POSTTEST}/mulai", data={"csrf_token": csrf_of(page)})
    second = int(response.headers["Location"].rsplit("/", 1)[-1])
    old, new = _attempt(session, first), _attempt(session, second)
    assert (old.status, old.finished_at, old.score_percent) == ("expired", deadline, Decimal("50.00"))
    assert (new.status, new.number) == ("open", 2)


def test_expired_attempt_nobody_returns_to_is_closed_by_the_cron_command(
    app: Flask, learner: Learner, session: Session
) -> None:
    _posttest_open(learner, session)
    attempt = start_attempt(learner.client, BASIC, POSTTEST)
    autosave(
        learner.client, attempt, token_for(learner.client, attempt), {question_id(session, "post-spm"): ["b"]}
    )
    deadline = _attempt(session, attempt).deadline_at
    state = app.extensions["elearn"]
    state.clock = FixedClock(state.clock.timezone, at=deadline + timedelta(hours=3))
    result = app.test_cli_runner().invoke(args=["elearn", "attempts", "close-expired"])
    assert result.exit_code == 0, result.output
    assert "1 percobaan" in result.output
    finished = _attempt(session, attempt)
    assert (finished.status, finished.finished_at, finished.score_percent) == (
        "expired",
        deadline,
        Decimal("50.00"),
    )


def test_submit_succeeds_after_the_session_csrf_token_expired(
    app: Flask, learner: Learner, session: Session, monkeypatch
) -> None:
    _posttest_open(learner, session)
    attempt = start_attempt(learner.client, BASIC, POSTTEST)
    old_csrf = csrf_of(learner.client.get(f"/kursus/{BASIC}/02-standar").get_data(as_text=True))
    token = token_for(learner.client, attempt)
    real_time = time.time
    monkeypatch.setattr(
        timed.time, "time", lambda: real_time() + 80 * 60
    )  # 80 minutes later, in the signer's eyes
    expired_form = learner.client.post(f"/kursus/{BASIC}/02-standar/selesai", data={"csrf_token": old_csrf})
    assert expired_form.status_code == 400  # the session's token really is too old for ordinary forms
    answers = {question_id(session, "post-spm"): ["b"], question_id(session, "post-hari"): ["14"]}
    response = submit(learner.client, attempt, token, answers)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/kuis/{attempt}/hasil")
    assert _attempt(session, attempt).status == "submitted"


def _in_threads(count: int, work) -> list[object]:  # noqa: ANN001
    barrier = threading.Barrier(count)
    results: list[object] = []
    errors: list[BaseException] = []

    def run() -> None:
        barrier.wait()
        try:
            results.append(work())
        except BaseException as error:  # noqa: BLE001  (reported below)
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


def test_twenty_concurrent_starts_give_one_open_attempt(
    app: Flask, learner: Learner, session: Session
) -> None:
    page = learner.client.get(f"/kursus/{BASIC}/{QUIZ}").get_data(as_text=True)
    csrf = csrf_of(page)
    cookie = learner.client.get_cookie("session").value

    def start() -> str:
        client = app.test_client()
        client.set_cookie("session", cookie)
        response = client.post(f"/kursus/{BASIC}/{QUIZ}/mulai", data={"csrf_token": csrf})
        return response.headers["Location"]

    locations = _in_threads(20, start)
    assert len(set(locations)) == 1
    open_attempts = session.scalar(
        select(func.count()).select_from(QuizAttempt).where(QuizAttempt.module_key == QUIZ)
    )
    assert open_attempts == 1


def test_two_concurrent_submits_record_one_result(app: Flask, learner: Learner, session: Session) -> None:
    ids = _quiz_ids(session)
    attempt = start_attempt(learner.client, BASIC, QUIZ)
    token = token_for(learner.client, attempt)
    cookie = learner.client.get_cookie("session").value

    def send() -> int:
        client = app.test_client()
        client.set_cookie("session", cookie)
        return submit(client, attempt, token, {ids["kuis-spm"]: ["b"]}).status_code

    assert _in_threads(2, send) == [302, 302]
    finished = _attempt(session, attempt)
    assert finished.status == "submitted" and finished.score_points == Decimal("1.00")
    assert (
        session.scalar(select(func.count()).select_from(QuizAttempt).where(QuizAttempt.module_key == QUIZ))
        == 1
    )


def test_attempt_page_and_autosave_cost_a_fixed_number_of_statements(
    app: Flask, learner: Learner, session: Session
) -> None:
    ids = _quiz_ids(session)
    attempt = start_attempt(learner.client, BASIC, QUIZ)
    token = token_for(learner.client, attempt)
    with counting_statements(app) as page_statements:
        assert learner.client.get(f"/kuis/{attempt}?hal=2").status_code == 200
    # who is signed in, the attempt, the course's current version, questions of the page, saved answers
    assert len(page_statements) <= 6, page_statements
    with counting_statements(app) as save_statements:
        assert autosave(learner.client, attempt, token, {ids["kuis-spm"]: ["b"]}, rev=0).status_code == 200
    # who is signed in, lock the attempt, the questions with their saved answers, revision update, answer
    # insert; nothing after the commit (the signed-in person is not read again)
    writes = [s for s in save_statements if not s.lstrip().upper().startswith(("BEGIN", "COMMIT"))]
    assert len(writes) <= 5, save_statements
