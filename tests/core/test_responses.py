"""Posted form values become canonical responses, or are refused with a reason; nothing else is accepted."""

from __future__ import annotations

from decimal import Decimal

import pytest

from elearn.quizzes import (
    LIKERT_VALUES,
    MAX_TEXT_LENGTH,
    PublicOption,
    ResponseError,
    StoredQuestion,
    parse_response,
    public_options,
)


def question(kind: str, options: list[dict[str, str]] | None = None) -> StoredQuestion:
    return StoredQuestion.from_columns(
        qid="q", type=kind, points=Decimal(1), options=options or [], answer_key={"credits": {"a": "1"}}
    )


CHOICES = [{"id": "a", "html": "A"}, {"id": "b", "html": "B"}, {"id": "c", "html": "C"}]
MATCHING = [
    {"id": "p1", "html": "SPM", "side": "left"},
    {"id": "p2", "html": "IKM", "side": "left"},
    {"id": "r1", "html": "Indeks", "side": "right"},
    {"id": "r2", "html": "Standar", "side": "right"},
    {"id": "r3", "html": "Pengecoh", "side": "right"},
]


def error_code(result: object) -> str:
    assert isinstance(result, ResponseError), result
    return result.code


@pytest.mark.parametrize("kind", ["single", "truefalse"])
def test_one_choice_questions_take_one_option_of_their_own(kind: str) -> None:
    options = (
        CHOICES if kind == "single" else [{"id": "true", "html": "Benar"}, {"id": "false", "html": "Salah"}]
    )
    first = options[0]["id"]
    assert parse_response(question(kind, options), [first]) == {"choices": [first]}
    assert parse_response(question(kind, options), []) == {"choices": []}
    assert parse_response(question(kind, options), [""]) == {"choices": []}
    assert error_code(parse_response(question(kind, options), [first, options[1]["id"]])) == "too_many_values"
    assert error_code(parse_response(question(kind, options), ["o-dari-soal-lain"])) == "unknown_option"


def test_multiple_response_keeps_option_order_and_drops_repeats() -> None:
    assert parse_response(question("multiple", CHOICES), ["c", "a", "c", ""]) == {"choices": ["a", "c"]}
    assert parse_response(question("multiple", CHOICES), []) == {"choices": []}
    assert error_code(parse_response(question("multiple", CHOICES), ["a", "x"])) == "unknown_option"


def test_short_answer_is_one_trimmed_text_within_the_limit() -> None:
    short = question("short")
    assert parse_response(short, ["  Aparatur Sipil Negara "]) == {"text": "Aparatur Sipil Negara"}
    assert parse_response(short, []) == {"text": ""}
    assert parse_response(short, ["x" * MAX_TEXT_LENGTH["short"]]) == {"text": "x" * 500}
    assert error_code(parse_response(short, ["x" * 501])) == "too_long"
    assert error_code(parse_response(short, ["a", "b"])) == "too_many_values"
    assert error_code(parse_response(short, ["a\x00b"])) == "bad_text"


def test_short_answer_text_is_normalised_to_nfc() -> None:
    assert parse_response(question("short"), ["Cafe\u0301"]) == {"text": "Caf\u00e9"}


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("42", "42"),
        ("3,5", "3.5"),
        ("3.5", "3.5"),
        ("-0,25", "-0.25"),
        (" +7 ", "7"),
        (",5", "0.5"),
        ("1e3", "1E+3"),
    ],
)
def test_numeric_accepts_comma_or_point_decimals(typed: str, number: str) -> None:
    assert parse_response(question("numeric"), [typed]) == {"text": typed.strip(), "number": number}


@pytest.mark.parametrize("typed", ["tiga", "1.000,5", "1 000", "12 kg", "3,5,1", "0x10", "--1"])
def test_numeric_refuses_what_is_not_a_number(typed: str) -> None:
    assert error_code(parse_response(question("numeric"), [typed])) == "not_a_number"


def test_numeric_unanswered_is_valid() -> None:
    assert parse_response(question("numeric"), [" "]) == {"text": ""}


def test_matching_takes_one_known_right_item_per_left_item() -> None:
    matching = question("matching", MATCHING)
    assert parse_response(matching, ["p2=r3", "p1=r2"]) == {"pairs": {"p1": "r2", "p2": "r3"}}
    assert parse_response(matching, ["p1=", "p2=r1"]) == {"pairs": {"p2": "r1"}}
    assert parse_response(matching, []) == {"pairs": {}}
    assert error_code(parse_response(matching, ["p1=r1", "p1=r2"])) == "bad_pair"
    assert error_code(parse_response(matching, ["p1r1"])) == "bad_pair"
    assert error_code(parse_response(matching, ["p9=r1"])) == "unknown_option"
    assert error_code(parse_response(matching, ["p1=r9"])) == "unknown_option"
    assert error_code(parse_response(matching, ["r1=p1"])) == "unknown_option"


def test_survey_likert_and_text() -> None:
    assert LIKERT_VALUES == ("1", "2", "3", "4", "5")
    assert parse_response(question("likert"), ["4"]) == {"choices": ["4"]}
    assert error_code(parse_response(question("likert"), ["6"])) == "unknown_option"
    survey_text = question("text")
    assert parse_response(survey_text, ["Materi\nsangat berguna."]) == {"text": "Materi\nsangat berguna."}
    assert error_code(parse_response(survey_text, ["x" * (MAX_TEXT_LENGTH["text"] + 1)])) == "too_long"


def test_public_options_are_ids_and_html_only() -> None:
    matching = question("matching", MATCHING)
    shown = public_options(matching)
    assert shown[0] == PublicOption("p1", "SPM", "left")
    assert [option.id for option in shown if option.side == "right"] == ["r1", "r2", "r3"]
    assert "credit" not in repr(shown) and "pairs" not in repr(shown)


def test_unknown_question_type_is_refused() -> None:
    with pytest.raises(ValueError, match="essay"):
        question("essay")
