"""Cheap line-based scans of authored Markdown: shapes that would hang the renderer, links, and markup the
sanitiser would strip, each reported at its line and column (the sanitiser is the security boundary)."""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Collection
from dataclasses import dataclass

from elearn.courses.allowlist import (
    ALLOWED_CLASSES,
    ALLOWED_PROTOCOLS,
    ALLOWED_TAGS,
    GLOBAL_ATTRIBUTES,
    TAG_ATTRIBUTES,
    attribute_allowed,
    url_scheme,
)
from elearn.courses.pipeline import MODULE_LINK
from elearn.courses.problems import ProblemLog

MAX_BRACKETS_PER_BLOCK = 500
MAX_INDENT_COLUMNS = 64
MAX_QUOTE_DEPTH = 16

_DEEP_QUOTE = re.compile(rf"[ \t]*(?:>[ \t]*){{{MAX_QUOTE_DEPTH + 1}}}")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
_INLINE_LINK = re.compile(r"(!?)\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]\(\s*(<[^>\n]*>|[^\s)]+)")
_REFERENCE = re.compile(r"^ {0,3}\[(?!\^)[^\]]+\]:\s*(<[^>\n]*>|\S+)")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])([^<>]*)>")
_ATTRIBUTE = re.compile(r"""([^\s=/"'>]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")
_ATTR_ITEM = r"""(?:[#.][\w:.-]+|[A-Za-z_][\w.-]*=(?:"[^"]*"|'[^']*'|[^\s}]+))"""
_ATTR_LIST = re.compile(r"\{:?[ \t]*(" + _ATTR_ITEM + r"(?:[ \t]+" + _ATTR_ITEM + r")*)[ \t]*\}")
_ATTR_TOKEN = re.compile(_ATTR_ITEM)
_ATTR_LIST_KEYS = (GLOBAL_ATTRIBUTES | frozenset().union(*TAG_ATTRIBUTES.values())) - {"href", "src"}


@dataclass(frozen=True)
class LinkTargets:
    """What relative links in a course may point at: module files and asset paths."""

    module_files: Collection[str]
    asset_paths: Collection[str]


def visible_lines(text: str) -> list[str]:
    """The lines of `text` with fenced code blocks and code spans blanked (columns preserved)."""
    lines = []
    fence: str | None = None
    for line in text.split("\n"):
        opener = _FENCE.match(line)
        if fence is not None:
            if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence):
                fence = None
            lines.append("")
        elif opener:
            fence = opener.group(1)
            lines.append("")
        else:
            lines.append(_CODE_SPAN.sub(lambda match: " " * len(match.group(0)), line))
    return lines


def pathological_shapes(text: str) -> list[tuple[int, int, str]]:
    """Shapes that make Python-Markdown take seconds or recurse too deep, as (line, column, message)."""
    findings: list[tuple[int, int, str]] = []
    block_start, brackets = 1, 0
    for number, line in enumerate(visible_lines(text), start=1):
        if not line.strip():
            block_start, brackets = number + 1, 0
            continue
        if brackets <= MAX_BRACKETS_PER_BLOCK:
            brackets += line.count("[") + line.count("<")
            if brackets > MAX_BRACKETS_PER_BLOCK:
                message = f"paragraf berisi lebih dari {MAX_BRACKETS_PER_BLOCK} tanda '[' atau '<'"
                findings.append((block_start, 1, message))
        expanded = line.expandtabs(4)
        if len(expanded) - len(expanded.lstrip()) > MAX_INDENT_COLUMNS:
            findings.append(
                (number, 1, f"baris menjorok lebih dari {MAX_INDENT_COLUMNS} spasi (daftar terlalu dalam)")
            )
        if _DEEP_QUOTE.match(line):
            findings.append((number, 1, f"kutipan bersarang lebih dari {MAX_QUOTE_DEPTH} tingkat"))
    return findings


def check_markup(
    text: str, log: ProblemLog, targets: LinkTargets, *, skip_lines: Collection[int] = ()
) -> None:
    """Report broken or unsafe links, and raw HTML or attribute lists the sanitiser would strip."""
    for number, line in enumerate(visible_lines(text), start=1):
        if number in skip_lines or not line.strip():
            continue
        for match in _INLINE_LINK.finditer(line):
            _check_link(match.group(2), number, match.start(2) + 1, log, targets)
        reference = _REFERENCE.match(line)
        if reference:
            _check_link(reference.group(1), number, reference.start(1) + 1, log, targets)
        for match in _TAG.finditer(line):
            _check_tag(match, number, log, targets)
        for match in _ATTR_LIST.finditer(line):
            _check_attribute_list(match.group(1), number, match.start() + 1, log)


def _check_link(raw: str, line: int, column: int, log: ProblemLog, targets: LinkTargets) -> None:
    """A link must use a safe scheme, or point at an existing module or asset of this course."""
    target = html.unescape(raw.strip("<>"))
    scheme = url_scheme(target)
    if scheme is not None:
        if scheme not in ALLOWED_PROTOCOLS:
            log.error(line, column, f"skema URL '{scheme}:' tidak diizinkan (pakai http, https, atau mailto)")
        return
    path = target.split("#", 1)[0].split("?", 1)[0]
    if not path or target.startswith(("/", "#")):
        return
    normalised = posixpath.normpath(path)
    if normalised.startswith("..") or path.startswith("/"):
        log.error(line, column, f"tautan '{target}' keluar dari folder kursus")
    elif MODULE_LINK.fullmatch(path):
        if path not in targets.module_files:
            log.error(line, column, f"tautan ke modul yang tidak ada: '{path}'")
    elif normalised.startswith("assets/"):
        if normalised not in targets.asset_paths:
            log.error(line, column, f"tautan ke aset yang tidak ada: '{path}'")
    else:
        log.error(line, column, f"tautan relatif '{target}' harus ke modul (NN-nama.md) atau ke assets/")


def _check_tag(match: re.Match[str], line: int, log: ProblemLog, targets: LinkTargets) -> None:
    """Raw HTML: the tag and each attribute must be in the allowlist, URLs must be safe."""
    tag = match.group(2).lower()
    column = match.start() + 1
    if match.group(1):
        return
    if tag not in ALLOWED_TAGS:
        log.warning(line, column, f"tag HTML <{tag}> tidak diizinkan dan akan dibuang")
        return
    for attribute in _ATTRIBUTE.finditer(match.group(3)):
        name = attribute.group(1).lower()
        value = (attribute.group(2) or "").strip("\"'")
        if name in ("href", "src") and tag in ("a", "img"):
            _check_link(value, line, column + len(tag) + 1 + attribute.start(), log, targets)
        elif not attribute_allowed(tag, name, html.unescape(value)):
            log.warning(line, column, f"atribut '{name}' pada <{tag}> tidak diizinkan dan akan dibuang")


def _check_attribute_list(items: str, line: int, column: int, log: ProblemLog) -> None:
    """`{#id .class key=value}`: only safe ids, allowlisted classes and a few presentational keys survive."""
    for token in _ATTR_TOKEN.findall(items):
        if token.startswith("#"):
            if not attribute_allowed("span", "id", token[1:]):
                log.warning(line, column, f"id '{token[1:]}' tidak valid dan akan dibuang")
        elif token.startswith("."):
            if token[1:] not in ALLOWED_CLASSES:
                log.warning(line, column, f"kelas '{token[1:]}' tidak diizinkan dan akan dibuang")
        else:
            key = token.split("=", 1)[0].lower()
            if key not in _ATTR_LIST_KEYS:
                log.warning(line, column, f"atribut '{key}' tidak diizinkan dan akan dibuang")
