"""Bounces and replies that need an answer: delivery reports in INBOX, and what today lists."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from infoview import Draft, Tracker
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

ARRIVED = START + timedelta(days=1)


@pytest.fixture
def tracker(tmp_path: Path) -> Iterator[Tracker]:
    """A tracker where outreach to Ana and Bob went out at START."""
    with journey(tmp_path / "t.sqlite") as opened:
        yield opened


def dsn(
    recipient: str, original_id: str, *, action: str = "failed", status: str = "5.1.1"
) -> bytes:
    """A delivery status notification as Postfix writes it (RFC 3464, multipart/report)."""
    boundary = uuid.uuid4().hex
    lines = [
        "Return-Path: <>",
        "From: MAILER-DAEMON@mx.example.com (Mail Delivery System)",
        "To: sam@example.org",
        "Subject: Undelivered Mail Returned to Sender",
        "Date: Mon, 07 Dec 2026 10:00:00 +0000",
        f"Message-ID: <{uuid.uuid4().hex}@mx.example.com>",
        "Auto-Submitted: auto-replied",
        "MIME-Version: 1.0",
        f'Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"',
        "",
        f"--{boundary}",
        "Content-Type: text/plain; charset=us-ascii",
        "",
        "This is the mail system at host mx.example.com.",
        "",
        "I'm sorry to have to inform you that your message could not",
        "be delivered to one or more recipients.",
        "",
        f"<{recipient}>: host mx.example.com said: 550 5.1.1 User unknown",
        "",
        f"--{boundary}",
        "Content-Type: message/delivery-status",
        "",
        "Reporting-MTA: dns; mx.example.com",
        "Arrival-Date: Mon, 07 Dec 2026 09:59:58 +0000",
        "",
        f"Final-Recipient: rfc822; {recipient}",
        f"Original-Recipient: rfc822;{recipient}",
        f"Action: {action}",
        f"Status: {status}",
        "Remote-MTA: dns; mx.example.com",
        f"Diagnostic-Code: smtp; {status[0]}50 {status} User unknown",
        "",
        f"--{boundary}",
        "Content-Type: text/rfc822-headers",
        "",
        "From: Sam Rivera <sam@example.org>",
        f"To: {recipient}",
        "Subject: 20 minutes?",
        f"Message-ID: {original_id}",
        "",
        f"--{boundary}--",
        "",
    ]
    return "\r\n".join(lines).encode()


def test_a_bounce_for_a_tracked_message_marks_the_address(
    dovecot: Dovecot, tracker: Tracker
) -> None:
    """Ana's outreach bounced: her timeline says so, and today asks you to check her address."""
    append(dovecot, [dsn("ana@example.com", outreach_id(tracker, "ana"))], ARRIVED)
    report = sync(tracker, settings(dovecot))
    assert ["Ana García"] == [n.name for n in report.bounces]
    assert () == report.replies
    (step,) = [s for s in tracker.timeline("ana") if s.kind == "bounced"]
    assert "ana@example.com bounced: Undelivered Mail Returned to Sender" == step.text
    assert ARRIVED == step.at
    (warning,) = [a for a in tracker.today().attention if a.kind == "bounced"]
    assert "Ana García" == warning.name
    assert str(warning).startswith("bounced: mail to Ana García")
    assert "1 bounced" in report.summary()
    again = sync(tracker, settings(dovecot))
    assert () == again.noticed


def test_reports_that_are_not_about_a_tracked_message_record_nothing(
    dovecot: Dovecot, tracker: Tracker
) -> None:
    """A bounce quoting someone else's message, a delay notice, a stranger's bounce: nothing."""
    append(
        dovecot,
        [
            dsn("ana@example.com", "<not-ours@example.org>"),
            dsn("bob@example.com", outreach_id(tracker, "bob"), action="delayed", status="4.4.1"),
            dsn("eve@example.net", outreach_id(tracker, "ana")),
            dsn("bob@example.com", outreach_id(tracker, "ana")),  # Bob's address, Ana's thread
        ],
        ARRIVED,
    )
    report = sync(tracker, settings(dovecot))
    assert () == report.bounces
    assert [] == [s for who in ("ana", "bob") for s in tracker.timeline(who) if s.kind == "bounced"]
    assert () == tracker.today().attention


def test_today_lists_a_reply_until_something_is_sent_after_it(
    dovecot: Dovecot, tracker: Tracker
) -> None:
    """Ana's reply needs an answer; once you send her a message after it, it is off the list."""
    append(dovecot, [message(in_reply_to=outreach_id(tracker, "ana"))], ARRIVED)
    sync(tracker, settings(dovecot))
    listed = tracker.today()
    assert [("answer", "Ana García")] == [(a.kind, a.name) for a in listed.attention]
    assert str(listed).startswith(
        "answer: Ana García replied (" + ARRIVED.strftime("%Y-%m-%d") + "): Re: 20 minutes? — "
        "Happy to talk next week. → infoview show ana@example.com"
    )
    answer = Draft(
        subject="Re: 20 minutes?",
        text="Thank you, Ana! Tuesday at 10?",
        sender=tracker.sender,
        recipient=tracker.find("ana"),
        in_reply_to=outreach_id(tracker, "ana"),
    )
    tracker.record(answer, kind="note")
    assert ("answer",) == tuple(a.kind for a in tracker.today().attention)  # drafted, not sent
    tracker.sent(answer.message_id, ARRIVED + timedelta(hours=2))
    assert () == tracker.today().attention


def test_no_nudge_goes_to_an_address_that_bounced(tracker: Tracker) -> None:
    """Ana's address bounced: today nudges Bob only, until a message to Ana goes out again."""
    assert ["Ana García", "Bob Li"] == nudged(tracker)
    tracker.bounced("ana", at=ARRIVED, note="ana@example.com bounced")
    assert ["Bob Li"] == nudged(tracker)
    assert ["bounced"] == [a.kind for a in tracker.today().attention]
    again = Draft(
        subject="20 minutes?",
        text="Hello Ana, my first message did not reach you.",
        sender=tracker.sender,
        recipient=tracker.find("ana"),
    )
    tracker.record(again, kind="note")
    tracker.sent(again.message_id, ARRIVED + timedelta(hours=1))
    assert () == tracker.today().attention


def test_a_reply_recorded_in_the_persons_zone_needs_an_answer(tracker: Tracker) -> None:
    """A reply whose time names its zone (kept as RFC 9557 text) is listed, at that time."""
    from zoneinfo import ZoneInfo

    at = ARRIVED.astimezone(ZoneInfo("America/Chicago"))
    tracker.reply("ana", at=at, note="Happy to talk.")
    (answer,) = tracker.today().attention
    assert ("answer", "Ana García", at) == (answer.kind, answer.name, answer.at)
