"""Questions as written, between reading their lines and building the final `Question`: Markdown still
unrendered, credits still to be checked (questions.py reads the lines, answer_rules.py gives them meaning)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from elearn.courses.model import MatchPair, NumericAnswer, Option, Question, QuestionType, TextAnswer


@dataclass
class OptionDraft:
    """One `- [x] text {#id}` (or `- [50%] text`) line with its indented feedback; `credit` is set by the rules."""

    id: str
    text: str
    checked: bool
    percent: Decimal | None
    line: int
    column: int
    feedback: list[str] = field(default_factory=list)
    credit: Decimal = Decimal(0)


@dataclass
class KeyDraft:
    """One `= [50%] answer` line with its indented feedback; `credit` and the interval are set by the rules.

    `column` is where the line's content starts (its credit, if any), `text_column` where the answer starts.
    """

    text: str
    percent: Decimal | None
    line: int
    column: int
    text_column: int
    feedback: list[str] = field(default_factory=list)
    credit: Decimal = Decimal(1)
    low: Decimal | None = None
    high: Decimal | None = None


@dataclass
class PairDraft:
    """One `- left -> right` line; a distractor (`- -> right`) has no left item."""

    left: str | None
    right: str
    line: int


@dataclass
class QuestionDraft:
    """A question as written: Markdown fragments and answer keys, with the line of its heading."""

    id: str
    type: QuestionType
    points: int
    line: int
    stem: str
    source: str
    case_sensitive: bool = False
    options: list[OptionDraft] = field(default_factory=list)
    short: list[KeyDraft] = field(default_factory=list)
    numeric: list[KeyDraft] = field(default_factory=list)
    pairs: list[tuple[str, str, str]] = field(default_factory=list)
    distractors: list[str] = field(default_factory=list)
    explanation: str = ""

    def markdown_texts(self) -> list[str]:
        """Every fragment that needs rendering."""
        texts = [self.stem, self.explanation, *self.distractors]
        for option in self.options:
            texts += [option.text, "\n".join(option.feedback)]
        for key in (*self.short, *self.numeric):
            texts.append("\n".join(key.feedback))
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
                Option(option.id, inline(html(option.text)), option.credit, html("\n".join(option.feedback)))
                for option in self.options
            ),
            text_answers=tuple(
                TextAnswer(key.text, key.credit, html("\n".join(key.feedback))) for key in self.short
            ),
            case_sensitive=self.case_sensitive,
            numeric_answers=tuple(
                NumericAnswer(key.low, key.high, key.text, key.credit, html("\n".join(key.feedback)))
                for key in self.numeric
            ),
            pairs=tuple(
                MatchPair(pair_id, inline(html(left)), inline(html(right)))
                for pair_id, left, right in self.pairs
            ),
            distractors=tuple(inline(html(right)) for right in self.distractors),
            explanation_html=html(self.explanation),
            line=self.line + line_offset,
            content_hash=hashlib.sha256(self.source.encode("utf-8")).hexdigest(),
        )


@dataclass
class AnswerBlock:
    """The answer lines of one question as read, before the rules give them a meaning."""

    options: list[OptionDraft] = field(default_factory=list)
    keys: list[KeyDraft] = field(default_factory=list)
    pairs: list[PairDraft] = field(default_factory=list)


def inline(fragment_html: str) -> str:
    """Drop the paragraph wrapping a one-paragraph fragment (option texts sit inside labels)."""
    if fragment_html.startswith("<p>") and fragment_html.endswith("</p>") and fragment_html.count("<p>") == 1:
        return fragment_html[3:-4]
    return fragment_html


def derived_id(prefix: str, text: str) -> str:
    """A stable id from normalised text, for options and pairs the author did not name."""
    normalised = " ".join(text.casefold().split())
    return f"{prefix}-{hashlib.sha256(normalised.encode('utf-8')).hexdigest()[:10]}"
