"""Parse the question sections of quiz and survey bodies into drafts (Markdown still unrendered).

Reading is line based: a `## ` heading starts a question, the first answer line (`- [x]`, `- [50%]`, `= ...`,
`- left -> right`) ends its stem, indented `> ...` lines give the answer above them feedback, and a `>` line at
the start of a line opens the explanation. What each answer means is checked in `answer_rules.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from elearn.courses.answer_rules import fill_answers
from elearn.courses.credits import PERCENT, CreditError, percent_credit
from elearn.courses.drafts import AnswerBlock, KeyDraft, OptionDraft, PairDraft, QuestionDraft, derived_id
from elearn.courses.fields import did_you_mean
from elearn.courses.model import GRADED_TYPES, SURVEY_TYPES, QuestionType
from elearn.courses.problems import ProblemLog

HEADING = re.compile(r"^##[ \t]+(?P<text>.*?)[ \t]*(?P<attrs>\{[^{}]*\})?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CHOICE = re.compile(rf"^[-*+][ \t]+(?P<marker>\[(?P<mark>[ xX]|{PERCENT})\])[ \t]+(?P<text>.*)$")
_CREDIT_LIKE = r"\[[ \t]*[+-]?[0-9][0-9.,]*[ \t]*%?[ \t]*\]"
_BAD_CHOICE = re.compile(rf"^[-*+][ \t]+(?P<marker>{_CREDIT_LIKE})")
_KEY = re.compile(r"^=[ \t]*(?P<text>.*)$")
_KEY_CREDIT = re.compile(rf"\[(?P<percent>{PERCENT})\][ \t]*")
_BAD_KEY_CREDIT = re.compile(_CREDIT_LIKE)
_PAIR = re.compile(r"^[-*+][ \t]+(?P<left>.+?)[ \t]+->[ \t]+(?P<right>.+)$")
_DISTRACTOR = re.compile(r"^[-*+][ \t]+->[ \t]+(?P<right>.+)$")
_BULLET = re.compile(r"^[-*+][ \t]+")
_OPTION_ID = re.compile(r"[ \t]*\{#(?P<id>[A-Za-z0-9][A-Za-z0-9_-]{0,63})\}[ \t]*$")
QUESTION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,79}")
_ATTRIBUTE_KEYS = ("type", "points", "case")


@dataclass(frozen=True)
class QuestionSections:
    """A quiz or survey body: the Markdown before the first question, the drafts, and the heading lines."""

    intro: str
    questions: tuple[QuestionDraft, ...]
    heading_lines: frozenset[int]


def parse_questions(body: str, *, graded: bool, log: ProblemLog) -> QuestionSections:
    """Split a body at its `## ` headings and parse each section; `log` lines are body-relative."""
    lines = body.split("\n")
    starts = heading_lines(lines)
    intro = "\n".join(lines[: starts[0]] if starts else lines).strip()
    drafts = []
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(lines)
        draft = _SectionParser(lines, start, end, graded=graded, log=log).parse()
        if draft is not None:
            drafts.append(draft)
    _report_duplicate_options(drafts, log)
    return QuestionSections(intro, tuple(drafts), frozenset(start + 1 for start in starts))


def heading_lines(lines: list[str]) -> list[int]:
    """Indexes of `## ` lines outside fenced code: where questions start."""
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


def heading_id(line: str) -> str | None:
    """The id a question heading names (`{#id ...}`), valid or not; None when it names none."""
    match = HEADING.match(line)
    attributes = match.group("attrs") if match else None
    tokens = attributes[1:-1].split() if attributes else []
    return next((token[1:] for token in tokens if token.startswith("#")), None)


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
        self.block = AnswerBlock()
        self.last: OptionDraft | KeyDraft | PairDraft | None = None
        self.explanation: list[str] = []

    def parse(self) -> QuestionDraft | None:
        """The draft, or None when the heading itself is unusable (already reported)."""
        heading_line = self.start + 1
        match = HEADING.match(self.lines[self.start])
        text = match.group("text") if match else ""
        attributes = self._attributes(match.group("attrs") if match else None, heading_line)
        question_id = attributes.get("id", "")
        if not question_id:
            self.log.error(
                heading_line,
                1,
                "soal tanpa id: tambahkan {#id-soal} di akhir judul soal, "
                "atau jalankan 'flask elearn courses check --fix'",
            )
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
            case_sensitive=self._case(attributes.get("case"), question_type, heading_line),
            explanation="\n".join(self.explanation).strip(),
        )
        fill_answers(draft, self.block, graded=self.graded, log=self.log)
        return draft

    def _attributes(self, raw: str | None, line: int) -> dict[str, str]:
        """`{#id type=short points=2}` into a dict; unknown keys reported with a suggestion."""
        attributes: dict[str, str] = {}
        if raw is None:
            return attributes
        column = self.lines[self.start].rfind("{") + 1
        for token in raw[1:-1].split():
            if token.startswith("#") and QUESTION_ID.fullmatch(token[1:]):
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
                        fence = opener.group(1)  # type: ignore[union-attr]  # the fence opener matched on this very line
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
            return self._pair_line(line, number)
        choice = _CHOICE.match(line)
        if choice:
            self._record(self._option(choice, number))
            return True
        bad = _BAD_CHOICE.match(line)
        if bad:
            self.log.error(number, bad.start("marker") + 1, _bad_credit_message(bad.group("marker")))
            return True
        key = _KEY.match(line)
        if key:
            self._record(self._key(key.group("text"), number, key.start("text") + 1))
            return True
        return False

    def _pair_line(self, line: str, number: int) -> bool:
        """`- left -> right`, or `- -> right` for a distractor."""
        distractor = _DISTRACTOR.match(line)
        pair = None if distractor else _PAIR.match(line)
        if distractor:
            self._record(PairDraft(None, distractor.group("right").strip(), number))
        elif pair:
            self._record(PairDraft(pair.group("left").strip(), pair.group("right").strip(), number))
        elif _BULLET.match(line) and self.block.pairs:
            self.log.error(number, 1, "pasangan harus ditulis '- kiri -> kanan' (pengecoh: '- -> kanan')")
        else:
            return False
        return True

    def _record(self, item: OptionDraft | KeyDraft | PairDraft) -> None:
        """Keep an answer line; indented lines below it belong to it."""
        if isinstance(item, OptionDraft):
            self.block.options.append(item)
        elif isinstance(item, KeyDraft):
            self.block.keys.append(item)
        else:
            self.block.pairs.append(item)
        self.last = item

    def _option(self, choice: re.Match[str], number: int) -> OptionDraft:
        """An option line: `[x]`/`[ ]` or a credit `[50%]`, text and optional `{#id}`."""
        text = choice.group("text")
        explicit = _OPTION_ID.search(text)
        if explicit:
            text = text[: explicit.start()]
        option_id = explicit.group("id") if explicit else derived_id("o", text)
        mark, column = choice.group("mark"), choice.start("marker") + 1
        percent = self._percent(mark, number, column) if mark.endswith("%") else None
        return OptionDraft(option_id, text.strip(), mark in ("x", "X"), percent, number, column)

    def _key(self, text: str, number: int, column: int) -> KeyDraft:
        """`= answer`, `= [50%] answer`, `= *`: the answer text and its optional credit."""
        credit = _KEY_CREDIT.match(text)
        if credit:
            percent = self._percent(credit.group("percent"), number, column)
            return KeyDraft(text[credit.end() :].strip(), percent, number, column, column + credit.end())
        bad = _BAD_KEY_CREDIT.match(text)
        if bad:
            self.log.error(number, column, _bad_credit_message(bad.group(0)))
        return KeyDraft(text.strip(), None, number, column, column)

    def _percent(self, written: str, number: int, column: int) -> Decimal:
        """A credit marker's value; reported at its column (and read as 0%) when it is out of range."""
        try:
            return percent_credit(written)
        except CreditError as error:
            self.log.error(number, column, str(error))
            return Decimal(0)

    def _continuation(self, line: str, number: int) -> None:
        """Indented lines under an answer: `> feedback`, or more option text; anything else is an error."""
        item = self.last
        stripped = line.strip()
        if not line[:1].isspace() or item is None or isinstance(item, PairDraft):
            self.log.error(
                number,
                1,
                "baris tidak dikenali di blok jawaban (opsi '- [ ]', kunci '= ', atau '> Penjelasan')",
            )
        elif stripped.startswith(">"):
            item.feedback.append(_unquote(stripped))
        elif isinstance(item, OptionDraft):
            item.text += "\n" + stripped
        else:
            self.log.error(
                number,
                len(line) - len(line.lstrip()) + 1,
                "jawaban '=' hanya satu baris; tulis umpan baliknya di bawahnya sebagai '  > ...'",
            )

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
            return declared
        options = self.block.options
        if options:
            return "multiple" if self.graded and _implies_multiple(options) else "single"
        if self.block.keys and self.graded:
            return "short"
        if not self.graded and not self.block.keys:
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

    def _case(self, raw: str | None, question_type: QuestionType, line: int) -> bool:
        """`case=sensitive` makes a short answer's letter case count (Moodle's "case sensitivity")."""
        if raw is None:
            return False
        if question_type != "short":
            self.log.error(line, 1, "atribut case hanya berlaku untuk soal type=short")
        elif raw not in ("sensitive", "insensitive"):
            self.log.error(line, 1, f"case harus 'sensitive' atau 'insensitive', bukan '{raw}'")
        return raw == "sensitive"


def _implies_multiple(options: list[OptionDraft]) -> bool:
    """Without `type=`: several `[x]`, or credits with a penalty or without a 100% option, mean multiple."""
    if not any(option.percent is not None for option in options):
        return sum(option.checked for option in options) > 1
    credits = [Decimal(1) if option.checked else option.percent or Decimal(0) for option in options]
    return any(credit < 0 for credit in credits) or Decimal(1) not in credits


def _bad_credit_message(marker: str) -> str:
    return f"tanda '{marker}' tidak dikenal: tulis [x], [ ] atau persen seperti [50%], [-25%]"


def _unquote(line: str) -> str:
    """Strip one blockquote marker."""
    stripped = line.lstrip()[1:]
    return stripped[1:] if stripped.startswith(" ") else stripped
