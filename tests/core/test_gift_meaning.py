"""A GIFT bank using every supported construct converts without a note, passes the course check, and scores as
Moodle scores it (expectations computed by hand from the weights in tests/fixtures/gift/bank-lengkap.gift)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from elearn.courses import format_problems, load_course
from elearn.courses.gift import GiftConversion, GiftFileError, decode_gift, gift_to_markdown
from elearn.quizzes import Scored, StoredQuestion, parse_response, score, stored_columns
from tests.core.courses.conftest import KNOWN

BANK = Path(__file__).parent.parent / "fixtures" / "gift" / "bank-lengkap.gift"
D = Decimal


@pytest.fixture(scope="module")
def conversion() -> GiftConversion:
    return gift_to_markdown(decode_gift(BANK.read_bytes()), source_name=BANK.name, title="Bank Lengkap")


@pytest.fixture(scope="module")
def questions(
    conversion: GiftConversion, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, StoredQuestion]:
    folder = tmp_path_factory.mktemp("kursus") / "bank-lengkap"
    folder.mkdir()
    (folder / "course.md").write_text("---\ntitle: Bank\ncode: GIFT-02\nsummary: Impor.\njp: 1\n---\nIsi.\n")
    (folder / "01-bank-lengkap.md").write_text(conversion.markdown)
    load = load_course(folder, known_competencies=KNOWN)
    assert load.problems == (), format_problems(load.problems)
    assert load.course is not None
    fields = ("qid", "type", "points", "options", "answer_key")
    return {
        question.id: StoredQuestion.from_columns(**{name: stored_columns(question)[name] for name in fields})
        for question in load.course.modules[0].questions
    }


def answer(question: StoredQuestion, *texts: str) -> Scored:
    """Score choosing the options with these texts, or typing the one text (short and numeric)."""
    by_html = {option.html: option.id for option in question.options}
    values = [by_html[text] for text in texts] if question.options else list(texts)
    response = parse_response(question, values)
    assert isinstance(response, dict), response
    return score(question, response)


def test_every_construct_converts_without_a_note(conversion: GiftConversion) -> None:
    assert (conversion.converted, conversion.skipped, conversion.warnings) == (12, (), ())


def test_weights_feedback_and_catch_alls_are_written_as_course_syntax(conversion: GiftConversion) -> None:
    markdown = conversion.markdown
    assert (
        "{#lembaga-pengawas type=single}\n\n"
        "- [x] Ombudsman Republik Indonesia\n  > Tepat.\n"
        "- [x] Ombudsman RI\n  > Tepat, singkatannya juga benar.\n"
        "- [50%] Inspektorat daerah\n  > Hanya pengawas internal pemerintah daerah.\n"
        "- [ ] Badan Kepegawaian Negara\n  > BKN mengurus manajemen ASN.\n\n"
        "> Penjelasan: UU 37/2008 tentang Ombudsman Republik Indonesia."
    ) in markdown
    assert (
        "= Nusantara\n  > Tepat.\n= Ibu Kota Nusantara\n  > Tepat, nama lengkapnya.\n"
        "= [50%] IKN\n  > Singkatannya benar.\n= [25%] *Nusantara*\n  > Ada kata Nusantara-nya.\n"
        "= *\n  > Bacalah UU 3/2022."
    ) in markdown
    assert (
        "= 14\n  > Tepat.\n= [50%] 10..20\n  > Hampir.\n= *\n  > Lihat kembali Perpres 76/2013." in markdown
    )
    assert "- BKN -> Manajemen ASN\n- -> Penyelenggara pemilu" in markdown


def test_text_that_is_not_html_stays_literal_and_safe_links_stay(conversion: GiftConversion) -> None:
    markdown = conversion.markdown
    assert "## Jika x &lt; y dan y &gt; z, apakah x pasti lebih kecil dari z? {#perbandingan" in markdown
    assert "## Apa arti &lt;b&gt; dalam kode HTML? {#kode-polos type=short}" in markdown
    assert "Peraturan dapat dibaca di [peraturan.go.id](<https://peraturan.go.id>)." in markdown


def test_single_choice_with_two_right_answers_and_a_half_right_one(
    questions: dict[str, StoredQuestion],
) -> None:
    question = questions["lembaga-pengawas"]
    assert answer(question, "Ombudsman RI") == Scored(
        D(1), D(1), True, ("<p>Tepat, singkatannya juga benar.</p>",)
    )
    assert answer(question, "Inspektorat daerah").fraction == D("0.5")
    assert answer(question, "Badan Kepegawaian Negara").fraction == 0


@pytest.mark.parametrize(
    ("chosen", "fraction"),
    [
        (("Kepastian hukum", "Keterbukaan"), "1"),  # 50 + 50
        (("Kepastian hukum", "Kerahasiaan"), "0"),  # 50 - 50
        (("Kepastian hukum", "Keterbukaan", "Kerahasiaan"), "0.5"),  # 50 + 50 - 50
        (("Kerahasiaan", "Diskriminasi"), "0"),  # -100, floored
    ],
)
def test_multiple_response_with_penalties(
    questions: dict[str, StoredQuestion], chosen: tuple[str, ...], fraction: str
) -> None:
    assert answer(questions["asas-pelayanan"], *chosen).fraction == D(fraction)


def test_multiple_response_with_unequal_weights_and_thirds(questions: dict[str, StoredQuestion]) -> None:
    assert answer(questions["unsur-standar"], "Persyaratan", "Biaya/tarif").fraction == D("0.8")  # 50 + 30
    everything = answer(
        questions["unsur-standar"], "Persyaratan", "Biaya/tarif", "Produk pelayanan", "Warna seragam"
    )
    assert (everything.fraction, everything.feedback_html) == (D(1), ("<p>Bukan komponen standar.</p>",))
    thirds = questions["tiga-unsur"]
    assert answer(thirds, "Persyaratan", "Waktu penyelesaian", "Perilaku pelaksana").correct  # 3 x 33.33333%
    assert answer(thirds, "Persyaratan", "Waktu penyelesaian").fraction == D("0.666667")
    assert answer(thirds, "Persyaratan", "Waktu penyelesaian", "Warna gedung").fraction == 0  # 66.67 - 100


def test_true_false_feedback_follows_the_chosen_answer(questions: dict[str, StoredQuestion]) -> None:
    question = questions["maklumat"]
    assert answer(question, "Benar") == Scored(D(1), D(1), True, ("<p>Benar.</p>",))
    assert answer(question, "Salah") == Scored(
        D(0), D(0), False, ("<p>Keliru: maklumat wajib diumumkan.</p>",)
    )


@pytest.mark.parametrize(
    ("typed", "fraction", "feedback"),
    [
        ("nusantara", "1", "<p>Tepat.</p>"),  # case does not count, as in Moodle's default
        ("IBU KOTA NUSANTARA", "1", "<p>Tepat, nama lengkapnya.</p>"),
        ("ikn", "0.5", "<p>Singkatannya benar.</p>"),
        ("Kota Nusantara Baru", "0.25", "<p>Ada kata Nusantara-nya.</p>"),  # *Nusantara*
        ("Jakarta", "0", "<p>Bacalah UU 3/2022.</p>"),  # the catch-all *
    ],
)
def test_short_answer_first_matching_pattern(
    questions: dict[str, StoredQuestion], typed: str, fraction: str, feedback: str
) -> None:
    scored = answer(questions["ibu-kota"], typed)
    assert (scored.fraction, scored.feedback_html) == (D(fraction), (feedback,))


@pytest.mark.parametrize(
    ("qid", "typed", "fraction", "feedback"),
    [
        ("hari-pengaduan", "14", "1", ("<p>Tepat.</p>",)),
        ("hari-pengaduan", "15", "0.5", ("<p>Hampir.</p>",)),  # inside 10..20
        ("hari-pengaduan", "20", "0.5", ("<p>Hampir.</p>",)),  # ranges are inclusive
        ("hari-pengaduan", "30", "0", ("<p>Lihat kembali Perpres 76/2013.</p>",)),  # GIFT's ~ for any other
        ("nilai-ikm", "76,61", "1", ()),  # 76.605..76.615
        ("nilai-ikm", "76.62", "0.5", ("<p>Dibulatkan terlalu kasar.</p>",)),  # 76.55..76.65
        ("nilai-ikm", "76.7", "0", ()),  # no answer holds it, and there is no catch-all
    ],
)
def test_numeric_first_interval_holding_the_number(
    questions: dict[str, StoredQuestion], qid: str, typed: str, fraction: str, feedback: tuple[str, ...]
) -> None:
    scored = answer(questions[qid], typed)
    assert (scored.fraction, scored.feedback_html) == (D(fraction), feedback)


def test_matching_with_a_distractor(questions: dict[str, StoredQuestion]) -> None:
    question = questions["pasangan-lembaga"]
    lefts = {option.html: option.id for option in question.side("left")}
    rights = {option.html: option.id for option in question.side("right")}
    assert "Penyelenggara pemilu" in rights and len(rights) == 4

    def pairs(*chosen: tuple[str, str]) -> Decimal:
        response = parse_response(question, [f"{lefts[left]}={rights[right]}" for left, right in chosen])
        assert isinstance(response, dict)
        return score(question, response).fraction

    right = (("Ombudsman", "Pengawas pelayanan publik"), ("KemenPANRB", "Pembina pelayanan publik"))
    assert pairs(*right, ("BKN", "Manajemen ASN")) == 1
    assert pairs(*right, ("BKN", "Penyelenggara pemilu")) == D("0.666667")  # 2 of 3


def test_literal_texts_and_the_html_question_score(questions: dict[str, StoredQuestion]) -> None:
    assert answer(questions["perbandingan"], "Salah").correct
    assert answer(questions["kode-polos"], "Huruf  Tebal").correct
    assert answer(questions["sumber-hukum"], "uu 25").fraction == D("0.5")


def test_a_file_that_is_not_utf8_is_refused_with_its_line() -> None:
    with pytest.raises(GiftFileError, match=r"bukan teks UTF-8 \(baris 2, kolom 9\)"):
        decode_gift("::a::A?{T}\n::b::Caf\u00e9?{T}".encode("latin-1"))
    assert decode_gift(b"\xef\xbb\xbf::a::A?{T}") == "::a::A?{T}"


def test_ids_already_used_in_the_course_are_not_reused() -> None:
    converted = gift_to_markdown(
        "::Maklumat::A?{T}\n\n::Maklumat::B?{F}", source_name="b.gift", title="B", taken_ids={"maklumat"}
    )
    assert "{#maklumat-2 type=truefalse}" in converted.markdown
    assert "{#maklumat-3 type=truefalse}" in converted.markdown


def test_unmarked_text_with_html_is_read_as_html_and_plain_text_as_written() -> None:
    converted = gift_to_markdown(
        "::a::Mana yang <b>wajib</b>?{=x ~y}\n\n::b::[plain]Baris <i>miring</i>?{T}\n\n"
        "::c::Tulis <NIP> Anda.{=ya ~tidak}",
        source_name="b.gift",
        title="B",
    )
    assert "## Mana yang <b>wajib</b>? {#a}" in converted.markdown
    assert "## Baris &lt;i&gt;miring&lt;/i&gt;? {#b type=truefalse}" in converted.markdown
    assert "## Tulis &lt;NIP&gt; Anda. {#c}" in converted.markdown
    assert converted.warnings == ()


def test_dropped_links_and_media_are_named() -> None:
    converted = gift_to_markdown(
        '::a::[html]Lihat <a href="@@PLUGINFILE@@/peta.pdf">peta</a> <video src="@@PLUGINFILE@@/v.mp4"></video>?{T}'
        "\n\n::b::[markdown]Lihat ![peta](@@PLUGINFILE@@/peta.png) dan [aturan](../aturan.pdf)?{T}",
        source_name="b.gift",
        title="B",
    )
    assert [(note.question, note.reason) for note in converted.warnings] == [
        ("a", "tautan dihapus (teksnya tetap): @@PLUGINFILE@@/peta.pdf"),
        ("a", "media HTML dihapus: <video> @@PLUGINFILE@@/v.mp4"),
        ("b", "gambar dihapus: @@PLUGINFILE@@/peta.png"),
        ("b", "tautan dihapus (teksnya tetap): ../aturan.pdf"),
    ]
    assert "## Lihat peta ? {#a type=truefalse}" in converted.markdown
    assert "## Lihat  dan aturan? {#b type=truefalse}" in converted.markdown
