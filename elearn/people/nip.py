"""NIP and NI PPPK validation, with a fix-it hint for each way a spreadsheet mangles an 18-digit number.

NIP (PNS): birth date YYYYMMDD + CPNS appointment YYYYMM + gender (1 male, 2 female) + 3-digit sequence
(never 000). NI PPPK: 18 digits whose split is UNVERIFIED; we only check that it starts with a real birth
date, that digits 9-12 are a plausible appointment year, and that the last three are not 000.

Digits are ASCII only: `str.isdigit()` also accepts full-width and Arabic-Indic digits.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

NIP_KIND = "nip"
NI_PPPK_KIND = "ni_pppk"
IDENTIFIER_KINDS = (NIP_KIND, NI_PPPK_KIND)

EARLIEST_BIRTH_YEAR = 1940
YEARS_BEFORE_APPOINTMENT = 15

_EIGHTEEN_DIGITS = re.compile(r"[0-9]{18}", re.ASCII)
_SCIENTIFIC = re.compile(r"[0-9]+(?:[.,][0-9]+)?[eE][+]?[0-9]+", re.ASCII)
_FLOAT_SUFFIX = re.compile(r"[0-9]{18}[.,]0+", re.ASCII)
_SEPARATED = re.compile(r"[0-9][0-9 .\u00a0-]*[0-9]", re.ASCII)
_SEPARATOR = re.compile(r"[ .\u00a0-]")


def identifier_problem(raw: str, kind: str = NIP_KIND, *, today: date) -> str | None:
    """Why `raw` is not a valid identifier of `kind` (in Bahasa Indonesia), or None when it is valid."""
    label = "NIP" if kind == NIP_KIND else "NI PPPK"
    if kind not in IDENTIFIER_KINDS:
        return f"Jenis identitas {kind!r} tidak dikenal; gunakan 'nip' atau 'ni_pppk'."
    damage = spreadsheet_damage(raw, label)
    if damage:
        return damage
    if not _EIGHTEEN_DIGITS.fullmatch(raw):
        return f"{label} harus tepat 18 angka 0-9 tanpa huruf atau tanda lain (tertulis {len(raw)} karakter)."
    if raw.endswith("000"):
        return (
            f"{label} berakhiran 000: nomor urut tidak pernah 000, jadi ini tanda Excel membulatkan angka "
            "(Excel hanya menyimpan 15 angka). Format kolom sebagai Teks lalu ketik ulang atau salin "
            f"{label} yang asli."
        )
    if kind == NIP_KIND:
        return _nip_structure_problem(raw, today)
    return _ni_pppk_structure_problem(raw, today)


def spreadsheet_damage(raw: str, label: str = "NIP") -> str | None:
    """A hint naming how a spreadsheet changed the number, or None when no known damage is seen."""
    if not raw:
        return f"{label} wajib diisi."
    if _EIGHTEEN_DIGITS.fullmatch(raw):
        return None  # the usual case, and none of the damage below leaves 18 ASCII digits
    if raw.startswith("'"):
        return (
            f"{label} diawali tanda petik ('): hapus tanda petik itu; agar angka tidak diubah Excel, "
            "format kolom sebagai Teks."
        )
    if any(ch.isdigit() and not ch.isascii() for ch in raw):
        return (
            f"{label} berisi angka selain 0-9 biasa (misalnya angka lebar penuh atau Arab): "
            "ketik ulang dengan angka 0-9 biasa."
        )
    if _SCIENTIFIC.fullmatch(raw):
        return (
            f"{label} tertulis dalam notasi ilmiah ({raw}): Excel mengubahnya menjadi angka dan "
            f"digit terakhir hilang. Format kolom sebagai Teks lalu ketik ulang {label} lengkap 18 angka."
        )
    if _FLOAT_SUFFIX.fullmatch(raw):
        return f"{label} berakhiran '.0' (angka desimal): hapus '.0' lalu format kolom sebagai Teks."
    if _SEPARATED.fullmatch(raw) and _SEPARATOR.search(raw):
        return f"{label} berisi spasi, titik atau tanda hubung: tulis 18 angka tanpa pemisah."
    if any(unicodedata.category(ch) in {"Cc", "Cf", "Zs"} for ch in raw):
        return f"{label} berisi karakter tak terlihat atau spasi: tulis 18 angka saja."
    return None


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _birth_problem(raw: str, label: str, today: date) -> tuple[date | None, str | None]:
    """The birth date in the first eight digits, or why it is not a plausible one."""
    birth = _valid_date(int(raw[0:4]), int(raw[4:6]), int(raw[6:8]))
    if birth is None:
        return None, f"8 angka pertama {label} ({raw[:8]}) harus tanggal lahir yang sah (TahunBulanTanggal)."
    if birth.year < EARLIEST_BIRTH_YEAR or birth > today:
        return None, (
            f"Tanggal lahir pada {label} ({raw[:8]}) tidak masuk akal: tahun harus antara "
            f"{EARLIEST_BIRTH_YEAR} dan {today.year}."
        )
    return birth, None


def _appointment_problem(appointed: date, birth: date, label: str, today: date) -> str | None:
    """Appointment must come at least 15 years after birth and not lie in the future."""
    if appointed.year < birth.year + YEARS_BEFORE_APPOINTMENT:
        return (
            f"Tahun pengangkatan pada {label} ({appointed.year}) kurang dari "
            f"{YEARS_BEFORE_APPOINTMENT} tahun setelah tahun lahir ({birth.year})."
        )
    if appointed > today:
        return f"Tanggal pengangkatan pada {label} ({appointed:%Y-%m}) ada di masa depan."
    return None


def _nip_structure_problem(raw: str, today: date) -> str | None:
    birth, problem = _birth_problem(raw, "NIP", today)
    if birth is None:
        return problem
    appointed = _valid_date(int(raw[8:12]), int(raw[12:14]), 1)
    if appointed is None:
        return f"Angka ke-9 s.d. 14 NIP ({raw[8:14]}) harus tahun dan bulan pengangkatan CPNS (bulan 01-12)."
    problem = _appointment_problem(appointed, birth, "NIP", today)
    if problem:
        return problem
    if raw[14] not in "12":
        return f"Angka ke-15 NIP ({raw[14]}) adalah jenis kelamin dan harus 1 (laki-laki) atau 2 (perempuan)."
    return None


def _ni_pppk_structure_problem(raw: str, today: date) -> str | None:
    """UNVERIFIED split: birth date + appointment year + four more digits + sequence."""
    birth, problem = _birth_problem(raw, "NI PPPK", today)
    if birth is None:
        return problem
    return _appointment_problem(date(int(raw[8:12]), 1, 1), birth, "NI PPPK", today)


def make_nip(birth: date, appointed: date, gender: int, sequence: int) -> str:
    """A structurally valid NIP for demo and benchmark data."""
    if gender not in (1, 2):
        raise ValueError("gender must be 1 (male) or 2 (female)")
    if not 1 <= sequence <= 999:
        raise ValueError("sequence must be between 1 and 999")
    return f"{birth:%Y%m%d}{appointed:%Y%m}{gender}{sequence:03d}"
