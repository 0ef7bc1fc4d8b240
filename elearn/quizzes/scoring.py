"""Scoring one response with Moodle's meaning, exactly (Decimal, never floats).

- single, true-false: the chosen option's credit;
- multiple: the sum of the chosen options' credits, negative ones included;
- short: the credit of the first answer (in the author's order) whose pattern matches; `*` matches anything;
- numeric: the credit of the first answer whose interval holds the number; `*` holds every number;
- matching: right pairs / left items.

The sum is limited to 0..1 (a question never scores below 0, Moodle's floor for multiple response); the fraction
and the points (that sum times the question's points) are each rounded half up to six decimals, so credits
written to Moodle's seven decimals (three times 33.33333%) make exactly 1 and two of three matching pairs on a
3-point question make exactly 2 points. Feedback is that of the chosen options (in option order) or of the
matched answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext
from typing import Any

from elearn.courses.credits import SCORE_QUANTUM
from elearn.quizzes.question import StoredQuestion
from elearn.quizzes.values import matches_pattern, parse_number

_ZERO = Decimal(0)
_ONE = Decimal(1)
_UNSCORED = frozenset({"likert", "text"})
_CONTEXT = Context(prec=28, rounding=ROUND_HALF_UP)
"""Fixed arithmetic, whatever decimal context the caller's thread has set."""


@dataclass(frozen=True)
class Scored:
    """A response's result: `fraction` of the question in 0..1, `points` earned (both to six decimals), whether
    it is fully right, and the feedback that applies (the general feedback, `explanation_html`, is separate)."""

    fraction: Decimal
    points: Decimal
    correct: bool
    feedback_html: tuple[str, ...] = ()


def score(question: StoredQuestion, response: Mapping[str, Any] | None) -> Scored:
    """Score a canonical response (see responses.py); None or an empty response scores 0."""
    if question.type in _UNSCORED:
        raise ValueError(f"survey question {question.qid!r} ({question.type}) is not scored")
    key = question.answer_key
    given = response or {}
    with localcontext(_CONTEXT):
        if question.type == "matching":
            raw, feedback = _matching(key, given, lefts=len(question.side("left")))
        elif question.type in ("short", "numeric"):
            raw, feedback = _first_match(question, key, given)
        else:
            raw, feedback = _choices(key, given, [option.id for option in question.options])
        earned = min(max(raw, _ZERO), _ONE)
        fraction = earned.quantize(SCORE_QUANTUM)
        points = (earned * question.points).quantize(SCORE_QUANTUM)
        return Scored(fraction, points, fraction == _ONE, feedback)


def _choices(
    key: Mapping[str, Any], given: Mapping[str, Any], order: list[str]
) -> tuple[Decimal, tuple[str, ...]]:
    """Sum of the chosen options' credits, with each chosen option's feedback."""
    chosen = set(_strings(given.get("choices")))
    credits: Mapping[str, str] = key.get("credits", {})
    feedback: Mapping[str, str] = key.get("feedback", {})
    picked = [option_id for option_id in order if option_id in chosen]
    total = sum((Decimal(credits.get(option_id, "0")) for option_id in picked), _ZERO)
    return total, tuple(feedback[option_id] for option_id in picked if feedback.get(option_id))


def _first_match(
    question: StoredQuestion, key: Mapping[str, Any], given: Mapping[str, Any]
) -> tuple[Decimal, tuple[str, ...]]:
    """The first answer, in the author's order, that the typed text (or number) matches."""
    text = given.get("text")
    if not isinstance(text, str) or not text.strip():
        return _ZERO, ()
    if question.type == "numeric":
        number = _number(given.get("number"), text)
        if number is None:
            return _ZERO, ()
        matched = next((answer for answer in key.get("answers", ()) if _holds(answer, number)), None)
    else:
        sensitive = bool(key.get("case_sensitive"))
        matched = next(
            (
                answer
                for answer in key.get("answers", ())
                if matches_pattern(answer["pattern"], text, case_sensitive=sensitive)
            ),
            None,
        )
    if matched is None:
        return _ZERO, ()
    feedback = matched.get("feedback")
    return Decimal(matched["credit"]), (feedback,) if feedback else ()


def _number(stored: Any, text: str) -> Decimal | None:
    """The response's number as parse_response stored it, or read again from its text."""
    if isinstance(stored, str):
        try:
            return Decimal(stored)
        except InvalidOperation:
            return None
    return parse_number(text)


def _holds(answer: Mapping[str, str], number: Decimal) -> bool:
    """Whether a numeric answer's interval holds `number` (an answer without bounds is `*`)."""
    if "low" not in answer:
        return True
    return Decimal(answer["low"]) <= number <= Decimal(answer["high"])


def _matching(
    key: Mapping[str, Any], given: Mapping[str, Any], *, lefts: int
) -> tuple[Decimal, tuple[str, ...]]:
    """The share of left items paired with their right item."""
    pairs = given.get("pairs")
    if not lefts or not isinstance(pairs, Mapping):
        return _ZERO, ()
    right = sum(1 for left, right_id in key.get("pairs", {}).items() if pairs.get(left) == right_id)
    return Decimal(right) / Decimal(lefts), ()


def _strings(value: Any) -> list[str]:
    """The string items of a stored list (anything else is ignored: a stored response is never trusted)."""
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []
