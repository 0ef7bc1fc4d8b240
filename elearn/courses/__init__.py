"""The pure Markdown course engine: load, check and render course folders (never imports Flask)."""

from elearn.courses.hashing import course_source_hash
from elearn.courses.loader import load_course
from elearn.courses.model import (
    Asset,
    CompletionRule,
    Course,
    CourseLoad,
    MatchPair,
    Module,
    ModuleHeader,
    NumericAnswer,
    Option,
    Question,
    QuizSettings,
    TextAnswer,
)
from elearn.courses.problems import Problem, format_problems
from elearn.courses.tree import check_tree, cross_course_problems, read_headers

__all__ = [
    "Asset",
    "CompletionRule",
    "Course",
    "CourseLoad",
    "MatchPair",
    "Module",
    "ModuleHeader",
    "NumericAnswer",
    "Option",
    "Problem",
    "Question",
    "QuizSettings",
    "TextAnswer",
    "check_tree",
    "course_source_hash",
    "cross_course_problems",
    "format_problems",
    "load_course",
    "read_headers",
]
