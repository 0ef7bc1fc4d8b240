"""Exports of personal data over HTTP: audited (who, format, filters), never cached, XLSX typed and cleaned up."""

from __future__ import annotations

import contextlib
import gc
import io
import os
import tempfile
import zipfile

import pytest
from sqlalchemy import select

from elearn.models import AuditEntry
from tests.factories import login, make_person, make_unit


@pytest.fixture
def admin(session):
    person = make_person(session, name="Admin BKPSDM", roles=("employee", "admin"))
    session.commit()
    return person


@pytest.fixture
def head(session):
    dinas = make_unit(session, "DISHUB", name="Dinas Perhubungan")
    lalin = make_unit(session, "LALIN", name="Bidang Lalu Lintas", parent=dinas)
    person = make_person(session, name="Kepala Dinas", roles=("employee", "supervisor"), unit=dinas)
    dinas.head = person
    make_person(session, name="Budi Santoso", unit=lalin)
    session.commit()
    return person


def audited_exports(session) -> list[tuple[int | None, str, dict, str | None]]:
    session.expire_all()
    entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id))
    return [(e.actor_id, e.action, e.detail, e.ip) for e in entries if e.action.startswith("export.")]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_admin_export_is_audited_with_format_and_filters_given(client, session, admin, file_format):
    login(client, admin)
    response = client.get(f"/admin/orang/ekspor?format={file_format}&q=Budi&unit=&role=employee")
    assert response.status_code == 200
    assert audited_exports(session) == [
        (
            admin.id,
            "export.people",
            {"format": file_format, "filters": {"q": "Budi", "role": "employee"}},
            "127.0.0.1",
        )
    ]


def test_supervisor_export_is_audited_with_its_unit_filter(client, session, head):
    login(client, head)
    assert client.get("/atasan/orang/ekspor?unit=LALIN&format=xlsx").status_code == 200
    assert client.get("/atasan/orang/ekspor").status_code == 200
    assert [(actor, action, detail) for actor, action, detail, _ip in audited_exports(session)] == [
        (head.id, "export.people", {"format": "xlsx", "filters": {"unit": "LALIN"}}),
        (head.id, "export.people", {"format": "csv", "filters": {}}),
    ]


def test_refused_export_is_not_audited(client, session, head):
    login(client, make_person(session, name="Pegawai Biasa"))
    session.commit()
    assert client.get("/atasan/orang/ekspor").status_code == 404
    assert client.get("/admin/orang/ekspor").status_code == 404
    assert audited_exports(session) == []


@pytest.mark.parametrize(
    ("viewer", "url"),
    [
        ("admin", "/admin/orang/ekspor"),
        ("admin", "/admin/orang/ekspor?format=xlsx"),
        ("head", "/atasan/orang/ekspor"),
        ("head", "/atasan/orang/ekspor?format=xlsx"),
    ],
)
def test_people_exports_are_never_cached(client, request, viewer, url):
    login(client, request.getfixturevalue(viewer))
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"


def open_temporary_files() -> set[str]:
    """What this process holds open in the temporary folder (Linux: /proc/self/fd)."""
    targets = set()
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):
            targets.add(os.readlink(f"/proc/self/fd/{fd}"))
    return {target for target in targets if target.startswith(tempfile.gettempdir())}


def test_xlsx_export_is_sent_from_a_temporary_file_deleted_once_sent(client, head):
    login(client, head)
    # Earlier tests' unread responses still hold their temporary files until collected; collected during this
    # test, one could free the inode (and so the name) the new file then gets, hiding it from the comparison.
    gc.collect()
    before = open_temporary_files()
    response = client.get("/atasan/orang/ekspor?format=xlsx", buffered=False)
    data = b"".join(response.response)
    sending = open_temporary_files() - before
    response.close()
    assert int(response.headers["Content-Length"]) == len(data)
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
    assert len(sending) == 1 and next(iter(sending)).endswith("(deleted)")  # anonymous: no name on disk
    assert open_temporary_files() - before == set()


def test_xlsx_export_header_is_bold_frozen_and_filtered(client, head):
    login(client, head)
    sheet = zipfile.ZipFile(io.BytesIO(client.get("/atasan/orang/ekspor?format=xlsx").get_data()))
    xml = sheet.read("xl/worksheets/sheet1.xml").decode()
    assert 'state="frozen"' in xml and '<autoFilter ref="A1:F3"/>' in xml
    assert '<c r="A1" s="1" t="inlineStr"><is><t>NIP</t></is></c>' in xml
