"""Convert a Moodle GIFT question bank into an elearn quiz module (Markdown), without Flask.

GIFT is read the way Moodle's own importer (``qformat_gift``) reads it: blank lines separate questions,
``//`` lines are comments, ``::name::`` names a question, the first ``{...}`` holds the answers and a
backslash escapes ``~ = # { } :``. What each answer means is kept: weights become credits (``%50%`` ->
``[50%]``), per-answer feedback stays under its answer, ``*`` keeps Moodle's wildcard meaning, a numeric ``~``
becomes the catch-all ``= *`` and matching distractors stay distractors. Questions the course format cannot
express (essays, descriptions, what Moodle itself would refuse) and broken questions are skipped and listed with
their line; the rest of the file still converts. Notes name what was dropped (media, links) or changed.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import yaml

from elearn.courses.credits import CREDIT_QUANTUM, totals_full
from elearn.courses.gift_text import GAP, MARKDOWN_BLOCK, Format, Text, escape_line, inline, paragraphs, quote
from elearn.courses.slugs import UniqueIds

__all__ = ["GiftConversion", "GiftFileError", "GiftSkip", "decode_gift", "gift_to_markdown"]


class GiftFileError(ValueError):
    """A file that cannot be read as GIFT at all (not UTF-8); the message (Bahasa Indonesia) says what to do."""


@dataclass(frozen=True)
class GiftSkip:
    """A question the author should look at (skipped, or converted with a note): where, which, and why."""

    line: int
    question: str
    reason: str


@dataclass(frozen=True)
class GiftConversion:
    """A complete quiz module plus what did not survive the trip, so the importer can tell the author."""

    markdown: str
    converted: int
    skipped: tuple[GiftSkip, ...]
    warnings: tuple[GiftSkip, ...]


def decode_gift(data: bytes) -> str:
    """The text of a GIFT file, which must be UTF-8 (a byte order mark is allowed), or GiftFileError."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise GiftFileError(
            f"berkas bukan teks UTF-8 (baris {line}, kolom {column}); "
            "simpan ulang berkas dengan pengodean UTF-8 (di editor teks: Simpan sebagai, UTF-8)"
        ) from error


def gift_to_markdown(
    text: str, *, source_name: str, title: str, taken_ids: Collection[str] = ()
) -> GiftConversion:
    """Convert GIFT text into a quiz module file; question ids avoid `taken_ids` (those the course uses)."""
    sections: list[str] = []
    skipped: list[GiftSkip] = []
    warnings: list[GiftSkip] = []
    ids = UniqueIds(taken_ids)
    for block in _split_blocks(text):
        try:
            question = _read_question(block)
        except _Broken as broken:
            skipped.append(GiftSkip(broken.line, _block_label(block), broken.reason))
            continue
        if question is None:
            continue
        notes: list[str] = []
        try:
            sections.append(_write_question(question, ids, notes))
        except _Unsupported as unsupported:
            skipped.append(GiftSkip(question.line, question.label(), unsupported.reason))
        else:
            warnings.extend(GiftSkip(question.line, question.label(), note) for note in notes)
    markdown = _front_matter(title, source_name) + "".join(f"\n{section}" for section in sections)
    return GiftConversion(markdown, len(sections), tuple(skipped), tuple(warnings))


# --- Reading GIFT -------------------------------------------------------------------------------------------

_ESCAPABLE = "\\:#={}~n"
# Private-use characters stand in for escaped characters (and the missing-word gap) while text is split apart.
_HELD = {char: chr(0xE000 + index) for index, char in enumerate(_ESCAPABLE)}
_RELEASE = str.maketrans({held: ("\n" if char == "n" else char) for char, held in _HELD.items()})
_ESCAPE = re.compile(r"\\([\\:#={}~n])")
_WEIGHT = re.compile(r"^%(?P<weight>-*[0-9]{1,2}\.?[0-9]*)%")  # Moodle's own pattern for `%50%`
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class _Block:
    """Consecutive non-blank lines: comments blanked (so positions still map to lines), escapes held."""

    line: int
    text: str

    def line_at(self, position: int) -> int:
        return self.line + self.text.count("\n", 0, position)


@dataclass(frozen=True)
class _Question:
    line: int
    name: str
    text: Text
    answers: str | None  # inside the braces, escapes still held; None for a description
    general_feedback: Text | None

    def label(self) -> str:
        words = self.text.plain().split()
        return self.name or " ".join(words[:8]) + (" ..." if len(words) > 8 else "")


@dataclass(frozen=True)
class _Answer:
    text: Text
    weight: Decimal | None  # percent as written between % signs; None when the author gave none
    feedback: Text | None


class _Unsupported(Exception):
    """Raised while writing a question the course format cannot express."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Broken(Exception):
    """Raised while reading a question too broken to read, with the line the author has to fix."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


def _split_blocks(source: str) -> Iterator[_Block]:
    """Yield the blank-line separated blocks of a GIFT file (Moodle: one question per block)."""
    lines = [line.strip() for line in source.removeprefix("\ufeff").splitlines()]
    start: int | None = None
    for number, line in enumerate([*lines, ""], start=1):
        if line and start is None:
            start = number
        elif not line and start is not None:
            kept = ["" if raw.startswith("//") else raw for raw in lines[start - 1 : number - 1]]
            yield _Block(start, _ESCAPE.sub(lambda match: _HELD[match[1]], "\n".join(kept)))
            start = None


def _block_label(block: _Block) -> str:
    """How to name a question that could not be read: its `::name::` or its first words."""
    text = block.text.strip()
    if text.startswith("::") and "::" in text[2:]:
        return " ".join(_release(text[2 : text.index("::", 2)]).split())
    words = _release(text.removeprefix("::").split("{", 1)[0]).split()
    return " ".join(words[:8]) + (" ..." if len(words) > 8 else "")


def _read_question(block: _Block) -> _Question | None:
    """Split one block into name, text and answer section; None for comments and $CATEGORY lines."""
    text = block.text.lstrip()
    offset = len(block.text) - len(text)
    if not text or text.startswith("$CATEGORY:"):
        return None
    line = block.line_at(offset)
    name = ""
    if text.startswith("::"):
        name_end = text.find("::", 2)
        if name_end < 0:
            raise _Broken(block.line_at(offset), "judul soal diawali '::' tetapi tidak ditutup '::'")
        name = " ".join(_release(text[2:name_end]).split())
        stripped = text[name_end + 2 :].lstrip()
        offset += len(text) - len(stripped)
        text = stripped
    open_at, close_at = text.find("{"), text.find("}")
    if open_at < 0 and close_at < 0:
        return _Question(line, name, _read_text(text, Format.MOODLE), None, None)
    if open_at < 0 or close_at < open_at:
        first = min(position for position in (open_at, close_at) if position >= 0)
        raise _Broken(block.line_at(offset + first), "kurung kurawal '{' dan '}' tidak berpasangan")
    tail = text[close_at + 1 :]
    if "{" in tail or "}" in tail:
        raise _Broken(block.line_at(offset + close_at + 1), "lebih dari satu blok jawaban '{...}'")
    gap = GAP if tail.strip() else ""
    question_text = _read_text(text[:open_at] + gap + tail, Format.MOODLE)
    answers, separator, feedback = text[open_at + 1 : close_at].rpartition("####")
    if not separator:
        return _Question(line, name, question_text, feedback.strip(), None)
    return _Question(line, name, question_text, answers.strip(), _read_text(feedback, question_text.format))


def _read_text(raw: str, default: Format) -> Text:
    """Apply a leading ``[format]`` marker and release escaped characters."""
    raw = raw.strip()
    marker = re.match(r"\[(moodle|html|plain|markdown)\]", raw)
    if marker:
        return Text(_release(raw[marker.end() :]).strip(), Format(marker[1]))
    return Text(_release(raw).strip(), default)


def _release(raw: str) -> str:
    return raw.translate(_RELEASE)


def _pieces(section: str, markers: str) -> Iterator[tuple[str, str]]:
    """Split an answer section before each marker character, yielding (marker, text after it)."""
    for piece in re.split(f"(?=[{re.escape(markers)}])", section):
        if piece.strip():
            marker = piece[0] if piece[0] in markers else ""
            yield marker, piece[len(marker) :].strip()


def _read_answers(section: str, markers: str, default: Format, *, equals_is_full: bool) -> list[_Answer]:
    """Read answers with their ``%weight%`` and ``#feedback``; in multiple choice (`equals_is_full`) a ``=``
    answer is 100% whatever follows it, as in Moodle."""
    answers = []
    for marker, piece in _pieces(section, markers):
        weight: Decimal | None = None
        found = _WEIGHT.match(piece)
        if equals_is_full and marker == "=":
            weight = _HUNDRED
        elif found:
            weight, piece = _weight(found["weight"]), piece[found.end() :]
        answer, hash_mark, feedback = piece.partition("#")
        feedback_text = _read_text(feedback, default) if hash_mark else None
        answers.append(_Answer(_read_text(answer, default), weight, feedback_text))
    return answers


def _weight(written: str) -> Decimal:
    """A `%weight%` as Moodle stores it: a percentage to five decimals, -100..100."""
    try:
        percent = Decimal(written.rstrip("."))
    except InvalidOperation:
        raise _Unsupported(f"bobot '%{written}%' tidak dapat dibaca") from None
    if abs(percent) > _HUNDRED:
        raise _Unsupported(f"bobot {percent:f}% di luar -100% sampai 100% (Moodle juga menolaknya)")
    return (percent / _HUNDRED).quantize(CREDIT_QUANTUM) * _HUNDRED


# --- Writing the quiz module --------------------------------------------------------------------------------


def _front_matter(title: str, source_name: str) -> str:
    fields = {"title": title, "kind": "quiz", "pass_mark": 70}
    body = yaml.safe_dump(fields, sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n# Diimpor dari GIFT: {' '.join(source_name.split())}\n{body}---\n"


def _write_question(question: _Question, ids: UniqueIds, notes: list[str]) -> str:
    """Render one GIFT question in the course syntax; raise _Unsupported for what has no equivalent."""
    if question.answers is None:
        raise _Unsupported("butir deskripsi (tanpa jawaban) tidak didukung")
    if not question.answers:
        raise _Unsupported("soal esai tidak didukung")
    if not question.text.plain():
        raise _Unsupported("soal tanpa teks pertanyaan")
    kind, block = _answer_block(question.answers, question.text.format, notes)
    stem = paragraphs(question.text, notes)
    if question.text.format is Format.MARKDOWN and MARKDOWN_BLOCK.search(stem[0]):
        heading = escape_line(question.label())
    else:
        heading, stem = " ".join(stem[0].split("\n")), stem[1:]
    attributes = f" type={kind}" if kind else ""
    parts = [f"## {heading} {{#{ids.claim(question.name, question.text.plain())}{attributes}}}", *stem, block]
    if question.general_feedback and question.general_feedback.body:
        parts.append(quote(paragraphs(question.general_feedback, notes), lead="Penjelasan: "))
    return "\n\n".join(parts) + "\n"


def _answer_block(section: str, default: Format, notes: list[str]) -> tuple[str | None, str]:
    """Pick the question type the way Moodle does and write its answer block (None: the syntax implies it)."""
    if section.startswith("#"):
        return "numeric", _numeric_block(section[1:], default, notes)
    if "~" in section:
        return _choice_block(section, default, notes)
    if "=" in section and "->" in section:
        return "matching", _matching_block(section, default, notes)
    if _release(section.partition("#")[0]).strip() in _TRUE_FALSE:
        return "truefalse", _true_false_block(section, default, notes)
    return "short", _short_block(section, default, notes)


def _choice_block(section: str, default: Format, notes: list[str]) -> tuple[str | None, str]:
    """Moodle: a ``=`` answer makes a single-answer question (credits 0..100, one at 100%); without one the
    question is multiple response (credits -100..100, positive ones adding up to 100%). Blank answers are left
    out, as Moodle leaves them out."""
    answers = [
        answer for answer in _read_answers(section, "~=", default, equals_is_full=True) if answer.text.body
    ]
    if len(answers) < 2:
        raise _Unsupported("soal pilihan ganda memerlukan minimal dua pilihan")
    weights = [answer.weight or Decimal(0) for answer in answers]
    if "=" in section:
        penalties = [weight for weight in weights if weight < 0]
        if penalties:
            notes.append(
                f"penalti {', '.join(map(_percent, penalties))} pada soal satu jawaban dihitung 0%: "
                "nilai satu soal di elearn tidak pernah di bawah 0"
            )
            weights = [max(weight, Decimal(0)) for weight in weights]
        if _HUNDRED not in weights:
            raise _Unsupported("tidak ada pilihan bernilai 100% (Moodle juga menolaknya)")
        plain = weights.count(_HUNDRED) == 1 and all(weight in (0, _HUNDRED) for weight in weights)
        kind, marks = (None if plain else "single"), [_single_mark(weight) for weight in weights]
    else:
        positive = sum((weight for weight in weights if weight > 0), Decimal(0))
        if not totals_full(positive / _HUNDRED):
            raise _Unsupported(
                f"bobot positif berjumlah {_percent(positive)}, bukan 100% (Moodle juga menolaknya)"
            )
        kind, marks = "multiple", [_percent(weight) for weight in weights]
    lines = []
    for answer, mark in zip(answers, marks, strict=True):
        lines.append(f"- [{mark}] {inline(answer.text, notes)}")
        lines.extend(_feedback(answer.feedback, notes))
    return kind, "\n".join(lines)


def _single_mark(weight: Decimal) -> str:
    return "x" if weight == _HUNDRED else " " if weight == 0 else _percent(weight)


def _percent(weight: Decimal) -> str:
    return f"{weight.normalize():f}%"


def _feedback(feedback: Text | None, notes: list[str]) -> list[str]:
    """An answer's feedback as an indented quote under it (nothing when there is none)."""
    if feedback is None or not feedback.body:
        return []
    return [quote(paragraphs(feedback, notes), indent="  ")]


def _true_false_block(section: str, default: Format, notes: list[str]) -> str:
    verdict, *feedback = (_read_text(part, default) for part in section.split("#", 2))
    answer_is_true = _TRUE_FALSE[verdict.body]
    # GIFT order after the verdict: feedback for a wrong choice, then feedback for the right one.
    wrong_feedback, right_feedback = [*feedback, None, None][:2]
    lines = []
    for label, is_true in (("Benar", True), ("Salah", False)):
        is_correct = is_true == answer_is_true
        lines.append(f"- [{'x' if is_correct else ' '}] {label}")
        lines.extend(_feedback(right_feedback if is_correct else wrong_feedback, notes))
    return "\n".join(lines)


def _short_block(section: str, default: Format, notes: list[str]) -> str:
    """Accepted answers in order with their credit and feedback; ``*`` keeps its wildcard meaning."""
    lines = []
    for answer, credit in _graded_answers(_read_answers(section, "=", default, equals_is_full=False), notes):
        pattern = " ".join(answer.text.body.split())
        lines.append(f"= {_key_credit(credit, pattern)}{pattern}")
        lines.extend(_feedback(answer.feedback, notes))
    return "\n".join(lines)


def _graded_answers(answers: list[_Answer], notes: list[str]) -> list[tuple[_Answer, Decimal]]:
    """Short and numeric answers with their credit (no weight: 100%); blank ones dropped, as Moodle does."""
    graded = [(answer, _HUNDRED if answer.weight is None else answer.weight) for answer in answers]
    graded = [(answer, weight) for answer, weight in graded if answer.text.body]
    penalties = [weight for _, weight in graded if weight < 0]
    if penalties:
        notes.append(f"bobot negatif ({', '.join(map(_percent, penalties))}) pada jawaban dihitung 0%")
        graded = [(answer, max(weight, Decimal(0))) for answer, weight in graded]
    if not any(weight == _HUNDRED for _, weight in graded):
        raise _Unsupported("tidak ada jawaban bernilai 100%")
    return graded


def _key_credit(credit: Decimal, answer: str) -> str:
    """The `[N%] ` marker of an `=` line, left out where it equals the default (100%, or 0% for `*`)."""
    default = Decimal(0) if answer == "*" else _HUNDRED
    if credit == default and not answer.startswith("["):
        return ""
    return f"[{_percent(credit)}] "


def _numeric_block(section: str, default: Format, notes: list[str]) -> str:
    """Numeric answers in order (value:tolerance, min..max, or `*`); a ``~`` part is feedback for any other
    number, which the course format writes as a last ``= *``."""
    section, tilde, wrong = section.partition("~")
    lines = []
    for answer, credit in _graded_answers(_read_answers(section, "=", default, equals_is_full=False), notes):
        interval = _numeric_answer(answer.text.body)
        lines.append(f"= {_key_credit(credit, interval)}{interval}")
        lines.extend(_feedback(answer.feedback, notes))
    if tilde:
        _, hash_mark, feedback = wrong.partition("#")
        other = _feedback(_read_text(feedback, default), notes) if hash_mark else []
        if other:
            lines += ["= *", *other]
    return "\n".join(lines)


def _numeric_answer(written: str) -> str:
    """Map GIFT ``3.14:0.01``, ``1..5``, ``2`` and ``*`` to the course's ``3.14 +- 0.01``, ``1..5``, ``2``
    and ``*``, with Moodle's reading: a tolerance counts without its sign, a range is from its smaller end."""
    text = written.strip()
    if text == "*":
        return text
    if text.find("..") > 0:
        low, high = (_decimal(part) for part in text.split("..", 1))
        if low is not None and high is not None:
            return f"{min(low, high):f}..{max(low, high):f}"
    else:
        value_text, colon, tolerance_text = text.partition(":") if text.find(":") > 0 else (text, "", "")
        value, tolerance = _decimal(value_text), _decimal(tolerance_text) if colon else Decimal(0)
        if value is not None and tolerance is not None:
            return f"{value:f} +- {abs(tolerance):f}" if tolerance else f"{value:f}"
    raise _Unsupported(f"jawaban numerik tidak dapat dibaca: {written!r}")


def _decimal(text: str) -> Decimal | None:
    """A number as Moodle writes one (``-1.5``, ``.5``, ``1e3``), or None."""
    text = text.strip()
    return Decimal(text) if re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?", text) else None


def _matching_block(section: str, default: Format, notes: list[str]) -> str:
    """Pairs in order; an answer with nothing on the left is a distractor (an extra right-hand item)."""
    lines, lefts = [], set()
    for _, piece in _pieces(section, "="):
        left, arrow, right = piece.partition("->")
        if not arrow:
            raise _Unsupported("pasangan menjodohkan tanpa '->'")
        # Moodle reads the right side as plain text, whatever the question's format.
        right_text = inline(Text(_release(right).strip(), Format.PLAIN), notes)
        if not left.strip():
            lines.append(f"- -> {right_text}")
            continue
        left_text = inline(_read_text(left, default), notes)
        if " ".join(left_text.casefold().split()) in lefts:
            raise _Unsupported(f"butir kiri '{left_text}' ditulis dua kali")
        lefts.add(" ".join(left_text.casefold().split()))
        lines.append(f"- {left_text} -> {right_text}")
    if len(lefts) < 2:
        raise _Unsupported("soal menjodohkan memerlukan minimal dua pasangan")
    return "\n".join(lines)
