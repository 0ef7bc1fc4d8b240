"""Attained competency levels from evidence (course completions and assessments); pure: no Flask, no database.

The rules, the same for the incremental upkeep and the full recompute (`elearn.services.competency_evidence`):
- evidence counts on `today` when it is not withdrawn, was achieved on or before `today` and has not expired
  (`expires_on` is the first day it no longer counts; None never expires);
- the attained level of a competency is the highest level among the evidence that counts; a higher level implies
  every lower one (level 3 meets a standard of 2), so nothing else is kept per level;
- it is explained by the evidence at that level achieved first (the lowest id among equals), `since` its date;
- `valid_until` is the first day the level may drop: None while some evidence at that level never expires, else
  the latest expiry among the evidence at that level.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

COURSE = "course"
ASSESSMENT = "assessment"
LEVELS = range(1, 6)
MAX_NOTE = 1000

Gettext = Callable[[str], str]


def _same(message: str) -> str:
    """No translation (the Indonesian msgid as is)."""
    return message


@dataclass(frozen=True)
class Evidence:
    """One proof of a level: a course completion (course title and version label) or an assessment (its note)."""

    id: int
    competency: str
    level: int
    achieved_on: date
    expires_on: date | None = None
    source: str = COURSE
    course_title: str = ""
    version_label: str = ""
    note: str = ""
    withdrawn: bool = False

    def counts_on(self, today: date) -> bool:
        """Whether this evidence is valid on `today`."""
        return (
            not self.withdrawn
            and self.achieved_on <= today
            and (self.expires_on is None or self.expires_on > today)
        )


@dataclass(frozen=True)
class Attainment:
    """A competency's attained level on a day, with the evidence that explains it and when it may drop."""

    competency: str
    level: int
    since: date
    evidence: Evidence
    valid_until: date | None


def attained(evidence: Iterable[Evidence], *, today: date) -> dict[str, Attainment]:
    """The attained level of every competency some evidence valid on `today` proves, by competency code."""
    valid: dict[str, list[Evidence]] = {}
    for item in evidence:
        if item.counts_on(today):
            valid.setdefault(item.competency, []).append(item)
    found: dict[str, Attainment] = {}
    for code, items in valid.items():
        level = max(item.level for item in items)
        at_level = [item for item in items if item.level == level]
        first = min(at_level, key=lambda item: (item.achieved_on, item.id))
        expiries = [item.expires_on for item in at_level]
        until = None if None in expiries else max(day for day in expiries if day is not None)
        found[code] = Attainment(
            competency=code, level=level, since=first.achieved_on, evidence=first, valid_until=until
        )
    return found


def explanation(
    attainment: Attainment, *, gettext: Gettext = _same, date_text: Callable[[date], str] = date.isoformat
) -> str:
    """Why the level holds, e.g. "level 3 sejak 2026-05-02 dari kursus X v2"; pass the reader's `gettext` and
    date format (the msgids are Indonesian)."""
    evidence = attainment.evidence
    values = {"level": attainment.level, "since": date_text(attainment.since)}
    if evidence.source == ASSESSMENT:
        if evidence.note:
            return gettext("level %(level)d sejak %(since)s dari asesmen: %(note)s") % {
                **values,
                "note": evidence.note,
            }
        return gettext("level %(level)d sejak %(since)s dari asesmen") % values
    course = f"{evidence.course_title} {evidence.version_label}".strip()
    return gettext("level %(level)d sejak %(since)s dari kursus %(course)s") % {**values, "course": course}


def expiry(achieved_on: date, valid_years: int | None) -> date | None:
    """The first day evidence achieved on `achieved_on` no longer counts: `valid_years` years later (29 February
    goes to 1 March when the year has none); None when it never expires."""
    if valid_years is None:
        return None
    year = achieved_on.year + valid_years
    try:
        return achieved_on.replace(year=year)
    except ValueError:  # 29 February in a year without one
        return date(year, 3, 1)


class AssessmentProblem(enum.StrEnum):
    """Why an assessment cannot be recorded as given."""

    LEVEL = "level"
    FUTURE = "future"
    NOTE_MISSING = "note_missing"
    NOTE_TOO_LONG = "note_too_long"


def assessment_problems(*, level: int, achieved_on: date, note: str, today: date) -> list[AssessmentProblem]:
    """Every rule an assessment breaks: level 1-5, achieved on or before `today`, a note of at most 1,000
    characters."""
    problems = []
    if level not in LEVELS:
        problems.append(AssessmentProblem.LEVEL)
    if achieved_on > today:
        problems.append(AssessmentProblem.FUTURE)
    if not note.strip():
        problems.append(AssessmentProblem.NOTE_MISSING)
    elif len(note) > MAX_NOTE:
        problems.append(AssessmentProblem.NOTE_TOO_LONG)
    return problems


def problem_message(problem: AssessmentProblem, *, gettext: Gettext = _same) -> str:
    """The problem in words, in the language of `gettext`."""
    if problem is AssessmentProblem.LEVEL:
        return gettext("Level harus antara 1 dan 5.")
    if problem is AssessmentProblem.FUTURE:
        return gettext("Tanggal asesmen tidak boleh di masa depan.")
    if problem is AssessmentProblem.NOTE_MISSING:
        return gettext("Tulis catatan asesmen (misalnya hasil dan lembaga asesmen).")
    return gettext("Catatan asesmen paling banyak %(max)d karakter.") % {"max": MAX_NOTE}
