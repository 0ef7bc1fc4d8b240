"""The quiz syntax for Moodle's meaning: credits, per-answer feedback, catch-alls, numeric credit, distractors;
each mistake reported at its line and column."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from elearn.courses import format_problems, load_course
from elearn.courses.drafts import QuestionDraft
from elearn.courses.problems import Problem, ProblemLog
from elearn.courses.questions import parse_questions
from elearn.quizzes import StoredQuestion, parse_response, score, stored_columns

from .conftest import KNOWN

D = Decimal


def parse(body: str, *, graded: bool = True) -> tuple[dict[str, QuestionDraft], list[str]]:
    """Drafts by id and every problem as `kuis.md:line:column: message`."""
    problems: list[Problem] = []
    sections = parse_questions(body, graded=graded, log=ProblemLog("kuis.md", sink=problems))
    return {draft.id: draft for draft in sections.questions}, [
        str(problem) if problem.severity == "error" else f"{problem} (peringatan)"
        for problem in sorted(problems)
    ]


def credits(draft: QuestionDraft) -> list[Decimal]:
    return [option.credit for option in draft.options]


def test_existing_choice_syntax_keeps_its_meaning() -> None:
    drafts, problems = parse(
        "## Satu {#satu}\n- [ ] a\n- [x] b\n\n## Banyak {#banyak}\n- [x] a\n- [x] b\n- [ ] c\n- [ ] d\n"
    )
    assert problems == []
    assert (drafts["satu"].type, credits(drafts["satu"])) == ("single", [0, 1])
    assert (drafts["banyak"].type, credits(drafts["banyak"])) == (
        "multiple",
        [D("0.5"), D("0.5"), -D("0.5"), -D("0.5")],
    )


def test_three_right_options_share_credit_to_seven_decimals() -> None:
    drafts, _ = parse("## T {#t}\n- [x] a\n- [x] b\n- [x] c\n- [ ] d\n")
    assert credits(drafts["t"]) == [D("0.3333333")] * 3 + [D("-0.3333333")]


def test_single_choice_with_partial_credit_and_two_fully_right_options() -> None:
    drafts, problems = parse(
        "## Kota {#kota type=single}\n- [x] Jakarta\n- [100%] DKI Jakarta\n"
        "- [50%] Batavia\n  > Nama lama.\n- [ ] Bandung\n"
    )
    assert problems == []
    assert credits(drafts["kota"]) == [1, 1, D("0.5"), 0]
    assert drafts["kota"].options[2].feedback == ["Nama lama."]


def test_credits_without_type_infer_single_or_multiple() -> None:
    drafts, problems = parse(
        "## A {#a}\n- [100%] x\n- [50%] y\n\n## B {#b}\n- [50%] x\n- [50%] y\n- [0%] z\n\n"
        "## C {#c}\n- [100%] x\n- [-50%] y\n"
    )
    assert problems == []
    assert [drafts[key].type for key in "abc"] == ["single", "multiple", "multiple"]


def test_multiple_response_with_penalties() -> None:
    drafts, problems = parse(
        "## Asas {#asas type=multiple}\n- [50%] Kepastian hukum\n- [50,0%] Keterbukaan\n"
        "- [-25%] Kerahasiaan\n  > Bukan asas.\n- [0%] Kecepatan\n"
    )
    assert problems == []
    assert credits(drafts["asas"]) == [D("0.5"), D("0.5"), D("-0.25"), 0]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "## M {#m type=multiple}\n- [50%] a\n- [40%] b\n- [-50%] c\n",
            "kuis.md:1:1: kredit positif soal 'm' berjumlah 90%, harus 100%",
        ),
        (
            "## M {#m type=multiple}\n- [50%] a\n- [x] b\n- [ ] c\n",
            "kuis.md:3:3: soal ini memakai persen: tulis kredit setiap opsi, mis. [50%], [0%] atau [-25%]",
        ),
        (
            "## S {#s type=single}\n- [x] a\n- [-50%] b\n",
            "kuis.md:3:3: kredit negatif hanya berlaku di soal pilihan ganda (type=multiple); "
            "nilai soal satu jawaban tidak pernah di bawah 0",
        ),
        (
            "## S {#s type=single}\n- [50%] a\n- [ ] b\n",
            "kuis.md:1:1: soal 's' butuh sedikitnya satu opsi bernilai 100% ([x] atau [100%])",
        ),
        ("## S {#s}\n- [150%] a\n- [x] b\n", "kuis.md:2:3: kredit '150%' di luar batas -100% sampai 100%"),
        (
            "## S {#s}\n- [x] a\n- [12.123456%] b\n",
            "kuis.md:3:3: kredit '12.123456%' terlalu rinci: paling banyak 5 angka desimal",
        ),
        (
            "## S {#s}\n- [x] a\n- [50] b\n",
            "kuis.md:3:3: tanda '[50]' tidak dikenal: tulis [x], [ ] atau persen seperti [50%], [-25%]",
        ),
        (
            "## B {#b type=truefalse}\n- [x] Benar\n- [50%] Salah\n",
            "kuis.md:3:3: soal benar/salah hanya memakai [x] dan [ ], tanpa persen",
        ),
    ],
)
def test_credit_mistakes_are_reported_at_line_and_column(body: str, expected: str) -> None:
    assert expected in parse(body)[1]


def test_positive_credits_that_round_to_100_percent_warn() -> None:
    drafts, problems = parse("## M {#m type=multiple}\n- [33.3%] a\n- [33.3%] b\n- [33.3%] c\n- [-50%] d\n")
    assert problems == [
        "kuis.md:1:1: kredit positif soal 'm' berjumlah 99.9%: jawaban lengkap mendapat 99.9% (peringatan)"
    ]
    assert credits(drafts["m"])[0] == D("0.333")


def test_short_answers_with_credit_feedback_and_catch_all() -> None:
    drafts, problems = parse(
        "## Ibu kota? {#ibu-kota type=short case=sensitive}\n"
        "= Jakarta\n  > Tepat.\n= [50%] Batavia\n  > Nama lama.\n  > Sejak 1942 bernama Jakarta.\n"
        "= *\n  > Ibu kota negara.\n> Penjelasan: UU 3/2022 memindahkan ibu kota.\n"
    )
    assert problems == []
    draft = drafts["ibu-kota"]
    assert draft.case_sensitive
    assert [(key.text, key.credit, key.feedback) for key in draft.short] == [
        ("Jakarta", 1, ["Tepat."]),
        ("Batavia", D("0.5"), ["Nama lama.", "Sejak 1942 bernama Jakarta."]),
        ("*", 0, ["Ibu kota negara."]),  # the catch-all earns 0% unless it says otherwise
    ]
    assert draft.explanation == "Penjelasan: UU 3/2022 memindahkan ibu kota."


def test_a_catch_all_with_zero_credit_and_answers_after_it() -> None:
    drafts, problems = parse("## K {#k type=short}\n= x\n= [10%] *\n= y\n")
    assert [key.credit for key in drafts["k"].short] == [1, D("0.1"), 1]
    assert problems == [
        "kuis.md:4:1: jawaban setelah '= *' tidak pernah dipakai: '*' menerima semua jawaban lain (peringatan)"
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "## K {#k type=short}\n= [50%] x\n",
            "kuis.md:1:1: soal 'k' butuh sedikitnya satu jawaban bernilai 100%",
        ),
        (
            "## K {#k type=short}\n= x\n= [-10%] y\n",
            "kuis.md:3:3: kredit jawaban tidak boleh negatif (0% sampai 100%)",
        ),
        (
            "## K {#k type=short}\n= [50] x\n",
            "kuis.md:2:3: tanda '[50]' tidak dikenal: tulis [x], [ ] atau persen seperti [50%], [-25%]",
        ),
        (
            "## K {#k type=short}\n= x\n  lanjutan\n",
            "kuis.md:3:3: jawaban '=' hanya satu baris; tulis umpan baliknya di bawahnya sebagai '  > ...'",
        ),
        (
            "## K {#k type=short case=kecil}\n= x\n",
            "kuis.md:1:1: case harus 'sensitive' atau 'insensitive', bukan 'kecil'",
        ),
        (
            "## K {#k type=numeric case=sensitive}\n= 1\n",
            "kuis.md:1:1: atribut case hanya berlaku untuk soal type=short",
        ),
        ("## K {#k type=short}\n", "kuis.md:1:1: soal 'k' tidak punya jawaban benar"),
    ],
)
def test_short_answer_mistakes_are_reported(body: str, expected: str) -> None:
    assert expected in parse(body)[1]


def test_numeric_answers_with_credit_feedback_and_any_other_number() -> None:
    drafts, problems = parse(
        "## Berapa? {#n type=numeric points=2}\n= 42 +- 0.5\n  > Tepat.\n= [50%] 40..45\n= [25%] 12,5\n"
        "= *\n  > Hitung ulang.\n"
    )
    assert problems == []
    assert [(k.low, k.high, k.credit, k.feedback) for k in drafts["n"].numeric] == [
        (D("41.5"), D("42.5"), 1, ["Tepat."]),
        (D("40"), D("45"), D("0.5"), []),
        (D("12.5"), D("12.5"), D("0.25"), []),
        (None, None, 0, ["Hitung ulang."]),
    ]


def test_numeric_key_mistakes_are_reported_at_the_key() -> None:
    _, problems = parse("## N {#n type=numeric}\n= 1\n= [50%] dua\n= 5..1\n")
    assert problems == [
        "kuis.md:3:9: kunci angka 'dua' tidak valid: tulis '= 42', '= 42 +- 0.5', '= 10..20' atau '= *'",
        "kuis.md:4:3: rentang '5..1' terbalik: batas bawah lebih besar dari batas atas",
    ]


def test_matching_with_distractors() -> None:
    drafts, problems = parse(
        "## Jodohkan {#j type=matching}\n- SPM -> Standar Pelayanan Minimal\n- IKM -> Indeks Kepuasan Masyarakat\n"
        "- -> Indeks Kinerja Mandiri\n- -> Standar Pelayanan Minimal\n"
    )
    draft = drafts["j"]
    assert [left for _, left, _ in draft.pairs] == ["SPM", "IKM"]
    assert draft.distractors == ["Indeks Kinerja Mandiri", "Standar Pelayanan Minimal"]
    assert problems == [
        "kuis.md:5:1: pengecoh 'Standar Pelayanan Minimal' sama dengan jawaban sebuah pasangan (peringatan)"
    ]


def test_survey_credits_are_ignored_with_a_warning() -> None:
    drafts, problems = parse("## Puas? {#p type=single}\n- [50%] ya\n- [ ] tidak\n", graded=False)
    assert credits(drafts["p"]) == [0, 0]
    assert problems == ["kuis.md:1:1: tanda [x] atau kredit diabaikan di survei (soal 'p') (peringatan)"]


def test_question_without_id_points_at_the_fix_command() -> None:
    _, problems = parse("## Tanpa id\n- [x] a\n")
    assert problems == [
        "kuis.md:1:1: soal tanpa id: tambahkan {#id-soal} di akhir judul soal, "
        "atau jalankan 'flask elearn courses check --fix'"
    ]


QUIZ = """\
---
title: Kuis
kind: quiz
---
## Ibu kota Indonesia menurut UU 3/2022? {#ibu-kota type=short points=2}
= Nusantara
  > Tepat: Ibu Kota Nusantara.
= [50%] IKN
  > Singkatannya benar; tulis namanya.
= *
  > Bacalah kembali UU 3/2022.
> Penjelasan: UU 3/2022 tentang Ibu Kota Negara.

## Unsur SKM? {#unsur type=multiple}
- [50%] Persyaratan
- [50%] Biaya/tarif
- [-50%] Warna seragam
  > Warna seragam bukan unsur **SKM**.

## Jodohkan. {#jodoh type=matching}
- SPM -> Standar Pelayanan Minimal
- IKM -> Indeks Kepuasan Masyarakat
- -> Indeks Kinerja Mandiri
"""


def loaded(tmp_path: Path) -> dict[str, StoredQuestion]:
    folder = tmp_path / "kursus-kuis"
    folder.mkdir()
    (folder / "course.md").write_text("---\ntitle: K\ncode: K-1\nsummary: S.\njp: 1\n---\nIsi.\n")
    (folder / "01-kuis.md").write_text(QUIZ)
    load = load_course(folder, known_competencies=KNOWN)
    assert load.problems == (), format_problems(load.problems)
    assert load.course is not None
    columns = [stored_columns(question) for question in load.course.modules[0].questions]
    fields = ("qid", "type", "points", "options", "answer_key")
    return {c["qid"]: StoredQuestion.from_columns(**{name: c[name] for name in fields}) for c in columns}


def test_markdown_to_stored_key_to_score(tmp_path: Path) -> None:
    questions = loaded(tmp_path)
    short = questions["ibu-kota"]
    ikn = score(short, parse_response(short, ["ikn"]))  # type: ignore[arg-type]
    assert (ikn.fraction, ikn.points) == (D("0.5"), D(1))
    assert ikn.feedback_html == ("<p>Singkatannya benar; tulis namanya.</p>",)
    other = score(short, parse_response(short, ["Jakarta"]))  # type: ignore[arg-type]
    assert (other.fraction, other.feedback_html) == (0, ("<p>Bacalah kembali UU 3/2022.</p>",))

    unsur = questions["unsur"]
    penalised = score(unsur, parse_response(unsur, [o.id for o in unsur.options]))  # type: ignore[arg-type]
    assert penalised.fraction == D("0.5")  # 50 + 50 - 50
    assert penalised.feedback_html == ("<p>Warna seragam bukan unsur <strong>SKM</strong>.</p>",)

    jodoh = questions["jodoh"]
    rights = {option.html: option.id for option in jodoh.side("right")}
    assert list(rights) == [
        "Indeks Kepuasan Masyarakat",
        "Indeks Kinerja Mandiri",
        "Standar Pelayanan Minimal",
    ]
    spm, ikm = (option.id for option in jodoh.side("left"))
    answer = [f"{spm}={rights['Standar Pelayanan Minimal']}", f"{ikm}={rights['Indeks Kinerja Mandiri']}"]
    assert score(jodoh, parse_response(jodoh, answer)).fraction == D("0.5")  # type: ignore[arg-type]
