"""A real SMTP server for the sending tests: aiosmtpd on 127.0.0.1, with faults on demand.

The handler counts what arrives by Message-ID, and can answer a given
message with a code once (``421``), drop the connection after taking it
(``"drop"``: the client never hears the 250), refuse a recipient (550), or
hold a message's MAIL or DATA so a test can kill the client there.
"""

from __future__ import annotations

import asyncio
import collections
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email import policy
from email.parser import BytesHeaderParser
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def message_id(data: bytes) -> str:
    """Return the Message-ID of message bytes."""
    return str(BytesHeaderParser(policy=policy.compat32).parsebytes(data)["Message-ID"]).strip()


class Recorder:
    """An aiosmtpd handler that keeps every accepted message and plays faults."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []
        self.faults: dict[str, list[str]] = {}  # Message-ID → faults, first played first
        self.refuse: set[str] = set()  # recipients answered 550
        self.hold_mail_after: int | None = None  # hold MAIL once so many were received
        self.hold_data: str | None = None  # take this Message-ID, then never answer
        self.holding = threading.Event()
        self.logins: list[tuple[str, str]] = []
        self.lock = threading.Lock()

    @property
    def counts(self) -> collections.Counter[str]:
        """How often each Message-ID was accepted."""
        with self.lock:
            return collections.Counter(message_id(data) for _, _, data in self.received)

    async def handle_MAIL(  # noqa: N802 - aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if self.hold_mail_after is not None and len(self.received) >= self.hold_mail_after:
            self.holding.set()
            await asyncio.sleep(3600)
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        data = envelope.original_content
        mid = message_id(data)
        planned = self.faults.get(mid) or []
        fault = planned.pop(0) if planned else None
        if fault is not None and fault[:1] in "45":
            return f"{fault} 4.3.2 Try again later" if fault[0] == "4" else f"{fault} 5.7.1 No"
        with self.lock:
            self.received.append((envelope.mail_from, list(envelope.rcpt_tos), data))
        if fault == "drop" or mid == self.hold_data:
            if mid == self.hold_data:
                self.holding.set()
                await asyncio.sleep(3600)
            server.transport.abort()
            await asyncio.sleep(0.05)
        return f"250 2.0.0 Ok: queued as {len(self.received)}"


def _authenticate(recorder: Recorder, password: str) -> Any:
    def check(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        if isinstance(data, LoginPassword):
            login, given = data.login.decode(), data.password.decode()
            recorder.logins.append((login, given))
            return AuthResult(success=given == password)
        return AuthResult(success=False)

    return check


@contextmanager
def mail_server(
    *, tls_context: Any = None, password: str | None = None
) -> Iterator[tuple[Recorder, int]]:
    """Run an SMTP server on 127.0.0.1; yield its handler and port.

    With ``tls_context`` it offers STARTTLS and requires it; with
    ``password`` it requires AUTH (over TLS) with that password.
    """
    recorder = Recorder()
    port = free_port()
    extra: dict[str, Any] = {}
    if tls_context is not None:
        extra |= {"tls_context": tls_context, "require_starttls": True}
    if password is not None:
        extra |= {"authenticator": _authenticate(recorder, password), "auth_required": True}
    controller = Controller(recorder, hostname="127.0.0.1", port=port, **extra)
    controller.start()
    try:
        yield recorder, port
    finally:
        controller.stop()


def outreach(count: int) -> list[Any]:
    """Return ``count`` (interview, outreach draft) pairs: alumni, not yet requested.

    The drafts are made directly (not rendered), so these tests do not hang
    on template wording; each body has a line starting with a dot and one
    with "From ", which SMTP and mbox must carry unchanged.
    """
    from infoview import Contact, Draft, Interview, Source
    from infoview.model import samples

    me = samples.sender()
    pairs = []
    for number in range(1, count + 1):
        person = Contact(
            name=f"Alex García {number}",
            email=f"alex{number}@example.com",
            school="State University",
            source=Source.ALUMNI,
        )
        interview = Interview(contact=person, sender=me)
        text = (
            f"Dear Alex García {number},\n\nI'm a fellow State University alum. "
            "Would you have 20 minutes for a call?\n.a line that starts with a dot\n"
            "From the alumni list, with thanks,\nSam\n"
        )
        draft = Draft(
            subject=f"Fellow alum: 20 minutes? ({number})",
            text=text,
            recipient=person,
            sender=me,
            template="outreach/alumni",
            interview=interview,
        )
        pairs.append((interview, draft))
    return pairs
