"""Shared paths and helpers for the course-engine tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from elearn.competency import load_dictionary
from elearn.courses import CourseLoad, load_course

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
OK_COURSE = FIXTURES / "courses_ok" / "kursus-contoh"
BROKEN = FIXTURES / "courses_broken" / "single"
BROKEN_TREE = FIXTURES / "courses_broken" / "tree"
KNOWN = frozenset(load_dictionary())


def load_broken(name: str) -> CourseLoad:
    """Load one broken fixture course against the packaged dictionary."""
    return load_course(BROKEN / name, known_competencies=KNOWN)


@pytest.fixture
def course_copy(tmp_path: Path) -> Path:
    """A writable copy of the valid fixture course, for tests that break one thing."""
    target = tmp_path / "kursus-contoh"
    shutil.copytree(OK_COURSE, target)
    return target
