"""Languages: choosing the locale, translating template prose, formatting with Babel.

Templates mark prose with ``{% trans %}…{% endtrans %}``. Prose that addresses
the reader (and so needs Sie/du, vous/tu, usted/tú) is marked with the
context ``"you"``: ``{% trans "you" %}…{% endtrans %}``. At render time the
context ``"you"`` becomes the render's register (``"formal"`` or
``"informal"``), which are the gettext contexts in the catalogs; the
extractors here (:func:`extract_templates`, :func:`extract_python`,
:func:`extract_questions`) write every ``"you"`` message into the catalog
twice, once per register.

English is the source language: its text is the msgid itself, so English
needs no catalog. Every other shipped language needs one; a missing catalog
is an error, never a silent fallback to English.

Catalogs live in ``infoview/locale/<language>/LC_MESSAGES/infoview.po``. A
wheel also carries the compiled ``.mo`` files (built by ``hatch_build.py``);
a source checkout or editable install has only the ``.po`` files, which are
compiled in memory on first use. Either way each language is loaded once.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import IO, Any, BinaryIO, Literal, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs
import babel
import babel.dates
import babel.lists
import babel.units
from babel.messages.extract import extract_python as _babel_extract_python
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from jinja2 import Environment, pass_context
from jinja2.ext import babel_extract
from jinja2.runtime import Context

from infoview import _fields
from infoview.contact import Contact, Honorific, Register, _name_parts
from infoview.errors import InfoviewError, ValidationError
from infoview.questions import QuestionBank

__all__ = [
    "ADDRESS_CONTEXT",
    "DOMAIN",
    "LANGUAGES",
    "SOURCE_LANGUAGE",
    "TRIMMED",
    "CatalogError",
    "ResolvedLocale",
    "UnsupportedLocaleError",
    "catalog_path",
    "closing",
    "extract_python",
    "extract_questions",
    "extract_templates",
    "format_duration_text",
    "format_meeting_time",
    "install",
    "parse_locale",
    "regional",
    "render_context",
    "resolve_locale",
    "salutation",
    "translations",
]

#: The language of the msgids: English needs no catalog.
SOURCE_LANGUAGE = "en"
#: Languages infoview ships: every template, both registers.
LANGUAGES: tuple[str, ...] = ("en", "de", "fr", "es")
#: The gettext domain: ``locale/<language>/LC_MESSAGES/infoview.po``.
DOMAIN = "infoview"
#: The gettext context templates use for prose that addresses the reader.
ADDRESS_CONTEXT = "you"
#: The catalog contexts ``"you"`` turns into, one per register.
REGISTER_CONTEXTS: tuple[str, ...] = tuple(r.value for r in Register)
#: Whitespace policy of ``{% trans %}``; extraction and rendering must agree,
#: or every multi-line message silently stays English.
TRIMMED = True
#: Jinja's new-style gettext (``%(name)s`` placeholders, autoescaped values).
NEWSTYLE = True


class UnsupportedLocaleError(InfoviewError, LookupError):
    """A render asked for a language infoview does not ship (strict mode only).

    Attributes:
        requested: The locale that was asked for, e.g. ``"ja_JP"``.
        origin: Where it came from: ``"explicit"``, ``"contact"`` or ``"sender"``.
        languages: The languages infoview ships.
    """

    def __init__(self, requested: str, origin: str, languages: Sequence[str]) -> None:
        self.requested = requested
        self.origin = origin
        self.languages = tuple(languages)
        super().__init__(
            f"locale {requested!r} (from the {origin}) is not shipped; infoview has "
            f"{', '.join(self.languages)}. Pass locale='en' (or another shipped language), "
            "leave strict off to fall back to English, or add a catalog (see docs/i18n.md)"
        )


class CatalogError(InfoviewError, LookupError):
    """The catalog of a shipped language cannot be found or read.

    Attributes:
        language: The language whose catalog is missing, e.g. ``"de"``.
        searched: The files that were looked for.
    """

    def __init__(self, language: str, searched: Sequence[str], problem: str = "") -> None:
        self.language = language
        self.searched = tuple(searched)
        detail = problem or "no catalog found"
        super().__init__(
            f"{detail} for language {language!r}; looked for: {', '.join(self.searched)}. "
            "The installation is incomplete: reinstall infoview, or in a source checkout "
            "restore src/infoview/locale/"
        )


# -- Locale choice -----------------------------------------------------------


@cache
def parse_locale(identifier: str) -> babel.Locale:
    """Parse a locale id (``"de_AT"`` or ``"de-AT"``) once and reuse the object."""
    sep = "-" if "-" in identifier else "_"
    return babel.Locale.parse(identifier, sep=sep)


@attrs.frozen
class ResolvedLocale:
    """The outcome of choosing a locale for one render.

    Args:
        language: The catalog language, one of ``LANGUAGES`` (``"de"``).
        locale: The Babel locale that formats dates, times and lists; keeps
            the region (``de_AT`` formats like Austria).
        requested: The locale that was asked for, or ``None`` when nobody said.
        origin: Where ``requested`` came from: ``"explicit"``, ``"contact"``,
            ``"sender"`` or ``"default"``.
    """

    language: str
    locale: babel.Locale
    requested: str | None = None
    origin: str = "default"

    @property
    def id(self) -> str:
        """Return the locale used as a Babel id (``"de_AT"``, or ``"en"`` after a fallback)."""
        return str(self.locale)

    @property
    def fallback(self) -> bool:
        """Tell whether the requested language is not shipped and English was used instead."""
        return self.requested is not None and (
            parse_locale(self.requested).language != self.language
        )

    def __str__(self) -> str:
        return self.id


def _as_id(value: str | babel.Locale | ResolvedLocale) -> str:
    if isinstance(value, ResolvedLocale):
        return value.id
    if isinstance(value, babel.Locale):
        return str(value)
    normalized = _fields.locale(value, "render", "locale")
    if normalized is None:
        raise ValidationError(
            "render", "locale", value, "the locale is empty", "pass e.g. 'en', 'de_AT' or None"
        )
    return normalized


def resolve_locale(
    explicit: str | babel.Locale | ResolvedLocale | None = None,
    contact: Contact | None = None,
    sender: Contact | None = None,
    *,
    strict: bool = False,
) -> ResolvedLocale:
    """Choose the language and the formatting locale for a render.

    The first of these that is set wins: ``explicit``, the contact's locale,
    the sender's locale, English. A regional locale uses its language's
    catalog and keeps its region for formatting (``de_AT``: German text,
    Austrian dates). A language infoview does not ship renders in English and
    says so in :attr:`ResolvedLocale.fallback` (a Draft records ``"en"`` as
    its locale) — or raises in strict mode.

    Args:
        explicit: A locale asked for by the caller.
        contact: The person written to.
        sender: The person writing.
        strict: Raise instead of falling back to English.

    Returns:
        The :class:`ResolvedLocale` to render with.

    Raises:
        UnsupportedLocaleError: In strict mode, when the chosen language is not shipped.
        ValidationError: When ``explicit`` is not a locale at all.
    """
    if isinstance(explicit, ResolvedLocale):
        return explicit
    candidates = (
        ("explicit", None if explicit is None else _as_id(explicit)),
        ("contact", contact.locale if contact is not None else None),
        ("sender", sender.locale if sender is not None else None),
    )
    for origin, requested in candidates:
        if requested is None:
            continue
        locale = parse_locale(requested)
        if locale.language in LANGUAGES:
            return ResolvedLocale(locale.language, locale, requested, origin)
        if strict:
            raise UnsupportedLocaleError(requested, origin, LANGUAGES)
        return ResolvedLocale(SOURCE_LANGUAGE, parse_locale(SOURCE_LANGUAGE), requested, origin)
    return ResolvedLocale(SOURCE_LANGUAGE, parse_locale(SOURCE_LANGUAGE))


# -- Catalogs ----------------------------------------------------------------


def _locale_root() -> Traversable:
    return resources.files("infoview") / "locale"


def catalog_path(language: str, suffix: Literal[".po", ".mo"] = ".po") -> Traversable:
    """Return where a language's catalog lives in the installed package."""
    return _locale_root() / language / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


def _mtime(path: Traversable) -> float:
    try:
        return float(path.stat().st_mtime)  # type: ignore[attr-defined]
    except (AttributeError, OSError):  # not a plain file (e.g. inside a zip)
        return 0.0


def _compile_po(po: Traversable, language: str) -> Translations:
    with po.open("rb") as f:
        catalog = read_po(f, locale=language, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


@cache
def translations(language: str) -> NullTranslations:
    """Return a language's translations, loaded once (English: the source text itself).

    Uses the compiled ``.mo`` when the package has one that is not older than
    its ``.po`` (a wheel), else compiles the ``.po`` in memory (a source
    checkout or editable install). Fuzzy entries are never used.

    Raises:
        UnsupportedLocaleError: When ``language`` is not one infoview ships.
        CatalogError: When a shipped language's catalog is missing or unreadable.
    """
    if language == SOURCE_LANGUAGE:
        return NullTranslations()
    if language not in LANGUAGES:
        raise UnsupportedLocaleError(language, "explicit", LANGUAGES)
    po, mo = catalog_path(language, ".po"), catalog_path(language, ".mo")
    searched = [str(mo), str(po)]
    try:
        if mo.is_file() and (not po.is_file() or _mtime(mo) >= _mtime(po)):
            with mo.open("rb") as f:
                return Translations(f, domain=DOMAIN)
        if po.is_file():
            return _compile_po(po, language)
    except Exception as exc:  # a broken file must say which one
        raise CatalogError(language, searched, f"cannot read the catalog ({exc})") from exc
    raise CatalogError(language, searched)


# -- Formatting --------------------------------------------------------------

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


def _moment(value: Any, what: str) -> datetime:
    if not isinstance(value, datetime):
        raise TypeError(f"{what} needs a datetime, got {value!r}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} needs a datetime with a time zone, got {value.isoformat()}")
    return value


def _in_zone(value: datetime, zone: Zone, what: str = "a date filter") -> datetime:
    value = _moment(value, what)
    target = _zone(zone)
    return value if target is None else value.astimezone(target)


def _babel_locale(value: str | babel.Locale | ResolvedLocale) -> babel.Locale:
    if isinstance(value, babel.Locale):
        return value
    if isinstance(value, ResolvedLocale):
        return value.locale
    return parse_locale(value)


def format_duration_text(value: timedelta | int, locale: str | babel.Locale) -> str:
    """Write a duration exactly, in words: "20 minutes", "1 Stunde, 30 Minuten".

    Babel's ``format_timedelta`` rounds (90 minutes becomes "2 hours"); an
    interview's length must not be rounded. ``value`` may be minutes.
    """
    loc = _babel_locale(locale)
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
    return _join(parts, "unit", loc)


def _join(items: Sequence[str], style: str, loc: babel.Locale) -> str:
    """Join with Babel, working around partial CLDR list data (Spanish "unit" lists)."""
    for locale, chosen in ((loc, style), (parse_locale(loc.language), style), (loc, "standard")):
        try:
            return babel.lists.format_list(items, style=chosen, locale=locale)  # type: ignore[arg-type]
        except KeyError:
            continue
    raise LookupError(f"Babel has no {style!r} list pattern for {loc}")


_ABBREVIATION = re.compile(r"^[^\W\d_]{2,5}$")


def zone_label(value: datetime, locale: str | babel.Locale) -> str:
    """Name a datetime's zone briefly: "MEZ", "CST", else "Chicago time" in the locale."""
    loc = _babel_locale(locale)
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


def _catalog(loc: babel.Locale) -> NullTranslations:
    return translations(loc.language if loc.language in LANGUAGES else SOURCE_LANGUAGE)


def _combine(time: str, date: str, loc: babel.Locale) -> str:
    """Put a date and a time together the way the locale does ("{1}, {0}")."""
    pattern = str(loc.datetime_formats["full"]).replace("'", "")
    return pattern.replace("{0}", time).replace("{1}", date)


def N_(message: str) -> str:  # noqa: N802 - gettext's marker name, a default pybabel keyword
    """Mark a message for extraction without translating it here."""
    return message


def you_(message: str) -> str:
    """Mark a message that addresses the reader: extracted once per register."""
    return message


_MY_TIME = N_("%(time)s (%(other)s my time)")
_CITY_TIME = N_("%(city)s time")
_YOUR_TIME = you_("%(time)s (%(other)s for you)")


def format_meeting_time(
    when: datetime,
    locale: str | babel.Locale | ResolvedLocale,
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
    loc = _babel_locale(locale)
    first = _in_zone(when, zone)
    text = _time_with_zone(first, loc)
    if with_date:
        date = babel.dates.format_date(first, "full", locale=loc)
        text = _combine(text, date, loc)
    second = None if other_zone is None else _in_zone(when, other_zone)
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


def _language_of(locale: str | babel.Locale | ResolvedLocale) -> tuple[str, babel.Locale]:
    loc = _babel_locale(locale)
    language = loc.language if loc.language in LANGUAGES else SOURCE_LANGUAGE
    return language, loc


def _full_name(contact: Contact) -> str:
    return " ".join(_name_parts(contact.name)) if " " in contact.name else contact.name


def salutation(
    contact: Contact,
    register: Register | str | None = None,
    locale: str | babel.Locale | ResolvedLocale = SOURCE_LANGUAGE,
) -> str:
    """Return the opening line for a contact: "Guten Tag Anna Müller,", "Hola, Ana:".

    Never guesses gender: the neutral form is used unless the contact's
    :attr:`~infoview.Contact.honorific` says how they want to be addressed.

    Args:
        contact: The person written to.
        register: Formal or informal; defaults to the contact's own.
        locale: The render's locale (unshipped languages use English).
    """
    language, loc = _language_of(locale)
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
    locale: str | babel.Locale | ResolvedLocale = SOURCE_LANGUAGE,
) -> str:
    """Return the sign-off line: "Mit freundlichen Grüßen", "Un abrazo,"."""
    language, loc = _language_of(locale)
    return regional(_CLOSINGS[language][Register(register).value], loc)


# -- Jinja wiring ------------------------------------------------------------


# Swiss and Liechtenstein German write "ss" for "ß" ("Mit freundlichen Grüssen").
_NO_SHARP_S = frozenset({"CH", "LI"})


def regional(text: str, locale: str | babel.Locale | ResolvedLocale) -> str:
    """Adapt translated text to its region's spelling (de_CH: "ß" becomes "ss")."""
    loc = _babel_locale(locale)
    if loc.language == "de" and loc.territory in _NO_SHARP_S:
        return text.replace("ß", "ss")
    return text


def _tr(ctx: Context) -> NullTranslations:
    found = ctx.resolve_or_missing("_translations")
    return found if isinstance(found, NullTranslations) else translations(SOURCE_LANGUAGE)


def _ctx_register(ctx: Context) -> str:
    found = ctx.resolve_or_missing("register")
    return str(Register(found).value) if isinstance(found, str) else Register.FORMAL.value


def _address(ctx: Context, context: str) -> str:
    return _ctx_register(ctx) if context == ADDRESS_CONTEXT else context


@pass_context
def _gettext(ctx: Context, message: str) -> str:
    return regional(_tr(ctx).gettext(message), _locale(ctx))


@pass_context
def _ngettext(ctx: Context, singular: str, plural: str, n: int) -> str:
    return regional(_tr(ctx).ngettext(singular, plural, n), _locale(ctx))


@pass_context
def _pgettext(ctx: Context, context: str, message: str) -> str:
    return regional(str(_tr(ctx).pgettext(_address(ctx, context), message)), _locale(ctx))


@pass_context
def _npgettext(ctx: Context, context: str, singular: str, plural: str, n: int) -> str:
    text = _tr(ctx).npgettext(_address(ctx, context), singular, plural, n)
    return regional(str(text), _locale(ctx))


def _locale(ctx: Context) -> babel.Locale:
    found = ctx.resolve_or_missing("locale")
    if isinstance(found, babel.Locale):
        return found
    if isinstance(found, ResolvedLocale):
        return found.locale
    return parse_locale(SOURCE_LANGUAGE)


@pass_context
def format_date(ctx: Context, value: datetime, format: str = "long", zone: Zone = None) -> str:
    """Format a date in the render locale, in ``zone`` if given (``{{ when|date }}``)."""
    return babel.dates.format_date(
        _in_zone(value, zone, "|date"), format=format, locale=_locale(ctx)
    )


@pass_context
def format_time(ctx: Context, value: datetime, format: str = "short", zone: Zone = None) -> str:
    """Format a time of day in the render locale and zone (``{{ when|time(zone=tz) }}``)."""
    local = _in_zone(value, zone, "|time")
    return babel.dates.format_time(local, format=format, tzinfo=local.tzinfo, locale=_locale(ctx))


@pass_context
def format_datetime(ctx: Context, value: datetime, format: str = "long", zone: Zone = None) -> str:
    """Format a date and time in the render locale and zone."""
    local = _in_zone(value, zone, "|datetime")
    return babel.dates.format_datetime(
        local, format=format, tzinfo=local.tzinfo, locale=_locale(ctx)
    )


@pass_context
def format_relative(ctx: Context, value: datetime | timedelta, now: datetime | None = None) -> str:
    """Say how far away a moment is: "in 3 days", "in 3 Tagen", "hace 2 días".

    ``now`` defaults to a ``now`` variable in the render context, else the clock.
    """
    if not isinstance(value, datetime | timedelta):
        raise TypeError(f"|relative needs a datetime or timedelta, got {value!r}")
    if isinstance(value, datetime):
        _moment(value, "|relative")
        if now is None:
            found = ctx.resolve_or_missing("now")
            now = found if isinstance(found, datetime) else datetime.now(UTC)
        value = value - now
    return babel.dates.format_timedelta(
        value, add_direction=True, threshold=1.0, locale=_locale(ctx)
    )


@pass_context
def format_duration(ctx: Context, value: timedelta | int) -> str:
    """Format a duration exactly, in words: "20 minutes", "20 Minuten"."""
    return format_duration_text(value, _locale(ctx))


@pass_context
def format_list(ctx: Context, values: Iterable[Any], style: str = "standard") -> str:
    """Join items as the locale does: "Anna, Ben and Cem", "Anna, Ben und Cem"."""
    return _join([str(v) for v in values], style, _locale(ctx))


@pass_context
def format_zone(ctx: Context, value: datetime, zone: Zone = None) -> str:
    """Name the zone of a moment briefly: "MEZ", "CST", or its city."""
    return zone_label(_in_zone(value, zone, "|zone"), _locale(ctx))


@pass_context
def translate_question(ctx: Context, value: Any) -> str:
    """Translate a question of the built-in bank (or a probe) in the render's register.

    Questions you wrote yourself are not in the catalogs and stay as written.
    """
    text = str(getattr(value, "text", value))
    return str(_tr(ctx).pgettext(_ctx_register(ctx), text))


@pass_context
def _salutation(ctx: Context, contact: Contact, register: Register | str | None = None) -> str:
    return salutation(contact, register or _ctx_register(ctx), _locale(ctx))


@pass_context
def _closing(ctx: Context, register: Register | str | None = None) -> str:
    return closing(register or _ctx_register(ctx), _locale(ctx))


@pass_context
def _meeting_time(
    ctx: Context,
    when: Any,
    zone: Zone = None,
    other_zone: Zone = None,
    *,
    reader: Literal["contact", "sender"] = "contact",
    with_date: bool = True,
) -> str:
    """``meeting_time(interview)`` or ``meeting_time(when, zone, other_zone)``."""
    if hasattr(when, "scheduled_at"):  # an Interview: its time, contact's and sender's zones
        interview = when
        when = interview.scheduled_at
        zone = zone or interview.contact.zone or interview.sender.zone
        other_zone = other_zone or interview.sender.zone
    if not isinstance(when, datetime):
        raise TypeError(f"meeting_time() needs a datetime or a scheduled interview, not {when!r}")
    return format_meeting_time(
        when,
        _locale(ctx),
        zone,
        other_zone,
        reader=reader,
        register=_ctx_register(ctx),
        with_date=with_date,
    )


FILTERS: dict[str, Callable[..., str]] = {
    "date": format_date,
    "time": format_time,
    "datetime": format_datetime,
    "relative": format_relative,
    "duration": format_duration,
    "join_list": format_list,
    "zone": format_zone,
    "question": translate_question,
}

GLOBALS: dict[str, Callable[..., str]] = {
    "salutation": _salutation,
    "closing": _closing,
    "meeting_time": _meeting_time,
}


def install(env: Environment) -> None:
    """Give an environment the i18n extension, register-aware gettext and Babel filters.

    Filters: ``date``, ``time``, ``datetime`` (each takes ``zone=``),
    ``relative``, ``duration``, ``list``, ``zone`` and ``question``.
    Globals: ``salutation(contact)``, ``closing()`` and
    ``meeting_time(interview)``.
    """
    env.add_extension("jinja2.ext.i18n")
    env.policies["ext.i18n.trimmed"] = TRIMMED
    env.install_gettext_callables(  # type: ignore[attr-defined]
        _gettext, _ngettext, newstyle=NEWSTYLE, pgettext=_pgettext, npgettext=_npgettext
    )
    env.filters.update(FILTERS)
    env.globals.update(GLOBALS)


def render_context(
    locale: str | babel.Locale | ResolvedLocale, register: Register | str = Register.FORMAL
) -> dict[str, Any]:
    """Return the variables a render needs for a locale and a register.

    ``locale`` may be a Babel id (``"de_AT"``), a ``babel.Locale`` or what
    :func:`resolve_locale` returned. Text uses the language's catalog (English
    for a language infoview does not ship); formatting keeps the region.
    """
    if isinstance(locale, ResolvedLocale):
        language, loc = locale.language, locale.locale
    else:
        loc = _babel_locale(locale)
        language = loc.language if loc.language in LANGUAGES else SOURCE_LANGUAGE
        if language != loc.language:
            loc = parse_locale(SOURCE_LANGUAGE)
    return {
        "_translations": translations(language),
        "register": Register(register).value,
        "locale": loc,
    }


# -- Extraction (pybabel methods, named in locale/babel.cfg) -------------------

_Extracted = tuple[int, str, Any, list[str]]


def _per_register(extracted: Iterable[_Extracted]) -> Iterator[_Extracted]:
    """Turn each ``"you"`` message into one entry per register context."""
    for lineno, funcname, message, comments in extracted:
        if (
            funcname in {"pgettext", "npgettext"}
            and isinstance(message, tuple)
            and message[0] == ADDRESS_CONTEXT
        ):
            for context in REGISTER_CONTEXTS:
                yield lineno, funcname, (context, *message[1:]), comments
        else:
            yield lineno, funcname, message, comments


def _flag(options: Mapping[str, Any], key: str, default: bool) -> bool:
    value = options.get(key)
    if value is None:
        return default
    return str(value).lower() in {"1", "on", "yes", "true"}


def extract_templates(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Sequence[str],
    options: Mapping[str, Any],
) -> Iterator[_Extracted]:
    """Extract template messages the way :func:`install` renders them.

    Wraps ``jinja2.ext.babel_extract`` with the render settings (trimmed,
    new-style gettext) and writes each ``{% trans "you" %}`` message once per
    register. Template syntax errors are raised, not skipped.

    Raises:
        ValueError: When the mapping asks for other ``trimmed`` or
            ``newstyle_gettext`` settings than rendering uses.
    """
    for key, wanted in (("trimmed", TRIMMED), ("newstyle_gettext", NEWSTYLE)):
        if _flag(options, key, wanted) != wanted:
            raise ValueError(
                f"babel.cfg sets {key} = {options[key]!r} but templates render with "
                f"{key} = {wanted}; remove the option (a mismatch leaves text untranslated)"
            )
    settings = {
        "silent": "false",
        **options,
        "trimmed": str(TRIMMED).lower(),
        "newstyle_gettext": str(NEWSTYLE).lower(),
    }
    found = babel_extract(cast(BinaryIO, fileobj), list(keywords), comment_tags, settings)
    yield from _per_register(found)


def extract_python(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Sequence[str],
    options: Mapping[str, Any],
) -> Iterator[_Extracted]:
    """Extract Python messages; ``you_("…")`` is written once per register."""
    words = dict.fromkeys([*keywords, "you_"])
    # Babel's annotation swaps the last two items; it yields (line, func, message, comments).
    found = cast(
        Iterable[_Extracted],
        _babel_extract_python(fileobj, words, comment_tags, options),  # type: ignore[arg-type]
    )
    for lineno, funcname, message, comments in found:
        if funcname == "you_":
            for context in REGISTER_CONTEXTS:
                yield lineno, "pgettext", (context, message), comments
        else:
            yield lineno, funcname, message, comments


def extract_questions(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Sequence[str],
    options: Mapping[str, Any],
) -> Iterator[_Extracted]:
    """Extract the built-in question bank: each text and probe, once per register.

    Questions address the person interviewed, so they need Sie/du, vous/tu,
    usted/tú like the rest of the prose.
    """
    source = fileobj.read().decode("utf-8")
    lines = source.splitlines()

    def line_of(text: str) -> int:
        start = text[:25]
        return next((i for i, line in enumerate(lines, 1) if start in line), 1)

    seen: set[str] = set()
    for question in QuestionBank.default():
        for text in (question.text, *question.probes):
            if text in seen:
                continue
            seen.add(text)
            comments = [f"question {question.key}"]
            for context in REGISTER_CONTEXTS:
                yield line_of(text), "pgettext", (context, text), comments
