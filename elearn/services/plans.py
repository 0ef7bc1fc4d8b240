"""Yearly development plans: the person drafts and proposes, their supervisor agrees (or sends it back) and later
marks it done. Every change of status is one conditional UPDATE (`WHERE status = <expected>`), so two clicks or two
people at once move a plan once; items change only while the plan is a draft.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload, selectinload

from elearn.models import (
    Competency,
    Completion,
    Course,
    CourseVersion,
    DevelopmentPlan,
    Person,
    PersonRole,
    PlanItem,
    Role,
    Unit,
)
from elearn.services import audit, notifications
from elearn.services.upsert import insert_if_absent, rows_affected

MAX_TEXT = 200
MAX_NOTE = 1000
MAX_JP = Decimal(999)


class PlanRefused(Exception):
    """The plan cannot do what was asked; `reason` is a stable code the views word for the reader."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ItemDraft:
    """An item as typed in the form, before it is checked."""

    kind: str
    competency_code: str = ""
    target_level: int | None = None
    course_slug: str = ""
    title: str = ""
    provider: str = ""
    jp: Decimal | None = None
    note: str = ""


def plan_of(session: Session, *, person_id: int, year: int) -> DevelopmentPlan | None:
    """The person's plan for `year` with its items (two queries), or None."""
    return session.scalar(
        select(DevelopmentPlan)
        .where(DevelopmentPlan.person_id == person_id, DevelopmentPlan.year == year)
        .options(selectinload(DevelopmentPlan.items), joinedload(DevelopmentPlan.agreed_by))
    )


def years_of(session: Session, *, person_id: int) -> list[tuple[int, str]]:
    """(year, status) of every plan the person has, newest first."""
    rows = session.execute(
        select(DevelopmentPlan.year, DevelopmentPlan.status)
        .where(DevelopmentPlan.person_id == person_id)
        .order_by(DevelopmentPlan.year.desc())
    )
    return [(year, status) for year, status in rows]


def start_plan(session: Session, *, person: Person, year: int, now: datetime, ip: str | None) -> int:
    """The id of the person's plan for `year`, created as a draft when there is none (once, even when raced)."""
    created = insert_if_absent(
        session,
        DevelopmentPlan,
        {
            "person_id": person.id,
            "year": year,
            "status": "draft",
            "created_at": now,
            "supervisor_comment": "",
        },
    )
    if created is not None:
        plan = session.get(DevelopmentPlan, created)
        audit.record(session, actor=person, action="plan.create", target=plan, ip=ip, year=year)
        return int(created)
    existing = session.scalar(
        select(DevelopmentPlan.id).where(DevelopmentPlan.person_id == person.id, DevelopmentPlan.year == year)
    )
    assert existing is not None  # noqa: S101  (the insert met this very row)
    return existing


def add_item(
    session: Session, *, person: Person, plan: DevelopmentPlan, draft: ItemDraft, ip: str | None
) -> PlanItem:
    """Add a checked item to a draft plan of the person's own."""
    _require(plan, "draft")
    item = PlanItem(kind=draft.kind, note=draft.note.strip())
    if len(item.note) > MAX_NOTE:
        raise PlanRefused("note")
    if draft.jp is not None and not (0 <= draft.jp <= MAX_JP):
        raise PlanRefused("jp")
    item.jp = draft.jp
    if draft.kind == "competency":
        if (
            draft.target_level not in range(1, 6)
            or session.scalar(select(Competency.id).where(Competency.code == draft.competency_code)) is None
        ):
            raise PlanRefused("competency")
        item.competency_code, item.target_level = draft.competency_code, draft.target_level
    elif draft.kind == "course":
        course_id = session.scalar(select(Course.id).where(Course.slug == draft.course_slug))
        if course_id is None:
            raise PlanRefused("course")
        item.course_id = course_id
    elif draft.kind == "external":
        title, provider = draft.title.strip(), draft.provider.strip()
        if not title or len(title) > MAX_TEXT or len(provider) > MAX_TEXT:
            raise PlanRefused("external")
        item.title, item.provider = title, provider
    else:
        raise PlanRefused("kind")
    plan.items.append(item)
    session.flush()
    audit.record(
        session, actor=person, action="plan.item_add", target=plan, ip=ip, item=item.id, kind=item.kind
    )
    return item


def remove_item(
    session: Session, *, person: Person, plan: DevelopmentPlan, item_id: int, ip: str | None
) -> None:
    """Remove an item from a draft plan."""
    _require(plan, "draft")
    item = next((item for item in plan.items if item.id == item_id), None)
    if item is None:
        raise PlanRefused("item")
    plan.items.remove(item)
    session.flush()
    audit.record(session, actor=person, action="plan.item_remove", target=plan, ip=ip, item=item_id)


def _require(plan: DevelopmentPlan, status: str) -> None:
    if plan.status != status:
        raise PlanRefused("status")


def _move(session: Session, plan: DevelopmentPlan, *, was: str, **values: object) -> None:
    """Change the plan's status from `was`, or refuse when someone else moved it first."""
    moved = rows_affected(
        session,
        update(DevelopmentPlan)
        .where(DevelopmentPlan.id == plan.id, DevelopmentPlan.status == was)
        .values(**values)
        .execution_options(synchronize_session=False),
    )
    if not moved:
        raise PlanRefused("status")
    session.expire(plan)


def propose(
    session: Session, *, person: Person, plan: DevelopmentPlan, now: datetime, today: date, ip: str | None
) -> None:
    """The person proposes the plan to their supervisor, who is told."""
    if not plan.items:
        raise PlanRefused("empty")
    _move(session, plan, was="draft", status="proposed", proposed_at=now)
    supervisor = direct_supervisor(session, person)
    if supervisor is not None:
        notifications.queue_one(
            session,
            person=supervisor,
            reason="approval_awaited",
            subject_type="plan",
            subject_id=plan.id,
            bucket=today,
            now=now,
        )
    audit.record(session, actor=person, action="plan.propose", target=plan, ip=ip)


def retract(session: Session, *, person: Person, plan: DevelopmentPlan, ip: str | None) -> None:
    """The person takes a proposal back to change it."""
    _move(session, plan, was="proposed", status="draft", proposed_at=None)
    audit.record(session, actor=person, action="plan.retract", target=plan, ip=ip)


def _not_own(supervisor: Person, plan: DevelopmentPlan) -> None:
    if plan.person_id == supervisor.id:
        raise PlanRefused("own_plan")


def agree(
    session: Session,
    *,
    supervisor: Person,
    plan: DevelopmentPlan,
    comment: str,
    now: datetime,
    today: date,
    ip: str | None,
) -> None:
    """The supervisor agrees the proposed plan (the only way a plan becomes agreed); the person is told."""
    _not_own(supervisor, plan)
    person = plan.person
    _move(
        session,
        plan,
        was="proposed",
        status="agreed",
        agreed_at=now,
        agreed_by_id=supervisor.id,
        supervisor_comment=comment.strip()[:MAX_NOTE],
    )
    notifications.queue_one(
        session,
        person=person,
        reason="plan_agreed",
        subject_type="plan",
        subject_id=plan.id,
        bucket=today,
        now=now,
    )
    audit.record(session, actor=supervisor, action="plan.agree", target=plan, ip=ip)


def send_back(
    session: Session, *, supervisor: Person, plan: DevelopmentPlan, comment: str, ip: str | None
) -> None:
    """The supervisor returns the proposal to the person as a draft, with what to change."""
    _not_own(supervisor, plan)
    if not comment.strip():
        raise PlanRefused("comment")
    _move(
        session,
        plan,
        was="proposed",
        status="draft",
        proposed_at=None,
        supervisor_comment=comment.strip()[:MAX_NOTE],
    )
    audit.record(session, actor=supervisor, action="plan.return", target=plan, ip=ip)


def mark_done(
    session: Session, *, supervisor: Person, plan: DevelopmentPlan, now: datetime, ip: str | None
) -> None:
    """The supervisor records that the agreed plan has been carried out."""
    _not_own(supervisor, plan)
    _move(session, plan, was="agreed", status="done", done_at=now)
    audit.record(session, actor=supervisor, action="plan.done", target=plan, ip=ip)


def direct_supervisor(session: Session, person: Person) -> Person | None:
    """The head of the nearest unit on the person's path (own unit first) who is someone else and a supervisor."""
    if person.unit_id is None:
        return None
    path = session.scalar(select(Unit.path).where(Unit.id == person.unit_id)) or ""
    unit_ids = [int(part) for part in path.strip("/").split("/") if part.isdigit()]
    supervisors = select(PersonRole.person_id).where(PersonRole.role == Role.SUPERVISOR)
    return session.scalar(
        select(Person)
        .join(Unit, Unit.head_id == Person.id)
        .where(
            Unit.id.in_(unit_ids),
            Person.id != person.id,
            Person.active.is_(True),
            Person.id.in_(supervisors),
        )
        .order_by(Unit.depth.desc())
        .limit(1)
    )


def queue_approval_reminders(session: Session, *, today: date, now: datetime) -> int:
    """Remind each waiting plan's supervisor once a week (cron); how many reminders were new."""
    waiting = session.scalars(
        select(DevelopmentPlan)
        .where(DevelopmentPlan.status == "proposed", DevelopmentPlan.proposed_at.is_not(None))
        .options(selectinload(DevelopmentPlan.person))
        .order_by(DevelopmentPlan.id)
    ).all()
    created = 0
    for plan in waiting:
        supervisor = direct_supervisor(session, plan.person)
        if supervisor is None or plan.proposed_at is None:
            continue
        bucket = notifications.approval_bucket(plan.proposed_at.date(), today)
        created += notifications.queue_one(
            session,
            person=supervisor,
            reason="approval_awaited",
            subject_type="plan",
            subject_id=plan.id,
            bucket=bucket,
            now=now,
        )
    return created


@dataclass(frozen=True)
class ItemView:
    """An item as the plan page and its exports show it."""

    item_id: int
    kind: str
    aim: str
    """The competency (code and name), the course title, or the outside training's name."""
    target_level: int | None
    provider: str
    jp: Decimal | None
    note: str
    course_slug: str | None
    completed: bool


def item_views(session: Session, plan: DevelopmentPlan) -> list[ItemView]:
    """The plan's items with names and, for courses, whether the person has completed them (two queries)."""
    codes = {item.competency_code for item in plan.items if item.competency_code}
    course_ids = {item.course_id for item in plan.items if item.course_id}
    names = (
        {
            code: name
            for code, name in session.execute(
                select(Competency.code, Competency.name).where(Competency.code.in_(codes))
            )
        }
        if codes
        else {}
    )
    courses: dict[int, tuple[str | None, str, bool]] = {}
    if course_ids:
        completed = select(Completion.course_id).where(Completion.person_id == plan.person_id)
        for row in session.execute(
            select(Course.id, Course.slug, CourseVersion.title, Course.id.in_(completed))
            .join(CourseVersion, CourseVersion.id == Course.current_version_id)
            .where(Course.id.in_(course_ids))
        ):
            courses[row[0]] = (row[1], row[2], bool(row[3]))
    views = []
    for item in plan.items:
        slug, title, done = courses.get(item.course_id or 0, (None, "", False))
        aim = {
            "competency": f"{item.competency_code} {names.get(item.competency_code or '', '')}".strip(),
            "course": title,
            "external": item.title,
        }[item.kind]
        views.append(
            ItemView(
                item_id=item.id,
                kind=item.kind,
                aim=aim,
                target_level=item.target_level,
                provider=item.provider,
                jp=item.jp,
                note=item.note,
                course_slug=slug,
                completed=done,
            )
        )
    return views
