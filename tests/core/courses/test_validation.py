"""One test per kind of validation problem, using the broken fixture courses."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from elearn.courses import Problem, check_tree, format_problems, load_course

from .conftest import BROKEN_TREE, KNOWN, load_broken


def errors(name: str) -> list[str]:
    """`file:line:column: message` of every error of a broken fixture (the load must have failed)."""
    load = load_broken(name)
    assert load.course is None
    return [str(problem) for problem in load.errors]


def test_problem_str_is_file_line_column_message() -> None:
    problem = Problem("kursus/course.md", 3, 7, "pesan", "error")
    assert str(problem) == "kursus/course.md:3:7: pesan"
    assert format_problems([Problem("b", 1, 1, "x"), problem]) == "b:1:1: x\nkursus/course.md:3:7: pesan"


def test_missing_required_key_reported() -> None:
    assert errors("missing-required-key") == [
        "missing-required-key/course.md:1:1: kunci wajib 'code' tidak ada di course.md"
    ]


def test_unknown_key_reported_with_suggestion() -> None:
    assert (
        "unknown-key/course.md:4:1: kunci 'sumary' tidak dikenal di course.md (maksud Anda: 'summary'?)"
        in errors("unknown-key")
    )


def test_bad_yaml_reported_at_yaml_error_line() -> None:
    [message] = errors("bad-yaml")
    assert message.startswith("bad-yaml/course.md:6:") and "YAML tidak valid" in message


def test_wrong_type_reported() -> None:
    assert errors("wrong-type") == ["wrong-type/course.md:5:5: 'jp' harus berupa angka"]


def test_unknown_competency_reported_with_suggestion() -> None:
    assert errors("unknown-competency") == [
        "unknown-competency/course.md:7:12: kode kompetensi 'M.5' tidak dikenal (maksud Anda: 'M.05'?)"
    ]


def test_level_outside_one_to_five_reported() -> None:
    assert errors("level-out-of-range") == [
        "level-out-of-range/course.md:7:25: 'level' harus 1 sampai 5, bukan 7"
    ]


def test_question_without_correct_answer_reported() -> None:
    assert errors("no-correct-answer") == [
        "no-correct-answer/01-kuis.md:5:1: soal 'tanpa-kunci' tidak punya jawaban benar"
    ]


def test_single_choice_without_a_full_credit_option_reported() -> None:
    assert errors("single-without-full-credit") == [
        "single-without-full-credit/01-kuis.md:5:1: soal 'satu' butuh sedikitnya satu opsi bernilai 100% "
        "([x] atau [100%])"
    ]


def test_duplicate_module_number_reported() -> None:
    assert errors("duplicate-module-number") == [
        "duplicate-module-number/01-ulang.md:1:1: nomor modul 01 sudah dipakai oleh 01-materi.md"
    ]


def test_duplicate_question_id_across_modules_reported() -> None:
    assert errors("duplicate-question-id") == [
        "duplicate-question-id/02-kuis-lagi.md:5:1: id soal 'baik' sudah dipakai di 01-kuis.md:5"
    ]


def test_duplicate_option_id_reported() -> None:
    assert errors("duplicate-option-id") == [
        "duplicate-option-id/01-kuis.md:7:1: id opsi 'a' sudah dipakai di baris 6 (soal 'opsi-ganda')"
    ]


def test_broken_module_asset_and_escaping_links_reported() -> None:
    assert errors("broken-links") == [
        "broken-links/01-materi.md:8:15: tautan ke modul yang tidak ada: '02-tidak-ada.md'",
        "broken-links/01-materi.md:8:46: tautan ke aset yang tidak ada: 'assets/hilang.png'",
        "broken-links/01-materi.md:8:76: tautan '../kursus-lain/course.md' keluar dari folder kursus",
    ]


def test_unsafe_url_schemes_reported() -> None:
    reported = errors("unsafe-url")
    assert len(reported) == 2
    assert "'javascript:'" in reported[0] and "'data:'" in reported[1]


def test_markup_the_sanitiser_strips_is_a_warning_naming_it() -> None:
    load = load_broken("stripped-html")
    assert load.course is not None
    assert [str(problem) for problem in load.problems] == [
        "stripped-html/01-materi.md:8:1: tag HTML <iframe> tidak diizinkan dan akan dibuang",
        "stripped-html/01-materi.md:10:1: atribut 'onclick' pada <p> tidak diizinkan dan akan dibuang",
        "stripped-html/01-materi.md:12:7: atribut 'target' tidak diizinkan dan akan dibuang",
    ]
    assert {problem.severity for problem in load.problems} == {"warning"}


def test_asset_with_unknown_type_refused() -> None:
    [message] = errors("bad-asset-type")
    assert message.startswith("bad-asset-type/assets/program.exe:1:1: jenis berkas '.exe' tidak diizinkan")


def test_symlinked_asset_refused(course_copy: Path) -> None:
    os.symlink("/etc/passwd", course_copy / "assets" / "rahasia.txt")
    load = load_course(course_copy, known_competencies=KNOWN)
    assert [str(problem) for problem in load.errors] == [
        "kursus-contoh/assets/rahasia.txt:1:1: tautan simbolik tidak diizinkan di assets"
    ]


def test_module_file_name_must_be_numbered() -> None:
    assert errors("bad-module-name") == [
        "bad-module-name/Materi Dua.md:1:1: nama modul harus NN-nama.md (dua angka, huruf kecil, '-')"
    ]


def test_course_cannot_require_itself() -> None:
    assert errors("prerequisite-self") == [
        "prerequisite-self/course.md:6:17: kursus tidak bisa menjadi prasyarat bagi dirinya sendiri"
    ]


def test_oversized_lesson_refused(course_copy: Path) -> None:
    load = load_course(course_copy, known_competencies=KNOWN, max_lesson_bytes=300)
    assert "kursus-contoh/01-materi.md:1:1: berkas terlalu besar" in format_problems(load.errors)


def test_tree_reports_cycles_and_unknown_prerequisites() -> None:
    loads = check_tree(BROKEN_TREE, known_competencies=KNOWN)
    assert loads["dasar"].course is not None
    cycle = "prasyarat melingkar: lanjutan-a -> lanjutan-b -> lanjutan-a"
    assert [str(p) for p in loads["lanjutan-a"].errors] == [f"lanjutan-a/course.md:6:17: {cycle}"]
    assert [str(p) for p in loads["lanjutan-b"].errors] == [f"lanjutan-b/course.md:6:17: {cycle}"]
    assert [str(p) for p in loads["mandiri"].errors] == [
        "mandiri/course.md:6:17: prasyarat 'tidak-ada' tidak ada",
        "mandiri/course.md:6:28: prasyarat 'dasr' tidak ada (maksud Anda: 'dasar'?)",
    ]


def test_tree_counts_competencies_defined_by_other_courses(tmp_path: Path, course_copy: Path) -> None:
    user = tmp_path / "pengguna"
    user.mkdir()
    (user / "course.md").write_text(
        "---\ntitle: T\ncode: T-1\nsummary: S.\njp: 1\n"
        "competencies:\n  - {code: T.CONTOH.01, level: 2}\n---\n"
    )
    (user / "01-a.md").write_text("---\ntitle: A\nkind: lesson\n---\nIsi.\n")
    assert load_course(user, known_competencies=KNOWN).course is None
    loads = check_tree(tmp_path, known_competencies=KNOWN)
    assert loads["pengguna"].problems == () and loads["kursus-contoh"].course is not None


@pytest.mark.parametrize(
    "expected",
    [
        "many-problems/01-materi.md:1:1: nomor modul 01 sudah dipakai oleh 01-ganda.md",
        "many-problems/01-materi.md:4:12: 'pass_mark' hanya berlaku untuk modul quiz, pretest, atau posttest",
        "many-problems/01-materi.md:9:10: tautan ke modul yang tidak ada: '09-hilang.md'",
        "many-problems/02-kuis.md:5:1: soal 'k1' tidak punya jawaban benar",
        "many-problems/02-kuis.md:9:1: soal tanpa id: tambahkan {#id-soal} di akhir judul soal",
        "many-problems/02-kuis.md:13:3: kunci angka 'sepuluh' tidak valid",
        "many-problems/02-kuis.md:15:1: soal menjodohkan 'k3' butuh sedikitnya dua pasangan",
        "many-problems/assets/skrip.sh:1:1: jenis berkas '.sh' tidak diizinkan",
        "many-problems/course.md:1:1: kunci wajib 'code' tidak ada di course.md",
        "many-problems/course.md:3:1: kunci 'sumary' tidak dikenal di course.md (maksud Anda: 'summary'?)",
        "many-problems/course.md:4:5: 'jp' harus berupa angka",
        "many-problems/course.md:6:12: kode kompetensi 'M.50' tidak dikenal",
    ],
)
def test_many_problems_all_reported_in_one_run(expected: str) -> None:
    assert expected in format_problems(load_broken("many-problems").problems)


def test_sample_courses_validate() -> None:
    root = Path(__file__).resolve().parents[3] / "courses"
    loads = check_tree(root, known_competencies=KNOWN)
    assert loads and all(load.course is not None for load in loads.values()), format_problems(
        [problem for load in loads.values() for problem in load.errors]
    )
