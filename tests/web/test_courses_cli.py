"""`flask elearn courses check | sync | import-gift` as trainers and administrators use them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import Result
from flask import Flask

from elearn.app import create_app
from tests.web.test_course_sync import write_course

PROJECT_DIR = Path(__file__).resolve().parents[2]
GIFT_BANK = PROJECT_DIR / "tests" / "fixtures" / "gift" / "bank-soal.gift"
UNREACHABLE_DATABASE = "postgresql+psycopg://nobody@127.0.0.1:9/tidak-ada"


@pytest.fixture
def offline_app(tmp_path: Path) -> Flask:
    """An app whose database cannot be reached: `check` and `import-gift` must not need one."""
    app = create_app({"ELEARN_DATABASE_URL": UNREACHABLE_DATABASE, "SECRET_KEY": "test", "TESTING": True})
    app.instance_path = str(tmp_path / "instance")
    return app


def courses(app: Flask, *args: str) -> Result:
    return app.test_cli_runner().invoke(args=["elearn", "courses", *args])


def import_bank(app: Flask, tmp_path: Path, content: bytes) -> tuple[Path, Path, Result]:
    """Import a bank with these bytes into a fresh course's 04-kuis.md: (bank file, target, result)."""
    bank = tmp_path / "bank.gift"
    bank.write_bytes(content)
    target = write_course(tmp_path, "kursus-a") / "04-kuis.md"
    return bank, target, courses(app, "import-gift", str(bank), "--to", str(target))


def test_check_of_the_shipped_courses_passes(offline_app: Flask) -> None:
    result = courses(offline_app, "check", str(PROJECT_DIR / "courses"))

    assert result.exit_code == 0, result.output
    assert "0 bermasalah" in result.output


def test_check_of_a_broken_course_fails_with_file_and_line(offline_app: Flask, tmp_path: Path) -> None:
    folder = write_course(tmp_path, "kursus-rusak")
    quiz = (folder / "03-kuis.md").read_text()
    (folder / "03-kuis.md").write_text(quiz.replace("= 42 +- 0.5", "= empat puluh dua"))
    broken_line = quiz.splitlines().index("= 42 +- 0.5") + 1

    result = courses(offline_app, "check", str(tmp_path))

    assert result.exit_code == 1
    assert f"kursus-rusak/03-kuis.md:{broken_line}:" in result.output


def test_check_knows_competencies_defined_elsewhere_in_the_tree(offline_app: Flask, tmp_path: Path) -> None:
    from tests.web.test_course_sync import COURSE_MD, TECHNICAL_COMPETENCY

    write_course(tmp_path, "pemakai").joinpath("course.md").write_text(
        COURSE_MD.format(name="pemakai", code="P-1", extra="").replace("M.05, level: 2", "T.UJI.01, level: 1")
    )
    write_course(tmp_path, "pendefinisi", extra=TECHNICAL_COMPETENCY)

    assert courses(offline_app, "check", str(tmp_path)).exit_code == 0


def test_import_gift_writes_a_module_that_passes_check(offline_app: Flask, tmp_path: Path) -> None:
    folder = write_course(tmp_path, "kursus-a")
    target = folder / "04-bank-soal.md"

    result = courses(offline_app, "import-gift", str(GIFT_BANK), "--to", str(target), "--title", "Bank Soal")

    assert result.exit_code == 0, result.output
    assert "title: Bank Soal" in target.read_text()
    assert "tidak dapat dikonversi" in result.output
    assert "Esai pengalaman" in result.output
    assert courses(offline_app, "check", str(tmp_path)).exit_code == 0


def test_import_gift_refuses_to_overwrite_without_force(offline_app: Flask, tmp_path: Path) -> None:
    folder = write_course(tmp_path, "kursus-a")
    target = folder / "03-kuis.md"
    original = target.read_text()

    refused = courses(offline_app, "import-gift", str(GIFT_BANK), "--to", str(target))
    assert refused.exit_code == 1
    assert target.read_text() == original

    forced = courses(offline_app, "import-gift", str(GIFT_BANK), "--to", str(target), "--force")
    assert forced.exit_code == 0
    assert "title: Kuis" in target.read_text()
    assert target.read_text() != original


@pytest.mark.parametrize(
    ("content", "reported"),
    [
        (
            b"::Soal::Apa jawabannya?{\n=Benar\n~Salah\n",
            ":1: Soal: kurung kurawal '{' dan '}' tidak berpasangan",
        ),
        (
            "::Kota::Ibu kota Sulawesi Selatan?{=Makassar}\n\n::Kafe::Caf\u00e9?{T}".encode("latin-1"),
            ": berkas bukan teks UTF-8 (baris 3, kolom 12)",
        ),
    ],
)
def test_import_gift_writes_nothing_from_a_broken_or_non_utf8_bank(
    offline_app: Flask, tmp_path: Path, content: bytes, reported: str
) -> None:
    bank, target, result = import_bank(offline_app, tmp_path, content)

    assert result.exit_code == 1
    assert f"{bank}{reported}" in result.output
    assert "Traceback" not in result.output
    assert not target.exists()


def test_import_gift_converts_the_good_questions_and_lists_the_broken_one(
    offline_app: Flask, tmp_path: Path
) -> None:
    content = b"::Satu::Benar?{T}\n\n::Rusak::Kurung tidak ditutup {=a\n\n::Dua::Salah?{F}\n"
    bank, target, result = import_bank(offline_app, tmp_path, content)

    assert result.exit_code == 0, result.output
    assert f"{bank}:3: Rusak: kurung kurawal '{{' dan '}}' tidak berpasangan" in result.output
    assert "2 soal ditulis" in result.output
    assert "{#satu type=truefalse}" in target.read_text()


def test_banks_imported_into_one_course_get_ids_unique_in_the_course(
    offline_app: Flask, tmp_path: Path
) -> None:
    folder = write_course(tmp_path, "kursus-a")
    bank = tmp_path / "bank.gift"
    bank.write_text("::Asas::Asas mana?{=Keterbukaan ~Kerahasiaan}\n\n::q-singkatan::Singkatan SKM?{=SKM}\n")

    first = courses(offline_app, "import-gift", str(bank), "--to", str(folder / "04-bank-a.md"))
    second = courses(offline_app, "import-gift", str(bank), "--to", str(folder / "05-bank-b.md"))
    again = courses(offline_app, "import-gift", str(bank), "--to", str(folder / "05-bank-b.md"), "--force")

    assert (first.exit_code, second.exit_code, again.exit_code) == (0, 0, 0)
    assert "{#asas}" in (folder / "04-bank-a.md").read_text()
    assert (
        "{#q-singkatan-2 type=short}" in (folder / "04-bank-a.md").read_text()
    )  # 03-kuis.md has q-singkatan
    assert "{#asas-2}" in (folder / "05-bank-b.md").read_text()
    assert "{#q-singkatan-3 type=short}" in (folder / "05-bank-b.md").read_text()
    assert courses(offline_app, "check", str(tmp_path)).exit_code == 0


QUIZ_WITHOUT_IDS = """\
---
title: Kuis tanpa id
kind: quiz
---
## Apa kepanjangan **SPM**?
- [x] Standar Pelayanan Minimal
- [ ] Sistem Pelayanan Mandiri

## Apa kepanjangan SPM? {type=short points=2}
= Standar Pelayanan Minimal

## Sudah punya id {#sudah}
- [x] ya
- [ ] tidak
"""


def test_check_fix_writes_stable_unique_ids_and_leaves_the_rest_alone(
    offline_app: Flask, tmp_path: Path
) -> None:
    folder = write_course(tmp_path, "kursus-a")
    quiz = folder / "04-kuis-tanpa-id.md"
    quiz.write_bytes(QUIZ_WITHOUT_IDS.replace("\n", "\r\n").encode())
    lesson_before = (folder / "01-pengantar.md").read_bytes()

    refused = courses(offline_app, "check", str(tmp_path))
    fixed = courses(offline_app, "check", str(tmp_path), "--fix")
    again = courses(offline_app, "check", str(tmp_path), "--fix")

    assert refused.exit_code == 1
    assert "soal tanpa id" in refused.output and "--fix" in refused.output
    assert fixed.exit_code == 0, fixed.output
    assert "kursus-a/04-kuis-tanpa-id.md:5: id soal ditambahkan: {#apa-kepanjangan-spm}" in fixed.output
    assert "kursus-a/04-kuis-tanpa-id.md:9: id soal ditambahkan: {#apa-kepanjangan-spm-2}" in fixed.output
    assert "2 id soal ditambahkan." in fixed.output
    assert quiz.read_bytes().decode() == QUIZ_WITHOUT_IDS.replace(
        "## Apa kepanjangan **SPM**?", "## Apa kepanjangan **SPM**? {#apa-kepanjangan-spm}"
    ).replace("{type=short points=2}", "{#apa-kepanjangan-spm-2 type=short points=2}").replace("\n", "\r\n")
    assert (folder / "01-pengantar.md").read_bytes() == lesson_before  # lesson headings are not questions
    assert again.exit_code == 0
    assert "0 id soal ditambahkan." in again.output


def test_check_strict_fails_on_warnings(offline_app: Flask, tmp_path: Path) -> None:
    folder = write_course(tmp_path, "kursus-a")
    lesson = folder / "02-materi.md"
    lesson.write_text(lesson.read_text() + '\n<iframe src="https://example.org"></iframe>\n')

    relaxed = courses(offline_app, "check", str(tmp_path))
    strict = courses(offline_app, "check", str(tmp_path), "--strict")

    assert relaxed.exit_code == 0, relaxed.output
    assert "tag HTML <iframe> tidak diizinkan dan akan dibuang (peringatan)" in relaxed.output
    assert strict.exit_code == 1
    assert "1 kursus diperiksa, 1 bermasalah (mode ketat: peringatan dihitung)." in strict.output


def test_sync_reports_outcomes_and_fails_when_a_course_is_refused(app: Flask, tmp_path: Path) -> None:
    write_course(tmp_path, "kursus-baik")
    (write_course(tmp_path, "kursus-rusak") / "course.md").write_text("---\ntitle: Tanpa kode\n---\n")

    first = courses(app, "sync", str(tmp_path))
    second = courses(app, "sync", str(tmp_path))

    assert first.exit_code == 1
    assert "baru: 1 (kursus-baik)" in first.output
    assert "ditolak: 1" in first.output
    assert "kursus-rusak/course.md:" in first.output
    assert "tidak berubah: 1" in second.output


def test_sync_defaults_to_the_configured_folder(app: Flask) -> None:
    write_course(Path(app.config["ELEARN_COURSES_DIR"]), "kursus-a")

    result = courses(app, "sync")

    assert result.exit_code == 0, result.output
    assert "baru: 1 (kursus-a)" in result.output


def test_sync_refuses_a_prerequisite_cycle_naming_file_and_line(app: Flask, tmp_path: Path) -> None:
    write_course(tmp_path, "kursus-a", extra="prerequisites: [kursus-b]\n")
    write_course(tmp_path, "kursus-b", extra="prerequisites: [kursus-a]\n")

    result = courses(app, "sync", str(tmp_path))

    assert result.exit_code == 1
    assert "ditolak: 2" in result.output
    assert "kursus-a/course.md:8:17: prasyarat melingkar: kursus-a -> kursus-b -> kursus-a" in result.output
    assert "kursus-b/course.md:8:17: prasyarat melingkar" in result.output
