"""The competency profile page, shared by the person, their mentor, their supervisors and admins: the same profile,
with the assessed-evidence form for those who may record it (the views have checked the scope already)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from elearn import jp
from elearn.competency.evidence import Attainment, Evidence
from elearn.competency.evidence import explanation as evidence_explanation
from elearn.competency_forms import AssessmentForm
from elearn.competency_labels import COMPETENCY_KIND_LABELS
from elearn.i18n import office_date
from elearn.models import Competency, CompetencyEvidence, Person
from elearn.services import competency_evidence, competency_profile
from elearn.services.competency_evidence import AssessmentRefused
from elearn.services.competency_profile import CompetencyLine
from elearn.state import clock, db_session, jpm_bands


def explanation(line: CompetencyLine) -> str:
    """Why a level is what it is ("level 3 sejak 2 Mei 2026 dari kursus X v2"), in the reader's language."""
    entry = line.evidence
    if entry is None:
        return ""
    proof = Evidence(
        id=entry.id,
        competency=entry.code,
        level=entry.level,
        achieved_on=entry.achieved_on,
        expires_on=entry.expires_on,
        source=entry.source,
        course_title=entry.course_title or "",
        version_label=f"v{entry.version_number}" if entry.version_number else "",
        note=entry.note,
    )
    attainment = Attainment(
        competency=line.code,
        level=line.attained,
        since=line.since or entry.achieved_on,
        evidence=proof,
        valid_until=line.valid_until,
    )
    return evidence_explanation(attainment, gettext=_, date_text=office_date)


ASSESS_ENDPOINTS = {
    "supervisor": ("elearn.supervisor.person_competency", "elearn.supervisor.assess_competency"),
    "admin": ("elearn.admin.person_competency", "elearn.admin.assess_competency"),
}
WITHDRAW_ENDPOINTS = {
    "supervisor": "elearn.supervisor.withdraw_assessment",
    "admin": "elearn.admin.withdraw_assessment",
}


def may_assess(person: Person, viewer: str) -> bool:
    """Supervisors and admins record assessments of the people they see, never of themselves."""
    return viewer in ASSESS_ENDPOINTS and person.id != current_user.id


def competency_page(
    person: Person, *, viewer: str, back_url: str, form: AssessmentForm | None = None, status: int = 200
) -> tuple[str, int]:
    """The competency profile of `person` as `viewer` ("self", "mentor", "supervisor" or "admin") sees it, with
    the assessment form (and withdraw buttons) for a supervisor or admin looking at someone else."""
    session = db_session()
    year = clock().today().year
    assessing = may_assess(person, viewer)
    if assessing and form is None:
        form = _assessment_form(session)
        form.achieved_on.data = clock().today()
    page = render_template(
        "elearn/competency/profile.html",
        person=person,
        profile=competency_profile.profile_of(session, person, bands=jpm_bands()),
        standing=jp.standing_of(session, person, year),
        viewer=viewer,
        back_url=back_url,
        form=form if assessing else None,
        assess_url=url_for(ASSESS_ENDPOINTS[viewer][1], person_id=person.id) if assessing else None,
        withdraw_endpoint=WITHDRAW_ENDPOINTS[viewer] if assessing else None,
        explanation=explanation,
        kind_labels=COMPETENCY_KIND_LABELS,
    )
    return page, status


def record_assessment(person: Person, *, viewer: str, back_url: str) -> Response | tuple[str, int]:
    """Record the posted assessment of `person` (audited) and show the profile again; refusals under their fields."""
    if not may_assess(person, viewer):
        abort(404)
    session = db_session()
    form = _assessment_form(session)
    competency = None
    if form.validate_on_submit():
        competency = session.scalar(select(Competency).where(Competency.code == form.competency.data))
    if competency is None or form.achieved_on.data is None:
        return competency_page(person, viewer=viewer, back_url=back_url, form=form, status=422)
    try:
        competency_evidence.record_assessment(
            session,
            person=person,
            competency=competency,
            level=int(form.level.data or 0),
            achieved_on=form.achieved_on.data,
            note=form.note.data or "",
            recorded_by=current_user._get_current_object(),
            today=clock().today(),
            ip=request.remote_addr,
        )
    except AssessmentRefused as refused:
        session.rollback()
        form.show_problems(refused.problems)
        return competency_page(person, viewer=viewer, back_url=back_url, form=form, status=422)
    session.commit()
    flash(
        _("Hasil asesmen %(code)s level %(level)s dicatat.", code=competency.code, level=form.level.data),
        "success",
    )
    return redirect(url_for(ASSESS_ENDPOINTS[viewer][0], person_id=person.id))


def withdraw_assessment(person: Person, evidence_id: int, *, viewer: str) -> Response:
    """Withdraw one assessment of `person` recorded in error (kept in the history, marked withdrawn); audited."""
    if not may_assess(person, viewer):
        abort(404)
    session = db_session()
    evidence = session.get(CompetencyEvidence, evidence_id)
    if evidence is None or evidence.person_id != person.id or evidence.source != "assessment":
        abort(404)
    if competency_evidence.withdraw_assessment(
        session,
        evidence,
        by=current_user._get_current_object(),
        today=clock().today(),
        ip=request.remote_addr,
    ):
        session.commit()
        flash(_("Hasil asesmen ditarik; level dihitung ulang tanpa bukti itu."), "success")
    return redirect(url_for(ASSESS_ENDPOINTS[viewer][0], person_id=person.id))


def _assessment_form(session: Session) -> AssessmentForm:
    """The form with every competency of the framework to choose from, by code."""
    form = AssessmentForm()
    form.competency.choices = [
        (code, f"{code} {name}")
        for code, name in session.execute(select(Competency.code, Competency.name).order_by(Competency.code))
    ]
    return form


def add_profile_routes(blueprint: Blueprint, *, viewer: str, person_or_404: Callable[[int], Person]) -> None:
    """The profile, assessment and withdrawal routes of an area that may assess (`viewer` "supervisor" or
    "admin"), under /orang/<id>/kompetensi, finding people through the area's scoped `person_or_404`."""

    def back(person: Person) -> str:
        return url_for(".person", person_id=person.id)

    def person_competency(person_id: int) -> tuple[str, int]:
        """A person's competencies against their position's standard, evidence, recommended courses, and the
        form that records an assessment."""
        shown = person_or_404(person_id)
        return competency_page(shown, viewer=viewer, back_url=back(shown))

    def assess_competency(person_id: int) -> Response | tuple[str, int]:
        """Record an assessment result of the person (audited)."""
        shown = person_or_404(person_id)
        return record_assessment(shown, viewer=viewer, back_url=back(shown))

    def withdraw_competency(person_id: int, evidence_id: int) -> Response:
        """Withdraw an assessment of the person recorded in error (audited)."""
        return withdraw_assessment(person_or_404(person_id), evidence_id, viewer=viewer)

    blueprint.add_url_rule("/orang/<int:person_id>/kompetensi", view_func=person_competency, methods=["GET"])
    blueprint.add_url_rule(
        "/orang/<int:person_id>/kompetensi/asesmen", view_func=assess_competency, methods=["POST"]
    )
    blueprint.add_url_rule(
        "/orang/<int:person_id>/kompetensi/asesmen/<int:evidence_id>/tarik",
        endpoint="withdraw_assessment",
        view_func=withdraw_competency,
        methods=["POST"],
    )
