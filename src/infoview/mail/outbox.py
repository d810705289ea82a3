"""The messages to send, read from drafts, a folder of ``.eml`` files or an mbox.

Each becomes an :class:`Outgoing`: the bytes to send exactly as drafted
(only line ends are made CRLF, and a ``Bcc`` or ``Resent-Bcc`` header, if a
file has one, is taken out) and the envelope read from its headers — From (or
Sender) for MAIL FROM, To, Cc, Bcc and Resent-Bcc for RCPT TO. Nothing else is
parsed or rewritten, so what was drafted is what goes out.

The header block is the one the standard library's parser reads, whatever
the line ends and whether the last line has one: a blind copy it puts in the
envelope is always taken out of the data, and a message whose header block
would read otherwise once the blind copies are out is refused.
"""

from __future__ import annotations

import hashlib
import mailbox
import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from email import errors, policy
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from email.parser import BytesHeaderParser, BytesParser
from email.utils import format_datetime, getaddresses
from pathlib import Path
from typing import Any

import attrs

from infoview.errors import MessageError
from infoview.mail import check_message_id
from infoview.mail.draft import Draft

__all__ = ["MessageError", "Outgoing", "outgoing", "read"]

_EOL = re.compile(rb"\r\n|\r|\n")
# The headers that are part of what a message says (Date and Message-ID are not).
_SAID = ("From", "Sender", "To", "Cc", "Reply-To", "Subject", "In-Reply-To", "References")
_MBOX_FROM = re.compile(rb"(?m)^>(>*From )")
# Blind copies: in the envelope, never in the data (as smtplib.send_message does).
_BLIND = ("bcc", "resent-bcc")
# "Bcc :" (a space before the colon, an obsolete form): the parser ends the
# header block there, but a mail program may still show it as a header.
_LOOSE_BLIND = re.compile(rb"(?i)(?:resent-)?bcc[ \t]+:")


def _lower_unique(addresses: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for address in addresses:
        seen.setdefault(address.casefold(), address)
    return tuple(seen.values())


#: A Date header line with its folded continuation lines (in a CRLF header block).
_DATE_LINE = re.compile(rb"(?im)^date:.*\r\n(?:[ \t].*\r\n)*")


@attrs.frozen
class Outgoing:
    """One message ready for SMTP.

    Attributes:
        message_id: Its Message-ID (``<unique@domain>``), the journal's key.
        sender: The envelope sender, from the Sender or From header.
        recipients: The envelope recipients: To, Cc and blind copies.
        to: The To addresses alone (whom the message is addressed to).
        data: The bytes sent, CRLF line ends, no Bcc header.
        source: Where it came from, for messages: a file name or ``"message 3"``.
        subject: The Subject, decoded, for reports.
        in_reply_to: The In-Reply-To header, if any (a nudge or a reply).
        sha256: The SHA-256 of ``data`` (hex): a changed draft is a changed message.
    """

    message_id: str
    sender: str
    recipients: tuple[str, ...]
    to: tuple[str, ...]
    data: bytes = attrs.field(repr=False)
    source: str
    subject: str = ""
    in_reply_to: str | None = None
    sha256: str = attrs.field(init=False)

    @sha256.default
    def _hash(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def dated(self, when: datetime) -> Outgoing:
        """Return this message with its Date header set to ``when`` (a scheduled send time).

        A message drafted on Saturday and sent on Monday morning then says
        Monday in the recipient's mail program. The same ``when`` gives the
        same bytes, so a rerun sends (or skips) the very same message.
        """
        head, end, body = self.data.partition(b"\r\n\r\n")
        kept = _DATE_LINE.sub(b"", head + b"\r\n")[:-2]
        stamp = format_datetime(when).encode("ascii")
        data = b"Date: " + stamp + (b"\r\n" + kept if kept else b"") + end + body
        return attrs.evolve(self, data=data)

    @property
    def fingerprint(self) -> str:
        """A hash of what the message says: envelope, addresses, subject, threading, parts.

        Date, Message-ID, MIME boundaries and transfer encodings are left
        out, so the same message drafted twice has the same fingerprint,
        and any change a reader could see gives another.
        """
        parsed = BytesParser(policy=policy.compat32).parsebytes(self.data)
        digest = hashlib.sha256()
        heads = [" ".join(str(v).split()) for h in _SAID for v in parsed.get_all(h) or []]
        for text in (self.sender, *sorted(r.casefold() for r in self.recipients), *heads):
            digest.update(text.encode("utf-8", "surrogateescape") + b"\0")
        for part in parsed.walk():
            if not part.is_multipart():
                payload = part.get_payload(decode=True)
                digest.update(part.get_content_type().encode() + b"\0")
                digest.update(payload if isinstance(payload, bytes) else b"")
        return digest.hexdigest()

    @classmethod
    def from_bytes(cls, data: bytes, source: str, *, bcc: Iterable[str] = ()) -> Outgoing:
        """Read the envelope from a message's headers; send its bytes as they are.

        Args:
            data: The message, as written to an ``.eml`` file.
            source: Where it came from, for messages.
            bcc: Blind copies to add to the envelope (they are never written).

        Raises:
            MessageError: No Message-ID, no single sender, or no recipient; or a
                header block a blind copy cannot be taken out of cleanly.
        """
        data = _EOL.sub(b"\r\n", data)
        headers, data = _without_blind(data, source)
        blind = [address for name in _BLIND for address in _addresses(headers, name)]
        message_id = _message_id(headers, source)
        senders = _addresses(headers, "Sender") or _addresses(headers, "From")
        if len(senders) != 1:
            raise MessageError(
                source, "needs one From address (or a Sender header) to send from; add it"
            )
        to = _addresses(headers, "To")
        recipients = _lower_unique([*to, *_addresses(headers, "Cc"), *blind, *bcc])
        if not recipients:
            raise MessageError(source, "has no recipient (no To, Cc or Bcc); add one")
        return cls(
            message_id=message_id,
            sender=senders[0],
            recipients=recipients,
            to=tuple(to),
            data=data,
            source=source,
            subject=_subject(headers),
            in_reply_to=str(headers["In-Reply-To"]).strip() if headers["In-Reply-To"] else None,
        )

    @classmethod
    def from_draft(cls, draft: Draft, source: str = "draft") -> Outgoing:
        """Build a draft's message; its blind copies go in the envelope only."""
        bcc = draft.envelope_recipients[len(draft.recipients) - len(draft.bcc) :]
        return cls.from_bytes(draft.as_bytes(), source, bcc=bcc)


def _without_blind(data: bytes, source: str) -> tuple[Message, bytes]:
    """Parse the header block as the standard library does; return it and the data without Bcc.

    ``data`` has CRLF line ends (the last line may have none). Each field
    the parser reads as ``Bcc`` or ``Resent-Bcc`` (continuation lines
    included) is cut out; the parse of what is left is checked to be the
    same message without them.

    Raises:
        MessageError: The header block cannot be cut so (a stray ``From ``
            line, a ``Bcc :`` the parser would read as body text).
    """
    headers = BytesHeaderParser(policy=policy.compat32).parsebytes(data)
    # The body as read: get_payload() would decode 8bit text by its charset.
    body = str(vars(headers)["_payload"]).encode("ascii", "surrogateescape")
    if not data.endswith(body):  # the parser put a header line back into the body
        raise _unreadable(source, "a line starting 'From ' among the headers")
    cut = any(isinstance(d, errors.MissingHeaderBodySeparatorDefect) for d in headers.defects)
    if cut and _LOOSE_BLIND.match(body):
        raise _unreadable(source, "a 'Bcc :' header with a space before the colon")
    head = data[: len(data) - len(body)]
    kept: list[bytes] = []
    field = ""  # the field the line belongs to, as the parser's _parse_headers reads it
    for number, line in enumerate(head.splitlines(keepends=True)):
        text = line.decode("ascii", "surrogateescape")
        if text[:1] in (" ", "\t"):
            pass  # a continuation line: part of the field above (if any)
        elif number == 0 and text.startswith("From "):
            field = ""  # a Unix "From " line, not a field
        else:
            field = text[: max(text.find(":"), 0)]
        if field.lower() not in _BLIND:
            kept.append(line)
    stripped = b"".join(kept) + body
    if stripped == data:
        return headers, data
    again = BytesHeaderParser(policy=policy.compat32).parsebytes(stripped)
    expected = [(k, v) for k, v in headers.items() if k.lower() not in _BLIND]
    if again.items() != expected or again.get_payload() != headers.get_payload():
        raise _unreadable(source, "a Bcc header that cannot be taken out cleanly")
    return headers, stripped


def _unreadable(source: str, what: str) -> MessageError:
    return MessageError(
        source,
        f"has {what}: its header block is not clear, and a blind copy could reach "
        "every recipient. Write each header as 'Name: value' on its own line, "
        "Bcc: without a space before the colon, and a blank line after the last",
    )


def _message_id(headers: Message, source: str) -> str:
    values = headers.get_all("Message-ID") or []
    if len(values) != 1 or not str(values[0]).strip():
        raise MessageError(
            source,
            "has no Message-ID header (or more than one); the journal needs exactly one "
            "to send each message once. Draft it with infoview, which always writes one, "
            "or add one made with infoview.mail.new_message_id()",
        )
    return check_message_id("Message-ID", " ".join(str(values[0]).split()), "send")


def _subject(headers: Message) -> str:
    raw = str(headers.get("Subject", ""))
    try:
        return " ".join(str(make_header(decode_header(raw))).split())
    except (ValueError, LookupError):  # a malformed encoded word: show it as written
        return raw


def _addresses(headers: Message, name: str) -> list[str]:
    found = getaddresses([str(v) for v in headers.get_all(name) or []])
    return [address for _, address in found if address]


def read(path: str | Path) -> Iterator[Outgoing]:
    """Yield the messages of a folder of ``.eml`` files (by name) or an mbox file.

    An mbox quotes body lines starting ``From `` as ``>From ``; that quoting
    is undone (one ``>`` less), as mboxrd readers do.

    Raises:
        FileNotFoundError: Nothing is at ``path``.
        MessageError: A message cannot be sent (see :meth:`Outgoing.from_bytes`);
            raised when that message is reached.
    """
    target = Path(path)
    if target.is_dir():
        for file in sorted(target.glob("*.eml")):
            yield Outgoing.from_bytes(file.read_bytes(), file.name)
        return
    if not target.is_file():
        raise FileNotFoundError(2, "No folder of .eml files or mbox file", str(target))
    box = mailbox.mbox(target, create=False)
    try:
        for number, key in enumerate(box.iterkeys(), 1):
            data = _MBOX_FROM.sub(rb"\1", box.get_bytes(key))  # undo the mbox's ">From " quoting
            yield Outgoing.from_bytes(data, f"{target.name} #{number}")
    finally:
        box.close()


def outgoing(
    messages: str | Path | Iterable[Draft | EmailMessage | bytes | Outgoing],
) -> Iterator[Outgoing]:
    """Yield :class:`Outgoing` messages from a path (see :func:`read`) or from objects.

    Drafts keep their blind copies in the envelope; an ``EmailMessage`` or
    bytes with a ``Bcc`` header have it taken out of the data and put in the
    envelope, as :meth:`smtplib.SMTP.send_message` does.
    """
    if isinstance(messages, str | Path):
        yield from read(messages)
        return
    for number, item in enumerate(messages, 1):
        yield _one(item, f"message {number}")


def _one(item: Any, source: str) -> Outgoing:
    if isinstance(item, Outgoing):
        return item
    if isinstance(item, Draft):
        return Outgoing.from_draft(item, f"{source} ({item.file_stem})")
    if isinstance(item, Message):
        return Outgoing.from_bytes(item.as_bytes(policy=policy.SMTP), source)
    if isinstance(item, bytes):
        return Outgoing.from_bytes(item, source)
    raise MessageError(
        source,
        f"is a {type(item).__name__}; give Drafts, EmailMessages, bytes, "
        "or the path of a folder of .eml files or an mbox",
    )
