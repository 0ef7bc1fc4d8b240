"""Quiz pages: the start page, attempt pages with autosave, the review before sending, submit and the result.

The attempt endpoints that write (`save`, `submit`) are exempt from the session's CSRF token and check the
attempt's own token instead: an HMAC of the attempt and its owner, printed in the attempt page. It protects the
same way (another site cannot know it) but does not expire after an hour, so a 90-minute post-test still submits.
Every page works without JavaScript (page by page forms); `static/elearn/quiz.js` adds autosave and offline queueing.
"""

from __future__ import annotations

import hashlib
import hmac
import random
import secrets
from datetime import timedelta

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from elearn.courses.journey import CourseState, ModuleState
from elearn.events import commit
from elearn.learner.blueprint import bp
from elearn.learner.context import ModuleAddress, me, module_html_of, module_or_404
from elearn.models import QuizAttempt
from elearn.services import attempts, progress
from elearn.services.attempts import AttemptRefused
from elearn.services.review import attempt_review
from elearn.state import clock, db_session, outlines

# The views whose writes are checked by the attempt token instead of the session's CSRF token (see above).
CSRF_EXEMPT_VIEWS = ("elearn.learner.quizzes.save", "elearn.learner.quizzes.submit_attempt")


def attempt_token(attempt_id: int, person_id: int) -> str:
    """The attempt's own form token: unguessable without the app's secret key, valid while the attempt lives."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, f"elearn-attempt:{attempt_id}:{person_id}".encode(), hashlib.sha256).hexdigest()


def _check_token(attempt_id: int) -> None:
    """Refuse a write whose form does not carry this attempt's token (a forged cross-site post)."""
    sent = request.form.get("token", "")
    if not hmac.compare_digest(sent, attempt_token(attempt_id, me().id)):
        abort(400)


def _grace() -> timedelta:
    """How long after the deadline answers already on their way are still accepted."""
    return timedelta(seconds=int(current_app.config["ELEARN_QUIZ_GRACE_SECONDS"]))


def quiz_start_page(address: ModuleAddress, state: CourseState, module_state: ModuleState) -> str:
    """The start page of a quiz, pre-test or post-test: its rules, the person's attempts, and start/continue."""
    session = db_session()
    history = attempts.attempts_of(session, person_id=me().id, outline=address.outline, module=address.module)
    finished = [attempt for attempt in history if attempt.status != "open"]
    allowed = address.module.attempts_allowed
    before, after = state.neighbours(address.module.key)
    return render_template(
        "elearn/learner/quiz_start.html",
        state=state,
        module=address.module,
        module_state=module_state,
        intro_html=module_html_of(address),
        history=history,
        open_attempt=next((attempt for attempt in history if attempt.status == "open"), None),
        attempts_left=None if not allowed else max(allowed - len(finished), 0),
        before=before,
        after=after,
    )


@bp.post("/kursus/<slug>/<key>/mulai")
def start(slug: str, key: str) -> Response:
    """Start an attempt (or return to the open one) and go to its first page."""
    address, state = module_or_404(slug, key)
    if not address.module.graded:
        abort(404)
    session = db_session()
    module_state = state.state(key)
    if module_state is None or not module_state.open:
        flash(_("Modul ini belum bisa dibuka."), "warning")
        return redirect(url_for("elearn.learner.course", slug=slug))
    try:
        attempt_id = attempts.start_attempt(
            session,
            person_id=me().id,
            outline=address.outline,
            module=address.module,
            now=clock().now(),
            rng=random.Random(secrets.randbits(64)),
            grace=_grace(),
            timezone=clock().timezone,
        )
    except AttemptRefused:
        session.rollback()
        flash(_("Kesempatan mengerjakan kuis ini sudah habis."), "warning")
        return redirect(url_for("elearn.learner.module", slug=slug, key=key))
    commit(session)
    return redirect(url_for("elearn.learner.attempt", attempt_id=attempt_id))


def _attempt_or_404(attempt_id: int) -> QuizAttempt:
    try:
        return attempts.load_attempt(db_session(), attempt_id=attempt_id, person_id=me().id)
    except AttemptRefused:
        abort(404)


def _finish_if_expired(attempt: QuizAttempt) -> bool:
    """Finish an open attempt whose time is up (from its saved answers); True when it is finished now."""
    if attempt.status != "open":
        return True
    now = clock().now()
    if attempt.deadline_at is None or now <= attempt.deadline_at + _grace():
        return False
    session = db_session()
    attempts.close_expired_attempt(
        session, attempt_id=attempt.id, cache=outlines(), now=now, timezone=clock().timezone
    )
    commit(session)
    return True


@bp.get("/kuis/<int:attempt_id>")
def attempt(attempt_id: int) -> str | Response:
    """One page of an open attempt (`?hal=N`); a finished attempt shows its result."""
    found = _attempt_or_404(attempt_id)
    if _finish_if_expired(found):
        return redirect(url_for("elearn.learner.result", attempt_id=attempt_id))
    outline, module = attempts.outline_for(db_session(), outlines(), found)
    page = attempts.attempt_page(
        db_session(),
        attempt=found,
        page=request.args.get("hal", 1, type=int),
        per_page=int(module.settings.get("per_page", 0) or 0),
    )
    return render_template(
        "elearn/learner/attempt.html",
        outline=outline,
        module=module,
        page=page,
        token=attempt_token(found.id, me().id),
    )


def _posted_answers() -> dict[int, list[str]]:
    """Question id -> values, for every question the posted page showed (an unticked box is an empty answer)."""
    answers: dict[int, list[str]] = {}
    for raw in request.form.getlist("shown"):
        if not raw.isdigit():
            abort(400)
        answers[int(raw)] = request.form.getlist(f"q{raw}")
    return answers


def _base_revision() -> int | None:
    raw = request.form.get("rev", "")
    return int(raw) if raw.isdigit() else None


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.post("/kuis/<int:attempt_id>/jawab")
def save(attempt_id: int) -> Response:
    """Autosave (JSON for the script) or save-and-move (a plain form): answers of the questions on one page."""
    _check_token(attempt_id)
    session = db_session()
    try:
        saved = attempts.save_answers(
            session,
            attempt_id=attempt_id,
            person_id=me().id,
            answers=_posted_answers(),
            base_revision=_base_revision(),
            now=clock().now(),
            grace=_grace(),
        )
    except AttemptRefused as refused:
        session.rollback()
        return _refused(attempt_id, refused)
    session.commit()
    if _wants_json():
        return jsonify(revision=saved.revision, saved=list(saved.saved), conflicts=list(saved.conflicts))
    if saved.conflicts:
        flash(
            _("Sebagian jawaban sudah diubah di perangkat atau tab lain; periksa kembali halaman ini."),
            "warning",
        )
    return redirect(_after_save_target(attempt_id))


def _after_save_target(attempt_id: int) -> str:
    """Where the plain form goes after saving: another page, or the review before sending."""
    go = request.form.get("go", "")
    page = request.form.get("page", "1")
    current = int(page) if page.isdigit() else 1
    if go == "review":
        return url_for("elearn.learner.review", attempt_id=attempt_id)
    if go == "next":
        current += 1
    elif go == "prev":
        current -= 1
    elif go.startswith("page:") and go[5:].isdigit():
        current = int(go[5:])
    return url_for("elearn.learner.attempt", attempt_id=attempt_id, hal=max(current, 1))


def _refused(attempt_id: int, refused: AttemptRefused) -> Response:
    """Answer a refused save: finished attempts lead to their result; invalid input is a 400."""
    result_url = url_for("elearn.learner.result", attempt_id=attempt_id)
    if refused.reason == "not_found":
        abort(404)
    if refused.reason == "expired":
        _finish_if_expired(_attempt_or_404(attempt_id))
    if refused.reason in ("closed", "expired"):
        if _wants_json():
            response = jsonify(status=refused.reason, result=result_url)
            response.status_code = 409
            return response
        flash(
            _("Waktu atau kesempatan mengerjakan sudah berakhir; jawaban yang tersimpan sudah dinilai."),
            "info",
        )
        return redirect(result_url)
    if _wants_json():
        response = jsonify(status=refused.reason)
        response.status_code = 400
        return response
    abort(400)


@bp.get("/kuis/<int:attempt_id>/periksa")
def review(attempt_id: int) -> str | Response:
    """Every question with whether it has an answer, links back to its page, and the button that sends."""
    found = _attempt_or_404(attempt_id)
    if _finish_if_expired(found):
        return redirect(url_for("elearn.learner.result", attempt_id=attempt_id))
    outline, module = attempts.outline_for(db_session(), outlines(), found)
    per_page = int(module.settings.get("per_page", 0) or 0)
    overview = attempts.attempt_page(db_session(), attempt=found, page=1, per_page=0)
    return render_template(
        "elearn/learner/attempt_review.html",
        outline=outline,
        module=module,
        overview=overview,
        per_page=per_page,
        token=attempt_token(found.id, me().id),
    )


@bp.post("/kuis/<int:attempt_id>/kirim")
def submit_attempt(attempt_id: int) -> Response:
    """Send the attempt (with the answers of the page it was sent from); sending twice shows the same result."""
    _check_token(attempt_id)
    session = db_session()
    found = _attempt_or_404(attempt_id)
    outline, module = attempts.outline_for(session, outlines(), found)
    try:
        finished = attempts.submit(
            session,
            attempt_id=attempt_id,
            person_id=me().id,
            outline=outline,
            module=module,
            answers=_posted_answers(),
            base_revision=_base_revision(),
            now=clock().now(),
            grace=_grace(),
            timezone=clock().timezone,
        )
    except AttemptRefused as refused:
        session.rollback()
        return _refused(attempt_id, refused)
    commit(session)
    if finished.completion is not None:
        flash(_("Selamat! Kursus ini selesai dan JP Anda bertambah."), "success")
    return redirect(url_for("elearn.learner.result", attempt_id=attempt_id))


@bp.get("/kuis/<int:attempt_id>/hasil")
def result(attempt_id: int) -> str | Response:
    """The result of a finished attempt, with answers and feedback as far as the module's rule allows."""
    found = _attempt_or_404(attempt_id)
    if not _finish_if_expired(found):
        return redirect(url_for("elearn.learner.attempt", attempt_id=attempt_id))
    session = db_session()
    outline, module = attempts.outline_for(session, outlines(), found)
    state = progress.state_of(session, person_id=me().id, outline=outline)
    return render_template(
        "elearn/learner/attempt_result.html",
        outline=outline,
        module=module,
        state=state,
        module_state=state.state(module.key),
        review=attempt_review(session, attempt=found, module=module, outline=outline),
    )
