"""What the competency-scale benchmarks share: the world, signed-in test clients, and pages timed beside the SQL
that returns the same rows (the "floor"), measured alternately in the same run.

A page is requested through the Flask test client (each request in its own app context, as in production: the
suite's ElearnClient), signed in by putting the person's id in the session as Flask-Login does. Its time is the
whole request: routing, scope, every statement, rendering. The floor is one hand-written SELECT sent through the
same engine settings on the same database, all rows fetched.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from _served import SECRET_KEY
from flask import Flask
from sqlalchemy import Engine, create_engine, text

from elearn.app import create_app
from tests.conftest import ElearnClient

TARGET_P95_MS = 150.0
TARGET_RATIO = 3.0
REQUESTS = 30
WARM_UP = 3


def bench_app(url: str) -> Flask:
    """The elearn app on the world's database, with the suite's browser-like test client."""
    app = create_app({"ELEARN_DATABASE_URL": url, "SECRET_KEY": SECRET_KEY})
    app.test_client_class = ElearnClient
    return app


def signed_in(app: Flask, person_id: int) -> ElearnClient:
    """A test client whose session holds `person_id` (session version 1, as the generator writes it)."""
    client = app.test_client()
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = f"{person_id}:1"
        flask_session["_fresh"] = True
    return client  # type: ignore[return-value]


def floor_engine(url: str) -> Engine:
    """An engine for the hand-written floors (psycopg 3, as the app's)."""
    return create_engine(url, pool_pre_ping=True)


def percentile(samples: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (p95 of 30 samples: the 29th smallest)."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass
class Timing:
    """Milliseconds of each measured run."""

    samples: list[float] = field(default_factory=list)

    @property
    def p50(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        return percentile(self.samples, 0.95)


@dataclass(frozen=True)
class Case:
    """A page to time: who asks (a signed-in client), what, and the floor SQL with its parameters."""

    label: str
    client: ElearnClient
    url: str
    floor_sql: str
    floor_params: Mapping[str, Any] = field(default_factory=dict)
    check: Callable[[str, list[Any]], None] | None = None
    """Called once with the page's HTML and the floor's rows, to show both return the same rows."""


@dataclass(frozen=True)
class Result:
    """One case measured: the page's timing, its floor's, and how many rows the floor returned."""

    label: str
    page: Timing
    floor: Timing
    rows: int
    status: int
    cpu: Timing = field(default_factory=Timing)
    """The page's CPU time in this process (test client, Flask, SQLAlchemy, Jinja; not PostgreSQL's): it moves
    less than wall time when other work shares the cores."""


def measure(case: Case, engine: Engine, *, requests: int = REQUESTS, warm_up: int = WARM_UP) -> Result:
    """Request the page and run its floor alternately, `warm_up` untimed rounds first; 200 expected."""
    page, floor, cpu = Timing(), Timing(), Timing()
    rows: list[Any] = []
    status = 0
    with engine.connect() as connection:
        statement = text(case.floor_sql)
        for round_number in range(warm_up + requests):
            start, start_cpu = time.perf_counter(), time.process_time()
            response = case.client.get(case.url)
            body = response.get_data(as_text=True)
            page_ms = (time.perf_counter() - start) * 1000
            cpu_ms = (time.process_time() - start_cpu) * 1000
            status = response.status_code
            if status != 200:
                raise RuntimeError(f"{case.label}: {case.url} answered {status}")
            start = time.perf_counter()
            rows = list(connection.execute(statement, dict(case.floor_params)).all())
            floor_ms = (time.perf_counter() - start) * 1000
            connection.rollback()
            if round_number == 0 and case.check is not None:
                case.check(body, rows)
            if round_number >= warm_up:
                page.samples.append(page_ms)
                floor.samples.append(floor_ms)
                cpu.samples.append(cpu_ms)
    return Result(label=case.label, page=page, floor=floor, rows=len(rows), status=status, cpu=cpu)


def verdict(result: Result) -> str:
    """Both targets, each met or missed."""
    ratio = result.page.p95 / result.floor.p95 if result.floor.p95 else math.inf
    p95 = "ok" if result.page.p95 < TARGET_P95_MS else "MISSED"
    times = "ok" if ratio <= TARGET_RATIO else "MISSED"
    return (
        f"ratio {ratio:5.1f}x  p95 < {TARGET_P95_MS:.0f} ms: {p95:<6}  <= {TARGET_RATIO:.0f}x floor: {times}"
    )


HEADER = (
    f"{'page':<52} {'p50 ms':>7} {'p95 ms':>7} {'CPU p50':>7}   {'SQL p50':>7} {'SQL p95':>7} {'rows':>5}"
)


def line(result: Result) -> str:
    """One printed row: the page's p50/p95, the floor's, the floor's rows and the verdict."""
    return (
        f"{result.label:<52} {result.page.p50:7.1f} {result.page.p95:7.1f} {result.cpu.p50:7.1f}   "
        f"{result.floor.p50:7.1f} {result.floor.p95:7.1f} {result.rows:>5}  {verdict(result)}"
    )


def shows_every(column: int) -> Callable[[str, list[Any]], None]:
    """A check that the page shows column `column` of every floor row (the NIP, say): the same rows."""

    def check(body: str, rows: list[Any]) -> None:
        missing = [row[column] for row in rows if str(row[column]) not in body]
        if missing:
            raise AssertionError(
                f"the page lacks {len(missing)} of the floor's {len(rows)} rows: {missing[:3]}"
            )

    return check


def scalar(engine: Engine, sql: str, **params: Any) -> Any:
    """One value from the world (to pick the units, people and cursors the cases use)."""
    with engine.connect() as connection:
        return connection.execute(text(sql), params).scalar_one()
