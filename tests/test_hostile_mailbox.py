"""Hostile mail in your mailbox: forged threads and senders, header tricks, broken messages, floods.

Whatever arrives, sync records a reply only from the person's own address,
keeps what it records to one clean line, never crashes, and reads only
what is new.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from infoview import Tracker
from infoview.mailbox import sync
from tests._imapserver import (
    START,
    Dovecot,
    append,
    journey,
    message,
    nudged,
    outreach_id,
    settings,
)

ARRIVED = START + timedelta(days=3)


@pytest.fixture
def tracker(tmp_path: Path) -> Iterator[Tracker]:
    """A tracker where outreach to Ana and Bob went out at START."""
    with journey(tmp_path / "t.sqlite") as opened:
        yield opened


def replied(tracker: Tracker, who: str) -> list[str | None]:
    """The notes of the replies recorded for ``who``."""
    return [step.text for step in tracker.timeline(who) if step.kind == "replied"]


def test_a_forged_thread_from_another_address_is_not_their_reply(
    dovecot: Dovecot, tracker: Tracker
) -> None:
    """In-Reply-To pointing at Ana's outreach, from Mallory: reported, not recorded as Ana's."""
    forged = message(
        sender="Ana García <mallory@evil.example>", in_reply_to=outreach_id(tracker, "ana")
    )
    append(dovecot, [forged], ARRIVED)
    report = sync(tracker, settings(dovecot))
    assert () == report.replies
    assert [("other address", "mallory@evil.example")] == [
        (n.kind, n.sender) for n in report.noticed
    ]
    assert "not taken as their reply" in report.noticed[0].line()
    assert [] == replied(tracker, "ana")
    assert ["Ana García", "Bob Li"] == nudged(tracker)


ANA_B64 = base64.b64encode(b"ana@example.com").decode()
FORGED_SENDERS = [
    "=?utf-8?q?ana=40example.com?= <mallory@evil.example>",
    f"=?utf-8?b?{ANA_B64}?=",
    "ana@example.com <mallory@evil.example>",
    '"ana@example.com" <mallory@evil.example>',
    "mallory@evil.example,\r\n ana@example.com",
    "Ana <ana@example.com>\r\nFrom: Mallory <mallory@evil.example>",
    "ana@example.com\r\n (comment) <mallory@evil.example>",
    "",
]


@pytest.mark.parametrize("sender", FORGED_SENDERS)
def test_encoded_words_and_line_breaks_in_from_make_no_reply(
    dovecot: Dovecot, tracker: Tracker, sender: str
) -> None:
    """A From that only looks like Ana's (or names two senders, or none) is nobody's reply."""
    append(dovecot, [message(sender=sender, subject="Sure, let's talk")], ARRIVED)
    report = sync(tracker, settings(dovecot))
    assert [] == [n for n in report.noticed if n.kind != "other address"]
    assert [] == replied(tracker, "ana")
    assert ["Ana García", "Bob Li"] == nudged(tracker)


def test_a_hostile_subject_is_kept_as_one_clean_line(dovecot: Dovecot, tracker: Tracker) -> None:
    """Encoded line breaks, a Bcc, bidi overrides and NULs in Ana's reply's subject stay out."""
    crlf = base64.b64encode("Yes\r\nBcc: all@evil.example\r\n\u202eevil\x00".encode()).decode()
    subject = f"=?utf-8?b?{crlf}?= =?utf-8?q?more=0D=0Atext?=\r\n =?x-unknown?q?odd?="
    body = "Gladly.\r\n=?utf-8?q?ab=0Acd?= \u202e \x07\r\n"
    append(dovecot, [message(subject=subject, body=body)], ARRIVED)
    report = sync(tracker, settings(dovecot))
    (note,) = replied(tracker, "ana")
    assert note is not None
    assert ["Ana García"] == [n.name for n in report.replies]
    for bad in ("\r", "\n", "\x00", "\x07", "\u202e", "=?", "?="):
        assert bad not in note
    assert note.startswith("Yes Bcc: all@evil.example")
    assert ["Bob Li"] == nudged(tracker)


MALFORMED = [
    b"\r\n",  # Dovecot refuses a message of zero bytes
    b"no headers at all, just text\r\n",
    b"\x00\xff\xfe binary \x00 noise\r\n\r\n\x00",
    (
        b"From: ana@example.com\r\nSubject: broken MIME\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n'
        b"Content-Type: text/plain; charset=x-no-such-charset\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n%%%not base64%%%\r\n--b"
    ),
    (
        b"From: ana@example.com\r\nSubject: =?utf-8?b?////?=\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n\xff\xfe\xfd not utf-8\r\n"
    ),
    b"From: ana@example.com\r\nIn-Reply-To: "
    + b"<x@y> " * 2000
    + b"\r\nSubject: many ids\r\n\r\nok",
    b"From: ana@example.com\r\nSubject: header without end" + b" x" * 10000,
]


def test_malformed_messages_crash_nothing(dovecot: Dovecot, tracker: Tracker) -> None:
    """Empty, header-less, binary and broken-MIME messages: nothing crashes; Ana's count as hers."""
    append(dovecot, MALFORMED, ARRIVED)
    report = sync(tracker, settings(dovecot))
    assert len(MALFORMED) == report.read
    assert {"ana@example.com"} == {n.email for n in report.noticed}
    assert len(report.replies) == len(replied(tracker, "ana"))
    assert 4 == len(report.replies)
    assert ["Bob Li"] == nudged(tracker)


def test_two_thousand_unrelated_messages_then_nothing_new(
    dovecot: Dovecot, tracker: Tracker
) -> None:
    """2,000 strangers' messages and one reply: one recorded; the next sync reads nothing."""
    noise = [
        message(sender=f"News {n} <news{n}@lists.example>", subject=f"Issue {n}", body="x" * 500)
        for n in range(2000)
    ]
    append(dovecot, noise[:1000], ARRIVED)
    append(dovecot, [message(sender="bob@example.com", subject="Happy to help")], ARRIVED)
    append(dovecot, noise[1000:], ARRIVED)
    report = sync(tracker, settings(dovecot))
    assert (2001, ["Bob Li"]) == (report.read, [n.name for n in report.replies])
    assert ["Ana García"] == nudged(tracker)
    again = sync(tracker, settings(dovecot))
    assert (0, ()) == (again.read, again.noticed)
