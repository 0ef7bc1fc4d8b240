"""My learning (the employee's home), the catalogue, and the profile page."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask import current_app, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from elearn import jp
from elearn.competency_pages import competency_page
from elearn.learner.blueprint import bp
from elearn.learner.context import me
from elearn.models import Person, Unit
from elearn.services import assignment_status, catalog, competency_profile, notifications, progress
from elearn.services.directory import current_mentors_of
from elearn.services.outlines import outline_of
from elearn.state import clock, db_session, outlines

RECOMMENDED_IN_CATALOGUE = 3


@bp.get("/")
def home() -> str:
    """My learning: assignments first (due date, who assigned them), this year's JP bar (approved, pending), courses in
    progress with "Lanjutkan", completed courses with their certificates."""
    session = db_session()
    person = me()
    today = clock().today()
    in_progress = progress.courses_in_progress(session, person_id=person.id)
    found = {
        version_id: outline_of(session, outlines(), version_id) for _course_id, version_id in in_progress
    }
    states = progress.states_of(session, person_id=person.id, outlines=found)
    return render_template(
        "elearn/learner/home.html",
        me=person,
        standing=jp.standing_of(session, person, today.year),
        assignments=assignment_status.assignments_of(session, person_id=person.id, today=today),
        unread=notifications.unread_count(session, person_id=person.id),
        in_progress=[states[version_id] for _course_id, version_id in in_progress],
        completed=progress.completions_of(session, person_id=person.id),
    )


@bp.get("/profil")
def profile() -> str:
    """The signed-in person's own record and their current mentors."""
    mentors = db_session().scalars(current_mentors_of(me(), today=clock().today())).all()
    return render_template("elearn/learner/profile.html", me=_me_with_record(), mentors=mentors)


def _me_with_record() -> Person:
    """The signed-in person with unit (and its head) and position loaded, as their record shows them."""
    return (
        db_session()
        .scalars(
            select(Person)
            .where(Person.id == me().id)
            .options(joinedload(Person.unit).joinedload(Unit.head), joinedload(Person.position))
        )
        .one()
    )


@bp.get("/kompetensi")
def competency() -> tuple[str, int]:
    """My competencies against my position's standard, the evidence behind each level, and courses to close gaps."""
    return competency_page(_me_with_record(), viewer="self", back_url=url_for(".home"))


def _decimal_arg(name: str) -> Decimal | None:
    raw = request.args.get(name, "").strip().replace(",", ".")
    try:
        value = Decimal(raw) if raw else None
    except InvalidOperation:
        return None
    return value if value is not None and value.is_finite() and value >= 0 else None


@bp.get("/kursus")
def catalogue() -> str:
    """Every published course: search by text, filter by competency, minimum level, JP range and language."""
    level = request.args.get("level", type=int)
    wanted = catalog.CatalogFilter(
        text=request.args.get("q", "")[:200],
        competency=request.args.get("competency", "")[:32],
        min_level=level if level in range(1, 6) else None,
        min_jp=_decimal_arg("jp_min"),
        max_jp=_decimal_arg("jp_max"),
        language=request.args.get("language", ""),
    )
    session = db_session()
    page = catalog.catalog_page(
        session,
        person_id=me().id,
        wanted=wanted,
        page=request.args.get("page", 1, type=int),
        per_page=int(current_app.config["ELEARN_PAGE_SIZE"]),
    )
    return render_template(
        "elearn/learner/catalogue.html",
        page=page,
        recommended=competency_profile.recommended_courses(session, me(), limit=RECOMMENDED_IN_CATALOGUE)
        if page.page == 1
        else [],
        wanted=wanted,
        competencies=catalog.competency_choices(session),
    )
