"""The attained level from evidence, on hand-made cases: expiry, several courses, higher implies lower, assessed
and withdrawn evidence, and the sentence that explains a level."""

from __future__ import annotations

from datetime import date

import pytest

from elearn.competency import (
    AssessmentProblem,
    Evidence,
    assessment_problems,
    attained,
    expiry,
    explanation,
    problem_message,
)
from elearn.competency.standard import gaps

MAY_2 = date(2026, 5, 2)


def course(
    id: int,
    level: int,
    on: date = MAY_2,
    *,
    code: str = "M.05",
    expires: date | None = None,
    title: str = "Pelayanan Prima",
    version: str = "v2",
    withdrawn: bool = False,
) -> Evidence:
    return Evidence(
        id=id,
        competency=code,
        level=level,
        achieved_on=on,
        expires_on=expires,
        course_title=title,
        version_label=version,
        withdrawn=withdrawn,
    )


def assessed(id: int, level: int, on: date = MAY_2, *, code: str = "M.05", note: str = "") -> Evidence:
    return Evidence(id=id, competency=code, level=level, achieved_on=on, source="assessment", note=note)


def test_no_evidence_attains_nothing() -> None:
    assert attained([], today=MAY_2) == {}


def test_evidence_counts_from_its_day_until_the_day_before_it_expires() -> None:
    item = course(1, 2, expires=date(2028, 5, 2))
    assert attained([item], today=date(2026, 5, 1)) == {}, "not yet achieved"
    assert attained([item], today=MAY_2)["M.05"].level == 2
    assert attained([item], today=date(2028, 5, 1))["M.05"].valid_until == date(2028, 5, 2)
    assert attained([item], today=date(2028, 5, 2)) == {}, "expires_on is the first day it no longer counts"


def test_the_highest_valid_level_wins_and_drops_back_when_it_expires() -> None:
    lasting = course(1, 2, date(2025, 1, 10))
    higher = course(2, 4, date(2026, 1, 5), expires=date(2027, 1, 5))
    found = attained([lasting, higher], today=MAY_2)["M.05"]
    assert (found.level, found.since, found.evidence, found.valid_until) == (
        4,
        date(2026, 1, 5),
        higher,
        date(2027, 1, 5),
    )
    after = attained([lasting, higher], today=date(2027, 1, 5))["M.05"]
    assert (after.level, after.since, after.evidence, after.valid_until) == (
        2,
        date(2025, 1, 10),
        lasting,
        None,
    )


def test_several_courses_at_one_level_give_the_earliest_since_and_the_latest_expiry() -> None:
    first = course(1, 3, date(2025, 3, 1), expires=date(2027, 3, 1), title="Kursus A")
    second = course(2, 3, date(2026, 2, 1), expires=date(2028, 2, 1), title="Kursus B")
    found = attained([second, first], today=MAY_2)["M.05"]
    assert (found.since, found.evidence, found.valid_until) == (date(2025, 3, 1), first, date(2028, 2, 1))


def test_one_lasting_course_at_the_level_means_the_level_never_drops() -> None:
    expiring = course(1, 3, date(2025, 3, 1), expires=date(2027, 3, 1))
    lasting = course(2, 3, date(2026, 2, 1))
    found = attained([expiring, lasting], today=MAY_2)["M.05"]
    assert (found.since, found.evidence, found.valid_until) == (date(2025, 3, 1), expiring, None)


def test_equal_evidence_on_one_day_is_explained_by_the_lowest_id() -> None:
    found = attained([course(7, 3), course(5, 3)], today=MAY_2)["M.05"]
    assert found.evidence.id == 5


def test_lower_evidence_neither_changes_the_level_nor_its_expiry() -> None:
    found = attained([course(1, 3, expires=date(2027, 5, 2)), course(2, 1, date(2026, 4, 1))], today=MAY_2)[
        "M.05"
    ]
    assert (found.level, found.valid_until) == (3, date(2027, 5, 2))


def test_a_higher_level_implies_the_lower_ones_against_a_standard() -> None:
    found = attained([course(1, 4)], today=MAY_2)
    levels = {code: attainment.level for code, attainment in found.items()}
    assert gaps({"M.05": 2}, levels) == {}
    assert gaps({"M.05": 5}, levels) == {"M.05": 1}


def test_each_competency_is_attained_on_its_own() -> None:
    found = attained(
        [course(1, 2, code="M.05"), course(2, 3, code="M.03"), assessed(3, 1, code="SK.01")], today=MAY_2
    )
    assert {code: a.level for code, a in found.items()} == {"M.05": 2, "M.03": 3, "SK.01": 1}


def test_assessed_evidence_counts_like_a_course_and_never_expires() -> None:
    result = assessed(2, 4, date(2026, 3, 1), note="Assessment center BKD 2026")
    found = attained([course(1, 2, expires=date(2027, 1, 1)), result], today=MAY_2)["M.05"]
    assert (found.level, found.evidence, found.valid_until) == (4, result, None)


def test_withdrawn_evidence_does_not_count() -> None:
    kept = course(1, 2)
    found = attained([kept, course(2, 4, withdrawn=True)], today=MAY_2)["M.05"]
    assert (found.level, found.evidence) == (2, kept)
    assert attained([course(3, 4, withdrawn=True)], today=MAY_2) == {}


def test_explanation_names_the_course_and_its_version() -> None:
    found = attained([course(1, 3, title="Pelayanan Prima di Loket", version="v2")], today=date(2026, 6, 1))
    assert explanation(found["M.05"]) == "level 3 sejak 2026-05-02 dari kursus Pelayanan Prima di Loket v2"


def test_explanation_of_an_assessment_quotes_its_note() -> None:
    found = attained([assessed(1, 4, note="Assessment center BKD")], today=MAY_2)["M.05"]
    assert explanation(found) == "level 4 sejak 2026-05-02 dari asesmen: Assessment center BKD"
    bare = attained([assessed(1, 4)], today=MAY_2)["M.05"]
    assert explanation(bare) == "level 4 sejak 2026-05-02 dari asesmen"


def test_explanation_speaks_the_readers_language_through_the_gettext_given() -> None:
    msgid = "level %(level)d sejak %(since)s dari kursus %(course)s"
    english = {msgid: "level %(level)d since %(since)s from course %(course)s"}
    found = attained([course(1, 3, title="X")], today=MAY_2)["M.05"]
    text = explanation(
        found, gettext=lambda msgid: english.get(msgid, msgid), date_text=lambda day: day.strftime("%d/%m/%Y")
    )
    assert text == "level 3 since 02/05/2026 from course X v2"


@pytest.mark.parametrize(
    ("achieved_on", "years", "expected"),
    [
        (date(2026, 5, 2), 2, date(2028, 5, 2)),
        (date(2024, 2, 29), 1, date(2025, 3, 1)),
        (date(2024, 2, 29), 4, date(2028, 2, 29)),
        (date(2026, 12, 31), 1, date(2027, 12, 31)),
        (date(2026, 5, 2), None, None),
    ],
)
def test_expiry_is_whole_years_later_and_29_february_moves_to_1_march(
    achieved_on: date, years: int | None, expected: date | None
) -> None:
    assert expiry(achieved_on, years) == expected


def test_assessment_rules() -> None:
    assert assessment_problems(level=3, achieved_on=MAY_2, note="AC 2026", today=MAY_2) == []
    assert assessment_problems(level=6, achieved_on=date(2026, 5, 3), note=" ", today=MAY_2) == [
        AssessmentProblem.LEVEL,
        AssessmentProblem.FUTURE,
        AssessmentProblem.NOTE_MISSING,
    ]
    assert assessment_problems(level=0, achieved_on=MAY_2, note="x" * 1001, today=MAY_2) == [
        AssessmentProblem.LEVEL,
        AssessmentProblem.NOTE_TOO_LONG,
    ]
    assert assessment_problems(level=5, achieved_on=MAY_2, note="x" * 1000, today=MAY_2) == []
    assert problem_message(AssessmentProblem.NOTE_TOO_LONG) == "Catatan asesmen paling banyak 1000 karakter."
