"""The course survey page: reaction questions (Likert 1-5, free text), answered once and anonymously."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from elearn.courses.journey import CourseState, ModuleState
from elearn.events import commit
from elearn.learner.blueprint import bp
from elearn.learner.context import ModuleAddress, me, module_html_of, module_or_404
from elearn.services import surveys
from elearn.state import clock, db_session


def survey_page(address: ModuleAddress, state: CourseState, module_state: ModuleState) -> str:
    """The survey form, or a thank-you when the person has answered it already."""
    session = db_session()
    before, after = state.neighbours(address.module.key)
    return render_template(
        "elearn/learner/survey.html",
        state=state,
        module=address.module,
        module_state=module_state,
        intro_html=module_html_of(address),
        questions=surveys.survey_questions(session, address.module),
        answered=surveys.already_answered(
            session, person_id=me().id, outline=address.outline, module=address.module
        ),
        before=before,
        after=after,
    )


@bp.post("/kursus/<slug>/<key>/survei")
def answer_survey(slug: str, key: str) -> Response:
    """Store the survey answers once (a resend changes nothing) and mark the module done."""
    address, state = module_or_404(slug, key)
    if address.module.kind != "survey":
        return redirect(url_for("elearn.learner.module", slug=slug, key=key))
    session = db_session()
    module_state = state.state(key)
    if module_state is None or not module_state.open:
        flash(_("Modul ini belum bisa dibuka."), "warning")
        return redirect(url_for("elearn.learner.course", slug=slug))
    answers = {}
    for raw in request.form.getlist("shown"):
        if raw.isdigit():
            answers[int(raw)] = request.form.getlist(f"q{raw}")
    now = clock().now()
    try:
        stored, completion = surveys.submit_survey(
            session,
            person_id=me().id,
            outline=address.outline,
            module=address.module,
            answers=answers,
            now=now,
            today=clock().today(),
            timezone=clock().timezone,
        )
    except surveys.SurveyRefused:
        session.rollback()
        flash(_("Jawaban survei tidak dapat dibaca; isi kembali formulirnya."), "error")
        return redirect(url_for("elearn.learner.module", slug=slug, key=key))
    commit(session)
    if completion is not None:
        flash(_("Selamat! Kursus ini selesai dan JP Anda bertambah."), "success")
    elif stored:
        flash(_("Terima kasih, jawaban survei Anda tersimpan tanpa nama."), "success")
    return redirect(url_for("elearn.learner.course", slug=slug))
