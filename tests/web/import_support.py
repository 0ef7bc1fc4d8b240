"""Helpers for the admin import tests: upload a file, let the queued jobs run, read the job page, confirm."""

from __future__ import annotations

import io
import re

from flask import Flask
from werkzeug.test import TestResponse

from elearn.import_runner import background, run_queued_jobs
from tests.conftest import ElearnClient

CONFIRM_FORM = re.compile(r'action="([^"]+/simpan)"')


def upload(client: ElearnClient, kind: str, data: str | bytes, name: str = "data.csv") -> TestResponse:
    """Post one file on the admin import page (it answers with a redirect to the check job's page)."""
    payload = data.encode() if isinstance(data, str) else data
    return client.post_form(
        "/admin/import",
        {"kind": kind, "file": (io.BytesIO(payload), name)},
        content_type="multipart/form-data",
    )


def job_url(response: TestResponse) -> str:
    """Where a redirect to a job page leads."""
    assert response.status_code == 302, response.status_code
    location = response.headers["Location"]
    assert "/admin/import/tugas/" in location, location
    return location


def finished_job(client: ElearnClient, app: Flask, response: TestResponse) -> tuple[str, str]:
    """Wait for the app's background runner to drain the queue (with ELEARN_IMPORT_JOBS_IN_APP, the default) or
    run the queued jobs here (as `flask elearn jobs` does), then read the page the redirect leads to."""
    url = job_url(response)
    assert background(app).join(timeout=120), "the background runner did not finish"
    run_queued_jobs(app)
    return url, client.get(url).get_data(as_text=True)


def confirm_url(page: str) -> str:
    """The action of the preview's confirm form."""
    found = CONFIRM_FORM.search(page)
    assert found is not None, "the preview offers no confirm"
    return found.group(1)


def check_and_import(client: ElearnClient, app: Flask, kind: str, data: str | bytes) -> str:
    """Upload, check, confirm and import one file; the import job's page."""
    _, preview = finished_job(client, app, upload(client, kind, data))
    _, outcome = finished_job(client, app, client.post_form(confirm_url(preview)))
    return outcome
