"""Check a whole courses directory: every course, plus what only the tree reveals (prerequisites, codes)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path

from elearn.courses.course_file import COURSE_FILE, CourseHeader, read_course_header
from elearn.courses.fields import did_you_mean
from elearn.courses.loader import load_course
from elearn.courses.model import CourseLoad
from elearn.courses.problems import Problem, ProblemLog


def check_tree(root: Path, *, known_competencies: Collection[str], **limits: float) -> dict[str, CourseLoad]:
    """Load every course folder under `root` (keyed by slug) and add cross-course problems to each load.

    Competencies defined by any course count as known everywhere; see `cross_course_problems` for the rest.
    """
    folders = sorted(path for path in root.iterdir() if path.is_dir() and not path.name.startswith("."))
    headers = read_headers(folders)
    known = set(known_competencies) | {
        definition.code for header in headers.values() if header for definition in header.defines_competencies
    }
    extra = cross_course_problems(headers)
    return {
        folder.name: load_course(folder, known_competencies=known, **limits).with_problems(extra[folder.name])  # type: ignore[arg-type]  # the limits are load_course's keyword arguments
        for folder in folders
    }


def read_headers(folders: Iterable[Path]) -> dict[str, CourseHeader | None]:
    """Each folder's course.md front matter by slug, reading nothing else (no modules, no rendering), so the
    whole tree can be checked cheaply; None where course.md is missing or unreadable (load_course says why)."""
    return {folder.name: _header(folder) for folder in folders}


def cross_course_problems(
    headers: Mapping[str, CourseHeader | None], *, elsewhere: Mapping[str, Sequence[str]] | None = None
) -> dict[str, tuple[Problem, ...]]:
    """Problems only the whole catalogue reveals, for every slug in `headers`.

    Prerequisites must name a course in `headers` or in `elsewhere` (slug -> its prerequisites: courses known
    outside the tree, e.g. already in the database) and must not form a cycle through either; course codes
    and defined competency codes must be unique across `headers`.
    """
    others = {
        slug: list(prerequisites) for slug, prerequisites in (elsewhere or {}).items() if slug not in headers
    }
    extra: dict[str, list[Problem]] = {slug: [] for slug in headers}
    _check_prerequisites(headers, others, extra)
    _check_unique_codes(headers, extra)
    return {slug: tuple(problems) for slug, problems in extra.items()}


def _header(folder: Path) -> CourseHeader | None:
    """The course header for cross-course checks (its own problems are reported by load_course)."""
    path = folder / COURSE_FILE
    if not path.is_file() or path.is_symlink():
        return None
    try:
        text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError:
        return None
    return read_course_header(text, ProblemLog(str(path)))


def _course_log(slug: str, extra: dict[str, list[Problem]]) -> ProblemLog:
    """A log for cross-course problems found in a course's course.md."""
    return ProblemLog(f"{slug}/{COURSE_FILE}", sink=extra[slug])


def _check_prerequisites(
    headers: Mapping[str, CourseHeader | None],
    others: dict[str, list[str]],
    extra: dict[str, list[Problem]],
) -> None:
    """Unknown prerequisites, and cycles (each course of the tree on a cycle is told the whole cycle)."""
    graph = {
        slug: [item.value for item in header.prerequisites] if header else []
        for slug, header in headers.items()
    } | others
    for slug, header in headers.items():
        for item in header.prerequisites if header else ():
            if item.value not in graph:
                hint = did_you_mean(item.value, graph)
                _course_log(slug, extra).error(
                    item.line, item.column, f"prasyarat '{item.value}' tidak ada{hint}"
                )
    for cycle in _cycles(graph):
        text = " -> ".join([*cycle, cycle[0]])
        for position, slug in enumerate(cycle):
            if slug not in headers:
                continue
            following = cycle[(position + 1) % len(cycle)]
            header = headers[slug]
            entry = next(item for item in header.prerequisites if item.value == following) if header else None
            line, column = (entry.line, entry.column) if entry else (1, 1)
            _course_log(slug, extra).error(line, column, f"prasyarat melingkar: {text}")


def _cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """One cycle per strongly connected group of courses (Tarjan); self-references are load_course's job."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in graph:
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_walk_cycle(graph, set(group)) for group in groups]


def _walk_cycle(graph: dict[str, list[str]], group: set[str]) -> list[str]:
    """Follow prerequisites inside a strongly connected group from its smallest slug until one repeats."""
    path = [min(group)]
    while True:
        following = next(target for target in sorted(graph[path[-1]]) if target in group)
        if following in path:
            return path[path.index(following) :]
        path.append(following)


def _check_unique_codes(headers: Mapping[str, CourseHeader | None], extra: dict[str, list[Problem]]) -> None:
    """Course codes and defined competency codes each belong to one course."""
    course_codes: dict[str, str] = {}
    competency_codes: dict[str, str] = {}
    for slug, header in sorted(headers.items()):
        if header is None:
            continue
        if header.code and header.code in course_codes:
            _course_log(slug, extra).error(
                1, 1, f"kode kursus '{header.code}' sudah dipakai oleh {course_codes[header.code]}"
            )
        course_codes.setdefault(header.code, slug)
        for definition in header.defines_competencies:
            if definition.code in competency_codes:
                owner = competency_codes[definition.code]
                _course_log(slug, extra).error(
                    1, 1, f"kompetensi '{definition.code}' sudah didefinisikan oleh {owner}"
                )
            competency_codes.setdefault(definition.code, slug)
