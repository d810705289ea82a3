"""Mail headers as infoview writes them: checked, folded, and verified once built.

Every value is checked with :func:`infoview.model._text.problem` first. Lines are
then written here rather than by the email package: plain ASCII as it is,
folded at spaces to 78 columns; anything else (non-ASCII, long unbroken
words, odd spacing, a lone ``=?``) as RFC 2047 encoded words made here from
the checked text, so they decode to exactly that text and are the only
encoded words in a message. No line exceeds RFC 5322's 998 octets.
The message writer (``infoview.mail.message.write_message``) uses these; the
public names are re-exported in :mod:`infoview.mail`.
"""

from __future__ import annotations

import functools
import itertools
import os
import re
import time
from collections.abc import Iterable, Sequence
from datetime import datetime
from email import policy as email_policy, quoprimime
from email.charset import Charset
from email.header import Header
from email.headerregistry import Address
from email.utils import format_datetime, formatdate
from typing import Any

from infoview.errors import (
    HeaderInjectionError,
    HeaderNameError,
    MissingEmailError,
    ValidationError,
)
from infoview.model import _text

__all__ = [
    "EMOJI",
    "address",
    "address_field",
    "check_field_name",
    "check_header",
    "check_message_id",
    "display_name",
    "fold",
    "message_headers",
    "new_message_id",
    "text_field",
]

_LINE = 78  # RFC 5322's "SHOULD"; 998 is the hard limit
_MAX_LINE = 998
_MAX_MESSAGE_ID = 900
_MAX_PHRASE = 900
MAX_ADDRESS = 254  # octets, RFC 5321's path less its angle brackets
_FALLBACK_DOMAIN = "infoview.invalid"

# RFC 5322 field name: printable ASCII but the colon; short enough to fold after.
_FIELD_NAME = re.compile(r"[!-9;-~]{1,76}")
# One plain address: no white space, no specials that would start another.
ADDR_SPEC = re.compile(r'[^\s<>()\[\],;:"\\@]+@[^\s<>()\[\],;:"\\@]+')
_MESSAGE_ID = re.compile(r'<[^\s<>()\[\],;:"\\@]+@[^\s<>(),;:"\\@]+>')
_ATOMS = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?: [A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_LONG_WORD = re.compile(r"\S{67}")
# In a header we built: a line break that is not a fold, or another line-break character.
_BAD_FOLD = re.compile(r"[\r\v\f\x1c-\x1e\x85\u2028\u2029]|\n(?! \S)")

# Headers infoview writes itself, or that only mail servers add: refused in headers=.
_STRUCTURAL = {
    "from": "set the draft's sender",
    "sender": "set the draft's sender (the From header)",
    "to": "set the draft's recipient",
    "cc": "pass cc= to the draft",
    "bcc": "a Bcc is never written into a message: pass bcc= to the draft and give "
    "Draft.envelope_recipients to SMTP",
    "subject": "set Draft.subject",
    "date": "set Draft.date",
    "orig-date": "set Draft.date",
    "message-id": "set Draft.message_id",
    "in-reply-to": "set Draft.in_reply_to",
    "references": "set Draft.references",
    "mime-version": "infoview writes the MIME structure: give html= or attachments instead",
    "return-path": "mail servers add it; leave it out",
    "received": "mail servers add it; leave it out",
    "dkim-signature": "mail servers add it; leave it out",
    "authentication-results": "mail servers add it; leave it out",
}
_STRUCTURAL_PREFIXES = {
    "content-": "infoview writes the MIME structure: give html= or attachments instead",
    "resent-": "resent fields are added when a message is forwarded as it is; leave them out",
}
ONCE = frozenset({"reply-to"})


def check_header(header: str, value: str) -> str:
    """Return ``value`` if it is safe in a mail header.

    Raises:
        HeaderInjectionError: When it holds CR, LF or another line break, a
            tab or another control or invisible formatting character, or any
            ``=?…?=`` span (an RFC 2047 encoded word, well formed or not).
    """
    # Printable ASCII holds no line break, control or joiner: only "=?" can be wrong.
    if value.isascii() and value.isprintable() and "=?" not in value:
        return value
    found = _text.problem(value)
    if found is None:
        return value
    if "encoded word" in found:
        hint = "write the text itself, not '=?…?=' (infoview encodes non-ASCII text)"
    elif "line break" in found or "tab" in found:
        hint = "write it on one line, as plain text"
    else:
        hint = "remove the character"
    raise HeaderInjectionError(header, value, found, hint)


def check_message_id(header: str, value: str, owner: str = "mail") -> str:
    """Return ``value`` if it is one Message-ID (``<unique-part@domain>``).

    Raises:
        HeaderInjectionError: As :func:`check_header`.
        ValidationError: When it is not in the ``<unique-part@domain>`` form,
            or is over 900 characters.
    """
    check_header(header, value)
    if len(value) > _MAX_MESSAGE_ID or not _MESSAGE_ID.fullmatch(value):
        raise ValidationError(
            owner,
            header,
            value,
            "is not a Message-ID (one <unique-part@domain>, at most 900 characters)",
            "copy it from the original message's Message-ID header, or make one "
            "with infoview.mail.new_message_id()",
        )
    return value


def check_field_name(name: str) -> str:
    check_header("header name", name)
    if not _FIELD_NAME.fullmatch(name):
        raise HeaderNameError(
            name,
            "is not a header name",
            "use 1 to 76 printable ASCII characters without spaces or ':', such as 'X-Campaign'",
        )
    key = name.lower()
    hint = _STRUCTURAL.get(key) or next(
        (h for p, h in _STRUCTURAL_PREFIXES.items() if key.startswith(p)), None
    )
    if hint is not None:
        raise HeaderNameError(name, "cannot be given as an extra header", hint)
    return name


# Folding. Encoded words are made here from text already checked, so they
# decode to that text; anything else is written as plain ASCII words.


def fold(header: str, words: Iterable[str]) -> str:
    """Join words with single spaces, folding before a word that would pass 78 columns."""
    lines: list[str] = []
    line = ""
    width = _LINE - len(header) - 2
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line, width = word, _LINE - 1
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n ".join(lines)


def _plain(value: str) -> bool:
    # ASCII a reader shows as written: no encoded-word marks, single spaces.
    return (
        value.isascii()
        and value.isprintable()
        and value == value.strip()
        and "  " not in value
        and "=?" not in value
        and "?=" not in value
    )


_UTF8 = Charset("utf-8")


def _one_word(text: str, room: int) -> str | None:
    """Return ``text`` as one Q-encoded word if it fits in ``room`` columns."""
    # Letters, digits and -!*+/ stay as they are, everything else is =XX: a
    # word that is safe in a display name as well as in unstructured text.
    if not text or len(text) + 12 > room:
        return None
    word = quoprimime.header_encode(text.encode(), "utf-8")
    return word if len(word) <= room else None


def text_field(header: str, value: str) -> str:
    if _plain(value) and not _LONG_WORD.search(value):
        return fold(header, value.split(" "))
    return (
        _one_word(value, _LINE - len(header) - 2)
        or Header(value, _UTF8, header_name=header).encode()
    )


def _phrase(name: str) -> list[str]:
    """Return a display name as words to fold: atoms, one quoted string, or encoded words."""
    # Printable ASCII stays readable (a quoted string keeps every space), on a
    # line of its own if long: Python's parser puts a space between adjacent
    # encoded words of a display name, and squeezes spaces inside one.
    if name.isascii() and name.isprintable() and "=?" not in name and "?=" not in name:
        word = name
        if not _ATOMS.fullmatch(name):
            word = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if len(word) <= _MAX_PHRASE:
            return [word]
    # Every word encoded: ASCII specials (< ; ") never reach the header raw.
    encoded = _one_word(name, 75)
    if encoded is not None:
        return [encoded]
    return [w for w in _UTF8.header_encode_lines(name, itertools.repeat(75)) if w]


def _address_words(display_name: str, addr_spec: str) -> list[str]:
    return [*_phrase(display_name), f"<{addr_spec}>"] if display_name else [addr_spec]


def address_field(header: str, addresses: list[Address]) -> str:
    words: list[str] = []
    for item in addresses:
        if words:
            words[-1] += ","
        words += _address_words(item.display_name, item.addr_spec)
    return fold(header, words)


@functools.lru_cache(maxsize=64)  # one sender, the same From line in every draft of a run
def _from_field(display_name: str, addr_spec: str) -> str:
    return fold("From", _address_words(display_name, addr_spec))


def _broken(name: str, text: str) -> bool:
    # Printable text holds no line break, nor any other character _BAD_FOLD looks for.
    if not text.isprintable() and _BAD_FOLD.search(text) is not None:
        return True
    if 4 * len(text) + len(name) + 2 <= _MAX_LINE:  # at most 4 octets a character: it fits
        return False
    return any(len(line.encode()) + len(name) + 2 > _MAX_LINE for line in text.split("\n"))


# Addresses and the header block of a message.


def _idna(domain: str) -> str:
    try:
        domain.encode("ascii")
    except UnicodeEncodeError:
        return domain.encode("idna").decode("ascii")
    return domain


def _address(header: str, name: str, email: str) -> Address:
    check_header(header, name)
    return _mailbox(header, name, email)


def _mailbox(header: str, name: str, email: str) -> Address:
    """The address of a display name checked already, once its address is checked."""
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


# Pictographs, with the joiners and selectors that build them: a name in a
# header shows none ("Alex Kim 🚀" is sent as "Alex Kim"; lint reports it).
EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u200d\ufe0e\ufe0f\U000e0020-\U000e007f]"
)


def display_name(name: str) -> str:
    """Return a name as a header shows it: without emoji, spaces squeezed where one was."""
    bare = EMOJI.sub("", name)
    return name if bare == name else " ".join(bare.split())


def address(person: Any, header: str = "To") -> Address:
    """Return the mail address of a contact (anything with ``name`` and ``email``).

    The display name is kept as written, without emoji (encoded when the
    message is built, if needed); the domain is written in IDNA form.

    Raises:
        MissingEmailError: When the person has no email address.
        HeaderInjectionError: When the name or address is unsafe in a header
            (see :func:`check_header`), or the address is not one plain address.
    """
    name = display_name(check_header(header, str(getattr(person, "name", "") or "")))
    email = getattr(person, "email", None)
    if not email:
        raise MissingEmailError(
            person,
            f"the {header} header",
            f"set Contact.email for {name or 'this contact'} to send mail to them",
        )
    return _mailbox(header, name, str(email))


def new_message_id(sender_email: str | None = None) -> str:
    """Return a new, globally unique Message-ID in the sender's domain."""
    domain = str(sender_email).rpartition("@")[2] if sender_email else ""
    # 128 random bits, as many hex digits as a uuid4 (which spends 6 of them on its version).
    return f"<{os.urandom(16).hex()}@{_id_domain(domain)}>"


@functools.lru_cache(maxsize=256)
def _id_domain(domain: str) -> str:
    """The domain part of a Message-ID: the sender's, when it is one, in ASCII."""
    if not domain or not ADDR_SPEC.fullmatch(f"x@{domain}"):
        domain = _FALLBACK_DOMAIN
    return _idna(domain)


@functools.lru_cache(maxsize=2)
def _local_date(second: int) -> str:
    return formatdate(second, localtime=True)


def _date(date: datetime | None) -> str:
    # The header has whole seconds: formatting "now" once a second is enough.
    return format_datetime(date) if date is not None else _local_date(int(time.time()))


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


def message_headers(
    *,
    subject: str,
    sender: Any,
    to: Sequence[Any],
    cc: Sequence[Any] = (),
    date: datetime | None = None,
    message_id: str | None = None,
    in_reply_to: str | None = None,
    references: Sequence[str] = (),
    headers: Iterable[tuple[str, str]] = (),
) -> list[tuple[str, str]]:
    """Write the header block of a message, MIME-Version last but for extra headers.

    The subject and the Message-IDs must be checked already (each value is
    checked once: a draft checks them when it is made); the addresses and
    the extra headers are checked here. Every value written is then verified
    to be on its own folded lines, none over 998 octets.

    Returns:
        The ``(name, folded value)`` pairs in order (folds as ``"\\n "``).

    Raises:
        As :func:`infoview.mail.message_bytes`.
    """
    sender_address = address(sender, "From")
    to_addresses = [address(p, "To") for p in to]
    cc_addresses = [address(p, "Cc") for p in cc]
    extra = _extra_headers(headers)
    fields = [
        ("From", _from_field(sender_address.display_name, sender_address.addr_spec)),
        ("To", address_field("To", to_addresses)),
    ]
    if cc_addresses:
        fields.append(("Cc", address_field("Cc", cc_addresses)))
    fields += [
        ("Subject", text_field("Subject", subject)),
        ("Date", _date(date)),
        ("Message-ID", message_id or new_message_id(sender_address.addr_spec)),
    ]
    if in_reply_to:
        fields.append(("In-Reply-To", in_reply_to))
    if references:
        fields.append(("References", fold("References", references)))
    fields.append(("MIME-Version", "1.0"))
    for key, value in extra:
        field = address_field(key, value) if isinstance(value, list) else text_field(key, value)
        fields.append((key, field))
    for name, text in fields:
        if _broken(name, text):
            raise HeaderInjectionError(
                name, text, "would not be written as one header", "please report this to infoview"
            )
    return fields
