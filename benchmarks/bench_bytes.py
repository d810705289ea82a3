"""Target 2: a Draft to RFC 5322 bytes against the standard library (at least 4× faster).

infoview's ``Draft.as_bytes()`` (its one message writer: every header checked
once, the bytes written directly; ``Draft.to_email()`` reads them back)
against two standard-library builders of the same content (From, To,
Subject, Date, Message-ID, the text; an HTML alternative and a PDF in the
second corpus), each serialized with ``as_bytes()``: the fastest, the legacy
``compat32`` classes (``MIMEText``, ``MIMEMultipart``, ``MIMEApplication``,
``email.header.Header`` for non-ASCII headers, text quoted-printable as
infoview writes it), and :class:`email.message.EmailMessage` with the SMTP
policy. Before timing, all are parsed back with the standard library and
compared: every header and every part's content must be equal.

Run: ``python benchmarks/bench_bytes.py [--quick]``.
"""

from __future__ import annotations

import argparse
import email
import email.policy
import sys
from datetime import UTC, datetime
from email import charset as charsets
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import SMTP
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

import jinja2
from _sample import interleaved, report, sample_interviews
from bench_render import BODY, SUBJECT, values

from infoview import Draft

COUNT = 500
WHEN = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
HTML = "<p>Dear {name},</p><p>I found you through the alumni network. Café? 🌻</p>\n" * 6
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 16


def corpus(rich: bool) -> list[Draft]:
    """500 outreach drafts (non-ASCII names); with ``rich``, HTML and a PDF each."""
    env = jinja2.Environment(autoescape=False, keep_trailing_newline=True)  # noqa: S701 - mail text
    both = env.from_string(SUBJECT + "\n\n" + BODY)
    drafts = []
    for iv in sample_interviews(COUNT):
        subject, text = both.render(values(iv)).split("\n\n", 1)
        draft = Draft(
            subject=subject,
            text=text,
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


_QP = charsets.Charset("utf-8")
_QP.body_encoding = charsets.QP


def _header(value: str) -> str | Header:
    return value if value.isascii() else Header(value, "utf-8")


def compat32(draft: Draft) -> bytes:
    """The same message built with the standard library's legacy (compat32) MIME classes."""
    sender: Any = draft.sender
    recipient: Any = draft.recipient
    text = MIMEText(draft.text, "plain", _QP)  # type: ignore[arg-type] # a Charset is accepted
    body: Any = text
    if draft.html is not None:
        body = MIMEMultipart("alternative")
        body.attach(text)
        body.attach(MIMEText(draft.html, "html", _QP))  # type: ignore[arg-type]
    if draft.attachments:
        mixed = MIMEMultipart("mixed")
        mixed.attach(body)
        for file in draft.attachments:
            part = MIMEApplication(file.content, file.mime_type.partition("/")[2])
            part.add_header("Content-Disposition", "attachment", filename=file.filename)
            mixed.attach(part)
        body = mixed
    body["From"] = formataddr((sender.name, sender.email), "utf-8")
    body["To"] = formataddr((recipient.name, recipient.email), "utf-8")
    body["Subject"] = _header(draft.subject)
    body["Date"] = format_datetime(draft.date or WHEN)
    body["Message-ID"] = draft.message_id
    return bytes(body.as_bytes())


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
    """Check the meaning is the same, time all three interleaved, print the ratios."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    args = parser.parse_args()
    runs = 3 if args.quick else 5
    baselines = {
        "compat32": (compat32, "compat32 `MIMEText` (+ `MIMEMultipart`, `MIMEApplication`)"),
        "EmailMessage": (stdlib, "`EmailMessage`, SMTP policy"),
    }
    for rich, name in ((False, "2 message bytes"), (True, "2b message bytes, HTML + PDF")):
        drafts = corpus(rich)
        differ = {
            key: sum(meaning(d.as_bytes()) != meaning(build(d)) for d in drafts[:100])
            for key, (build, _) in baselines.items()
        }

        def ours(drafts: list[Draft] = drafts) -> None:
            for draft in drafts:
                draft.as_bytes()

        def timer(build: Any, drafts: list[Draft] = drafts) -> Any:
            return lambda: [build(draft) for draft in drafts]

        found = interleaved(
            runs, ours=ours, **{key: timer(build) for key, (build, _) in baselines.items()}
        )
        for key, (_, said) in baselines.items():
            report(
                f"{name} against {key}",
                found["ours"] * 1e6 / COUNT,
                found[key] * 1e6 / COUNT,
                unit="µs/message",
                target="≥ 4× faster",
                baseline_is=said,
                ratio=found[key] / found["ours"],
                faster=True,
                met=found[key] >= 4 * found["ours"] and not differ[key],
                note=(
                    "same meaning"
                    if not differ[key]
                    else f"{differ[key]} of 100 parse back differently"
                )
                + f"; {COUNT:,} messages, median of {runs}",
            )


if __name__ == "__main__":
    main()
