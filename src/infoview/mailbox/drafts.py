"""Drafts into your mail program: each message appended to the Drafts folder once, flagged a draft.

The folder is the one the server marks ``\\Drafts`` (RFC 6154 special use),
else the first of the usual names that exists ("Drafts", "[Gmail]/Drafts",
"Entwürfe", "Brouillons", "Borradores"), unless a folder is named. Before
each append the folder is searched for the draft's Message-ID, so a rerun
leaves a draft already there alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import attrs

from infoview.errors import MailboxError
from infoview.mailbox.settings import MailboxSettings, connect, special_folder
from infoview.sending.oauth import TokenProvider

if TYPE_CHECKING:
    from imapclient import IMAPClient

    from infoview.mail.draft import Draft

__all__ = ["USUAL_NAMES", "Saved", "drafts_folder", "save_drafts"]

#: Names a Drafts folder goes by where the server marks none, in the order tried.
USUAL_NAMES = (
    "Drafts",
    "[Gmail]/Drafts",
    "INBOX.Drafts",
    "INBOX/Drafts",
    "Entwürfe",
    "Brouillons",
    "Borradores",
)


@attrs.frozen
class Saved:
    """One draft's fate: appended now, or found there already.

    Attributes:
        draft: The draft.
        folder: The folder it is in.
        appended: ``True`` when appended now; ``False`` when a message with
            its Message-ID was in the folder already.
        uid: Its UID in the folder, when the server says (UIDPLUS).
    """

    draft: Draft
    folder: str
    appended: bool
    uid: int | None = None

    def line(self) -> str:
        """Return one line for the command line."""
        who = self.draft.recipient.name if self.draft.recipient else "no recipient"
        done = "saved to" if self.appended else "already in"
        return f"{done} {self.folder}: {who} (Subject: {self.draft.subject})"


def drafts_folder(client: IMAPClient, host: str = "the server") -> str:
    """Return the name of the Drafts folder: the special-use one, else a usual name.

    Raises:
        MailboxError: The server marks none, and none of ``USUAL_NAMES`` exists.
    """
    return special_folder(client, "Drafts", USUAL_NAMES, host, "--folder")


def save_drafts(
    drafts: Iterable[Draft],
    settings: MailboxSettings,
    *,
    folder: str | None = None,
    password: str | None = None,
    token: TokenProvider | None = None,
) -> list[Saved]:
    """Append each draft to the Drafts folder, flagged ``\\Draft`` (and seen), unless it is there.

    The message appended is :meth:`Draft.as_bytes <infoview.Draft.as_bytes>`,
    so it opens in your mail program as infoview wrote it. A draft whose
    Message-ID is in the folder already is not appended again.

    Args:
        drafts: The drafts.
        settings: Where your mailbox is.
        folder: The folder; by default ``settings.drafts``, else the folder
            the server marks as Drafts, else the first usual name that exists.
        password: The password; by default ``settings.password_env``'s, else
            the keyring's.
        token: Sign in over XOAUTH2 with this OAuth token provider instead.

    Returns:
        One :class:`~infoview.mailbox.Saved` per draft, in order.

    Raises:
        MailboxError: The mailbox cannot be used, or the folder does not exist.
    """
    from imapclient.exceptions import IMAPClientError  # noqa: PLC0415 - see settings

    items = list(drafts)
    written = [draft.as_bytes() for draft in items]  # every draft checked before connecting
    saved: list[Saved] = []
    with connect(settings, password=password, token=token) as client:
        name = folder or settings.drafts or drafts_folder(client, settings.host)
        try:
            client.select_folder(name, readonly=True)
        except IMAPClientError:
            raise MailboxError(
                settings.host, f"has no folder {name!r}; name one that exists (--folder)"
            ) from None
        for draft, data in zip(items, written, strict=True):
            if client.search(["HEADER", "Message-ID", draft.message_id]):
                saved.append(Saved(draft, name, appended=False))
                continue
            answer = client.append(name, data, flags=(b"\\Draft", b"\\Seen"))
            saved.append(Saved(draft, name, appended=True, uid=_uid(answer)))
    return saved


def _uid(answer: object) -> int | None:
    """The UID in an APPENDUID response code (RFC 4315), if there is one."""
    text = answer.decode("ascii", "replace") if isinstance(answer, bytes) else str(answer)
    parts = text.split("APPENDUID", 1)
    if len(parts) != 2:
        return None
    fields = parts[1].strip(" ]").split()
    try:
        return int(fields[1].rstrip("]"))
    except (IndexError, ValueError):
        return None
