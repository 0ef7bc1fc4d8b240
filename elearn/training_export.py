"""Training-history exports (CSV, XLSX) in the national HR system's shape, for a person or a unit subtree and a year.

The columns are those of the national training history (jenis, nama, institusi penyelenggara, tanggal mulai/selesai,
jumlah JP, nomor sertifikat) with the person and unit in front, so HR staff import the file instead of re-keying
it; only what counts is listed (valid certificates, approved external training). Audited as
`export.training_history` like every personal-data download.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select
from werkzeug.wrappers import Response

from elearn.ledger.summary import plain_jp
from elearn.models import Person
from elearn.personal_export import personal_data_download
from elearn.services.training_history import HistoryRow, history
from elearn.state import clock, db_session
from elearn.training_labels import kind_label

EXPORT_ACTION = "export.training_history"
HEADER = (
    _l("NIP"),
    _l("Nama"),
    _l("Kode unit"),
    _l("Unit kerja"),
    _l("Jenis pengembangan"),
    _l("Nama pelatihan"),
    _l("Institusi penyelenggara"),
    _l("Tanggal mulai"),
    _l("Tanggal selesai"),
    _l("Jumlah JP"),
    _l("Nomor sertifikat"),
    _l("Tahun"),
    _l("Sumber"),
)


def _cells(row: HistoryRow, year: int) -> list[object]:
    source = _("elearn") if row.from_elearn else _("Dicatat pegawai")
    return [
        row.nip,
        row.name,
        row.unit_code,
        row.unit_name,
        kind_label(row.kind),
        row.title,
        row.provider,
        row.starts_on,
        row.ends_on,
        plain_jp(row.jp),
        row.certificate_number,
        year,
        source,
    ]


def _rows(people: Select[Person], year: int) -> Iterator[list[object]]:
    rows = history(
        db_session(),
        people,
        year=year,
        timezone=clock().timezone,
        issuer=current_app.config["ELEARN_ISSUER_NAME"],
    )
    for row in rows:
        yield _cells(row, year)


def training_history_export(
    basename: str, people: Select[Person], *, year: int, filters: Mapping[str, str]
) -> Response:
    """The training history of `people` in `year` as CSV (or XLSX with `?format=xlsx`), audited with `filters`."""
    header = [str(title) for title in HEADER]
    given = {"tahun": str(year), **filters}
    return personal_data_download(
        EXPORT_ACTION, f"{basename}-{year}", header, _rows(people, year), filters=given
    )
