"""The admin's forms for one person: their record, a new mentorship, the end of one (CSRF via Flask-WTF).

The forms only parse what was typed; the rules (unique e-mail, known unit, no overlapping mentorship, ...) live in
`elearn.services.people`, whose refusals `apply_problems` pins to the fields they concern.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from elearn.listing import ROLE_LABELS
from elearn.models import Position
from elearn.orgdata.records import NAME_MAX
from elearn.services.directory import UnitChoice
from elearn.services.people import EditProblem, FieldProblem

DATE_HINT = _l("Tulis tanggal seperti 2026-01-31.")
NO_CHOICE = ""

PROBLEM_MESSAGES: dict[EditProblem, LazyString] = {
    EditProblem.NAME_REQUIRED: _l("Isi nama."),
    EditProblem.NAME_TOO_LONG: _l("Nama paling banyak %(max)d karakter.", max=NAME_MAX),
    EditProblem.EMAIL_INVALID: _l("Alamat e-mail tidak sah (contoh yang benar: nama@instansi.go.id)."),
    EditProblem.EMAIL_TAKEN: _l("E-mail ini sudah dipakai pegawai lain."),
    EditProblem.UNIT_UNKNOWN: _l("Unit ini tidak ada lagi; pilih unit lain."),
    EditProblem.POSITION_UNKNOWN: _l("Jabatan ini tidak ada lagi; pilih jabatan lain."),
    EditProblem.ROLES_REQUIRED: _l("Pilih paling sedikit satu peran."),
    EditProblem.ROLE_UNKNOWN: _l("Peran ini tidak dikenal."),
    EditProblem.OWN_ADMIN_ROLE: _l("Anda tidak dapat mencabut peran administrator Anda sendiri."),
    EditProblem.OWN_DEACTIVATION: _l("Anda tidak dapat menonaktifkan akun Anda sendiri."),
    EditProblem.SAME_PERSON: _l("Mentor dan mentee tidak boleh orang yang sama."),
    EditProblem.ENDS_BEFORE_START: _l("Tanggal selesai tidak boleh sebelum tanggal mulai."),
    EditProblem.OVERLAP: _l(
        "Masa bimbingan ini tumpang tindih dengan bimbingan lain antara mentor dan mentee yang sama."
    ),
    EditProblem.ALREADY_ENDED: _l("Bimbingan ini sudah berakhir."),
}


class PersonForm(FlaskForm):
    """Name, e-mail, unit, position, roles and whether the person may sign in."""

    name = StringField(_l("Nama"), validators=[DataRequired(message=_l("Isi nama."))])
    email = EmailField(
        _l("E-mail"),
        validators=[Optional()],
        description=_l("Boleh dikosongkan. Huruf besar dan kecil tidak dibedakan."),
    )
    unit = SelectField(_l("Unit kerja"), validate_choice=False)
    position = SelectField(_l("Jabatan"), validate_choice=False)
    roles = SelectMultipleField(
        _l("Peran"),
        choices=[SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()],
        validate_choice=False,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    active = BooleanField(
        _l("Aktif"),
        description=_l("Pegawai nonaktif tidak dapat masuk; sesinya di semua perangkat berakhir."),
    )

    def offer(self, units: Iterable[UnitChoice], positions: Iterable[Position]) -> None:
        """Fill the unit and position pickers (a unit is shown indented under its parent)."""
        self.unit.choices = [SelectChoice(NO_CHOICE, _("Tanpa unit"))] + [
            SelectChoice(str(u.id), u.label) for u in units
        ]
        self.position.choices = [SelectChoice(NO_CHOICE, _("Tanpa jabatan"))] + [
            SelectChoice(str(p.id), f"{p.name} ({p.code})") for p in positions
        ]

    @staticmethod
    def chosen_id(field: SelectField) -> int | None:
        """The id a picker holds, or None for "no unit" / "no position" (or anything that is not an id)."""
        return int(field.data) if field.data and str(field.data).isdigit() else None


class MentorshipForm(FlaskForm):
    """A new mentorship of the person whose page it is on, with someone else named by NIP."""

    side = RadioField(
        _l("Orang ini adalah"),
        choices=[
            SelectChoice("mentee", _l("Mentee (dibimbing)")),
            SelectChoice("mentor", _l("Mentor (membimbing)")),
        ],
        default="mentee",
        validators=[InputRequired(message=_l("Pilih mentor atau mentee."))],
    )
    other_nip = StringField(
        _l("NIP pegawai lainnya"), validators=[DataRequired(message=_l("Isi NIP pegawai lainnya."))]
    )
    starts_on = DateField(
        _l("Mulai"),
        validators=[InputRequired(message=_l("Isi tanggal mulai."))],
        invalid_value_message=DATE_HINT,
    )
    ends_on = DateField(
        _l("Selesai"),
        validators=[Optional()],
        invalid_value_message=DATE_HINT,
        description=_l("Hari terakhir bimbingan; kosongkan bila belum ditentukan."),
    )


class EndMentorshipForm(FlaskForm):
    """The last day of a running mentorship."""

    ends_on = DateField(
        _l("Hari terakhir"),
        validators=[InputRequired(message=_l("Isi tanggal selesai."))],
        invalid_value_message=DATE_HINT,
    )


def apply_problems(form: FlaskForm, problems: Iterable[FieldProblem]) -> None:
    """Show each refusal of the service under the field it concerns."""
    for found in problems:
        getattr(form, found.field).errors.append(str(PROBLEM_MESSAGES[found.problem]))
