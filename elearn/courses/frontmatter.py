"""Split a Markdown file into YAML front matter and body, keeping every YAML value's line and column."""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from elearn.courses.problems import ProblemLog

Path_ = tuple[str | int, ...]
"""Where a value sits in the front matter: keys and list indexes from the top, e.g. ("competencies", 0)."""

_FENCE = "---"
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml when available (several times faster); both report the same marks and refuse the same tags."""


@dataclass(frozen=True)
class FrontMatter:
    """Parsed front matter plus the body; positions are 1-based lines/columns in the original file."""

    data: dict[str, object]
    body: str
    body_line: int
    value_at: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_at: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: Path_) -> tuple[int, int]:
        """The position of a value, or of its nearest enclosing value, or of the front matter start."""
        for end in range(len(path), 0, -1):
            if path[:end] in self.value_at:
                return self.value_at[path[:end]]
        return (1, 1)

    def key_position(self, path: Path_) -> tuple[int, int]:
        """The position of the key naming a value (for unknown-key problems), falling back to the value."""
        return self.key_at.get(path) or self.position(path)


def read_front_matter(text: str, log: ProblemLog) -> FrontMatter:
    """Parse `---` fenced YAML at the top of `text`; problems go to `log` and an empty mapping is returned."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != _FENCE:
        log.error(1, 1, "front matter tidak ditemukan: berkas harus diawali baris '---'")
        return FrontMatter(data={}, body=text, body_line=1)
    closing = next(
        (index for index in range(1, len(lines)) if lines[index].rstrip() in (_FENCE, "...")), None
    )
    if closing is None:
        log.error(1, 1, "front matter tidak ditutup: tambahkan baris '---' setelah YAML")
        return FrontMatter(data={}, body="", body_line=len(lines) + 1)
    yaml_text = "\n".join(lines[1:closing])
    body = "\n".join(lines[closing + 1 :])
    body_line = closing + 2
    try:
        loader = _SafeLoader(yaml_text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else {}
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 2, mark.column + 1) if mark else (1, 1)
        log.error(line, column, f"YAML tidak valid: {error.problem or error.context}")
        return FrontMatter(data={}, body=body, body_line=body_line)
    except yaml.YAMLError as error:
        log.error(2, 1, f"YAML tidak valid: {error}")
        return FrontMatter(data={}, body=body, body_line=body_line)
    if not isinstance(data, dict):
        log.error(2, 1, "front matter harus berupa pasangan kunci: nilai")
        return FrontMatter(data={}, body=body, body_line=body_line)
    value_at: dict[Path_, tuple[int, int]] = {}
    key_at: dict[Path_, tuple[int, int]] = {}
    if node is not None:
        _record_positions(node, (), value_at, key_at, log)
    return FrontMatter(data=data, body=body, body_line=body_line, value_at=value_at, key_at=key_at)


def _record_positions(
    node: yaml.Node,
    path: Path_,
    value_at: dict[Path_, tuple[int, int]],
    key_at: dict[Path_, tuple[int, int]],
    log: ProblemLog,
) -> None:
    """Walk the composed YAML tree, remembering where values and keys start; report duplicate keys."""
    value_at[path] = _file_position(node.start_mark)
    if isinstance(node, yaml.MappingNode):
        seen: set[object] = set()
        for key_node, value_node in node.value:
            key = _scalar_key(key_node)
            if key in seen:
                line, column = _file_position(key_node.start_mark)
                log.error(line, column, f"kunci '{key}' ditulis lebih dari sekali")
            seen.add(key)
            key_at[(*path, key)] = _file_position(key_node.start_mark)
            _record_positions(value_node, (*path, key), value_at, key_at, log)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_positions(item, (*path, index), value_at, key_at, log)


def _scalar_key(node: yaml.Node) -> str | int:
    """The key as the constructed mapping holds it, for the key types used here (text, level numbers)."""
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:int":
        try:
            return int(node.value)
        except ValueError:
            return str(node.value)
    return str(node.value)


def _file_position(mark: yaml.Mark) -> tuple[int, int]:
    """A YAML mark (0-based, relative to the YAML text) as a 1-based position in the file (after `---`)."""
    return (mark.line + 2, mark.column + 1)
