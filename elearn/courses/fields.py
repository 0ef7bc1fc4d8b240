"""Typed reading of front-matter values that reports every wrong, missing or unknown key at its position."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from elearn.courses.frontmatter import FrontMatter, Path_
from elearn.courses.problems import ProblemLog


def did_you_mean(word: str, candidates: Collection[str]) -> str:
    """A ' (maksud Anda: x?)' hint for a misspelt name, or '' when nothing is close."""
    close = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=0.6)
    return f" (maksud Anda: '{close[0]}'?)" if close else ""


class FieldReader:
    """Reads one mapping of the front matter; each getter reports its own problem and returns a fallback."""

    def __init__(self, front: FrontMatter, log: ProblemLog, path: Path_ = (), data: object = None) -> None:
        self.front = front
        self.log = log
        self.path = path
        self.data: Mapping[Any, object] = data if isinstance(data, Mapping) else front.data

    def problem(self, key: str | int | None, message: str) -> None:
        """Report an error at the value under `key` (or at this mapping itself)."""
        line, column = self.front.position(self.path if key is None else (*self.path, key))
        self.log.error(line, column, message)

    def warn(self, key: str | int | None, message: str) -> None:
        """Report a warning at the value under `key` (or at this mapping itself)."""
        line, column = self.front.position(self.path if key is None else (*self.path, key))
        self.log.warning(line, column, message)

    def check_keys(self, *, allowed: Collection[str], required: Collection[str], where: str) -> None:
        """Report unknown keys (with a suggestion) and missing required ones."""
        for key in self.data:
            if key not in allowed:
                line, column = self.front.key_position((*self.path, str(key)))
                self.log.error(
                    line, column, f"kunci '{key}' tidak dikenal di {where}{did_you_mean(str(key), allowed)}"
                )
        for key in required:
            if key not in self.data:
                line, column = self.front.position(self.path)
                self.log.error(line, column, f"kunci wajib '{key}' tidak ada di {where}")

    def has(self, key: str) -> bool:
        """Whether the author wrote this key at all."""
        return key in self.data

    def text(self, key: str, default: str = "") -> str:
        """A non-empty text value."""
        value = self.data.get(key)
        if value is None:
            return default
        if not isinstance(value, str) or not value.strip():
            self.problem(key, f"'{key}' harus berupa teks yang tidak kosong (beri tanda kutip bila perlu)")
            return default
        return value.strip()

    def choice(self, key: str, options: Collection[str], default: str) -> str:
        """One of a fixed set of words."""
        value = self.data.get(key)
        if value is None:
            return default
        if not isinstance(value, str) or value not in options:
            allowed = ", ".join(options)
            self.problem(key, f"'{key}' harus salah satu dari: {allowed}{did_you_mean(str(value), options)}")
            return default
        return value

    def boolean(self, key: str, default: bool) -> bool:
        """true or false."""
        value = self.data.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.problem(key, f"'{key}' harus true atau false")
            return default
        return value

    def integer(
        self, key: str, default: int | None, *, minimum: int = 0, maximum: int | None = None
    ) -> int | None:
        """A whole number within bounds."""
        value = self.data.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(key, f"'{key}' harus bilangan bulat")
            return default
        if value < minimum or (maximum is not None and value > maximum):
            upper = f" sampai {maximum}" if maximum is not None else " atau lebih"
            self.problem(key, f"'{key}' harus {minimum}{upper}, bukan {value}")
            return default
        return value

    def decimal(self, key: str, default: Decimal) -> Decimal:
        """A non-negative number kept exact (JP may be fractional, e.g. 1.5)."""
        value = self.data.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(key, f"'{key}' harus berupa angka")
            return default
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            number = Decimal(-1)
        if not number.is_finite() or number < 0:
            self.problem(key, f"'{key}' harus angka 0 atau lebih")
            return default
        return number

    def text_list(self, key: str) -> tuple[str, ...]:
        """A list of non-empty texts (a single text is not accepted, to keep the format unambiguous)."""
        value = self.data.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem(key, f"'{key}' harus berupa daftar, misalnya [a, b]")
            return ()
        items = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                line, column = self.front.position((*self.path, key, index))
                self.log.error(line, column, f"isi '{key}' harus berupa teks")
            else:
                items.append(item.strip())
        return tuple(items)

    def mapping(self, key: str | int) -> FieldReader | None:
        """A reader for a nested mapping, or None (reported) when the value is something else."""
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, Mapping):
            self.problem(key, f"'{key}' harus berupa pasangan kunci: nilai")
            return None
        return FieldReader(self.front, self.log, (*self.path, key), value)

    def mapping_list(self, key: str) -> list[FieldReader]:
        """Readers for a list of mappings; wrong items are reported and skipped."""
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(key, f"'{key}' harus berupa daftar")
            return []
        readers = []
        for index, item in enumerate(value):
            if isinstance(item, Mapping):
                readers.append(FieldReader(self.front, self.log, (*self.path, key, index), item))
            else:
                line, column = self.front.position((*self.path, key, index))
                self.log.error(line, column, f"isi '{key}' harus berupa pasangan kunci: nilai")
        return readers
