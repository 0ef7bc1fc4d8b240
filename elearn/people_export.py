"""People exports (CSV, XLSX) shared by the supervisor and admin areas: columns, format and streaming.

Cells hold what a reader needs, in the current language: role names and "Ya"/"Tidak", not codes and 1/0. The NIP
stays text: an 18-digit string, written to XLSX as a text cell (Excel would round an 18-digit number) and to CSV as
the plain digits (no formula neutralisation applies to digits, so no stray apostrophe).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from flask import request
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select
from werkzeug.wrappers import Response

from elearn.listing import role_labels
from elearn.models import Person
from elearn.personal_export import personal_data_download
from elearn.services.directory import listed
from elearn.state import db_session

BATCH_SIZE = 500
EXPORT_ACTION = "export.people"


@dataclass(frozen=True)
class Column:
    """One export column: its title and how to read it from a person."""

    title: LazyString
    value: Callable[[Person], object]


PERSON_COLUMNS: tuple[Column, ...] = (
    Column(_l("NIP"), lambda p: p.nip),
    Column(_l("Nama"), lambda p: p.name),
    Column(_l("Status kepegawaian"), lambda p: p.employment),
    Column(_l("Kode unit"), lambda p: p.unit.code if p.unit else ""),
    Column(_l("Unit kerja"), lambda p: p.unit.name if p.unit else ""),
    Column(_l("Jabatan"), lambda p: p.position.name if p.position else ""),
)
ACCOUNT_COLUMNS: tuple[Column, ...] = (
    Column(_l("E-mail"), lambda p: p.email),
    Column(_l("Peran"), lambda p: "; ".join(role_labels(p.roles))),
    Column(_l("Aktif"), lambda p: _("Ya") if p.active else _("Tidak")),
)


def _rows(people: Select[Person], columns: Sequence[Column]) -> Iterator[list[object]]:
    """Rows fetched in batches while the response streams: memory stays flat for 300,000 people."""
    for person in db_session().scalars(listed(people).execution_options(yield_per=BATCH_SIZE)):
        yield [column.value(person) for column in columns]


def people_export(
    basename: str, people: Select[Person], columns: Sequence[Column], *, filters: Sequence[str]
) -> Response:
    """`people` as a download (CSV, or XLSX with `?format=xlsx`), audited with the `filters` parameters given."""
    header = [str(column.title) for column in columns]
    given = {name: request.args[name] for name in filters if request.args.get(name)}
    return personal_data_download(EXPORT_ACTION, basename, header, _rows(people, columns), filters=given)
