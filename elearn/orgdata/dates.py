"""Dates in import files: ISO `YYYY-MM-DD`, or `DD/MM/YYYY` as Excel in the Indonesian locale writes them."""

from __future__ import annotations

import re
from datetime import date

ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", re.ASCII)
INDONESIAN_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})", re.ASCII)
EXCEL_SERIAL = re.compile(r"[0-9]{5}(?:[.,][0-9]+)?", re.ASCII)
FORMATS_HINT = "tulis YYYY-MM-DD (2025-01-31) atau DD/MM/YYYY (31/01/2025)"


def read_date(text: str) -> tuple[date | None, str | None]:
    """The date `text` names, or the reason (in Bahasa Indonesia) it names none."""
    if iso := ISO_DATE.fullmatch(text):
        year, month, day = iso.groups()
    elif indonesian := INDONESIAN_DATE.fullmatch(text):
        day, month, year = indonesian.groups()
    elif EXCEL_SERIAL.fullmatch(text):
        return None, (
            f"Tanggal tertulis sebagai nomor seri Excel; format kolom sebagai Teks lalu {FORMATS_HINT}."
        )
    else:
        return None, f"Tanggal tidak dikenali; {FORMATS_HINT}."
    try:
        return date(int(year), int(month), int(day)), None
    except ValueError:
        return None, f"Tanggal ini tidak ada di kalender (hari {day}, bulan {month}, tahun {year})."
