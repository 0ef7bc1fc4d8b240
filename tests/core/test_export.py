"""The export writers: formula neutralisation, CSV that round-trips, and XLSX cells of the right type."""

from __future__ import annotations

import csv
import io
import tracemalloc
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from xml.etree import ElementTree  # noqa: S405  (parses only XML this test suite wrote)
from zoneinfo import ZoneInfo

import pytest

from elearn.export import content_disposition, iter_csv, neutralise, write_xlsx

NS = {"s": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
CREATED = datetime(2026, 3, 1, 2, 30, tzinfo=UTC)
JAKARTA = ZoneInfo("Asia/Jakarta")
RICH_LOOKALIKE = '<r><t>a</t></r></is></c><c r="Z9"><f>1+1</f></c><c t="inlineStr"><is><r><t>b</t></r>'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+62 812", "'+62 812"),
        ("-1+2", "'-1+2"),
        ("@cmd", "'@cmd"),
        ("\tTAB", "'\tTAB"),
        ("\rCR", "'\rCR"),
        ("Budi = Santoso", "Budi = Santoso"),
        ("", ""),
        (None, ""),
        (-3, "-3"),
        (2.5, "2.5"),
        (True, "1"),
        (date(2025, 1, 31), "2025-01-31"),
    ],
)
def test_neutralise_prefixes_only_formula_text(value: object, expected: str) -> None:
    assert neutralise(value) == expected


def test_iter_csv_starts_with_bom_and_round_trips() -> None:
    chunks = list(iter_csv(["nip", "nama"], [["198501012010011001", '=HYPERLINK("x")'], ["2", "a,b\nc"]]))
    assert chunks[0] == "\ufeff"
    text = "".join(chunks)
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert rows == [["nip", "nama"], ["198501012010011001", '\'=HYPERLINK("x")'], ["2", "a,b\nc"]]


def test_iter_csv_streams_one_chunk_per_row() -> None:
    chunks = iter_csv(["a"], ([str(n)] for n in range(3)))
    assert [next(chunks), next(chunks), next(chunks)] == ["\ufeff", "a\r\n", "0\r\n"]


@dataclass(frozen=True)
class XlsxCell:
    """A cell as stored: its type attribute (None for a number), its text or value, and its number format."""

    kind: str | None
    value: str
    number_format: str | None
    bold: bool


@dataclass(frozen=True)
class Workbook:
    """What a test needs from a written workbook: its sheet XML, its cells by reference, and its metadata."""

    sheet: ElementTree.Element
    cells: dict[str, XlsxCell]
    core: str

    def widths(self) -> list[float]:
        return [float(col.get("width", "0")) for col in self.sheet.iterfind("s:cols/s:col", NS)]


def _xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    return ElementTree.fromstring(archive.read(name))  # noqa: S314


def written(header: list[object], rows: list[list[object]], **options: object) -> Workbook:
    """Write a workbook in memory with `write_xlsx` and read it back."""
    target = io.BytesIO()
    write_xlsx(target, header, rows, created=CREATED, **options)  # type: ignore[arg-type]
    archive = zipfile.ZipFile(target)
    assert archive.testzip() is None
    styles = _xml(archive, "xl/styles.xml")
    formats = {
        fmt.get("numFmtId"): fmt.get("formatCode") for fmt in styles.iterfind("s:numFmts/s:numFmt", NS)
    }
    bold_fonts = [font.find("s:b", NS) is not None for font in styles.iterfind("s:fonts/s:font", NS)]
    xfs = list(styles.iterfind("s:cellXfs/s:xf", NS))
    sheet = _xml(archive, "xl/worksheets/sheet1.xml")
    cells = {}
    for cell in sheet.iterfind("s:sheetData/s:row/s:c", NS):
        xf = xfs[int(cell.get("s", "0"))]
        text = "".join(t.text or "" for t in cell.iterfind("s:is//s:t", NS))
        cells[cell.get("r", "")] = XlsxCell(
            kind=cell.get("t"),
            value=text if cell.get("t") == "inlineStr" else cell.findtext("s:v", "", NS),
            number_format=formats.get(xf.get("numFmtId")),
            bold=bold_fonts[int(xf.get("fontId", "0"))],
        )
    return Workbook(sheet=sheet, cells=cells, core=archive.read("docProps/core.xml").decode())


def test_write_xlsx_header_is_bold_frozen_and_filtered() -> None:
    book = written(["NIP", "Nama"], [["198501012010011001", "Budi"], ["198501012010011002", "Siti"]])
    assert [book.cells[ref].bold for ref in ("A1", "B1", "A2")] == [True, True, False]
    pane = book.sheet.find("s:sheetViews/s:sheetView/s:pane", NS)
    assert pane is not None and (pane.get("ySplit"), pane.get("state")) == ("1", "frozen")
    assert book.sheet.find("s:autoFilter", NS).get("ref") == "A1:B3"


def test_write_xlsx_filters_the_header_alone_when_there_are_no_rows() -> None:
    book = written(["NIP", "Nama", "Unit"], [])
    assert book.sheet.find("s:autoFilter", NS).get("ref") == "A1:C1"


def test_write_xlsx_returns_the_number_of_data_rows() -> None:
    assert write_xlsx(io.BytesIO(), ["n"], ([n] for n in range(7)), created=CREATED) == 7


def test_write_xlsx_writes_identifiers_and_formula_lookalikes_as_text_never_formulas() -> None:
    values = ["198501012010011001", "0812345678", "=cmd|' /C calc'!A0", "+62 812", "-1+2", "@SUM(A1)", "ya"]
    book = written(["x"] * len(values), [values])
    assert [(book.cells[f"{col}2"].kind, book.cells[f"{col}2"].value) for col in "ABCDEFG"] == [
        ("inlineStr", value) for value in values
    ]
    assert book.sheet.find(".//s:f", NS) is None


def test_write_xlsx_keeps_text_shaped_like_rich_text_xml_as_that_text() -> None:
    book = written(["Nama"], [[RICH_LOOKALIKE]], timezone=None)
    assert book.cells["A2"] == XlsxCell("inlineStr", RICH_LOOKALIKE, None, False)
    assert set(book.cells) == {"A1", "A2"} and book.sheet.find(".//s:f", NS) is None


def test_write_xlsx_keeps_a_rich_text_lookalike_header_bold() -> None:
    book = written([RICH_LOOKALIKE], [])
    assert book.cells["A1"].value == RICH_LOOKALIKE and book.cells["A1"].bold


def test_write_xlsx_writes_numbers_as_numbers_unless_too_long_to_stay_exact() -> None:
    book = written(["a"] * 6, [[20, 2.5, Decimal("1.25"), True, 123456789012345678, float("nan")]])
    assert [(book.cells[f"{col}2"].kind, book.cells[f"{col}2"].value) for col in "ABCDEF"] == [
        (None, "20"),
        (None, "2.5"),
        (None, "1.25"),
        (None, "1"),
        ("inlineStr", "123456789012345678"),
        ("inlineStr", "nan"),
    ]


def test_write_xlsx_writes_dates_and_office_times_as_date_cells() -> None:
    row = [date(2025, 1, 31), datetime(2025, 1, 31, 1, 30, tzinfo=UTC), datetime(2025, 1, 31, 8, 30)]
    book = written(["Tanggal", "Waktu", "Waktu lokal"], [row], timezone=JAKARTA)
    assert book.cells["A2"] == XlsxCell(None, "45688", "yyyy-mm-dd", False)
    # 01:30 UTC is 08:30 in Jakarta: 8.5 / 24 of a day after the date's serial number.
    assert book.cells["B2"].number_format == "yyyy-mm-dd hh:mm:ss"
    assert float(book.cells["B2"].value) == pytest.approx(45688 + 8.5 / 24)
    assert float(book.cells["C2"].value) == pytest.approx(45688 + 8.5 / 24)


def test_write_xlsx_refuses_an_aware_time_without_the_office_time_zone() -> None:
    with pytest.raises(ValueError, match="time zone"):
        written(["Waktu"], [[datetime(2025, 1, 31, 1, 30, tzinfo=UTC)]])


def test_write_xlsx_leaves_empty_values_as_blank_cells() -> None:
    book = written(["a", "b", "c"], [[None, "", "x"]])
    assert {ref for ref in book.cells if ref.endswith("2")} == {"C2"}


def test_write_xlsx_escapes_xml_illegal_characters_as_ooxml_escapes() -> None:
    book = written(["nama"], [["a\x01b"], ["_x0041_"]])
    assert [book.cells["A2"].value, book.cells["A3"].value] == ["a_x0001_b", "_x005F_x0041_"]


def test_write_xlsx_sizes_columns_from_header_and_first_rows_within_a_cap() -> None:
    first_rows = [["198501012010011001", "Budi", "x" * 300]] * 100
    late_long_name = ["198501012010011001", "N" * 40, "y"]
    widths = written(["NIP", "Nama", "Catatan"], [*first_rows, late_long_name]).widths()
    assert widths[0] == pytest.approx(20, abs=1)  # 18 digits and a margin
    assert widths[1] == pytest.approx(9, abs=1)  # "Nama" and its filter button; row 101 is not sampled
    assert widths[2] == pytest.approx(50, abs=1)  # capped


def test_write_xlsx_records_the_given_creation_time() -> None:
    assert (
        '<dcterms:created xsi:type="dcterms:W3CDTF">2026-03-01T02:30:00Z</dcterms:created>'
        in written(["a"], []).core
    )


def _peak_memory_writing(count: int) -> int:
    def rows() -> Iterator[list[object]]:
        for n in range(count):
            yield [f"19850101201001{n:04d}", f"Pegawai {n}", n, "Dinas Kependudukan dan Pencatatan Sipil"]

    tracemalloc.start()
    try:
        write_xlsx(io.BytesIO(), ["nip", "nama", "n", "unit"], rows(), created=CREATED)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_write_xlsx_memory_stays_flat_as_rows_grow() -> None:
    """Constant-memory mode holds one row; only the written file (here in memory, BytesIO) grows."""
    small, large = _peak_memory_writing(1_000), _peak_memory_writing(10_000)
    file_growth = 300_000  # the compressed sheet of 9,000 more rows, kept by BytesIO
    assert large < small + file_growth


def test_content_disposition_has_ascii_fallback_and_utf8_name() -> None:
    assert content_disposition("rekap unit é.csv") == (
        "attachment; filename=\"rekap_unit_.csv\"; filename*=UTF-8''rekap%20unit%20%C3%A9.csv"
    )
