"""The form that records assessed evidence (an assessment centre's result) on a competency profile (CSRF via
Flask-WTF). It only parses what was typed; the rules live in `elearn.competency.evidence.assessment_problems`."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import InputRequired

from elearn.competency.evidence import MAX_NOTE, AssessmentProblem, problem_message

DATE_HINT = _l("Tulis tanggal seperti 2026-01-31.")
PROBLEM_FIELDS = {
    AssessmentProblem.LEVEL: "level",
    AssessmentProblem.FUTURE: "achieved_on",
    AssessmentProblem.NOTE_MISSING: "note",
    AssessmentProblem.NOTE_TOO_LONG: "note",
}


class AssessmentForm(FlaskForm):
    """Competency, level 1-5, the date of the assessment and a note saying which assessment it was."""

    competency = SelectField(_l("Kompetensi"), validators=[InputRequired(message=_l("Pilih kompetensi."))])
    level = SelectField(
        _l("Level"),
        choices=[SelectChoice(str(level), str(level)) for level in range(1, 6)],
        validators=[InputRequired(message=_l("Pilih level 1 sampai 5."))],
    )
    achieved_on = DateField(_l("Tanggal asesmen"), validators=[InputRequired(message=DATE_HINT)])
    note = TextAreaField(
        _l("Catatan"),
        description=_l("Hasil dan lembaga asesmen, paling banyak %(max)d karakter.", max=MAX_NOTE),
        render_kw={"maxlength": MAX_NOTE, "rows": 3},
    )

    def show_problems(self, problems: tuple[AssessmentProblem, ...]) -> None:
        """Pin each refusal of the service under the field it concerns."""
        for problem in problems:
            getattr(self, PROBLEM_FIELDS[problem]).errors.append(problem_message(problem, gettext=_))
