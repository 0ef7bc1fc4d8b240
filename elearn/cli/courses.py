"""`flask elearn courses ...`: check a courses folder (no database needed), sync it, and import GIFT banks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup

from elearn.cli.group import elearn_cli
from elearn.competency.dictionary import load_dictionary
from elearn.courses import check_tree, format_problems
from elearn.courses.gift import GiftFileError, GiftSkip, decode_gift, gift_to_markdown
from elearn.courses.question_ids import add_missing_ids, used_question_ids
from elearn.services.course_sync import SyncReport, course_folders, sync_courses
from elearn.state import db_session

courses_cli = AppGroup("courses", help="Kursus Markdown: periksa, sinkronkan, impor bank soal GIFT.")
elearn_cli.add_command(courses_cli)

_FOLDER = click.Path(file_okay=False, path_type=Path)


def _courses_root(path: Path | None) -> Path:
    """The given folder, or the configured ELEARN_COURSES_DIR; it must exist."""
    root = path if path is not None else Path(current_app.config["ELEARN_COURSES_DIR"])
    if not root.is_dir():
        raise click.ClickException(f"folder kursus tidak ditemukan: {root}")
    return root


def _render_limits() -> dict[str, Any]:
    """The configured lesson size and render time limits, as the course engine's keyword arguments."""
    return {
        "max_lesson_bytes": current_app.config["ELEARN_LESSON_MAX_BYTES"],
        "render_timeout": current_app.config["ELEARN_RENDER_SECONDS"],
    }


@courses_cli.command("check")
@click.argument("path", required=False, type=_FOLDER)
@click.option("--fix", is_flag=True, help="Tulis id {#...} yang stabil ke setiap soal yang belum punya id.")
@click.option("--strict", is_flag=True, help="Peringatan juga membuat pemeriksaan gagal (untuk CI pengajar).")
def check_command(path: Path | None, fix: bool, strict: bool) -> None:
    """Periksa semua kursus di PATH tanpa basis data; keluar dengan status 1 bila ada kesalahan."""
    root = _courses_root(path)
    if fix:
        _add_question_ids(root)
    loads = check_tree(root, known_competencies=frozenset(load_dictionary()), **_render_limits())
    problems = [problem for load in loads.values() for problem in load.problems]
    if problems:
        click.echo(format_problems(problems))
    failed = sorted(slug for slug, load in loads.items() if not load.ok or (strict and load.problems))
    mode = " (mode ketat: peringatan dihitung)" if strict else ""
    click.echo(f"{len(loads)} kursus diperiksa, {len(failed)} bermasalah{mode}.")
    if failed:
        raise SystemExit(1)


def _add_question_ids(root: Path) -> None:
    """`--fix`: give every question without an id one, and say where."""
    added = [fix for folder in course_folders(root) for fix in add_missing_ids(folder)]
    for fix in added:
        click.echo(f"{fix.path}:{fix.line}: id soal ditambahkan: {{#{fix.question_id}}}")
    click.echo(f"{len(added)} id soal ditambahkan.")


@courses_cli.command("sync")
@click.argument("path", required=False, type=_FOLDER)
def sync_command(path: Path | None) -> None:
    """Impor kursus di PATH ke basis data; kursus yang tidak berubah dilewati."""
    root = _courses_root(path)
    with click.progressbar(length=len(course_folders(root)), label="Sinkronisasi kursus") as bar:
        report = sync_courses(db_session(), root, progress=lambda _slug: bar.update(1), **_render_limits())
    _echo_summary(report)
    if report.warnings:
        click.echo(format_problems(report.warnings))
    click.echo(f"ditolak: {len(report.refused)}")
    for refused in report.refused:
        click.echo(f"- {refused.slug}:", err=True)
        click.echo(format_problems(refused.problems), err=True)
    if not report.ok:
        raise SystemExit(1)


def _echo_summary(report: SyncReport) -> None:
    """One line per outcome, naming the courses that changed state."""
    click.echo(f"tidak berubah: {len(report.unchanged)}")
    for label, slugs in (
        ("baru", report.created),
        ("diperbarui", report.updated),
        ("diarsipkan", report.archived),
        ("dipulihkan dari arsip", report.restored),
    ):
        click.echo(f"{label}: {len(slugs)}" + (f" ({', '.join(slugs)})" if slugs else ""))


@courses_cli.command("import-gift")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--to",
    "target",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Berkas modul tujuan, mis. courses/<slug>/04-kuis.md",
)
@click.option("--title", default=None, help="Judul modul kuis (bawaan: dari nama berkas tujuan).")
@click.option("--force", is_flag=True, help="Timpa berkas tujuan yang sudah ada.")
def import_gift_command(source: Path, target: Path, title: str | None, force: bool) -> None:
    """Ubah bank soal GIFT (Moodle) menjadi modul kuis Markdown."""
    if target.suffix != ".md":
        raise click.ClickException("berkas tujuan harus berakhiran .md")
    if not target.parent.is_dir():
        raise click.ClickException(f"folder kursus tidak ditemukan: {target.parent}")
    if target.exists() and not force:
        raise click.ClickException(f"{target} sudah ada; pakai --force untuk menimpanya")
    try:
        text = decode_gift(source.read_bytes())
    except GiftFileError as error:
        raise click.ClickException(f"{source}: {error}") from error
    conversion = gift_to_markdown(
        text,
        source_name=source.name,
        title=title or _title_from(target),
        taken_ids=used_question_ids(target.parent, besides=target),
    )
    _list_notes(source, "tidak dapat dikonversi", conversion.skipped)
    _list_notes(source, "dikonversi dengan catatan", conversion.warnings)
    if not conversion.converted:
        raise click.ClickException(
            f"tidak ada soal yang dapat dikonversi dari {source}; {target} tidak ditulis"
        )
    target.write_text(conversion.markdown, encoding="utf-8")
    click.echo(f"{conversion.converted} soal ditulis ke {target}.")


def _title_from(target: Path) -> str:
    """`04-kuis-pelayanan.md` -> `Kuis pelayanan`."""
    words = target.stem.split("-")
    if words and words[0].isdigit():
        words = words[1:]
    return " ".join(words).capitalize() or target.stem


def _list_notes(source: Path, heading: str, notes: tuple[GiftSkip, ...]) -> None:
    """Tell the author which questions to look at, as `file:line: question: reason`."""
    if not notes:
        return
    click.echo(f"{len(notes)} soal {heading}:")
    for note in notes:
        click.echo(f"  {source}:{note.line}: {note.question}: {note.reason}")
