"""The admin import page: the check and the import run as jobs outside the request, their progress and outcome
live in the database (any server shows them, any runner runs them), a dead runner's job is seen as failed."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from elearn.app import create_app
from elearn.db import utcnow
from elearn.import_runner import background, run_queued_jobs
from elearn.models import AuditEntry, ImportJob, JobStatus, Mentorship, PendingImport, Person, Position, Unit
from elearn.services import import_jobs, pending_import
from tests.factories import login, make_person
from tests.web.import_support import confirm_url, finished_job, job_url, upload
from tests.web.org_files import (
    MENTORSHIPS,
    NIP_A,
    NIP_B,
    PEOPLE,
    POSITIONS,
    UNITS,
    count,
    email_taken_before_people_are_written,
    make_admin,
    make_mentorship_people,
)


@pytest.fixture(autouse=True)
def drained(app: Flask) -> Iterator[None]:
    """No test leaves the app's background runner working on the database the next test empties."""
    yield
    assert background(app).join(timeout=120)


@pytest.fixture
def admin(client, session) -> Person:
    """A signed-in administrator."""
    person = make_admin(session)
    session.commit()
    login(client, person)
    return person


@pytest.fixture
def worker_only(app: Flask) -> Flask:
    """The app with the in-process runner off: jobs wait until a test runs them (as `flask elearn jobs` does)."""
    app.config["ELEARN_IMPORT_JOBS_IN_APP"] = False
    return app


@pytest.fixture
def other_server(app: Flask, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """A second app server on the same database with its own instance folder, as behind a load balancer."""
    settings = {
        key: app.config[key] for key in ("TESTING", "ELEARN_DATABASE_URL", "SECRET_KEY", "ELEARN_COURSES_DIR")
    }
    server = create_app({**settings, "ELEARN_IMPORT_JOBS_IN_APP": False})
    server.instance_path = str(tmp_path_factory.mktemp("other-server"))
    server.test_client_class = app.test_client_class
    yield server
    with server.app_context():
        server.extensions["elearn"].db.engine.dispose()


def backdate_upload(session: Session, filename: str, hours: int) -> None:
    """Pretend the upload of `filename` was stored `hours` ago."""
    moved = utcnow() - timedelta(hours=hours)
    session.execute(update(PendingImport).where(PendingImport.filename == filename).values(created_at=moved))
    session.commit()


def job_of(session: Session, url: str) -> ImportJob:
    job = session.get(ImportJob, int(url.rstrip("/").rsplit("/", 1)[1]))
    assert job is not None
    session.refresh(job)
    return job


def test_admin_import_preview_escapes_values_and_lists_problems(app, client, session, admin):
    people = f"nip;nama\n{NIP_A};<script>alert(1)</script>\n1.98E+17;Ani\n"
    _, page = finished_job(client, app, upload(client, "people", people))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "notasi ilmiah" in page
    assert "/simpan" not in page
    assert count(session, Person) == 1
    assert session.scalars(select(PendingImport.data)).all() == [b""]


def test_admin_import_upload_answers_before_the_check_and_the_page_refreshes_until_done(
    worker_only, client, session, admin
):
    response = upload(client, "units", UNITS.replace(f";{NIP_A}", ";"))
    url = job_url(response)
    waiting = client.get(url)
    assert waiting.headers["Refresh"] == "2"
    assert "Menunggu giliran" in waiting.get_data(as_text=True)
    assert "flask elearn jobs" in waiting.get_data(as_text=True)
    assert "Refresh" not in client.get(url + "?otomatis=0").headers
    assert run_queued_jobs(worker_only) == 1
    done = client.get(url)
    assert "Refresh" not in done.headers
    assert "3 baru, 0 diubah, 0 tetap" in done.get_data(as_text=True)
    assert count(session, Unit) == 0


def test_admin_import_job_page_shows_progress_of_a_running_job(worker_only, client, session, admin):
    url = job_url(upload(client, "people", PEOPLE))
    job_id = import_jobs.claim_next(session, runner="test", now=utcnow())
    import_jobs.report_progress(session, job_id=job_id, stage="check", done=50, total=200, now=utcnow())
    session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "Memeriksa baris terhadap basis data" in page
    assert '<progress max="200" value="50"' in page
    assert "50 dari 200 baris (25%)" in page


def test_admin_import_job_whose_heartbeat_stopped_is_failed(worker_only, client, session, admin):
    url = job_url(upload(client, "people", PEOPLE))
    job_id = import_jobs.claim_next(session, runner="crashed", now=utcnow() - timedelta(minutes=10))
    session.commit()
    page = client.get(url)
    assert "Refresh" not in page.headers
    assert "server yang menjalankannya berhenti" in page.get_data(as_text=True)
    assert run_queued_jobs(worker_only) == 0
    assert job_of(session, url).status == JobStatus.FAILED.value
    assert job_id is not None and count(session, Person) == 1


def test_admin_import_check_on_one_server_confirm_and_import_on_another(
    worker_only, client, session, admin, other_server
):
    url = job_url(upload(client, "units", UNITS.replace(f";{NIP_A}", ";")))
    assert run_queued_jobs(other_server) == 1
    page = client.get(url).get_data(as_text=True)
    assert "3 baru, 0 diubah, 0 tetap" in page
    other_client = other_server.test_client()
    login(other_client, admin)
    applying = job_url(other_client.post_form(confirm_url(page)))
    assert count(session, Unit) == 0
    assert run_queued_jobs(worker_only) == 1
    assert "Impor selesai: 3 baru, 0 diubah, 0 tetap." in other_client.get(applying).get_data(as_text=True)
    assert count(session, Unit) == 3
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "import-org"))
    assert entry is not None and entry.actor_id == admin.id
    assert session.scalars(select(PendingImport.data)).all() == [b""]


def test_admin_import_confirm_twice_imports_once_and_says_so(app, client, session, admin):
    _, preview = finished_job(client, app, upload(client, "positions", POSITIONS))
    first, outcome = finished_job(client, app, client.post_form(confirm_url(preview)))
    again = client.post_form(confirm_url(preview))
    assert again.headers["Location"] == first
    assert "sudah disimpan ke basis data; tidak diimpor dua kali" in client.get(first).get_data(as_text=True)
    assert "Impor selesai: 2 baru" in outcome
    assert count(session, Position) == 2
    assert len(session.scalars(select(AuditEntry).where(AuditEntry.action == "import-org")).all()) == 1


def test_pending_import_confirm_succeeds_once(session):
    upload = pending_import.store(
        session, owner=make_admin(session), kind="units", filename="u.csv", data=b"x", now=utcnow()
    )
    session.commit()
    assert pending_import.confirm(session, upload_id=upload.id, now=utcnow()) is True
    assert pending_import.confirm(session, upload_id=upload.id, now=utcnow()) is False


def test_admin_import_job_of_another_admin_is_404(app, client, session, admin):
    _, preview = finished_job(client, app, upload(client, "positions", POSITIONS))
    url = job_url(upload(client, "positions", POSITIONS))
    other_client = app.test_client()
    login(other_client, make_admin(session))
    session.commit()
    assert other_client.get(url).status_code == 404
    assert other_client.post_form(confirm_url(preview)).status_code == 404
    assert client.get("/admin/import/tugas/999999").status_code == 404
    assert count(session, Position) == 0


def test_admin_import_confirm_of_refused_check_is_404(app, client, session, admin):
    url, page = finished_job(client, app, upload(client, "people", "nip;nama\n1.98E+17;Ani\n"))
    assert "/simpan" not in page
    assert client.post_form(url + "/simpan").status_code == 404
    assert count(session, ImportJob) == 1


def test_admin_import_upload_older_than_a_day_is_gone(app, client, session, admin):
    url, preview = finished_job(client, app, upload(client, "positions", POSITIONS, name="lama.csv"))
    backdate_upload(session, "lama.csv", hours=25)
    upload(client, "units", UNITS, name="baru.csv")
    assert client.get(url).status_code == 404
    assert client.post_form(confirm_url(preview)).status_code == 404
    assert session.scalars(select(PendingImport.filename)).all() == ["baru.csv"]


def test_pending_import_store_prunes_uploads_older_than_a_day(session):
    admin = make_admin(session)
    pending_import.store(session, owner=admin, kind="units", filename="lama.csv", data=b"lama", now=utcnow())
    session.commit()
    backdate_upload(session, "lama.csv", hours=25)
    pending_import.store(session, owner=admin, kind="units", filename="baru.csv", data=b"baru", now=utcnow())
    session.commit()
    assert session.scalars(select(PendingImport.filename)).all() == ["baru.csv"]


def test_prune_imports_cli_removes_only_uploads_older_than_a_day(app, session):
    admin = make_admin(session)
    for filename in ("lama.csv", "kemarin.csv"):
        pending_import.store(session, owner=admin, kind="units", filename=filename, data=b"x", now=utcnow())
    session.commit()
    backdate_upload(session, "lama.csv", hours=25)
    backdate_upload(session, "kemarin.csv", hours=23)
    result = app.test_cli_runner().invoke(args=["elearn", "prune-imports"])
    assert result.exit_code == 0 and "1 unggahan impor lama dihapus." in result.output
    assert session.scalars(select(PendingImport.filename)).all() == ["kemarin.csv"]


def test_admin_import_refuses_file_over_byte_limit(app, client, session, admin):
    app.config["ELEARN_IMPORT_MAX_BYTES"] = 40
    response = upload(client, "units", UNITS)
    assert response.status_code == 400
    assert "lebih besar dari batas 40 byte" in response.get_data(as_text=True)
    assert count(session, PendingImport) == 0


def test_admin_import_of_header_only_file_says_so_and_offers_no_save(app, client, session, admin):
    _, page = finished_job(client, app, upload(client, "people", "nip;nama;email\n\n"))
    assert "tidak ada baris data" in page
    assert "/simpan" not in page


def test_admin_import_page_is_404_for_non_admin(client, session):
    login(client, make_person(session, roles=("employee", "supervisor")))
    session.commit()
    assert client.get("/admin/import").status_code == 404
    assert upload(client, "units", UNITS).status_code == 404


def test_admin_import_offers_mentorships_and_applies_them(app, client, session, admin):
    make_mentorship_people(session)
    assert 'value="mentorships"' in client.get("/admin/import").get_data(as_text=True)
    _, page = finished_job(client, app, upload(client, "mentorships", MENTORSHIPS))
    assert "2 baru, 0 diubah, 0 tetap" in page and "1 pegawai akan diberi peran mentor" in page
    _, outcome = finished_job(client, app, client.post_form(confirm_url(page)))
    assert count(session, Mentorship) == 2
    assert "1 pegawai diberi peran mentor." in outcome


def test_admin_import_runs_in_a_background_thread_of_the_app(app, client, session, admin):
    assert app.config["ELEARN_IMPORT_JOBS_IN_APP"] is True
    url = job_url(upload(client, "positions", POSITIONS))
    assert background(app).join(timeout=120)
    page = client.get(url).get_data(as_text=True)
    assert "2 baru, 0 diubah, 0 tetap" in page
    applying = job_url(client.post_form(confirm_url(page)))
    assert background(app).join(timeout=120)
    assert "Impor selesai: 2 baru" in client.get(applying).get_data(as_text=True)
    assert count(session, Position) == 2


def test_jobs_cli_runs_the_queued_jobs_once(worker_only, client, session, admin):
    url = job_url(upload(client, "positions", POSITIONS))
    result = worker_only.test_cli_runner().invoke(args=["elearn", "jobs", "--once"])
    assert result.exit_code == 0 and "1 tugas impor selesai." in result.output
    assert "2 baru, 0 diubah, 0 tetap" in client.get(url).get_data(as_text=True)
    again = worker_only.test_cli_runner().invoke(args=["elearn", "jobs", "--once"])
    assert again.exit_code == 0 and again.output == ""


def test_two_runners_racing_for_one_job_claim_it_once(worker_only, client, session, admin, other_server):
    upload(client, "positions", POSITIONS)
    start = threading.Barrier(2)
    claimed: list[int | None] = []

    def claim(server: Flask) -> None:
        with server.app_context():
            own = server.extensions["elearn"].db.session
            start.wait()
            claimed.append(import_jobs.claim_next(own, runner=server.name, now=utcnow()))
            own.commit()

    racers = [threading.Thread(target=claim, args=(server,)) for server in (worker_only, other_server)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()
    assert len(claimed) == 2 and claimed.count(None) == 1
    assert count(session, ImportJob) == 1


def test_admin_import_database_failure_shows_clean_error_and_changes_nothing(
    worker_only, client, session, admin
):
    people = (
        f"nip;nama;email\n{NIP_A};Budi Santoso;budi@salatiga.go.id\n{NIP_B};Siti Aminah;siti@salatiga.go.id\n"
    )
    _, preview = finished_job(client, worker_only, upload(client, "people", people))
    applying = job_url(client.post_form(confirm_url(preview)))
    with email_taken_before_people_are_written(session, "budi@salatiga.go.id"):
        assert run_queued_jobs(worker_only) == 1
    page = client.get(applying).get_data(as_text=True)
    assert "Kesalahan basis data; tidak ada yang disimpan." in page
    assert "IntegrityError" in page
    for private in ("Budi", "budi@salatiga.go.id", "Siti", "siti@salatiga.go.id", "Orang Lain"):
        assert private not in page
    assert session.scalars(select(Person.name).order_by(Person.name)).all() == ["Admin BKPSDM", "Orang Lain"]
    assert count(session, AuditEntry) == 0
    assert job_of(session, applying).status == JobStatus.FAILED.value
