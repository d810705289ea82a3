"""A real IMAP server for the mailbox tests: Dovecot on 127.0.0.1, configured in a temporary folder.

Set-up (once, as root; CI's ``.ci/run`` does it)::

    apt-get update && apt-get install -y dovecot-imapd

:func:`dovecot` writes a ``dovecot.conf`` into a fresh folder: one user in a
passwd file, maildir storage in that folder, Drafts and Sent mailboxes with
their special-use flags (RFC 6154), TLS required with a certificate made by
trustme — implicit TLS on one port, STARTTLS on another — and no chroot. Run
as root, the mail is owned by ``nobody``; run as anyone else, by that user.
Dovecot runs in the foreground (``dovecot -F``) and is stopped at the end.
"""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import attrs
import trustme
from imapclient import IMAPClient

from infoview import Contact, Source, Tracker
from infoview.mailbox import MailboxSettings
from tests._mailserver import free_port

USER = "sam@example.org"
PASSWORD = "correct horse battery staple"  # noqa: S105 - the test server's own login


@attrs.frozen
class Dovecot:
    """A running Dovecot: where it listens, whom it trusts, and how to reach its files."""

    host: str
    tls_port: int
    starttls_port: int
    cafile: Path
    config: Path
    folder: Path
    user: str = USER
    password: str = PASSWORD

    def doveadm(self, *args: str) -> str:
        """Run ``doveadm`` against this server for the user; return its output."""
        done = subprocess.run(
            ["doveadm", "-c", str(self.config), *args],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout


def _owner() -> tuple[int, int, str]:
    """The mail user: nobody when run as root, else whoever runs the tests."""
    if os.geteuid() == 0:
        entry = pwd.getpwnam("nobody")
        return entry.pw_uid, entry.pw_gid, "nobody"
    entry = pwd.getpwuid(os.geteuid())
    return entry.pw_uid, entry.pw_gid, entry.pw_name


def _wait(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"dovecot stopped: {log.read_text() if log.exists() else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("dovecot did not start listening within 20 s")


@contextmanager
def dovecot(introspection: str | None = None) -> Iterator[Dovecot]:
    """Start Dovecot on two free ports of 127.0.0.1; stop it and remove its folder at the end.

    With ``introspection`` (an http:// URL), Dovecot also takes XOAUTH2 and
    OAUTHBEARER logins, asking that URL (RFC 7662, POST) whether a token is
    valid and whose it is.
    """
    if shutil.which("dovecot") is None and os.geteuid() == 0 and shutil.which("apt-get"):
        # A fresh machine (the README's test command, run as root): install it once.
        quiet = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=quiet, capture_output=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "dovecot-imapd"],
            check=False,
            env=quiet,
            capture_output=True,
        )
    if shutil.which("dovecot") is None:
        raise RuntimeError("dovecot is not installed: apt-get install -y dovecot-imapd")
    # Not under pytest's tmp_path: that folder is readable by its owner only,
    # and the mail user (nobody) must reach its mail.
    folder = Path(tempfile.mkdtemp(prefix="infoview-dovecot-"))
    folder.chmod(0o755)
    uid, gid, login = _owner()
    root = os.geteuid() == 0
    try:
        authority = trustme.CA()
        cert = authority.issue_cert("127.0.0.1", "localhost")
        cert.private_key_and_cert_chain_pem.write_to_path(str(folder / "server.pem"))
        cafile = folder / "ca.pem"
        authority.cert_pem.write_to_path(str(cafile))
        home = folder / "home"
        home.mkdir()
        os.chown(home, uid, gid)
        (folder / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}:{uid}:{gid}::{home}\n")
        tls_port, starttls_port = free_port(), free_port()
        while starttls_port == tls_port:
            starttls_port = free_port()
        group = grp.getgrgid(gid).gr_name
        internal = ("dovecot", "dovenull") if root else (login, login)
        config = folder / "dovecot.conf"
        config.write_text(
            f"""
base_dir = {folder}/run
state_dir = {folder}/state
log_path = {folder}/dovecot.log
protocols = imap
listen = 127.0.0.1
default_internal_user = {internal[0]}
default_login_user = {internal[1]}
{"" if root else f"default_internal_group = {group}"}
ssl = required
ssl_cert = <{folder}/server.pem
ssl_key = <{folder}/server.pem
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = plain login{" xoauth2 oauthbearer" if introspection else ""}
{_oauth2(folder, introspection)}passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {folder}/passwd
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {folder}/passwd
}}
mail_location = maildir:~/Maildir
mail_uid = {uid}
mail_gid = {gid}
mail_privileged_group =
first_valid_uid = {min(uid, 1) if root else uid}
first_valid_gid = {min(gid, 1) if root else gid}
mail_chroot =
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Drafts {{
    special_use = \\Drafts
    auto = subscribe
  }}
  mailbox Sent {{
    special_use = \\Sent
    auto = subscribe
  }}
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {starttls_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
service pop3-login {{
  chroot =
}}
service submission-login {{
  chroot =
}}
"""
        )
        log = folder / "dovecot.log"
        process = subprocess.Popen(
            ["dovecot", "-F", "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait(tls_port, process, log)
            _wait(starttls_port, process, log)
            yield Dovecot("127.0.0.1", tls_port, starttls_port, cafile, config, folder)
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:  # pragma: no cover - a stuck server
                process.kill()
                process.wait(10)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _oauth2(folder: Path, introspection: str | None) -> str:
    """The passdb that checks OAuth 2 tokens with an introspection endpoint (none without one)."""
    if introspection is None:
        return ""
    (folder / "oauth2.conf.ext").write_text(
        f"introspection_mode = post\nintrospection_url = {introspection}\n"
        "username_attribute = username\nactive_attribute = active\nactive_value = true\n"
    )
    return (
        "auth_failure_delay = 0\n"
        "passdb {\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n"
        f"  args = {folder}/oauth2.conf.ext\n}}\n"
    )


# -- what the tests do with it ------------------------------------------------------------


def client(server: Dovecot) -> IMAPClient:
    """Return a client signed in to the server over TLS (the test's own, not infoview's)."""
    context = ssl.create_default_context(cafile=str(server.cafile))
    imap = IMAPClient(server.host, port=server.tls_port, ssl=True, ssl_context=context)
    imap.login(server.user, server.password)
    imap.normalise_times = False
    return imap


def empty(server: Dovecot) -> None:
    """Remove every message from INBOX, Drafts and Sent, and any other folder."""
    imap = client(server)
    try:
        for _, _, name in imap.list_folders():
            imap.select_folder(name)
            found = imap.search("ALL")
            if found:
                imap.delete_messages(found)
                imap.expunge()
            if name not in {"INBOX", "Drafts", "Sent"}:
                imap.close_folder()
                imap.delete_folder(name)
    finally:
        imap.logout()


def append(server: Dovecot, messages: list[bytes], at: datetime, folder: str = "INBOX") -> None:
    """Put messages in a folder in one command (MULTIAPPEND), as arrived at ``at``."""
    imap = client(server)
    try:
        answer = imap.multiappend(folder, [{"msg": data, "date": at} for data in messages])
        refused = isinstance(answer, tuple) and answer[0] != "OK"  # ("NO", [...]), not raised
        assert not refused, answer
    finally:
        imap.logout()


def settings(server: Dovecot, **changes: object) -> MailboxSettings:
    """Settings for the server: TLS on its port, its CA trusted, the password from IMAP_PASSWORD."""
    fields: dict[str, object] = {
        "host": server.host,
        "port": server.tls_port,
        "user": server.user,
        "password_env": "IMAP_PASSWORD",
        "cafile": str(server.cafile),
    }
    fields.update(changes)
    return MailboxSettings(**fields)  # type: ignore[arg-type]


#: A month ago: the outreach went out then, and the replies came in since.
START = datetime.now(UTC).replace(microsecond=0) - timedelta(days=30)


def journey(path: Path) -> Tracker:
    """Return a tracker where outreach to Ana and Bob went out at START; its clock 20 days on."""
    clock = [START]
    tracker = Tracker(path, clock=lambda: clock[0])
    tracker.sender = Contact(name="Sam Rivera", email="sam@example.org", school="State University")
    tracker.add(
        [
            Contact(
                name="Ana García", email="ana@example.com", school="State University",
                source=Source.ALUMNI,
            ),
            Contact(
                name="Bob Li", email="bob@example.com", school="State University",
                source=Source.ALUMNI,
            ),
        ]
    )  # fmt: skip
    for draft in tracker.outreach():
        tracker.record(draft)
        tracker.sent(draft.message_id, START)
    clock[0] = START + timedelta(days=20)
    return tracker


def outreach_id(tracker: Tracker, who: str) -> str:
    """The Message-ID of the outreach sent to ``who``."""
    return tracker.messages(who)[0].message_id


def nudged(tracker: Tracker) -> list[str]:
    """Whose nudge today lists, by name, sorted."""
    return sorted(line.name for line in tracker.today() if line.kind == "nudge")


def message(
    *,
    sender: str = "Ana García <ana@example.com>",
    subject: str = "Re: 20 minutes?",
    in_reply_to: str | None = None,
    body: str = "Happy to talk next week.\r\n\r\n> quoted outreach\r\n",
    extra: str = "",
    message_id: str | None = None,
) -> bytes:
    """Return a plain-text message's bytes, with the headers given (raw: nothing is checked)."""
    lines = [
        f"From: {sender}",
        "To: Sam Rivera <sam@example.org>",
        f"Subject: {subject}",
        "Date: Mon, 07 Dec 2026 10:00:00 -0600",
        f"Message-ID: {message_id or f'<{uuid.uuid4().hex}@example.com>'}",
    ]
    if in_reply_to:
        lines += [f"In-Reply-To: {in_reply_to}", f"References: {in_reply_to}"]
    if extra:
        lines.append(extra.rstrip("\r\n"))
    lines += ["MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "", body]
    return "\r\n".join(lines).encode()
