"""Send an outbox of outreach drafts, each exactly once, and mark the interviews requested.

This script practises against a local SMTP server it starts itself (aiosmtpd,
installed with ``pip install "infoview[test]"``), so nothing leaves your
machine. To send for real, drop the server and use your provider's settings:

    smtp = SMTPSettings("smtp.example.com", user="you@example.com",
                        password_env="SMTP_PASSWORD")      # STARTTLS on 587

or, on the command line:

    SMTP_PASSWORD=... infoview send outbox/ --host smtp.example.com \\
        --user you@example.com --password-env SMTP_PASSWORD --rate 20/min \\
        --interviews interviews.json

Run it twice in the same folder: the second run sends nothing, because the
journal knows every message went out.
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

import infoview
from infoview import Contact, Interview, SMTPSettings, Source, bulk
from infoview.model import samples
from infoview.sending import mark_requested


class Practice:
    """A local SMTP server that keeps what it receives."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        """Keep the message (aiosmtpd calls this hook by its name)."""
        self.received.append((list(envelope.rcpt_tos), envelope.original_content))
        return "250 2.0.0 Ok: queued"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


me = samples.sender()
people = [
    Contact(
        name=name,
        email=email,
        title="Product Manager",
        organization=org,
        school="State University",
        source=Source.ALUMNI,
    )
    for name, email, org in [
        ("Ana García", "ana@example.com", "Acme Health"),
        ("Bo Chen", "bo@example.com", "Northwind"),
        ("Lei Wang", "lei@example.com", "Contoso Care"),
    ]
]
interviews = [Interview(contact=person, sender=me) for person in people]

outbox = Path("outbox")
if not outbox.exists():  # draft once; a second run sends the same files
    drafts = [infoview.render("outreach/alumni", interview=i) for i in interviews]
    bulk.write_folder(drafts, outbox)
    print(f"Drafted {len(drafts)} messages into {outbox}/")

practice = Practice()
port = free_port()
server = Controller(practice, hostname="127.0.0.1", port=port)
server.start()
try:
    smtp = SMTPSettings("127.0.0.1", port, security="none")  # a real server: keep STARTTLS
    preview = infoview.send(outbox, smtp=smtp, journal="outbox.journal", dry_run=True)
    for outcome in preview.outcomes:
        print(outcome.line())
    report = infoview.send(outbox, smtp=smtp, journal="outbox.journal", rate="600/min")
    for outcome in report.outcomes:
        print(outcome.line())
    print(report.summary())
    again = infoview.send(outbox, smtp=smtp, journal="outbox.journal")
    print("Again:", again.summary())
finally:
    server.stop()

assert report.ok
assert report.sent + report.count(infoview.sending.Result.SKIPPED) == 3
assert again.sent == 0  # nothing goes out twice
for interview in mark_requested(interviews, report):
    print(f"{interview.contact.name}: requested at {interview.requested_at:%H:%M:%S %Z}")
print(f"The server received {len(practice.received)} messages.")
