"""What sync relies on from the engine: the renderer version in the hash, skipping stored modules' renders,
header-only cross-course checks, one pre-render check, one set of limits, and a clear error for scripts."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path

import pytest

from elearn.config import load_settings
from elearn.courses import (
    ModuleHeader,
    course_source_hash,
    cross_course_problems,
    format_problems,
    load_course,
    loader,
    read_headers,
    render,
)
from elearn.courses.hashing import sha256_hex
from elearn.courses.model import Module
from elearn.courses.render import RenderError, render_markdown, unrenderable

from .conftest import BROKEN_TREE, KNOWN, OK_COURSE

PROJECT_DIR = Path(__file__).resolve().parents[3]


@pytest.fixture
def rendered_batches(monkeypatch: pytest.MonkeyPatch) -> list[Sequence[str]]:
    """Every batch the loader sends to the render pool, in order."""
    sent: list[Sequence[str]] = []
    real = loader.render_batches

    def spy(batches: Sequence[Sequence[str]], *, timeout: float) -> list[render.BatchResult]:
        sent.extend(batches)
        return real(batches, timeout=timeout)

    monkeypatch.setattr(loader, "render_batches", spy)
    return sent


def test_course_source_hash_changes_with_the_renderer_version(monkeypatch: pytest.MonkeyPatch) -> None:
    before = course_source_hash(OK_COURSE)

    monkeypatch.setattr(render, "RENDERER_VERSION", render.RENDERER_VERSION + 1)

    assert course_source_hash(OK_COURSE) != before


def test_modules_the_caller_holds_are_checked_but_not_rendered(
    course_copy: Path, rendered_batches: list[Sequence[str]]
) -> None:
    materi = course_copy / "01-materi.md"
    materi.write_text(materi.read_text().replace("(02-kuis.md#soal-spm)", "(09-hilang.md)"))
    held = sha256_hex(materi.read_bytes())

    load = load_course(course_copy, known_competencies=KNOWN, rendered_modules={held})

    assert "tautan ke modul yang tidak ada: '09-hilang.md'" in format_problems(load.errors)
    assert not any("Standar pelayanan memuat" in text for batch in rendered_batches for text in batch)
    assert len(rendered_batches) == 4  # the overview and the three other modules


def test_held_module_comes_back_unrendered_and_the_others_rendered() -> None:
    held = sha256_hex((OK_COURSE / "01-materi.md").read_bytes())

    course = load_course(OK_COURSE, known_competencies=KNOWN, rendered_modules={held}).course

    assert course is not None
    materi, kuis = course.module("01-materi"), course.module("02-kuis")
    assert materi is not None and kuis is not None
    assert (materi.rendered, materi.body_html, materi.content_hash) == (False, "", held)
    assert kuis.rendered and kuis.questions[0].stem_html.startswith("<p>")


def test_module_is_built_on_every_header_field() -> None:
    course = load_course(OK_COURSE, known_competencies=KNOWN).course
    assert course is not None
    module = course.modules[1]
    header = ModuleHeader(**{field.name: getattr(module, field.name) for field in fields(ModuleHeader)})

    rebuilt = Module.from_header(
        header,
        body_html=module.body_html,
        questions=module.questions,
        content_hash=module.content_hash,
        rendered=True,
    )

    assert rebuilt == module


def test_headers_are_read_without_rendering(rendered_batches: list[Sequence[str]]) -> None:
    folders = sorted(path for path in BROKEN_TREE.iterdir() if path.is_dir())

    headers = read_headers(folders)

    assert set(headers) == {"dasar", "lanjutan-a", "lanjutan-b", "mandiri"}
    assert [item.value for item in headers["lanjutan-a"].prerequisites] == ["lanjutan-b", "dasar"]  # type: ignore[union-attr]
    assert rendered_batches == []


def test_prerequisite_known_only_elsewhere_is_accepted_and_can_close_a_cycle(tmp_path: Path) -> None:
    folder = tmp_path / "lanjutan"
    folder.mkdir()
    (folder / "course.md").write_text(
        "---\ntitle: L\ncode: L-1\nsummary: S.\njp: 1\nprerequisites: [di-katalog]\n---\n"
    )
    headers = read_headers([folder])

    accepted = cross_course_problems(headers, elsewhere={"di-katalog": ()})
    cyclic = cross_course_problems(headers, elsewhere={"di-katalog": ("lanjutan",)})
    unknown = cross_course_problems(headers)

    assert accepted == {"lanjutan": ()}
    assert [str(problem) for problem in cyclic["lanjutan"]] == [
        "lanjutan/course.md:6:17: prasyarat melingkar: di-katalog -> lanjutan -> di-katalog"
    ]
    assert [str(problem) for problem in unknown["lanjutan"]] == [
        "lanjutan/course.md:6:17: prasyarat 'di-katalog' tidak ada"
    ]


def test_one_pre_render_check_reports_size_and_every_shape() -> None:
    deep = "x\n\n" + "\n".join("> " * 20 + "kutipan" for _ in range(2))

    assert unrenderable("a" * 11, max_bytes=10, what="berkas") == [
        (None, 1, "berkas terlalu besar: 11 byte, batasnya 10 byte")
    ]
    assert [(line, column) for line, column, _ in unrenderable(deep, max_bytes=10_000, what="teks")] == [
        (3, 1),
        (4, 1),
    ]


def test_render_markdown_names_the_line_of_a_refused_shape_but_not_of_the_size() -> None:
    with pytest.raises(RenderError, match=r"^baris 3: kutipan bersarang"):
        render_markdown("x\n\n" + "> " * 20 + "kutipan")
    with pytest.raises(RenderError, match=r"^teks terlalu besar"):
        render_markdown("a" * 11, max_bytes=10)


def test_configured_render_limits_default_to_the_engine_constants() -> None:
    settings = load_settings({})

    assert settings["ELEARN_LESSON_MAX_BYTES"] == render.MAX_LESSON_BYTES
    assert settings["ELEARN_RENDER_SECONDS"] == render.RENDER_TIMEOUT_SECONDS


def test_script_without_main_guard_is_told_to_add_one(tmp_path: Path) -> None:
    script = tmp_path / "muat.py"
    script.write_text(
        "from pathlib import Path\n"
        "from elearn.courses import load_course\n"
        f"load_course(Path({str(OK_COURSE)!r}), known_competencies=frozenset())\n"
    )

    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, cwd=PROJECT_DIR
    )

    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("RuntimeError: elearn render worker did not start")
    assert 'if __name__ == "__main__":' in last_line


def test_script_with_main_guard_loads_a_course(tmp_path: Path) -> None:
    script = tmp_path / "muat.py"
    script.write_text(
        "from pathlib import Path\n"
        "from elearn.courses import load_course\n"
        "if __name__ == '__main__':\n"
        f"    load = load_course(Path({str(OK_COURSE)!r}), known_competencies={sorted(KNOWN)!r})\n"
        "    print(load.ok)\n"
    )

    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, cwd=PROJECT_DIR
    )

    assert (result.returncode, result.stdout.strip()) == (0, "True"), result.stderr
