"""Draft into the Drafts folder of a local IMAP server, then sync a reply: the mailbox round.

This script needs Dovecot, the IMAP server most mail hosts run, installed
from your system's packages (``sudo apt-get install dovecot-imapd``); it
starts one on 127.0.0.1 with a throw-away configuration (the test suite's,
from this repository's ``tests/_imapserver.py``), so nothing leaves your
machine. Without Dovecot it says so and stops. With your own mailbox, drop
the server and say where it is once:

    infoview mailbox --host imap.example.com --user you@example.com
    infoview login --user you@example.com      # the password, into the keyring
    infoview outreach --new --to-drafts
    infoview sync
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from infoview import Contact, Source, Tracker
from infoview.mailbox import MailboxSettings, save_drafts, sync

REPOSITORY = Path(__file__).resolve().parent.parent


def main() -> None:
    """Start Dovecot, draft to Ana into Drafts, put her reply in INBOX, and sync it."""
    if shutil.which("dovecot") is None:
        print("This example needs Dovecot: sudo apt-get install dovecot-imapd")
        return
    sys.path.insert(0, str(REPOSITORY))
    from tests import _imapserver  # noqa: PLC0415 - the repository's own test server

    with _imapserver.dovecot() as server, tempfile.TemporaryDirectory() as folder:
        os.environ["IMAP_PASSWORD"] = server.password  # the practice server's own login
        settings = MailboxSettings(
            server.host,
            port=server.tls_port,
            user=server.user,
            password_env="IMAP_PASSWORD",  # noqa: S106 - the variable's name
            cafile=str(server.cafile),  # the practice server's own CA
        )
        start = _imapserver.START
        clock = [start]
        with Tracker(Path(folder) / "tracker.sqlite", clock=lambda: clock[0]) as tracker:
            tracker.sender = Contact(
                name="Sam Rivera", email=server.user, school="State University"
            )
            tracker.add(
                [
                    Contact(
                        name="Ana García", email="ana@example.com", school="State University",
                        source=Source.ALUMNI,
                    )
                ]
            )  # fmt: skip
            drafts = tracker.outreach()
            for draft in drafts:
                tracker.record(draft)
            for saved in save_drafts(drafts, settings):
                print(saved.line())
            for saved in save_drafts(drafts, settings):  # a rerun: nothing doubled
                print(saved.line())
            # You send it from your mail program; then tell the tracker when.
            tracker.sent(drafts[0].message_id, start)
            reply = _imapserver.message(
                in_reply_to=drafts[0].message_id,
                body="Happy to talk next week!\r\n\r\nOn Monday Sam wrote:\r\n> Hello Ana\r\n",
            )
            _imapserver.append(server, [reply], start + timedelta(days=2))
            clock[0] = start + timedelta(days=10)
            report = sync(tracker, settings)
            for noticed in report.noticed:
                print(noticed.line())
            print(report.summary())
            print(tracker.today())


if __name__ == "__main__":
    main()
