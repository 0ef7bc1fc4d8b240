"""Pure loader of competency definitions: the packaged ASN dictionary, and technical ones from courses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Literal

import yaml

CompetencyKind = Literal["managerial", "socio_cultural", "technical"]

LEVELS = range(1, 6)
_KIND_BY_JENIS: dict[str, CompetencyKind] = {
    "manajerial": "managerial",
    "sosial_kultural": "socio_cultural",
    "teknis": "technical",
}


@dataclass(frozen=True)
class CompetencyLevel:
    """What one proficiency level (1-5) of a competency means, so evidence can be judged against it."""

    level: int
    description: str
    indicators: tuple[str, ...] = ()
    description_en: str = ""


@dataclass(frozen=True)
class CompetencyDefinition:
    """One competency with its levels; `levels` is keyed by level number 1..5 (not a position)."""

    code: str
    kind: CompetencyKind
    name: str
    name_en: str
    definition: str
    levels: Mapping[int, CompetencyLevel] = field(hash=False)


def default_dictionary_path() -> Path:
    """The packaged dictionary (PermenPAN-RB 38/2017), so callers need no configuration."""
    return Path(str(files("elearn") / "data" / "competencies" / "kamus-manajerial-sosiokultural.yml"))


def load_dictionary(path: Path | None = None) -> dict[str, CompetencyDefinition]:
    """Read the competency dictionary YAML into definitions keyed by code."""
    source = path or default_dictionary_path()
    document = yaml.safe_load(source.read_text(encoding="utf-8"))
    return {entry["code"]: _definition(entry) for entry in document["competencies"]}


def _indicators(raw: object) -> tuple[str, ...]:
    """A level's behavioural indicators (a YAML list of texts), or none."""
    return tuple(str(item) for item in raw) if isinstance(raw, list | tuple) else ()


def _definition(entry: Mapping[str, object]) -> CompetencyDefinition:
    """Translate one dictionary entry (Indonesian keys) into a definition."""
    levels: Mapping[int, Mapping[str, object]] = entry["levels"]  # type: ignore[assignment]  # the YAML's shape, checked by the dictionary's tests
    return CompetencyDefinition(
        code=str(entry["code"]),
        kind=_KIND_BY_JENIS[str(entry["jenis"])],
        name=str(entry["nama"]),
        name_en=str(entry.get("gloss_en", "")),
        definition=" ".join(str(entry["definisi"]).split()),
        levels={
            int(number): CompetencyLevel(
                level=int(number),
                description=str(level["deskripsi"]),
                indicators=_indicators(level.get("indikator")),
                description_en=str(level.get("gloss_en", "")),
            )
            for number, level in levels.items()
        },
    )
