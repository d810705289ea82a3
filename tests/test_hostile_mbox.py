"""Hostile input against the mbox round trip: body lines that look like separators or quoting.

Drafts written into an mbox (mboxrd: one more ``>`` before ``>*From ``),
read back by the outbox (one ``>`` less) and sent to a real SMTP server
arrive with every body line as drafted.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

import infoview
from infoview import Contact, Draft, bulk, mail
from infoview.mail.outbox import Outgoing, read
from infoview.model import samples
from tests._mailserver import mail_server

LINES = ["From the archive", ">From the archive", ">>From the archive", ">>>From x", "From"]


def draft(text: str, number: int = 1) -> Draft:
    """A draft from the sample sender to one person, with this body."""
    person = Contact(name=f"Person {number}", email=f"person{number}@example.com")
    return Draft(
        subject=f"Note {number}",
        text=text,
        recipient=person,
        sender=samples.sender(),
        date=datetime(2026, 12, 5, 17, 0, tzinfo=UTC),  # the same bytes each time it is written
    )


BODIES = {
    "quoted lines": "Hello,\n\n" + "\n".join(LINES) + "\nSam\n",
    "From at the very start": "From the start of the body\n>From and then\nSam\n",
    "From at the end": "Hello\n>>From the last line\nFrom the end",
    "only From lines": "From \n>From \n>>From \n",
}


def sent_body(data: bytes) -> str:
    """The text of a message as the server received it."""
    parsed = message_from_bytes(data, policy=policy.default)
    return str(parsed.get_content())  # type: ignore[attr-defined]


@pytest.mark.parametrize("writer", ["bulk.write_drafts_mbox", "mail.write_mbox"])
def test_drafts_through_an_mbox_arrive_as_drafted(tmp_path: Path, writer: str) -> None:
    """Draft → mbox → outbox → server: the bytes sent are the drafted bytes, body lines and all."""
    drafts = [draft(text, n) for n, text in enumerate(BODIES.values(), 1)]
    box = tmp_path / "out.mbox"
    if writer == "bulk.write_drafts_mbox":
        bulk.write_drafts_mbox(drafts, box)
    else:
        mail.write_mbox([d.to_email() for d in drafts], box)
    written = box.read_bytes()
    assert b"\n>>From the archive\n" in written  # ">From the archive" quoted once more
    assert b"\n>From the start of the body\n" in written
    with mail_server() as (server, port):
        smtp = infoview.SMTPSettings("127.0.0.1", port, "none", timeout=10)
        report = infoview.send(box, smtp=smtp, journal=tmp_path / "j")
    assert len(drafts) == report.sent
    for (_, _, data), one in zip(server.received, drafts, strict=True):
        expected = Outgoing.from_draft(one).data
        assert expected == data
        assert one.text.rstrip("\n") == sent_body(data).replace("\r\n", "\n").rstrip("\n")


def test_every_line_comes_back_from_an_mbox(tmp_path: Path) -> None:
    """Raw messages, some without a final newline: read back with CRLF ends, nothing else new."""
    head = b"From: sam@example.org\nTo: ana@example.com\nMessage-ID: <{}@example.org>\n\n"
    bodies = [
        b"From x\n>From x\n>>From x\n>>>>From x\nFrom",
        b"From the very start",
        b">From",
        b"line\n\n\nFrom after blank lines\n\n",
    ]
    messages = [head.replace(b"{}", str(n).encode()) + body for n, body in enumerate(bodies)]
    box = mail.write_mbox(messages, tmp_path / "raw.mbox")
    found = [m.data for m in read(box)]
    assert len(messages) == len(found)
    for message, data in zip(messages, found, strict=True):
        assert whole(message) == data


def whole(message: bytes) -> bytes:
    """A message as it is read back (and sent): CRLF ends, the last line ended too."""
    return (message if message.endswith(b"\n") else message + b"\n").replace(b"\n", b"\r\n")


def test_appending_to_an_mbox_keeps_both_runs_faithful(tmp_path: Path) -> None:
    """Two writes to one mbox (bulk, then mail): each message reads back as written."""
    box = tmp_path / "out.mbox"
    first, second = draft(BODIES["quoted lines"], 1), draft(BODIES["From at the end"], 2)
    bulk.write_drafts_mbox([first], box)
    mail.write_mbox([second.as_bytes()], box)
    found = list(read(box))
    assert [Outgoing.from_draft(first).data, Outgoing.from_draft(second).data] == [
        m.data for m in found
    ]


body_lines = st.lists(
    st.sampled_from(["From x", ">From x", ">>From x", "From", ">", "", "x", " From x", ">From"])
    | st.text(alphabet="F>rom x", max_size=12),
    max_size=12,
)


@settings(max_examples=200, deadline=None)
@given(lines=body_lines, final_newline=st.booleans())
def test_any_body_survives_the_mbox(
    tmp_path_factory: pytest.TempPathFactory, lines: list[str], final_newline: bool
) -> None:
    """Any lines of From, > and text: written and read back, the body is what was written."""
    body = "\n".join(lines) + ("\n" if final_newline and lines else "")
    head = "From: sam@example.org\nTo: ana@example.com\nMessage-ID: <p@example.org>\n\n"
    box = tmp_path_factory.mktemp("mbox") / "p.mbox"
    mail.write_mbox([(head + body).encode()], box)
    (found,) = read(box)
    assert whole((head + body).encode()) == found.data
