"""Exam load test shaped like the published Moodle 4.5 quiz load test, with Locust, on loopback only.

One quiz of 16 questions on 8 pages (12 single choice, 2 true/false, 1 matching, 1 short answer). N learners log
in over a ramp (login page, login, my learning), open the quiz, wait until every learner has arrived (the
synchronised start, then a Gaussian delay like the published test's timers), start, and answer page by page: on
each page they think, answer the first question (the JSON autosave `static/elearn/quiz.js` sends), think, answer
the second, and press "Simpan dan lanjut" (the page's form, saved and redirected to the next page). After the
last page they open the review and send the attempt. Every learner runs once and stops; the whole run is bounded.

Afterwards the database is checked against what the simulated learners sent: each learner has exactly one
attempt, submitted, and each of its 16 answers is stored once with the response the learner last sent.

Full run (docs/benchmarks.md):  .venv/bin/python bench/exam_load.py --learners 3000 --ramp 180 --think 30 90
`make bench` runs the short one: 300 learners, 30 s ramp, think times scaled down to 5-15 s (about 2 minutes).
Needs ELEARN_TEST_POSTGRES_URL (a scratch database: its elearn tables are dropped first).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from _served import BENCH_DIR, SECRET_KEY, app_environment, gunicorn, make_learners, postgres_url

SLUG = "ujian-pelayanan"
QUIZ = "01-ujian"
PASSWORD = "Ujian-kata-sandi-2026"
PAGES = 8
QUESTIONS = 16
STEPS = ("login page", "login", "my learning", "quiz start page", "start", "page", "autosave", "next",
         "review", "submit", "result")  # fmt: skip
P95_TARGET_MS = 1000.0
# gunicorn as docs/deployment.md sizes it: 2 x cores + 1 sync workers.
WORKERS = 5


# ---- the quiz -------------------------------------------------------------------------------------------------

SINGLE = [
    ("Apa tujuan utama standar pelayanan?", ["Kepastian bagi warga", "Menambah biaya", "Memperlama proses"]),
    ("Siapa yang menetapkan maklumat pelayanan?", ["Pimpinan unit layanan", "Setiap warga", "Pihak swasta"]),
    ("Kapan pengaduan harus ditindaklanjuti?", ["Dalam batas waktu yang ditetapkan", "Kapan saja", "Tidak perlu"]),
    ("Apa isi komponen persyaratan?", ["Dokumen yang dibutuhkan warga", "Gaji petugas", "Nama atasan"]),
    ("Bagaimana menyampaikan biaya layanan?", ["Terbuka di papan informasi", "Lisan saja", "Tidak disampaikan"]),
    ("Apa arti asas persamaan perlakuan?", ["Semua warga dilayani sama", "Kerabat didahulukan", "Antre dilewati"]),
    ("Apa fungsi Survei Kepuasan Masyarakat?", ["Mengukur mutu layanan", "Menghukum petugas", "Menambah antrean"]),
    ("Siapa kelompok rentan dalam pelayanan?", ["Lansia dan penyandang disabilitas", "Pejabat", "Petugas"]),
    ("Apa yang dilakukan saat sistem antrean mati?", ["Mencatat manual dan memberi tahu warga", "Menutup loket",
                                                      "Meminta warga pulang"]),
    ("Apa bukti layanan yang baik?", ["Warga mendapat kepastian waktu", "Loket sepi", "Petugas sibuk"]),
    ("Apa peran penyelia loket?", ["Memeriksa kepatuhan standar", "Mengganti warga", "Menghapus aduan"]),
    ("Bagaimana menanggapi warga yang marah?", ["Mendengar dan menjelaskan dengan tenang", "Membalas marah",
                                                "Mengabaikan"]),
]  # fmt: skip
TRUE_FALSE = [
    "Standar pelayanan wajib dipublikasikan kepada warga.",
    "Petugas boleh meminta biaya di luar yang tercantum.",
]
MATCHING = [("Keterbukaan", "Tarif terpampang"), ("Partisipatif", "Forum konsultasi"),
            ("Akuntabilitas", "Laporan kinerja"), ("Ketepatan waktu", "Selesai sesuai janji")]  # fmt: skip


def quiz_course(root: Path) -> Path:
    """The exam course: one quiz module of 16 questions, two per page, one attempt."""
    folder = root / SLUG
    folder.mkdir(parents=True)
    (folder / "course.md").write_text(
        "---\ntitle: Ujian Pelayanan Publik\ncode: UJI-01\nsummary: Ujian serentak untuk uji beban.\njp: 2\n"
        "competencies:\n  - {code: M.05, level: 2}\n---\nUjian akhir pelayanan publik.\n",
        encoding="utf-8",
    )
    blocks = []
    for n, (stem, options) in enumerate(SINGLE, start=1):
        choices = "\n".join(f"- [{'x' if i == 0 else ' '}] {option}" for i, option in enumerate(options))
        blocks.append(f"## {stem} {{#pg-{n}}}\n\n{choices}\n> Penjelasan: jawaban pertama benar.\n")
    for n, statement in enumerate(TRUE_FALSE, start=1):
        right, wrong = ("x", " ") if n == 1 else (" ", "x")
        blocks.append(f"## {statement} {{#bs-{n} type=truefalse}}\n\n- [{right}] Benar\n- [{wrong}] Salah\n")
    pairs = "\n".join(f"- {left} -> {right}" for left, right in MATCHING)
    blocks.append(f"## Pasangkan asas dengan contohnya. {{#jodoh type=matching points=2}}\n\n{pairs}\n")
    blocks.append(
        "## Sebutkan dokumen yang memuat janji layanan kepada warga. {#isian}\n\n= maklumat pelayanan\n"
    )
    layout = [
        *blocks[:3],
        blocks[12],
        *blocks[3:6],
        blocks[15],
        *blocks[6:9],
        blocks[13],
        *blocks[9:12],
        blocks[14],
    ]
    (folder / f"{QUIZ}.md").write_text(
        "---\ntitle: Ujian Akhir\nkind: quiz\nminutes: 60\npass_mark: 70\nattempts: 1\nper_page: 2\n"
        "show_answers: after_submit\n---\nKerjakan semua soal.\n\n" + "\n".join(layout),
        encoding="utf-8",
    )
    return root


# ---- setup and verification (plain processes, no Locust) -------------------------------------------------


def prepare(database_url: str, learners: int, folder: Path) -> list[str]:
    """Migrate, sync the exam course, create the learners; their NIPs."""
    from elearn.migrate import upgrade
    from elearn.passwords import hash_password
    from elearn.services.course_sync import sync_courses
    from elearn.state import db_session

    app = _app(database_url)
    with app.app_context():
        upgrade()
        session = db_session()
        report = sync_courses(session, quiz_course(folder))
        assert report.ok, report.refused
        people = make_learners(session, learners, password_hash=hash_password(PASSWORD))
        session.commit()
        nips = [person.nip for person in people]
        app.extensions["elearn"].db.engine.dispose()
    return nips


def _app(database_url: str) -> Any:
    from elearn.app import create_app

    return create_app({"ELEARN_DATABASE_URL": database_url, "SECRET_KEY": SECRET_KEY})


def verify(database_url: str, sent: Mapping[str, Any]) -> list[str]:
    """Problems found comparing the database with what the learners sent (an empty list: nothing lost)."""
    from sqlalchemy import func, select

    from elearn.models import Person, QuizAnswer, QuizAttempt
    from elearn.quizzes import parse_response
    from elearn.services.attempts import stored_questions
    from elearn.state import db_session

    app = _app(database_url)
    problems: list[str] = []
    with app.app_context():
        session = db_session()
        people = dict(session.execute(select(Person.nip, Person.id)).all())
        attempts = {
            person_id: rows
            for person_id, rows in _grouped(
                session.execute(select(QuizAttempt.person_id, QuizAttempt.id, QuizAttempt.status)).all()
            ).items()
        }
        answers = _grouped(
            session.execute(
                select(QuizAnswer.attempt_id, QuizAnswer.question_id, QuizAnswer.response).order_by(
                    QuizAnswer.attempt_id
                )
            ).all()
        )
        duplicates = session.scalar(
            select(func.count()).select_from(
                select(QuizAnswer.attempt_id, QuizAnswer.question_id)
                .group_by(QuizAnswer.attempt_id, QuizAnswer.question_id)
                .having(func.count() > 1)
                .subquery()
            )
        )
        if duplicates:
            problems.append(f"{duplicates} answers stored more than once")
        question_ids = {int(q) for learner in sent.values() for q in learner["answers"]}
        questions = stored_questions(session, sorted(question_ids))
        for nip, learner in sent.items():
            person_attempts = attempts.get(people[nip], [])
            one_submitted = [(row[1], row[2]) for row in person_attempts] == [
                (learner["attempt"], "submitted")
            ]
            if learner["submitted"] and not one_submitted:
                problems.append(f"{nip}: attempts {person_attempts}, expected one submitted")
                continue
            stored = {row[1]: row[2] for row in answers.get(learner["attempt"], [])}
            for question, values in learner["answers"].items():
                expected = dict(parse_response(questions[int(question)], values))  # type: ignore[arg-type]
                if stored.get(int(question)) != expected:
                    problems.append(
                        f"{nip}: question {question} stored {stored.get(int(question))}, sent {values}"
                    )
        app.extensions["elearn"].db.engine.dispose()
    return problems


def _grouped(rows: Sequence[Sequence[Any]]) -> dict[Any, list[Sequence[Any]]]:
    grouped: dict[Any, list[Sequence[Any]]] = {}
    for row in rows:
        grouped.setdefault(row[0], []).append(row)
    return grouped


# ---- the run ----------------------------------------------------------------------------------------------


def main() -> None:
    options = _arguments()
    database_url = postgres_url()
    with tempfile.TemporaryDirectory(prefix="elearn-exam-") as scratch:
        folder = Path(scratch)
        started = time.perf_counter()
        nips = prepare(database_url, options.learners, folder / "courses")
        print(
            f"{options.learners} learners and the exam course ready in {time.perf_counter() - started:.0f} s"
        )
        (folder / "learners.json").write_text(json.dumps(nips))
        (folder / "options.json").write_text(json.dumps(vars(options)))
        # A synchronised start opens thousands of connections at once: gunicorn's backlog holds them (2048 by
        # default; behind nginx, nginx would).
        server = gunicorn(
            "elearn.app:create_app()", env=app_environment(database_url), workers=options.workers,
            extra=("--backlog", str(max(2048, 2 * options.learners))),
        )  # fmt: skip
        with server as app:
            # Locust patches the standard library for gevent when imported: it runs in a process of its own.
            subprocess.run(
                [sys.executable, str(BENCH_DIR / "exam_locust.py"), app.url, str(folder)], check=True
            )
        results = json.loads((folder / "results.json").read_text())
    report(options, results, verify(database_url, results["learners"]))


def report(options: argparse.Namespace, results: Mapping[str, Any], problems: list[str]) -> None:
    """p50/p95/max per step, errors, and what the database check found."""
    learners = results["learners"]
    submitted = sum(1 for learner in learners.values() if learner["submitted"])
    print(
        f"{options.learners} learners, ramp {options.ramp} s, think {options.think[0]}-{options.think[1]} s per page, "
        f"start spread {options.start_spread} s, gunicorn {options.workers} sync workers, PostgreSQL; "
        f"run {results['seconds']:.0f} s"
    )
    print(f"{'step':<16} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}")
    worst = 0.0
    for step in STEPS:
        figures = results["steps"].get(step)
        if figures is None:
            continue
        worst = max(worst, figures["p95"])
        print(f"{step:<16} {figures['requests']:>8} {figures['errors']:>6} {figures['p50']:>7.0f} "
              f"{figures['p95']:>7.0f} {figures['max']:>7.0f}")  # fmt: skip
    errors = sum(figures["errors"] for figures in results["steps"].values())
    for message, count in results["errors"].items():
        print(f"  error x{count}: {message}")
    found = "every answer and attempt stored exactly once" if not problems else f"{len(problems)} problems"
    print(f"submitted {submitted} of {options.learners}; database check: {found}")
    for problem in problems[:20]:
        print("  ", problem)
    met = worst < P95_TARGET_MS and errors == 0 and not problems and submitted == options.learners
    print(
        f"target (p95 < {P95_TARGET_MS:.0f} ms every step, no errors, nothing lost): {'met' if met else 'MISSED'}"
    )


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=300)
    parser.add_argument("--ramp", type=float, default=30.0, help="seconds over which learners log in")
    parser.add_argument("--think", type=float, nargs=2, default=(5.0, 15.0), metavar=("MIN", "MAX"),
                        help="think time per page, seconds (the published test: 30 90)")  # fmt: skip
    parser.add_argument("--start-spread", type=float, default=3.0,
                        help="standard deviation (s) of the delay after the synchronised start")  # fmt: skip
    parser.add_argument("--workers", type=int, default=WORKERS)
    return parser.parse_args()


if __name__ == "__main__":
    main()
