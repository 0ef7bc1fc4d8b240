"""Which addresses elearn sends a person on to (after login, a language switch, an error): local paths only."""

from __future__ import annotations

from urllib.parse import urlsplit


def is_local_path(target: str) -> bool:
    """A path on this site and nothing a browser could read as another host.

    Browsers drop tabs and line breaks from URLs and read a backslash as a slash, so "/<tab>/evil" and
    "/<backslash>evil" both mean "//evil": any whitespace, control character or backslash is refused outright.
    """
    if "\\" in target or any(char.isspace() or not char.isprintable() for char in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//")
