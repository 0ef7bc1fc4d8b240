"""Convert a Moodle GIFT question bank into an elearn quiz module (Markdown), without Flask.

GIFT is read the way Moodle's own importer (``qformat_gift``) reads it: blank lines separate questions,
``//`` lines are comments, ``::name::`` names a question, the first ``{...}`` holds the answers and a
backslash escapes ``~ = # { } :``. Questions the course format cannot express (essays, descriptions) are
skipped and reported; questions converted with a change of meaning (weights, feedback) are reported too.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from html.parser import HTMLParser

import yaml

__all__ = ["GiftConversion", "GiftSkip", "GiftSyntaxError", "gift_to_markdown"]


class GiftSyntaxError(ValueError):
    """A GIFT file too broken to read, with the line the author has to fix."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"baris {line}: {message}")
        self.line = line
        self.message = message


@dataclass(frozen=True)
class GiftSkip:
    """A question the author should look at (skipped, or converted with a change): where, which, and why."""

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


def gift_to_markdown(text: str, *, source_name: str, title: str) -> GiftConversion:
    """Convert GIFT text into a quiz module file; raise GiftSyntaxError when the file is broken."""
    sections: list[str] = []
    skipped: list[GiftSkip] = []
    warnings: list[GiftSkip] = []
    ids = _UniqueIds()
    for block in _split_blocks(text):
        question = _read_question(block)
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
_GAP = "\ue0ff"
_WEIGHT = re.compile(r"^%(-?\d{1,3}(?:\.\d*)?)%")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


class _Format(StrEnum):
    MOODLE = "moodle"
    HTML = "html"
    PLAIN = "plain"
    MARKDOWN = "markdown"


@dataclass(frozen=True)
class _Block:
    """Consecutive non-blank lines: comments blanked (so positions still map to lines), escapes held."""

    line: int
    text: str

    def line_at(self, position: int) -> int:
        return self.line + self.text.count("\n", 0, position)


@dataclass(frozen=True)
class _Text:
    """Author text in the format GIFT declared for it (``[html]``, ``[markdown]``, ...)."""

    body: str
    format: _Format

    def plain(self) -> str:
        body = self.body.replace(_GAP, "_____")
        if self.format in (_Format.HTML, _Format.MOODLE):
            body = html.unescape(re.sub(r"<[^>]*>", "", body))
        return " ".join(body.split())


@dataclass(frozen=True)
class _Question:
    line: int
    name: str
    text: _Text
    answers: str | None  # inside the braces, escapes still held; None for a description
    general_feedback: _Text | None

    def label(self) -> str:
        words = self.text.plain().split()
        return self.name or " ".join(words[:8]) + (" ..." if len(words) > 8 else "")


@dataclass(frozen=True)
class _Answer:
    text: _Text
    weight: float | None  # percent as written between % signs; None when the author gave none
    feedback: _Text | None


class _Unsupported(Exception):
    """Raised while writing a question the course format cannot express."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
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
            raise GiftSyntaxError(block.line_at(offset), "judul soal diawali '::' tetapi tidak ditutup '::'")
        name = " ".join(_release(text[2:name_end]).split())
        stripped = text[name_end + 2 :].lstrip()
        offset += len(text) - len(stripped)
        text = stripped
    open_at, close_at = text.find("{"), text.find("}")
    if open_at < 0 and close_at < 0:
        return _Question(line, name, _read_text(text, _Format.MOODLE), None, None)
    if open_at < 0 or close_at < open_at:
        first = min(position for position in (open_at, close_at) if position >= 0)
        raise GiftSyntaxError(block.line_at(offset + first), "kurung kurawal '{' dan '}' tidak berpasangan")
    tail = text[close_at + 1 :]
    if "{" in tail or "}" in tail:
        raise GiftSyntaxError(block.line_at(offset + close_at + 1), "lebih dari satu blok jawaban '{...}'")
    gap = _GAP if tail.strip() else ""
    question_text = _read_text(text[:open_at] + gap + tail, _Format.MOODLE)
    answers, separator, feedback = text[open_at + 1 : close_at].rpartition("####")
    if not separator:
        return _Question(line, name, question_text, feedback.strip(), None)
    return _Question(line, name, question_text, answers.strip(), _read_text(feedback, question_text.format))


def _read_text(raw: str, default: _Format) -> _Text:
    """Apply a leading ``[format]`` marker and release escaped characters."""
    raw = raw.strip()
    marker = re.match(r"\[(moodle|html|plain|markdown)\]", raw)
    if marker:
        return _Text(_release(raw[marker.end() :]).strip(), _Format(marker[1]))
    return _Text(_release(raw).strip(), default)


def _release(raw: str) -> str:
    return raw.translate(_RELEASE)


def _pieces(section: str, markers: str) -> Iterator[tuple[str, str]]:
    """Split an answer section before each marker character, yielding (marker, text after it)."""
    for piece in re.split(f"(?=[{re.escape(markers)}])", section):
        if piece.strip():
            marker = piece[0] if piece[0] in markers else ""
            yield marker, piece[len(marker) :].strip()


def _read_answers(section: str, markers: str, default: _Format) -> list[_Answer]:
    """Read ``~``/``=`` answers with their ``%weight%`` and ``#feedback``."""
    answers = []
    for marker, piece in _pieces(section, markers):
        weight = 100.0 if marker == "=" else None
        found = _WEIGHT.match(piece)
        if found:
            weight, piece = float(found[1]), piece[found.end() :]
        answer, hash_mark, feedback = piece.partition("#")
        feedback_text = _read_text(feedback, default) if hash_mark else None
        answers.append(_Answer(_read_text(answer, default), weight, feedback_text))
    return answers


# --- Writing the quiz module --------------------------------------------------------------------------------


def _front_matter(title: str, source_name: str) -> str:
    fields = {"title": title, "kind": "quiz", "pass_mark": 70}
    body = yaml.safe_dump(fields, sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n# Diimpor dari GIFT: {' '.join(source_name.split())}\n{body}---\n"


def _write_question(question: _Question, ids: _UniqueIds, notes: list[str]) -> str:
    """Render one GIFT question in the course syntax; raise _Unsupported for what has no equivalent."""
    if question.answers is None:
        raise _Unsupported("butir deskripsi (tanpa jawaban) tidak didukung")
    if not question.answers:
        raise _Unsupported("soal esai tidak didukung")
    if not question.text.plain():
        raise _Unsupported("soal tanpa teks pertanyaan")
    kind, block = _answer_block(question.answers, question.text.format, notes)
    stem = _paragraphs(question.text, notes)
    if question.text.format is _Format.MARKDOWN and _MARKDOWN_BLOCK.search(stem[0]):
        heading = _escape_line(question.label())
    else:
        heading, stem = " ".join(stem[0].split("\n")), stem[1:]
    attributes = "" if kind == "choice" else f" type={kind}"
    parts = [f"## {heading} {{#{ids.claim(question)}{attributes}}}", *stem, block]
    if question.general_feedback and question.general_feedback.body:
        parts.append(_quote(_paragraphs(question.general_feedback, notes), lead="Penjelasan: "))
    return "\n\n".join(parts) + "\n"


def _answer_block(section: str, default: _Format, notes: list[str]) -> tuple[str, str]:
    """Pick the question type the way Moodle does and write its answer block."""
    if section.startswith("#"):
        return "numeric", _numeric_block(section[1:], default, notes)
    if "~" in section:
        return "choice", _choice_block(section, default, notes)
    if "=" in section and "->" in section:
        return "matching", _matching_block(section, default, notes)
    if _release(section.partition("#")[0]).strip() in _TRUE_FALSE:
        return "truefalse", _true_false_block(section, default, notes)
    return "short", _short_block(section, default, notes)


def _choice_block(section: str, default: _Format, notes: list[str]) -> str:
    answers = _read_answers(section, "~=", default)
    if len(answers) < 2:
        raise _Unsupported("soal pilihan ganda memerlukan minimal dua pilihan")
    weights = [answer.weight or 0.0 for answer in answers]
    if "=" in section:  # Moodle: one answer allowed; only full-credit answers are right.
        correct = [weight == 100 for weight in weights]
        partial = [_percent(weight) for weight in weights if 0 < weight < 100]
        if partial:
            notes.append(f"bobot parsial ({', '.join(partial)}) pada soal satu jawaban dianggap salah")
        if sum(correct) > 1:
            notes.append("lebih dari satu jawaban bernilai penuh: peserta kini harus memilih semuanya")
    else:  # Moodle: several answers allowed; a positive weight marks a right one.
        correct = [weight > 0 for weight in weights]
        if not any(correct):
            raise _Unsupported("tidak ada pilihan berbobot positif (jawaban benar)")
        if not _fits_partial_credit(weights, sum(correct)):
            notes.append(
                f"bobot GIFT ({', '.join(map(_percent, weights))}) berbeda dari aturan nilai parsial kursus "
                "(tiap pilihan benar +1/k, tiap pilihan salah -1/k): dinilai dengan aturan kursus"
            )
    lines = []
    for answer, is_correct in zip(answers, correct, strict=True):
        lines.append(f"- [{'x' if is_correct else ' '}] {_inline(answer.text, notes)}")
        if answer.feedback and answer.feedback.body:
            lines.append(_quote(_paragraphs(answer.feedback, notes), indent="  "))
    return "\n".join(lines)


def _fits_partial_credit(weights: list[float], correct_count: int) -> bool:
    """True when Moodle's weights score like the course rule: +100/k per right option, -100/k per wrong."""
    share = 100 / correct_count
    right_fit = all(abs(weight - share) < 0.5 for weight in weights if weight > 0)
    wrong_fit = correct_count == 1 or all(abs(weight + share) < 0.5 for weight in weights if weight <= 0)
    return right_fit and wrong_fit


def _true_false_block(section: str, default: _Format, notes: list[str]) -> str:
    verdict, *feedback = (_read_text(part, default) for part in section.split("#", 2))
    answer_is_true = _TRUE_FALSE[verdict.body]
    # GIFT order after the verdict: feedback for a wrong choice, then feedback for the right one.
    wrong_feedback, right_feedback = [*feedback, None, None][:2]
    lines = []
    for label, is_true in (("Benar", True), ("Salah", False)):
        is_correct = is_true == answer_is_true
        lines.append(f"- [{'x' if is_correct else ' '}] {label}")
        option_feedback = right_feedback if is_correct else wrong_feedback
        if option_feedback and option_feedback.body:
            lines.append(_quote(_paragraphs(option_feedback, notes), indent="  "))
    return "\n".join(lines)


def _short_block(section: str, default: _Format, notes: list[str]) -> str:
    accepted = _accepted_answers(_read_answers(section, "=", default), notes)
    if any("*" in answer.text.body for answer in accepted):
        notes.append("tanda * (wildcard Moodle) pada jawaban singkat dibaca sebagai karakter biasa")
    return "\n".join(f"= {answer.text.plain()}" for answer in accepted)


def _numeric_block(section: str, default: _Format, notes: list[str]) -> str:
    section, tilde, wrong_feedback = section.partition("~")
    if tilde and wrong_feedback.strip():
        notes.append("umpan balik untuk jawaban numerik yang salah (~) tidak didukung: diabaikan")
    accepted = _accepted_answers(_read_answers(section, "=", default), notes)
    return "\n".join(f"= {_numeric_answer(answer.text.plain())}" for answer in accepted)


def _numeric_answer(written: str) -> str:
    """Map GIFT ``3.14:0.01``, ``1..5`` and ``2`` to the course's ``3.14 +- 0.01``, ``1..5`` and ``2``."""
    if ".." in written:
        low, high = (_decimal(part) for part in written.split("..", 1))
        if low is not None and high is not None and low <= high:
            return f"{low:f}..{high:f}"
    else:
        value_text, colon, tolerance_text = written.partition(":")
        value, tolerance = _decimal(value_text), _decimal(tolerance_text) if colon else Decimal(0)
        if value is not None and tolerance is not None and tolerance >= 0:
            return f"{value:f} +- {tolerance:f}" if tolerance else f"{value:f}"
    raise _Unsupported(f"jawaban numerik tidak dapat dibaca: {written!r}")


def _decimal(text: str) -> Decimal | None:
    """A number as Moodle writes one (``-1.5``, ``.5``, ``1e3``), or None."""
    text = text.strip()
    return Decimal(text) if re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?", text) else None


def _accepted_answers(answers: list[_Answer], notes: list[str]) -> list[_Answer]:
    """Keep the answers with a positive weight (each now full credit) and note what was lost."""
    accepted = [answer for answer in answers if answer.weight is None or answer.weight > 0]
    if not accepted:
        raise _Unsupported("tidak ada jawaban yang bernilai")
    partial = [_percent(answer.weight) for answer in accepted if answer.weight and answer.weight < 100]
    if partial:
        notes.append(f"jawaban berbobot parsial ({', '.join(partial)}) diterima dengan nilai penuh")
    if len(accepted) < len(answers):
        notes.append("jawaban berbobot 0% atau negatif dihapus")
    if any(answer.feedback and answer.feedback.body for answer in answers):
        notes.append("umpan balik per jawaban tidak didukung untuk jenis soal ini: diabaikan")
    return accepted


def _matching_block(section: str, default: _Format, notes: list[str]) -> str:
    pairs = []
    for _, piece in _pieces(section, "="):
        left, arrow, right = piece.partition("->")
        if not arrow:
            raise _Unsupported("pasangan menjodohkan tanpa '->'")
        # Moodle reads the right side as plain text, whatever the question's format.
        right_text = _Text(_release(right).strip(), _Format.PLAIN)
        if not left.strip():
            notes.append(f"pilihan pengecoh tanpa pasangan ({right_text.body!r}) tidak didukung: dihapus")
            continue
        pairs.append(f"- {_inline(_read_text(left, default), notes)} -> {_inline(right_text, notes)}")
    if len(pairs) < 2:
        raise _Unsupported("soal menjodohkan memerlukan minimal dua pasangan")
    return "\n".join(pairs)


def _percent(weight: float | None) -> str:
    return f"{weight:g}%"


def _quote(paragraphs: list[str], *, indent: str = "", lead: str = "") -> str:
    lines = (lead + "\n\n".join(paragraphs)).split("\n")
    return "\n".join(f"{indent}> {line}" if line else f"{indent}>" for line in lines)


def _inline(text: _Text, notes: list[str]) -> str:
    return " ".join(" ".join(_paragraphs(text, notes)).split())


# --- Author text to Markdown --------------------------------------------------------------------------------

# A Markdown paragraph that is more than soft-wrapped text: it cannot be folded into the heading line.
_MARKDOWN_BLOCK = re.compile(r"^(?:[-*+>|#]|\d+[.)]\s|```|~~~)", re.MULTILINE)
_INLINE_SPECIAL = re.compile(r"([\\`*_{}\[\]#])")
_BLOCK_MARKER = re.compile(r"^(\d*)([-+>!]|(?<=\d)\.)")
# Characters that open a Markdown block at the start of a line but have no backslash escape.
_FIRST_CHAR_ENTITY = {"=": "&#61;", ":": "&#58;", "~": "&#126;"}
_INLINE_TAGS = frozenset({"b", "strong", "i", "em", "u", "s", "sub", "sup", "code"})
_BREAK_TAGS = frozenset(
    {"br", "p", "div", "li", "tr", "blockquote", "pre", *(f"h{level}" for level in range(1, 7))}
)
_MEDIA_TAGS = frozenset({"img", "video", "audio", "iframe", "object", "embed"})
_ESCAPED_GAP = r"\_" * 5


def _paragraphs(text: _Text, notes: list[str]) -> list[str]:
    """Turn author text into Markdown paragraphs that read as the text the author wrote."""
    if text.format is _Format.MARKDOWN:
        paragraphs = [part.strip() for part in re.split(r"\n\s*\n", text.body)]
    elif text.format is _Format.PLAIN:
        paragraphs = [_escape_line(line) for line in text.body.splitlines()]
    else:
        reader = _HtmlToMarkdown(newline_breaks=text.format is _Format.MOODLE)
        reader.feed(text.body)
        reader.close()
        if reader.dropped_media:
            notes.append(f"media HTML ({', '.join(sorted(reader.dropped_media))}) dihapus")
        paragraphs = reader.paragraphs()
    return [paragraph.replace(_GAP, _ESCAPED_GAP) for paragraph in paragraphs if paragraph.strip()]


def _escape_inline(text: str) -> str:
    return _INLINE_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def _escape_line_start(line: str) -> str:
    """Neutralise a Markdown block marker (list, quote, admonition, ...) opening an inline-escaped line."""
    if line[:1] in _FIRST_CHAR_ENTITY:
        return _FIRST_CHAR_ENTITY[line[0]] + line[1:]
    return _BLOCK_MARKER.sub(r"\1\\\2", line, count=1)


def _escape_line(line: str) -> str:
    """Escape one line of plain text so Markdown shows it literally."""
    return _escape_line_start(_escape_inline(" ".join(line.split())))


class _HtmlToMarkdown(HTMLParser):
    """Keep simple inline HTML (sanitised later anyway), escape the text around it, make blocks paragraphs."""

    def __init__(self, *, newline_breaks: bool) -> None:
        super().__init__(convert_charrefs=True)
        self._newline_breaks = newline_breaks
        self._lines: list[list[str]] = [[]]
        self.dropped_media: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BREAK_TAGS:
            self._lines.append([])
        elif tag in _MEDIA_TAGS:
            self.dropped_media.add(tag)
        elif tag in _INLINE_TAGS:
            self._lines[-1].append(f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BREAK_TAGS:
            self._lines.append([])
        elif tag in _INLINE_TAGS:
            self._lines[-1].append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        chunks = data.split("\n") if self._newline_breaks else [data]
        for index, chunk in enumerate(chunks):
            if index:
                self._lines.append([])
            self._lines[-1].append(_escape_inline(chunk))

    def paragraphs(self) -> list[str]:
        lines = (" ".join("".join(parts).split()) for parts in self._lines)
        return [_escape_line_start(line) for line in lines if line]


# --- Question ids -------------------------------------------------------------------------------------------


class _UniqueIds:
    """Hand out question ids from the GIFT name (or the text), suffixed -2, -3, ... when already taken."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def claim(self, question: _Question) -> str:
        base = _slug(question.name) or _slug(question.text.plain()) or "soal"
        candidate, suffix = base, 2
        while candidate in self._taken:
            candidate, suffix = f"{base}-{suffix}", suffix + 1
        self._taken.add(candidate)
        return candidate


def _slug(text: str, limit: int = 48) -> str:
    """Lowercase ASCII words joined by hyphens, cut at a word boundary near ``limit``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) <= limit:
        return slug
    cut = slug[: limit + 1].rsplit("-", 1)[0]
    return cut if cut else slug[:limit]
