"""`flask elearn send-reminders` (for cron: idempotent, safe from several servers at once, resumable after a
crash) and `flask elearn requeue-mail` (send again messages whose delivery an operator has checked)."""

from __future__ import annotations

import click
from flask import current_app

from elearn.cli.group import elearn_cli
from elearn.mail_outbox import MailSettings, send_pending
from elearn.services import assignments, notifications, plans
from elearn.state import clock, db_session


@elearn_cli.command("send-reminders")
def send_reminders_command() -> None:
    """Buat pengingat (tugas baru, tenggat dekat dan lewat, persetujuan rencana) lalu kirim e-mailnya; aman diulang."""
    session = db_session()
    office = clock()
    today, now = office.today(), office.now()
    config = current_app.config
    settings = MailSettings.from_config(config)
    added = assignments.refresh_standing_batches(session, today=today, now=now)
    session.commit()
    queued = notifications.queue_due_reminders(
        session, today=today, days_before=int(config["ELEARN_REMINDER_DAYS_BEFORE"]), now=now
    )
    queued += plans.queue_approval_reminders(session, today=today, now=now)
    session.commit()
    recovered = notifications.recover_stale(session, now=now, lease=settings.lease)
    session.commit()
    click.echo(f"{added} pegawai baru mendapat tugas belajar unitnya; {queued} pengingat baru dibuat.")
    if recovered.released:
        click.echo(f"{recovered.released} pesan yang terhenti sebelum dikirim dikembalikan ke antrean.")
    if not settings.configured:
        skipped = notifications.skip_all_pending(session)
        session.commit()
        click.echo(
            f"E-mail belum diatur (ELEARN_MAIL_SERVER): {skipped} pemberitahuan hanya tampil di aplikasi."
        )
        return
    # Links in e-mails are built as in a request to the public address (none are written without one).
    with current_app.test_request_context(base_url=settings.public_url or "http://localhost"):
        report = send_pending(session, settings, clock=office)
    click.echo(
        f"E-mail: {report.sent} terkirim, {report.skipped} tidak perlu dikirim, {report.retried} dicoba lagi "
        f"nanti, {report.failed} gagal."
    )
    unknown = notifications.unknown_ids(session)
    session.rollback()
    if unknown:
        shown = " ".join(str(number) for number in unknown[:50])
        click.echo(
            f"{len(unknown)} e-mail tidak diketahui terkirim atau tidak (koneksi putus saat dikirim): {shown}. "
            "Periksa log server e-mail, lalu `flask elearn requeue-mail ID...` bila perlu (docs/reminders.md).",
            err=True,
        )
    if report.stopped:
        click.echo(f"Pengiriman berhenti: server e-mail tidak dapat dihubungi ({report.stopped}).", err=True)
        raise SystemExit(1)


@elearn_cli.command("requeue-mail")
@click.argument("notification_ids", nargs=-1, type=int, required=True)
def requeue_mail_command(notification_ids: tuple[int, ...]) -> None:
    """Kirim ulang e-mail berstatus tidak diketahui atau gagal (dengan Message-ID yang sama)."""
    session = db_session()
    count = notifications.requeue(session, notification_ids=notification_ids)
    session.commit()
    click.echo(f"{count} e-mail masuk antrean lagi; kirim dengan `flask elearn send-reminders`.")
