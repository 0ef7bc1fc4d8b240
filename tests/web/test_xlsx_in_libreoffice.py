"""XLSX exports as a spreadsheet program reads them: LibreOffice (headless) finds the cells the CSV export has.

LibreOffice writes its CSV with every text cell quoted and numbers bare, so the raw lines show each cell's type:
an 18-digit NIP quoted is text (a number cell could not hold 18 digits), a formula-looking name quoted is text that
was never evaluated. `make test` installs LibreOffice (`make libreoffice`) when it is missing.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from elearn.export import FORMULA_TRIGGERS, iter_csv, write_xlsx
from tests.factories import login, make_person, make_position, make_unit

# LibreOffice's CSV filter: comma, double quote, UTF-8, from line 1, no column formats, default language, and
# "quote all text cells" (its export default is to save cell contents as shown, i.e. formatted).
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,true"
FORMULA_NAME = '=HYPERLINK("http://contoh.invalid","klik")'


def libreoffice_csv(workbook: bytes, folder: Path) -> str:
    """`workbook` converted by `soffice --headless --convert-to csv`, in a profile of its own."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is missing: run `make libreoffice` (make test does)"
    source = folder / "export.xlsx"
    source.write_bytes(workbook)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            CSV_FILTER,
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return (folder / "export.csv").read_text(encoding="utf-8")


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def without_neutralisation(rows: list[list[str]]) -> list[list[str]]:
    """CSV cells as entered: the apostrophe the CSV writer puts before formula-looking text taken off again."""
    return [
        [cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_TRIGGERS) else cell for cell in row]
        for row in rows
    ]


def test_admin_xlsx_export_in_libreoffice_has_the_cells_of_the_csv_export(client, session, tmp_path):
    unit = make_unit(session, "DUKCAPIL", name="Dinas Kependudukan dan Pencatatan Sipil")
    admin = make_person(session, name="Admin BKPSDM", roles=("employee", "admin"), unit=unit)
    hostile = make_person(session, name=FORMULA_NAME, unit=unit, email="budi@salatiga.go.id")
    hostile.position = make_position(session, "ANALIS")
    make_person(session, name="+62 812 3456", employment="PPPK", active=False)
    session.commit()
    login(client, admin)

    exported_csv = rows_of(client.get("/admin/orang/ekspor").get_data(as_text=True))
    raw = libreoffice_csv(client.get("/admin/orang/ekspor?format=xlsx").get_data(), tmp_path)
    from_xlsx = rows_of(raw)

    # The CSV export neutralises formula-looking text with a leading apostrophe; the XLSX keeps it as a text cell.
    assert from_xlsx == without_neutralisation(exported_csv)
    assert len(from_xlsx) == 4 and FORMULA_NAME in {row[1] for row in from_xlsx}
    for person in (admin, hostile):
        assert (
            len(person.nip) == 18 and f'\n"{person.nip}",' in "\n" + raw
        )  # quoted: a text cell, all 18 digits
    assert '"' + FORMULA_NAME.replace('"', '""') + '"' in raw


def test_written_xlsx_in_libreoffice_has_the_csv_cells_with_dates_and_numbers_typed(tmp_path):
    header = ["NIP", "Nama", "Tanggal lahir", "JP", "Nilai", "Lulus"]
    rows = [
        ["198501012010011001", "=1+1", date(1985, 1, 1), 20, 87.5, True],
        ["199002152015032002", "@Siti", date(1990, 2, 15), 0, -3.25, False],
    ]
    workbook = io.BytesIO()
    write_xlsx(workbook, header, rows, created=datetime(2026, 1, 1, tzinfo=UTC))
    raw = libreoffice_csv(workbook.getvalue(), tmp_path)
    assert rows_of(raw) == without_neutralisation(rows_of("".join(iter_csv(header, rows))))
    assert raw.splitlines()[1] == '"198501012010011001","=1+1",1985-01-01,20,87.5,1'


def test_written_xlsx_in_libreoffice_shows_times_on_the_office_clock(tmp_path):
    workbook = io.BytesIO()
    moment = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
    write_xlsx(workbook, ["Waktu"], [[moment]], created=moment, timezone=ZoneInfo("Asia/Jakarta"))
    assert libreoffice_csv(workbook.getvalue(), tmp_path).splitlines() == ['"Waktu"', "2026-03-02 08:30:00"]
