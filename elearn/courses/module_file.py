"""One `NN-name.md` module: front matter settings and, for quizzes and surveys, the question drafts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from elearn.courses.fields import FieldReader
from elearn.courses.frontmatter import read_front_matter
from elearn.courses.model import GRADED_KINDS, MODULE_KINDS, ModuleHeader, ModuleKind, QuizSettings
from elearn.courses.problems import ProblemLog
from elearn.courses.questions import QuestionSections, parse_questions

MODULE_FILE = re.compile(r"(?P<number>[0-9]{2})-[a-z0-9]+(?:-[a-z0-9]+)*\.md")
BASE_KEYS = ("title", "kind", "minutes", "required")
QUIZ_KEYS = ("pass_mark", "attempts", "shuffle", "draw", "time_limit", "show_answers", "form", "per_page")
_SHOW_ANSWERS = ("never", "after_submit", "after_pass")
_FORMS = ("A", "B")
_DEFAULT_ATTEMPTS = {"pretest": 1}
_DEFAULT_SHOW_ANSWERS = {"quiz": "after_submit", "pretest": "never", "posttest": "after_pass"}


@dataclass(frozen=True)
class ModuleSource:
    """A module as written, before rendering: its header, Markdown body and question drafts."""

    header: ModuleHeader
    body: str
    body_line: int
    sections: QuestionSections | None


def read_module(filename: str, text: str, log: ProblemLog) -> ModuleSource:
    """Parse a module file; problems go to `log`, fallbacks keep the rest checkable."""
    front = read_front_matter(text, log)
    reader = FieldReader(front, log)
    if front.data:
        reader.check_keys(allowed=BASE_KEYS + QUIZ_KEYS, required=("title", "kind"), where=filename)
    kind: ModuleKind = reader.choice("kind", MODULE_KINDS, "lesson")  # type: ignore[assignment]  # choice() returns one of MODULE_KINDS
    body_log = log.shifted(front.body_line - 1)
    sections = None
    if kind in GRADED_KINDS or kind == "survey":
        sections = parse_questions(front.body, graded=kind in GRADED_KINDS, log=body_log)
        if not sections.questions:
            body_log.error(
                1, 1, f"modul {kind} belum berisi soal (tulis soal sebagai judul '## ... {{#id}}')"
            )
    header = ModuleHeader(
        key=filename.removesuffix(".md"),
        number=int(filename[:2]),
        filename=filename,
        title=reader.text("title"),
        kind=kind,
        minutes=reader.integer("minutes", 0, minimum=0, maximum=10_000) or 0,
        required=reader.boolean("required", default=kind != "survey"),
        quiz=_quiz_settings(reader, kind, len(sections.questions) if sections else 0),
    )
    return ModuleSource(
        header=header,
        body=front.body,
        body_line=front.body_line,
        sections=sections,
    )


def _quiz_settings(reader: FieldReader, kind: ModuleKind, question_count: int) -> QuizSettings | None:
    """Quiz options for graded modules; the same keys elsewhere are errors, `form` only on pre/post-tests."""
    if kind not in GRADED_KINDS:
        for key in QUIZ_KEYS:
            if reader.has(key):
                reader.problem(key, f"'{key}' hanya berlaku untuk modul quiz, pretest, atau posttest")
        return None
    if reader.has("form") and kind == "quiz":
        reader.problem("form", "'form' hanya berlaku untuk pretest dan posttest")
    draw = reader.integer("draw", None, minimum=1)
    if draw is not None and question_count and draw > question_count:
        reader.problem("draw", f"'draw' ({draw}) lebih besar dari jumlah soal ({question_count})")
    return QuizSettings(
        pass_mark=reader.integer("pass_mark", 70, minimum=0, maximum=100) or 0,
        attempts=reader.integer("attempts", _DEFAULT_ATTEMPTS.get(kind, 0), minimum=0) or 0,
        shuffle=reader.boolean("shuffle", default=False),
        draw=draw,
        time_limit=reader.integer("time_limit", None, minimum=1, maximum=1440),
        show_answers=reader.choice("show_answers", _SHOW_ANSWERS, _DEFAULT_SHOW_ANSWERS[kind]),  # type: ignore[arg-type]  # choice() returns one of _SHOW_ANSWERS
        form=reader.choice("form", _FORMS, "") or None if kind != "quiz" else None,
        per_page=reader.integer("per_page", 0, minimum=0, maximum=100) or 0,
    )
