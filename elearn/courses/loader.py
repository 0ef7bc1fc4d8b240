"""Load one course folder: read every file, check everything, render once, and build the frozen Course."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path

from elearn.courses.assets import ASSETS_DIR, collect_assets
from elearn.courses.course_file import COURSE_FILE, SLUG, CourseHeader, read_course_header
from elearn.courses.fields import did_you_mean
from elearn.courses.hashing import course_source_hash, sha256_hex
from elearn.courses.model import CompletionRule, Course, CourseLoad, Module, ModuleHeader
from elearn.courses.module_file import MODULE_FILE, ModuleSource, read_module
from elearn.courses.problems import Problem, ProblemLog
from elearn.courses.render import MAX_LESSON_BYTES, RENDER_TIMEOUT_SECONDS, render_batches, unrenderable
from elearn.courses.scan import LinkTargets, check_markup


@dataclass(frozen=True)
class _SourceFile:
    """A Markdown file of the course, read once: its label for problems, text and bytes."""

    name: str
    log: ProblemLog
    text: str
    data: bytes

    @property
    def content_hash(self) -> str:
        """SHA-256 of the file's bytes: a module's identity for progress and for skipping its render."""
        return sha256_hex(self.data)


def load_course(
    folder: Path,
    *,
    known_competencies: Collection[str],
    max_lesson_bytes: int = MAX_LESSON_BYTES,
    render_timeout: float = RENDER_TIMEOUT_SECONDS,
    rendered_modules: Collection[str] = frozenset(),
) -> CourseLoad:
    """Check and render a course folder; `course` is None when any error was found (all are reported).

    `rendered_modules` are module content hashes whose HTML (by this RENDERER_VERSION) the caller already
    holds, e.g. sync's stored modules: those modules are checked like all others but not rendered, and come
    back with `rendered=False` and empty HTML. Uses the spawned render pool: see render_pool.py about scripts.
    """
    slug = folder.name
    problems: list[Problem] = []
    root_log = ProblemLog(slug, sink=problems)
    if not SLUG.fullmatch(slug):
        root_log.error(1, 1, "nama folder kursus harus huruf kecil, angka, dan '-' (contoh: pelayanan-prima)")
    course_source, module_sources = _read_files(folder, slug, problems)
    if course_source is None:
        return CourseLoad(None, tuple(sorted(problems)))
    header = read_course_header(course_source.text, course_source.log)
    modules = [read_module(source.name, source.text, source.log) for source in module_sources]
    assets = collect_assets(folder, slug=slug, problems=problems)
    targets = LinkTargets({module.header.filename for module in modules}, {asset.path for asset in assets})
    _check_course(slug, header, modules, known_competencies, course_source.log, root_log)
    for module, source in zip(modules, module_sources, strict=True):
        skip = module.sections.heading_lines if module.sections else frozenset()
        check_markup(module.body, source.log.shifted(module.body_line - 1), targets, skip_lines=skip)
    check_markup(header.overview, course_source.log.shifted(header.overview_line - 1), targets)
    skipped = {source.name for source in module_sources if source.content_hash in rendered_modules}
    rendered = _render(
        course_source, header, module_sources, modules, skipped, max_lesson_bytes, render_timeout
    )
    if any(problem.severity == "error" for problem in problems):
        return CourseLoad(None, tuple(sorted(problems)))
    course = Course(
        slug=slug,
        code=header.code,
        title=header.title,
        summary=header.summary,
        language=header.language,
        jp=header.jp,
        competencies=tuple((located.value, level) for located, level in header.competencies),
        prerequisites=tuple(located.value for located in header.prerequisites),
        valid_years=header.valid_years,
        completion=_completion_rule(header, modules),
        owners=header.owners,
        overview_html=rendered[0][header.overview.strip()] if header.overview.strip() else "",
        defines_competencies=header.defines_competencies,
        modules=tuple(
            _module(module, source, rendered[index + 1], rendered_now=source.name not in skipped)
            for index, (module, source) in enumerate(zip(modules, module_sources, strict=True))
        ),
        assets=assets,
        content_hash=course_source_hash(folder),
    )
    return CourseLoad(course, tuple(sorted(problems)))


def _read_files(
    folder: Path, slug: str, problems: list[Problem]
) -> tuple[_SourceFile | None, list[_SourceFile]]:
    """course.md and the module files in number order; anything else at the top level is reported."""
    if not folder.is_dir():
        ProblemLog(slug, sink=problems).error(1, 1, "folder kursus tidak ditemukan")
        return None, []
    course_source: _SourceFile | None = None
    modules: list[_SourceFile] = []
    for entry in sorted(folder.iterdir(), key=lambda path: path.name):
        name = entry.name
        log = ProblemLog(f"{slug}/{name}", sink=problems)
        if name.startswith(".") or name == ASSETS_DIR:
            continue
        if entry.is_symlink() or not (entry.is_file() or entry.is_dir()):
            log.error(1, 1, "hanya berkas dan folder biasa yang diizinkan (tautan simbolik ditolak)")
        elif entry.is_dir():
            log.warning(1, 1, "folder ini diabaikan: hanya folder 'assets' yang dipakai")
        elif name == COURSE_FILE or MODULE_FILE.fullmatch(name):
            source = _read_source(entry, name, log)
            if source is not None and name == COURSE_FILE:
                course_source = source
            elif source is not None:
                modules.append(source)
        elif name.endswith(".md"):
            hint = did_you_mean(name, [COURSE_FILE])
            log.error(1, 1, f"nama modul harus NN-nama.md (dua angka, huruf kecil, '-'){hint}")
        else:
            log.warning(1, 1, "berkas ini diabaikan: letakkan gambar dan dokumen di folder assets/")
    if course_source is None and not (folder / COURSE_FILE).is_file():
        ProblemLog(f"{slug}/{COURSE_FILE}", sink=problems).error(1, 1, "course.md tidak ada")
    return course_source, modules


def _read_source(path: Path, name: str, log: ProblemLog) -> _SourceFile | None:
    """Read a Markdown file as UTF-8 with Unix newlines, or report why it cannot be read."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        log.error(1, 1, f"berkas bukan teks UTF-8 (byte ke-{error.start + 1})")
        return None
    return _SourceFile(name, log, text.replace("\r\n", "\n").replace("\r", "\n"), data)


def _check_course(
    slug: str,
    header: CourseHeader,
    modules: list[ModuleSource],
    known_competencies: Collection[str],
    course_log: ProblemLog,
    root_log: ProblemLog,
) -> None:
    """Checks that need the whole course: competencies, module numbering, question ids, completion rule."""
    known = set(known_competencies) | {definition.code for definition in header.defines_competencies}
    headers = [module.header for module in modules]
    seen_codes: set[str] = set()
    for located, _ in header.competencies:
        if located.value not in known:
            hint = did_you_mean(located.value, known)
            course_log.error(
                located.line, located.column, f"kode kompetensi '{located.value}' tidak dikenal{hint}"
            )
        if located.value in seen_codes:
            course_log.error(located.line, located.column, f"kompetensi '{located.value}' ditulis dua kali")
        seen_codes.add(located.value)
    for located in header.prerequisites:
        if located.value == slug:
            course_log.error(
                located.line, located.column, "kursus tidak bisa menjadi prasyarat bagi dirinya sendiri"
            )
    if not modules:
        root_log.error(1, 1, "kursus belum punya modul (berkas NN-nama.md)")
    _check_unique(
        headers,
        lambda module: f"{module.number:02d}",
        "nomor modul {key} sudah dipakai oleh {first}",
        root_log,
    )
    _check_unique(
        headers,
        lambda module: module.kind if module.kind in ("pretest", "posttest") else "",
        "hanya boleh ada satu modul {key} (sudah ada {first})",
        root_log,
    )
    _check_question_ids(modules, root_log)
    keys = {module.key for module in headers}
    for located in header.required_modules or ():
        if located.value not in keys:
            hint = did_you_mean(located.value, keys)
            course_log.error(located.line, located.column, f"modul '{located.value}' tidak ada{hint}")
    if header.posttest_pass and not any(module.kind == "posttest" for module in headers):
        line, column = header.posttest_pass_at
        course_log.warning(line, column, "posttest_pass diabaikan: kursus ini tidak punya modul posttest")
    if header.pretest_first and not any(module.kind == "pretest" for module in headers):
        line, column = header.pretest_first_at
        course_log.warning(line, column, "pretest_first diabaikan: kursus ini tidak punya modul pretest")


def _check_unique(
    modules: list[ModuleHeader], key_of: Callable[[ModuleHeader], str], message: str, root_log: ProblemLog
) -> None:
    """Report modules sharing a key (empty keys are ignored) at the later module's file."""
    first: dict[str, str] = {}
    for module in modules:
        key = key_of(module)
        if key and key in first:
            log = ProblemLog(f"{root_log.path}/{module.filename}", sink=root_log.problems)
            log.error(1, 1, message.format(key=key, first=first[key]))
        first.setdefault(key, module.filename)


def _check_question_ids(modules: list[ModuleSource], root_log: ProblemLog) -> None:
    """Question ids are unique within the course, so answers and statistics can refer to them."""
    first: dict[str, str] = {}
    for module in modules:
        filename = module.header.filename
        for draft in module.sections.questions if module.sections else ():
            line = module.body_line - 1 + draft.line
            if draft.id in first:
                log = ProblemLog(f"{root_log.path}/{filename}", sink=root_log.problems)
                log.error(line, 1, f"id soal '{draft.id}' sudah dipakai di {first[draft.id]}")
            first.setdefault(draft.id, f"{filename}:{line}")


def _render(
    course_source: _SourceFile,
    header: CourseHeader,
    sources: list[_SourceFile],
    modules: list[ModuleSource],
    skipped: Collection[str],
    max_bytes: int,
    timeout: float,
) -> list[dict[str, str]]:
    """Render the overview and each module not `skipped` as one batch each; every file is pre-checked, and
    refusals and failures become errors of the file."""
    jobs = [([header.overview.strip()], header.overview_line, course_source)]
    for module, source in zip(modules, sources, strict=True):
        texts = [module.body.strip()] if module.sections is None else [module.sections.intro]
        for draft in module.sections.questions if module.sections else ():
            texts += draft.markdown_texts()
        jobs.append((texts, module.body_line, source))
    batches: list[list[str]] = []
    renderable: list[int] = []
    for index, (texts, _, source) in enumerate(jobs):
        if _renderable(source, max_bytes) and source.name not in skipped:
            renderable.append(index)
            batches.append(sorted({text.strip() for text in texts if text.strip()}))
    outcomes = render_batches(batches, timeout=timeout)
    rendered: list[dict[str, str]] = [{} for _ in jobs]
    for index, batch, outcome in zip(renderable, batches, outcomes, strict=True):
        if isinstance(outcome, str):
            jobs[index][2].log.error(jobs[index][1], 1, f"tidak dapat dirender: {outcome}")
        else:
            rendered[index] = dict(zip(batch, outcome, strict=True))
    return rendered


def _renderable(source: _SourceFile, max_bytes: int) -> bool:
    """Whether a file passes the renderer's pre-check; each reason is reported at its line and column."""
    refused = unrenderable(source.text, max_bytes=max_bytes, what="berkas")
    for line, column, message in refused:
        source.log.error(line or 1, column, message)
    return not refused


def _module(
    module: ModuleSource, source: _SourceFile, rendered: dict[str, str], *, rendered_now: bool
) -> Module:
    """The final module from its source and the HTML of its fragments (empty when it was not rendered)."""

    def html(text: str) -> str:
        return rendered.get(text.strip(), "") if text.strip() else ""

    questions = module.sections.questions if module.sections else ()
    return Module.from_header(
        module.header,
        body_html=html(module.sections.intro if module.sections else module.body),
        questions=tuple(draft.build(html, line_offset=module.body_line - 1) for draft in questions),
        content_hash=source.content_hash,
        rendered=rendered_now,
    )


def _completion_rule(header: CourseHeader, modules: list[ModuleSource]) -> CompletionRule:
    """Resolve `all` to the required modules' keys; passing the post-test counts only if there is one."""
    has_posttest = any(module.header.kind == "posttest" for module in modules)
    if header.required_modules is None:
        required = tuple(module.header.key for module in modules if module.header.required)
    else:
        required = tuple(located.value for located in header.required_modules)
    posttest_pass = has_posttest if header.posttest_pass is None else header.posttest_pass and has_posttest
    has_pretest = any(module.header.kind == "pretest" for module in modules)
    pretest_first = has_pretest if header.pretest_first is None else header.pretest_first and has_pretest
    return CompletionRule(required_modules=required, posttest_pass=posttest_pass, pretest_first=pretest_first)
