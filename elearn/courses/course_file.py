"""`course.md`: the course front matter read into a header, every problem reported at its position."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from elearn.competency.dictionary import LEVELS, CompetencyDefinition, CompetencyLevel
from elearn.courses.fields import FieldReader
from elearn.courses.frontmatter import FrontMatter, read_front_matter
from elearn.courses.problems import ProblemLog

COURSE_FILE = "course.md"
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
COURSE_KEYS = (
    "title", "code", "summary", "language", "jp", "competencies", "prerequisites", "valid_years",
    "completion", "owners", "defines_competencies", "pretest_first",
)  # fmt: skip
REQUIRED_COURSE_KEYS = ("title", "code", "summary", "jp")
_LANGUAGES = ("id", "en")
_COMPETENCY_CODE = re.compile(r"[A-Z][A-Z0-9]*(?:\.[A-Z0-9]+)+")


@dataclass(frozen=True)
class Located:
    """A value with where the author wrote it, for problems found later (other files, other courses)."""

    value: str
    line: int
    column: int


@dataclass(frozen=True)
class CourseHeader:
    """Everything course.md declares, before it is checked against the modules and the other courses."""

    title: str
    code: str
    summary: str
    language: str
    jp: Decimal
    competencies: tuple[tuple[Located, int], ...]
    prerequisites: tuple[Located, ...]
    valid_years: int | None
    required_modules: tuple[Located, ...] | None
    posttest_pass: bool | None
    posttest_pass_at: tuple[int, int]
    pretest_first: bool | None
    pretest_first_at: tuple[int, int]
    owners: tuple[str, ...]
    defines_competencies: tuple[CompetencyDefinition, ...]
    overview: str
    overview_line: int


def read_course_header(text: str, log: ProblemLog) -> CourseHeader:
    """Parse course.md; always returns a header (fallback values where the author's were wrong)."""
    front = read_front_matter(text, log)
    reader = FieldReader(front, log)
    if front.data:
        reader.check_keys(allowed=COURSE_KEYS, required=REQUIRED_COURSE_KEYS, where="course.md")
    completion = reader.mapping("completion")
    required_modules, posttest_pass = _completion(completion)
    return CourseHeader(
        title=reader.text("title"),
        code=reader.text("code"),
        summary=reader.text("summary"),
        language=reader.choice("language", _LANGUAGES, "id"),
        jp=reader.decimal("jp", Decimal(0)),
        competencies=_competencies(reader),
        prerequisites=_prerequisites(reader, front),
        valid_years=reader.integer("valid_years", None, minimum=1, maximum=100),
        required_modules=required_modules,
        posttest_pass=posttest_pass,
        posttest_pass_at=front.position(("completion", "posttest_pass")),
        pretest_first=reader.boolean("pretest_first", default=True) if reader.has("pretest_first") else None,
        pretest_first_at=front.position(("pretest_first",)),
        owners=reader.text_list("owners"),
        defines_competencies=_defined_competencies(reader),
        overview=front.body,
        overview_line=front.body_line,
    )


def _competencies(reader: FieldReader) -> tuple[tuple[Located, int], ...]:
    """`competencies: [{code: M.05, level: 2}]`; codes are checked against the dictionary by the loader."""
    found: list[tuple[Located, int]] = []
    for item in reader.mapping_list("competencies"):
        item.check_keys(allowed=("code", "level"), required=("code", "level"), where="competencies")
        code = item.text("code")
        level = item.integer("level", None, minimum=1, maximum=5)
        if code and level is not None:
            line, column = item.front.position((*item.path, "code"))
            found.append((Located(code, line, column), level))
    return tuple(found)


def _prerequisites(reader: FieldReader, front: FrontMatter) -> tuple[Located, ...]:
    """Slugs of other courses; whether they exist is checked across the tree."""
    located = []
    for index, slug in enumerate(reader.text_list("prerequisites")):
        line, column = front.position(("prerequisites", index))
        if SLUG.fullmatch(slug):
            located.append(Located(slug, line, column))
        else:
            reader.log.error(line, column, f"prasyarat '{slug}' bukan slug kursus (huruf kecil, angka, '-')")
    return tuple(located)


def _completion(reader: FieldReader | None) -> tuple[tuple[Located, ...] | None, bool | None]:
    """`required_modules: all | [keys]` (None means all) and `posttest_pass` (None when not written)."""
    if reader is None:
        return None, None
    reader.check_keys(allowed=("required_modules", "posttest_pass"), required=(), where="completion")
    posttest_pass = reader.boolean("posttest_pass", default=True) if reader.has("posttest_pass") else None
    raw = reader.data.get("required_modules")
    if raw is None or raw == "all":
        return None, posttest_pass
    if not isinstance(raw, list):
        reader.problem("required_modules", "'required_modules' harus 'all' atau daftar kunci modul")
        return None, posttest_pass
    keys = []
    for index, key in enumerate(reader.text_list("required_modules")):
        line, column = reader.front.position((*reader.path, "required_modules", index))
        keys.append(Located(key, line, column))
    return tuple(keys), posttest_pass


def _defined_competencies(reader: FieldReader) -> tuple[CompetencyDefinition, ...]:
    """Technical competencies a course defines, with a description (and optional indicators) per level."""
    definitions = []
    for item in reader.mapping_list("defines_competencies"):
        item.check_keys(
            allowed=("code", "name", "name_en", "definition", "levels"),
            required=("code", "name", "definition", "levels"),
            where="defines_competencies",
        )
        code = item.text("code")
        if code and not _COMPETENCY_CODE.fullmatch(code):
            item.problem("code", f"kode kompetensi '{code}' tidak valid (contoh: T.TIK.01)")
        levels = _levels(item.mapping("levels"))
        if code and levels:
            definitions.append(
                CompetencyDefinition(
                    code=code,
                    kind="technical",
                    name=item.text("name"),
                    name_en=item.text("name_en"),
                    definition=item.text("definition"),
                    levels=levels,
                )
            )
    return tuple(definitions)


def _levels(reader: FieldReader | None) -> dict[int, CompetencyLevel]:
    """`levels: {1: "...", 2: {description: ..., indicators: [...]}}` with level numbers 1-5."""
    if reader is None:
        return {}
    levels: dict[int, CompetencyLevel] = {}
    for number in reader.data:
        if isinstance(number, bool) or not isinstance(number, int) or number not in LEVELS:
            reader.problem(str(number), f"level '{number}' tidak valid: level kompetensi 1 sampai 5")
            continue
        value = reader.data[number]
        if isinstance(value, str) and value.strip():
            levels[number] = CompetencyLevel(level=number, description=value.strip())
            continue
        detail = reader.mapping(number)
        if detail is None:
            reader.problem(number, "isi level harus teks atau {description, indicators}")
            continue
        detail.check_keys(
            allowed=("description", "indicators"), required=("description",), where=f"level {number}"
        )
        levels[number] = CompetencyLevel(
            level=number, description=detail.text("description"), indicators=detail.text_list("indicators")
        )
    return levels
