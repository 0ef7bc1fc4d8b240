"""A question as the attempt engine holds it: built from a stored row's columns, with what a page may render."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from elearn.courses.model import GRADED_TYPES, SURVEY_TYPES, QuestionType

Side = Literal["left", "right"]
LIKERT_VALUES: tuple[str, ...] = ("1", "2", "3", "4", "5")
"""A Likert question's answers, from "sangat tidak setuju" (1) to "sangat setuju" (5); the page words them."""

_TYPES = frozenset(GRADED_TYPES) | frozenset(SURVEY_TYPES)


@dataclass(frozen=True)
class PublicOption:
    """What a page may show of an option: its id and HTML; `side` says which column of a matching question."""

    id: str
    html: str
    side: Side | None = None


@dataclass(frozen=True)
class StoredQuestion:
    """One stored question: `options` are safe to render, `answer_key` (see stored.py) never leaves the server."""

    qid: str
    type: QuestionType
    points: Decimal
    options: tuple[PublicOption, ...]
    answer_key: Mapping[str, Any]

    @classmethod
    def from_columns(
        cls,
        *,
        qid: str,
        type: str,  # noqa: A002  (the column's name)
        points: Decimal,
        options: Iterable[Mapping[str, Any]],
        answer_key: Mapping[str, Any],
    ) -> StoredQuestion:
        """The question held by a Question row (`Question.options`, `Question.answer_key`, ...)."""
        if type not in _TYPES:
            raise ValueError(f"unknown question type {type!r} for question {qid!r}")
        return cls(
            qid=qid,
            type=type,
            points=Decimal(points),
            options=tuple(
                PublicOption(str(option["id"]), str(option["html"]), option.get("side")) for option in options
            ),
            answer_key=answer_key,
        )

    def side(self, side: Side) -> tuple[PublicOption, ...]:
        """The left items or the right items of a matching question, in stored order."""
        return tuple(option for option in self.options if option.side == side)


def public_options(question: StoredQuestion) -> tuple[PublicOption, ...]:
    """What the attempt page may render for a question: option ids and HTML, never a credit or a key."""
    return question.options
