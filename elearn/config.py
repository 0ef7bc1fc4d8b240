"""Every ELEARN_* setting in one place: its default, how it is parsed, and why it exists.

`docs/configuration.md` is generated from this table (`flask elearn config-docs`);
a test keeps the two equal.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from elearn.courses.render import MAX_LESSON_BYTES, RENDER_TIMEOUT_SECONDS


def _bool(raw: str) -> bool:
    return raw.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Setting:
    """One configuration key: environment name, default, parser and a one-line reason."""

    name: str
    default: Any
    parse: Callable[[str], Any]
    why: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "ELEARN_DATABASE_URL",
        None,
        str,
        "SQLAlchemy URL; default is a SQLite file `elearn.sqlite3` in the instance folder (WAL, busy "
        "timeout, "
        "foreign keys on). Use `postgresql+psycopg://...` in production.",
    ),
    Setting(
        "ELEARN_SECRET_KEY",
        None,
        str,
        "Signs sessions and CSRF tokens. Development generates one into the instance folder; production "
        "refuses "
        "to start without it.",
    ),
    Setting(
        "ELEARN_PRODUCTION",
        False,
        _bool,
        "Production mode: requires ELEARN_SECRET_KEY and marks cookies Secure.",
    ),
    Setting(
        "ELEARN_URL_PREFIX",
        "",
        str,
        "Where elearn's pages are mounted, e.g. `/belajar` inside a host portal; empty when standalone.",
    ),
    Setting(
        "ELEARN_BASE_TEMPLATE",
        "elearn/base.html",
        str,
        "The layout every elearn page extends; a host portal names its own to wrap elearn in its layout.",
    ),
    Setting(
        "ELEARN_COURSES_DIR",
        "courses",
        str,
        "Folder of Markdown courses that `flask elearn courses sync` imports (relative to the working "
        "directory).",
    ),
    Setting(
        "ELEARN_JP_TARGET",
        20,
        int,
        "Yearly lesson hours (JP) every PNS has the right to (PP 11/2017 as amended, art. 203(4)).",
    ),
    Setting(
        "ELEARN_JP_MINUTES",
        45,
        int,
        "Minutes in one JP; the regulation number is unverified, so it stays a setting.",
    ),
    Setting(
        "ELEARN_PPPK_JP_CAP",
        24,
        int,
        "Yearly JP cap some rules set for PPPK staff (unverified, so a setting): a PPPK employee's JP bar runs to "
        "it, and JP beyond it are shown but not counted (docs/ledger.md).",
    ),
    Setting(
        "ELEARN_JPM_MEETS",
        Decimal(80),
        Decimal,
        "Job Person Match (JPM, percent) from which a person meets their position's competency standard "
        "(memenuhi syarat).",
    ),
    Setting(
        "ELEARN_JPM_STILL_MEETS",
        Decimal(68),
        Decimal,
        "JPM from which a person still meets the standard (masih memenuhi syarat); below it: kurang memenuhi "
        "syarat.",
    ),
    Setting(
        "ELEARN_ISSUER_NAME",
        "elearn",
        str,
        "Who issues certificates and runs elearn's courses (e.g. `BKPSDM Kota Salatiga`): printed on certificates, "
        "shown on the verification page, and the provider of elearn courses in training-history exports.",
    ),
    Setting(
        "ELEARN_VERIFY_MAX_FAILURES_IP",
        20,
        int,
        "Unknown certificate serials one IP address may look up within the window before it is throttled.",
    ),
    Setting(
        "ELEARN_VERIFY_WINDOW_MINUTES", 15, int, "Length of the certificate-verification throttling window."
    ),
    Setting(
        "ELEARN_PROOF_MAX_BYTES",
        5 * 1024 * 1024,
        int,
        "Largest proof file (PDF, JPEG or PNG) accepted with an external training record.",
    ),
    Setting(
        "ELEARN_DEFAULT_LOCALE",
        "id",
        str,
        "Language of the interface for people who have not chosen one (`id` or `en`).",
    ),
    Setting(
        "ELEARN_TIMEZONE",
        "Asia/Jakarta",
        str,
        "The office's time zone (Asia/Jakarta WIB, Asia/Makassar WITA, Asia/Jayapura WIT): dates such as "
        "mentorship start and end, and times shown on pages.",
    ),
    Setting(
        "ELEARN_FRAME_ANCESTORS",
        "'self'",
        str,
        "CSP frame-ancestors: the origins allowed to embed elearn in a frame (a host portal).",
    ),
    Setting(
        "ELEARN_LOGIN_MAX_FAILURES_PAIR",
        5,
        int,
        "Failed logins for one account from one IP address within the window before that address is refused for "
        "that account (others, and the owner elsewhere, can still sign in).",
    ),
    Setting(
        "ELEARN_LOGIN_MAX_FAILURES_ACCOUNT",
        50,
        int,
        "Failed logins for one account from all addresses together within the window before the account is "
        "throttled everywhere; keep it well above the pair limit, since NIPs are on every list.",
    ),
    Setting(
        "ELEARN_LOGIN_MAX_FAILURES_IP",
        30,
        int,
        "Failed logins from one IP address, whatever the account, within the window before that address is "
        "throttled.",
    ),
    Setting("ELEARN_LOGIN_WINDOW_MINUTES", 15, int, "Length of the login-throttling window, in minutes."),
    Setting("ELEARN_ACTIVATION_HOURS", 72, int, "How long an account activation link or code stays valid."),
    Setting(
        "ELEARN_IMPORT_MAX_BYTES",
        50 * 1024 * 1024,
        int,
        "Largest CSV file accepted by the organisation import.",
    ),
    Setting("ELEARN_IMPORT_MAX_ROWS", 400_000, int, "Most data rows accepted in one CSV file."),
    Setting("ELEARN_IMPORT_MAX_FIELD", 500, int, "Longest value accepted in one CSV cell, in characters."),
    Setting(
        "ELEARN_IMPORT_JOBS_IN_APP",
        True,
        _bool,
        "Run the admin page's import checks and imports in a background thread of the app process that "
        "queued them; turn off when `flask elearn jobs` runs them on a worker (docs/import.md).",
    ),
    Setting(
        "ELEARN_IMPORT_JOB_STALE_SECONDS",
        180,
        int,
        "A running import job whose heartbeat is older than this is shown failed (its server stopped). On "
        "SQLite the heartbeat pauses while rows are written, so keep it above the longest writing stage.",
    ),
    Setting(
        "ELEARN_LESSON_MAX_BYTES",
        MAX_LESSON_BYTES,
        int,
        "Largest Markdown source of one lesson; bigger lessons are refused with a clear error.",
    ),
    Setting(
        "ELEARN_RENDER_SECONDS",
        RENDER_TIMEOUT_SECONDS,
        float,
        "Time budget for rendering one lesson; beyond it the lesson is refused instead of hanging a worker.",
    ),
    Setting("ELEARN_PAGE_SIZE", 50, int, "Rows per page in admin and supervisor lists."),
    Setting(
        "ELEARN_PUBLIC_URL",
        "",
        str,
        "The address people and outsiders open elearn at (e.g. `https://elearn.salatiga.go.id/belajar`): the "
        "verification link and QR code on certificates (empty: the address the request came to) and links in "
        "e-mails sent from cron (empty: e-mails carry no links).",
    ),
    Setting(
        "ELEARN_MAIL_SERVER",
        "",
        str,
        "SMTP host for reminder e-mails; empty: notifications are in-app only (docs/reminders.md).",
    ),
    Setting("ELEARN_MAIL_PORT", 25, int, "SMTP port (587 with STARTTLS, 465 with SSL)."),
    Setting(
        "ELEARN_MAIL_SECURITY",
        "none",
        str,
        "How the SMTP connection is protected: `none`, `starttls` or `ssl`.",
    ),
    Setting("ELEARN_MAIL_USERNAME", "", str, "SMTP login, when the server asks for one."),
    Setting("ELEARN_MAIL_PASSWORD", "", str, "SMTP password for ELEARN_MAIL_USERNAME."),
    Setting(
        "ELEARN_MAIL_SENDER",
        "elearn@localhost",
        str,
        "The From address of reminder e-mails; its domain also ends every Message-ID.",
    ),
    Setting(
        "ELEARN_MAIL_TIMEOUT", 30, int, "Seconds to wait for the SMTP server before a send counts as failed."
    ),
    Setting(
        "ELEARN_MAIL_LEASE_MINUTES",
        15,
        int,
        "How long a sender may hold a claimed message: after it, a claim that never reached SMTP is sent by "
        "the next run, and one that was being handed to SMTP is marked unknown (never resent by itself).",
    ),
    Setting(
        "ELEARN_MAIL_MAX_ATTEMPTS",
        5,
        int,
        "Temporary SMTP refusals before a message is given up as failed.",
    ),
    Setting(
        "ELEARN_REMINDER_DAYS_BEFORE",
        3,
        int,
        "How many days before an assignment is due its reminder is sent (another follows once it is overdue).",
    ),
    Setting(
        "ELEARN_QUIZ_GRACE_SECONDS",
        60,
        int,
        "After a timed quiz's deadline, answers already on their way are still saved for this long; then the "
        "attempt is finished from what was saved, at its deadline.",
    ),
)


def load_settings(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Read every setting from the environment, falling back to its default."""
    environ = os.environ if environ is None else environ
    return {s.name: (s.parse(environ[s.name]) if s.name in environ else s.default) for s in SETTINGS}


def ensure_secret_key(instance_path: Path) -> str:
    """Return the development secret kept in the instance folder, creating it once."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="ascii").strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key, encoding="ascii")
    key_file.chmod(0o600)
    return key


def configuration_markdown() -> str:
    """Render the settings table for docs/configuration.md."""
    lines = [
        "# Configuration",
        "",
        "Every setting is an environment variable (or a key of the same name in the host's `app.config`).",
        "Generated from `elearn/config.py` by `flask elearn config-docs`; a test keeps it current.",
        "",
        "| variable | default | why |",
        "|---|---|---|",
    ]
    for s in SETTINGS:
        default = "(none)" if s.default is None else f"`{s.default}`"
        lines.append(f"| `{s.name}` | {default} | {s.why} |")
    return "\n".join(lines) + "\n"
