"""Posting a reply to a feedback note, shared by the mentee's page and the mentor's: write it (or say why not),
then go back to the thread."""

from __future__ import annotations

from flask import flash, redirect, request
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from elearn.models import FeedbackNote, Person
from elearn.services import feedback
from elearn.state import clock, db_session


def post_reply(note: FeedbackNote, mentee: Person, *, back_to: str) -> Response:
    """Store the signed-in person's reply to `note` (scope already checked) and return to `back_to`."""
    session = db_session()
    try:
        feedback.write_reply(
            session,
            author=current_user._get_current_object(),
            note=note,
            mentee=mentee,
            body=request.form.get("body", ""),
            now=clock().now(),
            today=clock().today(),
            ip=request.remote_addr,
        )
    except feedback.FeedbackRefused:
        session.rollback()
        flash(_("Tulis balasan (paling banyak 4000 karakter)."), "error")
        return redirect(back_to)
    session.commit()
    flash(_("Balasan tersimpan."), "success")
    return redirect(back_to)
