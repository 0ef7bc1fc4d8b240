"""The export writers: formula neutralisation, and CSV / XLSX documents that round-trip."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from xml.etree import ElementTree  # noqa: S405  (parses only XML this test suite wrote)

import pytest

from elearn.export import column_letters, content_disposition, iter_csv, iter_xlsx, neutralise

SHEET_NS = {"s": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


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


def _sheet_rows(data: bytes) -> list[list[tuple[str, str | None, str]]]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    assert {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "_rels/.rels"} <= set(
        archive.namelist()
    )
    root = ElementTree.fromstring(  # noqa: S314
        archive.read("xl/worksheets/sheet1.xml")
    )
    rows = []
    for row in root.iterfind("s:sheetData/s:row", SHEET_NS):
        cells = []
        for cell in row.iterfind("s:c", SHEET_NS):
            text = cell.findtext("s:is/s:t", namespaces=SHEET_NS) or cell.findtext("s:v", namespaces=SHEET_NS)
            cells.append((cell.get("r", ""), cell.get("t"), text or ""))
        rows.append(cells)
    return rows


def test_iter_xlsx_writes_valid_sheet_with_text_and_numbers() -> None:
    data = b"".join(iter_xlsx(["nip", "nama", "jp"], [["198501012010011001", "<b>Budi</b> & =1+1", 20]]))
    assert _sheet_rows(data) == [
        [("A1", "inlineStr", "nip"), ("B1", "inlineStr", "nama"), ("C1", "inlineStr", "jp")],
        [
            ("A2", "inlineStr", "198501012010011001"),
            ("B2", "inlineStr", "<b>Budi</b> & =1+1"),
            ("C2", None, "20"),
        ],
    ]


def test_iter_xlsx_keeps_xml_illegal_characters_as_ooxml_escapes() -> None:
    data = b"".join(iter_xlsx(["nama"], [["a\x01b"], ["_x0041_"]]))
    assert [row[0][2] for row in _sheet_rows(data)[1:]] == ["a_x0001_b", "_x005F_x0041_"]


def test_iter_xlsx_streams_rows_lazily() -> None:
    consumed: list[int] = []

    def rows():
        for n in range(5000):
            consumed.append(n)
            yield [n, f"pegawai {n}"]

    chunks = iter_xlsx(["n", "nama"], rows())
    first = [next(chunks), next(chunks)]
    assert len(consumed) < 5000
    data = b"".join([*first, *chunks])
    assert len(consumed) == 5000
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None


@pytest.mark.parametrize(("index", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA")])
def test_column_letters_follow_spreadsheet_names(index: int, letters: str) -> None:
    assert column_letters(index) == letters


def test_content_disposition_has_ascii_fallback_and_utf8_name() -> None:
    assert content_disposition("rekap unit é.csv") == (
        "attachment; filename=\"rekap_unit_.csv\"; filename*=UTF-8''rekap%20unit%20%C3%A9.csv"
    )
