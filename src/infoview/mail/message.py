"""Mail: safe headers, MIME messages, .eml and mbox files, mailto: links.

One function writes every message infoview makes, ``write_message``,
through :func:`message_bytes` (values given as they are) and
:meth:`infoview.Draft.as_bytes` (values a draft checked when it was made).
It writes RFC 5322 bytes directly, CRLF line ends, several times faster
than building an :class:`~email.message.EmailMessage`. Where an
``EmailMessage`` is wanted (:func:`build_message`,
:meth:`infoview.Draft.to_email`), those bytes are read back with the
standard library's parser (:func:`read_message`).

Every header value is checked once on its way in (see :func:`check_header`):
one holding a line break, a control character or anything shaped like an
RFC 2047 encoded word (``=?…?=``) is refused with
:class:`~infoview.errors.HeaderInjectionError`, never cleaned up quietly.
infoview then writes the header lines itself (``_headers``), folded to 78
characters where it can and never over RFC 5322's 998, with RFC 2047 encoded
words of its own making wherever plain ASCII will not do, and verifies each
value it wrote is on its own folded lines. Addresses themselves are never
encoded; international domains are written in IDNA form.

Everything in ``__all__`` is public as ``infoview.mail.<name>``; the package
root exports only :class:`Attachment`, since most code reaches the rest
through :class:`infoview.Draft`. Call :func:`message_bytes`,
:func:`write_eml` and :func:`write_mbox` yourself to write many drafts into
one mbox file (as bulk drafting does), :func:`mailto` for a link,
:func:`address` and :func:`new_message_id` for your own messages, and
:func:`check_header` / :func:`check_message_id` to check a value first.
"""

from __future__ import annotations

import binascii
import contextlib
import functools
import mimetypes
import re
import secrets
import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from email import policy as email_policy
from email.message import EmailMessage
from email.parser import BytesParser
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
)

__all__ = [
    "LONGEST_LINE",
    "Attachment",
    "IfExists",
    "Invite",
    "address",
    "append_mbox",
    "build_message",
    "check_header",
    "check_message_id",
    "for_the_wire",
    "mailto",
    "message_bytes",
    "new_message_id",
    "read_message",
    "readable",
    "write_eml",
    "write_mbox",
]

IfExists = Literal["error", "suffix", "overwrite"]

# Messages are read back with header lines kept as written: nothing is
# decoded and re-folded by the email package on the way out again.
_PARSERS = {
    utf8: BytesParser(
        policy=(email_policy.SMTPUTF8 if utf8 else email_policy.SMTP).clone(refold_source="none")
    )
    for utf8 in (False, True)
}
# mboxrd: a line that would read as a separator once its quoting is undone.
_FROM_LINE = re.compile(rb"(?m)^(>*From )")
_MBOX_BUFFER = 1 << 20


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


_METHOD = re.compile(r"[A-Za-z][A-Za-z0-9-]{0,39}", re.ASCII)


def _ics_bytes(value: bytes | bytearray | str) -> bytes:
    # Text is taken as the same bytes (iCalendar files are UTF-8).
    if isinstance(value, str):
        return value.encode(errors="surrogateescape")
    if isinstance(value, bytearray):
        return bytes(value)
    return value  # anything else is refused by the check below


def _upper(value: str) -> str:
    return value.upper() if isinstance(value, str) else value


@attrs.frozen
class Invite:
    """A calendar invite a message carries, next to its text: Accept and Decline in mail clients.

    The message writer puts it in the ``multipart/alternative`` part after
    the text (and HTML) as ``text/calendar; method=…``, base64-encoded. Make
    one from :func:`infoview.calendar_invite` or
    :func:`infoview.calendar_cancellation`, and give it to a draft
    (``draft.with_changes(invite=Invite(ics))``) or see
    :func:`infoview.mail.calendar.invite_draft`.

    Args:
        ics: The calendar (bytes, or the same as text): one VCALENDAR with an event.
        method: Its ``METHOD``, ``"REQUEST"`` (the default) or ``"CANCEL"``;
            it must match the calendar's own.

    Raises:
        ValidationError: When ``ics`` is not one calendar with an event, or
            ``method`` does not match it.
    """

    ics: bytes = attrs.field(converter=_ics_bytes, repr=lambda b: f"<{len(b)} bytes>")
    method: str = attrs.field(default="REQUEST", converter=_upper)

    @method.validator
    def _check(self, attribute: attrs.Attribute[str], value: str) -> None:
        found = _calendar_method(self.ics)
        if not isinstance(value, str) or not _METHOD.fullmatch(value) or value != found:
            raise ValidationError(
                "Invite",
                "method",
                value,
                f"the calendar says METHOD:{found}, not {value}",
                "pass that method",
            )


def _calendar_method(ics: object) -> str:
    """Return the METHOD of ``ics``, once it is one calendar (bytes) with an event."""
    import icalendar  # noqa: PLC0415 - only an invite needs it, and it takes a while to load

    if not isinstance(ics, bytes):
        problem = "is not an iCalendar file (bytes)"
    else:
        try:
            calendar = icalendar.Calendar.from_ical(ics.decode())
        except UnicodeDecodeError as exc:
            problem = f"is not UTF-8 text (at byte {exc.start}), as iCalendar is"
        except Exception as exc:  # icalendar's parser raises ValueError and others
            problem = f"is not an iCalendar file ({' '.join(str(exc).split())[:100]})"
        else:
            if calendar.name == "VCALENDAR" and calendar.walk("VEVENT"):
                return str(calendar.get("method", "")).upper()
            problem = f"holds a {calendar.name} component, not a VCALENDAR"
            if calendar.name == "VCALENDAR":
                problem = "is a calendar without an event (VEVENT)"
    hint = "pass the bytes calendar_invite() or calendar_cancellation() returns"
    raise ValidationError("Invite", "ics", ics, problem, hint)


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
    invite: Invite | None = None,
    headers: Iterable[tuple[str, str]] = (),
) -> bytes:
    """Write a message as sent: RFC 5322 bytes with CRLF line ends.

    One ``text/plain`` part, or ``multipart/alternative`` when ``html`` or
    an ``invite`` is given (text, HTML, then the calendar); attachments
    make it ``multipart/mixed``. There is deliberately no ``bcc``: blind
    copies belong in the SMTP envelope, never in the message.
    :meth:`infoview.Draft.as_bytes` writes through the same writer, and
    :func:`build_message` reads these bytes back as an
    :class:`~email.message.EmailMessage`.

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
    # A Draft checks these when it is made; here they arrive unchecked.
    check_header("Subject", subject)
    if message_id is not None:
        check_message_id("Message-ID", message_id)
    if in_reply_to:
        check_message_id("In-Reply-To", in_reply_to)
    for reference in references:
        check_message_id("References", reference)
    return write_message(
        subject=subject,
        text=text,
        sender=sender,
        to=to,
        cc=cc,
        html=html,
        date=date,
        message_id=message_id,
        in_reply_to=in_reply_to,
        references=references,
        attachments=attachments,
        invite=invite,
        headers=headers,
    )


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
    invite: Invite | None = None,
    headers: Iterable[tuple[str, str]] = (),
) -> EmailMessage:
    """Return the message :func:`message_bytes` writes, as an :class:`~email.message.EmailMessage`.

    The bytes are read back with the standard library's parser (see
    :func:`read_message`), so ``build_message(...).as_bytes()`` gives the
    same bytes. Takes the arguments of :func:`message_bytes` and raises what
    it raises.
    """
    return read_message(
        message_bytes(
            subject=subject,
            text=text,
            sender=sender,
            to=to,
            cc=cc,
            html=html,
            date=date,
            message_id=message_id,
            in_reply_to=in_reply_to,
            references=references,
            attachments=attachments,
            invite=invite,
            headers=headers,
        )
    )


def read_message(data: bytes) -> EmailMessage:
    """Read message bytes as an :class:`~email.message.EmailMessage`, with the standard library.

    The policy is the SMTP one (the default policy with CRLF line ends, or
    SMTPUTF8 for bytes holding a UTF-8 address) set to keep every header
    line as it was read: ``read_message(data).as_bytes()`` gives ``data``
    back, and the email package never decodes and re-folds a header.
    """
    parser = _PARSERS[not data.isascii()]
    return parser.parsebytes(data)


def write_message(
    *,
    subject: str,
    text: str,
    sender: Any,
    to: Sequence[Any],
    cc: Sequence[Any],
    html: str | None,
    date: datetime | None,
    message_id: str | None,
    in_reply_to: str | None,
    references: Sequence[str],
    attachments: Sequence[Attachment],
    invite: Invite | None,
    headers: Iterable[tuple[str, str]],
) -> bytes:
    """Write the MIME bytes of a message: infoview's one message writer.

    The subject and the Message-IDs must be checked already (a
    :class:`~infoview.Draft` checks them when it is made,
    :func:`message_bytes` before it calls this); addresses and extra headers
    are checked here, as their header lines are written. Every header line
    of the message, its parts' included, goes through :func:`_head`.
    """
    fields = message_headers(
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
    body = _text_part(text, "plain")
    if html is not None or invite is not None:
        alternatives = [body]
        if html is not None:
            alternatives.append(_text_part(html, "html"))
        if invite is not None:
            alternatives.append(_invite_part(invite))
        body = _multipart("alternative", alternatives)
    if attachments:
        body = _multipart("mixed", [body, *map(_attachment_part, attachments)])
    return _head(fields) + body


# MIME parts. Every line ends in CRLF and none is over 78 octets but a header
# line holding a long word; bodies are quoted-printable (text) or base64
# (files and calendars), as the email package writes them.


def _head(fields: Iterable[tuple[str, str]]) -> bytes:
    """Write header lines: the only place any header line is written.

    Values are written as given: checked and folded already (a fold is
    ``"\\n "``), ASCII but for a UTF-8 address. A part's head ends in a
    blank line; the message's runs on into its body part's head.
    """
    lines = "".join([f"{name}: {value}\n" for name, value in fields])
    return lines.replace("\n", "\r\n").encode()


_TEXT_HEADS = {
    subtype: _head(
        [
            ("Content-Type", f'text/{subtype}; charset="utf-8"'),
            ("Content-Transfer-Encoding", "quoted-printable"),
        ]
    )
    + b"\r\n"
    for subtype in ("plain", "html")
}
_FILENAME = re.compile(r"[ -~]+", re.ASCII)


# Where a text part infoview wrote starts, in each transfer encoding, and where it ends.
_TEXT_PART = re.compile(
    rb'Content-Type: text/(plain|html); charset="utf-8"\r?\n'
    rb"Content-Transfer-Encoding: (quoted-printable|8bit|7bit)\r?\n\r?\n"
)
_PART_END = re.compile(rb"\r?\n--=_[0-9a-f]{32}")
#: The longest line a message may hold, its CRLF left out (RFC 5322, 2.1.1).
LONGEST_LINE = 998


def _recode(data: bytes, *, readable: bool) -> bytes:
    """Rewrite the text parts infoview wrote: as 8bit where every line fits, or as on the wire."""
    out: list[bytes] = []
    start = 0
    for found in _TEXT_PART.finditer(data):
        if found.start() < start:  # pragma: no cover - a part head inside a part
            continue
        end = _PART_END.search(data, found.end())
        stop = end.start() + (2 if data[end.start()] == 13 else 1) if end else len(data)
        body = data[found.end() : stop]
        subtype = found[1].decode()
        if found[2] == b"quoted-printable":
            text = binascii.a2b_qp(body)
        else:
            text = b"\r\n".join(body.splitlines()) + b"\r\n"
        out += [data[start : found.start()], _text_bytes(text, subtype, readable=readable)]
        start = stop
    return b"".join([*out, data[start:]]) if out else data


def readable(data: bytes) -> bytes:
    """Return a message infoview wrote with its text as 8bit UTF-8, for a person to read.

    Each text part whose every line fits (at most 998 octets) is written as
    it reads, ``Content-Transfer-Encoding: 8bit`` (``7bit`` when ASCII); a
    part with a longer line stays quoted-printable. Messages infoview did not
    write pass unchanged. :func:`write_eml` writes this form.
    """
    return _recode(data, readable=True)


def for_the_wire(data: bytes) -> bytes:
    """Return a message infoview wrote with its 8bit text parts quoted-printable again.

    For a server that does not take 8-bit data (no 8BITMIME): the text reads
    the same once decoded.
    """
    return _recode(data, readable=False)


def _text_bytes(data: bytes, subtype: str, *, readable: bool) -> bytes:
    """One text part of CRLF-ended ``data``: 8bit where allowed and asked, else quoted-printable."""
    if (
        readable
        and b"\r" not in data.replace(b"\r\n", b"")
        and all(len(line) <= LONGEST_LINE for line in data.split(b"\r\n"))
    ):
        encoding = "7bit" if data.isascii() else "8bit"
        head = _head(
            [
                ("Content-Type", f'text/{subtype}; charset="utf-8"'),
                ("Content-Transfer-Encoding", encoding),
            ]
        )
        return head + b"\r\n" + data
    return _TEXT_HEADS[subtype] + binascii.b2a_qp(data, istext=True)


def _text_part(text: str, subtype: str) -> bytes:
    # Line ends as the email package sees them (bytes.splitlines), the last one added.
    data = b"\r\n".join(text.encode().splitlines()) + b"\r\n"
    return _TEXT_HEADS[subtype] + binascii.b2a_qp(data, istext=True)


def _multipart(subtype: str, parts: list[bytes]) -> bytes:
    # "=_" is in no quoted-printable or base64 text, so no part can hold the
    # boundary; the search is only there should the encodings ever change.
    boundary = "=_" + secrets.token_hex(16)
    while any(boundary.encode() in part for part in parts):  # pragma: no cover
        boundary = "=_" + secrets.token_hex(16)
    delimiter = f"\r\n--{boundary}\r\n".encode()
    head = _head([("Content-Type", f'multipart/{subtype};\n boundary="{boundary}"')])
    return head + delimiter + delimiter.join(parts) + f"\r\n--{boundary}--\r\n".encode()


def _disposition(filename: str) -> str:
    """The value of an attachment's Content-Disposition, folded."""
    start = "attachment; filename="
    quoted = '"' + filename.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if _FILENAME.fullmatch(filename) and len("Content-Disposition: ") + len(start + quoted) <= 78:
        return start + quoted
    # RFC 2231: UTF-8, percent-encoded, in sections of whole characters.
    sections, section = [], "utf-8''"
    for char in filename:
        piece = quote(char, safe="")
        if len(section) + len(piece) > 60:
            sections.append(section)
            section = ""
        section += piece
    sections.append(section)
    return "attachment;" + ";".join(f"\n filename*{n}*={value}" for n, value in enumerate(sections))


def _base64(content: bytes) -> bytes:
    # 57 octets a line, 76 characters encoded, as the email package writes base64.
    data = binascii.b2a_base64
    lines = [data(content[i : i + 57]) for i in range(0, len(content), 57)]
    return b"".join(lines).replace(b"\n", b"\r\n")


def _attachment_part(attachment: Attachment) -> bytes:
    head = _head(
        [
            ("Content-Type", attachment.mime_type),
            ("Content-Transfer-Encoding", "base64"),
            ("Content-Disposition", _disposition(attachment.filename)),
        ]
    )
    return head + b"\r\n" + _base64(attachment.content)


def _invite_part(invite: Invite) -> bytes:
    head = _head(
        [
            ("Content-Type", f'text/calendar; method="{invite.method}"; charset="utf-8"'),
            ("Content-Transfer-Encoding", "base64"),
        ]
    )
    return head + b"\r\n" + _base64(invite.ics)


def invite_part(invite: Invite) -> EmailMessage:
    """Return the invite's ``text/calendar`` part as the message writer writes it, read back."""
    return read_message(_invite_part(invite))


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
    data = readable(message if isinstance(message, bytes) else message.as_bytes())
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
    ``infoview.mail.outbox.read`` does), so every line comes back as written.
    No table of every message's place is kept, so memory stays the same for
    any number of messages. The file is not locked: write a new file, not a
    mailbox a mail program has open.
    """
    target = Path(path)
    if not append_mbox((m if isinstance(m, bytes) else m.as_bytes() for m in messages), target):
        target.touch()  # asked for a file: an empty mbox holds no messages
    return target


def append_mbox(messages: Iterable[bytes], path: str | Path) -> int:
    """Append messages given as bytes to an mbox file; return how many (see :func:`write_mbox`).

    The file is opened at the first message: with none, no file is made.
    """
    target = Path(path)
    count = 0
    with contextlib.ExitStack() as stack:
        for count, raw in enumerate(messages, 1):
            if count == 1:  # opened at the first message: no messages, no empty file
                # A large buffer: few writes, each of which lets other threads take the GIL.
                file = stack.enter_context(target.open("ab", buffering=_MBOX_BUFFER))
                if file.tell() and not _ends_blank(target):
                    file.write(b"\n")
            data = raw.replace(b"\r\n", b"\n")
            if b"From " in data:  # a quick look first: most messages hold no such line
                data = _FROM_LINE.sub(rb">\1", data)
            file.write(_separator(int(time.time())) + data)
            file.write(b"\n" if data.endswith(b"\n") else b"\n\n")
    return count


@functools.lru_cache(maxsize=2)
def _separator(second: int) -> bytes:
    """The ``From`` line before a message in an mbox, for the current second."""
    return b"From MAILER-DAEMON " + time.asctime(time.gmtime(second)).encode() + b"\n"


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
