"""What the wheel ships is declared in pyproject.toml: every package of elearn, and the translations compiled."""

from __future__ import annotations

import tomllib
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

PROJECT_DIR = Path(__file__).resolve().parents[2]
PACKAGE_DIR = PROJECT_DIR / "elearn"


def _declared_packages() -> set[str]:
    config = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text(encoding="utf-8"))
    return set(config["tool"]["setuptools"]["packages"])


def test_every_package_of_elearn_is_declared_for_the_wheel() -> None:
    found = {
        ".".join(init.parent.relative_to(PROJECT_DIR).parts) for init in PACKAGE_DIR.rglob("__init__.py")
    }
    assert found
    assert found | {"elearn.static", "elearn.migrations"} == _declared_packages()


def test_compiled_translations_match_their_catalogues() -> None:
    """The .mo files ship in the wheel; after editing a .po, run `make translations` and commit both."""
    catalogues = sorted((PACKAGE_DIR / "translations").glob("*/LC_MESSAGES/messages.po"))
    assert {path.parts[-3] for path in catalogues} == {"id", "en"}

    def entries(messages) -> dict[object, object]:  # noqa: ANN001
        return {
            _plain(m.id): _plain(m.string) for m in messages if m.id and not m.fuzzy and any(_plain(m.string))
        }

    for po_path in catalogues:
        with po_path.open("rb") as po_file:
            source = entries(read_po(po_file))
        with po_path.with_suffix(".mo").open("rb") as mo_file:
            compiled = entries(read_mo(mo_file))
        assert compiled == source, po_path


def _plain(text: object) -> tuple[str, ...]:
    """A message id or string as a tuple (plural forms are lists or tuples, depending on the reader)."""
    return tuple(text) if isinstance(text, list | tuple) else (str(text),)
