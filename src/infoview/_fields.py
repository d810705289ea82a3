"""Validators and converters shared by the model classes.

Each validator raises :class:`~infoview.errors.ValidationError` naming the
class and the field, and saying what to do.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs
import babel
from email_validator import EmailNotValidError, validate_email

from infoview.errors import ValidationError

# Line breaks that mail headers and single-line fields must never carry.
LINE_BREAKS = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")


def _owner(instance: Any) -> str:
    return type(instance).__name__


def optional_text(value: Any) -> str | None:
    """Strip text; whitespace-only becomes ``None`` (an absent value)."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def strip_text(value: Any) -> Any:
    """Strip surrounding white space from text, leaving other types for the validator."""
    return value.strip() if isinstance(value, str) else value


def text_tuple(value: Any) -> tuple[str, ...]:
    """Turn an iterable of text into a tuple of stripped, non-empty strings."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    return tuple(t for t in (optional_text(v) for v in value) if t)


def required_text(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Refuse a missing, empty or whitespace-only text."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(
            _owner(instance),
            attribute.name,
            value,
            "it is empty or only white space"
            if isinstance(value, str)
            else f"expected text, got {value!r}",
            f"give a non-empty {attribute.name}",
        )


def single_line(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Refuse text holding a line break (it could forge mail headers)."""
    if isinstance(value, str) and LINE_BREAKS.search(value):
        raise ValidationError(
            _owner(instance),
            attribute.name,
            value,
            f"{value!r} contains a line break",
            f"write {attribute.name} on one line",
        )


def email(value: Any, owner: str, field: str) -> str | None:
    """Check address syntax with email-validator (no DNS) and return its normalized form."""
    text = optional_text(value)
    if text is None:
        return None
    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValidationError(
            owner,
            field,
            value,
            f"{value!r} is not a valid email address ({exc})",
            "write it as name@example.org, or leave it out",
        ) from None


def locale(value: Any, owner: str, field: str) -> str | None:
    """Accept ``de-AT`` and ``de_AT`` alike and return Babel's form, ``de_AT``."""
    text = optional_text(value)
    if text is None:
        return None
    try:
        return str(babel.Locale.parse(text, sep="-" if "-" in text else "_"))
    except (ValueError, TypeError, babel.UnknownLocaleError):
        raise ValidationError(
            owner,
            field,
            value,
            f"{value!r} is not a known locale",
            "use a BCP 47 tag or a Babel id such as 'en', 'de-AT' or 'es_MX'",
        ) from None


def timezone(value: Any, owner: str, field: str) -> str | None:
    """Return an IANA zone name, refusing anything zoneinfo does not know."""
    text = optional_text(value)
    if text is None:
        return None
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            owner,
            field,
            value,
            f"{value!r} is not an IANA time zone",
            "use a name such as 'Europe/Berlin' or 'America/Chicago'",
        ) from None
    return text


def instant(value: Any) -> Any:
    """Move an aware datetime off a wall time that does not exist (a spring-forward gap).

    ``02:30`` on the night clocks jump from 02:00 to 03:00 names no instant;
    it becomes the instant Python computes for it, shown on the real clock
    (``03:30``), so comparisons, serialization and calendars agree. Other
    values pass through for the validator to judge.
    """
    if isinstance(value, datetime) and value.tzinfo is not None and value.utcoffset() is not None:
        return value.astimezone(UTC).astimezone(value.tzinfo)
    return value


def aware(instance: Any, attribute: attrs.Attribute[Any], value: datetime | None) -> None:
    """Refuse a naive datetime."""
    if value is None:
        return
    if not isinstance(value, datetime):
        raise ValidationError(
            _owner(instance), attribute.name, value, f"expected a datetime, got {value!r}"
        )
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(
            _owner(instance),
            attribute.name,
            value,
            f"{value.isoformat()} has no time zone",
            "attach one, e.g. datetime(..., tzinfo=ZoneInfo('Europe/Berlin'))",
        )


def minutes_between(low: int, high: int) -> Any:
    """Return a validator refusing a timedelta outside ``low``–``high`` minutes."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: timedelta) -> None:
        if not isinstance(value, timedelta):
            raise ValidationError(
                _owner(instance),
                attribute.name,
                value,
                f"expected a timedelta, got {value!r}",
                "pass e.g. timedelta(minutes=20)",
            )
        if not timedelta(minutes=low) <= value <= timedelta(minutes=high):
            minutes = value.total_seconds() / 60
            raise ValidationError(
                _owner(instance),
                attribute.name,
                value,
                f"{minutes:g} minutes is outside {low}–{high} minutes",
                f"informational interviews run {low}–{high} minutes; 20 is the usual ask",
            )

    return check


def to_timedelta(value: Any) -> Any:
    """Accept a number of minutes where a duration is expected."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return timedelta(minutes=value)
    return value


def http_url(instance: Any, attribute: attrs.Attribute[Any], value: str | None) -> None:
    """Refuse a URL that is not http(s)."""
    if value is None:
        return
    if not re.match(r"^https?://[^\s/]+\.[^\s]+$", value):
        raise ValidationError(
            _owner(instance),
            attribute.name,
            value,
            f"{value!r} is not an http(s) URL",
            "give the full address, e.g. https://www.linkedin.com/in/ana-garcia",
        )


def slug(text: str, length: int = 48) -> str:
    """Make an ASCII identifier from text, for stable keys."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")[:length].rstrip("_")
