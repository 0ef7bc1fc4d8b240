"""People, their roles and mentorships."""

from __future__ import annotations

import enum
from collections.abc import Set as AbstractSet
from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.db import Base, UTCDateTime, one_of, utcnow
from elearn.languages import LOCALES
from elearn.models.org import Position, Unit


class Role(enum.StrEnum):
    """What a person may do; a person holds any number of roles."""

    EMPLOYEE = "employee"
    MENTOR = "mentor"
    TRAINER = "trainer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class IdentifierKind(enum.StrEnum):
    """NIP for PNS, NI PPPK for contract staff: both 18 digits, split differently."""

    NIP = "nip"
    NI_PPPK = "ni_pppk"


class EmploymentKind(enum.StrEnum):
    """PNS (permanent) or PPPK (contract)."""

    PNS = "PNS"
    PPPK = "PPPK"


class Person(UserMixin, Base):
    """An ASN who learns, mentors, trains, supervises or administers."""

    __tablename__ = "elearn_person"
    # E-mail is unique case-insensitively: every writer lower-cases it, and the database refuses any that did not.
    __table_args__ = (
        CheckConstraint("email = lower(email)", name="email_lowercase"),
        one_of("id_kind", IdentifierKind),
        one_of("employment", EmploymentKind),
        one_of("locale", LOCALES),
        # Lists are read by name a page at a time from a known row (elearn.listing.keyset_page): an index range.
        Index("ix_elearn_person_name_id", "name", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    nip: Mapped[str] = mapped_column(String(18), unique=True)
    id_kind: Mapped[str] = mapped_column(String(10), default=IdentifierKind.NIP.value)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("elearn_unit.id"), index=True)
    position_id: Mapped[int | None] = mapped_column(ForeignKey("elearn_position.id"), index=True)
    unit_since: Mapped[date | None] = mapped_column(Date)
    """The day the person joined their unit (TMT): set by the org import, it starts "N days after joining the unit"
    due dates."""
    employment: Mapped[str] = mapped_column(String(4), default=EmploymentKind.PNS.value)
    locale: Mapped[str | None] = mapped_column(String(5))
    notify_by_email: Mapped[bool] = mapped_column(default=True, server_default=true())
    """E-mail as well as in-app notifications (the person's own choice); in-app ones are always kept."""
    active: Mapped[bool] = mapped_column(default=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    unit: Mapped[Unit | None] = relationship(foreign_keys=[unit_id])
    position: Mapped[Position | None] = relationship()
    role_rows: Mapped[list[PersonRole]] = relationship(
        back_populates="person", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def roles(self) -> frozenset[str]:
        """The person's role names."""
        return frozenset(r.role for r in self.role_rows)

    def has_role(self, role: Role | str) -> bool:
        """Whether the person holds `role`."""
        return str(role) in self.roles

    def set_roles(self, roles: AbstractSet[str]) -> None:
        """Replace the person's roles, keeping unchanged rows."""
        self.role_rows = [r for r in self.role_rows if r.role in roles] + [
            PersonRole(role=r) for r in sorted(roles - self.roles)
        ]

    def get_id(self) -> str:
        """Session id "<id>:<version>": bumping the version on logout invalidates every copied cookie."""
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        """Deactivated people cannot sign in."""
        return self.active

    def __repr__(self) -> str:
        return f"<Person {self.nip}>"


class PersonRole(Base):
    """One role held by one person."""

    __tablename__ = "elearn_person_role"
    __table_args__ = (one_of("role", Role),)

    person_id: Mapped[int] = mapped_column(
        ForeignKey("elearn_person.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(20), primary_key=True, index=True)

    person: Mapped[Person] = relationship(back_populates="role_rows")


class Mentorship(Base):
    """A mentor guiding a mentee from `starts_on` until `ends_on` (open-ended when empty)."""

    __tablename__ = "elearn_mentorship"
    __table_args__ = (
        UniqueConstraint("mentor_id", "mentee_id", "starts_on"),
        Index("ix_elearn_mentorship_mentee", "mentee_id"),
        CheckConstraint("mentor_id <> mentee_id", name="not_self"),
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("elearn_person.id", ondelete="CASCADE"), index=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("elearn_person.id", ondelete="CASCADE"))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)

    mentor: Mapped[Person] = relationship(foreign_keys=[mentor_id])
    mentee: Mapped[Person] = relationship(foreign_keys=[mentee_id])
