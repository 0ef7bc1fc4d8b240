"""The one sanitiser policy: what authored HTML may contain, shared by the renderer and the validator."""

from __future__ import annotations

import html
import re

ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl",
        "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
        "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary",
        "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
    }
)  # fmt: skip
"""No script/style, no svg/math, no iframe/object/embed, no forms: nothing that runs, loads or submits."""

GLOBAL_ATTRIBUTES: frozenset[str] = frozenset({"id", "class", "title"})
TAG_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "ol": frozenset({"start"}),
    "td": frozenset({"align", "colspan", "rowspan"}),
    "th": frozenset({"align", "colspan", "rowspan"}),
    "abbr": frozenset(),
}
"""Per-tag extras; `rel` is not allowed from authors but added to every link after sanitising."""

ALLOWED_CLASSES: frozenset[str] = frozenset(
    {
        "admonition", "admonition-title", "note", "tip", "hint", "important", "warning", "caution", "danger",
        "attention", "error", "footnote", "footnote-ref", "footnote-backref", "toc", "figure", "wide",
        "center",
    }
)  # fmt: skip
"""Classes the extensions emit plus a few layout helpers; `language-*` (fenced code) is allowed separately."""

ALLOWED_PROTOCOLS: frozenset[str] = frozenset({"http", "https", "mailto", "tel"})

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_:.-]{0,79}")
_LANGUAGE_CLASS = re.compile(r"language-[a-z0-9_+-]{1,30}")
_DIMENSION = re.compile(r"[0-9]{1,4}%?")
_NUMBER = re.compile(r"[0-9]{1,4}")
_ALIGN = frozenset({"left", "center", "right"})
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def attribute_allowed(tag: str, name: str, value: str) -> bool:
    """Whether an attribute survives sanitising (URL schemes are checked separately by `url_allowed`)."""
    if name not in GLOBAL_ATTRIBUTES and name not in TAG_ATTRIBUTES.get(tag, frozenset()):
        return False
    if name == "id":
        return _ID.fullmatch(value) is not None
    if name == "class":
        return all(word in ALLOWED_CLASSES or _LANGUAGE_CLASS.fullmatch(word) for word in value.split())
    if name in ("width", "height"):
        return _DIMENSION.fullmatch(value) is not None
    if name in ("start", "colspan", "rowspan"):
        return _NUMBER.fullmatch(value) is not None
    if name == "align":
        return value in _ALIGN
    return True


def url_scheme(url: str) -> str | None:
    """The scheme a browser would see (entities decoded, invisible characters dropped, lower case)."""
    visible = _INVISIBLE.sub("", html.unescape(url)).lower()
    match = _SCHEME.match(visible)
    return match.group(1) if match else None


def url_allowed(url: str) -> bool:
    """Relative URLs and the few safe schemes only (no javascript:, data:, vbscript:, file:)."""
    scheme = url_scheme(url)
    return scheme is None or scheme in ALLOWED_PROTOCOLS
