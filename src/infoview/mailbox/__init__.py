"""Your own mailbox over IMAP: drafts into its Drafts folder, and replies noticed in it.

Owns the IMAP settings and the checked connection (:class:`MailboxSettings`,
the same shape as :class:`~infoview.SMTPSettings`), :func:`save_drafts`, which
appends drafts to the Drafts folder once each, :func:`save_sent`, which files
a copy of what was sent over SMTP in the Sent folder, and :func:`sync`, which reads
what arrived since the last sync and records replies in the tracker. It
imports the model, mail, the tracker, and sending (for the shared settings).
"""

from infoview.mailbox.drafts import Saved, drafts_folder, save_drafts
from infoview.mailbox.sent import Filed, save_sent, sent_folder
from infoview.mailbox.settings import MailboxSettings, connect
from infoview.mailbox.sync import Noticed, SyncReport, sync

__all__ = [
    "Filed",
    "MailboxSettings",
    "Noticed",
    "Saved",
    "SyncReport",
    "connect",
    "drafts_folder",
    "save_drafts",
    "save_sent",
    "sent_folder",
    "sync",
]
