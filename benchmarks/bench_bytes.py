"""Target 2: a Draft to RFC 5322 bytes against the standard library (at least 4× faster).

infoview's ``Draft.as_bytes()`` (its one message writer: every header checked
once, the bytes written directly; ``Draft.to_email()`` reads them back)
against an :class:`email.message.EmailMessage` with the SMTP policy built for
the same content (From, To, Subject, Date, Message-ID, the text; an HTML
alternative and a PDF in the second corpus) and serialized with ``as_bytes()``.
Before timing, both are parsed back with the standard library and compared:
every header and every part's content must be equal.

Run: ``python benchmarks/bench_bytes.py [--quick]``.
"""

from __future__ import annotations

import argparse
import email
import email.policy
import sys
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

import jinja2
from _sample import interleaved, report, sample_interviews
from bench_render import BODY, SUBJECT, values

from infoview import Draft

COUNT = 2_000
WHEN = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
HTML = "<p>Dear {name},</p><p>I found you through the alumni network. Café? 🌻</p>\n" * 6
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 16


def corpus(rich: bool) -> list[Draft]:
    """2,000 outreach drafts (non-ASCII names); with ``rich``, HTML and a PDF each."""
    env = jinja2.Environment(autoescape=False, keep_trailing_newline=True)  # noqa: S701 - mail text
    subject, body = env.from_string(SUBJECT), env.from_string(BODY)
    drafts = []
    for iv in sample_interviews(COUNT):
        ctx = values(iv)
        draft = Draft(
            subject=subject.render(ctx),
            text=body.render(ctx),
            recipient=iv.contact,
            sender=iv.sender,
            date=WHEN,
        )
        if rich:
            draft = draft.with_changes(html=HTML.format(name=iv.contact.name))
            draft = draft.attach(PDF, filename="résumé.pdf")
        drafts.append(draft)
    return drafts


def stdlib(draft: Draft) -> bytes:
    """The same message built with the standard library's EmailMessage (SMTP policy)."""
    sender: Any = draft.sender
    recipient: Any = draft.recipient
    message = EmailMessage(policy=SMTP)
    message["From"] = Address(sender.name, addr_spec=sender.email)
    message["To"] = Address(recipient.name, addr_spec=recipient.email)
    message["Subject"] = draft.subject
    message["Date"] = format_datetime(draft.date or WHEN)
    message["Message-ID"] = draft.message_id
    message.set_content(draft.text)
    if draft.html is not None:
        message.add_alternative(draft.html, subtype="html")
    for file in draft.attachments:
        maintype, _, subtype = file.mime_type.partition("/")
        message.add_attachment(
            file.content, maintype=maintype, subtype=subtype, filename=file.filename
        )
    return message.as_bytes()


def meaning(raw: bytes) -> list[object]:
    """Headers and parts as the standard library reads them back."""
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    found: list[Any] = sorted(
        (k.lower(), str(v)) for k, v in parsed.items() if k.lower() != "content-type"
    )
    for part in parsed.walk():
        if isinstance(part, EmailMessage) and not part.is_multipart():
            content = part.get_content()
            if isinstance(content, str):
                content = content.replace("\r\n", "\n")
            found.append((part.get_content_type(), part.get_filename(), content))
    return found


def main() -> None:
    """Check the meaning is the same, time both interleaved, print the ratios."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    args = parser.parse_args()
    runs = 3 if args.quick else 7
    for rich, name in ((False, "2 message bytes"), (True, "2b message bytes, HTML + PDF")):
        drafts = corpus(rich)
        differ = sum(meaning(d.as_bytes()) != meaning(stdlib(d)) for d in drafts[:200])

        def ours(drafts: list[Draft] = drafts) -> None:
            for draft in drafts:
                draft.as_bytes()

        def baseline(drafts: list[Draft] = drafts) -> None:
            for draft in drafts:
                stdlib(draft)

        found = interleaved(runs, ours=ours, baseline=baseline)
        report(
            name,
            found["ours"] * 1e6 / COUNT,
            found["baseline"] * 1e6 / COUNT,
            unit="µs/message",
            target="≥ 4× faster",
            ratio=found["baseline"] / found["ours"],
            met=found["baseline"] >= 4 * found["ours"] and not differ,
            note="same meaning" if not differ else f"{differ} of 200 parse back differently",
        )


if __name__ == "__main__":
    main()
