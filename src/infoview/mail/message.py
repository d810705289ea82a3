"""Mail: safe headers, MIME messages, .eml and mbox files, mailto: links.

:func:`build_message` builds an :class:`~email.message.EmailMessage` (SMTP
policy, CRLF line ends); :func:`message_bytes` writes the same message's
bytes directly, several times faster, for ``Draft.as_bytes()`` and the
writers. Every header value is checked first (see
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

import binascii
import mimetypes
import re
import secrets
import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from email import policy as email_policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

import attrs

from infoview.errors import OutputExistsError, ValidationError
from infoview.mail._headers import (
    address,
    check_header,
    check_message_id,
    message_headers,
    new_message_id,
    verify,
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
    "message_bytes",
    "new_message_id",
    "write_eml",
    "write_mbox",
]

IfExists = Literal["error", "suffix", "overwrite"]

# Header lines are written as built: nothing set here is re-parsed (and so
# decoded) and re-folded by the email package on the way out.
_SMTP = email_policy.SMTP.clone(refold_source="none")
# mboxrd: a line that would read as a separator once its quoting is undone.
_FROM_LINE = re.compile(rb"(?m)^(>*From )")
_SMTPUTF8 = email_policy.SMTPUTF8.clone(refold_source="none")


_MIME_TYPE = re.compile(
    r"(?!multipart/|message/)[A-Za-z0-9][\w!#$&^.+-]*/[A-Za-z0-9][\w!#$&^.+-]*", re.ASCII
)


@attrs.frozen
class Attachment:
    """A file attached to a message.

    Args:
        filename: The name the recipient sees (one line, not empty, no
            folder: ``/``, ``\\``, ``.`` and ``..`` are refused).
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
        if "/" in value or "\\" in value or value.strip() in {".", ".."}:
            raise ValidationError(
                "Attachment",
                "filename",
                value,
                "names a folder or a path; a mail client could save it outside its folder",
                "give the file's own name, e.g. pathlib.Path(path).name",
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
    fields, utf8 = message_headers(
        subject=subject,
        sender=sender,
        to=to,
        cc=cc,
        date=date,
        message_id=message_id,
        in_reply_to=in_reply_to,
        references=references,
        headers=headers,
    )
    message = EmailMessage(policy=_SMTPUTF8 if utf8 else _SMTP)
    for name, value in fields:
        message.set_raw(name, value)
    message.set_content(text, subtype="plain", cte="quoted-printable")
    if html is not None:
        message.add_alternative(html, subtype="html", cte="quoted-printable")
    for attachment in attachments:
        maintype, _, subtype = attachment.mime_type.partition("/")
        message.add_attachment(
            attachment.content, maintype=maintype, subtype=subtype, filename=attachment.filename
        )
    expected = [name.lower() for name, _ in fields] + ["content-type"]
    if not message.is_multipart():
        expected.append("content-transfer-encoding")
    verify(message, expected)
    return message


def message_bytes(
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
) -> bytes:
    """Return the message :func:`build_message` makes, as sent (CRLF line ends).

    The same checks, the same header lines and the same MIME structure, read
    back by any parser as the same message, but written directly rather than
    through :class:`~email.message.EmailMessage`: several times faster, for
    writing many drafts. Takes the arguments of :func:`build_message` and
    raises what it raises.
    """
    fields, _ = message_headers(
        subject=subject,
        sender=sender,
        to=to,
        cc=cc,
        date=date,
        message_id=message_id,
        in_reply_to=in_reply_to,
        references=references,
        headers=headers,
    )
    head = "".join([f"{name}: {value}\n" for name, value in fields]).replace("\n", "\r\n")
    body = _text_part(text, "plain")
    if html is not None:
        body = _multipart("alternative", [body, _text_part(html, "html")])
    if attachments:
        body = _multipart("mixed", [body, *map(_attachment_part, attachments)])
    return head.encode() + body


# MIME parts written directly. Every line ends in CRLF and none is over 78
# octets but a header line holding a long word; bodies are quoted-printable
# (text) or base64 (files), as the email package writes them here.

_QP_HEAD = (
    'Content-Type: text/%s; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n'
)
_FILENAME = re.compile(r"[ -~]+", re.ASCII)


def _text_part(text: str, subtype: str) -> bytes:
    # Line ends as the email package sees them (bytes.splitlines), the last one added.
    data = b"\r\n".join(text.encode().splitlines()) + b"\r\n"
    return (_QP_HEAD % subtype).encode() + binascii.b2a_qp(data, istext=True)


def _multipart(subtype: str, parts: list[bytes]) -> bytes:
    # "=_" is in no quoted-printable or base64 text, so no part can hold the
    # boundary; the search is only there should the encodings ever change.
    boundary = "=_" + secrets.token_hex(16)
    while any(boundary.encode() in part for part in parts):  # pragma: no cover
        boundary = "=_" + secrets.token_hex(16)
    delimiter = f"\r\n--{boundary}\r\n".encode()
    return (
        (
            f'Content-Type: multipart/{subtype};\r\n boundary="{boundary}"\r\n\r\n--{boundary}\r\n'
        ).encode()
        + delimiter.join(parts)
        + f"\r\n--{boundary}--\r\n".encode()
    )


def _disposition(filename: str) -> str:
    line = "Content-Disposition: attachment; filename="
    quoted = '"' + filename.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if _FILENAME.fullmatch(filename) and len(line) + len(quoted) <= 78:
        return line + quoted
    # RFC 2231: UTF-8, percent-encoded, in sections of whole characters.
    sections, section = [], "utf-8''"
    for char in filename:
        piece = quote(char, safe="")
        if len(section) + len(piece) > 60:
            sections.append(section)
            section = ""
        section += piece
    sections.append(section)
    return "Content-Disposition: attachment;" + ";".join(
        f"\r\n filename*{n}*={value}" for n, value in enumerate(sections)
    )


def _attachment_part(attachment: Attachment) -> bytes:
    head = (
        f"Content-Type: {attachment.mime_type}\r\nContent-Transfer-Encoding: base64\r\n"
        f"{_disposition(attachment.filename)}\r\n\r\n"
    )
    # 57 octets a line, 76 characters encoded, as the email package writes base64.
    data = binascii.b2a_base64
    content = attachment.content
    return head.encode() + b"".join(
        [data(content[i : i + 57]) for i in range(0, len(content), 57)]
    ).replace(b"\n", b"\r\n")


def _candidates(target: Path, suffix: bool) -> Iterator[Path]:
    yield target
    if suffix:
        for n in range(2, 1000):
            yield target.with_name(f"{target.stem}-{n}{target.suffix}")


def write_eml(
    message: EmailMessage | bytes, path: str | Path, *, if_exists: IfExists = "error"
) -> Path:
    """Write a message as an ``.eml`` file (CRLF line ends, as sent); return its path.

    Args:
        message: The message, e.g. from :meth:`infoview.Draft.to_email`, or
            its bytes as sent (:meth:`infoview.Draft.as_bytes`).
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
    data = message if isinstance(message, bytes) else message.as_bytes()
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

    Each message is written as it comes, the bytes as sent, in the mboxrd
    form: a ``From`` separator line, the message with one more ``>`` put
    before every line that starts with ``From `` after any number of ``>``
    (``From `` → ``>From ``, ``>From `` → ``>>From ``), a blank line; line
    ends are Unix ones. Reading undoes it (one ``>`` less, as
    :func:`infoview.mail.outbox.read` does), so every line comes back as written.
    No table of every message's place is kept, so memory stays the same for
    any number of messages. The file is not locked: write a new file, not a
    mailbox a mail program has open.
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
            data = _FROM_LINE.sub(rb">\1", data)
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
