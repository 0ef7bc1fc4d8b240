"""External training: an employee records it with a proof, their supervisor approves or rejects it, and the JP
summary follows each step in the same transaction.

Who decides: a supervisor whose headed subtree holds the person (`scope.people_supervised_by`), never the person
themself. Decisions and withdrawals are conditional single statements (`UPDATE/DELETE ... WHERE state = ...`), so
two supervisors deciding at once, or a decision racing a withdrawal, change the summary exactly once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Select, delete, select, update
from sqlalchemy.orm import Session, aliased, joinedload

from elearn.ledger.proof import ProofType
from elearn.models import ExternalTraining, Person, TrainingProof
from elearn.scope import people_supervised_by, people_visible_to
from elearn.services import audit, ledger

WITHDRAWABLE = ("proposed", "rejected")


@dataclass(frozen=True)
class TrainingEntry:
    """What the employee typed: the national training-history fields (checked by the form)."""

    kind: str
    name: str
    provider: str
    starts_on: date
    ends_on: date
    jp: Decimal
    certificate_number: str


@dataclass(frozen=True)
class ProofUpload:
    """An uploaded proof whose type was established from its content (`elearn.ledger.proof`)."""

    data: bytes
    filename: str
    type: ProofType


def propose(
    session: Session,
    *,
    person: Person,
    entry: TrainingEntry,
    proof: ProofUpload,
    now: datetime,
    ip: str | None,
) -> ExternalTraining:
    """Record external training for approval; its JP are pending in the year it ended."""
    record = ExternalTraining(
        person_id=person.id,
        kind=entry.kind,
        name=entry.name,
        provider=entry.provider,
        starts_on=entry.starts_on,
        ends_on=entry.ends_on,
        jp=entry.jp,
        certificate_number=entry.certificate_number,
        state="proposed",
        created_at=now,
    )
    record.proof = TrainingProof(
        media_type=proof.type.media_type,
        filename=proof.filename,
        size=len(proof.data),
        sha256=hashlib.sha256(proof.data).hexdigest(),
        data=proof.data,
    )
    session.add(record)
    session.flush()
    ledger.change(session, person_id=person.id, year=entry.ends_on.year, pending=entry.jp)
    audit.record(session, actor=person, action="training.propose", target=record, ip=ip, jp=str(entry.jp))
    return record


def withdraw(session: Session, *, person: Person, training_id: int, ip: str | None) -> bool:
    """Delete the person's own record (and proof) while it is proposed or rejected; False when there is none."""
    removed = session.execute(
        delete(ExternalTraining)
        .where(
            ExternalTraining.id == training_id,
            ExternalTraining.person_id == person.id,
            ExternalTraining.state.in_(WITHDRAWABLE),
        )
        .returning(
            ExternalTraining.state, ExternalTraining.jp, ExternalTraining.ends_on, ExternalTraining.name
        )
        .execution_options(synchronize_session=False)
    ).first()
    if removed is None:
        return False
    state, jp, ends_on, name = removed
    if state == "proposed":
        ledger.change(session, person_id=person.id, year=ends_on.year, pending=-jp)
    audit.record(
        session,
        actor=person,
        action="training.withdraw",
        ip=ip,
        training_id=training_id,
        name=name,
        state=state,
    )
    return True


def decidable_by(decider: Person) -> Select[ExternalTraining]:
    """Records `decider` may approve or reject: of people in the subtrees they head, never their own."""
    people = people_supervised_by(decider).where(Person.id != decider.id).with_only_columns(Person.id)
    return select(ExternalTraining).where(ExternalTraining.person_id.in_(people))


def decidable_or_none(session: Session, decider: Person, training_id: int) -> ExternalTraining | None:
    """One record `decider` may decide on, with its person, unit, decider and proof details; else None."""
    return session.scalar(
        decidable_by(decider)
        .where(ExternalTraining.id == training_id)
        .options(
            joinedload(ExternalTraining.person).joinedload(Person.unit),
            joinedload(ExternalTraining.decided_by),
            joinedload(ExternalTraining.proof).defer(TrainingProof.data),
        )
    )


def decide(
    session: Session,
    *,
    record: ExternalTraining,
    decider: Person,
    approve: bool,
    reason: str,
    now: datetime,
    ip: str | None,
) -> bool:
    """Approve (its JP count) or reject (with a reason) a proposed record; False when it was decided already."""
    state = "approved" if approve else "rejected"
    changed = session.execute(
        update(ExternalTraining)
        .where(ExternalTraining.id == record.id, ExternalTraining.state == "proposed")
        .values(state=state, decision_reason=reason or None, decided_by_id=decider.id, decided_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]  # DML results are CursorResults, which carry rowcount
    if not changed:
        return False
    ledger.change(
        session,
        person_id=record.person_id,
        year=record.ends_on.year,
        pending=-record.jp,
        external=record.jp if approve else Decimal(0),
    )
    audit.record(
        session,
        actor=decider,
        action=f"training.{'approve' if approve else 'reject'}",
        target=record,
        ip=ip,
        reason=reason,
    )
    session.expire(record)
    return True


def pending_for(decider: Person) -> Select[ExternalTraining]:
    """Records waiting for `decider`, oldest first, with each person and unit (for paging)."""
    return (
        decidable_by(decider)
        .where(ExternalTraining.state == "proposed")
        .options(joinedload(ExternalTraining.person).joinedload(Person.unit))
        .order_by(ExternalTraining.created_at, ExternalTraining.id)
    )


@dataclass(frozen=True)
class TrainingRow:
    """One external record as the ledger pages list it (no proof bytes)."""

    id: int
    kind: str
    name: str
    provider: str
    starts_on: date
    ends_on: date
    jp: Decimal
    certificate_number: str
    state: str
    decision_reason: str | None
    decided_at: datetime | None
    decided_by: str | None
    proof_filename: str

    @property
    def withdrawable(self) -> bool:
        """The owner may still take it back."""
        return self.state in WITHDRAWABLE


def records_of(session: Session, *, person_id: int, year: int) -> list[TrainingRow]:
    """The person's external records ending in `year`, newest first, with who decided (one query)."""
    decider = aliased(Person)
    rows = session.execute(
        select(
            ExternalTraining.id,
            ExternalTraining.kind,
            ExternalTraining.name,
            ExternalTraining.provider,
            ExternalTraining.starts_on,
            ExternalTraining.ends_on,
            ExternalTraining.jp,
            ExternalTraining.certificate_number,
            ExternalTraining.state,
            ExternalTraining.decision_reason,
            ExternalTraining.decided_at,
            decider.name,
            TrainingProof.filename,
        )
        .join(TrainingProof, TrainingProof.training_id == ExternalTraining.id)
        .outerjoin(decider, decider.id == ExternalTraining.decided_by_id)
        .where(
            ExternalTraining.person_id == person_id,
            ledger.ended_in(year),
        )
        .order_by(ExternalTraining.ends_on.desc(), ExternalTraining.id.desc())
    )
    return [TrainingRow(*tuple(row)) for row in rows]


def proof_visible_to(
    session: Session, viewer: Person, training_id: int, *, today: date
) -> tuple[TrainingProof, int] | None:
    """The proof of a record and its owner's id, when `viewer` may see that person (`scope.people_visible_to`)."""
    visible = people_visible_to(viewer, today=today).with_only_columns(Person.id)
    row = session.execute(
        select(TrainingProof, ExternalTraining.person_id)
        .join(ExternalTraining, ExternalTraining.id == TrainingProof.training_id)
        .where(TrainingProof.training_id == training_id, ExternalTraining.person_id.in_(visible))
    ).first()
    return (row[0], row[1]) if row else None
