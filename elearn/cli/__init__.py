"""`flask elearn ...`: thin command-line wrappers over the services, one module per subject (never a view)."""

from elearn.cli import (
    accounts,
    attempts,
    competency,
    competency_evidence,
    competency_import,
    courses,
    demo,
    jobs,
    ledger,
    org,
    reminders,
    schema,
)
from elearn.cli.group import elearn_cli

SUBJECT_MODULES = (
    accounts,
    attempts,
    competency,
    competency_evidence,
    competency_import,
    courses,
    demo,
    jobs,
    ledger,
    org,
    reminders,
    schema,
)

__all__ = ["SUBJECT_MODULES", "elearn_cli"]
