"""How a parsed question is stored: what a form may show, and the answer key that never leaves the server.

- `options`: `[{"id", "html"}]`; for matching `[{"id", "html", "side": "left"|"right"}]`, the right items (pairs'
  rights and distractors, equal HTML once) sorted by HTML and numbered `r1..rN`, so their order and ids say
  nothing about the pairing. Never a credit.
- `answer_key`, only the keys a question needs; credits are fractions of the question's points as decimal
  strings (`"0.5"`, `"-0.25"`), never floats:
  - single / multiple / true-false: `credits` (option id -> credit, non-zero only), `feedback` (option id -> HTML
    shown when that option was chosen);
  - short: `answers` (`[{"pattern", "credit", "feedback"?}]`, in order, first match wins), `case_sensitive`
    (only when true);
  - numeric: `answers` (`[{"label", "credit", "low"?, "high"?, "feedback"?}]`, in order; no `low`/`high` is
    `*`, any number);
  - matching: `pairs` (left id -> right id);
  - surveys: nothing.
- The general feedback is the separate column `explanation_html`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from elearn.courses.model import NumericAnswer, Question


def stored_columns(question: Question) -> dict[str, Any]:
    """A parsed question as stored: what a form may show in `options`, all that grades in `answer_key`."""
    options, answer_key = _matching(question) if question.type == "matching" else _other(question)
    return {
        "qid": question.id,
        "content_hash": question.content_hash,
        "type": question.type,
        "points": Decimal(question.points),
        "stem_html": question.stem_html,
        "options": options,
        "answer_key": {name: value for name, value in answer_key.items() if value},
        "explanation_html": question.explanation_html,
    }


def decimal_text(value: Decimal) -> str:
    """A decimal as stored in JSON: plain notation, no trailing zeros (`0.5`, `100`, `-0.25`)."""
    return f"{value.normalize():f}"


def _other(question: Question) -> tuple[list[dict[str, str]], dict[str, Any]]:
    """Choices with their credits and feedback; short and numeric answers in their order."""
    options = [{"id": option.id, "html": option.html} for option in question.options]
    answer_key: dict[str, Any] = {
        "credits": {option.id: decimal_text(option.credit) for option in question.options if option.credit},
        "feedback": {option.id: option.feedback_html for option in question.options if option.feedback_html},
    }
    if question.type == "short":
        answer_key["answers"] = [
            _with_feedback(
                {"pattern": answer.pattern, "credit": decimal_text(answer.credit)}, answer.feedback_html
            )
            for answer in question.text_answers
        ]
        answer_key["case_sensitive"] = question.case_sensitive
    elif question.type == "numeric":
        answer_key["answers"] = [_numeric(answer) for answer in question.numeric_answers]
    return options, answer_key


def _numeric(answer: NumericAnswer) -> dict[str, str]:
    """One numeric answer; `*` has no bounds."""
    stored = {"label": answer.label, "credit": decimal_text(answer.credit)}
    if answer.low is not None and answer.high is not None:
        stored |= {"low": decimal_text(answer.low), "high": decimal_text(answer.high)}
    return _with_feedback(stored, answer.feedback_html)


def _with_feedback(stored: dict[str, str], feedback_html: str) -> dict[str, str]:
    return stored | {"feedback": feedback_html} if feedback_html else stored


def _matching(question: Question) -> tuple[list[dict[str, str]], dict[str, Any]]:
    """Left items in the author's order, right items (with distractors) numbered by their sorted HTML."""
    rights = sorted({pair.right_html for pair in question.pairs} | set(question.distractors))
    right_ids = {html: f"r{number}" for number, html in enumerate(rights, start=1)}
    options = [{"id": pair.id, "html": pair.left_html, "side": "left"} for pair in question.pairs]
    options += [{"id": right_id, "html": html, "side": "right"} for html, right_id in right_ids.items()]
    return options, {"pairs": {pair.id: right_ids[pair.right_html] for pair in question.pairs}}
