"""Author text of a GIFT question (``[moodle]``, ``[html]``, ``[plain]`` or ``[markdown]``) as course Markdown.

Text marked ``[plain]``, and unmarked text that is not HTML, stays literal (``<daftar>`` is shown as written);
HTML keeps its simple inline markup and becomes paragraphs; Markdown stays Markdown. Links with a safe scheme
are kept; other links (Moodle's ``@@PLUGINFILE@@``, relative paths) and media are dropped, each named in a note
so the author can put the file under ``assets/``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from enum import StrEnum
from html.parser import HTMLParser

from elearn.courses.allowlist import ALLOWED_PROTOCOLS, url_scheme

GAP = "\ue0ff"
"""Stands for the blank of a missing-word question while its text is read."""


class Format(StrEnum):
    MOODLE = "moodle"
    HTML = "html"
    PLAIN = "plain"
    MARKDOWN = "markdown"


@dataclass(frozen=True)
class Text:
    """Author text in the format GIFT declared for it (``[html]``, ``[markdown]``, ...)."""

    body: str
    format: Format

    def is_html(self) -> bool:
        """HTML is ``[html]``, or unmarked (Moodle auto-format) text that holds an HTML tag or entity."""
        return self.format is Format.HTML or (self.format is Format.MOODLE and _looks_like_html(self.body))

    def plain(self) -> str:
        """The text without markup, on one line (for labels and ids)."""
        body = self.body.replace(GAP, "_____")
        if self.is_html():
            body = html.unescape(re.sub(r"<[^>]*>", "", body))
        return " ".join(body.split())


_HTML_TAGS = (
    "a|abbr|b|big|blockquote|br|caption|center|cite|code|dd|del|div|dl|dt|em|embed|figcaption|figure|font|h[1-6]|"
    "hr|i|iframe|img|ins|kbd|li|mark|object|ol|p|pre|q|s|samp|small|source|span|strike|strong|sub|sup|table|"
    "tbody|td|tfoot|th|thead|tr|tt|u|ul|video|audio"
)
_HTML_TAG = re.compile(rf"</?(?:{_HTML_TAGS})(?:\s[^<>]*)?/?>", re.IGNORECASE)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _looks_like_html(body: str) -> bool:
    """Whether unmarked text uses HTML (a known tag or a character entity) rather than mentioning `<` and `>`."""
    return bool(_HTML_TAG.search(body) or _ENTITY.search(body))


# A Markdown paragraph that is more than soft-wrapped text: it cannot be folded into the heading line.
MARKDOWN_BLOCK = re.compile(r"^(?:[-*+>|#]|\d+[.)]\s|```|~~~)", re.MULTILINE)
_INLINE_SPECIAL = re.compile(r"([\\`*_{}\[\]#])")
_BLOCK_MARKER = re.compile(r"^(\d*)([-+>!]|(?<=\d)\.)")
# Characters that open a Markdown block at the start of a line but have no backslash escape.
_FIRST_CHAR_ENTITY = {"=": "&#61;", ":": "&#58;", "~": "&#126;"}
_INLINE_TAGS = frozenset({"b", "strong", "i", "em", "u", "s", "sub", "sup", "code"})
_BREAK_TAGS = frozenset(
    {"br", "p", "div", "li", "tr", "blockquote", "pre", *(f"h{level}" for level in range(1, 7))}
)
_MEDIA_TAGS = frozenset({"img", "video", "audio", "iframe", "object", "embed", "source"})
_ESCAPED_GAP = r"\_" * 5
_MARKDOWN_LINK = re.compile(
    r"(?P<image>!?)\[(?P<text>[^\[\]\n]*)\]\((?P<url><[^<>\n]*>|[^\s()]+)(?:\s+\"[^\"\n]*\")?\)"
)


def paragraphs(text: Text, notes: list[str]) -> list[str]:
    """Turn author text into Markdown paragraphs that read as the text the author wrote."""
    if text.format is Format.MARKDOWN:
        body = _MARKDOWN_LINK.sub(lambda match: _markdown_link(match, notes), text.body)
        found = [part.strip() for part in re.split(r"\n\s*\n", body)]
    elif not text.is_html():
        found = [escape_line(line) for line in text.body.splitlines()]
    else:
        reader = _HtmlToMarkdown(newline_breaks=text.format is Format.MOODLE)
        reader.feed(text.body)
        reader.close()
        notes.extend(reader.notes)
        found = reader.paragraphs()
    return [paragraph.replace(GAP, _ESCAPED_GAP) for paragraph in found if paragraph.strip()]


def inline(text: Text, notes: list[str]) -> str:
    """Author text on one line (an option, a matching item)."""
    return " ".join(" ".join(paragraphs(text, notes)).split())


def quote(lines_of: list[str], *, indent: str = "", lead: str = "") -> str:
    """Paragraphs as a blockquote (feedback under an answer, or the explanation)."""
    lines = (lead + "\n\n".join(lines_of)).split("\n")
    return "\n".join(f"{indent}> {line}" if line else f"{indent}>" for line in lines)


def escape_line(line: str) -> str:
    """Escape one line of plain text so Markdown shows it literally."""
    return _escape_line_start(_escape_inline(" ".join(line.split())))


def _escape_inline(text: str) -> str:
    return _INLINE_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def _escape_line_start(line: str) -> str:
    """Neutralise a Markdown block marker (list, quote, admonition, ...) opening an inline-escaped line."""
    if line[:1] in _FIRST_CHAR_ENTITY:
        return _FIRST_CHAR_ENTITY[line[0]] + line[1:]
    return _BLOCK_MARKER.sub(r"\1\\\2", line, count=1)


def _safe_url(url: str) -> bool:
    """Links the course format keeps: an allowed scheme, nothing that breaks out of `<...>`."""
    return url_scheme(url) in ALLOWED_PROTOCOLS and not re.search(r"[\s<>]", url)


def _markdown_link(match: re.Match[str], notes: list[str]) -> str:
    """Keep a Markdown link or image with a safe URL; otherwise drop it (a link keeps its text) with a note."""
    url = match.group("url").strip("<>")
    if _safe_url(url):
        return match.group(0)
    if match.group("image"):
        notes.append(f"gambar dihapus: {url}")
        return ""
    notes.append(f"tautan dihapus (teksnya tetap): {url}")
    return match.group("text")


class _HtmlToMarkdown(HTMLParser):
    """Keep simple inline HTML (sanitised later anyway) and safe links, escape the text around them, make blocks
    paragraphs; note every link and medium that is dropped."""

    def __init__(self, *, newline_breaks: bool) -> None:
        super().__init__(convert_charrefs=True)
        self._newline_breaks = newline_breaks
        self._lines: list[list[str]] = [[]]
        self._links: list[str | None] = []
        self.notes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in _BREAK_TAGS:
            self._lines.append([])
        elif tag in _MEDIA_TAGS:
            source = attributes.get("src") or attributes.get("data") or ""
            self.notes.append(f"media HTML dihapus: <{tag}> {source}".rstrip())
        elif tag in _INLINE_TAGS:
            self._lines[-1].append(f"<{tag}>")
        elif tag == "a":
            href = (attributes.get("href") or "").strip()
            if href and _safe_url(href):
                self._lines[-1].append("[")
                self._links.append(href)
            else:
                if href:
                    self.notes.append(f"tautan dihapus (teksnya tetap): {href}")
                self._links.append(None)

    def handle_endtag(self, tag: str) -> None:
        if tag in _BREAK_TAGS:
            self._lines.append([])
        elif tag in _INLINE_TAGS:
            self._lines[-1].append(f"</{tag}>")
        elif tag == "a" and self._links:
            href = self._links.pop()
            if href is not None:
                self._lines[-1].append(f"](<{href}>)")

    def handle_data(self, data: str) -> None:
        chunks = data.split("\n") if self._newline_breaks else [data]
        for index, chunk in enumerate(chunks):
            if index:
                self._lines.append([])
            self._lines[-1].append(_escape_inline(chunk))

    def paragraphs(self) -> list[str]:
        lines = (" ".join("".join(parts).split()) for parts in self._lines)
        return [_escape_line_start(line) for line in lines if line]
