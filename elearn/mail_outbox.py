"""Sending the e-mail outbox over SMTP, one message at a time, so each message is sent at most once whatever
crashes or runs beside it (docs/reminders.md has the exact guarantee).

Per message: claim it (commit), word it in the reader's language, mark it `sending` with its Message-ID (commit),
hand it to SMTP, mark it `sent` (commit). The SMTP connection is opened (and checked with NOOP) before a message
is marked `sending`, so a server that cannot be reached leaves the claim to go back to `pending`. A refusal with
an SMTP code means the server did not take the message: a 4xx is tried again on a later run, a 5xx fails it. A
connection lost while handing a message over leaves its fate unknown: it is marked `unknown`, never resent.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from elearn.clock import Clock
from elearn.models import Notification, Person
from elearn.notices import word
from elearn.services import notifications

SECURITY_MODES = ("none", "starttls", "ssl")


@dataclass(frozen=True)
class MailSettings:
    """The ELEARN_MAIL_* settings a sender needs."""

    server: str
    port: int
    security: str
    username: str
    password: str
    sender: str
    timeout: int
    lease: timedelta
    max_attempts: int
    public_url: str

    @classmethod
    def from_config(cls, config: Any) -> MailSettings:
        """Read the settings from an app's config."""
        security = str(config["ELEARN_MAIL_SECURITY"]).lower()
        if security not in SECURITY_MODES:
            raise ValueError(f"ELEARN_MAIL_SECURITY must be one of {', '.join(SECURITY_MODES)}")
        return cls(
            server=str(config["ELEARN_MAIL_SERVER"]),
            port=int(config["ELEARN_MAIL_PORT"]),
            security=security,
            username=str(config["ELEARN_MAIL_USERNAME"]),
            password=str(config["ELEARN_MAIL_PASSWORD"]),
            sender=str(config["ELEARN_MAIL_SENDER"]),
            timeout=int(config["ELEARN_MAIL_TIMEOUT"]),
            lease=timedelta(minutes=int(config["ELEARN_MAIL_LEASE_MINUTES"])),
            max_attempts=int(config["ELEARN_MAIL_MAX_ATTEMPTS"]),
            public_url=str(config["ELEARN_PUBLIC_URL"]),
        )

    @property
    def configured(self) -> bool:
        """Whether e-mail is on at all."""
        return bool(self.server)

    @property
    def domain(self) -> str:
        """The sender's domain, which ends every Message-ID."""
        return self.sender.rpartition("@")[2] or "localhost"


@dataclass
class SendReport:
    """What one run of the sender did."""

    sent: int = 0
    skipped: int = 0
    retried: int = 0
    failed: int = 0
    unknown: int = 0
    stopped: str = ""
    """Why the run stopped before the outbox was empty (the SMTP server could not be reached), else empty."""


def message_id(notification: Notification, domain: str) -> str:
    """A Message-ID fixed by the notification, so a message sent again can be recognised as the same one."""
    return f"<elearn.{notification.id}.{int(notification.created_at.timestamp())}@{domain}>"


class _Connection:
    """One SMTP connection for the run, opened when first needed and checked before each message."""

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings
        self.smtp: smtplib.SMTP | None = None

    def ready(self) -> smtplib.SMTP:
        """A working connection (NOOP answered), opened or reopened as needed; raises OSError when unreachable."""
        if self.smtp is not None:
            try:
                if self.smtp.noop()[0] == 250:
                    return self.smtp
            except (smtplib.SMTPException, OSError):
                pass
            self.drop()
        settings = self.settings
        context = ssl.create_default_context()
        if settings.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.server, settings.port, timeout=settings.timeout, context=context
            )
        else:
            smtp = smtplib.SMTP(settings.server, settings.port, timeout=settings.timeout)
            if settings.security == "starttls":
                smtp.starttls(context=context)
        if settings.username:
            smtp.login(settings.username, settings.password)
        self.smtp = smtp
        return smtp

    def drop(self) -> None:
        """Forget a broken connection."""
        if self.smtp is not None:
            with contextlib.suppress(OSError):
                self.smtp.close()
        self.smtp = None

    def quit(self) -> None:
        """End the run's connection politely."""
        if self.smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self.smtp.quit()
        self.smtp = None


def compose(
    session: Session, notification: Notification, reader: Person, settings: MailSettings
) -> EmailMessage:
    """The e-mail of one notification, worded in the reader's language."""
    locale = reader.locale or current_app.config["ELEARN_DEFAULT_LOCALE"]
    with force_locale(locale):
        facts = notifications.subject_facts(session, [notification]).get(
            (notification.subject_type, notification.subject_id)
        )
        text = word(notification, facts, external=True)
        lines = [text.body, ""]
        if text.url and settings.public_url:
            lines += [_("Buka: %(url)s", url=text.url), ""]
        lines += ["-- ", _("elearn · Pengembangan Kompetensi ASN")]
        if settings.public_url:
            lines.append(
                _(
                    "Anda menerima e-mail ini karena memilih pemberitahuan lewat e-mail. Ubah pilihan di %(url)s",
                    url=url_for("elearn.learner.notifications", _external=True),
                )
            )
        else:
            lines.append(
                _(
                    "Anda menerima e-mail ini karena memilih pemberitahuan lewat e-mail. Ubah pilihan di "
                    "halaman Pemberitahuan elearn."
                )
            )
        message = EmailMessage()
        message["Subject"] = text.title
    message["From"] = settings.sender
    message["To"] = reader.email or ""
    message["Date"] = format_datetime(notification.created_at)
    message["Message-ID"] = message_id(notification, settings.domain)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content("\n".join(lines))
    return message


def send_pending(
    session: Session,
    settings: MailSettings,
    *,
    clock: Clock,
) -> SendReport:
    """Send every pending message, one at a time, until none is left or the server cannot be reached; a message
    put back for a later try is not taken again in the same run."""
    report = SendReport()
    connection = _Connection(settings)
    last_id = 0
    try:
        while True:
            claimed = notifications.claim_next(session, now=clock.now(), after_id=last_id)
            session.commit()
            if claimed is None:
                break
            notification_id, token = claimed
            last_id = notification_id
            _send_one(session, settings, connection, notification_id, token, clock, report)
            if report.stopped:
                break
    finally:
        connection.quit()
    return report


def _send_one(
    session: Session,
    settings: MailSettings,
    connection: _Connection,
    notification_id: int,
    token: str,
    clock: Clock,
    report: SendReport,
) -> None:
    """Take one claimed message to `sent`, `skipped`, back to `pending`, `failed` or `unknown`."""
    notification = session.get(Notification, notification_id)
    reader = session.get(Person, notification.person_id) if notification is not None else None
    if notification is None or reader is None:
        return
    why_not = _reason_not_to_send(session, notification, reader)
    if why_not:
        notifications.mark_skipped(session, notification_id, token, why=why_not)
        session.commit()
        report.skipped += 1
        return
    message = compose(session, notification, reader, settings)
    try:
        smtp = connection.ready()
    except (smtplib.SMTPException, OSError) as error:
        notifications.release(session, notification_id, token)
        session.commit()
        report.stopped = f"{type(error).__name__}: {error}"
        return
    if not notifications.mark_sending(
        session, notification_id, token, message_id=message["Message-ID"], now=clock.now()
    ):
        session.rollback()
        return
    session.commit()
    try:
        smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as refused:
        code = min((code for code, _text in refused.recipients.values()), default=550)
        _refused(session, settings, notification_id, token, code, str(refused.recipients), report)
        return
    except smtplib.SMTPResponseException as refused:
        _refused(
            session, settings, notification_id, token, refused.smtp_code, str(refused.smtp_error), report
        )
        return
    except (smtplib.SMTPException, OSError) as error:
        connection.drop()
        notifications.mark_unknown(session, notification_id, token, error=f"{type(error).__name__}: {error}")
        session.commit()
        report.unknown += 1
        return
    notifications.mark_sent(session, notification_id, token, now=clock.now())
    session.commit()
    report.sent += 1


def _reason_not_to_send(session: Session, notification: Notification, reader: Person) -> str:
    """Why this message needs no e-mail any more (empty when it should be sent)."""
    if not reader.active:
        return "reader deactivated"
    if not reader.email or not reader.notify_by_email:
        return "reader chose in-app only"
    if not notifications.still_relevant(session, notification):
        return "reminder no longer relevant"
    return ""


def _refused(
    session: Session,
    settings: MailSettings,
    notification_id: int,
    token: str,
    code: int,
    error: str,
    report: SendReport,
) -> None:
    """The server answered with a refusal: it did not take the message."""
    retry = 400 <= code < 500
    notifications.mark_failed(
        session,
        notification_id,
        token,
        error=f"{code} {error}",
        retry=retry,
        max_attempts=settings.max_attempts,
    )
    session.commit()
    if retry:
        report.retried += 1
    else:
        report.failed += 1
