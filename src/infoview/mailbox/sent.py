"""Copies in the Sent folder: each message sent over SMTP filed once, where the provider keeps none.

Gmail and most hosted mail file what their SMTP server sends in Sent by
themselves; many others do not, and then a message infoview sent is
missing from your mail program. :func:`save_sent` appends a copy of each
message a run sent to the folder the server marks ``\\Sent`` (RFC 6154),
else the first of the usual names that exists, flagged ``\\Seen``. A
message whose Message-ID the folder holds already is left alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import attrs

from infoview.errors import MailboxError
from infoview.mail.outbox import Outgoing
from infoview.mailbox.settings import MailboxSettings, connect, special_folder
from infoview.sending.delivery import Outcome, Report, Result
from infoview.sending.oauth import TokenProvider

if TYPE_CHECKING:
    from imapclient import IMAPClient

__all__ = ["USUAL_NAMES", "Filed", "save_sent", "sent_folder"]

#: Names a Sent folder goes by where the server marks none, in the order tried.
USUAL_NAMES = (
    "Sent",
    "Sent Items",
    "Sent Messages",
    "Sent Mail",
    "[Gmail]/Sent Mail",
    "INBOX.Sent",
    "INBOX/Sent",
    "Gesendet",
    "Gesendete Objekte",
    "Gesendete Elemente",
    "Envoyés",
    "Éléments envoyés",
    "Messages envoyés",
    "Enviados",
    "Elementos enviados",
)


@attrs.frozen
class Filed:
    """One sent message's copy: appended now, or found there already.

    Attributes:
        message: The message sent.
        folder: The folder it is in.
        appended: ``True`` when appended now.
    """

    message: Outgoing
    folder: str
    appended: bool

    def line(self) -> str:
        """Return one line for the command line."""
        done = "copied to" if self.appended else "already in"
        return f"{done} {self.folder}: {self.message.message_id}"


def sent_folder(client: IMAPClient, host: str = "the server") -> str:
    """Return the name of the Sent folder: the special-use one, else a usual name.

    Raises:
        MailboxError: The server marks none, and none of ``USUAL_NAMES`` exists.
    """
    return special_folder(client, "Sent", USUAL_NAMES, host, "--sent-folder")


def save_sent(
    sent: Report | Iterable[Outcome | Outgoing],
    settings: MailboxSettings,
    *,
    folder: str | None = None,
    password: str | None = None,
    token: TokenProvider | None = None,
) -> list[Filed]:
    """Append a copy of each message sent to the Sent folder, flagged seen, unless it is there.

    Args:
        sent: A :class:`~infoview.sending.Report` (its messages sent in that
            run), outcomes, or messages.
        settings: Where your mailbox is.
        folder: The folder; by default the one the server marks as Sent,
            else the first usual name that exists.
        password: The password; by default ``settings.password_env``'s, else
            the keyring's.
        token: Sign in over XOAUTH2 with this OAuth token provider instead.

    Returns:
        One :class:`Filed` per message, in order.

    Raises:
        MailboxError: The mailbox cannot be used, or the folder does not exist.
    """
    from imapclient.exceptions import IMAPClientError  # noqa: PLC0415 - see settings

    items = sent.outcomes if isinstance(sent, Report) else sent
    chosen: list[tuple[Outgoing, datetime]] = []
    for item in items:
        if isinstance(item, Outcome):
            if item.result is not Result.SENT:
                continue
            chosen.append((item.message, item.accepted_at or datetime.now(UTC)))
        else:
            chosen.append((item, datetime.now(UTC)))
    if not chosen:
        return []
    filed: list[Filed] = []
    with connect(settings, password=password, token=token) as client:
        name = folder or sent_folder(client, settings.host)
        try:
            client.select_folder(name, readonly=True)
        except IMAPClientError:
            raise MailboxError(
                settings.host, f"has no folder {name!r}; name one that exists (--sent-folder)"
            ) from None
        for message, at in chosen:
            if client.search(["HEADER", "Message-ID", message.message_id]):
                filed.append(Filed(message, name, appended=False))
                continue
            client.append(name, message.data, flags=(b"\\Seen",), msg_time=at)
            filed.append(Filed(message, name, appended=True))
    return filed
