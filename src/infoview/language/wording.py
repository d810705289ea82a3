"""Wording: Babel formatting of times, durations and lists, salutations and closings.

Plain functions of a value and a locale, no Jinja: the template filters and
globals in :mod:`infoview.language.i18n` call them with the render's locale, and
scripts can call them directly. Every date and time is written in a zone
(the contact's, and the sender's where the clocks differ); a duration is
never rounded; a greeting never guesses a gender.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta, tzinfo
from functools import cache, lru_cache
from gettext import NullTranslations  # Babel's catalogs are instances of its subclasses
from types import ModuleType
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import babel
import babel.lists
import babel.units

from infoview import _kept as kept_on_disk
from infoview.language.locales import (
    SOURCE_LANGUAGE,
    LocaleLike,
    babel_locale,
    catalog_language,
    parse_locale,
    translations,
)
from infoview.model.contact import Contact, Honorific, Register
from infoview.model.names import is_particle

__all__ = [
    "N_",
    "Zone",
    "after_greeting",
    "closing",
    "format_day",
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


@cache
def _dates() -> ModuleType:
    """Babel's dates, loaded when a date is first formatted (loading looks up the local zone)."""
    import babel.dates  # noqa: PLC0415 - about 10 ms with pytz installed (vobject needs it)

    return babel.dates


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
    return _duration_text(int(seconds), loc)


# The durations kept for the next process (infoview._kept), per locale, as read
# (seconds → text): Babel reads a whole locale's data (about ten milliseconds)
# to write the first duration of a process.
_kept: dict[str, dict[int, str]] = {}
# At most this many durations are kept per locale.
_KEEP_DURATIONS = 2_000


@lru_cache(maxsize=4096)
def _duration_text(seconds: int, loc: babel.Locale) -> str:
    """``format_duration_text`` for whole seconds, cached: a few lengths recur in every run."""
    if kept_on_disk.directory() is None:
        return _written_duration(seconds, loc)
    key = kept_on_disk.digest(babel.__version__, "durations", str(loc), _this_file())
    if str(loc) not in _kept:
        found = kept_on_disk.read_value(key)
        ok = isinstance(found, dict) and all(
            type(k) is int and type(v) is str for k, v in found.items()
        )
        _kept[str(loc)] = found if ok else {}  # type: ignore[assignment] # checked just above
    kept = _kept[str(loc)]
    text = kept.get(seconds)
    if text is None:
        text = _written_duration(seconds, loc)
        if len(kept) < _KEEP_DURATIONS:
            kept[seconds] = text
            kept_on_disk.write_value(key, kept)
    return text


@lru_cache(maxsize=1)
def _this_file() -> tuple[str, int, int]:
    """This module's file as it stands: a changed checkout writes durations anew."""
    try:
        status = os.stat(__file__)
    except OSError:
        return (__file__, 0, 0)
    return (__file__, status.st_mtime_ns, status.st_size)


def _written_duration(seconds: int, loc: babel.Locale) -> str:
    """A duration in whole seconds in words, by Babel's units and lists."""
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


# -- Dates -------------------------------------------------------------------

# Spanish writes no comma between weekday and day ("el jueves 3 de diciembre"),
# where CLDR's full pattern has one.
_NO_WEEKDAY_COMMA = frozenset({"es"})


def format_day(value: date, format: str, locale: LocaleLike) -> str:
    """Format a date in the locale: Babel's format or pattern, as the language writes it.

    Spanish drops CLDR's comma after the weekday: "jueves 3 de diciembre de
    2026", so that "el jueves 3 de diciembre" reads right in a sentence.
    """
    loc = babel_locale(locale)
    pattern: str = format
    if loc.language in _NO_WEEKDAY_COMMA and format in loc.date_formats:
        pattern = str(loc.date_formats[format].pattern).replace("EEEE, ", "EEEE ")
    return str(_dates().format_date(value, pattern, locale=loc))


# -- Meeting times -----------------------------------------------------------


def N_(message: str) -> str:  # noqa: N802 - gettext's marker name, a default pybabel keyword
    """Mark a message for extraction without translating it here."""
    return message


def you_(message: str) -> str:
    """Mark a message that addresses the reader: extracted once per register."""
    return message


_MY_TIME = N_("%(time)s (%(other)s for me)")
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
    short = str(_dates().get_timezone_name(value, "short", locale=loc))
    if _ABBREVIATION.match(short):
        return short
    if isinstance(value.tzinfo, ZoneInfo) and "/" in value.tzinfo.key:
        city = _dates().get_timezone_location(value.tzinfo, locale=loc, return_city=True)
        return regional(_catalog(loc).gettext(_CITY_TIME), loc) % {"city": city}
    return str(_dates().get_timezone_gmt(value, "short", locale=loc))


def _time_with_zone(value: datetime, loc: babel.Locale) -> str:
    time = _dates().format_time(value, "short", tzinfo=value.tzinfo, locale=loc)
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
    2026, 3:00 PM CST (10:00 PM CET for me)" for the contact to read, "… (…
    for you)" when the sender reads it.

    Args:
        when: A timezone-aware datetime.
        locale: The formatting locale; its language picks the catalog.
        zone: The first zone (the contact's); ``None`` keeps ``when``'s own.
        other_zone: The second zone (the sender's), shown only if it differs.
        reader: Who reads the text: the contact ("for me") or the sender ("for you").
        register: The address for "for you" (Sie/du, vous/tu, usted/tú).
        with_date: Start with the full date.
    """
    loc = babel_locale(locale)
    first = in_zone(when, zone)
    text = _time_with_zone(first, loc)
    if with_date:
        text = _combine(text, format_day(first, "full", loc), loc)
    second = None if other_zone is None else in_zone(when, other_zone)
    if second is None or second.utcoffset() == first.utcoffset():
        return text
    other = _time_with_zone(second, loc)
    if second.date() != first.date():
        weekday = _dates().format_date(second, "EEEE", locale=loc)
        other = _combine(other, weekday, loc)
    tr = _catalog(loc)
    if reader == "contact":
        message = tr.gettext(_MY_TIME)
    else:
        message = str(tr.pgettext(Register(register).value, _YOUR_TIME))
    return regional(message, loc) % {"time": text, "other": other}


# -- Salutations and closings ------------------------------------------------

# Each language: register -> key -> pattern. The key is the address the
# contact stated (honorific, or a courtesy title in the name; None: neutral),
# paired with _TITLED when the name carries an academic title the language
# uses in address ("Dr. Ana García"). Patterns use {first}, {last}, {full}
# (given-first, without titles), {title} (the first title) and {titles} (all,
# each followed by a space). Neutral forms never imply a gender; gendered
# ones appear only for an address the contact stated.
_N = None
_TITLED = "titled"
_Key = Honorific | str | tuple[Honorific, str] | None
_SALUTATIONS: dict[str, dict[str, dict[_Key, str]]] = {
    "en": {
        # "Dear Ana García," reads like a mail merge: the first name, or the title.
        "formal": {
            _N: "Dear {first},",
            _TITLED: "Dear {title} {last},",
            Honorific.MS: "Dear Ms. {last},",
            Honorific.MR: "Dear Mr. {last},",
            Honorific.MX: "Dear Mx. {last},",
        },
        "informal": {_N: "Hi {first},"},
    },
    "de": {
        "formal": {
            _N: "Guten Tag {titles}{full},",
            Honorific.MS: "Sehr geehrte Frau {titles}{last},",
            Honorific.MR: "Sehr geehrter Herr {titles}{last},",
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
            (Honorific.MS, _TITLED): "Estimada Dra. {last}:",
            (Honorific.MR, _TITLED): "Estimado Dr. {last}:",
        },
        "informal": {_N: "Hola, {first}:"},
    },
}
# A connection note is short and informal-polite: it never opens like a letter
# ("Dear Ana,", "Sehr geehrte Frau Müller,", "Madame,", "Estimada Sra. García:").
# Its formal greetings, per language; informal ones are the letter's.
_NOTE_SALUTATIONS: dict[str, dict[_Key, str]] = {
    "en": {
        _N: "Hello {first},",
        _TITLED: "Hello {title} {last},",
        Honorific.MS: "Hello Ms. {last},",
        Honorific.MR: "Hello Mr. {last},",
        Honorific.MX: "Hello Mx. {last},",
    },
    "de": {
        _N: "Guten Tag {titles}{full},",
        Honorific.MS: "Guten Tag Frau {titles}{last},",
        Honorific.MR: "Guten Tag Herr {titles}{last},",
    },
    "fr": {
        _N: "Bonjour {full},",
        Honorific.MS: "Bonjour Madame {last},",
        Honorific.MR: "Bonjour Monsieur {last},",
    },
    "es": {
        _N: "Buenos días, {full}:",
        Honorific.MS: "Buenos días, Sra. {last}:",
        Honorific.MR: "Buenos días, Sr. {last}:",
        (Honorific.MS, _TITLED): "Buenos días, Dra. {last}:",
        (Honorific.MR, _TITLED): "Buenos días, Dr. {last}:",
    },
}
# The academic titles each language puts in a salutation, as it writes them.
_TITLE_WORDS: dict[str, dict[str, str]] = {
    "en": {"Dr": "Dr.", "Prof": "Professor"},
    "de": {"Prof": "Prof.", "Dr": "Dr."},
    "fr": {},
    "es": {"Dr": "Dr."},
}
# Spanish capitalizes a particle that opens the family name used alone
# ("Sr. De la Cruz"); German, French and English keep it ("Herr von Weizsäcker").
_CAPITAL_PARTICLE = frozenset({"es"})
# English outside North America writes Ms, Mr, Dr without a full stop.
_NO_FULL_STOP_REGIONS = frozenset({"GB", "IE", "AU", "NZ", "ZA"})
_FULL_STOP = re.compile(r"\b(Ms|Mr|Mx|Dr)\.")

_CLOSINGS: dict[str, dict[str, str]] = {
    "en": {"formal": "Best regards,", "informal": "Best,"},
    "de": {"formal": "Mit freundlichen Grüßen", "informal": "Viele Grüße"},
    "fr": {"formal": "Cordialement,", "informal": "Bien à toi,"},
    # "Un abrazo" is for people you know; a first message to a stranger says "Un saludo".
    "es": {"formal": "Saludos cordiales,", "informal": "Un saludo,"},
}


def _pattern(forms: dict[_Key, str], address: Honorific | None, titled: bool) -> str:
    """The most specific pattern: address and title, title, address, neutral."""
    keys: list[_Key] = [(address, _TITLED)] if titled and address else []
    keys += [_TITLED] if titled else []
    keys += [address] if address else []
    return next((forms[k] for k in keys if k in forms), forms[_N])


def salutation(
    contact: Contact,
    register: Register | str | None = None,
    locale: LocaleLike = SOURCE_LANGUAGE,
    *,
    note: bool = False,
) -> str:
    """Return the opening line for a contact: "Dear Ana,", "Guten Tag Anna Müller,", "Hola, Ana:".

    Never guesses gender: the neutral form is used unless the contact's
    :attr:`~infoview.Contact.honorific`, or a courtesy title written in the
    name ("Frau Müller", "Mr. Smith"), says how they want to be addressed.
    An academic title in the name counts as in each language ("Dear Dr.
    García,", "Sehr geehrte Frau Dr. García,", "Estimada Dra. García:"). An
    informal greeting needs a given name; without one ("Mr. Smith") the
    formal one is used.

    Args:
        contact: The person written to.
        register: Formal or informal; defaults to the contact's own.
        locale: The render's locale (unshipped languages use English).
        note: Greet for a short connection note, informal-polite, not a
            letter: "Hello Ana,", "Guten Tag Frau Dr. Müller,", "Bonjour
            Madame Müller,", "Buenos días, Dra. García:".
    """
    loc = babel_locale(locale)
    chosen = Register(register) if register is not None else contact.register
    parts = contact.name_parts
    if parts.given is None:
        chosen = Register.FORMAL
    stated = contact.honorific
    address: Honorific | None = stated if stated is not Honorific.DR else None
    address = address or (Honorific(parts.courtesy) if parts.courtesy else None)
    named = (*parts.titles, "Dr") if stated is Honorific.DR else parts.titles
    pattern, title, titles = _salutation_form(loc, chosen.value, address, named, note)
    last = parts.family
    if catalog_language(loc) in _CAPITAL_PARTICLE and is_particle(last.split()[0]):
        last = last[:1].upper() + last[1:]
    return pattern.format(
        first=parts.given or parts.family, last=last, full=parts.full, title=title, titles=titles
    )


@lru_cache(maxsize=1024)
def _salutation_form(
    loc: babel.Locale,
    register: str,
    address: Honorific | None,
    named: tuple[str, ...],
    note: bool = False,
) -> tuple[str, str, str]:
    """The pattern of a salutation, its first title and all its titles (each spelled out once)."""
    language = catalog_language(loc)
    words = _TITLE_WORDS[language]
    titles = [words[t] for t in dict.fromkeys(named) if t in words]
    forms = _SALUTATIONS[language][register]
    if note and register == Register.FORMAL.value:
        forms = _NOTE_SALUTATIONS[language]
    pattern = _pattern(forms, address, bool(titles))
    if language == "en" and loc.territory in _NO_FULL_STOP_REGIONS:
        pattern = _FULL_STOP.sub(r"\1", pattern)
        titles = [_FULL_STOP.sub(r"\1", t) for t in titles]
    return regional(pattern, loc), titles[0] if titles else "", "".join(f"{t} " for t in titles)


def closing(
    register: Register | str = Register.FORMAL,
    locale: LocaleLike = SOURCE_LANGUAGE,
) -> str:
    """Return the sign-off line: "Mit freundlichen Grüßen", "Un saludo,"."""
    loc = babel_locale(locale)
    return regional(_CLOSINGS[catalog_language(loc)][Register(register).value], loc)


# Words that open a German sentence and are written in lower case when the
# greeting's comma comes before them ("Guten Tag Frau Schäfer,\n\nich bin …").
# Nouns and names are not here and keep their capital, and neither are "Sie",
# "Ihr", "Ihnen", "Ihre": the polite address is always capitalized.
_DE_LOWER_AFTER_GREETING = frozenset(
    """ich mich mir mein meine meinen meinem meiner wir uns unser unsere unseren unserem
    du dich dir dein deine deinen deinem es er man das der die dem den des ein eine einen
    einem einer dies diese dieser dieses was wer wie wo wann warum welche welcher welches
    womit wohin woher worüber wenn falls weil da dass ob als seit nachdem bevor obwohl und
    aber oder sowie in im an am auf aus bei beim mit nach vor von vom zu zum zur für über
    unter um durch ohne gegen danke vielen herzlichen herzlich besten nochmals noch schon
    gerade gern gerne erst zuerst zunächst kurz hier heute gestern morgen leider vielleicht
    nun jetzt so auch bitte ganz schön gut toll hoffentlich kann könnte könnten könntest
    darf dürfte hätte hätten hättest wäre wären wärst würde würden würdest habe hatte
    gibt gab ist war sind waren bin bestätigt geplant anbei""".split()  # noqa: SIM905 - words
)


def after_greeting(text: str, locale: LocaleLike) -> str:
    """Continue after the greeting as the language does: German writes the next word in lower case.

    A German greeting ends in a comma, so the body goes on in lower case
    ("Guten Tag Frau Schäfer,\n\nich bin …") unless its first word is a noun,
    a name or the polite "Sie"/"Ihr". Only words known not to be nouns are
    lowered; other languages are left as they are.
    """
    if babel_locale(locale).language != "de":
        return text
    match = re.match(r"\s*([^\W\d_]+)", text)
    if match is None or match.group(1).casefold() not in _DE_LOWER_AFTER_GREETING:
        return text
    at = match.start(1)
    return text[:at] + text[at].lower() + text[at + 1 :]


# Swiss and Liechtenstein German write "ss" for "ß" ("Mit freundlichen Grüssen").
_NO_SHARP_S = frozenset({"CH", "LI"})


def regional(text: str, locale: LocaleLike) -> str:
    """Adapt translated text to its region's spelling (de_CH: "ß" becomes "ss")."""
    loc = babel_locale(locale)
    if loc.language == "de" and loc.territory in _NO_SHARP_S:
        return text.replace("ß", "ss")
    return text
