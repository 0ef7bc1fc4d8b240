"""The admin's forms for the competency framework and position standards (CSRF via Flask-WTF).

The forms only parse what was typed; the rules live in `elearn.services.framework`, whose refusals
`apply_framework_problems` pins to the fields they concern.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import InputRequired

from elearn.competency.files import CODE_MAX, LEVELS, NAME_MAX, TEXT_MAX
from elearn.services.framework import FieldProblem, FrameworkProblem, LevelInput

FIELD_PROBLEM_MESSAGES: dict[FrameworkProblem, LazyString] = {
    FrameworkProblem.REQUIRED: _l("Wajib diisi."),
    FrameworkProblem.TOO_LONG: _l("Terlalu panjang (paling banyak %(max)d karakter).", max=TEXT_MAX),
    FrameworkProblem.CODE_INVALID: _l(
        "Kode hanya boleh huruf, angka, titik, garis miring, tanda hubung atau garis bawah (paling banyak "
        "%(max)d karakter) dan diawali huruf atau angka.",
        max=CODE_MAX,
    ),
    FrameworkProblem.CODE_TAKEN: _l(
        "Kode ini sudah dipakai kompetensi lain (huruf besar dan kecil tidak dibedakan)."
    ),
    FrameworkProblem.LEVEL_INVALID: _l("Pilih level 1 sampai 5."),
    FrameworkProblem.COMPETENCY_UNKNOWN: _l("Pilih kompetensi dari daftar."),
}
NAME_TOO_LONG = _l("Nama paling banyak %(max)d karakter.", max=NAME_MAX)


class CompetencyForm(FlaskForm):
    """A technical competency: code (only when adding), name, definition, and each level's description and
    indicators (one per line)."""

    code = StringField(
        _l("Kode"), description=_l("Misalnya T.SIK.01. Kode tidak dapat diubah sesudah disimpan.")
    )
    name = StringField(_l("Nama"))
    definition = TextAreaField(_l("Definisi"))
    level_1 = TextAreaField(_l("Level %(level)s: deskripsi", level=1))
    indicators_1 = TextAreaField(_l("Level %(level)s: indikator", level=1))
    level_2 = TextAreaField(_l("Level %(level)s: deskripsi", level=2))
    indicators_2 = TextAreaField(_l("Level %(level)s: indikator", level=2))
    level_3 = TextAreaField(_l("Level %(level)s: deskripsi", level=3))
    indicators_3 = TextAreaField(_l("Level %(level)s: indikator", level=3))
    level_4 = TextAreaField(_l("Level %(level)s: deskripsi", level=4))
    indicators_4 = TextAreaField(_l("Level %(level)s: indikator", level=4))
    level_5 = TextAreaField(_l("Level %(level)s: deskripsi", level=5))
    indicators_5 = TextAreaField(_l("Level %(level)s: indikator", level=5))

    INDICATORS_HINT = _l("Satu indikator perilaku per baris; boleh dikosongkan.")

    def level_fields(self) -> list[tuple[int, Field, Field]]:
        """(level, description field, indicators field), level 1 first, for the template."""
        return [(n, self[f"level_{n}"], self[f"indicators_{n}"]) for n in LEVELS]

    def levels(self) -> dict[int, LevelInput]:
        """What was typed for each level."""
        return {
            n: LevelInput(
                description=self[f"level_{n}"].data or "",
                indicators=tuple((self[f"indicators_{n}"].data or "").splitlines()),
            )
            for n in LEVELS
        }


class StandardForm(FlaskForm):
    """One line of a position's standard: a competency and its required level."""

    competency = SelectField(_l("Kompetensi"), validate_choice=False)
    level = SelectField(
        _l("Level yang dipersyaratkan"),
        choices=[SelectChoice(str(n), str(n)) for n in LEVELS],
        validators=[InputRequired(message=_l("Pilih level 1 sampai 5."))],
        validate_choice=False,
    )

    def offer(self, competencies: Iterable[tuple[int, str, str, str]]) -> None:
        """Fill the competency picker: "M.01 Integritas", by code."""
        self.competency.choices = [SelectChoice("", _l("Pilih kompetensi"))] + [
            SelectChoice(str(competency_id), f"{code} {name}")
            for competency_id, code, name, _kind in competencies
        ]

    def chosen_competency(self) -> int | None:
        return int(self.competency.data) if str(self.competency.data or "").isdigit() else None

    def chosen_level(self) -> int:
        return int(self.level.data) if str(self.level.data or "").isdigit() else 0


def apply_framework_problems(form: FlaskForm, problems: Iterable[FieldProblem]) -> None:
    """Show each refusal of the service under the field it concerns."""
    for found in problems:
        message = FIELD_PROBLEM_MESSAGES[found.problem]
        if found.field == "name" and found.problem is FrameworkProblem.TOO_LONG:
            message = NAME_TOO_LONG
        field = getattr(form, found.field)
        field.errors = [*field.errors, str(message)]  # a field never validated holds a tuple
