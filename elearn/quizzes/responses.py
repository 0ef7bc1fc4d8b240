"""Turning the form values posted for one question into a canonical, JSON-serialisable response, or refusing them.

Canonical responses (an empty one means "not answered", which is valid):
- single, true-false, likert, survey single/multiple, multiple: `{"choices": [option ids in option order]}`
  (likert: `"1"`..`"5"`; true-false: `"true"`/`"false"`);
- short and survey text: `{"text": "..."}` (trimmed, Unicode NFC);
- numeric: `{"text": "3,5", "number": "3.5"}` (`number` absent when unanswered);
- matching: `{"pairs": {left id: right id}}` from values `"<left id>=<right id>"`, one per left item.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from elearn.quizzes.question import LIKERT_VALUES, StoredQuestion
from elearn.quizzes.values import parse_number

Response = dict[str, Any]
ResponseErrorCode = Literal[
    "too_many_values", "unknown_option", "bad_pair", "too_long", "not_a_number", "bad_text"
]

MAX_TEXT_LENGTH = {"short": 500, "numeric": 100, "text": 2000}
"""Characters a typed answer may have: a short answer, a number, a survey's free text."""

_CHOICE_TYPES = frozenset({"single", "truefalse", "likert", "multiple"})
_CONTROL = frozenset({"Cc", "Cf", "Cs", "Co"})


@dataclass(frozen=True)
class ResponseError:
    """Why posted values cannot be this question's answer; `code` is for the page's translated message, `message`
    a Bahasa Indonesia fallback. Nothing should be saved."""

    code: ResponseErrorCode
    message: str


def parse_response(question: StoredQuestion, values: Sequence[str]) -> Response | ResponseError:
    """The canonical response to `question` for the values its form posted, or why they are refused."""
    given = [value for value in values if value != ""]
    if question.type == "matching":
        return _pairs(question, given)
    if question.type in _CHOICE_TYPES:
        return _choices(question, given)
    if len(given) > 1:
        return ResponseError("too_many_values", "soal ini hanya menerima satu jawaban")
    text = unicodedata.normalize("NFC", given[0]).strip() if given else ""
    limit = MAX_TEXT_LENGTH[question.type]
    if len(text) > limit:
        return ResponseError("too_long", f"jawaban terlalu panjang: paling banyak {limit} karakter")
    if any(unicodedata.category(char) in _CONTROL for char in text if char not in "\n\t"):
        return ResponseError("bad_text", "jawaban berisi karakter kendali yang tidak dapat disimpan")
    if question.type != "numeric" or not text:
        return {"text": text}
    number = parse_number(text)
    if number is None:
        return ResponseError("not_a_number", "jawaban harus berupa angka, misalnya 12 atau 3,5")
    return {"text": text, "number": str(number)}


def _choices(question: StoredQuestion, given: list[str]) -> Response | ResponseError:
    """Option ids of this question only; one at most unless the question is multiple response."""
    known = LIKERT_VALUES if question.type == "likert" else tuple(option.id for option in question.options)
    chosen = set(given)
    if question.type != "multiple" and len(chosen) > 1:
        return ResponseError("too_many_values", "soal ini hanya menerima satu pilihan")
    if not chosen <= set(known):
        return ResponseError("unknown_option", "pilihan ini bukan milik soal ini")
    return {"choices": [option_id for option_id in known if option_id in chosen]}


def _pairs(question: StoredQuestion, given: list[str]) -> Response | ResponseError:
    """`left=right` values: known left items, each once, with a right item of this question (empty: unanswered)."""
    lefts = [option.id for option in question.side("left")]
    rights = {option.id for option in question.side("right")}
    pairs: dict[str, str] = {}
    seen: set[str] = set()
    for value in given:
        left, equals, right = value.partition("=")
        if not equals or left in seen:
            return ResponseError("bad_pair", "setiap butir kiri dijodohkan satu kali, sebagai 'kiri=kanan'")
        if left not in lefts or (right and right not in rights):
            return ResponseError("unknown_option", "pilihan ini bukan milik soal ini")
        seen.add(left)
        if right:
            pairs[left] = right
    return {"pairs": {left: pairs[left] for left in lefts if left in pairs}}
