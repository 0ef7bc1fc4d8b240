"""What a question's answer lines mean, by Moodle's rules: credits per option, accepted answers in order, numeric
intervals, matching pairs and distractors. Each mistake is reported at the line (and column) that makes it."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from elearn.courses.credits import FULL, NONE, percent_text, scores_full, share, totals_full
from elearn.courses.drafts import AnswerBlock, KeyDraft, QuestionDraft, derived_id
from elearn.courses.problems import ProblemLog

ANY = "*"
"""`= *`: any other answer (short answer) or any other number (numeric), Moodle's catch-all."""

_NUMBER = r"-?[0-9]+(?:[.,][0-9]+)?"
_TOLERANCE = re.compile(rf"(?P<value>{_NUMBER})(?:[ \t]*(?:\+-|\+/-|±)[ \t]*(?P<tolerance>{_NUMBER}))?")
_RANGE = re.compile(rf"(?P<low>{_NUMBER})[ \t]*\.\.[ \t]*(?P<high>{_NUMBER})")
_TRUE_FALSE = {"benar": True, "salah": False, "true": True, "false": False}
_EXPECTED = {
    "single": "options", "multiple": "options", "truefalse": "options", "short": "keys", "numeric": "keys",
    "matching": "pairs", "likert": None, "text": None,
}  # fmt: skip


def fill_answers(draft: QuestionDraft, block: AnswerBlock, *, graded: bool, log: ProblemLog) -> None:
    """Check the answer block against the question type and store the keys on the draft."""
    used = {"options": bool(block.options), "keys": bool(block.keys), "pairs": bool(block.pairs)}
    expected = _EXPECTED[draft.type]
    if any(present and what != expected for what, present in used.items()):
        log.error(draft.line, 1, f"soal '{draft.id}' berjenis {draft.type}: blok jawabannya tidak cocok")
        return
    draft.options = block.options
    if draft.type in ("single", "multiple", "truefalse") and not graded:
        _ignore_survey_credits(draft, log)
    elif draft.type == "truefalse":
        _true_false(draft, log)
    elif draft.type == "single":
        _single(draft, log)
    elif draft.type == "multiple":
        _multiple(draft, log)
    elif draft.type == "short":
        draft.short = _keys(draft, block.keys, log)
        if not draft.short:
            _missing_key(draft, log)
    elif draft.type == "numeric":
        draft.numeric = _keys(draft, [key for key in block.keys if _interval(key, log)], log)
        if not block.keys:
            _missing_key(draft, log)
    elif draft.type == "matching":
        _pairs(draft, block, log)


def _missing_key(draft: QuestionDraft, log: ProblemLog) -> None:
    """Report a question with nothing to score against."""
    log.error(draft.line, 1, f"soal '{draft.id}' tidak punya jawaban benar")


def _ignore_survey_credits(draft: QuestionDraft, log: ProblemLog) -> None:
    """Survey choices have no right answer: marks are ignored with a warning, every credit is 0."""
    if any(option.checked or option.percent is not None for option in draft.options):
        log.warning(draft.line, 1, f"tanda [x] atau kredit diabaikan di survei (soal '{draft.id}')")


def _true_false(draft: QuestionDraft, log: ProblemLog) -> None:
    """Exactly the two options Benar/Salah (or True/False), one `[x]`, with fixed ids `true`/`false`."""
    for option in draft.options:
        if option.percent is not None:
            log.error(option.line, option.column, "soal benar/salah hanya memakai [x] dan [ ], tanpa persen")
    checked = sum(option.checked for option in draft.options)
    if checked == 0:
        _missing_key(draft, log)
    elif checked > 1:
        log.error(draft.line, 1, f"soal '{draft.id}' berjenis truefalse tetapi punya {checked} jawaban benar")
    texts = [option.text.strip().casefold() for option in draft.options]
    if (
        len(texts) != 2
        or not all(t in _TRUE_FALSE for t in texts)
        or len({_TRUE_FALSE[t] for t in texts}) != 2
    ):
        log.error(draft.line, 1, f"soal benar/salah '{draft.id}' harus punya tepat dua opsi: Benar dan Salah")
        return
    for option in draft.options:
        option.id = "true" if _TRUE_FALSE[option.text.strip().casefold()] else "false"
        option.credit = FULL if option.checked else NONE


def _single(draft: QuestionDraft, log: ProblemLog) -> None:
    """One answer allowed: `[x]` is 100%, `[ ]` 0%, `[N%]` N%; at least one option must earn 100% (Moodle)."""
    for option in draft.options:
        option.credit = FULL if option.checked else option.percent or NONE
        if option.credit < 0:
            log.error(
                option.line,
                option.column,
                "kredit negatif hanya berlaku di soal pilihan ganda (type=multiple); "
                "nilai soal satu jawaban tidak pernah di bawah 0",
            )
    if not any(option.checked or option.percent is not None for option in draft.options):
        _missing_key(draft, log)
    elif not any(option.credit == FULL for option in draft.options):
        log.error(
            draft.line, 1, f"soal '{draft.id}' butuh sedikitnya satu opsi bernilai 100% ([x] atau [100%])"
        )


def _multiple(draft: QuestionDraft, log: ProblemLog) -> None:
    """Several answers allowed: either only `[x]`/`[ ]` (each right +1/k, each wrong -1/k), or a percentage on
    every option whose positive credits add up to 100% (Moodle's rule)."""
    options = draft.options
    if not any(option.percent is not None for option in options):
        right = sum(option.checked for option in options)
        if right == 0:
            _missing_key(draft, log)
            return
        for option in options:
            option.credit = share(right) if option.checked else -share(right)
        return
    for option in options:
        if option.percent is None:
            log.error(
                option.line,
                option.column,
                "soal ini memakai persen: tulis kredit setiap opsi, mis. [50%], [0%] atau [-25%]",
            )
        option.credit = option.percent or NONE
    total = sum((option.credit for option in options if option.credit > 0), NONE)
    if not totals_full(total):
        log.error(
            draft.line, 1, f"kredit positif soal '{draft.id}' berjumlah {percent_text(total)}, harus 100%"
        )
    elif not scores_full(total):
        log.warning(
            draft.line,
            1,
            f"kredit positif soal '{draft.id}' berjumlah {percent_text(total)}: "
            f"jawaban lengkap mendapat {percent_text(min(total, FULL))}",
        )


def _keys(draft: QuestionDraft, keys: list[KeyDraft], log: ProblemLog) -> list[KeyDraft]:
    """Accepted answers in order, each 0..100% (without a marker 100%, but 0% for the catch-all `*`, which is
    there for its feedback); one must earn 100% (Moodle)."""
    kept = []
    for key in keys:
        if not key.text:
            log.warning(key.line, key.column, "baris '=' tanpa jawaban diabaikan")
            continue
        if key.percent is not None:
            key.credit = key.percent
        else:
            key.credit = NONE if key.text == ANY else FULL
        if key.credit < 0:
            log.error(key.line, key.column, "kredit jawaban tidak boleh negatif (0% sampai 100%)")
        kept.append(key)
    if not kept:
        return kept
    if not any(key.credit == FULL for key in kept):
        log.error(draft.line, 1, f"soal '{draft.id}' butuh sedikitnya satu jawaban bernilai 100%")
    catch_all = next((key for key in kept if key.text == ANY), None)
    if catch_all is not None and catch_all is not kept[-1]:
        log.warning(
            kept[kept.index(catch_all) + 1].line,
            1,
            "jawaban setelah '= *' tidak pernah dipakai: '*' menerima semua jawaban lain",
        )
    return kept


def _interval(key: KeyDraft, log: ProblemLog) -> bool:
    """`42`, `42 +- 0.5`, `10..20` (comma decimals allowed) or `*` as an inclusive interval on the key."""
    text = key.text
    if text == ANY:
        return True
    try:
        ranged = _RANGE.fullmatch(text)
        if ranged:
            low, high = _decimal(ranged.group("low")), _decimal(ranged.group("high"))
        else:
            exact = _TOLERANCE.fullmatch(text)
            if exact is None:
                raise InvalidOperation
            value, tolerance = _decimal(exact.group("value")), _decimal(exact.group("tolerance") or "0")
            low, high = value - abs(tolerance), value + abs(tolerance)
    except InvalidOperation:
        log.error(
            key.line,
            key.text_column,
            f"kunci angka '{text}' tidak valid: tulis '= 42', '= 42 +- 0.5', '= 10..20' atau '= *'",
        )
        return False
    if low > high:
        log.error(
            key.line, key.text_column, f"rentang '{text}' terbalik: batas bawah lebih besar dari batas atas"
        )
        return False
    key.low, key.high = low, high
    return True


def _pairs(draft: QuestionDraft, block: AnswerBlock, log: ProblemLog) -> None:
    """Matching needs at least two `- left -> right` pairs; `- -> right` lines add distractors."""
    draft.pairs = [(derived_id("p", p.left), p.left, p.right) for p in block.pairs if p.left is not None]
    rights = {" ".join(right.casefold().split()) for _, _, right in draft.pairs}
    for pair in block.pairs:
        if pair.left is None:
            if " ".join(pair.right.casefold().split()) in rights:
                log.warning(pair.line, 1, f"pengecoh '{pair.right}' sama dengan jawaban sebuah pasangan")
            draft.distractors.append(pair.right)
    if len(draft.pairs) < 2:
        log.error(
            draft.line,
            1,
            f"soal menjodohkan '{draft.id}' butuh sedikitnya dua pasangan '- kiri -> kanan'",
        )


def _decimal(text: str) -> Decimal:
    """A number written with `.` or `,` as decimal separator."""
    return Decimal(text.replace(",", "."))
