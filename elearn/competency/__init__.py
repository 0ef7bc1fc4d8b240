"""Competency definitions and attained levels from evidence (pure: no Flask, no database)."""

from elearn.competency.dictionary import (
    CompetencyDefinition,
    CompetencyKind,
    CompetencyLevel,
    default_dictionary_path,
    load_dictionary,
)
from elearn.competency.evidence import (
    AssessmentProblem,
    Attainment,
    Evidence,
    assessment_problems,
    attained,
    expiry,
    explanation,
    problem_message,
)

__all__ = [
    "AssessmentProblem",
    "Attainment",
    "CompetencyDefinition",
    "CompetencyKind",
    "CompetencyLevel",
    "Evidence",
    "assessment_problems",
    "attained",
    "default_dictionary_path",
    "expiry",
    "explanation",
    "load_dictionary",
    "problem_message",
]
