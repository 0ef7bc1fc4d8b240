"""Competency definitions (pure: no Flask, no database)."""

from elearn.competency.dictionary import (
    CompetencyDefinition,
    CompetencyKind,
    CompetencyLevel,
    default_dictionary_path,
    load_dictionary,
)

__all__ = [
    "CompetencyDefinition",
    "CompetencyKind",
    "CompetencyLevel",
    "default_dictionary_path",
    "load_dictionary",
]
