"""Question ids across a course folder: those already used (so an imported bank picks others) and `check --fix`,
which writes a stable `{#id}` into every question heading that has none."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from elearn.courses.model import GRADED_KINDS
from elearn.courses.module_file import MODULE_FILE, read_module
from elearn.courses.problems import ProblemLog
from elearn.courses.questions import HEADING, heading_id, heading_lines
from elearn.courses.slugs import UniqueIds

_BOM = "\ufeff"


@dataclass(frozen=True)
class AddedId:
    """An id `check --fix` wrote: where (`<slug>/<file>:line`) and which."""

    path: str
    line: int
    question_id: str


@dataclass
class _Module:
    """A quiz or survey module file as text, with the file lines of its question headings."""

    path: Path
    text: str
    newline: str
    bom: bool
    headings: list[int]

    def lines(self) -> list[str]:
        return self.text.split("\n")

    def write(self, lines: list[str]) -> None:
        text = "\n".join(lines).replace("\n", self.newline)
        self.path.write_bytes(((_BOM if self.bom else "") + text).encode("utf-8"))


def used_question_ids(folder: Path, *, besides: Path | None = None) -> set[str]:
    """Every question id the course's quiz and survey modules name, leaving out the file `besides`."""
    return {
        question_id
        for module in _question_modules(folder)
        if besides is None or module.path.resolve() != besides.resolve()
        for question_id in _ids(module)
    }


def add_missing_ids(folder: Path) -> list[AddedId]:
    """Write `{#id}` into each question heading of the course that names none; the id comes from the heading
    text and is unique in the course. Files are rewritten only where a heading changes (line endings kept)."""
    modules = list(_question_modules(folder))
    ids = UniqueIds(question_id for module in modules for question_id in _ids(module))
    added = []
    for module in modules:
        lines = module.lines()
        for index in module.headings:
            if heading_id(lines[index]) is not None:
                continue
            match = HEADING.match(lines[index])
            question_id = ids.claim(_plain(match.group("text") if match else ""))
            lines[index] = _with_id(lines[index], question_id)
            added.append(AddedId(f"{folder.name}/{module.path.name}", index + 1, question_id))
        if lines != module.lines():
            module.write(lines)
    return added


def _question_modules(folder: Path) -> Iterator[_Module]:
    """The quiz, pre-test, post-test and survey module files of a course (symlinks and unreadable files left)."""
    for path in sorted(folder.iterdir()) if folder.is_dir() else ():
        if not MODULE_FILE.fullmatch(path.name) or path.is_symlink() or not path.is_file():
            continue
        try:
            raw = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        bom, text = raw.startswith(_BOM), raw.removeprefix(_BOM)
        newline = "\r\n" if "\r\n" in text else "\n"
        text = text.replace("\r\n", "\n")
        module = read_module(path.name, text, ProblemLog(path.name))
        if module.header.kind not in GRADED_KINDS and module.header.kind != "survey":
            continue
        offset = module.body_line - 1
        headings = [offset + index for index in heading_lines(module.body.split("\n"))]
        yield _Module(path, text, newline, bom, headings)


def _ids(module: _Module) -> Iterator[str]:
    lines = module.lines()
    for index in module.headings:
        question_id = heading_id(lines[index])
        if question_id:
            yield question_id


def _plain(heading_text: str) -> str:
    """Heading Markdown without emphasis, code marks or links, for an id that reads like the question."""
    return re.sub(r"[`*_]|\]\([^)]*\)", " ", heading_text)


def _with_id(line: str, question_id: str) -> str:
    """`## Text {type=short}` -> `## Text {#id type=short}`; `## Text` -> `## Text {#id}`."""
    match = HEADING.match(line)
    if match is None or match.group("attrs") is None:
        return f"{line.rstrip()} {{#{question_id}}}"
    others = match.group("attrs")[1:-1].strip()
    attributes = f"{{#{question_id}{' ' + others if others else ''}}}"
    return line[: match.start("attrs")] + attributes + line[match.end("attrs") :]
