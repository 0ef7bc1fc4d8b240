"""Course pages: the overview with every module's status, lessons, marking a lesson done, and course assets."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse

from elearn.courses.journey import CourseState, ModuleState, ModuleStatus
from elearn.events import commit
from elearn.export import content_disposition
from elearn.learner.blueprint import bp
from elearn.learner.context import (
    ModuleAddress,
    course_or_404,
    course_state_or_404,
    me,
    module_html_of,
    module_or_404,
)
from elearn.learner.quizzes import quiz_start_page
from elearn.learner.surveys import survey_page
from elearn.services import content, progress
from elearn.services.content import AssetFile
from elearn.state import clock, db_session

# Shown in the browser; anything else (office documents, archives) is downloaded.
INLINE_MEDIA = ("image/", "audio/", "video/", "application/pdf", "text/plain", "text/vtt")
ASSET_MAX_AGE = 3600


@bp.get("/kursus/<slug>")
def course(slug: str) -> str:
    """The course overview: modules with their status and locks, progress, JP, competencies, "Lanjutkan"."""
    state = course_state_or_404(slug)
    titles = content.course_titles(db_session(), state.missing_prerequisites)
    return render_template("elearn/learner/course.html", state=state, prerequisite_titles=titles)


@bp.get("/kursus/<slug>/<key>")
def module(slug: str, key: str) -> str | BaseResponse:
    """A module: a lesson to read, or the start page of a quiz or survey; a locked module sends back to the course."""
    address, state = module_or_404(slug, key)
    module_state = state.state(key)
    assert module_state is not None  # noqa: S101  (the key was found in this very outline)
    if not module_state.open:
        flash(_("Modul ini belum bisa dibuka."), "warning")
        return redirect(url_for("elearn.learner.course", slug=slug))
    if address.module.kind == "lesson":
        return _lesson(address, state, module_state)
    if address.module.kind == "survey":
        return survey_page(address, state, module_state)
    return quiz_start_page(address, state, module_state)


def _lesson(address: ModuleAddress, state: CourseState, module_state: ModuleState) -> str:
    """The stored HTML of a lesson (never rendered per request), with previous/next and "mark as done"."""
    session = db_session()
    first_visit = module_state.status is ModuleStatus.NOT_STARTED
    if first_visit:
        progress.start_module(session, person_id=me().id, outline=address.outline, module=address.module)
    before, after = state.neighbours(address.module.key)
    page = render_template(
        "elearn/learner/lesson.html",
        state=state,
        module=address.module,
        module_state=module_state,
        body_html=module_html_of(address),
        before=before,
        after=after,
    )
    if first_visit:  # after rendering: a commit expires the signed-in person, whom the layout reads
        session.commit()
    return page


@bp.post("/kursus/<slug>/<key>/selesai")
def mark_done(slug: str, key: str) -> BaseResponse:
    """Mark a lesson as read; completing the course here records it (once) and says so."""
    address, state = module_or_404(slug, key)
    if address.module.kind != "lesson":
        abort(404)
    session = db_session()
    module_state = state.state(key)
    if module_state is None or not module_state.open:
        flash(_("Modul ini belum bisa dibuka."), "warning")
        return redirect(url_for("elearn.learner.course", slug=slug))
    completed = progress.complete_module(
        session,
        person_id=me().id,
        outline=address.outline,
        module=address.module,
        now=clock().now(),
        timezone=clock().timezone,
    )
    commit(session)
    if completed is not None:
        flash(_("Selamat! Kursus ini selesai dan JP Anda bertambah."), "success")
        return redirect(url_for("elearn.learner.course", slug=slug))
    _before, after = state.neighbours(key)
    if after is None:
        return redirect(url_for("elearn.learner.course", slug=slug))
    return redirect(url_for("elearn.learner.module", slug=slug, key=after.module.key))


@bp.get("/kursus/<slug>/assets/<path:path>")
def asset(slug: str, path: str) -> BaseResponse:
    """A file a lesson links to (image, document, audio), served from the database to any app server."""
    outline = course_or_404(slug)
    found = content.asset(db_session(), version_id=outline.version_id, path=f"assets/{path}")
    if found is None:
        abort(404)
    return _asset_response(found)


def _asset_response(found: AssetFile) -> BaseResponse:
    """The asset with its type, inline only for media a browser shows safely, revalidated by its hash."""
    response = Response(found.data, mimetype=found.media_type)
    response.set_etag(found.sha256)
    response.cache_control.private = True
    response.cache_control.max_age = ASSET_MAX_AGE
    if not found.media_type.startswith(INLINE_MEDIA):
        response.headers["Content-Disposition"] = content_disposition(found.path.rsplit("/", 1)[-1])
    return response.make_conditional(request)
