"""The course engine and the competency dictionary stay free of Flask, so they run anywhere."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parents[3] / "elearn"
PURE_PACKAGES = ("courses", "competency")


def imported_modules(path: Path) -> set[str]:
    """Top-level names of every module a file imports."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_pure_packages_never_import_flask() -> None:
    files = [path for package in PURE_PACKAGES for path in (PACKAGE_ROOT / package).rglob("*.py")]
    assert len(files) > 10
    offenders = {
        f"{path.relative_to(PACKAGE_ROOT)}: {name}"
        for path in files
        for name in imported_modules(path)
        if name.split(".")[0]
        in ("flask", "flask_sqlalchemy", "flask_login", "flask_babel", "flask_wtf", "werkzeug")
    }
    assert offenders == set()


def test_pure_packages_import_only_pure_elearn_modules() -> None:
    files = [path for package in PURE_PACKAGES for path in (PACKAGE_ROOT / package).rglob("*.py")]
    elearn_imports = {name for path in files for name in imported_modules(path) if name.startswith("elearn.")}
    assert {name.split(".")[1] for name in elearn_imports} <= set(PURE_PACKAGES)
