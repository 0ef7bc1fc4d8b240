"""The state of import jobs in the database: queue, claim, progress, heartbeat, outcome.

A job checks (dry run) or imports one uploaded file. Any runner (a background thread of an app server, or
`flask elearn jobs`) claims the oldest queued job with a conditional UPDATE, so two runners never run one job;
while running it beats its heartbeat with every progress report, and a job whose heartbeat is older than
ELEARN_IMPORT_JOB_STALE_SECONDS is shown, and then marked, failed (its runner died; its transaction was rolled
back with it). Functions take a session and leave the commit to the caller, like every service.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from elearn.models import ImportJob, JobMode, JobStatus, PendingImport, Person
from elearn.orgdata import ParsedFile, Problem
from elearn.services.org_import import ImportReport, KindCounts

# Problems kept with a job's outcome: enough to fix a file, bounded when every one of 300,000 rows is bad.
PROBLEMS_KEPT = 500
# Why a job failed, stored as "<failure>:<technical detail without data from the file>".
FAILURE_STALE = "stale"
FAILURE_DATABASE = "database"
FAILURE_UNEXPECTED = "unexpected"


@dataclass(frozen=True)
class JobResult:
    """What a finished job found: the file's shape, the counts, the first rows and the (first) problems."""

    kind: str
    source: str
    row_count: int
    columns: tuple[str, ...]
    sample: tuple[tuple[int, Mapping[str, str]], ...]
    counts: Mapping[str, KindCounts]
    problems: tuple[Problem, ...]
    problem_count: int
    warnings: tuple[str, ...]

    @property
    def refused(self) -> bool:
        """Any problem refuses the import."""
        return self.problem_count > 0

    @classmethod
    def of(cls, parsed: ParsedFile, report: ImportReport) -> JobResult:
        """The result of checking or importing `parsed`."""
        return cls(
            kind=parsed.kind.name,
            source=parsed.source,
            row_count=parsed.row_count,
            columns=tuple(c for c in parsed.kind.columns if c in parsed.columns),
            sample=parsed.sample,
            counts=report.counts,
            problems=report.problems[:PROBLEMS_KEPT],
            problem_count=len(report.problems),
            warnings=tuple(w.reason for w in report.warnings),
        )

    def to_json(self) -> dict[str, Any]:
        """A JSON document for the job row."""
        return {
            "kind": self.kind,
            "source": self.source,
            "row_count": self.row_count,
            "columns": list(self.columns),
            "sample": [[number, dict(cells)] for number, cells in self.sample],
            "counts": {kind: asdict(counts) for kind, counts in self.counts.items()},
            "problems": [asdict(p) for p in self.problems],
            "problem_count": self.problem_count,
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> JobResult:
        """The result a job row holds."""
        return cls(
            kind=document["kind"],
            source=document["source"],
            row_count=document["row_count"],
            columns=tuple(document["columns"]),
            sample=tuple((number, cells) for number, cells in document["sample"]),
            counts={kind: KindCounts(**counts) for kind, counts in document["counts"].items()},
            problems=tuple(Problem(**p) for p in document["problems"]),
            problem_count=document["problem_count"],
            warnings=tuple(document["warnings"]),
        )


def queue(
    session: Session, *, upload: PendingImport, mode: JobMode, ip: str | None, now: datetime
) -> ImportJob:
    """A new job for `upload`, waiting for a runner."""
    job = ImportJob(
        upload_id=upload.id,
        owner_id=upload.owner_id,
        mode=mode.value,
        status=JobStatus.QUEUED.value,
        ip=ip,
        created_at=now,
    )
    session.add(job)
    session.flush()
    return job


def owned_job(session: Session, *, job_id: int, owner: Person) -> ImportJob | None:
    """The job with its upload, or None when it is unknown or another administrator's (the view 404s)."""
    return session.scalar(
        select(ImportJob)
        .options(joinedload(ImportJob.upload))
        .where(ImportJob.id == job_id, ImportJob.owner_id == owner.id)
    )


def apply_job_of(session: Session, upload_id: int) -> ImportJob | None:
    """The import started from an upload, if there is one."""
    return session.scalar(
        select(ImportJob).where(ImportJob.upload_id == upload_id, ImportJob.mode == JobMode.APPLY.value)
    )


def claim_next(session: Session, *, runner: str, now: datetime) -> int | None:
    """Mark the oldest queued job running for `runner` and return its id, or None when none is queued.

    The UPDATE only succeeds while the job is still queued, so of two runners racing for one job (on any
    server) exactly one gets it; the loser tries the next.
    """
    while True:
        candidate = session.scalar(
            select(ImportJob.id)
            .where(ImportJob.status == JobStatus.QUEUED.value)
            .order_by(ImportJob.id)
            .limit(1)
        )
        if candidate is None:
            return None
        claimed = session.execute(
            update(ImportJob)
            .where(ImportJob.id == candidate, ImportJob.status == JobStatus.QUEUED.value)
            .values(status=JobStatus.RUNNING.value, runner=runner[:100], started_at=now, heartbeat_at=now)
        )
        if claimed.rowcount == 1:  # type: ignore[attr-defined]  # a CursorResult for an UPDATE
            return candidate


def report_progress(
    session: Session, *, job_id: int, stage: str, done: int, total: int, now: datetime
) -> None:
    """Store how far a running job is; also its heartbeat."""
    session.execute(
        update(ImportJob)
        .where(ImportJob.id == job_id, ImportJob.status == JobStatus.RUNNING.value)
        .values(stage=stage, done=done, total=total, heartbeat_at=now)
    )


def finish(session: Session, job: ImportJob, *, result: JobResult, now: datetime) -> None:
    """The job is done (refused or not: `result` says); in the transaction that wrote its import, if any."""
    job.status = JobStatus.DONE.value
    job.result = result.to_json()
    job.finished_at = job.heartbeat_at = now
    session.flush()


def fail(session: Session, *, job_id: int, failure: str, detail: str, now: datetime) -> None:
    """The job failed; `detail` is shown to its owner, so it must hold no data from the file."""
    session.execute(
        update(ImportJob)
        .where(ImportJob.id == job_id)
        .values(status=JobStatus.FAILED.value, error=f"{failure}:{detail}"[:500], finished_at=now)
    )


def is_stale(job: ImportJob, *, now: datetime, stale_after: timedelta) -> bool:
    """A running job whose runner stopped beating: it died, and its work was rolled back."""
    beat = job.heartbeat_at or job.started_at
    return job.status == JobStatus.RUNNING.value and beat is not None and now - beat > stale_after


def fail_stale(session: Session, *, now: datetime, stale_after: timedelta) -> int:
    """Mark the running jobs whose heartbeat stopped as failed; returns how many."""
    result = session.execute(
        update(ImportJob)
        .where(ImportJob.status == JobStatus.RUNNING.value, ImportJob.heartbeat_at < now - stale_after)
        .values(status=JobStatus.FAILED.value, error=f"{FAILURE_STALE}:", finished_at=now)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]  # a CursorResult for an UPDATE


@dataclass(frozen=True)
class JobView:
    """A job as its page shows it (plain data: the template asks the database nothing)."""

    id: int
    mode: str
    status: str
    stage: str | None
    done: int
    total: int
    kind: str
    filename: str
    result: JobResult | None
    failure: str | None
    detail: str
    confirmed: bool

    @property
    def finished(self) -> bool:
        """Done or failed: nothing will change any more."""
        return self.status in (JobStatus.DONE.value, JobStatus.FAILED.value)

    @property
    def percent(self) -> int:
        """How far the current stage is (the reading stage's total is estimated from the line count)."""
        return min(100, self.done * 100 // self.total) if self.total else 0

    @property
    def can_confirm(self) -> bool:
        """A clean check of an upload not yet imported offers to import it."""
        return (
            self.mode == JobMode.CHECK.value
            and self.result is not None
            and not self.result.refused
            and not self.confirmed
        )


def describe(job: ImportJob, *, now: datetime, stale_after: timedelta) -> JobView:
    """The job's page: a running job whose heartbeat stopped is shown failed even before a runner marks it."""
    status, failure, detail = job.status, None, ""
    if is_stale(job, now=now, stale_after=stale_after):
        status, failure = JobStatus.FAILED.value, FAILURE_STALE
    elif job.status == JobStatus.FAILED.value:
        failure, _, detail = (job.error or f"{FAILURE_UNEXPECTED}:").partition(":")
    return JobView(
        id=job.id,
        mode=job.mode,
        status=status,
        stage=job.stage,
        done=job.done,
        total=job.total,
        kind=job.upload.kind,
        filename=job.upload.filename,
        result=JobResult.from_json(job.result) if job.result else None,
        failure=failure,
        detail=detail,
        confirmed=job.upload.confirmed_at is not None,
    )
