"""How the audit log reads: action names, people's names and details in words, in the reader's language.

`ACTION_LABELS` is the one registry of the action codes elearn records (add a code here when a service starts
recording it; a test checks every code in the sources has a label); a code it lacks reads as the code itself.
The names of every person a page of entries mentions are loaded in one query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import LazyString, format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from elearn.admin.imports import KIND_LABELS
from elearn.i18n import office_time
from elearn.listing import role_labels
from elearn.models import AuditEntry
from elearn.services.directory import names_by_id

ACTION_LABELS: dict[str, LazyString] = {
    "account.activation_issued": _l("Tautan aktivasi dibuat"),
    "account.activated": _l("Akun diaktifkan"),
    "account.admin_created": _l("Administrator dibuat"),
    "account.locked": _l("Akun dikunci sementara"),
    "account.login": _l("Berhasil masuk"),
    "account.login_failed": _l("Gagal masuk"),
    "account.logout": _l("Keluar dari elearn"),
    "account.password_change_refused": _l("Penggantian kata sandi ditolak"),
    "account.password_changed": _l("Kata sandi diganti"),
    "account.lock_lifted": _l("Kunci masuk dibuka"),
    "account.activation_refused": _l("Aktivasi ditolak"),
    "assignment.create": _l("Tugas belajar diberikan"),
    "assignment.extend": _l("Tenggat tugas belajar diperpanjang"),
    "assignment.withdraw": _l("Tugas belajar ditarik"),
    "certificate.revoke": _l("Sertifikat dicabut"),
    "competency.assess": _l("Hasil asesmen kompetensi dicatat"),
    "competency.created": _l("Kompetensi teknis ditambahkan"),
    "competency.updated": _l("Kompetensi teknis diubah"),
    "competency.withdraw": _l("Hasil asesmen kompetensi ditarik"),
    "export.competency_dashboard": _l("Data kompetensi pegawai diunduh"),
    "export.competency_report": _l("Laporan kompetensi diunduh"),
    "export.people": _l("Data pegawai diunduh"),
    "export.plan": _l("Rencana pengembangan diunduh"),
    "export.training_history": _l("Riwayat pengembangan kompetensi diunduh"),
    "feedback.note": _l("Umpan balik mentor ditulis"),
    "feedback.reply": _l("Umpan balik dibalas"),
    "import-framework": _l("Kerangka kompetensi teknis diimpor"),
    "import-org": _l("Data organisasi diimpor"),
    "import-standards": _l("Standar kompetensi jabatan diimpor"),
    "import.failed": _l("Impor gagal"),
    "import.finished": _l("Impor selesai"),
    "import.started": _l("Impor dimulai"),
    "mentorship.added": _l("Bimbingan mentor ditambahkan"),
    "mentorship.ended": _l("Bimbingan mentor diakhiri"),
    "notification.preference": _l("Pilihan pemberitahuan diubah"),
    "plan.agree": _l("Rencana pengembangan disetujui atasan"),
    "plan.create": _l("Rencana pengembangan dibuat"),
    "plan.done": _l("Rencana pengembangan terlaksana"),
    "plan.item_add": _l("Butir rencana ditambahkan"),
    "plan.item_remove": _l("Butir rencana dihapus"),
    "plan.propose": _l("Rencana pengembangan diajukan"),
    "plan.retract": _l("Pengajuan rencana ditarik"),
    "plan.return": _l("Rencana dikembalikan untuk diperbaiki"),
    "person.updated": _l("Data pegawai diubah"),
    "standard.removed": _l("Kompetensi dihapus dari standar jabatan"),
    "standard.set": _l("Level standar kompetensi jabatan ditetapkan"),
    "training.approve": _l("Pelatihan eksternal disetujui"),
    "training.proof_view": _l("Bukti pelatihan dibuka"),
    "training.propose": _l("Pelatihan eksternal diajukan"),
    "training.reject": _l("Pelatihan eksternal ditolak"),
    "training.withdraw": _l("Pengajuan pelatihan ditarik"),
}
# What each kind of import file holds, as its counts in the log name it.
IMPORT_KIND_LABELS: dict[str, LazyString] = {
    **KIND_LABELS,
    "competencies": _l("Kompetensi teknis"),
    "standards": _l("Standar kompetensi jabatan"),
}
AUDIT_TIME_FORMAT = "d MMM yyyy, HH.mm.ss zzz"
DATE_FORMAT = "d MMM yyyy"
NOTHING = "—"
# Detail keys that hold a person's id, and the label of the line that names them.
PERSON_KEYS: dict[str, LazyString] = {"mentor_id": _l("Mentor"), "mentee_id": _l("Mentee")}
# Detail keys kept for machines (the row is reachable from the people it names): not shown.
HIDDEN_KEYS = frozenset({"mentorship_id", "evidence_id"})
FIELD_LABELS: dict[str, LazyString] = {
    "name": _l("Nama"),
    "email": _l("E-mail"),
    "unit": _l("Unit kerja"),
    "position": _l("Jabatan"),
    "roles": _l("Peran"),
    "active": _l("Aktif"),
    "starts_on": _l("Mulai"),
    "ends_on": _l("Selesai"),
    "competency": _l("Kompetensi"),
    "level": _l("Level"),
    "achieved_on": _l("Tanggal asesmen"),
    "note": _l("Catatan"),
    "code": _l("Kode"),
    "definition": _l("Definisi"),
    "required_level": _l("Level yang dipersyaratkan"),
    **{f"level_{n}": _l("Level %(level)s: deskripsi", level=n) for n in range(1, 6)},
    **{f"indicators_{n}": _l("Level %(level)s: indikator", level=n) for n in range(1, 6)},
}
VIA_LABELS: dict[str, LazyString] = {
    "link": _l("tautan aktivasi"),
    "code": _l("kode aktivasi"),
    "cli": _l("baris perintah"),
}


def action_label(code: str) -> str:
    """The action's name in the reader's language; an unknown code reads as itself."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code


def action_choices(current: str = "") -> list[tuple[str, str]]:
    """(code, label) for the action picker, by label; a filtered code the registry lacks is kept as an option."""
    codes = set(ACTION_LABELS) | ({current} if current else set())
    return sorted(((code, action_label(code)) for code in codes), key=lambda pair: pair[1].casefold())


@dataclass(frozen=True)
class Named:
    """A person the log mentions, linked to their admin page."""

    id: int
    name: str


@dataclass(frozen=True)
class DetailLine:
    """One fact of an entry's detail: "Peran: Pegawai → Pegawai, Mentor"; `person` when it names someone."""

    label: str
    text: str
    person: Named | None = None


@dataclass(frozen=True)
class AuditRow:
    """One entry as the log shows it; `target_text` names a target that is not a known person."""

    at: datetime
    action: str
    action_label: str
    actor: Named | None
    target: Named | None
    target_text: str
    details: tuple[DetailLine, ...]
    ip: str


def audit_rows(session: Session, entries: Sequence[AuditEntry]) -> list[AuditRow]:
    """`entries` in words, with every person they mention named (one query for the whole page)."""
    names = names_by_id(session, _person_ids(entries))

    def named(person_id: Any) -> Named | None:
        if not str(person_id).isdigit():
            return None
        name = names.get(int(person_id))
        return Named(id=int(person_id), name=name) if name is not None else None

    rows = []
    for entry in entries:
        target = named(entry.target_id) if entry.target_type == "Person" else None
        rows.append(
            AuditRow(
                at=entry.at,
                action=entry.action,
                action_label=action_label(entry.action),
                actor=named(entry.actor_id) if entry.actor_id is not None else None,
                target=target,
                target_text="" if target else _target_text(entry),
                details=tuple(_details(entry.detail or {}, named)),
                ip=entry.ip or "",
            )
        )
    return rows


def _person_ids(entries: Iterable[AuditEntry]) -> set[int]:
    """Everyone the entries mention: actors, person targets, and people named in details."""
    ids: set[int] = set()
    for entry in entries:
        if entry.actor_id is not None:
            ids.add(entry.actor_id)
        if entry.target_type == "Person" and str(entry.target_id).isdigit():
            ids.add(int(str(entry.target_id)))
        for key in PERSON_KEYS:
            value = (entry.detail or {}).get(key)
            if isinstance(value, int):
                ids.add(value)
    return ids


def _target_text(entry: AuditEntry) -> str:
    if entry.target_type == "Person":
        return _("Pegawai #%(id)s", id=entry.target_id)
    return f"{entry.target_type} #{entry.target_id}" if entry.target_type else ""


def _details(detail: Mapping[str, Any], named: Callable[[Any], Named | None]) -> Iterable[DetailLine]:
    for key, value in detail.items():
        if key in HIDDEN_KEYS:
            continue
        if key in PERSON_KEYS:
            person = named(value)
            yield DetailLine(str(PERSON_KEYS[key]), person.name if person else f"#{value}", person)
        elif key == "changes" and isinstance(value, Mapping):
            yield from _changes(value)
        elif key == "sessions_ended":
            yield DetailLine("", _("Semua sesinya di setiap perangkat diakhiri."))
        elif key == "expires_at":
            yield DetailLine(_("Berlaku sampai"), _moment(value))
        elif key == "via":
            yield DetailLine(_("Lewat"), str(VIA_LABELS.get(value, value)))
        elif key == "files" and isinstance(value, Mapping):
            yield DetailLine(_("Berkas"), ", ".join(str(name) for name in value.values()))
        elif key == "counts" and isinstance(value, Mapping):
            yield from _import_counts(value)
        elif key in FIELD_LABELS:
            yield DetailLine(str(FIELD_LABELS[key]), _value(key, value))
        else:
            yield DetailLine(key.replace("_", " "), _value(key, value))


def _changes(changes: Mapping[str, Any]) -> Iterable[DetailLine]:
    """ "Field: old → new" for each changed field, in the order the edit form shows them."""
    order = {field: position for position, field in enumerate(FIELD_LABELS)}
    for field in sorted(changes, key=lambda name: order.get(name, len(order))):
        change = changes[field]
        if not isinstance(change, Mapping):
            continue
        label = str(FIELD_LABELS.get(field, field))
        yield DetailLine(label, f"{_value(field, change.get('old'))} → {_value(field, change.get('new'))}")


def _import_counts(counts: Mapping[str, Any]) -> Iterable[DetailLine]:
    for kind, numbers in counts.items():
        if isinstance(numbers, Mapping):
            text = _(
                "%(created)s baru, %(updated)s diubah, %(unchanged)s tetap.",
                created=numbers.get("created", 0),
                updated=numbers.get("updated", 0),
                unchanged=numbers.get("unchanged", 0),
            )
            if numbers.get("removed"):
                text = f"{text} " + _("%(removed)s dihapus.", removed=numbers["removed"])
            yield DetailLine(str(IMPORT_KIND_LABELS.get(kind, kind)), text)


def _value(field: str, value: Any) -> str:
    """A stored value in words: role names, "Unit name (code)", Yes/No, dates in the reader's language."""
    if value is None or value == "" or value == []:
        return NOTHING
    if field == "roles" and isinstance(value, list):
        return ", ".join(role_labels(value)) or NOTHING
    if isinstance(value, Mapping) and "name" in value:
        return f"{value['name']} ({value.get('code', '')})" if value.get("code") else str(value["name"])
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if field in ("starts_on", "ends_on", "achieved_on") and isinstance(value, str):
        return _day(value)
    if isinstance(value, list):
        return ", ".join(_value(field, item) for item in value)
    if isinstance(value, Mapping):
        return "; ".join(f"{key}: {_value(key, item)}" for key, item in value.items())
    return str(value)


def _day(text: str) -> str:
    try:
        return format_date(date.fromisoformat(text), DATE_FORMAT)
    except ValueError:
        return text


def _moment(text: Any) -> str:
    try:
        return office_time(datetime.fromisoformat(str(text)), AUDIT_TIME_FORMAT)
    except ValueError:
        return str(text)
