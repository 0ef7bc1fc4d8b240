"""The rules of a learner's way through a course, pure: which modules are open, done or locked and why, where to
continue, and whether the course is complete.

The services read the course outline (one immutable version) and the person's progress, and ask these functions;
nothing here touches a database or a request. Rules (docs/learning.md):
- a course whose prerequisite courses are not all completed is locked as a whole;
- with `pretest_first`, every other module waits until the pre-test has been submitted;
- the post-test opens once every other required module is done;
- a lesson is done when marked done; a pre-test when submitted; a quiz or post-test when passed; a survey when
  answered. A graded module whose attempts are used up without a pass is failed.
- the course is complete when every required module is done and, when the rule says so, the post-test passed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any


class ModuleStatus(StrEnum):
    """Where a person stands in one module."""

    LOCKED = "locked"
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    FAILED = "failed"


class LockReason(StrEnum):
    """Why a module cannot be opened yet."""

    PREREQUISITES = "prerequisites"
    PRETEST_FIRST = "pretest_first"
    POSTTEST_LAST = "posttest_last"


@dataclass(frozen=True)
class CompetencyRef:
    """A competency, at a level, that completing the course proves."""

    code: str
    name: str
    level: int


@dataclass(frozen=True)
class ModuleOutline:
    """One module of a version as the learner pages need it (no HTML: that is read per page, by content id)."""

    key: str
    position: int
    title: str
    kind: str
    minutes: int
    required: bool
    content_id: int
    settings: Mapping[str, Any] = field(default_factory=dict)

    @property
    def graded(self) -> bool:
        """Quizzes, pre-tests and post-tests are scored."""
        return self.kind in ("quiz", "pretest", "posttest")

    @property
    def pass_mark(self) -> Decimal:
        """Percent needed to pass (graded modules)."""
        return Decimal(self.settings.get("pass_mark", 0))

    @property
    def attempts_allowed(self) -> int:
        """How many attempts a person has; 0 means unlimited."""
        return int(self.settings.get("attempts", 0))


@dataclass(frozen=True)
class CourseOutline:
    """An immutable course version, as every learner page reads it."""

    course_id: int
    slug: str
    version_id: int
    version_number: int
    title: str
    summary: str
    language: str
    jp: Decimal
    valid_years: int | None
    prerequisites: tuple[str, ...]
    required_modules: tuple[str, ...]
    posttest_pass: bool
    pretest_first: bool
    overview_html: str
    competencies: tuple[CompetencyRef, ...]
    modules: tuple[ModuleOutline, ...]

    def module(self, key: str) -> ModuleOutline | None:
        """The module with this key, if the version has one."""
        return next((module for module in self.modules if module.key == key), None)

    def of_kind(self, kind: str) -> ModuleOutline | None:
        """The first module of `kind` (a course has at most one pre-test and one post-test)."""
        return next((module for module in self.modules if module.kind == kind), None)

    @property
    def minutes(self) -> int:
        """Estimated minutes for the whole course."""
        return sum(module.minutes for module in self.modules)


@dataclass(frozen=True)
class ModuleRecord:
    """What the person has done in one module (any content it had under this key)."""

    started: bool = False
    done: bool = False
    best_score: Decimal | None = None
    attempts_used: int = 0
    attempt_open: bool = False


@dataclass(frozen=True)
class ModuleState:
    """A module with the person's status in it, and the reason when it is locked."""

    module: ModuleOutline
    status: ModuleStatus
    lock: LockReason | None = None
    best_score: Decimal | None = None

    @property
    def open(self) -> bool:
        """Whether the person may open the module now."""
        return self.status is not ModuleStatus.LOCKED


@dataclass(frozen=True)
class CourseState:
    """The whole course for one person."""

    outline: CourseOutline
    modules: tuple[ModuleState, ...]
    missing_prerequisites: tuple[str, ...]
    completed: bool

    def state(self, key: str) -> ModuleState | None:
        """The state of the module with this key."""
        return next((state for state in self.modules if state.module.key == key), None)

    @property
    def started(self) -> bool:
        """Whether the person has begun anything in the course."""
        return any(state.status is not ModuleStatus.NOT_STARTED and state.open for state in self.modules)

    @property
    def required_done(self) -> int:
        """How many required modules are done."""
        required = set(self.outline.required_modules)
        return sum(1 for s in self.modules if s.module.key in required and s.status is ModuleStatus.DONE)

    @property
    def percent(self) -> int:
        """Share of required modules done, in whole percent (100 once the course is complete)."""
        if self.completed:
            return 100
        total = len(self.outline.required_modules)
        return int(self.required_done * 100 / total) if total else 0

    @property
    def next_module(self) -> ModuleState | None:
        """Where "Lanjutkan" leads: the first open module not yet done (required ones before optional ones)."""
        candidates = [s for s in self.modules if s.open and s.status in _UNFINISHED]
        required = set(self.outline.required_modules)
        ordered = [s for s in candidates if s.module.key in required] + [
            s for s in candidates if s.module.key not in required
        ]
        return ordered[0] if ordered else None

    def neighbours(self, key: str) -> tuple[ModuleState | None, ModuleState | None]:
        """The modules before and after `key` in course order."""
        keys = [state.module.key for state in self.modules]
        if key not in keys:
            return None, None
        index = keys.index(key)
        before = self.modules[index - 1] if index > 0 else None
        after = self.modules[index + 1] if index + 1 < len(self.modules) else None
        return before, after


_UNFINISHED = (ModuleStatus.NOT_STARTED, ModuleStatus.IN_PROGRESS)


def course_state(
    outline: CourseOutline,
    records: Mapping[str, ModuleRecord],
    *,
    missing_prerequisites: Sequence[str] = (),
    completed: bool = False,
) -> CourseState:
    """Every module's status for a person whose progress is `records` (by module key)."""
    empty = ModuleRecord()
    pretest = outline.of_kind("pretest")
    pretest_taken = pretest is not None and records.get(pretest.key, empty).done
    others_required_done = all(
        records.get(key, empty).done
        for key in outline.required_modules
        if (module := outline.module(key)) is not None and module.kind != "posttest"
    )
    states = []
    for module in outline.modules:
        record = records.get(module.key, empty)
        lock = _lock(module, outline, missing_prerequisites, pretest_taken, others_required_done, record)
        states.append(
            ModuleState(
                module=module,
                status=ModuleStatus.LOCKED if lock else _status(module, record),
                lock=lock,
                best_score=record.best_score,
            )
        )
    return CourseState(
        outline=outline,
        modules=tuple(states),
        missing_prerequisites=tuple(missing_prerequisites),
        completed=completed,
    )


def _lock(
    module: ModuleOutline,
    outline: CourseOutline,
    missing_prerequisites: Sequence[str],
    pretest_taken: bool,
    others_required_done: bool,
    record: ModuleRecord,
) -> LockReason | None:
    """Why `module` is closed to the person, or None; a module already done or begun is never locked again."""
    if record.done or record.attempt_open:
        return None
    if missing_prerequisites:
        return LockReason.PREREQUISITES
    if (
        outline.pretest_first
        and module.kind != "pretest"
        and outline.of_kind("pretest")
        and not pretest_taken
    ):
        return LockReason.PRETEST_FIRST
    if module.kind == "posttest" and not others_required_done:
        return LockReason.POSTTEST_LAST
    return None


def _status(module: ModuleOutline, record: ModuleRecord) -> ModuleStatus:
    if record.done:
        return ModuleStatus.DONE
    allowed = module.attempts_allowed
    if module.graded and allowed and record.attempts_used >= allowed and not record.attempt_open:
        return ModuleStatus.FAILED
    if record.started or record.attempt_open or record.attempts_used:
        return ModuleStatus.IN_PROGRESS
    return ModuleStatus.NOT_STARTED


def completion_met(outline: CourseOutline, records: Mapping[str, ModuleRecord]) -> bool:
    """Whether the course rule is met: required modules done and, if the rule says so, the post-test passed."""
    empty = ModuleRecord()
    if not all(records.get(key, empty).done for key in outline.required_modules):
        return False
    posttest = outline.of_kind("posttest")
    if outline.posttest_pass and posttest is not None:
        return records.get(posttest.key, empty).done
    return True


def final_score(outline: CourseOutline, records: Mapping[str, ModuleRecord]) -> Decimal | None:
    """The post-test's best score when there is a post-test, else the mean best score of the graded modules
    that count (pre-tests never count), or None when the course has none."""
    posttest = outline.of_kind("posttest")
    if posttest is not None:
        return records.get(posttest.key, ModuleRecord()).best_score
    scores = [
        record.best_score
        for module in outline.modules
        if module.kind == "quiz" and (record := records.get(module.key)) and record.best_score is not None
    ]
    if not scores:
        return None
    return (sum(scores, Decimal(0)) / len(scores)).quantize(Decimal("0.01"))
