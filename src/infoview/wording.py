"""Wording: Babel formatting of times, durations and lists, salutations and closings.

Plain functions of a value and a locale, no Jinja: the template filters and
globals in :mod:`infoview.i18n` call them with the render's locale, and
scripts can call them directly. Every date and time is written in a zone
(the contact's, and the sender's where the clocks differ); a duration is
never rounded; a greeting never guesses a gender.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta, tzinfo
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import babel
import babel.dates
import babel.lists
import babel.units
from babel.support import NullTranslations

from infoview.contact import Contact, Honorific, Register, _name_parts
from infoview.locales import (
    SOURCE_LANGUAGE,
    LocaleLike,
    babel_locale,
    catalog_language,
    parse_locale,
    translations,
)

__all__ = [
    "N_",
    "Zone",
    "closing",
    "format_duration_text",
    "format_meeting_time",
    "in_zone",
    "join_list",
    "regional",
    "salutation",
    "you_",
    "zone_label",
]

# -- Time zones --------------------------------------------------------------

#: A time zone as the formatting functions take it: a tzinfo, an IANA name or None.
Zone = tzinfo | str | None


def _zone(zone: Zone) -> tzinfo | None:
    if zone is None or isinstance(zone, tzinfo):
        return zone
    try:
        return ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError, TypeError, OSError):
        raise ValueError(
            f"{zone!r} is not an IANA time zone; use a name such as 'Europe/Berlin', "
            "or a contact's zone (contact.timezone)"
        ) from None


def in_zone(value: Any, zone: Zone, what: str = "a date filter") -> datetime:
    """Return an aware datetime in ``zone`` (``None``: its own zone).

    Args:
        value: The moment; it must be a datetime with a time zone.
        zone: The zone to show it in.
        what: Who asks, for the error message (``"|date"``).

    Raises:
        TypeError: When ``value`` is not a datetime.
        ValueError: When ``value`` has no time zone, or ``zone`` is not an IANA name.
    """
    if not isinstance(value, datetime):
        raise TypeError(f"{what} needs a datetime, got {value!r}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} needs a datetime with a time zone, got {value.isoformat()}")
    target = _zone(zone)
    return value if target is None else value.astimezone(target)


# -- Durations and lists -----------------------------------------------------


def format_duration_text(value: timedelta | int, locale: str | babel.Locale) -> str:
    """Write a duration exactly, in words: "20 minutes", "1 Stunde, 30 Minuten".

    Babel's ``format_timedelta`` rounds (90 minutes becomes "2 hours"); an
    interview's length must not be rounded. ``value`` may be minutes.
    """
    loc = babel_locale(locale)
    if isinstance(value, bool) or not isinstance(value, timedelta | int):
        raise TypeError(f"|duration needs a timedelta or whole minutes, got {value!r}")
    seconds = int(value.total_seconds()) if isinstance(value, timedelta) else value * 60
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    for amount, unit in ((hours, "duration-hour"), (minutes, "duration-minute")):
        if amount:
            parts.append(babel.units.format_unit(amount, unit, length="long", locale=loc))
    if secs or not parts:
        parts.append(babel.units.format_unit(secs, "duration-second", length="long", locale=loc))
    return join_list(parts, loc, "unit")


def join_list(items: Sequence[str], locale: LocaleLike, style: str = "standard") -> str:
    """Join items as the locale does: "Anna, Ben and Cem", "Anna, Ben und Cem".

    Works around partial CLDR list data (Spanish has no "unit" lists): the
    language's own pattern, then the standard style, is used instead.

    Raises:
        LookupError: When Babel has no pattern at all.
    """
    loc = babel_locale(locale)
    for candidate, chosen in ((loc, style), (parse_locale(loc.language), style), (loc, "standard")):
        try:
            return babel.lists.format_list(items, style=chosen, locale=candidate)  # type: ignore[arg-type]
        except KeyError:
            continue
    raise LookupError(f"Babel has no {style!r} list pattern for {loc}")


# -- Meeting times -----------------------------------------------------------


def N_(message: str) -> str:  # noqa: N802 - gettext's marker name, a default pybabel keyword
    """Mark a message for extraction without translating it here."""
    return message


def you_(message: str) -> str:
    """Mark a message that addresses the reader: extracted once per register."""
    return message


_MY_TIME = N_("%(time)s (%(other)s my time)")
_CITY_TIME = N_("%(city)s time")
_YOUR_TIME = you_("%(time)s (%(other)s for you)")

_ABBREVIATION = re.compile(r"^[^\W\d_]{2,5}$")


def _catalog(loc: babel.Locale) -> NullTranslations:
    return translations(catalog_language(loc))


def zone_label(value: datetime, locale: str | babel.Locale) -> str:
    """Name a datetime's zone briefly: "MEZ", "CST", else "Chicago time" in the locale."""
    loc = babel_locale(locale)
    if value.tzinfo is None:
        return ""
    short = babel.dates.get_timezone_name(value, "short", locale=loc)
    if _ABBREVIATION.match(short):
        return short
    if isinstance(value.tzinfo, ZoneInfo) and "/" in value.tzinfo.key:
        city = babel.dates.get_timezone_location(value.tzinfo, locale=loc, return_city=True)
        return regional(_catalog(loc).gettext(_CITY_TIME), loc) % {"city": city}
    return str(babel.dates.get_timezone_gmt(value, "short", locale=loc))


def _time_with_zone(value: datetime, loc: babel.Locale) -> str:
    time = babel.dates.format_time(value, "short", tzinfo=value.tzinfo, locale=loc)
    label = zone_label(value, loc)
    return f"{time} {label}" if label else time


def _combine(time: str, date: str, loc: babel.Locale) -> str:
    """Put a date and a time together the way the locale does ("{1}, {0}")."""
    pattern = str(loc.datetime_formats["full"]).replace("'", "")
    return pattern.replace("{0}", time).replace("{1}", date)


def format_meeting_time(
    when: datetime,
    locale: LocaleLike,
    zone: Zone,
    other_zone: Zone = None,
    *,
    reader: Literal["contact", "sender"] = "contact",
    register: Register | str = Register.FORMAL,
    with_date: bool = True,
) -> str:
    """Show a meeting time in one zone, and in a second one where the clocks differ.

    The time comes first in ``zone`` (the contact's), then in ``other_zone``
    (the sender's) when the two differ at that moment: "Thursday, December 3,
    2026, 3:00 PM CST (10:00 PM CET my time)" for the contact to read, "… (…
    for you)" when the sender reads it.

    Args:
        when: A timezone-aware datetime.
        locale: The formatting locale; its language picks the catalog.
        zone: The first zone (the contact's); ``None`` keeps ``when``'s own.
        other_zone: The second zone (the sender's), shown only if it differs.
        reader: Who reads the text: the contact ("my time") or the sender ("for you").
        register: The address for "for you" (Sie/du, vous/tu, usted/tú).
        with_date: Start with the full date.
    """
    loc = babel_locale(locale)
    first = in_zone(when, zone)
    text = _time_with_zone(first, loc)
    if with_date:
        date = babel.dates.format_date(first, "full", locale=loc)
        text = _combine(text, date, loc)
    second = None if other_zone is None else in_zone(when, other_zone)
    if second is None or second.utcoffset() == first.utcoffset():
        return text
    other = _time_with_zone(second, loc)
    if second.date() != first.date():
        weekday = babel.dates.format_date(second, "EEEE", locale=loc)
        other = _combine(other, weekday, loc)
    tr = _catalog(loc)
    if reader == "contact":
        message = tr.gettext(_MY_TIME)
    else:
        message = str(tr.pgettext(Register(register).value, _YOUR_TIME))
    return regional(message, loc) % {"time": text, "other": other}


# -- Salutations and closings ------------------------------------------------

# Each language: register -> honorific (None: neutral) -> pattern. Patterns use
# {full} (the name without courtesy titles), {first} and {last}. Neutral forms
# never imply a gender; gendered ones appear only for a chosen honorific.
_N = None
_SALUTATIONS: dict[str, dict[str, dict[Honorific | None, str]]] = {
    "en": {
        "formal": {
            _N: "Dear {full},",
            Honorific.MS: "Dear Ms. {last},",
            Honorific.MR: "Dear Mr. {last},",
            Honorific.MX: "Dear Mx. {last},",
            Honorific.DR: "Dear Dr. {last},",
        },
        "informal": {_N: "Hi {first},"},
    },
    "de": {
        "formal": {
            _N: "Guten Tag {full},",
            Honorific.MS: "Sehr geehrte Frau {last},",
            Honorific.MR: "Sehr geehrter Herr {last},",
            Honorific.DR: "Guten Tag Dr. {full},",
        },
        "informal": {
            _N: "Hallo {first},",
            Honorific.MS: "Liebe {first},",
            Honorific.MR: "Lieber {first},",
        },
    },
    "fr": {
        # French does not use academic titles in address: Dr. stays neutral.
        "formal": {_N: "Bonjour {full},", Honorific.MS: "Madame,", Honorific.MR: "Monsieur,"},
        "informal": {_N: "Bonjour {first},"},
    },
    "es": {
        # Dr./Dra. is gendered in Spanish: without Sra./Sr. it stays neutral.
        "formal": {
            _N: "Buenos días, {full}:",
            Honorific.MS: "Estimada Sra. {last}:",
            Honorific.MR: "Estimado Sr. {last}:",
        },
        "informal": {_N: "Hola, {first}:"},
    },
}
# English outside North America writes Ms, Mr, Dr without a full stop.
_NO_FULL_STOP_REGIONS = frozenset({"GB", "IE", "AU", "NZ", "ZA"})

_CLOSINGS: dict[str, dict[str, str]] = {
    "en": {"formal": "Best regards,", "informal": "Best,"},
    "de": {"formal": "Mit freundlichen Grüßen", "informal": "Viele Grüße"},
    "fr": {"formal": "Cordialement,", "informal": "Bien à toi,"},
    "es": {"formal": "Saludos cordiales,", "informal": "Un abrazo,"},
}


def _full_name(contact: Contact) -> str:
    return " ".join(_name_parts(contact.name)) if " " in contact.name else contact.name


def salutation(
    contact: Contact,
    register: Register | str | None = None,
    locale: LocaleLike = SOURCE_LANGUAGE,
) -> str:
    """Return the opening line for a contact: "Guten Tag Anna Müller,", "Hola, Ana:".

    Never guesses gender: the neutral form is used unless the contact's
    :attr:`~infoview.Contact.honorific` says how they want to be addressed.

    Args:
        contact: The person written to.
        register: Formal or informal; defaults to the contact's own.
        locale: The render's locale (unshipped languages use English).
    """
    loc = babel_locale(locale)
    language = catalog_language(loc)
    chosen = Register(register) if register is not None else contact.register
    forms = _SALUTATIONS[language][chosen.value]
    pattern = forms.get(contact.honorific, forms[_N])
    if language == "en" and loc.territory in _NO_FULL_STOP_REGIONS:
        pattern = re.sub(r"\b(Ms|Mr|Mx|Dr)\.", r"\1", pattern)
    return regional(pattern, loc).format(
        full=_full_name(contact), first=contact.first_name, last=contact.last_name
    )


def closing(
    register: Register | str = Register.FORMAL,
    locale: LocaleLike = SOURCE_LANGUAGE,
) -> str:
    """Return the sign-off line: "Mit freundlichen Grüßen", "Un abrazo,"."""
    loc = babel_locale(locale)
    return regional(_CLOSINGS[catalog_language(loc)][Register(register).value], loc)


# Swiss and Liechtenstein German write "ss" for "ß" ("Mit freundlichen Grüssen").
_NO_SHARP_S = frozenset({"CH", "LI"})


def regional(text: str, locale: LocaleLike) -> str:
    """Adapt translated text to its region's spelling (de_CH: "ß" becomes "ss")."""
    loc = babel_locale(locale)
    if loc.language == "de" and loc.territory in _NO_SHARP_S:
        return text.replace("ß", "ss")
    return text
