"""`flask elearn attempts close-expired`: finish timed attempts nobody came back to (run it from cron)."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from elearn.cli.group import elearn_cli
from elearn.events import commit
from elearn.services import attempts
from elearn.state import clock, db_session, outlines

attempts_cli = AppGroup("attempts", help="Percobaan kuis: tutup yang waktunya habis.")
elearn_cli.add_command(attempts_cli)


@attempts_cli.command("close-expired")
def close_expired_command() -> None:
    """Nilai dan tutup percobaan kuis berwaktu yang sudah lewat batas, dari jawaban yang tersimpan (aman dari cron)."""
    session = db_session()
    grace = timedelta(seconds=int(current_app.config["ELEARN_QUIZ_GRACE_SECONDS"]))
    closed = 0
    while True:
        now = clock().now()
        batch = attempts.expired_attempt_ids(session, now=now, grace=grace)
        session.rollback()
        finished_now = 0
        for attempt_id in batch:
            closed_one = attempts.close_expired_attempt(
                session, attempt_id=attempt_id, cache=outlines(), now=now, timezone=clock().timezone
            )
            if closed_one:
                commit(session)
                finished_now += 1
            else:
                session.rollback()
        closed += finished_now
        if len(batch) < attempts.CLOSE_BATCH or not finished_now:
            break
    click.echo(f"{closed} percobaan yang waktunya habis dinilai dan ditutup.")
