"""Your own mailbox, against a real Dovecot: drafts into Drafts once, replies noticed by sync."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from infoview import Contact, Draft, Tracker
from infoview.cli import main
from infoview.errors import MailboxError, ValidationError
from infoview.mailbox import MailboxSettings, save_drafts, sync
from tests._imapserver import (
    START,
    Dovecot,
    append,
    client,
    journey,
    message,
    nudged,
    outreach_id,
    settings,
)


@pytest.fixture
def tracker(tmp_path: Path) -> Iterator[Tracker]:
    """A tracker where outreach to Ana and Bob went out at START."""
    with journey(tmp_path / "t.sqlite") as opened:
        yield opened


def test_drafts_are_appended_once_flagged_and_unchanged(dovecot: Dovecot) -> None:
    """Each draft is in Drafts once, flagged \\Draft, with the bytes infoview wrote."""
    sender = Contact(name="Sam Rivera", email="sam@example.org")
    drafts = [
        Draft(
            subject=f"20 minutes, {name}?",
            text=f"Hello {name},\n\nWould you have 20 minutes?\n\nSam",
            sender=sender,
            recipient=Contact(name=name, email=f"{name.lower()}@example.com"),
            date=START,
        )
        for name in ("Ana", "Bob")
    ]
    first = save_drafts(drafts, settings(dovecot))
    assert [True, True] == [saved.appended for saved in first]
    assert ["Drafts", "Drafts"] == [saved.folder for saved in first]
    again = save_drafts(drafts, settings(dovecot))
    assert [False, False] == [saved.appended for saved in again]
    imap = client(dovecot)
    imap.select_folder("Drafts", readonly=True)
    uids = imap.search("ALL")
    fetched = imap.fetch(uids, ["FLAGS", "BODY.PEEK[]"])
    imap.logout()
    assert 2 == len(uids)
    assert all(b"\\Draft" in fetched[uid][b"FLAGS"] for uid in uids)
    assert sorted(d.as_bytes() for d in drafts) == sorted(fetched[u][b"BODY[]"] for u in uids)


def test_drafts_go_to_a_named_folder_over_starttls(dovecot: Dovecot) -> None:
    """--folder names the folder; STARTTLS on port 143's stand-in works as TLS does."""
    imap = client(dovecot)
    imap.create_folder("Entwürfe")
    imap.logout()
    draft = Draft(
        subject="Hallo",
        text="Hallo Ana",
        sender=Contact(name="Sam", email="sam@example.org"),
        recipient=Contact(name="Ana", email="a@x.de"),
    )
    chosen = settings(dovecot, security="starttls", port=dovecot.starttls_port)
    (saved,) = save_drafts([draft], chosen, folder="Entwürfe")
    assert ("Entwürfe", True) == (saved.folder, saved.appended)
    with pytest.raises(MailboxError, match="no folder 'Nowhere'"):
        save_drafts([draft], chosen, folder="Nowhere")


def test_settings_refuse_what_cannot_work() -> None:
    """A port out of range, or a security infoview does not speak, names the field."""
    with pytest.raises(ValidationError, match=r"MailboxSettings\.port.*1 to 65535"):
        MailboxSettings("imap.example.com", port=70000)
    with pytest.raises(ValidationError, match=r"MailboxSettings\.security.*'tls'"):
        MailboxSettings("imap.example.com", security="none")  # type: ignore[arg-type]
    assert 993 == MailboxSettings("imap.example.com").effective_port
    assert 143 == MailboxSettings("imap.example.com", security="starttls").effective_port


def test_certificate_and_login_are_checked(dovecot: Dovecot) -> None:
    """A server whose CA is not trusted, or a wrong password, stops with one clear error."""
    draft = Draft(
        subject="Hi",
        text="Hi",
        sender=Contact(name="Sam", email="sam@example.org"),
        recipient=Contact(name="Ana", email="a@x.org"),
    )
    with pytest.raises(MailboxError, match=r"TLS failed.*--cafile"):
        save_drafts([draft], settings(dovecot, cafile=None))
    with pytest.raises(MailboxError, match=r"login refused for sam@example\.org"):
        save_drafts([draft], settings(dovecot), password="wrong")  # noqa: S106 - a wrong one on purpose
    with pytest.raises(MailboxError, match=r"IMAP_MISSING.*is not set"):
        save_drafts([draft], settings(dovecot, password_env="IMAP_MISSING"))  # noqa: S106 - a name


def test_a_reply_drops_the_nudge_and_an_absence_note_does_not(
    dovecot: Dovecot, tracker: Tracker
) -> None:
    """Ana's reply is recorded (no nudge); Bob's out-of-office is noted, and his nudge stays."""
    assert ["Ana García", "Bob Li"] == nudged(tracker)
    reply = message(in_reply_to=outreach_id(tracker, "ana"))
    absent = message(
        sender="Bob Li <bob@example.com>",
        subject="Automatic reply: 20 minutes?",
        in_reply_to=outreach_id(tracker, "bob"),
        extra="Auto-Submitted: auto-replied",
        body="I am out of the office until January.",
    )
    append(dovecot, [reply, absent], START + timedelta(days=3))
    report = sync(tracker, settings(dovecot))
    assert ["Ana García"] == [n.name for n in report.replies]
    assert ["Bob Li"] == [n.name for n in report.automatic]
    assert ["Bob Li"] == nudged(tracker)
    steps = [(s.kind, s.text) for s in tracker.timeline("ana")]
    assert ("replied", "Re: 20 minutes? — Happy to talk next week.") in steps
    assert START + timedelta(days=3) == tracker.interview("ana").replied_at
    assert tracker.interview("bob").replied_at is None
    assert any("automatic answer" in (s.text or "") for s in tracker.timeline("bob"))


def test_a_reply_by_address_alone_counts_after_the_outreach(
    dovecot: Dovecot, tracker: Tracker
) -> None:
    """A new message from Ana (no threading) after the outreach is her reply; before, it is not."""
    append(dovecot, [message(subject="Earlier note")], START - timedelta(days=5))
    append(dovecot, [message(subject="About your note")], START + timedelta(days=2))
    report = sync(tracker, settings(dovecot))
    assert ["About your note"] == [n.subject for n in report.replies]
    assert ["Bob Li"] == nudged(tracker)


def test_your_own_messages_are_never_replies(dovecot: Dovecot, tracker: Tracker) -> None:
    """A copy of your own mail on Ana's thread (From you) is not her reply."""
    own = message(sender="Sam Rivera <SAM@example.org>", in_reply_to=outreach_id(tracker, "ana"))
    append(dovecot, [own], START + timedelta(days=1))
    append(dovecot, [own], START + timedelta(days=1), folder="Sent")
    report = sync(tracker, settings(dovecot), folders=("INBOX", "Sent"))
    assert () == report.noticed
    assert ["Ana García", "Bob Li"] == nudged(tracker)


def test_sync_twice_records_once_and_survives_uidvalidity(
    dovecot: Dovecot, tracker: Tracker
) -> None:
    """A second sync reads nothing new; after the server renumbers INBOX, nothing is doubled."""
    append(dovecot, [message(in_reply_to=outreach_id(tracker, "ana"))], START + timedelta(days=3))
    assert 1 == len(sync(tracker, settings(dovecot)).replies)
    again = sync(tracker, settings(dovecot))
    assert (0, ()) == (again.read, again.noticed)
    dovecot.doveadm("mailbox", "update", "-u", dovecot.user, "--uid-validity", "4242", "INBOX")
    append(dovecot, [message(sender="bob@example.com", subject="Sure")], START + timedelta(days=4))
    renumbered = sync(tracker, settings(dovecot))
    assert ("INBOX",) == renumbered.restarted
    assert 2 == renumbered.read
    assert ["Bob Li"] == [n.name for n in renumbered.replies]
    replied = [s for s in tracker.timeline("ana") if s.kind == "replied"]
    assert 1 == len(replied)
    assert [] == nudged(tracker)


def test_a_sync_stopped_midway_keeps_what_it_recorded(dovecot: Dovecot, tracker: Tracker) -> None:
    """A folder missing after INBOX stops the sync; INBOX's reply stays recorded, once."""
    append(dovecot, [message(in_reply_to=outreach_id(tracker, "ana"))], START + timedelta(days=3))
    with pytest.raises(MailboxError, match="no folder 'Archive'"):
        sync(tracker, settings(dovecot), folders=("INBOX", "Archive"))
    assert ["Bob Li"] == nudged(tracker)
    again = sync(tracker, settings(dovecot))
    assert (0, ()) == (again.read, again.noticed)
    assert 1 == len([s for s in tracker.timeline("ana") if s.kind == "replied"])


def test_forget_erases_what_sync_kept(dovecot: Dovecot, tracker: Tracker) -> None:
    """Forgetting Ana erases the Message-IDs of her replies that sync kept."""
    append(dovecot, [message(in_reply_to=outreach_id(tracker, "ana"))], START + timedelta(days=3))
    assert 1 == len(sync(tracker, settings(dovecot)).replies)
    tracker.forget("ana")
    db = sqlite3.connect(tracker.path)
    assert [(0,)] == db.execute("SELECT count(*) FROM mailbox_seen").fetchall()
    db.close()


def run(*args: str | Path, **env: str) -> Result:
    """Run ``infoview ARGS`` in-process."""
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="infoview", env=env)


def test_the_command_line_drafts_into_drafts_and_syncs(dovecot: Dovecot, tmp_path: Path) -> None:
    """mailbox, outreach --to-drafts, sync and today: the whole round on the command line."""
    db = tmp_path / "cli.sqlite"
    now = {"INFOVIEW_NOW": START.isoformat()}
    assert (
        0 == run("me", "--name", "Sam Rivera", "--email", "sam@example.org", "--db", db).exit_code
    )
    people = tmp_path / "people.csv"
    people.write_text("Name,Email,School,Source\nAna García,ana@example.com,State U,alumni\n")
    assert 0 == run("add", "csv", people, "--db", db).exit_code
    setup = run(
        "mailbox", "--host", dovecot.host, "--port", str(dovecot.tls_port),
        "--password-env", "IMAP_PASSWORD", "--cafile", dovecot.cafile, "--db", db,
    )  # fmt: skip
    assert 0 == setup.exit_code, setup.output
    assert f"Mailbox: sam@example.org at 127.0.0.1:{dovecot.tls_port} (tls)" in setup.output
    drafted = run("outreach", "--new", "--to-drafts", "--db", db, **now)
    assert 0 == drafted.exit_code, drafted.output
    assert "saved to Drafts: Ana García" in drafted.output
    with Tracker(db) as tracker:
        (sent,) = tracker.messages("ana")
        tracker.sent(sent.message_id, START)
    assert sent.written_to == f"imap://sam@example.org@127.0.0.1:{dovecot.tls_port}/Drafts"
    append(dovecot, [message(in_reply_to=sent.message_id)], START + timedelta(days=2))
    later = {"INFOVIEW_NOW": (START + timedelta(days=20)).isoformat()}
    assert "nudge: Ana García" in run("today", "--db", db, **now | later).output
    synced = run("sync", "--db", db, **later)
    assert 0 == synced.exit_code, synced.output
    assert "reply from Ana García <ana@example.com>" in synced.output
    assert "1 reply, 0 automatic (1 new messages read)" in synced.output
    assert "nudge: Ana García" not in run("today", "--db", db, **later).output


def test_the_command_line_says_what_is_missing(dovecot: Dovecot, tmp_path: Path) -> None:
    """sync without a mailbox set up, or with a password that does not work, is one Error line."""
    db = tmp_path / "cli.sqlite"
    missing = run("sync", "--db", db)
    assert 2 == missing.exit_code
    assert "Error: no mailbox is set up in this tracker" in missing.output
    run(
        "mailbox", "--host", dovecot.host, "--port", str(dovecot.tls_port), "--user",
        dovecot.user, "--cafile", dovecot.cafile, "--db", db,
    )  # fmt: skip
    refused = CliRunner().invoke(main, ["sync", "--db", str(db)], input="wrong\n")
    assert 2 == refused.exit_code
    assert "Error: 127.0.0.1: login refused for sam@example.org" in refused.output
    assert "wrong" not in refused.output.replace("Password", "")
