"""Recommendations on hand-made cases: which courses close a gap, in which order, prerequisites first."""

from __future__ import annotations

from decimal import Decimal

from elearn.competency.recommend import CourseOffer, recommend


def offer(slug: str, jp: str = "2", prerequisites: tuple[str, ...] = (), **proves: int) -> CourseOffer:
    return CourseOffer(
        slug=slug, title=slug.title(), jp=Decimal(jp), proves=proves, prerequisites=prerequisites
    )


def slugs(found: list) -> list[str]:
    return [recommendation.offer.slug for recommendation in found]


def test_only_courses_proving_the_required_level_of_a_gap_are_recommended() -> None:
    offers = [
        offer("too-low", M1=2),
        offer("enough", M1=3),
        offer("above", M1=4),
        offer("no-gap", M2=5),
        offer("not-in-standard", T9=5),
    ]
    found = recommend({"M1": 3, "M2": 2}, {"M1": 1, "M2": 2}, offers)
    assert slugs(found) == ["above", "enough"]
    assert found[0].closes == (("M1", 4),)


def test_more_gap_closed_first_then_fewer_jp_then_title() -> None:
    offers = [
        offer("b-long", jp="10", M1=3),
        offer("a-long", jp="10", M1=3),
        offer("short", jp="1", M1=3),
        offer("both", jp="20", M1=3, M2=3),
    ]
    found = recommend({"M1": 3, "M2": 3}, {"M1": 1}, offers)
    assert slugs(found) == ["both", "short", "a-long", "b-long"]


def test_completed_courses_are_left_out() -> None:
    found = recommend({"M1": 3}, {}, [offer("done", M1=3), offer("open", M1=3)], completed={"done"})
    assert slugs(found) == ["open"]


def test_missing_prerequisites_come_first_deepest_first_and_once() -> None:
    offers = [
        offer("advanced", prerequisites=("intermediate",), M1=4),
        offer("intermediate", prerequisites=("basics",), T1=1),
        offer("basics"),
        offer("other", prerequisites=("basics",), jp="3", M2=2),
    ]
    found = recommend({"M1": 4, "M2": 2}, {}, offers)
    assert slugs(found) == ["basics", "intermediate", "advanced", "other"]
    assert found[0].opens == "advanced" and found[0].closes == ()
    assert found[2].opens is None


def test_completed_or_unpublished_prerequisites_are_skipped_and_cycles_end() -> None:
    offers = [offer("a", prerequisites=("b", "gone"), M1=3), offer("b", prerequisites=("a",))]
    assert slugs(recommend({"M1": 3}, {}, offers, completed={"b"})) == ["a"]
    assert slugs(recommend({"M1": 3}, {}, offers)) == ["b", "a"]


def test_limit_counts_gap_closing_courses_not_their_prerequisites() -> None:
    offers = [offer("x", prerequisites=("p",), M1=3), offer("y", jp="5", M1=3), offer("p")]
    assert slugs(recommend({"M1": 3}, {}, offers, limit=1)) == ["p", "x"]
    assert recommend({"M1": 3}, {}, offers, limit=0) == []


def test_nothing_to_recommend_without_gaps() -> None:
    assert recommend({"M1": 3}, {"M1": 5}, [offer("x", M1=5)]) == []
