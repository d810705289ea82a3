"""Reading a message that arrived: who sent it, what it answers, and whether a program wrote it.

Everything here reads other people's bytes, so it never trusts a header's
decoded form: the sender is the one address in the raw ``From`` (an encoded
word or a display name that looks like an address counts for nothing; two
addresses, or none, make the sender unknown), the threads it answers are the
``<…>`` ids in the raw ``In-Reply-To`` and ``References``, and the text kept
in the tracker (subject, excerpt) is one line of printable characters with
no ``=?`` left in it.
"""

from __future__ import annotations

import functools
import hashlib
import re
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesHeaderParser, BytesParser
from email.utils import getaddresses
from typing import Any

import attrs

__all__ = ["HEADER_FIELDS", "Bounce", "Incoming", "bounce", "clean", "excerpt", "read"]

#: The header fields sync fetches first: enough to match and classify a message.
HEADER_FIELDS = (
    "FROM",
    "MESSAGE-ID",
    "IN-REPLY-TO",
    "REFERENCES",
    "SUBJECT",
    "AUTO-SUBMITTED",
    "X-AUTOREPLY",
    "X-AUTORESPOND",
    "PRECEDENCE",
    "RETURN-PATH",
    "CONTENT-TYPE",
)

_IDS = re.compile(r"<([^<>\s\"]{1,900})>")
_ADDRESS = re.compile(r"[^@\s<>()\[\]\\,;:\"]{1,64}@[A-Za-z0-9.-]{1,255}")
# Subjects mail programs give their absence notes, in the four languages.
_ABSENT = re.compile(
    r"^\s*(?:(?:re|aw|wg|fwd?|tr|rv)\s*:\s*)*(?:"
    r"out of (?:the )?office|automatic reply|auto[- ]?reply|autoreply|auto:|"
    r"abwesenheit|automatische antwort|"
    r"réponse automatique|absent(?:e)? du bureau|absence du bureau|message d'absence|"
    r"fuera de (?:la )?oficina|respuesta automática|ausente de la oficina)",
    re.IGNORECASE,
)
_QUOTE_START = re.compile(
    r"^\s*(?:On .{0,300}wrote:|Am .{0,300}schrieb .{0,200}:|Le .{0,300}a écrit ?:|"
    r"El .{0,300}escribió:|-{2,}\s*(?:Original Message|Ursprüngliche Nachricht|"
    r"Message d'origine|Mensaje original)\s*-{2,}|From: .*|Von: .*|De ?: .*)\s*$",
    re.IGNORECASE,
)


@attrs.frozen
class Incoming:
    """The headers of one message in a folder, as sync reads them.

    Attributes:
        uid: Its UID in the folder.
        message_id: Its Message-ID, else a digest of its headers (``sha256:…``).
        sender: The one address in ``From``, case-folded; ``None`` when there
            is not exactly one well-formed address.
        answers: The Message-IDs it names in ``In-Reply-To`` and ``References``.
        subject: Its subject, as one clean line.
        arrived: When the server received it (INTERNALDATE), aware.
        automatic: Why it is an automatic message (a header or the subject),
            or ``None``.
        report: Whether it may be a delivery report (a bounce): a
            ``multipart/report``, an empty ``Return-Path``, or from
            ``MAILER-DAEMON`` or ``postmaster``.
    """

    uid: int
    message_id: str
    sender: str | None
    answers: tuple[str, ...]
    subject: str
    arrived: datetime
    automatic: str | None
    report: bool = False


def clean(text: str, limit: int = 200) -> str:
    """Return text as one line of printable characters, no encoded word, at most ``limit`` long."""
    kept = "".join(c if c.isprintable() else " " for c in text)
    line = " ".join(kept.replace("=?", "= ?").replace("?=", "? =").split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _raw(headers: Message, name: str) -> list[str]:
    values = headers.get_all(name) or []
    return [str(value) for value in values]


def _sender(headers: Message) -> str | None:
    values = _raw(headers, "From")
    if len(values) != 1:
        return None
    found = getaddresses(values)
    addresses = [address for _, address in found if address]
    if len(addresses) != 1 or not _ADDRESS.fullmatch(addresses[0]):
        return None
    return addresses[0].casefold()


def _subject(headers: Message) -> str:
    values = _raw(headers, "Subject")
    if not values:
        return "(no subject)"
    try:
        decoded = str(policy.default.header_factory("subject", values[0]))
    except (ValueError, LookupError, TypeError, IndexError):
        decoded = values[0]
    return clean(decoded) or "(no subject)"


def _automatic(headers: Message, subject: str) -> str | None:
    found: list[str] = []
    for value in _raw(headers, "Auto-Submitted"):
        word = value.split(";")[0].strip().casefold()
        if word and word != "no":
            found.append(f"Auto-Submitted: {clean(word, 40)}")
    found += [name for name in ("X-Autoreply", "X-Autorespond") if _raw(headers, name)]
    for value in _raw(headers, "Precedence"):
        word = value.strip().casefold()
        if word in {"auto_reply", "bulk", "junk", "list"}:
            found.append(f"Precedence: {word}")
    if any(value.strip() == "<>" for value in _raw(headers, "Return-Path")):
        found.append("Return-Path: <> (a delivery report)")
    if any(
        value.strip().casefold().startswith("multipart/report")
        for value in _raw(headers, "Content-Type")
    ):
        found.append("a delivery report (multipart/report)")
    if _ABSENT.match(subject):
        found.append("an absence note (by its subject)")
    return found[0] if found else None


def read(uid: int, header: bytes, arrived: datetime) -> Incoming:
    """Read the header block sync fetched for one message.

    Args:
        uid: The message's UID.
        header: The fields of :data:`HEADER_FIELDS` as the server sent them.
        arrived: Its INTERNALDATE (a naive one is taken as UTC).
    """
    headers = BytesHeaderParser(policy=policy.compat32).parsebytes(header)
    ids = _raw(headers, "Message-ID")
    found = _IDS.search(ids[0]) if len(ids) == 1 else None
    message_id = f"<{found.group(1)}>" if found else "sha256:" + hashlib.sha256(header).hexdigest()
    answers: list[str] = []
    for name in ("In-Reply-To", "References"):
        for value in _raw(headers, name):
            answers.extend(f"<{item}>" for item in _IDS.findall(value))
    subject = _subject(headers)
    return Incoming(
        uid=uid,
        message_id=message_id,
        sender=_sender(headers),
        answers=tuple(dict.fromkeys(answers)),
        subject=subject,
        arrived=arrived if arrived.tzinfo is not None else arrived.replace(tzinfo=UTC),
        automatic=_automatic(headers, subject),
        report=_report(headers),
    )


def _report(headers: Message) -> bool:
    """Whether the message may be a delivery report, by its headers alone."""
    if any(
        value.strip().casefold().startswith("multipart/report")
        for value in _raw(headers, "Content-Type")
    ):
        return True
    if any(value.strip() == "<>" for value in _raw(headers, "Return-Path")):
        return True
    addresses = [address for _, address in getaddresses(_raw(headers, "From"))]
    return any(
        address.split("@")[0].casefold() in {"mailer-daemon", "postmaster"} for address in addresses
    )


@attrs.frozen
class Bounce:
    """What a delivery report says: the addresses that failed, and the messages it is about.

    Attributes:
        permanent: Addresses that failed for good, case-folded.
        temporary: Addresses delivery is still being tried for.
        about: The Message-IDs of the original messages it quotes.
    """

    permanent: frozenset[str]
    temporary: frozenset[str]
    about: frozenset[str]


def bounce(data: bytes) -> Bounce | None:
    """Read a delivery report with flufl.bounce; ``None`` when it names no failed address.

    ``data`` is the start of the message (perhaps cut short).
    """
    from flufl.bounce import all_failures  # noqa: PLC0415 - only for a delivery report

    message = BytesParser(policy=policy.compat32).parsebytes(data)
    try:
        temporary, permanent = all_failures(message)
    except Exception:  # a third party's parser on hostile bytes: then it is no bounce
        return None

    def addresses(found: frozenset[bytes]) -> frozenset[str]:
        kept = {a.decode("utf-8", "replace").strip().strip("<>").casefold() for a in found}
        return frozenset(a for a in kept if _ADDRESS.fullmatch(a))

    if not temporary and not permanent:
        return None
    about: set[str] = set()
    for part in message.walk():
        kind = part.get_content_type()
        if kind in {"message/rfc822", "text/rfc822-headers", "message/rfc822-headers"}:
            payload = (
                part.get_payload() if kind == "message/rfc822" else part.get_payload(decode=True)
            )
            if isinstance(payload, list):
                found = [str(m.get("Message-ID", "")) for m in payload if isinstance(m, Message)]
                about.update(f"<{i}>" for text in found for i in _IDS.findall(text))
            elif isinstance(payload, bytes):
                inner = BytesHeaderParser(policy=policy.compat32).parsebytes(payload)
                about.update(f"<{i}>" for i in _IDS.findall(str(inner.get("Message-ID", ""))))
    failed = addresses(permanent)
    return Bounce(failed, addresses(temporary) - failed, frozenset(about))


#: The languages whose quote headers ("On … wrote:", "Am … schrieb …:") are known.
LANGUAGES = ("en", "de", "fr", "es")
#: How much of a reply's text the quote finder reads: its time grows faster
#: than the text, so other people's text is cut to this first.
WINDOW_CHARS = 2000
_WINDOW_LINE = 200


@functools.cache
def _parser() -> Any:
    import importlib  # noqa: PLC0415 - mail-parser-reply, only for a reply (it has no types)

    return importlib.import_module("mailparser_reply").EmailReplyParser(languages=list(LANGUAGES))


def _window(text: str) -> str:
    """The start of a text, each line cut to 200 characters, runs of blank lines made one."""
    kept: list[str] = []
    size = 0
    for line in text.splitlines():
        line = line[:_WINDOW_LINE].rstrip()  # noqa: PLW2901 - the line as kept
        if not line.strip() and (not kept or not kept[-1]):
            continue
        kept.append(line if line.strip() else "")
        size += len(line) + 1
        if size >= WINDOW_CHARS:
            break
    return "\n".join(kept)[:WINDOW_CHARS]


def excerpt(data: bytes, limit: int = 200) -> str:
    """Return the new text of a reply, without the quoted thread, as one short line.

    ``data`` is the start of the message (headers and body, perhaps cut
    short); a body that cannot be read gives ``""``. The quoted thread is
    found by mail-parser-reply (the quote headers of English, German,
    French and Spanish mail programs), then by the lines that start with
    ``>`` or a quote header it does not know; a signature (``-- ``) ends it.
    """
    try:
        message = BytesParser(policy=policy.default).parsebytes(data)
        assert isinstance(message, EmailMessage)  # noqa: S101 - policy.default makes one
        part = message.get_body(preferencelist=("plain",))
        text = part.get_content() if part is not None else ""
    except (ValueError, LookupError, TypeError, AttributeError, UnicodeError, AssertionError):
        return ""
    if not isinstance(text, str):
        return ""
    window = _window(text)
    try:
        new = _parser().parse_reply(text=window)
    except Exception:  # a third party's parser on other people's text: keep the window
        new = window
    lines: list[str] = []
    for line in (new if isinstance(new, str) else window).splitlines():
        if line.rstrip() in {"--", "-- "}:  # a signature follows
            break
        if line.lstrip().startswith(">") or _QUOTE_START.match(line):
            if lines:
                break
            continue
        lines.append(line)
    return clean(" ".join(lines), limit)
