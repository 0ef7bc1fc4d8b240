"""Hostile names that arrive through the organisation import leave the admin area harmless: CSV and XLSX cells
are never formulas, pages show the text escaped."""

from __future__ import annotations

import csv
import io
import zipfile

from tests.factories import login, make_person, valid_nip
from tests.web.import_support import check_and_import

FORMULA_NAME = '=HYPERLINK("http://x")'
SCRIPT_NAME = "<script>alert(1)</script>"


def people_csv(*names: str) -> bytes:
    """A `people` import file (semicolon-separated, as Excel in Indonesia saves it) with one row per name."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(["nip", "nama", "peran", "aktif"])
    writer.writerows([valid_nip(), name, "pegawai", "ya"] for name in names)
    return buffer.getvalue().encode()


def test_imported_hostile_names_are_neutralised_in_exports_and_escaped_on_pages(app, client, session):
    admin = make_person(session, name="Admin BKPSDM", roles=("employee", "admin"))
    session.commit()
    login(client, admin)
    outcome = check_and_import(client, app, "people", people_csv(FORMULA_NAME, SCRIPT_NAME))
    assert "Impor selesai: 2 baru, 0 diubah, 0 tetap." in outcome

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
