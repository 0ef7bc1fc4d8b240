"""Events elearn announces after they are committed, so a host portal or another part of elearn can react.

Connect a receiver with `signals.course_completed.connect(receiver)`; each signal is sent with the app as sender
and keyword arguments named below, only after the transaction that recorded the event has committed (a receiver
never sees an event that was rolled back). docs/embedding.md lists them for hosts.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

course_completed = _signals.signal("elearn.course-completed")
"""A person completed a course: `person_id`, `course_id`, `version_id`, `completion_id`, `completed_at`, `jp`."""
