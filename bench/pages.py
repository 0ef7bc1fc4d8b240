"""Benchmark learner pages under gunicorn on PostgreSQL, each as a ratio of a bare Flask+Jinja page's throughput.

Run: `ELEARN_TEST_POSTGRES_URL=postgresql://... .venv/bin/python bench/pages.py` (a scratch database: its elearn
tables are dropped first). Both apps are served by gunicorn with the same settings (4 sync workers, loopback) in
the same run, and `wrk` (C, event loop: it does not starve the server of the 2 cores) loads each page in turn for a
fixed time at the same concurrency, after a warm-up, over several interleaved rounds; the ratio is the median of
the page's req/s over the median of the bare page's. Targets: lesson page >= 0.60, quiz autosave >= 0.40.

A second reference, "bare page + 1 SELECT", is the bare page after one indexed read through Flask-SQLAlchemy with
elearn's engine options: what a single database round trip costs on this machine.

The autosave is what `static/elearn/quiz.js` sends: POST /kuis/<id>/jawab with the attempt token and one answer,
asking for JSON; each request changes the answer (learners and attempts in rotation, so rows are not contended).
The SQL statements of each measured request are counted in-process on the same database and listed.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from _served import BENCH_DIR, SECRET_KEY, app_environment, gunicorn, make_learners, postgres_url
from flask import Flask

from elearn.app import create_app
from elearn.learner.quizzes import attempt_token
from elearn.migrate import upgrade
from elearn.models import Person, Question
from elearn.passwords import hash_password
from elearn.services import attempts
from elearn.services.course_sync import sync_courses
from elearn.services.outlines import current_version, outline_of
from elearn.state import db_session, outlines
from tests.conftest import ElearnClient
from tests.web.learning_support import counting_statements

COURSE = "pelayanan-publik-prima"
PRETEST = "01-pretest"
LESSON = "02-asas-dan-standar-pelayanan"
QUIZ = "04-kuis-pelayanan-prima"
PASSWORD = "Bench-kata-sandi-2026"
LEARNERS = 16
THREADS = 2
CONNECTIONS = 8
SECONDS = 8
WARM_UP_SECONDS = 2
ROUNDS = 3
TARGETS = {"lesson page": 0.60, "quiz autosave": 0.40}
# One browser signs in and then browses: Flask-Login's session protection compares the user agent with the login's.
BROWSER = {"User-Agent": "elearn-bench"}


@dataclass(frozen=True)
class Call:
    """One HTTP request as wrk sends it."""

    method: str
    path: str
    headers: dict[str, str]
    body: str = ""


@dataclass(frozen=True)
class Load:
    """A page to measure: the requests wrk cycles through."""

    name: str
    server: str
    calls: list[Call]


@dataclass(frozen=True)
class SignedIn:
    """A learner's browser after signing in: the session cookie, their open quiz attempt and its token."""

    cookie: str
    attempt_id: int
    token: str
    question_id: int
    choices: tuple[str, str]


def prepare(database_url: str) -> list[SignedIn]:
    """Migrate, sync the sample courses, and give LEARNERS learners a taken pre-test and an open quiz attempt."""
    app = _app(database_url)
    with app.app_context():
        upgrade()
        session = db_session()
        report = sync_courses(session, BENCH_DIR.parent / "courses")
        assert report.ok, report.refused
        people = make_learners(session, LEARNERS, password_hash=hash_password(PASSWORD))
        published = current_version(session, COURSE)
        assert published is not None
        outline = outline_of(session, outlines(), published.version_id)
        now = datetime.now(UTC)
        grace = timedelta(minutes=1)
        quiz = outline.module(QUIZ)
        assert quiz is not None
        opened = []
        for n, person in enumerate(people):
            pretest = outline.module(PRETEST)
            assert pretest is not None
            taken = attempts.start_attempt(
                session, person_id=person.id, outline=outline, module=pretest, now=now, rng=random.Random(n),
                grace=grace, timezone=UTC,
            )  # fmt: skip
            attempts.submit(
                session, attempt_id=taken, person_id=person.id, outline=outline, module=pretest, answers={},
                base_revision=None, now=now, grace=grace, timezone=UTC,
            )  # fmt: skip
            attempt_id = attempts.start_attempt(
                session, person_id=person.id, outline=outline, module=quiz, now=now, rng=random.Random(n),
                grace=grace, timezone=UTC,
            )  # fmt: skip
            opened.append((person, attempt_id))
        session.commit()
        prepared = [
            _answerable(session, person, attempt_id, attempt_token(attempt_id, person.id))
            for person, attempt_id in opened
        ]
    return [_signed_in(app, person_nip, answer) for person_nip, answer in prepared]


def _app(database_url: str) -> Flask:
    return create_app({"ELEARN_DATABASE_URL": database_url, "SECRET_KEY": SECRET_KEY})


def _answerable(session: Any, person: Person, attempt_id: int, token: str) -> tuple[str, dict[str, Any]]:
    """The first single-choice question of the attempt and two of its options to alternate between."""
    attempt = attempts.load_attempt(session, attempt_id=attempt_id, person_id=person.id)
    for entry in attempt.layout:
        question = session.get(Question, entry["question_id"])
        if question.type == "single":
            first, second = entry["options"][:2]
            return person.nip, {
                "attempt_id": attempt_id, "token": token, "question_id": question.id, "choices": (first, second),
            }  # fmt: skip
    raise AssertionError("the quiz has no single-choice question")


def _signed_in(app: Flask, nip: str, answer: dict[str, Any]) -> SignedIn:
    """Sign in through the login form, open "my learning" once (as a browser does), and keep the cookie."""
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = BROWSER["User-Agent"]
    form = client.get("/masuk").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token, "no CSRF token on the login page"
    response = client.post(
        "/masuk", data={"csrf_token": token.group(1), "identifier": nip, "password": PASSWORD}
    )
    assert response.status_code == 302, response.status_code
    assert client.get("/").status_code == 200
    cookie = client.get_cookie("session")
    assert cookie is not None
    return SignedIn(cookie=cookie.value, **answer)


def autosave_body(learner: SignedIn, choice: str) -> str:
    """The form quiz.js posts for one changed answer."""
    question = str(learner.question_id)
    return urlencode([("token", learner.token), ("shown", question), (f"q{question}", choice)])


def loads(learners: list[SignedIn]) -> list[Load]:
    """The bare page, then the learner pages, each with the requests wrk rotates through."""

    def signed_in(learner: SignedIn, **headers: str) -> dict[str, str]:
        return {"Cookie": f"session={learner.cookie}", **BROWSER, **headers}

    form = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
    return [
        Load("bare Flask+Jinja page", "bare", [Call("GET", "/", BROWSER)]),
        Load("bare page + 1 SELECT", "bare", [Call("GET", "/sql", BROWSER)]),
        Load("lesson page", "elearn", [
            Call("GET", f"/kursus/{COURSE}/{LESSON}", signed_in(learner)) for learner in learners
        ]),
        Load("quiz autosave", "elearn", [
            Call("POST", f"/kuis/{learner.attempt_id}/jawab", signed_in(learner, **form),
                 autosave_body(learner, learner.choices[choice]))
            for choice in (0, 1) for learner in learners
        ]),
        Load("login page", "elearn", [Call("GET", "/masuk", BROWSER)]),
        Load("my learning (home)", "elearn", [Call("GET", "/", signed_in(learner)) for learner in learners]),
    ]  # fmt: skip


@dataclass(frozen=True)
class Sql:
    """What one request costs besides Python: its SQL statements, and whether it rewrote the session cookie."""

    statements: list[str]
    sets_cookie: bool


def statements_per_request(database_url: str, work: list[Load]) -> dict[str, Sql]:
    """The SQL each measured request sends, counted in-process (each request in its own app context, as in
    production) after the same learner's first request has warmed the caches."""
    app = _app(database_url)
    app.test_client_class = ElearnClient
    found = {}
    with app.app_context():
        for load in work:
            if load.server != "elearn":
                continue
            measured = load.calls[-1]
            # the same learner's request first; an autosave then changes the answer the first one gave
            first = load.calls[len(load.calls) // 2 - 1] if measured.method == "POST" else measured
            for call in (first, measured):
                client = app.test_client()
                headers = dict(call.headers)
                cookie = headers.pop("Cookie", None)
                if cookie:  # the test client sends its own cookie jar, not a Cookie header
                    client.set_cookie("session", cookie.removeprefix("session="))
                with counting_statements(app) as statements:
                    response = client.open(call.path, method=call.method, headers=headers, data=call.body)
                assert response.status_code == 200, (load.name, response.status_code)
            found[load.name] = Sql(statements=statements, sets_cookie="Set-Cookie" in response.headers)
        app.extensions["elearn"].db.engine.dispose()
    return found


WRK_SCRIPT = """
local calls = %(calls)s
local threads = 0
function setup(thread)
  thread:set("offset", threads * 7)
  threads = threads + 1
end
local formatted = {}
local counter = 0
function init(args)
  for i, call in ipairs(calls) do
    formatted[i] = wrk.format(call[1], call[2], call[3], call[4])
  end
  counter = offset or 0
end
function request()
  counter = counter %% #formatted + 1
  return formatted[counter]
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %%d, "seconds": %%f, "errors": %%d, "p50_ms": %%f, "p99_ms": %%f}\\n',
    summary.requests, summary.duration / 1e6, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


def lua_string(value: str) -> str:
    assert value.isascii()
    return json.dumps(value)


def lua_call(call: Call) -> str:
    """`{method, path, {headers}, body}` as a Lua table."""
    headers = ", ".join(f"[{lua_string(name)}] = {lua_string(value)}" for name, value in call.headers.items())
    body = lua_string(call.body) if call.body else "nil"
    return f"{{{lua_string(call.method)}, {lua_string(call.path)}, {{{headers}}}, {body}}}"


def wrk_script(calls: list[Call], folder: Path, name: str) -> Path:
    """A wrk Lua script that sends `calls` in rotation (the two threads start at different places)."""
    entries = ", ".join(lua_call(call) for call in calls)
    path = folder / (re.sub(r"\W+", "-", name) + ".lua")
    path.write_text(WRK_SCRIPT % {"calls": "{" + entries + "}"}, encoding="ascii")
    return path


@dataclass(frozen=True)
class Measured:
    """One wrk run."""

    per_second: float
    errors: int
    p50_ms: float
    p99_ms: float


def run_wrk(url: str, script: Path, seconds: int) -> Measured:
    """Load `url` with the script for `seconds`; its own summary line, parsed."""
    output = subprocess.run(
        ["wrk", f"--threads={THREADS}", f"--connections={CONNECTIONS}", f"--duration={seconds}s",
         "--timeout=10s", f"--script={script}", url],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    summary = json.loads(output.strip().splitlines()[-1])
    return Measured(
        per_second=summary["requests"] / summary["seconds"],
        errors=summary["errors"],
        p50_ms=summary["p50_ms"],
        p99_ms=summary["p99_ms"],
    )


def ensure_wrk() -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: `make wrk` installs Debian's package (or apt-get install wrk).")


def main() -> None:
    ensure_wrk()
    database_url = postgres_url()
    learners = prepare(database_url)
    work = loads(learners)
    statements = statements_per_request(database_url, work)
    results: dict[str, list[Measured]] = {load.name: [] for load in work}
    with (
        tempfile.TemporaryDirectory(prefix="elearn-bench-") as scratch,
        gunicorn("bare_app:app", env=app_environment(database_url)) as bare,
        gunicorn("elearn.app:create_app()", env=app_environment(database_url)) as elearn,
    ):
        servers = {"bare": bare.url, "elearn": elearn.url}
        scripts = {load.name: wrk_script(load.calls, Path(scratch), load.name) for load in work}
        for load in work:
            run_wrk(servers[load.server], scripts[load.name], WARM_UP_SECONDS)
        for _round in range(ROUNDS):
            for load in work:
                results[load.name].append(run_wrk(servers[load.server], scripts[load.name], SECONDS))
    report(work, results, statements)


def report(work: list[Load], results: dict[str, list[Measured]], statements: dict[str, Sql]) -> None:
    """Req/s, the ratio to the bare page, latency and errors per page; then the SQL of each request."""
    floor = statistics.median(m.per_second for m in results[work[0].name])
    print(
        f"wrk: {THREADS} threads, {CONNECTIONS} connections, {ROUNDS} rounds of {SECONDS} s (medians); "
        "gunicorn: 4 sync workers; PostgreSQL"
    )
    for load in work:
        runs = results[load.name]
        rate = statistics.median(m.per_second for m in runs)
        ratio = rate / floor
        p50 = statistics.median(m.p50_ms for m in runs)
        p99 = statistics.median(m.p99_ms for m in runs)
        line = f"{load.name:<22} {rate:7.0f} req/s  ratio {ratio:4.2f}  p50 {p50:6.1f} ms  p99 {p99:6.1f} ms"
        line += f"  errors {sum(m.errors for m in runs)}"
        if load.name in statements:
            line += f"  {len(statements[load.name].statements)} SQL"
        if (target := TARGETS.get(load.name)) is not None:
            line += f"  (target >= {target:.2f}: {'ok' if ratio >= target else 'MISSED'})"
        print(line)
    for name, sent in statements.items():
        cookie = "sets the session cookie" if sent.sets_cookie else "no Set-Cookie"
        print(f"SQL of one {name} request ({len(sent.statements)}, {cookie}):")
        for statement in sent.statements:
            print("   ", " ".join(statement.split())[:150])


if __name__ == "__main__":
    main()
