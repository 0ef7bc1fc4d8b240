"""GIFT import: every supported Moodle question type lands in the course quiz syntax, the rest is reported."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from elearn.courses import format_problems, load_course
from elearn.courses.gift import GiftConversion, GiftSkip, gift_to_markdown

FIXTURE = Path(__file__).parent.parent / "fixtures" / "gift" / "bank-soal.gift"


def _convert(gift: str) -> GiftConversion:
    return gift_to_markdown(gift, source_name="uji.gift", title="Bank Soal")


def _questions(markdown: str) -> dict[str, str]:
    """Map each question id to its section (heading line to the line before the next heading)."""
    sections = re.split(r"^(?=## )", markdown, flags=re.MULTILINE)[1:]
    return {re.search(r"\{#([a-z0-9-]+)", section)[1]: section.strip() for section in sections}


@pytest.fixture(scope="module")
def bank() -> GiftConversion:
    return gift_to_markdown(FIXTURE.read_text(encoding="utf-8"), source_name=FIXTURE.name, title="Bank Soal")


@pytest.fixture(scope="module")
def questions(bank: GiftConversion) -> dict[str, str]:
    return _questions(bank.markdown)


def test_fixture_converts_every_supported_question(bank: GiftConversion, questions: dict[str, str]) -> None:
    assert bank.converted == 16
    assert list(questions) == [
        "spm-kepanjangan",
        "maklumat-pelayanan-wajib-oleh-penyelenggara",
        "asas-pelayanan",
        "unsur-standar",
        "pengaduan-gratis",
        "ombudsman",
        "pungli",
        "singkatan-asn",
        "nilai-pi",
        "rentang-hari-kerja",
        "tahun-uu",
        "pasangan-lembaga",
        "penjelasan-umum",
        "format-html",
        "karakter-khusus",
        "spm-kepanjangan-2",
    ]


def test_fixture_front_matter_makes_a_quiz_module(bank: GiftConversion) -> None:
    front_matter = bank.markdown.split("---\n")[1]
    assert yaml.safe_load(front_matter) == {"title": "Bank Soal", "kind": "quiz", "pass_mark": 70}
    assert "# Diimpor dari GIFT: bank-soal.gift" in front_matter


def test_fixture_skips_essay_and_description_with_reasons(bank: GiftConversion) -> None:
    assert bank.skipped == (
        GiftSkip(81, "Esai pengalaman", "soal esai tidak didukung"),
        GiftSkip(83, "Deskripsi", "butir deskripsi (tanpa jawaban) tidak didukung"),
    )


def test_single_choice_marks_equals_answer_correct_with_feedback(questions: dict[str, str]) -> None:
    assert questions["spm-kepanjangan"] == (
        "## Apa kepanjangan SPM dalam pelayanan publik? {#spm-kepanjangan}\n\n"
        "- [ ] Sistem Pelayanan Mandiri\n"
        "  > Bukan: itu nama aplikasi.\n"
        "- [x] Standar Pelayanan Minimal\n"
        "  > Tepat.\n"
        "- [ ] Satuan Pengawas Mutu"
    )


def test_missing_word_question_shows_a_blank_between_text_before_and_after(questions: dict[str, str]) -> None:
    heading, options = questions["maklumat-pelayanan-wajib-oleh-penyelenggara"].split("\n\n")
    assert heading.startswith(r"## Maklumat pelayanan wajib \_\_\_\_\_ oleh penyelenggara. {#")
    assert options == "- [x] dipublikasikan\n- [ ] dirahasiakan\n- [ ] diarsipkan"


def test_multiple_answers_keep_their_weights_as_credits(questions: dict[str, str]) -> None:
    assert questions["asas-pelayanan"].endswith(
        "type=multiple}\n\n- [50%] Kepastian hukum\n- [50%] Keterbukaan\n- [-50%] Kerahasiaan\n- [-50%] Diskriminasi"
    )
    assert questions["unsur-standar"].endswith(
        "- [50%] Persyaratan\n- [30%] Biaya/tarif\n- [20%] Produk pelayanan\n- [0%] Warna seragam"
    )


def test_fixture_converts_without_a_single_note(bank: GiftConversion) -> None:
    assert bank.warnings == ()


def test_true_false_accepts_t_true_and_f_and_places_feedback(questions: dict[str, str]) -> None:
    assert questions["pengaduan-gratis"].endswith("type=truefalse}\n\n- [x] Benar\n- [ ] Salah")
    assert questions["ombudsman"].endswith(
        "- [x] Benar\n  > Benar sekali.\n- [ ] Salah\n  > Keliru: Ombudsman memang lembaga negara."
    )
    assert questions["pungli"].endswith(
        "- [ ] Benar\n  > Pungli tetap dilarang.\n- [x] Salah\n  > Tepat, tetap dilarang.\n\n"
        "> Penjelasan: Pungutan tanpa dasar hukum selalu dilarang."
    )


def test_short_answer_lists_every_alternative(questions: dict[str, str]) -> None:
    assert questions["singkatan-asn"] == (
        "## Apa kepanjangan ASN? {#singkatan-asn type=short}\n\n"
        "= Aparatur Sipil Negara\n= aparatur sipil negara"
    )


def test_numeric_answers_keep_tolerance_ranges_and_alternatives(questions: dict[str, str]) -> None:
    assert questions["nilai-pi"].endswith("{#nilai-pi type=numeric}\n\n= 3.14 +- 0.01")
    assert questions["rentang-hari-kerja"].endswith("type=numeric}\n\n= 1..5")
    assert questions["tahun-uu"].endswith("type=numeric}\n\n= 2009\n= 2009.5 +- 0.5")


def test_matching_keeps_each_pair(questions: dict[str, str]) -> None:
    assert questions["pasangan-lembaga"].endswith(
        "type=matching}\n\n"
        "- Ombudsman -> Pengawas pelayanan publik\n"
        "- KemenPANRB -> Pembina pelayanan publik\n"
        "- BKN -> Manajemen ASN"
    )


def test_general_feedback_becomes_explanation_and_markdown_stays(questions: dict[str, str]) -> None:
    assert questions["penjelasan-umum"] == (
        "## Pelayanan **prima** berarti ... {#penjelasan-umum}\n\n"
        "- [x] melampaui harapan warga\n- [ ] sekadar memenuhi prosedur\n\n"
        "> Penjelasan: Pelayanan prima *melampaui* standar minimal."
    )


def test_html_question_keeps_inline_markup_and_drops_paragraph_tags(questions: dict[str, str]) -> None:
    assert questions["format-html"].startswith(
        "## Unit mana yang <b>wajib</b> menyediakan sarana pengaduan? {#format-html}"
    )


def test_escaped_gift_characters_are_literal_and_markdown_escaped(questions: dict[str, str]) -> None:
    assert questions["karakter-khusus"] == (
        r"## Rumus \{a\} = b ~ c \# 1: 2\*3 \[tautan\] \_miring\_? {#karakter-khusus}"
        "\n\n"
        r"- [x] Jawab = benar \#1"
        "\n- [ ] Salah"
    )


def test_comments_and_category_lines_leave_no_trace(bank: GiftConversion) -> None:
    assert "//" not in bank.markdown
    assert "CATEGORY" not in bank.markdown
    assert "komentar" not in bank.markdown.lower()


def test_repeated_title_gets_a_suffixed_id(questions: dict[str, str]) -> None:
    assert questions["spm-kepanjangan-2"].endswith("type=short}\n\n= SPM")


def test_question_without_title_gets_id_from_its_text() -> None:
    assert list(_questions(_convert("Berapa jumlah JP minimal per tahun?{#20}").markdown)) == [
        "berapa-jumlah-jp-minimal-per-tahun"
    ]


def test_plain_text_lines_that_look_like_markdown_blocks_are_escaped() -> None:
    conversion = _convert("::blok::[plain]Perhatikan <daftar>:\n- satu\n1. dua\n= tiga\n!!! note{=ok}")
    assert _questions(conversion.markdown)["blok"] == (
        "## Perhatikan &lt;daftar&gt;: {#blok type=short}\n\n"
        r"\- satu"
        "\n\n"
        r"1\. dua"
        "\n\n&#61; tiga\n\n"
        r"\!!! note"
        "\n\n= ok"
    )


def test_multiline_markdown_question_keeps_its_text_as_stem() -> None:
    conversion = _convert("::kode::[markdown]Perhatikan:\n```\nx = 1\n```\nBerapa x?{#1}")
    assert _questions(conversion.markdown)["kode"] == (
        "## kode {#kode type=numeric}\n\nPerhatikan:\n```\nx = 1\n```\nBerapa x?\n\n= 1"
    )


def test_soft_wrapped_markdown_question_is_folded_into_the_heading() -> None:
    conversion = _convert("::lipat::[markdown]Baris pertama\nberlanjut *di sini*?{T}")
    assert _questions(conversion.markdown)["lipat"].startswith(
        "## Baris pertama berlanjut *di sini*? {#lipat type=truefalse}\n\n- [x] Benar"
    )


def test_numeric_answers_are_written_as_plain_decimals() -> None:
    conversion = _convert("::desimal::Berapa?{#=.5:1e-1 =+2..3.0}")
    assert _questions(conversion.markdown)["desimal"].endswith("= 0.5 +- 0.1\n= 2..3.0")


def test_html_media_is_dropped_and_named() -> None:
    conversion = _convert('::gambar::[html]Apa ini? <img src="@@PLUGINFILE@@/a.png">{=logo}')
    assert conversion.converted == 1
    assert conversion.warnings == (GiftSkip(1, "gambar", "media HTML dihapus: <img> @@PLUGINFILE@@/a.png"),)


def test_short_answer_weights_and_feedback_become_credits_and_feedback() -> None:
    conversion = _convert("::ibu kota::Ibu kota Indonesia?{=Jakarta =%50%Nusantara =%0%Bandung#Bukan}")
    assert _questions(conversion.markdown)["ibu-kota"].endswith(
        "= Jakarta\n= [50%] Nusantara\n= [0%] Bandung\n  > Bukan"
    )
    assert conversion.warnings == ()


def test_partial_weight_in_single_answer_question_becomes_a_half_right_option() -> None:
    conversion = _convert("::kota::Kota terbesar?{=Jakarta ~%50%Surabaya ~Bandung}")
    assert _questions(conversion.markdown)["kota"].endswith(
        "{#kota type=single}\n\n- [x] Jakarta\n- [50%] Surabaya\n- [ ] Bandung"
    )
    assert conversion.warnings == ()


@pytest.mark.parametrize(
    ("gift", "answers"),
    [
        ("::a::Pilih.{=x =y ~z}", "{#a type=single}\n\n- [x] x\n- [x] y\n- [ ] z"),
        ("::a::Berapa?{#2 ~#Hitung lagi.}", "{#a type=numeric}\n\n= 2\n= *\n  > Hitung lagi."),
        ("::a::Kode?{=AB*}", "{#a type=short}\n\n= AB*"),
        ("::a::Kode?{=%100%*}", "{#a type=short}\n\n= [100%] *"),
        ("::a::Kode?{=A =%0%*#Coba lagi.}", "{#a type=short}\n\n= A\n= *\n  > Coba lagi."),
        ("::a::Jodohkan.{=a -> 1 =b -> 2 = -> 3}", "{#a type=matching}\n\n- a -> 1\n- b -> 2\n- -> 3"),
        ("::a::Berapa?{#5..1}", "{#a type=numeric}\n\n= 1..5"),
        ("::a::Berapa?{#3:-0.5}", "{#a type=numeric}\n\n= 3 +- 0.5"),
        ("::a::Pilih.{=%50%x ~y}", "{#a}\n\n- [x] %50%x\n- [ ] y"),
        ("::a::Pilih.{~%33.333333%x ~%66.666667%y ~z}", "- [33.33333%] x\n- [66.66667%] y\n- [0%] z"),
    ],
)
def test_moodle_constructs_convert_with_their_meaning_and_no_note(gift: str, answers: str) -> None:
    conversion = _convert(gift)
    assert (conversion.converted, conversion.skipped, conversion.warnings) == (1, (), ())
    assert conversion.markdown.rstrip().endswith(answers)


def test_penalty_in_a_single_answer_question_is_noted() -> None:
    conversion = _convert("::a::Pilih.{=x ~%-50%y}")
    assert conversion.markdown.rstrip().endswith("{#a}\n\n- [x] x\n- [ ] y")
    assert conversion.warnings == (
        GiftSkip(
            1,
            "a",
            "penalti -50% pada soal satu jawaban dihitung 0%: nilai satu soal di elearn tidak pernah di bawah 0",
        ),
    )


def test_moodle_text_lines_become_heading_and_stem_paragraphs() -> None:
    conversion = _convert("::baris::Perhatikan data berikut:\nA = 1\n- B\nBerapa A?{#1}")
    assert _questions(conversion.markdown)["baris"] == (
        "## Perhatikan data berikut: {#baris type=numeric}\n\nA = 1\n\n\\- B\n\nBerapa A?\n\n= 1"
    )


def test_newline_escape_splits_option_feedback_into_quoted_paragraphs() -> None:
    conversion = _convert("::umpan::Pilih.{~a#baris satu\\nbaris dua =b}")
    assert _questions(conversion.markdown)["umpan"].endswith(
        "- [ ] a\n  > baris satu\n  >\n  > baris dua\n- [x] b"
    )


@pytest.mark.parametrize(
    ("gift", "reason"),
    [
        ("::a::Pilih.{~%-50%x ~%0%y}", "bobot positif berjumlah 0%, bukan 100% (Moodle juga menolaknya)"),
        ("::a::Pilih.{~%50%x ~%40%y}", "bobot positif berjumlah 90%, bukan 100% (Moodle juga menolaknya)"),
        ("::a::Pilih.{~%100%x}", "soal pilihan ganda memerlukan minimal dua pilihan"),
        ("::a::Sebutkan.{=%0%x}", "tidak ada jawaban bernilai 100%"),
        ("::a::Sebutkan.{=%150%x}", "bobot 150% di luar -100% sampai 100% (Moodle juga menolaknya)"),
        ("::a::Jodohkan.{=a -> b}", "soal menjodohkan memerlukan minimal dua pasangan"),
        ("::a::Jodohkan.{=a -> b =a -> c}", "butir kiri 'a' ditulis dua kali"),
        ("::a::Berapa?{#tiga}", "jawaban numerik tidak dapat dibaca: 'tiga'"),
        ("::a::{=x}", "soal tanpa teks pertanyaan"),
    ],
)
def test_questions_the_format_cannot_express_are_skipped(gift: str, reason: str) -> None:
    conversion = _convert("::ok::Benar?{T}\n\n" + gift)
    assert conversion.converted == 1
    assert conversion.skipped == (GiftSkip(3, "a", reason),)


@pytest.mark.parametrize(
    ("gift", "line", "message"),
    [
        ("::a::Soal\n{=x", 2, "kurung kurawal '{' dan '}' tidak berpasangan"),
        ("::a::Soal =x}", 1, "kurung kurawal '{' dan '}' tidak berpasangan"),
        ("::a::Soal } lalu {=x}", 1, "kurung kurawal '{' dan '}' tidak berpasangan"),
        ("::a::Soal {=x} dan\n{=y}", 1, "lebih dari satu blok jawaban '{...}'"),
        ("// awal\n::judul tanpa tutup Soal {=x}", 2, "judul soal diawali '::' tetapi tidak ditutup '::'"),
    ],
)
def test_broken_question_is_listed_with_its_line_and_the_rest_converts(
    gift: str, line: int, message: str
) -> None:
    conversion = _convert("::ok::Benar?{T}\n\n" + gift + "\n\n::lagi::Salah?{F}")
    assert conversion.converted == 2
    assert list(_questions(conversion.markdown)) == ["ok", "lagi"]
    [broken] = conversion.skipped
    assert (broken.line, broken.reason) == (line + 2, message)
    assert broken.question in ("a", "judul tanpa tutup Soal")


def test_converted_fixture_passes_the_course_validator(bank: GiftConversion, tmp_path: Path) -> None:
    folder = tmp_path / "bank-soal"
    folder.mkdir()
    (folder / "course.md").write_text(
        "---\ntitle: Bank Soal Impor\ncode: GIFT-01\nsummary: Soal hasil impor.\njp: 1\n---\nRingkasan.\n",
        encoding="utf-8",
    )
    (folder / "01-bank-soal.md").write_text(bank.markdown, encoding="utf-8")
    load = load_course(folder, known_competencies=())
    assert load.problems == (), format_problems(load.problems)
    assert load.course is not None
    loaded = {question.id: question for question in load.course.modules[0].questions}
    assert {question_id: question.type for question_id, question in loaded.items()} == {
        "spm-kepanjangan": "single",
        "maklumat-pelayanan-wajib-oleh-penyelenggara": "single",
        "asas-pelayanan": "multiple",
        "unsur-standar": "multiple",
        "pengaduan-gratis": "truefalse",
        "ombudsman": "truefalse",
        "pungli": "truefalse",
        "singkatan-asn": "short",
        "nilai-pi": "numeric",
        "rentang-hari-kerja": "numeric",
        "tahun-uu": "numeric",
        "pasangan-lembaga": "matching",
        "penjelasan-umum": "single",
        "format-html": "single",
        "karakter-khusus": "single",
        "spm-kepanjangan-2": "short",
    }
    assert loaded["karakter-khusus"].stem_html == "<p>Rumus {a} = b ~ c # 1: 2*3 [tautan] _miring_?</p>"
    assert [option.html for option in loaded["karakter-khusus"].options] == ["Jawab = benar #1", "Salah"]
