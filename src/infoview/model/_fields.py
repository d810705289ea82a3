"""Validators and converters shared by the model classes: text, names, enums, addresses.

Datetimes and durations are checked in :mod:`infoview.model._times`.

Each validator raises :class:`~infoview.errors.ValidationError` naming the
class and the field, and saying what to do. Converters only normalize what
they understand (strip text, make a tuple) and leave anything else to the
validator, which refuses it with a message; nothing is coerced with ``str()``.
Converters that need the class and field for their message (an enum field's
:func:`choice`, an address) are ``attrs.Converter`` objects made by :func:`owned`.
"""

from __future__ import annotations

import difflib
import enum
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs
import babel

from infoview.errors import ValidationError
from infoview.model import _text, _times
from infoview.model._show import owner_of as _owner, show, with_article

# show is here for the importers; it lives in _show.
__all__ = [
    "all_of",
    "check_instance",
    "check_text",
    "choice",
    "email",
    "enum_error",
    "identifier",
    "instance_of",
    "list_of",
    "locale",
    "multiline",
    "optional_text",
    "owned",
    "plain_address",
    "required_text",
    "show",
    "single_line",
    "single_line_items",
    "strip_text",
    "text_tuple",
    "timezone",
    "to_list",
    "to_member",
    "whole_number",
]

E = TypeVar("E", bound=enum.Enum)
T = TypeVar("T")
_Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


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
    elif type(value) not in (list, tuple) and (  # lists and tuples skip the ABC checks
        isinstance(value, bytes | bytearray | Mapping) or not isinstance(value, Iterable)
    ):
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
    if value.isascii() and value.isprintable() and "=?" not in value:
        return  # no line break, tab, control character or encoded word: nothing to find
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
    """Refuse non-text and text that could forge a mail header (see :mod:`infoview.model._text`)."""
    if value is not None:  # most optional fields are unset: skip naming the owner
        check_text(value, _owner(instance), attribute.name)


def multiline(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Refuse non-text and text with control characters; line breaks are fine (notes)."""
    if value is not None:
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
    reason = f"{show(value)} is not {with_article(_noun(cls))}"
    return ValidationError(owner, field, value, reason, hint)


def to_member(cls: type[E], value: Any, owner: str, field: str) -> E:
    """Return the member of ``cls`` that ``value`` is or names, else raise ValidationError."""
    try:
        return cls(value)
    except (ValueError, TypeError):
        raise enum_error(cls, value, owner, field) from None


def owned(check: Callable[[Any, str, str], T]) -> attrs.Converter[Any, T]:
    """Make a field converter of ``check(value, owner, field)``; attrs passes class and field."""

    def convert(value: Any, instance: Any, field: attrs.Attribute[Any]) -> T:
        return check(value, _owner(instance), field.name)

    return attrs.Converter(convert, takes_self=True, takes_field=True)


def choice(cls: type[E], *, optional: bool = False) -> attrs.Converter[Any, E | None]:
    """Return the converter of an enum field: the member of ``cls`` that a value is or names.

    Anything else (``None`` too, unless ``optional``) is refused with a
    ValidationError naming the class and the field and suggesting the closest value.
    """

    def convert(value: Any, owner: str, field: str) -> E | None:
        return None if value is None and optional else to_member(cls, value, owner, field)

    return owned(convert)


def check_instance(
    value: Any, cls: type, owner: str, field: str, hint: str, *, optional: bool = False
) -> None:
    """Refuse anything but a ``cls`` (or ``None`` if optional), naming ``owner`` and ``field``."""
    if (value is None and optional) or isinstance(value, cls):
        return
    raise ValidationError(
        owner,
        field,
        value,
        f"expected {'None or ' if optional else ''}{with_article(cls.__name__)}, got {show(value)}",
        hint,
    )


def instance_of(cls: type, hint: str, *, optional: bool = False) -> _Validator:
    """Return a validator refusing anything but a ``cls`` (or ``None`` if optional)."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, cls):  # the owner is named only when something is wrong
            check_instance(value, cls, _owner(instance), attribute.name, hint, optional=optional)

    return check


def to_list(value: Any) -> Any:
    """Turn a tuple (or other iterable) into a list; a list is kept as it is, text passes."""
    if type(value) is tuple:
        return list(value)
    if isinstance(value, list | str | bytes | bytearray | Mapping) or not isinstance(
        value, Iterable
    ):
        return value
    return list(value)


def _check_items(items: Any, cls: type, owner: str, field: str, hint: str) -> None:
    for n, item in enumerate(items):
        check_instance(item, cls, owner, f"{field}[{n}]", hint)


def list_of(cls: type, hint: str, *, kind: type = list) -> _Validator:
    """Return a validator refusing anything but a list (or another ``kind``) of ``cls``."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        owner, field = _owner(instance), attribute.name
        if not isinstance(value, kind):
            raise ValidationError(
                owner, field, value, f"expected a list of {cls.__name__}, got {show(value)}", hint
            )
        _check_items(value, cls, owner, field, hint)

    return check


def all_of(value: Any, cls: type[T], where: str, field: str, *, single: bool = False) -> list[T]:
    """Return the argument ``value`` (an iterable of ``cls``, or one if ``single``) as a list.

    Raises:
        ValidationError: Naming ``where`` and ``field`` when anything else is given.
    """
    hint = f"pass {cls.__name__} objects"
    if isinstance(value, cls):
        if single:
            return [value]
    elif isinstance(value, Iterable) and not isinstance(value, str | bytes | Mapping):
        items = list(value)
        _check_items(items, cls, where, field, hint)
        return items
    raise ValidationError(
        where,
        field,
        value,
        f"expected {'one or more' if single else 'a list of'} {cls.__name__}, got {show(value)}",
        hint,
    )


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


# Addresses email-validator takes as they are, checked without it (it takes ~50 ms to load
# and ~40 µs an address): a lower-case ASCII dot-atom, and a host of lower-case labels
# (no "--") under a top-level domain of letters that is not special-use. Anything
# else, hostile input too, goes to email-validator itself.
_PLAIN_ADDRESS = re.compile(
    r"[a-z0-9_+-]+(?:\.[a-z0-9_+-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,63})"
)
_SPECIAL_USE = frozenset({"arpa", "invalid", "local", "localhost", "onion", "test"})


def plain_address(text: str) -> bool:
    """Say whether email-validator would accept ``text`` and normalize it to itself."""
    found = _PLAIN_ADDRESS.fullmatch(text) if len(text) <= 254 else None
    return found is not None and "--" not in text and found[1] not in _SPECIAL_USE


def email(value: Any, owner: str, field: str) -> str | None:
    """Check address syntax with email-validator (no DNS) and return its normalized form."""
    text = optional_text(value)
    if text is None:
        return None
    check_text(text, owner, field)
    if isinstance(text, str) and plain_address(text):
        return text
    from email_validator import EmailNotValidError, validate_email  # noqa: PLC0415 - see above

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
    text = _times.canonical_zone(text, owner, field)
    if not _ZONE.fullmatch(text):
        raise ValidationError(owner, field, value, f"{show(value)} is not an IANA time zone", hint)
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValidationError(
            owner, field, value, f"{show(value)} is not an IANA time zone", hint
        ) from None
    return text
