"""elearn installs from a wheel into a host portal: nothing at run time comes from the source tree.

The wheel is built from this checkout, installed into a fresh virtual environment outside it, migrated on an empty
SQLite file (and an empty PostgreSQL database when ELEARN_TEST_POSTGRES_URL is set), and the example host portal is
served from a copy outside the checkout: its elearn page and elearn's stylesheet both answer.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import urllib.request
import uuid
import venv
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import POSTGRES_URL, sqlalchemy_postgres_url

PROJECT_DIR = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 30


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel of this checkout."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(PROJECT_DIR)],
        check=True,
        cwd=out,
    )
    (built,) = out.glob("elearn-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment outside the checkout with the wheel (and its dependencies) installed."""
    home = tmp_path_factory.mktemp("venv")
    venv.create(home, with_pip=True)
    python = home / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True, cwd=home)
    return home


def test_wheel_ships_static_files_migrations_and_translations(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "elearn/static/elearn/elearn.css" in names
    assert "elearn/migrations/env.py" in names and "elearn/migrations/alembic.ini" in names
    assert any(re.fullmatch(r"elearn/migrations/versions/\w+\.py", name) for name in names)
    assert {
        "elearn/translations/id/LC_MESSAGES/messages.mo",
        "elearn/translations/en/LC_MESSAGES/messages.mo",
    } <= names
    assert "elearn/templates/elearn/base.html" in names
    assert "elearn/data/competencies/kamus-manajerial-sosiokultural.yml" in names
    assert not any(name.startswith(("tests/", "courses/", "examples/")) for name in names)


def _run(installed: Path, *args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(installed / "bin" / args[0]), *args[1:]], env=env, cwd=cwd, capture_output=True, text=True
    )


def _clean_env(**extra: str) -> dict[str, str]:
    """The environment without anything pointing at this checkout (PYTHONPATH, the test's database)."""
    keep = {
        key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "ELEARN_", "FLASK_"))
    }
    return {**keep, **extra}


@pytest.fixture(params=["sqlite"] + (["postgresql"] if POSTGRES_URL else []))
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty SQLite file, or a scratch PostgreSQL database dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'host.sqlite3'}"
        return
    url = make_url(sqlalchemy_postgres_url(POSTGRES_URL))
    name = f"elearn_wheel_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'create database "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'drop database if exists "{name}" with (force)'))
        admin.dispose()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310  (a local http URL)
        return response.status, response.headers.get("Content-Type", ""), response.read()


def test_installed_wheel_migrates_and_serves_the_host_portal_styled(
    installed: Path, empty_database: str, tmp_path: Path
) -> None:
    portal = tmp_path / "portal"
    shutil.copytree(PROJECT_DIR / "examples", portal / "examples")
    env = _clean_env(
        FLASK_APP="examples.host_app:create_host_app",
        PORTAL_DATABASE_URL=empty_database,
        PYTHONPATH=str(portal),
    )
    migrated = _run(installed, "flask", "elearn", "upgrade", env=env, cwd=portal)
    assert migrated.returncode == 0, migrated.stderr
    assert "Basis data mutakhir" in migrated.stdout

    port = _free_port()
    server = subprocess.Popen(
        [
            str(installed / "bin" / "gunicorn"),
            "-b",
            f"127.0.0.1:{port}",
            "examples.host_app:create_host_app()",
        ],
        env=env,
        cwd=portal,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_listening(port, server)
        status, _type, body = _get(base + "/belajar/masuk")
        page = body.decode()
        assert status == 200 and "Portal Kepegawaian" in page and 'name="identifier"' in page
        stylesheet = re.search(r'href="([^"]*elearn\.css[^"]*)"', page)
        assert stylesheet, "the page links elearn's stylesheet"
        status, content_type, css = _get(base + stylesheet.group(1).replace("&amp;", "&"))
        assert (status, content_type.split(";")[0]) == (200, "text/css")
        assert b".site-header" in css
    finally:
        server.terminate()
        server.wait(timeout=10)


def _wait_until_listening(port: int, server: subprocess.Popen[str]) -> None:
    """Poll until gunicorn accepts connections; fail with its output if it exits or never listens."""
    for _ in range(STARTUP_SECONDS * 10):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        try:
            server.wait(timeout=0.1)  # returns early only if gunicorn exited
        except subprocess.TimeoutExpired:
            continue
        pytest.fail(f"gunicorn exited: {server.stdout.read() if server.stdout else ''}")
    pytest.fail("gunicorn did not start listening")
