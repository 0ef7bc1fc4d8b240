"""What the HTTP benchmarks share: a scratch PostgreSQL database, gunicorn serving an app, and signed-in learners.

gunicorn runs the way docs/deployment.md serves elearn (sync workers, 4 of them here), on loopback only. The apps
run without ELEARN_PRODUCTION, whose only effect is the Secure flag on cookies: over plain loopback HTTP a load
generator would otherwise drop the session cookie.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from _backends import _empty_postgres
from sqlalchemy.orm import Session

from elearn.models import Person
from elearn.people.nip import make_nip
from elearn.services.org import create_unit

BENCH_DIR = Path(__file__).resolve().parent
# The benchmarks count statements with the test suite's own helpers (`tests` is not installed, only checked out).
sys.path.insert(1, str(BENCH_DIR.parent))
SECRET_KEY = "bench-secret-key-not-for-production"
WORKERS = 4
READY_SECONDS = 60.0


def postgres_url() -> str:
    """The scratch PostgreSQL database of ELEARN_TEST_POSTGRES_URL, emptied; exits with a message when unset."""
    raw = os.environ.get("ELEARN_TEST_POSTGRES_URL", "").strip()
    if not raw:
        sys.exit("This benchmark runs on PostgreSQL: set ELEARN_TEST_POSTGRES_URL to a scratch database.")
    return _empty_postgres(raw)


def app_environment(database_url: str) -> dict[str, str]:
    """The environment an elearn server process reads its settings from."""
    return {
        **os.environ,
        "ELEARN_DATABASE_URL": database_url,
        "ELEARN_SECRET_KEY": SECRET_KEY,
        "ELEARN_COURSES_DIR": str(BENCH_DIR.parent / "courses"),
    }


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Server:
    """A running gunicorn: its base URL and process."""

    url: str
    process: subprocess.Popen[bytes]


@contextmanager
def gunicorn(
    app: str, *, env: Mapping[str, str], workers: int = WORKERS, extra: tuple[str, ...] = ()
) -> Iterator[Server]:
    """Serve `app` (a gunicorn app spec) with `workers` sync workers on a free loopback port until the block ends."""
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
        "--chdir", str(BENCH_DIR), "--log-level", "warning", *extra, app,
    ]  # fmt: skip
    process = subprocess.Popen(command, env=dict(env))
    server = Server(url=f"http://127.0.0.1:{port}", process=process)
    try:
        _wait_until_ready(server)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_until_ready(server: Server) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.process.returncode}")
        try:
            with urllib.request.urlopen(server.url + "/", timeout=5):  # noqa: S310  (loopback only)
                return
        except urllib.error.HTTPError:
            return  # it answers (a redirect to the login page, a 404): ready
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer on {server.url} within {READY_SECONDS:.0f} s")


def make_learners(
    session: Session, count: int, *, password_hash: str, unit_code: str = "BENCH"
) -> list[Person]:
    """`count` employees in one unit who can sign in with the password behind `password_hash` (hashed once: a
    hash per person would take minutes; each login still verifies it in full)."""
    unit = create_unit(session, code=unit_code, name="Bidang Pelayanan Pendaftaran Penduduk", parent=None)
    people = []
    for n in range(count):
        birth = date(1970, 1, 1) + timedelta(days=n % 9000)
        person = Person(
            nip=make_nip(birth, date(birth.year + 23, 1 + n % 12, 1), 1 + n % 2, 1 + n % 999),
            name=f"Peserta Ujian {n + 1}",
            unit=unit,
            employment="PNS",
            active=True,
            password_hash=password_hash,
        )
        person.set_roles({"employee"})
        people.append(person)
    session.add_all(people)
    session.flush()
    return people
