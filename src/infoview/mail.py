"""Mail: safe headers, MIME messages, .eml and mbox files, mailto: links.

Built on the standard library's :mod:`email` package with the SMTP policy
(CRLF line ends, RFC 2047 encoded words for non-ASCII display names and
subjects; addresses themselves are never encoded — international domains are
written in IDNA form). Every header value is checked first: one holding a line
break is refused with :class:`~infoview.errors.HeaderInjectionError`, never
cleaned up quietly.
"""

from __future__ import annotations

import mailbox
import mimetypes
import re
import uuid
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from email import policy as email_policy
from email.charset import Charset
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, formatdate
from pathlib import Path
from typing import Any
from urllib.parse import quote

import attrs

from infoview.errors import HeaderInjectionError, MissingValueError

__all__ = [
    "Attachment",
    "address",
    "build_message",
    "check_header",
    "mailto",
    "new_message_id",
    "write_eml",
    "write_mbox",
]

# CR, LF and every other character Python or a mail client may treat as a line break.
_LINE_BREAKS = re.compile(r"[\r\n\v\f\x00\x1c-\x1e\x85\u2028\u2029]")
# An RFC 2047 encoded word: the email package decodes it (CR LF included) when
# it parses a header value we set, then writes the decoded text out.
_ENCODED_WORD = re.compile(r"=\?[^?\s]*\?[bBqQ]\?[^?\s]*\?=")
_FALLBACK_DOMAIN = "infoview.invalid"


def check_header(header: str, value: str) -> str:
    """Return ``value`` if it is safe in a mail header.

    Raises:
        HeaderInjectionError: When it holds CR, LF or another line break, or
            text that is already an RFC 2047 encoded word.
    """
    if _LINE_BREAKS.search(value):
        raise HeaderInjectionError(header, value)
    if _ENCODED_WORD.search(value):
        raise HeaderInjectionError(header, value, "contains an RFC 2047 encoded word")
    return value


def _idna(domain: str) -> str:
    try:
        domain.encode("ascii")
    except UnicodeEncodeError:
        return domain.encode("idna").decode("ascii")
    return domain


def address(person: Any, header: str = "To") -> Address:
    """Return the mail address of a contact (anything with ``name`` and ``email``).

    The display name is kept as written (the SMTP policy encodes it as an
    RFC 2047 encoded word when needed); the domain is written in IDNA form.

    Raises:
        MissingValueError: When the person has no email address.
        HeaderInjectionError: When the name or address holds a line break.
    """
    name = check_header(header, str(getattr(person, "name", "") or ""))
    email = getattr(person, "email", None)
    if not email:
        raise MissingValueError(
            None,
            "email",
            person,
            path=f"{header}.email",
            hint=f"set Contact.email for {name or 'this contact'} to send mail to them",
        )
    check_header(header, email)
    username, _, domain = str(email).rpartition("@")
    return Address(display_name=name, username=username, domain=_idna(domain))


def new_message_id(sender_email: str | None = None) -> str:
    """Return a new, globally unique Message-ID in the sender's domain."""
    domain = str(sender_email).rpartition("@")[2] if sender_email else ""
    return f"<{uuid.uuid4().hex}@{_idna(domain) if domain else _FALLBACK_DOMAIN}>"


@attrs.frozen
class Attachment:
    """A file attached to a message.

    Args:
        filename: The name the recipient sees.
        content: The file's bytes.
        mime_type: Its type, e.g. ``"application/pdf"``; guessed from the name when omitted.
    """

    filename: str = attrs.field()
    content: bytes = attrs.field(repr=lambda b: f"<{len(b)} bytes>")
    mime_type: str = attrs.field(
        default=attrs.Factory(
            lambda self: mimetypes.guess_type(self.filename)[0] or "application/octet-stream",
            takes_self=True,
        )
    )

    @filename.validator
    def _check_filename(self, attribute: attrs.Attribute[str], value: str) -> None:
        check_header("Content-Disposition", value)

    @classmethod
    def from_path(cls, path: str | Path, mime_type: str | None = None) -> Attachment:
        """Read a file from disk."""
        file = Path(path)
        if mime_type is None:
            return cls(file.name, file.read_bytes())
        return cls(file.name, file.read_bytes(), mime_type)


def build_message(
    *,
    subject: str,
    text: str,
    sender: Any,
    to: Sequence[Any],
    cc: Sequence[Any] = (),
    html: str | None = None,
    date: datetime | None = None,
    message_id: str | None = None,
    in_reply_to: str | None = None,
    references: Sequence[str] = (),
    attachments: Sequence[Attachment] = (),
    headers: Iterable[tuple[str, str]] = (),
) -> EmailMessage:
    """Build an :class:`~email.message.EmailMessage` (SMTP policy).

    One ``text/plain`` part, or ``multipart/alternative`` when ``html`` is
    given; attachments make it ``multipart/mixed``. There is deliberately no
    ``bcc``: blind copies belong in the SMTP envelope, never in the message.

    Raises:
        HeaderInjectionError: When any header value holds a line break.
        MissingValueError: When the sender or a recipient has no address.
    """
    sender_address = address(sender, "From")
    to_addresses = [address(p, "To") for p in to]
    cc_addresses = [address(p, "Cc") for p in cc]
    extra = [(check_header("header name", k), check_header(k, v)) for k, v in headers]
    message_id = check_header("Message-ID", message_id or new_message_id(sender_address.addr_spec))
    utf8 = any(not a.username.isascii() for a in (sender_address, *to_addresses, *cc_addresses))
    message = EmailMessage(policy=email_policy.SMTPUTF8 if utf8 else email_policy.SMTP)
    _set_addresses(message, "From", [sender_address])
    _set_addresses(message, "To", to_addresses)
    if cc_addresses:
        _set_addresses(message, "Cc", cc_addresses)
    _set_text(message, "Subject", check_header("Subject", subject))
    message["Date"] = format_datetime(date) if date is not None else formatdate(localtime=True)
    message["Message-ID"] = message_id
    if in_reply_to:
        message["In-Reply-To"] = check_header("In-Reply-To", in_reply_to)
    if references:
        message["References"] = " ".join(check_header("References", r) for r in references)
    message["MIME-Version"] = "1.0"
    for key, value in extra:
        message[key] = value
    message.set_content(text, subtype="plain", cte="quoted-printable")
    if html is not None:
        message.add_alternative(html, subtype="html", cte="quoted-printable")
    for attachment in attachments:
        maintype, _, subtype = attachment.mime_type.partition("/")
        message.add_attachment(
            attachment.content,
            maintype=maintype,
            subtype=subtype or "octet-stream",
            filename=attachment.filename,
        )
    return message


# CPython's header folder can put a fold where a space between two non-ASCII
# words was, and RFC 2047 decoders drop white space between encoded words; so
# non-ASCII values are encoded here (email.header keeps spaces inside the
# encoded words) and stored as they are.


_UTF8 = Charset("utf-8")


def _word_lengths() -> Iterator[int]:
    # header_encode_lines takes one maximum per line: leave room for "Reply-To: ".
    yield 60
    while True:
        yield 74


def _set_text(message: EmailMessage, header: str, value: str) -> None:
    if value.isascii():
        message[header] = value
    else:
        message.set_raw(header, Header(value, "utf-8", header_name=header).encode())


def _set_addresses(message: EmailMessage, header: str, addresses: list[Address]) -> None:
    if all(a.display_name.isascii() for a in addresses):
        message[header] = addresses
        return
    parts = []
    for item in addresses:
        if item.display_name.isascii():
            parts.append(str(item))
        else:
            # Every word encoded: ASCII specials (< ; ") never reach the header raw.
            words = _UTF8.header_encode_lines(item.display_name, _word_lengths())
            parts.append("\n ".join([*(w for w in words if w), f"<{item.addr_spec}>"]))
    message.set_raw(header, ",\n ".join(parts))


def write_eml(message: EmailMessage, path: str | Path) -> Path:
    """Write a message as an ``.eml`` file (CRLF line ends, as sent); return its path."""
    target = Path(path)
    target.write_bytes(message.as_bytes())
    return target


def write_mbox(messages: Iterable[EmailMessage], path: str | Path) -> Path:
    """Append messages to an mbox file (created if needed); return its path."""
    target = Path(path)
    box = mailbox.mbox(target)
    box.lock()
    try:
        for message in messages:
            box.add(message)
        box.flush()
    finally:
        box.unlock()
        box.close()
    return target


def mailto(
    to: Sequence[Any],
    subject: str = "",
    body: str = "",
    *,
    cc: Sequence[Any] = (),
    bcc: Sequence[Any] = (),
) -> str:
    """Return a ``mailto:`` link (RFC 6068), every part percent-encoded.

    Line ends in the body become ``%0D%0A``. Bcc is included because the link
    only tells your own mail program whom to copy; it never reaches the
    recipients' headers.
    """

    def addresses(people: Sequence[Any], header: str) -> str:
        return ",".join(quote(address(p, header).addr_spec, safe="@") for p in people)

    link = "mailto:" + addresses(to, "To")
    params = []
    if cc:
        params.append("cc=" + addresses(cc, "Cc"))
    if bcc:
        params.append("bcc=" + addresses(bcc, "Bcc"))
    if subject:
        params.append("subject=" + quote(check_header("Subject", subject), safe=""))
    if body:
        crlf = "\r\n".join(body.splitlines())
        params.append("body=" + quote(crlf, safe=""))
    return link + ("?" + "&".join(params) if params else "")
