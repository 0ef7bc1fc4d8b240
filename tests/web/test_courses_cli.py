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


def test_import_gift_reports_a_broken_bank_with_its_line(offline_app: Flask, tmp_path: Path) -> None:
    folder = write_course(tmp_path, "kursus-a")
    bank = tmp_path / "rusak.gift"
    bank.write_text("::Soal::Apa jawabannya?{\n=Benar\n~Salah\n")

    result = courses(offline_app, "import-gift", str(bank), "--to", str(folder / "04-kuis.md"))

    assert result.exit_code == 1
    assert f"{bank}:" in result.output
    assert not (folder / "04-kuis.md").exists()


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
