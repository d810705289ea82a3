"""A copy in the Sent folder after sending over SMTP (--save-sent), filed once, against Dovecot."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from infoview import Contact, Draft
from infoview.cli import main
from infoview.mail.outbox import outgoing
from infoview.mailbox import save_sent
from tests import _imapserver
from tests._imapserver import START, Dovecot, client, settings
from tests._mailserver import mail_server


def drafts() -> list[Draft]:
    """Two outreach drafts from Sam."""
    sam = Contact(name="Sam Rivera", email="sam@example.org")
    return [
        Draft(
            subject=f"20 minutes, {name}?",
            text=f"Hello {name},\n\nWould you have 20 minutes?\n\nSam",
            sender=sam,
            recipient=Contact(name=name, email=f"{name.lower()}@example.com"),
            date=START,
        )
        for name in ("Ana", "Bob")
    ]


def in_sent(server: Dovecot) -> dict[bytes, tuple[bytes, ...]]:
    """Each message in Sent: its bytes, and its flags."""
    imap = client(server)
    imap.select_folder("Sent", readonly=True)
    found = imap.fetch(imap.search("ALL"), ["FLAGS", "BODY.PEEK[]"])
    imap.logout()
    return {data[b"BODY[]"]: tuple(data[b"FLAGS"]) for data in found.values()}


def test_save_sent_files_each_message_once(dovecot: Dovecot) -> None:
    """The special-use Sent folder gets each message once, seen, with the bytes that were sent."""
    messages = list(outgoing(drafts()))
    first = save_sent(messages, settings(dovecot))
    assert [("Sent", True), ("Sent", True)] == [(f.folder, f.appended) for f in first]
    again = save_sent(messages, settings(dovecot))
    assert [False, False] == [f.appended for f in again]
    kept = in_sent(dovecot)
    assert sorted(m.data for m in messages) == sorted(kept)
    assert all(b"\\Seen" in flags for flags in kept.values())


def test_send_save_sent_on_the_command_line(dovecot: Dovecot, tmp_path: Path) -> None:
    """infoview send --save-sent: sent over SMTP, then copied to Sent; not without the flag."""
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    for n, draft in enumerate(drafts()):
        (outbox / f"{n}.eml").write_bytes(draft.as_bytes())
    db = tmp_path / "t.sqlite"
    runner = CliRunner()
    assert 0 == runner.invoke(main, ["me", "--name", "Sam", "--email", "sam@example.org",
                                     "--db", str(db)]).exit_code  # fmt: skip
    setup = runner.invoke(main, [
        "mailbox", "--host", dovecot.host, "--port", str(dovecot.tls_port),
        "--password-env", "IMAP_PASSWORD", "--cafile", str(dovecot.cafile), "--db", str(db),
    ])  # fmt: skip
    assert 0 == setup.exit_code, setup.output
    with mail_server() as (smtp, port):
        sent = runner.invoke(main, [
            "send", str(outbox), "--host", "127.0.0.1", "--port", str(port), "--security",
            "none", "--db", str(db), "--save-sent",
        ])  # fmt: skip
        assert 0 == sent.exit_code, sent.output
        assert 2 == sum(smtp.counts.values())
    assert 2 == sent.output.count("copied to Sent: <")
    assert 2 == len(in_sent(dovecot))
    _imapserver.empty(dovecot)
    with mail_server() as (smtp, port):
        other = tmp_path / "other"
        other.mkdir()
        (other / "a.eml").write_bytes(drafts()[0].as_bytes().replace(b"20 minutes", b"Twenty"))
        plain = runner.invoke(main, [
            "send", str(other), "--host", "127.0.0.1", "--port", str(port), "--security",
            "none", "--db", str(db),
        ])  # fmt: skip
        assert 0 == plain.exit_code, plain.output
    assert {} == in_sent(dovecot)
