"""Parse the question sections of quiz and survey bodies into drafts (Markdown still unrendered)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from elearn.courses.fields import did_you_mean
from elearn.courses.model import (
    GRADED_TYPES,
    SURVEY_TYPES,
    MatchPair,
    NumericAnswer,
    Option,
    Question,
    QuestionType,
)
from elearn.courses.problems import ProblemLog

_HEADING = re.compile(r"^##[ \t]+(?P<text>.*?)[ \t]*(?P<attrs>\{[^{}]*\})?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CHOICE = re.compile(r"^[-*+][ \t]+\[(?P<mark>[ xX])\][ \t]+(?P<text>.*)$")
_KEY = re.compile(r"^=[ \t]*(?P<text>.*)$")
_PAIR = re.compile(r"^[-*+][ \t]+(?P<left>.+?)[ \t]+->[ \t]+(?P<right>.+)$")
_BULLET = re.compile(r"^[-*+][ \t]+")
_OPTION_ID = re.compile(r"[ \t]*\{#(?P<id>[A-Za-z0-9][A-Za-z0-9_-]{0,63})\}[ \t]*$")
_QUESTION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,79}")
_NUMBER = r"-?[0-9]+(?:[.,][0-9]+)?"
_TOLERANCE = re.compile(rf"(?P<value>{_NUMBER})(?:[ \t]*(?:\+-|\+/-|±)[ \t]*(?P<tolerance>{_NUMBER}))?")
_RANGE = re.compile(rf"(?P<low>{_NUMBER})[ \t]*\.\.[ \t]*(?P<high>{_NUMBER})")
_ATTRIBUTE_KEYS = ("type", "points")
_TRUE_FALSE = {"benar": True, "salah": False, "true": True, "false": False}


@dataclass
class OptionDraft:
    """One `- [x] text {#id}` line with its indented feedback."""

    id: str
    text: str
    correct: bool
    line: int
    feedback: list[str] = field(default_factory=list)


@dataclass
class QuestionDraft:
    """A question as written: Markdown fragments and answer keys, with the line of its heading."""

    id: str
    type: QuestionType
    points: int
    line: int
    stem: str
    source: str
    options: list[OptionDraft] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    numeric: list[NumericAnswer] = field(default_factory=list)
    pairs: list[tuple[str, str, str]] = field(default_factory=list)
    explanation: str = ""

    def markdown_texts(self) -> list[str]:
        """Every fragment that needs rendering."""
        texts = [self.stem, self.explanation]
        for option in self.options:
            texts += [option.text, "\n".join(option.feedback)]
        for _, left, right in self.pairs:
            texts += [left, right]
        return texts

    def build(self, html: Callable[[str], str], *, line_offset: int) -> Question:
        """The final question, given each fragment's rendered HTML and where the body starts in the file."""
        return Question(
            id=self.id,
            type=self.type,
            points=self.points,
            stem_html=html(self.stem),
            options=tuple(
                Option(option.id, inline(html(option.text)), option.correct, html("\n".join(option.feedback)))
                for option in self.options
            ),
            accepted_answers=tuple(self.accepted),
            numeric_answers=tuple(self.numeric),
            pairs=tuple(
                MatchPair(pair_id, inline(html(left)), inline(html(right)))
                for pair_id, left, right in self.pairs
            ),
            explanation_html=html(self.explanation),
            line=self.line + line_offset,
            content_hash=hashlib.sha256(self.source.encode("utf-8")).hexdigest(),
        )


@dataclass(frozen=True)
class QuestionSections:
    """A quiz or survey body: the Markdown before the first question, the drafts, and the heading lines."""

    intro: str
    questions: tuple[QuestionDraft, ...]
    heading_lines: frozenset[int]


def inline(fragment_html: str) -> str:
    """Drop the paragraph wrapping a one-paragraph fragment (option texts sit inside labels)."""
    if fragment_html.startswith("<p>") and fragment_html.endswith("</p>") and fragment_html.count("<p>") == 1:
        return fragment_html[3:-4]
    return fragment_html


def derived_id(prefix: str, text: str) -> str:
    """A stable id from normalised text, for options and pairs the author did not name."""
    normalised = " ".join(text.casefold().split())
    return f"{prefix}-{hashlib.sha256(normalised.encode('utf-8')).hexdigest()[:10]}"


def parse_questions(body: str, *, graded: bool, log: ProblemLog) -> QuestionSections:
    """Split a body at its `## ` headings and parse each section; `log` lines are body-relative."""
    lines = body.split("\n")
    starts = _heading_lines(lines)
    intro = "\n".join(lines[: starts[0]] if starts else lines).strip()
    drafts = []
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(lines)
        draft = _SectionParser(lines, start, end, graded=graded, log=log).parse()
        if draft is not None:
            drafts.append(draft)
    _report_duplicate_options(drafts, log)
    return QuestionSections(intro, tuple(drafts), frozenset(start + 1 for start in starts))


def _heading_lines(lines: list[str]) -> list[int]:
    """Indexes of `## ` lines outside fenced code."""
    starts, fence = [], None
    for index, line in enumerate(lines):
        opener = _FENCE.match(line)
        if fence is not None:
            if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence):
                fence = None
        elif opener:
            fence = opener.group(1)
        elif line.startswith("## "):
            starts.append(index)
    return starts


def _report_duplicate_options(drafts: list[QuestionDraft], log: ProblemLog) -> None:
    """Option ids must be unique within their question (derived ids collide when texts repeat)."""
    for draft in drafts:
        seen: dict[str, int] = {}
        for option in draft.options:
            if option.id in seen:
                first = seen[option.id] + log.line_offset
                log.error(
                    option.line,
                    1,
                    f"id opsi '{option.id}' sudah dipakai di baris {first} (soal '{draft.id}')",
                )
            seen.setdefault(option.id, option.line)
        lefts: dict[str, str] = {}
        for pair_id, left, _ in draft.pairs:
            if pair_id in lefts:
                log.error(draft.line, 1, f"pasangan '{left}' ditulis dua kali (soal '{draft.id}')")
            lefts[pair_id] = left


class _SectionParser:
    """Reads one question section line by line: heading, stem, answer block, explanation."""

    def __init__(self, lines: list[str], start: int, end: int, *, graded: bool, log: ProblemLog) -> None:
        self.lines = lines
        self.start = start
        self.end = end
        self.graded = graded
        self.log = log
        self.choices: list[OptionDraft] = []
        self.keys: list[tuple[int, str]] = []
        self.pairs: list[tuple[int, str, str]] = []
        self.explanation: list[str] = []

    def parse(self) -> QuestionDraft | None:
        """The draft, or None when the heading itself is unusable (already reported)."""
        heading_line = self.start + 1
        match = _HEADING.match(self.lines[self.start])
        text = match.group("text") if match else ""
        attributes = self._attributes(match.group("attrs") if match else None, heading_line)
        question_id = attributes.get("id", "")
        if not question_id:
            self.log.error(heading_line, 1, "soal tanpa id: tambahkan {#id-soal} di akhir judul soal")
            return None
        declared = attributes.get("type")
        stem = self._read_body(declared)
        question_type = self._resolve_type(declared, question_id, heading_line)
        if question_type is None:
            return None
        draft = QuestionDraft(
            id=question_id,
            type=question_type,
            points=self._points(attributes.get("points"), heading_line),
            line=heading_line,
            stem=(text + "\n\n" + stem).strip(),
            source="\n".join(line.rstrip() for line in self.lines[self.start : self.end]).strip(),
            explanation="\n".join(self.explanation).strip(),
        )
        self._fill_answers(draft)
        return draft

    def _attributes(self, raw: str | None, line: int) -> dict[str, str]:
        """`{#id type=short points=2}` into a dict; unknown keys reported with a suggestion."""
        attributes: dict[str, str] = {}
        if raw is None:
            return attributes
        column = self.lines[self.start].rfind("{") + 1
        for token in raw[1:-1].split():
            if token.startswith("#") and _QUESTION_ID.fullmatch(token[1:]):
                attributes["id"] = token[1:]
            elif "=" in token and token.split("=", 1)[0] in _ATTRIBUTE_KEYS:
                key, value = token.split("=", 1)
                attributes[key] = value.strip("\"'")
            elif token.startswith("#"):
                self.log.error(
                    line, column, f"id soal '{token[1:]}' tidak valid: pakai huruf, angka, '-' atau '_'"
                )
            else:
                key = token.split("=", 1)[0]
                self.log.error(
                    line, column, f"atribut soal '{key}' tidak dikenal{did_you_mean(key, _ATTRIBUTE_KEYS)}"
                )
        return attributes

    def _read_body(self, declared: str | None) -> str:
        """Consume stem, answer lines and explanation; return the stem Markdown."""
        stem: list[str] = []
        state, fence = "stem", None
        for index in range(self.start + 1, self.end):
            line, number = self.lines[index], index + 1
            if state == "stem":
                opener = _FENCE.match(line)
                if fence is not None or opener:
                    if fence is None:
                        fence = opener.group(1)  # type: ignore[union-attr]
                    elif opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence):
                        fence = None
                    stem.append(line)
                    continue
                if self._answer_line(line, number, declared):
                    state = "answers"
                else:
                    stem.append(line)
            elif state == "answers":
                if line.startswith(">"):
                    state = "explanation"
                    self.explanation.append(_unquote(line))
                elif line.strip() and not self._answer_line(line, number, declared):
                    self._continuation(line, number)
            elif line.startswith(">"):
                self.explanation.append(_unquote(line))
            elif line.strip():
                self.log.error(
                    number, 1, "teks setelah penjelasan tidak dikenali: mulai soal baru dengan '## '"
                )
                state = "done"
        return "\n".join(stem)

    def _answer_line(self, line: str, number: int, declared: str | None) -> bool:
        """Record `line` if it is an option, a key (`= ...`) or a pair (`- a -> b` in matching questions)."""
        if declared == "matching":
            pair = _PAIR.match(line)
            if pair:
                self.pairs.append((number, pair.group("left").strip(), pair.group("right").strip()))
                return True
            if _BULLET.match(line) and self.pairs:
                self.log.error(number, 1, "pasangan harus ditulis '- kiri -> kanan'")
                return True
            return False
        choice = _CHOICE.match(line)
        if choice:
            text = choice.group("text")
            explicit = _OPTION_ID.search(text)
            if explicit:
                text = text[: explicit.start()]
            option_id = explicit.group("id") if explicit else derived_id("o", text)
            self.choices.append(OptionDraft(option_id, text.strip(), choice.group("mark") != " ", number))
            return True
        key = _KEY.match(line)
        if key:
            self.keys.append((number, key.group("text").strip()))
            return True
        return False

    def _continuation(self, line: str, number: int) -> None:
        """Indented lines under an option: `> feedback` or more option text; anything else is an error."""
        if not line[:1].isspace() or not self.choices:
            self.log.error(
                number,
                1,
                "baris tidak dikenali di blok jawaban (opsi '- [ ]', kunci '= ', atau '> Penjelasan')",
            )
            return
        option = self.choices[-1]
        stripped = line.strip()
        if stripped.startswith(">"):
            option.feedback.append(_unquote(stripped))
        else:
            option.text += "\n" + stripped

    def _resolve_type(self, declared: str | None, question_id: str, line: int) -> QuestionType | None:
        """The declared type if valid here, else the type the answer block implies."""
        allowed = GRADED_TYPES if self.graded else SURVEY_TYPES
        if declared is not None:
            if declared not in allowed:
                where = "kuis" if self.graded else "survei"
                self.log.error(
                    line,
                    1,
                    f"jenis soal '{declared}' tidak berlaku di {where}{did_you_mean(declared, allowed)}",
                )
                return None
            return declared  # type: ignore[return-value]
        if self.choices:
            correct = sum(option.correct for option in self.choices)
            return "multiple" if self.graded and correct > 1 else "single"
        if self.keys and self.graded:
            return "short"
        if not self.graded and not self.keys:
            return "likert"
        self.log.error(
            line, 1, f"soal '{question_id}' tidak punya blok jawaban (opsi '- [x]' atau kunci '= ')"
        )
        return None

    def _points(self, raw: str | None, line: int) -> int:
        """`points=N`, a positive whole number (default 1)."""
        if raw is None:
            return 1
        if not raw.isdigit() or int(raw) < 1:
            self.log.error(line, 1, f"points harus bilangan bulat 1 atau lebih, bukan '{raw}'")
            return 1
        if not self.graded:
            self.log.warning(line, 1, "points tidak berlaku di survei")
        return int(raw)

    def _fill_answers(self, draft: QuestionDraft) -> None:
        """Check the answer block against the question type and store the keys."""
        kind = draft.type
        uses = {"choices": bool(self.choices), "keys": bool(self.keys), "pairs": bool(self.pairs)}
        expected = {
            "single": "choices", "multiple": "choices", "truefalse": "choices", "short": "keys",
            "numeric": "keys", "matching": "pairs", "likert": None, "text": None,
        }[kind]  # fmt: skip
        for what, present in uses.items():
            if present and what != expected:
                self.log.error(
                    draft.line, 1, f"soal '{draft.id}' berjenis {kind}: blok jawabannya tidak cocok"
                )
                return
        if kind in ("single", "multiple", "truefalse"):
            self._fill_choices(draft)
        elif kind == "short":
            draft.accepted = [text for _, text in self.keys if text] or self._missing_key(draft)
        elif kind == "numeric":
            draft.numeric = [answer for number, text in self.keys if (answer := self._numeric(text, number))]
            if not self.keys:
                self._missing_key(draft)
        elif kind == "matching":
            self._fill_pairs(draft)

    def _missing_key(self, draft: QuestionDraft) -> list[str]:
        """Report a question with nothing to score against."""
        self.log.error(draft.line, 1, f"soal '{draft.id}' tidak punya jawaban benar")
        return []

    def _fill_choices(self, draft: QuestionDraft) -> None:
        """Options: graded questions need a correct one (exactly one for single/true-false)."""
        draft.options = self.choices
        correct = sum(option.correct for option in self.choices)
        if not self.graded:
            if correct:
                self.log.warning(draft.line, 1, f"tanda [x] diabaikan di survei (soal '{draft.id}')")
                for option in self.choices:
                    option.correct = False
            return
        if correct == 0:
            self._missing_key(draft)
        elif correct > 1 and draft.type in ("single", "truefalse"):
            self.log.error(
                draft.line, 1, f"soal '{draft.id}' berjenis {draft.type} tetapi punya {correct} jawaban benar"
            )
        if draft.type == "truefalse":
            self._check_true_false(draft)

    def _check_true_false(self, draft: QuestionDraft) -> None:
        """Exactly the two options Benar/Salah (or True/False), with fixed ids `true`/`false`."""
        texts = [option.text.strip().casefold() for option in draft.options]
        if (
            len(texts) != 2
            or not all(text in _TRUE_FALSE for text in texts)
            or len({_TRUE_FALSE[t] for t in texts}) != 2
        ):
            self.log.error(
                draft.line, 1, f"soal benar/salah '{draft.id}' harus punya tepat dua opsi: Benar dan Salah"
            )
            return
        for option in draft.options:
            option.id = "true" if _TRUE_FALSE[option.text.strip().casefold()] else "false"

    def _numeric(self, text: str, line: int) -> NumericAnswer | None:
        """`42`, `42 +- 0.5` or `10..20` (comma decimals allowed) as an inclusive interval."""
        try:
            ranged = _RANGE.fullmatch(text)
            if ranged:
                low, high = _decimal(ranged.group("low")), _decimal(ranged.group("high"))
            else:
                exact = _TOLERANCE.fullmatch(text)
                if exact is None:
                    raise InvalidOperation
                value, tolerance = _decimal(exact.group("value")), _decimal(exact.group("tolerance") or "0")
                low, high = value - abs(tolerance), value + abs(tolerance)
        except InvalidOperation:
            self.log.error(
                line, 1, f"kunci angka '{text}' tidak valid: tulis '= 42', '= 42 +- 0.5' atau '= 10..20'"
            )
            return None
        if low > high:
            self.log.error(line, 1, f"rentang '{text}' terbalik: batas bawah lebih besar dari batas atas")
            return None
        return NumericAnswer(low, high, text)

    def _fill_pairs(self, draft: QuestionDraft) -> None:
        """Matching needs at least two `- left -> right` pairs."""
        draft.pairs = [(derived_id("p", left), left, right) for _, left, right in self.pairs]
        if len(draft.pairs) < 2:
            self.log.error(
                draft.line,
                1,
                f"soal menjodohkan '{draft.id}' butuh sedikitnya dua pasangan '- kiri -> kanan'",
            )


def _unquote(line: str) -> str:
    """Strip one blockquote marker."""
    stripped = line.lstrip()[1:]
    return stripped[1:] if stripped.startswith(" ") else stripped


def _decimal(text: str) -> Decimal:
    """A number written with `.` or `,` as decimal separator."""
    return Decimal(text.replace(",", "."))
