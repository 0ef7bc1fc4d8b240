"""Sentences about account rules, shared by the forms and the command line."""

from __future__ import annotations

from flask_babel import gettext as _

from elearn.services.accounts import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, PasswordProblem


def password_problem_message(problem: PasswordProblem) -> str:
    """The Bahasa Indonesia (or translated) sentence for a password rule."""
    if problem is PasswordProblem.TOO_SHORT:
        return _("Kata sandi minimal %(min)d karakter.", min=MIN_PASSWORD_LENGTH)
    if problem is PasswordProblem.TOO_LONG:
        return _("Kata sandi paling banyak %(max)d karakter.", max=MAX_PASSWORD_LENGTH)
    return _("Kata sandi tidak boleh sama dengan NIP.")
