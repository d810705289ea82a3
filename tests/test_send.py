"""Sending to a real SMTP server (aiosmtpd on 127.0.0.1): what arrives, TLS, login, the journal."""

from __future__ import annotations

import ssl
from email import message_from_bytes, policy
from pathlib import Path

import attrs
import pytest
import trustme

import infoview
from infoview import Contact, Draft, SMTPSettings, bulk
from infoview.mail.outbox import MessageError, Outgoing
from infoview.model import samples
from infoview.sending import Backoff, Rate, Result, SendError, mark_requested
from infoview.sending.journal import Journal, JournalError, State
from tests._mailserver import free_port, mail_server, message_id, outreach

FAST = Backoff(attempts=3, initial=0.01, maximum=0.02, jitter=0)


def plain(port: int) -> SMTPSettings:
    """Settings for the test server without TLS or login."""
    return SMTPSettings("127.0.0.1", port, "none", timeout=5)


def test_messages_arrive_intact(tmp_path: Path) -> None:
    """The server receives the drafted bytes unchanged, dot lines and all, from the sender."""
    drafts = [d for _, d in outreach(3)]
    with mail_server() as (server, port):
        report = infoview.send(drafts, smtp=plain(port), journal=tmp_path / "j", backoff=FAST)
    assert (3, True) == (report.sent, report.ok)
    sent = [o.message.data for o in report.outcomes]
    assert sent == [data for _, _, data in server.received]
    for (sender, recipients, data), draft in zip(server.received, drafts, strict=True):
        parsed = message_from_bytes(data, policy=policy.default)
        assert "sam@example.org" == sender
        assert draft.envelope_recipients == recipients
        assert draft.subject == parsed["Subject"]
        assert draft.text == parsed.get_content().replace("\r\n", "\n")
        assert draft.message_id == parsed["Message-ID"]


def test_bcc_goes_in_the_envelope_only(tmp_path: Path) -> None:
    """A blind copy gets the message; the data sent never names it."""
    _, draft = outreach(1)[0]
    draft = draft.with_changes(bcc=[Contact(name="Secret Mentor", email="mentor@example.net")])
    with mail_server() as (server, port):
        infoview.send([draft], smtp=plain(port), journal=tmp_path / "j")
    ((_, recipients, data),) = server.received
    assert ["alex1@example.com", "mentor@example.net"] == recipients
    assert b"mentor" not in data.lower()
    assert b"bcc:" not in data.lower()  # "bcc" alone may turn up in a hex Message-ID


def test_a_bcc_header_in_a_file_is_taken_out(tmp_path: Path) -> None:
    """A message file with a Bcc header: the header leaves the data, the address the envelope."""
    _, draft = outreach(1)[0]
    raw = b"Bcc: Hidden <hidden@example.net>,\r\n  other@example.net\r\n" + draft.as_bytes()
    with mail_server() as (server, port):
        infoview.send([raw], smtp=plain(port), journal=tmp_path / "j")
    ((_, recipients, data),) = server.received
    assert ["alex1@example.com", "hidden@example.net", "other@example.net"] == recipients
    assert draft.as_bytes().split(b"Date:")[0] == data.split(b"Date:")[0]
    assert b"hidden" not in data.lower()


def test_starttls_and_login_with_the_password_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """STARTTLS with a certificate made here, then AUTH with the password from the environment."""
    ca = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_context)
    client_context = ssl.create_default_context()
    ca.configure_trust(client_context)
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "s3cret app password")
    settings = SMTPSettings(
        "127.0.0.1",
        user="sam",
        password_env="TEST_SMTP_PASSWORD",  # noqa: S106 - a variable's name
        ssl_context=client_context,
        timeout=5,
    )
    journal = tmp_path / "j"
    secret = "s3cret app password"  # noqa: S105 - a test password
    with mail_server(tls_context=server_context, password=secret) as (server, p):
        settings = attrs.evolve(settings, port=p)
        report = infoview.send([outreach(1)[0][1]], smtp=settings, journal=journal)
    assert 1 == report.sent
    assert [("sam", "s3cret app password")] == server.logins
    assert "s3cret" not in repr(settings)
    assert b"s3cret" not in b"".join(f.read_bytes() for f in tmp_path.iterdir())


def test_an_untrusted_certificate_stops_before_anything_is_sent(tmp_path: Path) -> None:
    """A certificate the client does not trust is a SendError, not a silent fallback to clear."""
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    trustme.CA().issue_cert("127.0.0.1").configure_cert(server_context)
    with (
        mail_server(tls_context=server_context) as (server, port),
        pytest.raises(SendError, match="TLS failed"),
    ):
        infoview.send(
            [outreach(1)[0][1]],
            smtp=SMTPSettings("127.0.0.1", port, timeout=5),
            journal=tmp_path / "j",
        )
    assert [] == server.received


def test_no_password_in_clear(tmp_path: Path) -> None:
    """Without TLS a login is refused on our side: the password never leaves."""
    with (
        mail_server() as (server, port),
        pytest.raises(SendError, match="never sends a password in clear"),
    ):
        infoview.send(
            [outreach(1)[0][1]],
            smtp=SMTPSettings("127.0.0.1", port, user="sam", timeout=5),
            journal=tmp_path / "j",
            password="hunter2",  # noqa: S106 - a test password
        )
    assert ([], []) == (server.received, server.logins)


def test_a_missing_password_variable_is_said_before_connecting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A user without a password set in the environment: a clear error, nothing done."""
    monkeypatch.delenv("NO_SUCH_PASSWORD", raising=False)
    name = "NO_SUCH_PASSWORD"
    settings = SMTPSettings("127.0.0.1", free_port(), user="sam", password_env=name)
    with pytest.raises(SendError, match=r"NO_SUCH_PASSWORD .* is not set"):
        infoview.send([outreach(1)[0][1]], smtp=settings, journal=tmp_path / "j")
    assert not (tmp_path / "j").exists()


def test_a_rerun_skips_what_was_sent(tmp_path: Path) -> None:
    """The same outbox sent twice with one journal: each message arrives once."""
    bulk.write_folder([d for _, d in outreach(4)], tmp_path / "outbox")
    with mail_server() as (server, port):
        first = infoview.send(tmp_path / "outbox", smtp=plain(port), journal=tmp_path / "j")
        second = infoview.send(tmp_path / "outbox", smtp=plain(port), journal=tmp_path / "j")
    assert (4, 0) == (first.sent, first.count(Result.SKIPPED))
    assert (0, 4, True) == (second.sent, second.count(Result.SKIPPED), second.ok)
    assert {1} == set(server.counts.values())
    assert [o.accepted_at for o in first.outcomes] == [o.accepted_at for o in second.outcomes]


def test_a_changed_message_is_reported_not_sent(tmp_path: Path) -> None:
    """Same Message-ID, other content after it was sent: "changed", and nothing goes out."""
    _, draft = outreach(1)[0]
    with mail_server() as (server, port):
        infoview.send([draft], smtp=plain(port), journal=tmp_path / "j")
        report = infoview.send(
            [draft.with_changes(text=draft.text + "P.S. one more thing\n")],
            smtp=plain(port),
            journal=tmp_path / "j",
        )
    assert [Result.CHANGED] == [o.result for o in report.outcomes]
    assert not report.ok
    assert 1 == len(server.received)


def test_the_same_message_drafted_again_is_not_sent_twice(tmp_path: Path) -> None:
    """A script run again makes new Message-IDs and Dates: the content still tells."""
    _, draft = outreach(1)[0]
    again = Draft(
        subject=draft.subject, text=draft.text, recipient=draft.recipient, sender=draft.sender
    )
    assert again.message_id != draft.message_id
    with mail_server() as (server, port):
        infoview.send([draft], smtp=plain(port), journal=tmp_path / "j")
        report = infoview.send([again], smtp=plain(port), journal=tmp_path / "j")
    ((outcome),) = report.outcomes
    assert Result.SKIPPED is outcome.result
    assert draft.message_id in outcome.detail
    assert 1 == len(server.received)


def test_a_message_without_message_id_is_refused(tmp_path: Path) -> None:
    """No Message-ID, no journal key: refused with a clear error before anything is sent."""
    good = outreach(1)[0][1].as_bytes()
    bad = b"From: sam@example.org\r\nTo: ana@example.com\r\nSubject: hi\r\n\r\nHello\r\n"
    with (
        mail_server() as (server, port),
        pytest.raises(MessageError, match="message 2: has no Message-ID"),
    ):
        infoview.send([good, bad], smtp=plain(port), journal=tmp_path / "j")
    assert [] == server.received


def test_an_mbox_is_sent_as_written(tmp_path: Path) -> None:
    """Messages from an mbox arrive with CRLF line ends and their "From " lines unquoted."""
    drafts = [d for _, d in outreach(2)]
    bulk.write_drafts_mbox(drafts, tmp_path / "outbox.mbox")
    with mail_server() as (server, port):
        report = infoview.send(tmp_path / "outbox.mbox", smtp=plain(port), journal=tmp_path / "j")
    assert 2 == report.sent
    assert [d.as_bytes().split(b"\r\n\r\n", 1)[1] for d in drafts] == [
        data.split(b"\r\n\r\n", 1)[1] for _, _, data in server.received
    ]


def test_a_dry_run_connects_nowhere_and_writes_nothing(tmp_path: Path) -> None:
    """No server is listening and no journal is made; each message says whom it would go to."""
    report = infoview.send(
        [d for _, d in outreach(3)],
        smtp=plain(free_port()),
        journal=tmp_path / "j",
        dry_run=True,
    )
    assert [Result.WOULD_SEND] * 3 == [o.result for o in report.outcomes]
    assert (
        "→ alex2@example.com  (Subject: Fellow alum: 20 minutes? (2))" in report.outcomes[1].line()
    )
    assert "3 would send, 0 skipped, 0 failed, 0 unknown" == report.summary()
    assert not (tmp_path / "j").exists()


def test_rate_spaces_the_messages(tmp_path: Path) -> None:
    """At 20/min, three messages are 3 s apart (on a clock the test turns)."""
    now = [0.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(round(seconds, 6))
        now[0] += seconds

    rate = Rate(20, 60, clock=lambda: now[0], sleep=sleep)
    with mail_server() as (_, port):
        infoview.send(
            [d for _, d in outreach(3)], smtp=plain(port), journal=tmp_path / "j", rate=rate
        )
    assert [3.0, 3.0] == waits
    assert (1.0, 60.0) == (Rate.parse("1/s").interval, Rate.parse("60 / hour").interval)
    with pytest.raises(ValueError, match="not a rate"):
        Rate.parse("fast")


def test_sent_outreach_marks_its_interview_requested_at_acceptance(tmp_path: Path) -> None:
    """Requested at the time the server accepted it; a nudge or another sender marks nothing."""
    pairs = outreach(2)
    other = infoview.Interview(
        contact=pairs[1][0].contact,
        sender=Contact(name="Kim Lee", email="kim@example.org"),
    )
    nudge = pairs[1][1].with_changes(
        in_reply_to="<earlier@example.org>", message_id="<nudge@example.org>", text="Any news?"
    )
    with mail_server() as (_, port):
        report = infoview.send([pairs[0][1], nudge], smtp=plain(port), journal=tmp_path / "j")
    interviews = [pairs[0][0], pairs[1][0], other]
    assert [pairs[0][0]] == mark_requested(interviews, report)
    with Journal(tmp_path / "j") as journal:
        entry = journal.get(pairs[0][1].message_id)
    assert entry is not None
    assert entry.accepted_at is not None
    assert entry.accepted_at == pairs[0][0].requested_at
    assert ["requested", "identified", "identified"] == [i.status for i in interviews]


def test_journal_states_and_history(tmp_path: Path) -> None:
    """The journal moves pending → sending → sent and keeps every move."""
    message = Outgoing.from_draft(outreach(1)[0][1])
    with Journal(tmp_path / "j") as journal:
        journal.add(
            message.message_id,
            sha256=message.sha256,
            fingerprint=message.fingerprint,
            sender=message.sender,
            recipients=message.recipients,
        )
        journal.sending(message.message_id)
        journal.pending(message.message_id, "421 try later")
        journal.sending(message.message_id)
        journal.sent(message.message_id, "250 ok", samples.interview().scheduled_at)  # type: ignore[arg-type]
        entry = journal.get(message.message_id)
        history = [state for _, state, _ in journal.events(message.message_id)]
    assert entry is not None
    assert (State.SENT, 2, "250 ok") == (entry.state, entry.attempts, entry.reply)
    assert [State.SENDING, State.PENDING, State.SENDING, State.SENT] == history


def test_a_journal_is_written_by_one_run_at_a_time(tmp_path: Path) -> None:
    """A second run on the same journal is refused while the first holds it."""
    with Journal(tmp_path / "j"), pytest.raises(JournalError, match="another run"):
        Journal(tmp_path / "j")
    with Journal(tmp_path / "j") as again:
        assert 0 == sum(again.counts().values())


def test_another_sqlite_file_is_not_taken_for_a_journal(tmp_path: Path) -> None:
    """An SQLite file of something else is refused, not written into."""
    import sqlite3

    other = tmp_path / "app.db"
    db = sqlite3.connect(other)
    try:
        db.execute("CREATE TABLE things (x)")
        db.commit()
    finally:
        db.close()  # "with" commits but leaves it open: a ResourceWarning on 3.13
    with pytest.raises(JournalError, match="not an infoview send journal"):
        Journal(other)


def test_drafts_without_recipient_are_refused() -> None:
    """A message without To, Cc or Bcc cannot be sent."""
    raw = b"From: sam@example.org\r\nMessage-ID: <a@example.org>\r\n\r\nHi\r\n"
    with pytest.raises(MessageError, match="no recipient"):
        Outgoing.from_bytes(raw, "x.eml")
    assert "<a@example.org>" == message_id(raw)
