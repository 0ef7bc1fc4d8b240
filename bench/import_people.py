"""Benchmark the organisation import: 10,000 people with units and positions (target < 30 s on SQLite).

Run: `.venv/bin/python bench/import_people.py` (SQLite, a temporary file); with ELEARN_TEST_POSTGRES_URL set,
PostgreSQL too (its elearn tables are dropped first, so point it at a scratch database). Times the first
import and a repeated, no-op import of the same files.
"""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

from _backends import Backend, backends, migrated_session, timed
from flask import current_app

from elearn.orgdata import Limits, parse_file
from elearn.people.nip import make_nip
from elearn.services.org_import import ImportReport, import_org

PEOPLE = 10_000
AGENCIES = (
    "Dinas Kependudukan dan Pencatatan Sipil", "Dinas Perhubungan", "Dinas Komunikasi dan Informatika",
    "BPBD", "Inspektorat", "Kecamatan Sidorejo", "Kecamatan Tingkir", "Dinas Kesehatan", "Dinas Pendidikan",
    "Badan Kepegawaian dan Pengembangan SDM",
)  # fmt: skip
DIVISIONS_PER_AGENCY = 20
POSITIONS = 50
TARGET_SECONDS = 30.0
GIVEN = ("Budi", "Siti", "Agus", "Dewi", "Rudi", "Sri", "Andi", "Rina", "Joko", "Wulan")
FAMILY = ("Santoso", "Rahmawati", "Wijaya", "Lestari", "Hidayat", "Saputra", "Kurniawan", "Nugroho")


def units_csv() -> str:
    lines = ["kode_unit;nama_unit;kode_induk", "PEMKOT;Pemerintah Kota Salatiga;"]
    for a, agency in enumerate(AGENCIES, start=1):
        lines.append(f"D{a:02d};{agency};PEMKOT")
        lines += [
            f"D{a:02d}-B{b:02d};Bidang {b} {agency};D{a:02d}" for b in range(1, DIVISIONS_PER_AGENCY + 1)
        ]
    return "\n".join(lines) + "\n"


def positions_csv() -> str:
    kinds = ("struktural", "fungsional", "pelaksana")
    rows = [f"J{n:03d};Jabatan {n};{kinds[n % 3]};{5 + n % 10}" for n in range(1, POSITIONS + 1)]
    return "kode_jabatan;nama_jabatan;jenis;kelas\n" + "\n".join(rows) + "\n"


def people_csv() -> str:
    rows = ["nip;nama;email;kode_unit;kode_jabatan;peran"]
    for n in range(PEOPLE):
        birth = date(1970, 1, 1) + timedelta(days=n)
        nip = make_nip(birth, date(birth.year + 22, 1 + n % 12, 1), 1 + n % 2, 1 + n % 999)
        unit = f"D{1 + n % len(AGENCIES):02d}-B{1 + n % DIVISIONS_PER_AGENCY:02d}"
        roles = '"pegawai;mentor"' if n % 10 == 0 else "pegawai"
        rows.append(f"{nip};{GIVEN[n % 10]} {FAMILY[n % 8]} {n};pegawai{n}@salatiga.go.id;{unit};"
                    f"J{1 + n % POSITIONS:03d};{roles}")  # fmt: skip
    return "\n".join(rows) + "\n"


def run(backend: Backend, files: dict[str, bytes]) -> None:
    """Migrate an empty database, then time a first import and an identical second one."""
    with migrated_session(backend) as session:
        limits = Limits.from_config(current_app.config)

        def import_all() -> ImportReport:
            parsed = [
                parse_file(kind, data, source=f"{kind}.csv", limits=limits, today=date.today())
                for kind, data in files.items()
            ]
            report = import_org(session, files=parsed, today=date.today())
            assert not report.refused, report.problems[:5]  # noqa: S101
            session.commit()
            return report

        first, report = timed(import_all)
        assert report.counts["people"].created == PEOPLE  # type: ignore[attr-defined]  # noqa: S101
        again, report = timed(import_all)
        assert report.counts["people"].unchanged == PEOPLE  # type: ignore[attr-defined]  # noqa: S101
    verdict = "ok" if first < TARGET_SECONDS else "TOO SLOW"
    print(f"{backend.label:<11} first import {first:6.2f} s (target < {TARGET_SECONDS:.0f} s, {verdict})   "
          f"repeat import {again:5.2f} s")  # fmt: skip


def main() -> None:
    files = {
        "units": units_csv().encode(),
        "positions": positions_csv().encode(),
        "people": people_csv().encode(),
    }
    units = len(AGENCIES) * (DIVISIONS_PER_AGENCY + 1) + 1
    print(
        f"{PEOPLE} people, {units} units, {POSITIONS} positions, {len(files['people']) / 1e6:.1f} MB of CSV"
    )
    with tempfile.TemporaryDirectory(prefix="elearn-bench-") as scratch:
        for backend in backends(Path(scratch)):
            run(backend, files)


if __name__ == "__main__":
    main()
