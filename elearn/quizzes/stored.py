"""How a parsed question is stored: what a form may show, and the answer key that never leaves the server.

- `options`: `[{"id", "html"}]`; for matching `[{"id", "html", "side": "left"|"right"}]`, the right items
  sorted by text and numbered `r1..rN` so their order and ids say nothing about the pairing.
- `answer_key`: `correct` (option ids), `feedback` (option id -> HTML shown after submitting), `accepted`
  (short answers), `intervals` (numeric: `low`, `high`, `label` as strings), `pairs` (left id -> right id);
  only the keys a question needs.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from elearn.courses.model import Question


def stored_columns(question: Question) -> dict[str, Any]:
    """A parsed question as stored: what a form may show in `options`, all that grades in `answer_key`."""
    options: list[dict[str, str]] = [{"id": option.id, "html": option.html} for option in question.options]
    answer_key: dict[str, Any] = {
        "correct": [option.id for option in question.options if option.correct],
        "feedback": {option.id: option.feedback_html for option in question.options if option.feedback_html},
        "accepted": list(question.accepted_answers),
        "intervals": [
            {"low": str(answer.low), "high": str(answer.high), "label": answer.label}
            for answer in question.numeric_answers
        ],
    }
    if question.pairs:
        right_ids = {
            html: f"r{n}" for n, html in enumerate(sorted({p.right_html for p in question.pairs}), start=1)
        }
        options = [{"id": pair.id, "html": pair.left_html, "side": "left"} for pair in question.pairs]
        options += [{"id": right_id, "html": html, "side": "right"} for html, right_id in right_ids.items()]
        answer_key["pairs"] = {pair.id: right_ids[pair.right_html] for pair in question.pairs}
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
