"""A real SMTP server on 127.0.0.1 for the reminder tests (aiosmtpd): it records every message it accepts, can
refuse given recipients with a code, and can hold the reply to one message until the test lets it go (so a
sender can be killed at a known point: the message handed over, the sender not yet told)."""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


@dataclass
class Recorder:
    """The aiosmtpd handler: what was accepted, and how to misbehave."""

    accepted: list[EmailMessage] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)
    """Recipient -> SMTP reply that refuses it ("451 ..." or "550 ...")."""
    hold_at: int | None = None
    """Hold the reply to the message with this number (1 = first accepted) until `release` is set."""
    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.accepted.append(email.message_from_bytes(envelope.content, policy=email.policy.default))  # type: ignore[arg-type]
            number = len(self.accepted)
        if number == self.hold_at:
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait)
        return "250 Message accepted"

    def message_ids(self) -> list[str]:
        """The Message-ID of every accepted message, in the order accepted."""
        with self.lock:
            return [str(message["Message-ID"]) for message in self.accepted]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def smtp_server() -> Iterator[tuple[Recorder, int]]:
    """A recording SMTP server on a free local port: yields the recorder and the port."""
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield recorder, controller.port
    finally:
        recorder.release.set()
        controller.stop()
