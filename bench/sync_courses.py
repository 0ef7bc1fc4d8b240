"""Benchmark course sync: 200 courses x 10 modules, first import (target < 20 s), no-op re-sync (< 2 s), and a
re-sync after one lesson of every course was edited (only that lesson needs rendering).

Run: `.venv/bin/python bench/sync_courses.py` (SQLite); with ELEARN_TEST_POSTGRES_URL set, PostgreSQL too
(its elearn tables are dropped first, so point it at a scratch database).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from _backends import Backend, backends, migrated_session, timed

from elearn.competency.dictionary import load_dictionary
from elearn.courses import load_course
from elearn.services.course_sync import course_folders, sync_courses

COURSES = 200
LESSONS = 6
QUESTIONS = 10
FIRST_SYNC_TARGET = 20.0
NOOP_SYNC_TARGET = 2.0

PARAGRAPH = (
    "Aparatur sipil negara melayani warga sesuai standar pelayanan yang dipublikasikan. Petugas menjelaskan "
    "persyaratan, biaya, dan jangka waktu dengan bahasa yang mudah dipahami, mencatat setiap pengaduan, dan "
    "menindaklanjutinya dalam batas waktu yang ditetapkan. Penyelia memeriksa kepatuhan standar setiap hari."
)


def lesson(course: int, number: int) -> str:
    """A lesson of about 10 KB: headings, paragraphs, a list and a table, like the sample courses."""
    sections = []
    for section in range(1, 7):
        rows = "\n".join(
            f"| Unsur {row} | Nilai {course}.{number}.{row} | Keterangan unsur {row} |" for row in range(6)
        )
        sections.append(
            f"## Bagian {section}\n\n{PARAGRAPH}\n\n{PARAGRAPH} Kursus {course}, modul {number}.\n\n"
            f"- Langkah pertama bagian {section}\n- Langkah kedua dengan **penekanan**\n- Langkah ketiga\n\n"
            f"| Unsur | Nilai | Keterangan |\n|---|---|---|\n{rows}\n"
        )
    return f"---\ntitle: Materi {number}\nkind: lesson\nminutes: 45\n---\n" + "\n".join(sections)


def quiz(kind: str, course: int, extra: str = "") -> str:
    """A graded module of ten single-choice questions with feedback and explanations."""
    questions = "\n".join(
        f"## Pertanyaan {n} kursus {course}: langkah mana yang sesuai standar pelayanan? {{#{kind}-{n}}}\n"
        f"- [ ] Menunda tanpa alasan\n  > Penundaan tanpa alasan melanggar asas ketepatan waktu.\n"
        f"- [x] Menjelaskan persyaratan dengan jelas\n- [ ] Meminta biaya tambahan\n"
        f"> Penjelasan: {PARAGRAPH}\n"
        for n in range(1, QUESTIONS + 1)
    )
    return (
        f"---\ntitle: {kind.capitalize()}\nkind: {kind}\nminutes: 15\npass_mark: 70\nattempts: 3\n"
        f"{extra}---\nKerjakan soal berikut.\n\n{questions}"
    )


def survey() -> str:
    """An optional survey of likert and free-text questions."""
    items = "\n".join(f"## Pernyataan survei nomor {n}. {{#s-{n} type=likert}}" for n in range(1, 5))
    return f"---\ntitle: Survei\nkind: survey\nminutes: 5\nrequired: false\n---\nIsi survei.\n\n{items}\n"


def write_tree(root: Path) -> Path:
    """COURSES course folders of ten modules each under a new `root`: pretest, six lessons, quiz, posttest,
    survey."""
    root.mkdir()
    for course in range(1, COURSES + 1):
        folder = root / f"kursus-{course:03d}"
        folder.mkdir()
        (folder / "course.md").write_text(
            f"---\ntitle: Kursus {course}\ncode: K-{course:03d}\nsummary: Kursus uji beban nomor {course}.\n"
            f"jp: 4\ncompetencies:\n  - {{code: M.05, level: 2}}\n---\n## Tentang kursus\n\n{PARAGRAPH}\n",
            encoding="utf-8",
        )
        modules = [quiz("pretest", course, "form: A\n")]
        modules += [lesson(course, number) for number in range(2, 2 + LESSONS)]
        modules += [quiz("quiz", course), quiz("posttest", course, "form: B\n"), survey()]
        for number, body in enumerate(modules, start=1):
            (folder / f"{number:02d}-modul-{number}.md").write_text(body, encoding="utf-8")
    return root


def parse_only(root: Path) -> float:
    """Seconds the course engine alone needs to check and render the tree (the floor under a first sync)."""
    known = frozenset(load_dictionary())
    start = time.perf_counter()
    for folder in course_folders(root):
        load_course(folder, known_competencies=known)
    return time.perf_counter() - start


def edit_one_lesson(root: Path) -> None:
    """Append a sentence to the first lesson of every course, as an author's small fix would."""
    for folder in course_folders(root):
        with (folder / "02-modul-2.md").open("a", encoding="utf-8") as lesson_file:
            lesson_file.write("\nKalimat tambahan dari penulis.\n")


def run(backend: Backend, root: Path) -> None:
    """Migrate an empty database, then time the first sync, a no-op re-sync and a re-sync after edits."""
    with migrated_session(backend) as session:
        first, report = timed(lambda: sync_courses(session, root))
        assert len(report.created) == COURSES, report.refused
        noop, report = timed(lambda: sync_courses(session, root))
        assert len(report.unchanged) == COURSES, report
        edit_one_lesson(root)
        edited, report = timed(lambda: sync_courses(session, root))
        assert len(report.updated) == COURSES, report.refused
    print(f"{backend.label:<11} first sync {first:6.2f} s (target < {FIRST_SYNC_TARGET:.0f} s)   "
          f"no-op re-sync {noop:5.2f} s (target < {NOOP_SYNC_TARGET:.0f} s)   "
          f"one lesson edited per course {edited:5.2f} s")  # fmt: skip


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="elearn-bench-") as scratch:
        base = Path(scratch)
        print(f"{COURSES} courses x 10 modules")
        print(f"engine only (check + render, no database): {parse_only(write_tree(base / 'engine')):6.2f} s")
        for backend in backends(base):
            root = write_tree(base / f"courses-{backend.label.lower()}")
            run(backend, root)


if __name__ == "__main__":
    main()
