"""Markdown to safe HTML in-process, with no time limit: only the render worker calls this (see render.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import bleach
import markdown
from bleach.html5lib_shim import Filter  # type: ignore[attr-defined]  # html5lib's Filter; not in bleach's stubs

from elearn.courses.allowlist import ALLOWED_PROTOCOLS, ALLOWED_TAGS, attribute_allowed

MODULE_LINK = re.compile(r"(?P<key>[0-9]{2}-[a-z0-9]+(?:-[a-z0-9]+)*)\.md(?P<fragment>#.*)?")
"""A relative link to a sibling module file; the web layer serves modules at their key (file stem)."""

_EXTENSIONS = ["tables", "fenced_code", "admonition", "footnotes", "toc", "attr_list", "sane_lists"]
_EXTENSION_CONFIG: dict[str, dict[str, Any]] = {
    "tables": {"use_align_attribute": True},
    "footnotes": {"BACKLINK_TITLE": "Kembali ke catatan kaki %d dalam teks"},
}
_HREF = (None, "href")
_REL = (None, "rel")


class _LinkFilter(Filter):  # type: ignore[misc]  # html5lib's Filter is untyped
    """Runs after sanitising: points module links at module keys and marks every link noopener noreferrer."""

    def __iter__(self) -> Iterator[dict[str, object]]:
        for token in super().__iter__():
            if token["type"] in ("StartTag", "EmptyTag") and token["name"] == "a":
                attributes = dict(token["data"])
                href = attributes.get(_HREF)
                if href:
                    attributes[_HREF] = module_href(href)
                attributes[_REL] = "noopener noreferrer"
                token = {**token, "data": attributes}
            yield token


def module_href(href: str) -> str:
    """`03-kuis.md#soal` -> `03-kuis#soal`; anything else unchanged (assets stay `assets/x.png`)."""
    match = MODULE_LINK.fullmatch(href)
    return match.group("key") + (match.group("fragment") or "") if match else href


def _allow(tag: str, name: str, value: str) -> bool:
    """Bleach's attribute hook, delegating to the shared policy."""
    return attribute_allowed(tag, name, value)


_converter = markdown.Markdown(extensions=_EXTENSIONS, extension_configs=_EXTENSION_CONFIG)
_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_allow,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[_LinkFilter],
)


def convert(text: str) -> str:
    """Render authored Markdown and sanitise the result with the allowlist; deterministic for equal input."""
    _converter.reset()
    return _cleaner.clean(_converter.convert(text)).strip()
