"""The account forms: sign-in, activation by link or code, and password change (CSRF via Flask-WTF).

Each is a `RefillableForm`: posted after its token expired, it comes back with what was typed (passwords excepted).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, Field, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from elearn.accounts.messages import password_problem_message
from elearn.form_tokens import RefillableForm
from elearn.services.accounts import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    normalize_identifier,
    password_problem,
)


class LoginForm(RefillableForm):
    """NIP or e-mail, password, and whether to stay signed in on this device."""

    identifier = StringField(
        _l("NIP atau e-mail"),
        validators=[DataRequired(message=_l("Isi NIP atau e-mail Anda.")), Length(max=254)],
    )
    password = PasswordField(
        _l("Kata sandi"),
        validators=[DataRequired(message=_l("Isi kata sandi Anda.")), Length(max=MAX_PASSWORD_LENGTH)],
    )
    remember = BooleanField(_l("Ingat saya di perangkat ini"))


class NewPasswordForm(RefillableForm):
    """A new password typed twice, checked against the account's NIP."""

    min_length = MIN_PASSWORD_LENGTH
    new_password = PasswordField(
        _l("Kata sandi baru"), validators=[DataRequired(message=_l("Isi kata sandi baru."))]
    )
    confirm_password = PasswordField(
        _l("Ulangi kata sandi baru"),
        validators=[
            DataRequired(message=_l("Ketik ulang kata sandi baru.")),
            EqualTo("new_password", message=_l("Kedua kata sandi tidak sama.")),
        ],
    )

    def __init__(self, *args: Any, owner_nip: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owner_nip = owner_nip

    def nip_for_rules(self) -> str:
        """The NIP the new password must differ from."""
        return self.owner_nip

    def validate_new_password(self, field: Field) -> None:
        problem = password_problem(field.data or "", nip=self.nip_for_rules())
        if problem is not None:
            raise ValidationError(password_problem_message(problem))


class ActivationCodeForm(NewPasswordForm):
    """Activation for people who received a code instead of a link: NIP, code, new password."""

    nip = StringField(_l("NIP"), validators=[DataRequired(message=_l("Isi NIP Anda.")), Length(max=40)])
    code = StringField(
        _l("Kode aktivasi"), validators=[DataRequired(message=_l("Isi kode aktivasi.")), Length(max=20)]
    )

    def nip_for_rules(self) -> str:
        return normalize_identifier(self.nip.data or "")


class ChangePasswordForm(NewPasswordForm):
    """The current password proves it is the owner at the keyboard, not someone at an unlocked screen."""

    current_password = PasswordField(
        _l("Kata sandi saat ini"),
        validators=[DataRequired(message=_l("Isi kata sandi saat ini.")), Length(max=MAX_PASSWORD_LENGTH)],
    )
