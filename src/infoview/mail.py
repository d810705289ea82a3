"""Mail: safe headers, MIME messages, .eml and mbox files, mailto: links.

Built on the standard library's :mod:`email` package with the SMTP policy
(CRLF line ends). Every header value is checked first (see
:func:`check_header`): one holding a line break, a control
character or anything shaped like an RFC 2047 encoded word (``=?…?=``) is
refused with :class:`~infoview.errors.HeaderInjectionError`, never cleaned
up quietly. infoview then writes the header lines itself (``_headers``),
folded to 78 characters where it can and never over RFC 5322's 998, with
RFC 2047 encoded words of its own making wherever plain ASCII will not do.
Addresses themselves are never encoded; international domains are written
in IDNA form. A last check on every built message compares its header
names with the expected set.

Everything in ``__all__`` is public as ``infoview.mail.<name>``; the package
root exports only :class:`Attachment`, since most code reaches the rest
through :class:`infoview.Draft`. Call :func:`build_message`,
:func:`write_eml` and :func:`write_mbox` yourself to write many drafts into
one mbox file (as bulk drafting does), :func:`mailto` for a link,
:func:`address` and :func:`new_message_id` for your own messages, and
:func:`check_header` / :func:`check_message_id` to check a value first.
"""

from __future__ import annotations

import mimetypes
import re
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from email import policy as email_policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, formatdate
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

import attrs

from infoview._headers import (
    ADDR_SPEC,
    MAX_ADDRESS,
    ONCE,
    address_field,
    check_field_name,
    check_header,
    check_message_id,
    fold,
    text_field,
    verify,
)
from infoview.errors import (
    HeaderInjectionError,
    HeaderNameError,
    MissingEmailError,
    OutputExistsError,
    ValidationError,
)

__all__ = [
    "Attachment",
    "IfExists",
    "address",
    "append_mbox",
    "build_message",
    "check_header",
    "check_message_id",
    "mailto",
    "new_message_id",
    "write_eml",
    "write_mbox",
]

IfExists = Literal["error", "suffix", "overwrite"]

_FALLBACK_DOMAIN = "infoview.invalid"
# Header lines are written as built: nothing set here is re-parsed (and so
# decoded) and re-folded by the email package on the way out.
_SMTP = email_policy.SMTP.clone(refold_source="none")
_SMTPUTF8 = email_policy.SMTPUTF8.clone(refold_source="none")


def _idna(domain: str) -> str:
    try:
        domain.encode("ascii")
    except UnicodeEncodeError:
        return domain.encode("idna").decode("ascii")
    return domain


def _address(header: str, name: str, email: str) -> Address:
    check_header(header, name)
    check_header(header, email)
    username, _, domain = email.rpartition("@")
    if not ADDR_SPEC.fullmatch(email) or len(email.encode()) > MAX_ADDRESS:
        raise HeaderInjectionError(
            header,
            email,
            "is not one plain mail address",
            "give one address such as name@example.com, without a name or brackets",
        )
    return Address(display_name=name, username=username, domain=_idna(domain))


def address(person: Any, header: str = "To") -> Address:
    """Return the mail address of a contact (anything with ``name`` and ``email``).

    The display name is kept as written (encoded when the message is built,
    if needed); the domain is written in IDNA form.

    Raises:
        MissingEmailError: When the person has no email address.
        HeaderInjectionError: When the name or address is unsafe in a header
            (see :func:`check_header`), or the address is not one plain address.
    """
    name = check_header(header, str(getattr(person, "name", "") or ""))
    email = getattr(person, "email", None)
    if not email:
        raise MissingEmailError(
            person,
            f"the {header} header",
            f"set Contact.email for {name or 'this contact'} to send mail to them",
        )
    return _address(header, name, str(email))


def new_message_id(sender_email: str | None = None) -> str:
    """Return a new, globally unique Message-ID in the sender's domain."""
    domain = str(sender_email).rpartition("@")[2] if sender_email else ""
    if not domain or not ADDR_SPEC.fullmatch(f"x@{domain}"):
        domain = _FALLBACK_DOMAIN
    return f"<{uuid.uuid4().hex}@{_idna(domain)}>"


_MIME_TYPE = re.compile(r"(?!multipart/|message/)[A-Za-z0-9][\w!#$&^.+-]*/[A-Za-z0-9][\w!#$&^.+-]*")


@attrs.frozen
class Attachment:
    """A file attached to a message.

    Args:
        filename: The name the recipient sees (one line, not empty).
        content: The file's bytes.
        mime_type: Its type, e.g. ``"application/pdf"``; guessed from the name when omitted.

    Raises:
        HeaderInjectionError: When the file name is unsafe in a header.
        ValidationError: When the file name is empty or the type is not ``type/subtype``.
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
        if not value.strip():
            raise ValidationError(
                "Attachment", "filename", value, "is empty", "give the name the recipient sees"
            )

    @mime_type.validator
    def _check_mime_type(self, attribute: attrs.Attribute[str], value: str) -> None:
        check_header("Content-Type", value)
        if not _MIME_TYPE.fullmatch(value):
            raise ValidationError(
                "Attachment",
                "mime_type",
                value,
                "is not a MIME type for a file",
                "give one like 'application/pdf', or leave it out to guess from the name",
            )

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

    Args:
        headers: Extra ``(name, value)`` headers. A name must be an RFC 5322
            field name (printable ASCII, no space or colon, at most 76
            characters). Refused because infoview writes them or only mail
            servers may: From, Sender, To, Cc, Bcc, Subject, Date,
            Message-ID, In-Reply-To, References, MIME-Version, every
            ``Content-*`` and ``Resent-*``, Return-Path, Received,
            DKIM-Signature and Authentication-Results. ``Reply-To`` is
            allowed once, as a list of addresses; other names are written as
            unstructured text, and may repeat.

    Raises:
        HeaderInjectionError: When a header value is unsafe (see :func:`check_header`).
        HeaderNameError: When an extra header's name is malformed, refused,
            or repeated where it may appear once.
        ValidationError: When a Message-ID is malformed, or Reply-To is not
            a list of addresses.
        MissingEmailError: When the sender or a recipient has no address.
    """
    sender_address = address(sender, "From")
    to_addresses = [address(p, "To") for p in to]
    cc_addresses = [address(p, "Cc") for p in cc]
    check_header("Subject", subject)
    message_id = check_message_id(
        "Message-ID", message_id or new_message_id(sender_address.addr_spec)
    )
    if in_reply_to:
        check_message_id("In-Reply-To", in_reply_to)
    references = [check_message_id("References", r) for r in references]
    extra = _extra_headers(headers)
    everyone = [sender_address, *to_addresses, *cc_addresses]
    everyone += [a for _, v in extra if isinstance(v, list) for a in v]
    utf8 = any(not a.username.isascii() for a in everyone)
    message = EmailMessage(policy=_SMTPUTF8 if utf8 else _SMTP)
    expected = ["from", "to", "subject", "date", "message-id", "mime-version"]
    message.set_raw("From", address_field("From", [sender_address]))
    message.set_raw("To", address_field("To", to_addresses))
    if cc_addresses:
        message.set_raw("Cc", address_field("Cc", cc_addresses))
        expected.append("cc")
    message.set_raw("Subject", text_field("Subject", subject))
    message.set_raw(
        "Date", format_datetime(date) if date is not None else formatdate(localtime=True)
    )
    message.set_raw("Message-ID", message_id)
    if in_reply_to:
        message.set_raw("In-Reply-To", in_reply_to)
        expected.append("in-reply-to")
    if references:
        message.set_raw("References", fold("References", references))
        expected.append("references")
    message.set_raw("MIME-Version", "1.0")
    for key, value in extra:
        field = address_field(key, value) if isinstance(value, list) else text_field(key, value)
        message.set_raw(key, field)
        expected.append(key.lower())
    message.set_content(text, subtype="plain", cte="quoted-printable")
    if html is not None:
        message.add_alternative(html, subtype="html", cte="quoted-printable")
    for attachment in attachments:
        maintype, _, subtype = attachment.mime_type.partition("/")
        message.add_attachment(
            attachment.content, maintype=maintype, subtype=subtype, filename=attachment.filename
        )
    expected.append("content-type")
    if not message.is_multipart():
        expected.append("content-transfer-encoding")
    verify(message, expected)
    return message


def _extra_headers(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str | list[Address]]]:
    extra: list[tuple[str, str | list[Address]]] = []
    seen: set[str] = set()
    for name, value in headers:
        key = check_field_name(name).lower()
        check_header(name, value)
        if key in ONCE and key in seen:
            raise HeaderNameError(name, "is given twice", "give it once")
        seen.add(key)
        extra.append((name, _address_list(name, value) if key == "reply-to" else value))
    return extra


def _address_list(header: str, value: str) -> list[Address]:
    parsed = email_policy.default.header_factory(header, value)
    found = list(getattr(parsed, "addresses", ()))
    if parsed.defects or not found:
        raise ValidationError(
            "mail",
            header,
            value,
            "is not a list of mail addresses",
            "write it as 'Name <name@example.com>', with commas between addresses",
        )
    return [_address(header, a.display_name, a.addr_spec) for a in found]


def _candidates(target: Path, suffix: bool) -> Iterator[Path]:
    yield target
    if suffix:
        for n in range(2, 1000):
            yield target.with_name(f"{target.stem}-{n}{target.suffix}")


def write_eml(message: EmailMessage, path: str | Path, *, if_exists: IfExists = "error") -> Path:
    """Write a message as an ``.eml`` file (CRLF line ends, as sent); return its path.

    Args:
        message: The message, e.g. from :meth:`infoview.Draft.to_email`.
        path: The file to write.
        if_exists: What to do when the file exists: ``"error"`` (the default)
            raises, ``"suffix"`` writes ``name-2.eml`` (``-3``, … up to 999)
            next to it, ``"overwrite"`` replaces it.

    Raises:
        OutputExistsError: When the file exists (with ``"suffix"``: when
            every suffixed name is taken too).
        ValidationError: When ``if_exists`` is none of the three.
    """
    target = Path(path)
    data = message.as_bytes()
    if if_exists == "overwrite":
        target.write_bytes(data)
        return target
    if if_exists not in ("error", "suffix"):
        raise ValidationError(
            "write_eml",
            "if_exists",
            if_exists,
            "is not known",
            "use 'error', 'suffix' or 'overwrite'",
        )
    for candidate in _candidates(target, if_exists == "suffix"):
        try:
            with candidate.open("xb") as file:
                file.write(data)
        except FileExistsError:
            continue
        return candidate
    raise OutputExistsError(
        target,
        "pass if_exists='overwrite' to replace it, if_exists='suffix' to write "
        "next to it, or choose another name",
    )


def write_mbox(messages: Iterable[EmailMessage | bytes], path: str | Path) -> Path:
    """Append messages to an mbox file (created if needed); return its path.

    Each message is written as it comes, the bytes as sent, as
    :meth:`mailbox.mbox.add` writes one: a ``From`` separator line, the
    message with ``>`` put before every line that starts with ``From``, a
    blank line; line ends are Unix ones. No table of every message's place is
    kept, so memory stays the same for any number of messages. The file is not
    locked: write a new file, not a mailbox a mail program has open.
    """
    target = Path(path)
    append_mbox((m if isinstance(m, bytes) else m.as_bytes() for m in messages), target)
    return target


def append_mbox(messages: Iterable[bytes], path: str | Path) -> int:
    """Append messages given as bytes to an mbox file; return how many (see :func:`write_mbox`)."""
    target = Path(path)
    count = 0
    with target.open("ab") as file:
        if file.tell() and not _ends_blank(target):
            file.write(b"\n")
        for count, raw in enumerate(messages, 1):  # noqa: B007 - the count is the result
            data = raw.replace(b"\r\n", b"\n")
            data = (b"\n" + data).replace(b"\nFrom ", b"\n>From ")[1:]
            stamp = time.asctime(time.gmtime()).encode()
            file.write(b"From MAILER-DAEMON " + stamp + b"\n" + data)
            file.write(b"\n" if data.endswith(b"\n") else b"\n\n")
    return count


def _ends_blank(path: Path) -> bool:
    with path.open("rb") as file:
        file.seek(max(path.stat().st_size - 2, 0))
        return file.read() == b"\n\n"


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
