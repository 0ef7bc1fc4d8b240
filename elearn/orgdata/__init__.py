"""Reading organisation import files (CSV): pure, no Flask and no database; see docs/import.md."""

from elearn.orgdata.parse import ParsedFile, parse_file
from elearn.orgdata.problems import Problem, display_value
from elearn.orgdata.progress import NO_PROGRESS, Progress, Stage
from elearn.orgdata.records import (
    FILE_KINDS,
    MentorshipRecord,
    PersonRecord,
    PositionRecord,
    Record,
    UnitRecord,
)
from elearn.orgdata.table import Limits

__all__ = [
    "FILE_KINDS",
    "Limits",
    "NO_PROGRESS",
    "MentorshipRecord",
    "ParsedFile",
    "PersonRecord",
    "PositionRecord",
    "Problem",
    "Progress",
    "Record",
    "Stage",
    "UnitRecord",
    "display_value",
    "parse_file",
]
