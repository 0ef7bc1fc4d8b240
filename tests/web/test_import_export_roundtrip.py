"""Hostile names that arrive through the organisation import leave the admin area harmless: CSV and XLSX cells
are never formulas, pages show the text escaped."""

from __future__ import annotations

import csv
import io
import re
import zipfile

from tests.factories import login, make_person, valid_nip

FORMULA_NAME = '=HYPERLINK("http://x")'
SCRIPT_NAME = "<script>alert(1)</script>"


def people_csv(*names: str) -> bytes:
    """A `people` import file (semicolon-separated, as Excel in Indonesia saves it) with one row per name."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(["nip", "nama", "peran", "aktif"])
    writer.writerows([valid_nip(), name, "pegawai", "ya"] for name in names)
    return buffer.getvalue().encode()


def import_people(client, data: bytes) -> None:
    """Upload the file on the admin import page, then confirm the preview."""
    preview = client.post_form(
        "/admin/import",
        {"kind": "people", "file": (io.BytesIO(data), "pegawai.csv")},
        content_type="multipart/form-data",
    )
    assert preview.status_code == 200
    token = re.search(r'name="token" value="([^"]+)"', preview.get_data(as_text=True))
    assert token is not None, "the preview refused the file"
    assert client.post_form("/admin/import/confirm", {"token": token.group(1)}).status_code == 302


def test_imported_hostile_names_are_neutralised_in_exports_and_escaped_on_pages(client, session):
    admin = make_person(session, name="Admin BKPSDM", roles=("employee", "admin"))
    session.commit()
    login(client, admin)
    import_people(client, people_csv(FORMULA_NAME, SCRIPT_NAME))

    exported = client.get("/admin/orang/ekspor").get_data(as_text=True).lstrip("\ufeff")
    names = [row[1] for row in csv.reader(io.StringIO(exported))]
    assert "'" + FORMULA_NAME in names and FORMULA_NAME not in names
    assert SCRIPT_NAME in names

    workbook = client.get("/admin/orang/ekspor?format=xlsx").get_data()
    sheet = zipfile.ZipFile(io.BytesIO(workbook)).read("xl/worksheets/sheet1.xml").decode()
    assert FORMULA_NAME in sheet and "<f>" not in sheet and SCRIPT_NAME not in sheet

    page = client.get("/admin/orang").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and SCRIPT_NAME not in page
    assert "=HYPERLINK(&#34;http://x&#34;)" in page
