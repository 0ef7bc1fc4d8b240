"""Benchmark the organisation import at ministry scale: time and peak resident memory of `flask elearn
import-org`, its `--dry-run` and a repeated (unchanged) import, at 10,000 and 300,000 people.

Run: `.venv/bin/python bench/import_people.py [--people 10000 300000]`. SQLite runs in a temporary folder; with
ELEARN_TEST_POSTGRES_URL set, PostgreSQL too (its elearn tables are dropped first, so point it at a scratch
database). Each measured step is its own `flask` process, as an administrator runs it, so its peak RSS
(`os.wait4`) is its own. Targets for 300,000 people: under 120 s and under 500 MB, for the import and for the
dry run (measured before this rewrite: 100,000 people into PostgreSQL took 57 s and 1.1 GB).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from _backends import Backend, backends

from elearn.people.nip import make_nip

SIZES = (10_000, 300_000)
TARGET_SECONDS = 120.0
TARGET_MB = 500.0
AGENCIES = 30
DIVISIONS_PER_AGENCY = 40
POSITIONS = 100
GIVEN = ("Budi", "Siti", "Agus", "Dewi", "Rudi", "Sri", "Andi", "Rina", "Joko", "Wulan", "Fajar", "Indah")
FAMILY = ("Santoso", "Rahmawati", "Wijaya", "Lestari", "Hidayat", "Saputra", "Kurniawan", "Nugroho")
BIRTH_DAYS = 14_000  # birth dates from 1960 on; with gender and sequence, unique for millions of people


@dataclass(frozen=True)
class Step:
    """One measured command: its name, its extra arguments, and what its report must say."""

    name: str
    arguments: tuple[str, ...]
    expected: str


def nip(n: int) -> str:
    """The n-th of many distinct, structurally valid NIPs."""
    birth = date(1960, 1, 1) + timedelta(days=n % BIRTH_DAYS)
    appointed = date(birth.year + 22, 1 + n % 12, 1)
    return make_nip(birth, appointed, 1 + (n // BIRTH_DAYS) % 2, 1 + (n // (2 * BIRTH_DAYS)) % 999)


def division(n: int) -> str:
    return f"D{1 + n % AGENCIES:02d}-B{1 + (n // AGENCIES) % DIVISIONS_PER_AGENCY:02d}"


def write_files(folder: Path, people: int) -> dict[str, Path]:
    """Units, positions, people and mentorships (every tenth person mentors the next) as Excel saves them."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {kind: folder / f"{kind}.csv" for kind in ("units", "positions", "people", "mentorships")}
    with files["units"].open("w", encoding="utf-8") as units:
        units.write("kode_unit;nama_unit;kode_induk\nKEMEN;Kementerian Contoh;\n")
        for a in range(1, AGENCIES + 1):
            units.write(f"D{a:02d};Direktorat {a};KEMEN\n")
            units.writelines(f"D{a:02d}-B{b:02d};Subdirektorat {b} Direktorat {a};D{a:02d}\n"
                             for b in range(1, DIVISIONS_PER_AGENCY + 1))  # fmt: skip
    kinds = ("struktural", "fungsional", "pelaksana")
    files["positions"].write_text(
        "kode_jabatan;nama_jabatan;jenis;kelas\n"
        + "".join(f"J{n:03d};Jabatan {n};{kinds[n % 3]};{5 + n % 10}\n" for n in range(1, POSITIONS + 1)),
        encoding="utf-8",
    )
    with files["people"].open("w", encoding="utf-8") as rows:
        rows.write("nip;nama;email;kode_unit;kode_jabatan;peran\n")
        for n in range(people):
            roles = '"pegawai;mentor"' if n % 10 == 0 else "pegawai"
            rows.write(f"{nip(n)};{GIVEN[n % 12]} {FAMILY[n % 8]} {n};pegawai{n}@kementerian.go.id;"
                       f"{division(n)};J{1 + n % POSITIONS:03d};{roles}\n")  # fmt: skip
    with files["mentorships"].open("w", encoding="utf-8") as links:
        links.write("nip_mentor;nip_mentee;mulai;selesai\n")
        links.writelines(f"{nip(n)};{nip(n + 1)};2024-01-0{1 + n % 9};\n" for n in range(0, people - 1, 10))
    return files


@dataclass(frozen=True)
class Measure:
    """One command's wall time, its own CPU time (user + system; the database server's is not in it, and
    unlike wall time it hardly grows when other processes share the machine), peak RSS, exit status, report."""

    seconds: float
    cpu_seconds: float
    peak_mb: float
    status: int
    report: str


def measured(backend: Backend, arguments: list[str]) -> Measure:
    """Run `flask elearn ...` against the backend in its own process."""
    environment = {
        **os.environ,
        "FLASK_APP": "elearn.app:create_app",
        "ELEARN_DATABASE_URL": backend.url,
        "ELEARN_SECRET_KEY": "bench",
    }
    with tempfile.TemporaryFile(mode="w+") as output:
        start = time.perf_counter()
        process = subprocess.Popen(  # noqa: S603  (our own interpreter and arguments)
            [sys.executable, "-m", "flask", "elearn", *arguments],
            env=environment,
            stdout=output,
            stderr=subprocess.DEVNULL,
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        cpu = usage.ru_utime + usage.ru_stime
        return Measure(seconds, cpu, usage.ru_maxrss / 1024, process.returncode, output.read())


def run(backend: Backend, files: dict[str, Path], people: int) -> None:
    """An empty database, then the dry run, the import and the repeated import, each measured."""
    upgrade = measured(backend, ["upgrade"])
    if upgrade.status != 0:
        raise SystemExit(f"{backend.label}: upgrade failed\n{upgrade.report}")
    options = [option for kind, path in files.items() for option in (f"--{kind}", str(path))]
    steps = (
        Step("dry run", ("--dry-run",), f"pegawai: {people} baru"),
        Step("import", (), f"pegawai: {people} baru"),
        Step("repeat import", (), f"pegawai: 0 baru, 0 diubah, {people} tetap"),
    )
    for step in steps:
        run = measured(backend, ["import-org", *options, *step.arguments])
        if run.status != 0 or step.expected not in run.report:
            raise SystemExit(f"{backend.label} {step.name} failed (exit {run.status}):\n{run.report}")
        fast, small = run.seconds < TARGET_SECONDS, run.peak_mb < TARGET_MB
        verdict = (
            "ok" if fast and small else ("TOO SLOW" if not fast else "") + (" TOO BIG" if not small else "")
        )
        print(f"{backend.label:<11} {people:>9,} {step.name:<14} {run.seconds:8.1f} s {run.cpu_seconds:8.1f} s "
              f"{run.peak_mb:8.0f} MB   {verdict}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, nargs="+", default=list(SIZES), help="file sizes to measure")
    sizes = parser.parse_args().people
    units = 1 + AGENCIES * (DIVISIONS_PER_AGENCY + 1)
    print(f"{units:,} units, {POSITIONS} positions, every tenth person a mentor; targets < "
          f"{TARGET_SECONDS:.0f} s and < {TARGET_MB:.0f} MB peak RSS per command")  # fmt: skip
    print(f"{'database':<11} {'people':>9} {'step':<14} {'time':>10} {'CPU':>10} {'peak RSS':>11}")
    with tempfile.TemporaryDirectory(prefix="elearn-bench-") as scratch:
        for people in sizes:
            files = write_files(Path(scratch) / f"files-{people}", people)
            databases = Path(scratch) / f"db-{people}"
            databases.mkdir()
            for backend in backends(databases):
                run(backend, files, people)


if __name__ == "__main__":
    main()
