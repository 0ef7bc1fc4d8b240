"""Reading the assignment forms: what was chosen, for whom, by when. Every problem becomes a stable code the views
word for the reader, and nothing is written until the whole form reads cleanly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from elearn.models.assignments import DUE_KINDS, WHOLE_COURSE
from elearn.services.assignments import DueRule

PROBLEMS = {
    "course": _l("Pilih kursus atau modul yang ditugaskan."),
    "module": _l("Modul itu tidak ada di versi kursus yang berlaku."),
    "due_kind": _l("Pilih cara menentukan tenggat."),
    "due_in_past": _l("Isi tanggal tenggat hari ini atau sesudahnya."),
    "due_days": _l("Isi jumlah hari antara 1 dan 3650."),
    "note": _l("Catatan paling banyak 2000 karakter."),
    "target": _l("Pilih siapa yang ditugaskan."),
    "nip": _l("Tidak ada pegawai dengan NIP itu di unit Anda."),
    "withdrawn": _l("Penugasan ini sudah ditarik."),
}


@dataclass(frozen=True)
class Chosen:
    """The course (slug) and module key (empty for the whole course) picked in the form."""

    slug: str
    module_key: str


def chosen_learning(form: MultiDict[str, str]) -> Chosen | None:
    """`what` is "slug" for a whole course or "slug/key" for one module."""
    raw = form.get("what", "").strip()
    if not raw:
        return None
    slug, _sep, key = raw.partition("/")
    return Chosen(slug=slug, module_key=key or WHOLE_COURSE)


def _whole_number(raw: str | None) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and len(raw) <= 6 else None


def due_rule(form: MultiDict[str, str]) -> DueRule | None:
    """The due-date rule, or None when its kind is not one of the three."""
    kind = form.get("due_kind", "")
    if kind not in DUE_KINDS:
        return None
    if kind == "fixed":
        try:
            on = date.fromisoformat(form.get("due_on", "").strip())
        except ValueError:
            on = None
        return DueRule(kind=kind, on=on)
    return DueRule(kind=kind, days=_whole_number(form.get("due_days")))


def whole_number(form: MultiDict[str, str], name: str) -> int | None:
    """A field holding a whole number, or None."""
    return _whole_number(form.get(name))
