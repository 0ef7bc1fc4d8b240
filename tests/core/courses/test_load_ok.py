"""The valid fixture course loads completely, with every question type and the answer keys."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from elearn.courses import course_source_hash, load_course

from .conftest import KNOWN, OK_COURSE


def test_ok_course_loads_without_problems() -> None:
    load = load_course(OK_COURSE, known_competencies=KNOWN)
    assert load.problems == ()
    course = load.course
    assert course is not None
    assert (course.slug, course.code, course.jp, course.language) == (
        "kursus-contoh",
        "CONTOH-01",
        Decimal(2),
        "id",
    )
    assert course.competencies == (("M.05", 2), ("T.CONTOH.01", 1))
    assert [module.key for module in course.modules] == ["01-materi", "02-kuis", "03-posttest", "04-survei"]
    assert course.completion.required_modules == ("01-materi", "02-kuis", "03-posttest")
    assert course.completion.posttest_pass is True
    assert course.content_hash == course_source_hash(OK_COURSE)
    assert [asset.path for asset in course.assets] == ["assets/alur.png", "assets/panduan.pdf"]


def test_ok_course_quiz_has_every_question_type_with_keys() -> None:
    course = load_course(OK_COURSE, known_competencies=KNOWN).course
    assert course is not None
    questions = {question.id: question for question in course.module("02-kuis").questions}
    assert {question.type for question in questions.values()} == {
        "single", "multiple", "truefalse", "short", "numeric", "matching",
    }  # fmt: skip
    spm = questions["soal-spm"]
    assert [(option.id, option.correct) for option in spm.options] == [("a", False), ("b", True)]
    assert "nama aplikasi" in spm.options[0].feedback_html
    assert spm.explanation_html.startswith("<p>Penjelasan:")
    assert spm.line == 12
    assert questions["soal-komponen"].points == 2
    assert [option.id for option in questions["soal-maklumat"].options] == ["true", "false"]
    assert [(a.pattern, a.credit, a.feedback_html) for a in questions["soal-istilah"].text_answers] == [
        ("maklumat pelayanan", 1, ""),
        ("maklumat", 1, ""),
        ("*kesanggupan*", Decimal("0.5"), "<p>Hampir: dokumennya disebut maklumat pelayanan.</p>"),
        ("*", 0, "<p>Lihat kembali bagian maklumat pelayanan.</p>"),
    ]
    ikm = questions["soal-ikm"].numeric_answers[0]
    assert (ikm.low, ikm.high) == (Decimal("76.11"), Decimal("77.11"))
    assert questions["soal-hari"].numeric_answers[1].accepts(Decimal(12))
    assert [pair.left_html for pair in questions["soal-jodoh"].pairs] == ["SPM", "IKM", "MPP"]
    assert questions["soal-jodoh"].distractors == ("Indeks Kinerja Mandiri",)


def test_ok_course_quiz_settings_and_survey_defaults() -> None:
    course = load_course(OK_COURSE, known_competencies=KNOWN).course
    assert course is not None
    posttest = course.module("03-posttest")
    assert posttest.quiz is not None and (posttest.quiz.form, posttest.quiz.pass_mark) == ("B", 50)
    survey = course.module("04-survei")
    assert survey.quiz is None and survey.required is False
    assert [question.type for question in survey.questions] == ["likert", "text"]


def test_lesson_links_rewritten_to_module_keys_and_assets_kept() -> None:
    course = load_course(OK_COURSE, known_competencies=KNOWN).course
    assert course is not None
    body = course.module("01-materi").body_html
    assert 'href="02-kuis#soal-spm"' in body
    assert 'src="assets/alur.png"' in body and 'width="300"' in body
    assert 'href="assets/panduan.pdf"' in body


def test_question_hash_survives_unrelated_edit(course_copy: Path) -> None:
    before = load_course(course_copy, known_competencies=KNOWN).course
    quiz = course_copy / "02-kuis.md"
    quiz.write_text(quiz.read_text().replace("Kerjakan semua soal.", "Kerjakan semua soal dengan teliti."))
    after = load_course(course_copy, known_competencies=KNOWN).course
    assert before is not None and after is not None
    assert [q.content_hash for q in before.module("02-kuis").questions] == [
        q.content_hash for q in after.module("02-kuis").questions
    ]
    assert before.module("02-kuis").content_hash != after.module("02-kuis").content_hash
    assert before.module("01-materi").content_hash == after.module("01-materi").content_hash
    assert before.content_hash != after.content_hash


def test_missing_posttest_is_not_an_error(course_copy: Path) -> None:
    (course_copy / "03-posttest.md").unlink()
    load = load_course(course_copy, known_competencies=KNOWN)
    assert load.course is not None
    assert load.course.completion.posttest_pass is False
    assert [problem.severity for problem in load.problems] == ["warning"]


def test_course_source_hash_changes_with_any_file(course_copy: Path) -> None:
    before = course_source_hash(course_copy)
    (course_copy / "assets" / "catatan.txt").write_text("baru")
    assert course_source_hash(course_copy) != before
