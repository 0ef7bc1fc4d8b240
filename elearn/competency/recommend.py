"""Which courses close a person's competency gaps, in the order to take them; pure.

A course is recommended when it proves a competency that is below standard at (at least) the required level and the
person has not completed it. Courses closing more levels of gap come first, then the shorter (fewer JP), then by
title; each course's prerequisites that the person still lacks come right before it, so the list reads as a plan.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class CourseOffer:
    """A published course as recommendations see it: what it proves and what it needs first."""

    slug: str
    title: str
    jp: Decimal
    proves: Mapping[str, int]
    prerequisites: tuple[str, ...] = ()


@dataclass(frozen=True)
class Recommendation:
    """A course to take: the gaps it closes (competency code and the level it proves), or, for a prerequisite, the
    recommended course it opens (`opens`)."""

    offer: CourseOffer
    closes: tuple[tuple[str, int], ...]
    opens: str | None = None


def recommend(
    required: Mapping[str, int],
    attained: Mapping[str, int],
    offers: Sequence[CourseOffer],
    *,
    completed: Collection[str] = (),
    limit: int | None = None,
) -> list[Recommendation]:
    """Courses (at most `limit` that close gaps, each preceded by its missing prerequisites) for the competencies
    where `attained` (missing is 0) is below `required`."""
    by_slug = {offer.slug: offer for offer in offers}
    done = set(completed)
    ranked: list[tuple[int, Decimal, str, Recommendation]] = []
    for offer in offers:
        if offer.slug in done:
            continue
        closes = tuple(
            (code, level)
            for code, level in sorted(offer.proves.items())
            if code in required and attained.get(code, 0) < required[code] <= level
        )
        if closes:
            closed_levels = sum(required[code] - attained.get(code, 0) for code, _level in closes)
            ranked.append((-closed_levels, offer.jp, offer.title, Recommendation(offer, closes)))
    ranked.sort(key=lambda entry: entry[:3])
    chosen = [entry[3] for entry in ranked][:limit]
    planned: list[Recommendation] = []
    placed: set[str] = set()
    for recommendation in chosen:
        for slug in _missing_prerequisites(recommendation.offer, by_slug, done):
            if slug not in placed:
                planned.append(Recommendation(by_slug[slug], (), opens=recommendation.offer.slug))
                placed.add(slug)
        if recommendation.offer.slug not in placed:
            planned.append(recommendation)
            placed.add(recommendation.offer.slug)
    return planned


def _missing_prerequisites(
    offer: CourseOffer, by_slug: Mapping[str, CourseOffer], done: set[str]
) -> list[str]:
    """The offered prerequisites of `offer` not yet completed, deepest first (each before what needs it)."""
    ordered: list[str] = []
    visiting = {offer.slug}

    def visit(slug: str) -> None:
        if slug in visiting or slug in ordered or slug in done or slug not in by_slug:
            return
        visiting.add(slug)
        for needed in by_slug[slug].prerequisites:
            visit(needed)
        visiting.discard(slug)
        ordered.append(slug)

    for needed in offer.prerequisites:
        visit(needed)
    return ordered
