"""Scoring per question type with Moodle's meaning, against expectations computed by hand (comments show how)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from elearn.quizzes import Scored, StoredQuestion, score

D = Decimal


def stored(kind: str, key: dict[str, Any], options: list[dict[str, str]] | None = None, points: int = 1):
    """A StoredQuestion built the way the attempt engine builds one from a Question row."""
    return StoredQuestion.from_columns(
        qid="q", type=kind, points=D(points), options=options or [], answer_key=key
    )


def choices(*ids: str) -> list[dict[str, str]]:
    return [{"id": option_id, "html": option_id.upper()} for option_id in ids]


def result(fraction: str, points: str, feedback: tuple[str, ...] = ()) -> Scored:
    return Scored(D(fraction), D(points), D(fraction) == 1, feedback)


SINGLE = stored(
    "single",
    {"credits": {"a": "1", "b": "0.5"}, "feedback": {"b": "<p>Hampir.</p>", "c": "<p>Bukan.</p>"}},
    choices("a", "b", "c"),
    points=2,
)


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        (["a"], result("1", "2")),  # 100% of 2 points
        (["b"], result("0.5", "1", ("<p>Hampir.</p>",))),  # the half-right option: 50% of 2 points
        (["c"], result("0", "0", ("<p>Bukan.</p>",))),  # a wrong option still shows its feedback
        ([], result("0", "0")),  # unanswered
    ],
)
def test_single_choice_scores_the_chosen_options_credit(chosen: list[str], expected: Scored) -> None:
    assert score(SINGLE, {"choices": chosen}) == expected


def test_single_choice_with_two_fully_right_options_accepts_either() -> None:
    question = stored("single", {"credits": {"a": "1", "b": "1"}}, choices("a", "b", "c"))
    assert [score(question, {"choices": [choice]}).correct for choice in "abc"] == [True, True, False]


PENALTIES = stored(
    "multiple",
    {
        "credits": {"a": "0.5", "b": "0.5", "c": "-0.5", "d": "-0.5"},
        "feedback": {"a": "<p>A benar.</p>", "c": "<p>C salah.</p>"},
    },
    choices("a", "b", "c", "d"),
    points=2,
)


@pytest.mark.parametrize(
    ("chosen", "fraction", "points"),
    [
        (["a", "b"], "1", "2"),  # 50 + 50
        (["a"], "0.5", "1"),  # 50
        (["a", "c"], "0", "0"),  # 50 - 50
        (["a", "b", "c"], "0.5", "1"),  # 50 + 50 - 50
        (["c", "d"], "0", "0"),  # -50 - 50 = -100, floored at 0
        (["a", "b", "c", "d"], "0", "0"),  # choosing everything earns nothing
        ([], "0", "0"),
    ],
)
def test_multiple_response_adds_credits_and_penalties_floored_at_zero(
    chosen: list[str], fraction: str, points: str
) -> None:
    scored = score(PENALTIES, {"choices": chosen})
    assert (scored.fraction, scored.points, scored.correct) == (D(fraction), D(points), fraction == "1")


def test_multiple_response_feedback_is_each_chosen_options_in_option_order() -> None:
    assert score(PENALTIES, {"choices": ["c", "a"]}).feedback_html == ("<p>A benar.</p>", "<p>C salah.</p>")


def test_multiple_response_with_unequal_weights_scores_their_sum() -> None:
    question = stored(
        "multiple", {"credits": {"a": "0.5", "b": "0.3", "c": "0.2"}}, choices("a", "b", "c", "d")
    )
    assert score(question, {"choices": ["a", "b"]}).fraction == D("0.8")  # 50 + 30
    assert score(question, {"choices": ["a", "b", "c", "d"]}).correct  # 50 + 30 + 20 + 0


def test_thirds_written_to_seven_decimals_add_up_to_exactly_one() -> None:
    third = "0.3333333"  # Moodle's 33.33333%, and elearn's share of each of three [x] options
    question = stored(
        "multiple",
        {"credits": {"a": third, "b": third, "c": third, "d": "-" + third}},
        choices(*"abcd"),
        points=3,
    )
    assert score(question, {"choices": ["a", "b", "c"]}) == result("1", "3")  # 0.9999999 rounds to 1
    assert score(question, {"choices": ["a", "b"]}) == result("0.666667", "2")  # 3 x 0.6666666 = 1.9999998
    assert score(question, {"choices": ["a", "d"]}) == result("0", "0")


def test_true_false_scores_like_a_single_choice() -> None:
    question = stored(
        "truefalse",
        {"credits": {"false": "1"}, "feedback": {"true": "<p>Keliru.</p>"}},
        choices("true", "false"),
    )
    assert score(question, {"choices": ["false"]}) == result("1", "1")
    assert score(question, {"choices": ["true"]}) == result("0", "0", ("<p>Keliru.</p>",))


SHORT = stored(
    "short",
    {
        "answers": [
            {"pattern": "Jakarta", "credit": "1", "feedback": "<p>Tepat.</p>"},
            {"pattern": "Batavia", "credit": "0.5", "feedback": "<p>Nama lama.</p>"},
            {"pattern": "*karta", "credit": "0.25"},
            {"pattern": "*", "credit": "0", "feedback": "<p>Ibu kota negara.</p>"},
        ]
    },
    points=4,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jakarta", result("1", "4", ("<p>Tepat.</p>",))),  # case does not count by default
        ("  JAKARTA ", result("1", "4", ("<p>Tepat.</p>",))),  # spaces around are trimmed
        ("Batavia", result("0.5", "2", ("<p>Nama lama.</p>",))),
        ("Yogyakarta", result("0.25", "1")),  # `*karta`: anything, then "karta"
        ("Bandung", result("0", "0", ("<p>Ibu kota negara.</p>",))),  # the catch-all `*`
        ("", result("0", "0")),  # unanswered: not even the catch-all applies
    ],
)
def test_short_answer_takes_the_first_matching_answer_in_order(text: str, expected: Scored) -> None:
    assert score(SHORT, {"text": text}) == expected


def test_short_answer_first_match_wins_even_when_a_later_one_earns_more() -> None:
    question = stored(
        "short", {"answers": [{"pattern": "*", "credit": "0.1"}, {"pattern": "x", "credit": "1"}]}
    )
    assert score(question, {"text": "x"}).fraction == D("0.1")


def test_short_answer_case_sensitive_and_whitespace_and_literal_star() -> None:
    sensitive = stored("short", {"answers": [{"pattern": "NIP", "credit": "1"}], "case_sensitive": True})
    assert [score(sensitive, {"text": text}).correct for text in ("NIP", "nip")] == [True, False]
    spaced = stored("short", {"answers": [{"pattern": "aparatur sipil negara", "credit": "1"}]})
    assert score(spaced, {"text": "Aparatur   Sipil\tNegara"}).correct
    star = stored("short", {"answers": [{"pattern": "a\\*b", "credit": "1"}]})
    assert [score(star, {"text": text}).correct for text in ("a*b", "axb")] == [True, False]


def test_short_answer_pattern_with_many_stars_stays_fast_on_a_long_response() -> None:
    question = stored("short", {"answers": [{"pattern": "*a*a*a*a*a*a*a*a*a*a*b", "credit": "1"}]})
    assert not score(question, {"text": "a" * 500}).correct
    assert score(question, {"text": "a" * 499 + "b"}).correct


NUMERIC = stored(
    "numeric",
    {
        "answers": [
            {"label": "42 +- 0.5", "credit": "1", "low": "41.5", "high": "42.5", "feedback": "<p>Tepat.</p>"},
            {"label": "40..45", "credit": "0.5", "low": "40", "high": "45", "feedback": "<p>Dekat.</p>"},
            {"label": "*", "credit": "0", "feedback": "<p>Hitung ulang.</p>"},
        ]
    },
    points=2,
)


@pytest.mark.parametrize(
    ("text", "number", "expected"),
    [
        ("42", "42", result("1", "2", ("<p>Tepat.</p>",))),
        ("42,5", "42.5", result("1", "2", ("<p>Tepat.</p>",))),  # bounds are inclusive
        ("42.6", "42.6", result("0.5", "1", ("<p>Dekat.</p>",))),  # outside 41.5..42.5, inside 40..45
        ("40", "40", result("0.5", "1", ("<p>Dekat.</p>",))),
        ("7", "7", result("0", "0", ("<p>Hitung ulang.</p>",))),  # any other number: the `*` answer
    ],
)
def test_numeric_takes_the_first_interval_holding_the_number(
    text: str, number: str, expected: Scored
) -> None:
    assert score(NUMERIC, {"text": text, "number": number}) == expected


def test_numeric_unanswered_scores_zero_without_feedback() -> None:
    assert score(NUMERIC, {"text": ""}) == result("0", "0")


MATCHING = stored(
    "matching",
    {"pairs": {"p1": "r2", "p2": "r1", "p3": "r3"}},
    [
        {"id": "p1", "html": "SPM", "side": "left"},
        {"id": "p2", "html": "IKM", "side": "left"},
        {"id": "p3", "html": "MPP", "side": "left"},
        {"id": "r1", "html": "Indeks Kepuasan Masyarakat", "side": "right"},
        {"id": "r2", "html": "Standar Pelayanan Minimal", "side": "right"},
        {"id": "r3", "html": "Mal Pelayanan Publik", "side": "right"},
        {"id": "r4", "html": "Indeks Kinerja Mandiri", "side": "right"},  # a distractor
    ],
    points=3,
)


@pytest.mark.parametrize(
    ("pairs", "fraction", "points"),
    [
        ({"p1": "r2", "p2": "r1", "p3": "r3"}, "1", "3"),
        ({"p1": "r2", "p2": "r1", "p3": "r4"}, "0.666667", "2"),  # 2 of 3 left items right; 2/3 x 3 = 2
        ({"p1": "r2"}, "0.333333", "1"),  # unanswered left items count as wrong
        ({"p1": "r4", "p2": "r4", "p3": "r4"}, "0", "0"),
        ({}, "0", "0"),
    ],
)
def test_matching_scores_the_share_of_left_items_paired_right(
    pairs: dict[str, str], fraction: str, points: str
) -> None:
    assert score(MATCHING, {"pairs": pairs}) == result(fraction, points)


def test_missing_or_foreign_response_scores_zero() -> None:
    assert score(SINGLE, None) == result("0", "0")
    assert score(SINGLE, {"choices": ["lain"]}) == result("0", "0")
    assert score(MATCHING, {"pairs": ["p1"]}) == result("0", "0")


def test_scoring_is_exact_whatever_the_callers_decimal_context() -> None:
    import decimal

    with decimal.localcontext() as context:
        context.prec = 3
        assert score(MATCHING, {"pairs": {"p1": "r2", "p2": "r1"}}) == result("0.666667", "2")


@pytest.mark.parametrize("kind", ["likert", "text"])
def test_survey_questions_are_not_scored(kind: str) -> None:
    with pytest.raises(ValueError, match="not scored"):
        score(stored(kind, {}), {"text": "baik"})
