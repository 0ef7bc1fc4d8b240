"""The form an employee records external training with: the national training-history fields and a proof file."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import Field, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from elearn.services.training import TrainingEntry
from elearn.training_labels import KIND_LABELS

MIN_JP = Decimal("0.5")
MAX_JP = Decimal(1000)


def _date(field: Field) -> date | None:
    """The ISO date a date input sends (yyyy-mm-dd), or None."""
    try:
        return date.fromisoformat((field.data or "").strip())
    except ValueError:
        return None


def _jp(field: Field) -> Decimal | None:
    """JP typed with a comma or a point ("2,5", "2.5"), or None."""
    try:
        value = Decimal((field.data or "").strip().replace(",", "."))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


class ExternalTrainingForm(FlaskForm):
    """Jenis, nama, institusi penyelenggara, tanggal mulai/selesai, JP, nomor sertifikat, and the proof."""

    kind = SelectField(
        _l("Jenis pengembangan kompetensi"),
        choices=[SelectChoice("", _l("Pilih jenis"))]
        + [SelectChoice(kind, label) for kind, label in KIND_LABELS.items()],
        validators=[DataRequired(message=_l("Pilih jenis pengembangan kompetensi."))],
    )
    name = StringField(
        _l("Nama pelatihan"),
        validators=[DataRequired(message=_l("Isi nama pelatihan.")), Length(max=300)],
    )
    provider = StringField(
        _l("Institusi penyelenggara"),
        validators=[DataRequired(message=_l("Isi institusi penyelenggara.")), Length(max=200)],
    )
    starts_on = StringField(_l("Tanggal mulai"), render_kw={"type": "date"})
    ends_on = StringField(_l("Tanggal selesai"), render_kw={"type": "date"})
    jp = StringField(_l("Jumlah JP"), render_kw={"inputmode": "decimal"})
    certificate_number = StringField(_l("Nomor sertifikat"), validators=[Optional(), Length(max=100)])
    proof = FileField(
        _l("Bukti (PDF, JPEG atau PNG)"), render_kw={"accept": "application/pdf,image/jpeg,image/png"}
    )

    def __init__(self, *args: object, today: date, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def validate_starts_on(self, field: Field) -> None:
        if _date(field) is None:
            raise ValidationError(_l("Isi tanggal mulai yang benar."))

    def validate_ends_on(self, field: Field) -> None:
        ends, starts = _date(field), _date(self.starts_on)
        if ends is None:
            raise ValidationError(_l("Isi tanggal selesai yang benar."))
        if starts is not None and ends < starts:
            raise ValidationError(_l("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        if ends > self.today:
            raise ValidationError(_l("Catat pelatihan setelah selesai: tanggal selesai belum lewat."))

    def validate_jp(self, field: Field) -> None:
        value = _jp(field)
        if value is None or not MIN_JP <= value <= MAX_JP:
            raise ValidationError(_l("Isi jumlah JP antara 0,5 dan 1000, misalnya 8 atau 2,5."))

    def entry(self) -> TrainingEntry:
        """The validated fields as the service takes them (call after `validate_on_submit()` said yes)."""
        starts_on, ends_on, jp = _date(self.starts_on), _date(self.ends_on), _jp(self.jp)
        if starts_on is None or ends_on is None or jp is None:
            raise ValueError("the training form was not validated")
        return TrainingEntry(
            kind=self.kind.data,
            name=self.name.data.strip(),
            provider=self.provider.data.strip(),
            starts_on=starts_on,
            ends_on=ends_on,
            jp=jp.quantize(Decimal("0.01")),
            certificate_number=(self.certificate_number.data or "").strip(),
        )
