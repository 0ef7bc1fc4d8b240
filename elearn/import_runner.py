"""Running queued import jobs outside the HTTP request.

Two runners, one code path: a background thread of the app process that drains the queue when a job is queued
(the default, ELEARN_IMPORT_JOBS_IN_APP, so `make run` and every gunicorn worker need nothing more), and
`flask elearn jobs` on any machine. Both claim jobs through the database (`elearn.services.import_jobs`), so
any number of them may run side by side; a runner that dies stops the heartbeat of its job, which is then
shown failed, and its import transaction dies with it, so nothing is half-written.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, joinedload

from elearn.clock import Clock
from elearn.database_errors import describe_database_error
from elearn.models import ImportJob, JobMode, Person
from elearn.orgdata import Limits, Stage, parse_file
from elearn.services import import_jobs, pending_import
from elearn.services.import_jobs import FAILURE_DATABASE, FAILURE_UNEXPECTED, JobResult
from elearn.services.org_import import import_org
from elearn.state import clock, db_session, elearn_state

logger = logging.getLogger(__name__)

RUNNER_KEY = "elearn.import_runner"
# Seconds between two progress writes of a running job (each also beats its heartbeat).
PROGRESS_INTERVAL = 1.0


def stale_after(app: Flask) -> timedelta:
    """How long a running job may go without a heartbeat before it counts as dead."""
    return timedelta(seconds=float(app.config["ELEARN_IMPORT_JOB_STALE_SECONDS"]))


def runner_name() -> str:
    """Which process and thread claimed a job, for whoever reads the job row."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def run_queued_jobs(app: Flask) -> int:
    """Mark jobs whose runner died as failed, then claim and run queued jobs until none is left; how many ran."""
    with app.app_context():
        session = db_session()
        import_jobs.fail_stale(session, now=clock().now(), stale_after=stale_after(app))
        session.commit()
    ran = 0
    while True:
        with app.app_context():
            session = db_session()
            job_id = import_jobs.claim_next(session, runner=runner_name(), now=clock().now())
            session.commit()
            if job_id is None:
                return ran
            _run(job_id)
            ran += 1


def _run(job_id: int) -> None:
    """Check or import the job's upload; its outcome is stored in the import's own transaction when it wrote."""
    session = db_session()
    job = session.scalar(
        select(ImportJob).options(joinedload(ImportJob.upload)).where(ImportJob.id == job_id)
    )
    assert job is not None  # noqa: S101  (claimed just now; jobs go only with their upload, a day later)
    upload_id, dry_run = job.upload_id, job.mode == JobMode.CHECK.value
    with JobProgress(elearn_state().db.engine, job_id, clock()) as progress:
        try:
            parsed = parse_file(
                job.upload.kind,
                job.upload.data,
                source=job.upload.filename,
                limits=Limits.from_config(current_app.config),
                today=clock().today(),
                progress=progress,
            )
            report = import_org(
                session,
                files=[parsed],
                today=clock().today(),
                dry_run=dry_run,
                actor=session.get(Person, job.owner_id),
                ip=job.ip,
                progress=progress,
            )
            if not report.applied:
                session.rollback()
            if report.refused or not dry_run:
                pending_import.drop_data(session, upload_id=upload_id)
            import_jobs.finish(session, job, result=JobResult.of(parsed, report), now=clock().now())
            session.commit()
        except SQLAlchemyError as error:
            # Never the error's text (it may quote names and e-mail addresses): only what identifies the failure.
            detail = describe_database_error(error)
            logger.error("import job %s failed: %s", job_id, detail)
            _record_failure(session, job_id, upload_id, FAILURE_DATABASE, detail)
        except Exception as error:
            logger.exception("import job %s failed", job_id)
            _record_failure(session, job_id, upload_id, FAILURE_UNEXPECTED, type(error).__name__)


def _record_failure(session: Session, job_id: int, upload_id: int, failure: str, detail: str) -> None:
    """Roll the import back, then store why it failed; the upload cannot be imported from this job any more."""
    session.rollback()
    import_jobs.fail(session, job_id=job_id, failure=failure, detail=detail, now=clock().now())
    pending_import.drop_data(session, upload_id=upload_id)
    session.commit()


class JobProgress:
    """Stores a running job's progress and heartbeat, at most once a second, through a connection of its own
    (the import's transaction commits only at the end).

    SQLite has one writer at a time: once the import writes, the job row cannot change until the import
    commits, so on SQLite progress stops at the start of the writing stage (the stale limit must cover it).
    """

    def __init__(self, engine: Engine, job_id: int, office_clock: Clock) -> None:
        self._session = Session(bind=engine)
        self._job_id = job_id
        self._clock = office_clock
        self._pauses_for_writes = engine.dialect.name == "sqlite"
        self._stage: Stage = "read"
        self._done = self._total = 0
        self._paused = False
        self._last = 0.0

    def start(self, stage: Stage, total: int, *, source: str = "") -> None:
        """Store the new stage at once: before the import's first write, so SQLite still takes it."""
        self._stage, self._total, self._done = stage, total, 0
        self._write()
        self._paused = stage == "write" and self._pauses_for_writes

    def advance(self, rows: int) -> None:
        """Count rows; store them when a second has passed since the last write."""
        self._done += rows
        if not self._paused and time.monotonic() - self._last >= PROGRESS_INTERVAL:
            self._write()

    def _write(self) -> None:
        import_jobs.report_progress(
            self._session,
            job_id=self._job_id,
            stage=self._stage,
            done=min(self._done, self._total),
            total=self._total,
            now=self._clock.now(),
        )
        self._session.commit()
        self._last = time.monotonic()

    def __enter__(self) -> JobProgress:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._session.close()


class BackgroundRunner:
    """At most one thread per app process that drains the queue; woken whenever this process queues a job."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._wanted = False

    def wake(self, app: Flask) -> None:
        """Run the queued jobs soon: start the thread, or have the running one look once more when done."""
        with self._lock:
            self._wanted = True
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._drain, args=(app,), name="elearn-import-jobs", daemon=True
                )
                self._thread.start()

    def join(self, timeout: float | None = None) -> bool:
        """Wait until the queue is drained (for shutting down cleanly, and for tests); True when it is."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return self._thread is None

    def _drain(self, app: Flask) -> None:
        try:
            while True:
                with self._lock:
                    if not self._wanted:
                        self._thread = None
                        return
                    self._wanted = False
                run_queued_jobs(app)
        except Exception:
            logger.exception("the import job runner stopped; queued jobs wait for the next wake")
            with self._lock:
                self._thread = None


def background(app: Flask) -> BackgroundRunner:
    """This app's background runner (one per process)."""
    runner: BackgroundRunner = app.extensions.setdefault(RUNNER_KEY, BackgroundRunner())
    return runner


def wake(app: Flask) -> None:
    """Have this process run the queued jobs in a background thread, unless ELEARN_IMPORT_JOBS_IN_APP is off
    (then `flask elearn jobs` runs them)."""
    if app.config["ELEARN_IMPORT_JOBS_IN_APP"]:
        background(app).wake(app)
