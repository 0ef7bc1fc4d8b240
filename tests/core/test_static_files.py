"""The precompressed copies nginx serves with gzip_static (docs/deployment.md) match the files they stand for."""

from __future__ import annotations

import gzip

from elearn.resources import STATIC_DIR

COMPRESSED_SUFFIXES = {".css", ".js", ".svg"}


def test_every_css_js_and_svg_file_has_an_up_to_date_gzip_copy() -> None:
    folder = STATIC_DIR / "elearn"
    sources = sorted(path for path in folder.iterdir() if path.suffix in COMPRESSED_SUFFIXES)
    assert sources, "no static files found"
    for source in sources:
        copy = source.with_name(source.name + ".gz")
        assert copy.is_file(), f"{copy.name} is missing: run `make static-gz`"
        assert gzip.decompress(copy.read_bytes()) == source.read_bytes(), (
            f"{copy.name} is stale: run `make static-gz`"
        )


def test_no_gzip_copy_outlives_its_file() -> None:
    folder = STATIC_DIR / "elearn"
    orphans = [path.name for path in folder.glob("*.gz") if not path.with_suffix("").is_file()]
    assert orphans == []
