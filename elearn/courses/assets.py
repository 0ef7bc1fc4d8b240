"""The files under `assets/`: only regular files inside the folder, with an allowed extension."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from elearn.courses.hashing import sha256_hex
from elearn.courses.model import Asset
from elearn.courses.problems import Problem, ProblemLog

ASSETS_DIR = "assets"
ALLOWED_EXTENSIONS: frozenset[str] = frozenset(
    {
        "png", "jpg", "jpeg", "gif", "webp", "avif", "pdf", "mp3", "m4a", "ogg", "oga", "wav", "mp4", "webm",
        "vtt", "txt", "csv", "docx", "xlsx", "pptx", "odt", "ods", "odp",
    }
)  # fmt: skip
"""Media and documents only: no svg/html (scriptable when opened directly), no archives or executables."""


def collect_assets(folder: Path, *, slug: str, problems: list[Problem]) -> tuple[Asset, ...]:
    """Fingerprint every acceptable asset; each refused entry becomes an error (dotfiles are ignored)."""
    assets: list[Asset] = []
    pending = [folder / ASSETS_DIR]
    while pending:
        directory = pending.pop()
        relative = directory.relative_to(folder).as_posix()
        try:
            mode = directory.lstat().st_mode
        except FileNotFoundError:
            continue
        if not stat.S_ISDIR(mode):
            _refuse(
                slug,
                relative,
                problems,
                "assets harus berupa folder biasa (bukan tautan simbolik atau berkas)",
            )
            continue
        for entry in sorted(os.scandir(directory), key=lambda item: item.name):
            path = Path(entry.path)
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                pending.append(path)
            else:
                asset = _asset(path, path.relative_to(folder).as_posix(), slug, problems)
                if asset is not None:
                    assets.append(asset)
    return tuple(sorted(assets, key=lambda asset: asset.path))


def _asset(path: Path, relative: str, slug: str, problems: list[Problem]) -> Asset | None:
    """One file under assets/, or None (reported) when it is a symlink, a special file or an unknown type."""
    mode = path.lstat().st_mode
    extension = path.suffix.lower().lstrip(".")
    if stat.S_ISLNK(mode):
        _refuse(slug, relative, problems, "tautan simbolik tidak diizinkan di assets")
    elif not stat.S_ISREG(mode):
        _refuse(slug, relative, problems, "hanya berkas biasa yang diizinkan di assets")
    elif extension not in ALLOWED_EXTENSIONS:
        allowed = ", ".join(sorted(ALLOWED_EXTENSIONS))
        _refuse(slug, relative, problems, f"jenis berkas '.{extension}' tidak diizinkan (boleh: {allowed})")
    else:
        data = path.read_bytes()
        return Asset(path=relative, sha256=sha256_hex(data), size=len(data))
    return None


def _refuse(slug: str, relative: str, problems: list[Problem], message: str) -> None:
    """Report a refused asset entry at its own path."""
    ProblemLog(f"{slug}/{relative}", sink=problems).error(1, 1, message)
