"""Benchmark the people exports' writers: 10,000 and 300,000 rows of people as XLSX and as CSV.

Run: `.venv/bin/python bench/export_people.py`. Each size and format runs in its own process, so the peak
resident memory it reports belongs to that export alone; flat memory means the 300,000-row figure stays near the
10,000-row one. The rows are made in Python (the database side streams with `yield_per`, measured elsewhere).
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from elearn.export import iter_csv, write_xlsx
from elearn.people.nip import make_nip

JAKARTA = ZoneInfo("Asia/Jakarta")
SIZES = (10_000, 300_000)
FORMATS = ("xlsx", "csv")
HEADER = [
    "NIP",
    "Nama",
    "Status kepegawaian",
    "Kode unit",
    "Unit kerja",
    "Jabatan",
    "E-mail",
    "Peran",
    "Aktif",
]
GIVEN = ("Budi", "Siti", "Agus", "Dewi", "Rudi", "Sri", "Andi", "Rina", "Joko", "Wulan")
FAMILY = ("Santoso", "Rahmawati", "Wijaya", "Lestari", "Hidayat", "Saputra", "Kurniawan", "Nugroho")


def people(count: int) -> Iterator[list[object]]:
    """`count` rows shaped like the admin export's."""
    for n in range(count):
        birth = date(1965, 1, 1) + timedelta(days=n % 12_000)
        yield [
            make_nip(birth, date(birth.year + 22, 1 + n % 12, 1), 1 + n % 2, 1 + n % 999),
            f"{GIVEN[n % 10]} {FAMILY[n % 8]} {n}",
            "PNS" if n % 5 else "PPPK",
            f"D{n % 10:02d}-B{n % 20:02d}",
            f"Bidang {n % 20} Dinas Kependudukan dan Pencatatan Sipil",
            f"Jabatan {n % 50}",
            f"pegawai{n}@salatiga.go.id",
            "Pegawai; Mentor" if n % 10 == 0 else "Pegawai",
            "Ya",
        ]


def export_once(file_format: str, count: int) -> None:
    """Write one export to a temporary file and print seconds, size and this process's peak memory."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as target:
        if file_format == "xlsx":
            write_xlsx(target, HEADER, people(count), created=datetime.now(UTC), timezone=JAKARTA)
        else:
            for chunk in iter_csv(HEADER, people(count)):
                target.write(chunk.encode())
        size = target.tell()
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{file_format:>4} {count:>7,} rows: {seconds:6.1f} s, {size / 1e6:5.1f} MB, peak {peak_mb:3.0f} MB RSS"
    )


def main() -> None:
    for file_format in FORMATS:
        for count in SIZES:
            subprocess.run([sys.executable, __file__, file_format, str(count)], check=True)


if __name__ == "__main__":
    if len(sys.argv) == 3:
        export_once(sys.argv[1], int(sys.argv[2]))
    else:
        main()
