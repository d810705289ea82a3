"""Validators and converters shared by the model classes.

Each validator raises :class:`~infoview.errors.ValidationError` naming the
class and the field, and saying what to do. Converters only normalize what
they understand (strip text, look up an enum value, turn minutes into a
timedelta) and leave anything else to the validator, which refuses it with
a message; nothing is coerced with ``str()``.
"""

from __future__ import annotations

import difflib
import enum
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs
import babel
from email_validator import EmailNotValidError, validate_email

from infoview import _text
from infoview.errors import ValidationError

#: Years a model datetime may fall in: wide enough for any record, narrow
#: enough that date arithmetic (follow-ups, calendar time zones) never overflows.
FIRST_YEAR = 1900
LAST_YEAR = 9000

E = TypeVar("E", bound=enum.Enum)
_Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def _owner(instance: Any) -> str:
    return type(instance).__name__


def a(noun: str) -> str:
    """Put the indefinite article before ``noun``: ``an Agenda``, ``a Contact``."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def show(value: Any, limit: int = 60) -> str:
    """Return ``repr(value)``, shortened for an error message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- text ----------------------------------------------------------------------------------


def optional_text(value: Any) -> Any:
    """Strip text; whitespace-only becomes ``None`` (an absent value). Non-text passes through."""
    if isinstance(value, str):
        return value.strip() or None
    return value


def strip_text(value: Any) -> Any:
    """Strip surrounding white space from text, leaving other types for the validator."""
    return value.strip() if isinstance(value, str) else value


def text_tuple(value: Any) -> Any:
    """Turn text or an iterable of text into a tuple of stripped, non-empty strings.

    Anything else (a number, bytes, a mapping) passes through for the validator.
    """
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if isinstance(value, bytes | bytearray | Mapping) or not isinstance(value, Iterable):
        return value
    items = (v.strip() if isinstance(v, str) else v for v in value)
    return tuple(v for v in items if v != "")


def check_text(value: Any, owner: str, field: str, *, multiline: bool = False) -> None:
    """Refuse non-text, and text that ``_text.problem`` reports.

    Args:
        value: The value to check (``None`` passes: an absent value).
        owner: The class (or function) for the message.
        field: The field (or argument) for the message.
        multiline: Allow line breaks and tabs (free-text notes).
    """
    if value is None:
        return
    if not isinstance(value, str):
        raise ValidationError(
            owner, field, value, f"expected text, got {show(value)}", f"give {field} as a str"
        )
    found = _text.problem(value, multiline=multiline)
    if found is not None:
        hint = (
            f"remove it: {field} may span lines but not hold invisible control characters"
            if multiline
            else f"write {field} on one line, as plain text (no line breaks, tabs, "
            "invisible control characters or '=?…?=')"
        )
        raise ValidationError(owner, field, value, f"{show(value)} {found}", hint)


def required_text(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Refuse a missing, empty or whitespace-only text."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(
            _owner(instance),
            attribute.name,
            value,
            "it is empty or only white space"
            if isinstance(value, str)
            else f"expected text, got {show(value)}",
            f"give a non-empty {attribute.name}",
        )


def single_line(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Refuse non-text and text that could forge a mail header (see :mod:`infoview._text`)."""
    check_text(value, _owner(instance), attribute.name)


def multiline(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Refuse non-text and text with control characters; line breaks are fine (notes)."""
    check_text(value, _owner(instance), attribute.name, multiline=True)


def single_line_items(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Refuse anything but a tuple of single-line texts (tags, goals, takeaways)."""
    owner, field = _owner(instance), attribute.name
    if not isinstance(value, tuple):
        raise ValidationError(
            owner,
            field,
            value,
            f"expected a list of text, got {show(value)}",
            f"pass e.g. {field}=['…', '…']",
        )
    for n, item in enumerate(value):
        check_text(item, owner, f"{field}[{n}]")


_IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~:+-]{0,127}")


def identifier(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Refuse an identifier that could not sit in a calendar UID or a Message-ID."""
    if not isinstance(value, str) or not _IDENTIFIER.fullmatch(value):
        raise ValidationError(
            _owner(instance),
            attribute.name,
            value,
            f"{show(value)} is not an identifier",
            "use up to 128 ASCII letters, digits and . _ ~ : + - (the default is a random hex id)",
        )


def slug(text: str, length: int = 48) -> str:
    """Make an ASCII identifier from text, for stable keys."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")[:length].rstrip("_")


# -- enums and types -----------------------------------------------------------------------


def _noun(cls: type) -> str:
    """``FollowUpKind`` → ``"follow-up kind"``."""
    words = re.findall(r"[A-Z][a-z]*", cls.__name__)
    return " ".join(words).lower().replace("follow up", "follow-up")


def enum_error(cls: type[enum.Enum], value: Any, owner: str, field: str) -> ValidationError:
    """Build the error for a value that is no member of ``cls``, suggesting the closest."""
    allowed = [str(member.value) for member in cls]
    hint = "use one of: " + ", ".join(allowed)
    if isinstance(value, str):
        close = difflib.get_close_matches(value.strip().lower(), allowed, n=1, cutoff=0.6)
        if close:
            hint = f"did you mean {close[0]!r}? " + hint
    return ValidationError(owner, field, value, f"{show(value)} is not {a(_noun(cls))}", hint)


def to_member(cls: type[E], value: Any, owner: str, field: str) -> E:
    """Return the member of ``cls`` that ``value`` is or names, else raise ValidationError."""
    try:
        return cls(value)
    except (ValueError, TypeError):
        raise enum_error(cls, value, owner, field) from None


def enum_value(cls: type[enum.Enum], value: object) -> object:
    """Return the member of ``cls`` that ``value`` names; anything else passes to :func:`member`."""
    try:
        return cls(value)
    except (ValueError, TypeError):
        return value


def member(cls: type[enum.Enum], *, optional: bool = False) -> _Validator:
    """Return a validator refusing anything but a member of ``cls`` (or ``None`` if optional)."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if (value is None and optional) or isinstance(value, cls):
            return
        raise enum_error(cls, value, _owner(instance), attribute.name)

    return check


def instance_of(cls: type, hint: str, *, optional: bool = False) -> _Validator:
    """Return a validator refusing anything but a ``cls`` (or ``None`` if optional)."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if (value is None and optional) or isinstance(value, cls):
            return
        raise ValidationError(
            _owner(instance),
            attribute.name,
            value,
            f"expected {'None or ' if optional else ''}{a(cls.__name__)}, got {show(value)}",
            hint,
        )

    return check


def to_list(value: Any) -> Any:
    """Turn a tuple (or other iterable) into a list; a list is kept as it is, text passes."""
    if isinstance(value, list | str | bytes | bytearray | Mapping) or not isinstance(
        value, Iterable
    ):
        return value
    return list(value)


def list_of(cls: type, hint: str) -> _Validator:
    """Return a validator refusing anything but a list of ``cls``."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        owner, field = _owner(instance), attribute.name
        if not isinstance(value, list):
            raise ValidationError(
                owner, field, value, f"expected a list of {cls.__name__}, got {show(value)}", hint
            )
        for n, item in enumerate(value):
            if not isinstance(item, cls):
                raise ValidationError(
                    owner,
                    f"{field}[{n}]",
                    item,
                    f"expected {a(cls.__name__)}, got {show(item)}",
                    hint,
                )

    return check


def whole_number(low: int, high: int, hint: str, *, optional: bool = False) -> _Validator:
    """Return a validator refusing anything but an int from ``low`` to ``high``."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValidationError(
                _owner(instance),
                attribute.name,
                value,
                f"{show(value)} is not a whole number from {low} to {high}",
                hint,
            )

    return check


# -- addresses, locales, zones -------------------------------------------------------------


def email(value: Any, owner: str, field: str) -> str | None:
    """Check address syntax with email-validator (no DNS) and return its normalized form."""
    text = optional_text(value)
    if text is None:
        return None
    check_text(text, owner, field)
    try:
        normalized: str = validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValidationError(
            owner,
            field,
            value,
            f"{show(value)} is not a valid email address ({exc})",
            "write it as name@example.org, or leave it out",
        ) from None
    return normalized


# A BCP 47 subtag, or a Babel/POSIX id part.
_SUBTAG = re.compile(r"[A-Za-z0-9]{1,8}")
_LOCALE_HINT = "use a BCP 47 tag or a Babel id such as 'en', 'de-AT', 'sr-Latn-RS' or 'es_MX'"


def locale(value: Any, owner: str, field: str) -> str | None:
    """Accept ``de-AT`` and ``de_AT`` alike and return Babel's form, ``de_AT``.

    BCP 47 extensions and private-use parts are dropped (``de-DE-u-co-phonebk``
    is ``de_DE``); the language, script, territory and a variant Babel knows
    are kept (``sr-Latn-RS`` is ``sr_Latn_RS``). A ``babel.Locale`` is taken
    as it is.
    """
    if isinstance(value, babel.Locale):
        return str(value)
    text = optional_text(value)
    if text is None:
        return None
    check_text(text, owner, field)

    def refuse(why: str) -> ValidationError:
        return ValidationError(owner, field, value, f"{show(value)} {why}", _LOCALE_HINT)

    if len(text) > 100:
        raise refuse("is too long for a locale")
    subtags = re.split(r"[-_]", text.split(".", 1)[0].split("@", 1)[0])
    if not all(_SUBTAG.fullmatch(s) for s in subtags):
        raise refuse("is not a locale")
    if len(subtags[0]) == 1:
        raise refuse("names no language (a private-use or grandfathered tag)")
    if subtags[0].lower() in ("und", "root"):
        raise refuse("names no language")
    # A singleton (u, t, x, …) starts the extensions and private use: drop them.
    for n, subtag in enumerate(subtags):
        if len(subtag) == 1:
            subtags = subtags[:n]
            break
    if "-" in text:
        text = "_".join(subtags)
    try:
        return str(babel.Locale.parse(text, sep="_"))
    except (ValueError, TypeError, babel.UnknownLocaleError):
        raise refuse("is not a known locale") from None


# An IANA zone name: "UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires", "Etc/GMT+5".
_ZONE = re.compile(r"[A-Za-z][A-Za-z0-9_+-]{0,29}(?:/[A-Za-z0-9][A-Za-z0-9_+-]{0,29}){0,2}")


def timezone(value: Any, owner: str, field: str) -> str | None:
    """Return an IANA zone name, refusing anything zoneinfo does not know.

    A ``ZoneInfo`` is taken by its name.
    """
    if isinstance(value, ZoneInfo) and value.key:
        value = value.key
    text = optional_text(value)
    if text is None:
        return None
    hint = "use a name such as 'Europe/Berlin' or 'America/Chicago'"
    if not isinstance(text, str):
        raise ValidationError(owner, field, value, f"expected text, got {show(value)}", hint)
    check_text(text, owner, field)
    if not _ZONE.fullmatch(text):
        raise ValidationError(owner, field, value, f"{show(value)} is not an IANA time zone", hint)
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValidationError(
            owner, field, value, f"{show(value)} is not an IANA time zone", hint
        ) from None
    return text


# -- times and durations -------------------------------------------------------------------


def instant(value: Any) -> Any:
    """Move an aware datetime off a wall time that does not exist (a spring-forward gap).

    ``02:30`` on the night clocks jump from 02:00 to 03:00 names no instant;
    it becomes the instant Python computes for it, shown on the real clock
    (``03:30``), so comparisons, serialization and calendars agree. Other
    values (and times too close to year 1 or 9999 to convert) pass through
    for the validator to judge.
    """
    if isinstance(value, datetime) and value.tzinfo is not None and value.utcoffset() is not None:
        try:
            return value.astimezone(UTC).astimezone(value.tzinfo)
        except OverflowError:
            return value
    return value


def moment(value: Any, owner: str, field: str) -> datetime:
    """Return ``value`` as a real aware instant, or raise ValidationError naming the field.

    Refuses non-datetimes, naive datetimes and years outside
    ``FIRST_YEAR``–``LAST_YEAR``.
    """
    if not isinstance(value, datetime):
        raise ValidationError(
            owner,
            field,
            value,
            f"expected a datetime with a time zone, got {show(value)}",
            "pass e.g. datetime(2026, 12, 3, 15, 0, tzinfo=ZoneInfo('Europe/Berlin'))",
        )
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(
            owner,
            field,
            value,
            f"{value.isoformat()} has no time zone",
            "pass an aware datetime: attach one, e.g. "
            "datetime(..., tzinfo=ZoneInfo('Europe/Berlin')), or use datetime.now(UTC)",
        )
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            owner,
            field,
            value,
            f"{value.isoformat()} is outside the years infoview handles",
            f"give a time from {FIRST_YEAR} to {LAST_YEAR}",
        )
    result: datetime = instant(value)
    return result


def aware(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Refuse a non-datetime, a naive datetime or one outside the supported years."""
    if value is None:
        return
    moment(value, _owner(instance), attribute.name)


# Beyond this many minutes a number cannot be a meeting's length (nor a timedelta).
_MAX_MINUTES = 10**6


def to_timedelta(value: Any) -> Any:
    """Accept a number of minutes where a duration is expected (others pass to the validator)."""
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and abs(value) <= _MAX_MINUTES
    ):
        return timedelta(minutes=value)
    return value


def minutes_between(low: int, high: int) -> _Validator:
    """Return a validator refusing a timedelta outside ``low``–``high`` minutes."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        owner, field = _owner(instance), attribute.name
        if isinstance(value, int | float) and not isinstance(value, bool):
            raise ValidationError(
                owner,
                field,
                value,
                f"{show(value)} is not a usable number of minutes",
                f"give a finite number of minutes from {low} to {high}, e.g. 20",
            )
        if not isinstance(value, timedelta):
            raise ValidationError(
                owner,
                field,
                value,
                f"expected a timedelta, got {show(value)}",
                "pass e.g. timedelta(minutes=20)",
            )
        if not timedelta(minutes=low) <= value <= timedelta(minutes=high):
            minutes = value.total_seconds() / 60
            raise ValidationError(
                owner,
                field,
                value,
                f"{minutes:g} minutes is outside {low}–{high} minutes",
                f"informational interviews run {low}–{high} minutes; 20 is the usual ask",
            )

    return check


def http_url(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Refuse a URL that is not http(s), or text that could not sit on one line."""
    if value is None:
        return
    check_text(value, _owner(instance), attribute.name)
    if not re.match(r"^https?://[^\s/]+\.[^\s]+$", value):
        raise ValidationError(
            _owner(instance),
            attribute.name,
            value,
            f"{show(value)} is not an http(s) URL",
            "give the full address, e.g. https://www.linkedin.com/in/ana-garcia",
        )
