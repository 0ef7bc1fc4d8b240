"""Courses as immutable, content-addressed versions: unchanged modules and questions are shared between versions,
so progress tied to them survives a re-import, and HTML is rendered once per content."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, LargeBinary, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.courses.model import GRADED_TYPES, MODULE_KINDS, SURVEY_TYPES
from elearn.db import Base, UTCDateTime, one_of, utcnow

QUESTION_TYPES = tuple(dict.fromkeys(GRADED_TYPES + SURVEY_TYPES))


class Course(Base):
    """A course as the catalogue knows it: a stable slug pointing at its current version."""

    __tablename__ = "elearn_course"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    code: Mapped[str] = mapped_column(String(50), index=True)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("elearn_course_version.id", use_alter=True, ondelete="SET NULL")
    )
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    current_version: Mapped[CourseVersion | None] = relationship(
        foreign_keys=[current_version_id], post_update=True
    )


class CourseVersion(Base):
    """One imported state of a course's source folder; never changed once written."""

    __tablename__ = "elearn_course_version"
    __table_args__ = (
        UniqueConstraint("course_id", "number"),
        UniqueConstraint("course_id", "source_hash"),
        CheckConstraint("jp >= 0", name="jp_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("elearn_course.id", ondelete="CASCADE"))
    number: Mapped[int]
    source_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(5), default="id")
    jp: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    valid_years: Mapped[int | None]
    prerequisites: Mapped[list[str]] = mapped_column(JSON, default=list)
    completion_rule: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    owners: Mapped[list[str]] = mapped_column(JSON, default=list)
    overview_html: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    course: Mapped[Course] = relationship(foreign_keys=[course_id])
    modules: Mapped[list[VersionModule]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="VersionModule.position"
    )
    competencies: Mapped[list[CourseCompetency]] = relationship(cascade="all, delete-orphan")
    assets: Mapped[list[VersionAsset]] = relationship(cascade="all, delete-orphan")


class ModuleContent(Base):
    """A module's parsed and rendered content, shared by every version whose module source is byte-identical."""

    __tablename__ = "elearn_module_content"
    __table_args__ = (UniqueConstraint("course_id", "content_hash"), one_of("kind", MODULE_KINDS))

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("elearn_course.id", ondelete="CASCADE"))
    content_hash: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    minutes: Mapped[int] = mapped_column(default=0)
    required: Mapped[bool] = mapped_column(default=True)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    body_html: Mapped[str] = mapped_column(Text, default="")
    renderer_version: Mapped[int] = mapped_column(server_default="0")
    """The engine's RENDERER_VERSION that produced this HTML and its questions'; sync re-renders older rows in
    place, so progress (tied to this row) survives a renderer or allowlist upgrade."""

    questions: Mapped[list[ModuleQuestion]] = relationship(
        cascade="all, delete-orphan", order_by="ModuleQuestion.position"
    )


class VersionModule(Base):
    """Where a module content sits in one version, under which key (file stem)."""

    __tablename__ = "elearn_version_module"
    __table_args__ = (UniqueConstraint("version_id", "key"),)

    version_id: Mapped[int] = mapped_column(
        ForeignKey("elearn_course_version.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100))
    module_content_id: Mapped[int] = mapped_column(ForeignKey("elearn_module_content.id"), index=True)

    version: Mapped[CourseVersion] = relationship(back_populates="modules")
    content: Mapped[ModuleContent] = relationship()


class Question(Base):
    """One question as authored; `answer_key` stays on the server and is never sent to a browser."""

    __tablename__ = "elearn_question"
    __table_args__ = (UniqueConstraint("course_id", "qid", "content_hash"), one_of("type", QUESTION_TYPES))

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("elearn_course.id", ondelete="CASCADE"))
    qid: Mapped[str] = mapped_column(String(100))
    content_hash: Mapped[str] = mapped_column(String(64))
    type: Mapped[str] = mapped_column(String(20))
    points: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal(1))
    stem_html: Mapped[str] = mapped_column(Text, default="")
    options: Mapped[list[Any]] = mapped_column(JSON, default=list)
    answer_key: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    explanation_html: Mapped[str] = mapped_column(Text, default="")


class ModuleQuestion(Base):
    """A question's place in a quiz, pre-test, post-test or survey module."""

    __tablename__ = "elearn_module_question"

    module_content_id: Mapped[int] = mapped_column(
        ForeignKey("elearn_module_content.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("elearn_question.id"), index=True)

    question: Mapped[Question] = relationship()


class CourseCompetency(Base):
    """A competency, at a level, that completing this version proves."""

    __tablename__ = "elearn_course_competency"
    __table_args__ = (CheckConstraint("level BETWEEN 1 AND 5", name="level_range"),)

    version_id: Mapped[int] = mapped_column(
        ForeignKey("elearn_course_version.id", ondelete="CASCADE"), primary_key=True
    )
    competency_code: Mapped[str] = mapped_column(
        ForeignKey("elearn_competency.code"), primary_key=True, index=True
    )
    level: Mapped[int]


class AssetBlob(Base):
    """Asset bytes stored once by hash, so every app server can serve them without the courses folder."""

    __tablename__ = "elearn_asset_blob"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int]
    media_type: Mapped[str] = mapped_column(String(100))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class VersionAsset(Base):
    """An asset's relative path in one version."""

    __tablename__ = "elearn_version_asset"

    version_id: Mapped[int] = mapped_column(
        ForeignKey("elearn_course_version.id", ondelete="CASCADE"), primary_key=True
    )
    path: Mapped[str] = mapped_column(String(300), primary_key=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("elearn_asset_blob.sha256"), index=True)
