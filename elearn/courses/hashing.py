"""Content fingerprints: a whole course folder (to skip unchanged courses) and single files or texts."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from elearn.courses import render


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 of bytes."""
    return hashlib.sha256(data).hexdigest()


def course_source_hash(folder: Path) -> str:
    """SHA-256 over the renderer version and every file's relative path and bytes, without parsing, so sync
    can skip unchanged courses and still re-render all of them after a renderer or allowlist change.

    Symlinks are never followed: their target text is hashed instead (the validator refuses them anyway).
    """
    digest = hashlib.sha256(f"renderer:{render.RENDERER_VERSION}\0".encode())
    for relative, path in sorted(_entries(folder)):
        content = b"symlink:" + os.readlink(path).encode() if path.is_symlink() else path.read_bytes()
        digest.update(relative.encode("utf-8") + b"\0" + str(len(content)).encode() + b"\0" + content)
    return digest.hexdigest()


def _entries(folder: Path) -> list[tuple[str, Path]]:
    """Every regular file and symlink under `folder` with its POSIX relative path."""
    entries = []
    for directory, subdirectories, filenames in os.walk(folder):
        base = Path(directory)
        names = filenames + [name for name in subdirectories if (base / name).is_symlink()]
        for name in names:
            path = base / name
            if path.is_symlink() or path.is_file():
                entries.append((path.relative_to(folder).as_posix(), path))
    return entries
