"""The pure core (course engine, quizzes, competencies, CSV reading, NIP rules) stays free of Flask and of
SQLAlchemy, so it runs anywhere and is tested without an app or a database."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parents[3] / "elearn"
PURE_PACKAGES = ("courses", "quizzes", "competency", "orgdata", "people", "ledger", "certificates")
PURE_MODULES = ("clock",)
FORBIDDEN = (
    "flask", "flask_sqlalchemy", "flask_login", "flask_babel", "flask_wtf", "flask_migrate", "werkzeug",
    "sqlalchemy", "alembic",
)  # fmt: skip


def imported_modules(path: Path) -> set[str]:
    """Top-level names of every module a file imports."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def pure_files() -> list[Path]:
    """Every source file of the pure core."""
    files = [path for package in PURE_PACKAGES for path in (PACKAGE_ROOT / package).rglob("*.py")]
    return files + [PACKAGE_ROOT / f"{module}.py" for module in PURE_MODULES]


def test_every_pure_package_is_checked() -> None:
    files = pure_files()
    for package in PURE_PACKAGES:
        assert (PACKAGE_ROOT / package / "__init__.py") in files
    assert len(files) > 25


def test_pure_core_never_imports_flask_or_sqlalchemy() -> None:
    offenders = {
        f"{path.relative_to(PACKAGE_ROOT)}: {name}"
        for path in pure_files()
        for name in imported_modules(path)
        if name.split(".")[0] in FORBIDDEN
    }
    assert offenders == set()


def test_pure_core_imports_only_pure_elearn_modules() -> None:
    elearn_imports = {
        name for path in pure_files() for name in imported_modules(path) if name.startswith("elearn.")
    }
    assert {name.split(".")[1] for name in elearn_imports} <= set(PURE_PACKAGES + PURE_MODULES)
