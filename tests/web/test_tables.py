"""Every table fits a phone: stacked tables label each cell with its column, scroll tables are labelled regions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser

import pytest

from elearn.models import AuditEntry
from tests.factories import login, make_mentorship, make_person, make_unit
from tests.web.import_support import finished_job, upload


@dataclass
class Table:
    """A table as a phone shows it: its class, the attributes of the box around it, headings and body cells."""

    classes: set[str]
    box: dict[str, str | None]
    hint_before: bool
    headings: list[str] = field(default_factory=list)
    rows: list[list[tuple[str, dict[str, str | None]]]] = field(default_factory=list)


class TableParser(HTMLParser):
    """Collects every table of a page (tables are not nested in elearn's pages)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[Table] = []
        self._boxes: list[dict[str, str | None]] = []
        self._last_hint = False
        self._section = ""
        self._heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "div":
            self._boxes.append(values)
        elif tag == "p":
            self._last_hint = "scroll-hint" in (values.get("class") or "").split()
        elif tag == "table":
            box = self._boxes[-1] if self._boxes else {}
            self.tables.append(Table(set((values.get("class") or "").split()), box, self._last_hint))
        elif tag in ("thead", "tbody"):
            self._section = tag
        elif tag == "tr" and self._section == "tbody":
            self.tables[-1].rows.append([])
        elif tag in ("th", "td") and self.tables:
            if self._section == "thead":
                self._heading = []
            elif self._section == "tbody":
                self.tables[-1].rows[-1].append((tag, values))

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self._boxes:
            self._boxes.pop()
        elif tag == "th" and self._heading is not None:
            self.tables[-1].headings.append(" ".join("".join(self._heading).split()))
            self._heading = None
        elif tag in ("thead", "tbody"):
            self._section = ""


def tables_of(html: str) -> list[Table]:
    parser = TableParser()
    parser.feed(html)
    return parser.tables


def assert_fits_a_phone(table: Table) -> None:
    """Stacked: every cell but the row's title carries its column's heading. Scroll: a focusable labelled region."""
    assert table.rows, "the table has rows to check"
    if "stacked" in table.classes:
        for row in table.rows:
            assert len(row) == len(table.headings)
            for (tag, attrs), heading in zip(row, table.headings, strict=True):
                if not (tag == "th" and attrs.get("scope") == "row"):
                    assert attrs.get("data-label") == heading
    else:
        assert "table-scroll" in (table.box.get("class") or "").split()
        assert table.box.get("role") == "region" and table.box.get("tabindex") == "0"
        assert table.box.get("aria-label"), "the region is labelled"
        assert table.hint_before, "a visible hint says more columns exist"


@pytest.fixture
def admin(session, client):
    dinas = make_unit(session, "DISHUB", name="Dinas Perhubungan")
    admin = make_person(
        session, name="Admin", roles=("employee", "mentor", "supervisor", "admin"), unit=dinas
    )
    dinas.head = admin
    mentee = make_person(session, name="Pegawai Dengan Nama Yang Sangat Panjang Sekali", unit=dinas)
    make_mentorship(session, admin, mentee, starts_on=date(2020, 1, 1))
    session.add(
        AuditEntry(actor_id=admin.id, action="person.updated", target_type="Person", target_id=str(mentee.id))
    )
    session.commit()
    login(client, admin)
    return admin


@pytest.mark.parametrize(
    ("url", "count"),
    [
        ("/admin/orang", 1),
        ("/admin/orang/{id}", 1),
        ("/admin/audit", 1),
        ("/admin/unit", 1),
        ("/atasan/orang", 1),
        ("/mentor/", 1),
    ],
)
def test_every_table_of_the_page_fits_a_phone(client, admin, url, count):
    response = client.get(url.format(id=admin.id))
    assert response.status_code == 200
    tables = tables_of(response.get_data(as_text=True))
    assert len(tables) == count
    for table in tables:
        assert_fits_a_phone(table)


def test_import_preview_tables_fit_a_phone(app, client, admin):
    data = b"nip;nama;email\n123;Nama Tanpa NIP Sah;bukan-email\n"
    _, page = finished_job(client, app, upload(client, "people", data, name="pegawai.csv"))
    tables = tables_of(page)
    assert [("stacked" in table.classes) for table in tables] == [True, False], (
        "problems stacked, sample scrolls"
    )
    for table in tables:
        assert_fits_a_phone(table)
