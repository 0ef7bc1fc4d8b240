"""Importing the Markdown courses folder into the catalogue idempotently, safely from several servers at once.

A course whose source hash equals its current version's is skipped without parsing, so a no-op sync only
hashes files. A changed course is parsed (HTML is rendered then, never per request) and written as a new
immutable version that reuses every module, question and asset row whose hash already exists, which is what
lets learners' progress on unchanged modules carry over. Modules whose stored HTML is already current are
checked but not rendered again. A course with errors is refused whole, and so is one whose prerequisites name
no course (on disk or in the catalogue), form a cycle, or whose code another course on disk uses: those
cross-course checks read only every `course.md`. A course gone from disk is archived, never deleted. Each
course is written in its own transaction under a per-course lock (PostgreSQL advisory lock, SQLite `BEGIN
IMMEDIATE`) with its hash re-checked inside; unique constraints are the backstop.

Renderer upgrades never cost progress: the course source hash includes the engine's RENDERER_VERSION, so after
a bump every course is re-parsed and gets a new version, but module contents and questions stay keyed by their
*source* hashes (progress and answers point at those rows). Their HTML is re-rendered in place and the row's
`renderer_version` raised; older HTML is only ever replaced by a newer renderer's, never the other way, so
servers of two releases syncing at once do not undo each other. A module content no current version uses keeps
the HTML it had (it is re-rendered if a course brings it back). Caveat: a matching question's right-hand ids are
numbered by their sorted HTML, so a renderer change that reorders them renumbers them.
The stored shape of questions (and what never reaches a browser) is `elearn.quizzes.stored`.
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal, TypeVar

from sqlalchemy import func, select, text, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from elearn.courses import (
    CourseLoad,
    Problem,
    course_source_hash,
    cross_course_problems,
    load_course,
    read_headers,
    render,
)
from elearn.courses import model as parsed
from elearn.courses.course_file import COURSE_FILE
from elearn.db import utcnow
from elearn.models import (
    AssetBlob,
    Course,
    CourseCompetency,
    CourseVersion,
    ModuleContent,
    ModuleQuestion,
    Question,
    VersionAsset,
    VersionModule,
)
from elearn.quizzes.stored import stored_columns
from elearn.services.competency import known_competency_codes, seed_dictionary, upsert_course_competencies

INTEGRITY_RETRIES = 3
DICTIONARY_LOCK = ":dictionary"  # not a valid slug, so it never collides with a course's lock

Outcome = Literal["created", "updated", "unchanged"]
ProgressCallback = Callable[[str], None]
_Result = TypeVar("_Result")


@dataclass(frozen=True)
class RefusedCourse:
    """A course left as it was in the database, with every problem the author has to fix."""

    slug: str
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class SyncReport:
    """What one sync did, course by course, for the CLI summary and for logs."""

    created: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    archived: tuple[str, ...] = ()
    restored: tuple[str, ...] = ()
    refused: tuple[RefusedCourse, ...] = ()
    warnings: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether every course on disk is now in the catalogue as written."""
        return not self.refused


@dataclass
class _ReportBuilder:
    """Collects outcomes while courses are processed one by one."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    refused: dict[str, RefusedCourse] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)

    def add(self, slug: str, outcome: Outcome) -> None:
        """File a written course under its outcome."""
        getattr(self, outcome).append(slug)

    def build(self) -> SyncReport:
        """The immutable report (lists sorted so runs compare equal)."""
        return SyncReport(
            created=tuple(self.created),
            updated=tuple(self.updated),
            unchanged=tuple(sorted(self.unchanged)),  # those found unchanged under the lock come last
            archived=tuple(self.archived),
            restored=tuple(self.restored),
            refused=tuple(self.refused[slug] for slug in sorted(self.refused)),
            warnings=tuple(sorted(self.warnings)),
        )


@dataclass(frozen=True)
class _StoredCourse:
    """What the catalogue holds for a slug, read once for the whole no-op check and the prerequisite graph."""

    source_hash: str | None
    archived: bool
    prerequisites: tuple[str, ...]


def course_folders(root: Path) -> list[Path]:
    """Every course folder under `root`, as `courses check` sees them (a folder without course.md is refused,
    not archived, so a slip while editing never hides a course)."""
    if not root.is_dir():
        return []
    return sorted(child for child in root.iterdir() if child.is_dir() and not child.name.startswith("."))


def sync_courses(
    session: Session,
    root: Path,
    *,
    progress: ProgressCallback | None = None,
    max_lesson_bytes: int = render.MAX_LESSON_BYTES,
    render_timeout: float = render.RENDER_TIMEOUT_SECONDS,
) -> SyncReport:
    """Import every course under `root`; commits once per course, so pass a session with nothing pending."""
    report = _ReportBuilder()
    folders = course_folders(root)
    source_hashes = {folder.name: course_source_hash(folder) for folder in folders}
    stored = _stored_courses(session)
    session.commit()
    changed: list[Path] = []
    for folder in folders:
        slug = folder.name
        stored_course = stored.get(slug)
        if stored_course is not None and stored_course.source_hash == source_hashes[slug]:
            if stored_course.archived and _restore(session, slug):
                report.restored.append(slug)
            report.unchanged.append(slug)
            _tick(progress, slug)
        else:
            changed.append(folder)
    if changed:
        parser = _Parser(
            max_lesson_bytes=max_lesson_bytes,
            render_timeout=render_timeout,
            catalogue_problems=_catalogue_problems(folders, stored),
            rendered_modules=_rendered_modules(session, [folder.name for folder in changed]),
        )
        session.commit()
        _import_changed(session, changed, parser, report, progress)
    on_disk = set(source_hashes)
    for slug in sorted(slug for slug, known in stored.items() if slug not in on_disk and not known.archived):
        if _archive(session, slug):
            report.archived.append(slug)
    return report.build()


def _tick(progress: ProgressCallback | None, slug: str) -> None:
    """Tell the caller (a progress bar) one more course folder is done."""
    if progress is not None:
        progress(slug)


def _stored_courses(session: Session) -> dict[str, _StoredCourse]:
    """Slug -> current source hash, archive state and prerequisites, in one query."""
    rows = session.execute(
        select(
            Course.slug, CourseVersion.source_hash, Course.archived_at, CourseVersion.prerequisites
        ).outerjoin(CourseVersion, CourseVersion.id == Course.current_version_id)
    )
    return {
        slug: _StoredCourse(source_hash, archived_at is not None, tuple(prerequisites or ()))
        for slug, source_hash, archived_at, prerequisites in rows
    }


def _catalogue_problems(
    folders: Sequence[Path], stored: Mapping[str, _StoredCourse]
) -> dict[str, tuple[Problem, ...]]:
    """Cross-course problems per slug, from every course.md on disk (prerequisites may also name a course
    only the catalogue still holds)."""
    elsewhere = {slug: known.prerequisites for slug, known in stored.items()}
    return cross_course_problems(read_headers(folders), elsewhere=elsewhere)


def _rendered_modules(session: Session, slugs: Sequence[str]) -> dict[str, frozenset[str]]:
    """Slug -> content hashes of its stored modules whose HTML this renderer (or a newer one) produced."""
    rows = session.execute(
        select(Course.slug, ModuleContent.content_hash)
        .join(ModuleContent, ModuleContent.course_id == Course.id)
        .where(Course.slug.in_(slugs), ModuleContent.renderer_version >= render.RENDERER_VERSION)
    )
    hashes: dict[str, set[str]] = {}
    for slug, content_hash in rows:
        hashes.setdefault(slug, set()).add(content_hash)
    return {slug: frozenset(found) for slug, found in hashes.items()}


@dataclass(frozen=True)
class _Parser:
    """`load_course` with the configured limits, the stored modules it need not render, and the problems the
    cross-course checks found for each slug."""

    max_lesson_bytes: int
    render_timeout: float
    catalogue_problems: Mapping[str, tuple[Problem, ...]]
    rendered_modules: Mapping[str, frozenset[str]]

    def __call__(self, folder: Path, known: Collection[str]) -> CourseLoad:
        slug = folder.name
        loaded = load_course(
            folder,
            known_competencies=frozenset(known),
            max_lesson_bytes=self.max_lesson_bytes,
            render_timeout=self.render_timeout,
            rendered_modules=self.rendered_modules.get(slug, frozenset()),
        )
        return loaded.with_problems(self.catalogue_problems.get(slug, ()))


def _import_changed(
    session: Session,
    folders: Sequence[Path],
    parse: _Parser,
    report: _ReportBuilder,
    progress: ProgressCallback | None,
) -> None:
    """Import changed courses, parsing the next in a thread while one is written (render workers and the
    database both wait on I/O); refused ones are re-parsed while imports teach new competency codes."""
    known = set(_locked_transaction(session, DICTIONARY_LOCK, lambda: _seed_and_read_codes(session)))
    parsed_with = len(known)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="elearn-course-parse") as ahead:
        upcoming = ahead.submit(parse, folders[0], frozenset(known))
        for index, folder in enumerate(folders):
            loaded = upcoming.result()
            if index + 1 < len(folders):
                upcoming = ahead.submit(parse, folders[index + 1], frozenset(known))
            _import_loaded(session, folder, loaded, known, report)
            _tick(progress, folder.name)
    while len(known) > parsed_with and (retry := [f for f in folders if f.name in report.refused]):
        parsed_with = len(known)
        for folder in retry:
            _import_loaded(session, folder, parse(folder, known), known, report)


def _import_loaded(
    session: Session, folder: Path, loaded: CourseLoad, known: set[str], report: _ReportBuilder
) -> None:
    """Write one parsed course unless it has errors; record the outcome and the codes it teaches."""
    slug = folder.name
    course = loaded.course
    if course is None or not loaded.ok:
        report.refused[slug] = RefusedCourse(slug, loaded.problems)
        return
    try:
        outcome, restored = _locked_transaction(session, slug, lambda: _write_course(session, folder, course))
    except _Refused as refusal:
        report.refused[slug] = RefusedCourse(slug, refusal.problems)
        return
    report.refused.pop(slug, None)
    report.add(slug, outcome)
    if restored:
        report.restored.append(slug)
    report.warnings.extend(loaded.problems)
    known.update(definition.code for definition in course.defines_competencies)


def _seed_and_read_codes(session: Session) -> frozenset[str]:
    """Make sure the dictionary is stored, then list every code a course may refer to."""
    seed_dictionary(session)
    return known_competency_codes(session)


class _Refused(Exception):
    """Raised inside a course transaction when the course cannot be written after all; it is rolled back."""

    def __init__(self, problems: tuple[Problem, ...]) -> None:
        super().__init__(problems)
        self.problems = problems


def _locked_transaction(session: Session, name: str, work: Callable[[], _Result]) -> _Result:
    """Run `work` in one transaction holding the lock `name`; retry when a concurrent writer won a race."""
    for _ in range(INTEGRITY_RETRIES - 1):
        try:
            return _run_locked(session, name, work)
        except IntegrityError:
            continue  # another server inserted the same row first: re-read inside a new transaction
    return _run_locked(session, name, work)


def _run_locked(session: Session, name: str, work: Callable[[], _Result]) -> _Result:
    """Start a transaction, take the lock, run `work` and commit; roll back on any failure."""
    session.commit()
    _lock(session, name)
    try:
        result = work()
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return result


def _lock(session: Session, name: str) -> None:
    """Serialise writers of one course: a transaction-scoped advisory lock, or SQLite's single write lock."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("select pg_advisory_xact_lock(:key)"), {"key": _lock_key(name)})
    elif connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _lock_key(name: str) -> int:
    """A stable signed 64-bit key per lock name (advisory locks take a bigint)."""
    digest = hashlib.sha256(f"elearn-course:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _current_hash(session: Session, slug: str) -> tuple[Course | None, str | None]:
    """The course row and its current source hash, read fresh inside the lock."""
    course = session.scalars(
        select(Course).where(Course.slug == slug).execution_options(populate_existing=True)
    ).one_or_none()
    if course is None or course.current_version_id is None:
        return course, None
    return course, session.scalar(
        select(CourseVersion.source_hash).where(CourseVersion.id == course.current_version_id)
    )


def _restore(session: Session, slug: str) -> bool:
    """Un-archive a course whose folder came back unchanged; False when another sync already did."""

    def work() -> bool:
        course, _ = _current_hash(session, slug)
        if course is None or course.archived_at is None:
            return False
        course.archived_at = None
        course.updated_at = utcnow()
        return True

    return _locked_transaction(session, slug, work)


def _archive(session: Session, slug: str) -> bool:
    """Hide a course whose folder is gone, keeping every version, progress and completion."""

    def work() -> bool:
        course, _ = _current_hash(session, slug)
        if course is None or course.archived_at is not None:
            return False
        course.archived_at = course.updated_at = utcnow()
        return True

    return _locked_transaction(session, slug, work)


def _write_course(session: Session, folder: Path, source: parsed.Course) -> tuple[Outcome, bool]:
    """Inside the lock: re-check the hash, then point the course at a (new or identical earlier) version."""
    course, current_hash = _current_hash(session, source.slug)
    restored = course is not None and course.archived_at is not None
    if course is not None:
        course.archived_at = None
    if current_hash == source.content_hash:
        return "unchanged", restored
    conflicts = upsert_course_competencies(session, source.slug, source.defines_competencies)
    if conflicts:
        raise _Refused(
            tuple(
                Problem(
                    f"{source.slug}/{COURSE_FILE}",
                    1,
                    1,
                    f"kode kompetensi {c.code} sudah dimiliki oleh {c.owner}",
                )
                for c in conflicts
            )
        )
    outcome: Outcome = "updated"
    if course is None:
        course = Course(slug=source.slug, code=source.code)
        session.add(course)
        session.flush()
        outcome = "created"
    version = session.scalars(
        select(CourseVersion).where(
            CourseVersion.course_id == course.id, CourseVersion.source_hash == source.content_hash
        )
    ).one_or_none()
    if version is None:
        version = _new_version(session, course, folder, source)
    course.current_version_id = version.id
    course.code = source.code
    course.updated_at = utcnow()
    return outcome, restored


def _new_version(session: Session, course: Course, folder: Path, source: parsed.Course) -> CourseVersion:
    """Write version N+1, reusing every module content, question and asset blob that already exists."""
    _store_assets(session, folder, source)
    contents = _module_contents(session, course.id, source)
    last = session.scalar(select(func.max(CourseVersion.number)).where(CourseVersion.course_id == course.id))
    version = CourseVersion(
        course_id=course.id,
        number=(last or 0) + 1,
        source_hash=source.content_hash,
        title=source.title,
        summary=source.summary,
        language=source.language,
        jp=source.jp,
        valid_years=source.valid_years,
        prerequisites=list(source.prerequisites),
        completion_rule={
            "required_modules": list(source.completion.required_modules),
            "posttest_pass": source.completion.posttest_pass,
            "pretest_first": source.completion.pretest_first,
        },
        owners=list(source.owners),
        overview_html=source.overview_html,
        modules=[
            VersionModule(position=position, key=module.key, content=contents[module.content_hash])
            for position, module in enumerate(source.modules, start=1)
        ],
        competencies=[
            CourseCompetency(competency_code=code, level=level) for code, level in source.competencies
        ],
        assets=[VersionAsset(path=asset.path, sha256=asset.sha256) for asset in source.assets],
    )
    session.add(version)
    session.flush()
    return version


def _module_contents(session: Session, course_id: int, source: parsed.Course) -> dict[str, ModuleContent]:
    """Module content rows by hash: existing ones reused (their HTML refreshed when it was rendered by an older
    renderer), missing ones built with their questions."""
    wanted = {module.content_hash: module for module in source.modules}
    contents = {
        row.content_hash: row
        for row in session.scalars(
            select(ModuleContent).where(
                ModuleContent.course_id == course_id, ModuleContent.content_hash.in_(wanted)
            )
        )
    }
    for content_hash, module in wanted.items():
        row = contents.get(content_hash)
        if not module.rendered and (row is None or row.renderer_version < render.RENDERER_VERSION):
            message = "modul berubah di basis data selama sinkronisasi; jalankan sinkronisasi lagi"
            raise _Refused((Problem(f"{source.slug}/{module.filename}", 1, 1, message),))
    fresh = [
        module
        for content_hash, module in wanted.items()
        if module.rendered
        and (
            content_hash not in contents or contents[content_hash].renderer_version < render.RENDERER_VERSION
        )
    ]
    questions = _questions(session, course_id, (q for module in fresh for q in module.questions))
    for module in fresh:
        row = contents.get(module.content_hash)
        if row is None:
            row = ModuleContent(
                course_id=course_id,
                content_hash=module.content_hash,
                kind=module.kind,
                title=module.title,
                minutes=module.minutes,
                required=module.required,
                settings=asdict(module.quiz) if module.quiz is not None else {},
                questions=[
                    ModuleQuestion(position=position, question=questions[(q.id, q.content_hash)])
                    for position, q in enumerate(module.questions, start=1)
                ],
            )
            session.add(row)
            contents[module.content_hash] = row
        row.body_html = module.body_html
        row.renderer_version = render.RENDERER_VERSION
    return contents


def _questions(
    session: Session, course_id: int, questions: Iterable[parsed.Question]
) -> dict[tuple[str, str], Question]:
    """Question rows by (id, hash) with these freshly rendered columns: existing rows are reused (so answers
    to unchanged questions carry over) and only columns that differ are written."""
    wanted = {(q.id, q.content_hash): q for q in questions}
    if not wanted:
        return {}
    rows = {
        (row.qid, row.content_hash): row
        for row in session.scalars(
            select(Question).where(
                Question.course_id == course_id, tuple_(Question.qid, Question.content_hash).in_(list(wanted))
            )
        )
    }
    for key, question in wanted.items():
        columns = stored_columns(question)
        row = rows.get(key)
        if row is None:
            rows[key] = Question(course_id=course_id, **columns)
            session.add(rows[key])
            continue
        for name, value in columns.items():
            if getattr(row, name) != value:
                setattr(row, name, value)
    return rows


def _store_assets(session: Session, folder: Path, source: parsed.Course) -> None:
    """Add the blobs no course has stored yet; the bytes must still be those the parser hashed."""
    wanted = {asset.sha256: asset for asset in source.assets}
    if not wanted:
        return
    stored = set(session.scalars(select(AssetBlob.sha256).where(AssetBlob.sha256.in_(wanted))))
    for sha256, asset in wanted.items():
        if sha256 in stored:
            continue
        data = (folder / asset.path).read_bytes()
        if hashlib.sha256(data).hexdigest() != sha256:
            message = "berkas berubah selama sinkronisasi; jalankan sinkronisasi lagi"
            raise _Refused((Problem(f"{source.slug}/{asset.path}", 1, 1, message),))
        media_type = mimetypes.guess_type(asset.path)[0] or "application/octet-stream"
        session.add(AssetBlob(sha256=sha256, size=len(data), media_type=media_type, data=data))
