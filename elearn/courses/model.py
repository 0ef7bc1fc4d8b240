"""Frozen value objects of a parsed course; answer keys live only here (the web layer picks what to send)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Literal

from elearn.competency.dictionary import CompetencyDefinition
from elearn.courses.problems import Problem

ModuleKind = Literal["lesson", "quiz", "pretest", "posttest", "survey"]
QuestionType = Literal["single", "multiple", "truefalse", "short", "numeric", "matching", "likert", "text"]
ShowAnswers = Literal["never", "after_submit", "after_pass"]

MODULE_KINDS: tuple[ModuleKind, ...] = ("lesson", "quiz", "pretest", "posttest", "survey")
GRADED_KINDS: frozenset[str] = frozenset({"quiz", "pretest", "posttest"})
GRADED_TYPES: tuple[QuestionType, ...] = ("single", "multiple", "truefalse", "short", "numeric", "matching")
SURVEY_TYPES: tuple[QuestionType, ...] = ("likert", "text", "single", "multiple")


@dataclass(frozen=True)
class Option:
    """A choice of a single/multiple/true-false question (or of a survey question, whose credit is 0).

    `credit` is the fraction of the question's points choosing it earns, -1..1 (Moodle's answer "grade").
    """

    id: str
    html: str
    credit: Decimal = Decimal(0)
    feedback_html: str = ""

    @property
    def correct(self) -> bool:
        """Whether choosing this option earns anything (what "show answers" marks as right)."""
        return self.credit > 0


@dataclass(frozen=True)
class TextAnswer:
    """A short answer as Moodle reads one: a pattern where `*` stands for any characters (`\\*` for a star),
    the credit it earns (0..1) and the feedback shown when it is the first pattern a response matches."""

    pattern: str
    credit: Decimal = Decimal(1)
    feedback_html: str = ""


@dataclass(frozen=True)
class NumericAnswer:
    """An accepted numeric interval, inclusive, or any number at all (`low` and `high` None: `= *`).

    `label` is the key as the author wrote it (`42 +- 0.5`); the first answer containing a response decides its
    credit (0..1) and feedback.
    """

    low: Decimal | None
    high: Decimal | None
    label: str
    credit: Decimal = Decimal(1)
    feedback_html: str = ""

    def accepts(self, value: Decimal) -> bool:
        """Whether a learner's number falls inside this interval (every number does for `*`)."""
        if self.low is None or self.high is None:
            return True
        return self.low <= value <= self.high


@dataclass(frozen=True)
class MatchPair:
    """One left item and the right item it belongs to; `id` identifies both in forms and answers."""

    id: str
    left_html: str
    right_html: str


@dataclass(frozen=True)
class Question:
    """One question; `content_hash` changes only when this question's own source does.

    `distractors` are right-hand items of a matching question that belong to no left item;
    `case_sensitive` applies to short answers (Moodle's "case sensitivity", off by default).
    """

    id: str
    type: QuestionType
    points: int
    stem_html: str
    options: tuple[Option, ...] = ()
    text_answers: tuple[TextAnswer, ...] = ()
    case_sensitive: bool = False
    numeric_answers: tuple[NumericAnswer, ...] = ()
    pairs: tuple[MatchPair, ...] = ()
    distractors: tuple[str, ...] = ()
    explanation_html: str = ""
    line: int = 0
    content_hash: str = ""


@dataclass(frozen=True)
class QuizSettings:
    """How a quiz, pre-test or post-test is delivered and passed."""

    pass_mark: int
    attempts: int
    shuffle: bool
    draw: int | None
    time_limit: int | None
    show_answers: ShowAnswers
    form: str | None
    per_page: int = 0


@dataclass(frozen=True)
class ModuleHeader:
    """What a module's file name and front matter say; `key` (the file stem) is its stable address in URLs."""

    key: str
    number: int
    filename: str
    title: str
    kind: ModuleKind
    minutes: int
    required: bool
    quiz: QuizSettings | None


@dataclass(frozen=True)
class Module(ModuleHeader):
    """One `NN-name.md` file as rendered; `content_hash` is the SHA-256 of its source bytes.

    `rendered` is False when the caller said it already holds this content's HTML (see `load_course`): the
    module was checked like every other, but `body_html` and the questions' HTML are left empty.
    """

    body_html: str
    questions: tuple[Question, ...]
    content_hash: str
    rendered: bool = True

    @classmethod
    def from_header(
        cls,
        header: ModuleHeader,
        *,
        body_html: str,
        questions: tuple[Question, ...],
        content_hash: str,
        rendered: bool,
    ) -> Module:
        """The module built on its header's fields (inherited, so there is one list of them)."""
        values = {field.name: getattr(header, field.name) for field in fields(ModuleHeader)}
        return cls(
            **values, body_html=body_html, questions=questions, content_hash=content_hash, rendered=rendered
        )


@dataclass(frozen=True)
class Asset:
    """A file under `assets/` that lessons may link to; `path` is relative to the course folder."""

    path: str
    sha256: str
    size: int


@dataclass(frozen=True)
class CompletionRule:
    """What completes the course: these required modules done and, if set, the post-test passed; and whether the
    pre-test must be taken before any other module."""

    required_modules: tuple[str, ...]
    posttest_pass: bool
    pretest_first: bool = False


@dataclass(frozen=True)
class Course:
    """A whole course version as authored; `content_hash` equals `course_source_hash(folder)`."""

    slug: str
    code: str
    title: str
    summary: str
    language: str
    jp: Decimal
    competencies: tuple[tuple[str, int], ...]
    prerequisites: tuple[str, ...]
    valid_years: int | None
    completion: CompletionRule
    owners: tuple[str, ...]
    overview_html: str
    defines_competencies: tuple[CompetencyDefinition, ...]
    modules: tuple[Module, ...]
    assets: tuple[Asset, ...]
    content_hash: str

    def module(self, key: str) -> Module | None:
        """The module with this key, if the course has one."""
        return next((module for module in self.modules if module.key == key), None)


@dataclass(frozen=True)
class CourseLoad:
    """The outcome of loading a folder: the course (None when any error was found) and every problem."""

    course: Course | None
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        """Problems that block publication."""
        return tuple(problem for problem in self.problems if problem.severity == "error")

    @property
    def ok(self) -> bool:
        """Whether the course can be published (warnings allowed)."""
        return not self.errors

    def with_problems(self, extra: Iterable[Problem]) -> CourseLoad:
        """This load plus problems found outside the folder (across courses); any error withdraws the course."""
        added = tuple(extra)
        if not added:
            return self
        problems = tuple(sorted((*self.problems, *added)))
        errors = any(problem.severity == "error" for problem in added)
        return CourseLoad(None if errors else self.course, problems)
