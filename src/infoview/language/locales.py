"""Locales: which language a render is written in, and the catalogs that translate it.

:func:`resolve_locale` decides once per render: the explicit choice, else the
contact's locale, else the sender's, else English. A regional locale keeps its
region for formatting and uses its language's catalog (``de_AT`` → ``de``).

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
from functools import cache, lru_cache
from gettext import NullTranslations
from typing import TYPE_CHECKING, Any, Literal

import attrs
import babel

from infoview.errors import CatalogError, UnsupportedLocaleError, ValidationError
from infoview.language.catalogs import compile_catalog
from infoview.model import _fields
from infoview.model.contact import Contact, Register

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from babel.support import Translations

__all__ = [
    "ADDRESS_CONTEXT",
    "DOMAIN",
    "LANGUAGES",
    "NEWSTYLE",
    "REGISTER_CONTEXTS",
    "SOURCE_LANGUAGE",
    "TRIMMED",
    "LocaleLike",
    "ResolvedLocale",
    "babel_locale",
    "catalog_language",
    "catalog_path",
    "parse_locale",
    "resolve_locale",
    "translations",
]

#: Whitespace policy of ``{% trans %}``; extraction and rendering must agree,
#: or every multi-line message silently stays English.
TRIMMED = True
#: Jinja's new-style gettext (``%(name)s`` placeholders, autoescaped values).
NEWSTYLE = True

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


#: What the language functions accept as a locale.
LocaleLike = str | babel.Locale | ResolvedLocale


def babel_locale(value: LocaleLike) -> babel.Locale:
    """Return the Babel locale that formats for ``value`` (an id is parsed once)."""
    if isinstance(value, babel.Locale):
        return value
    if isinstance(value, ResolvedLocale):
        return value.locale
    return parse_locale(value)


def catalog_language(locale: babel.Locale) -> str:
    """Return the language whose catalog a locale reads: its own if shipped, else English."""
    return locale.language if locale.language in LANGUAGES else SOURCE_LANGUAGE


def _as_id(value: LocaleLike) -> str:
    if isinstance(value, ResolvedLocale):
        return value.id
    if isinstance(value, babel.Locale):
        return str(value)
    if type(value) is str:
        return _text_id(value)
    return _checked_id(value)


@lru_cache(maxsize=256)
def _text_id(value: str) -> str:
    """A locale given as text, checked once (a bulk run passes the same few again and again)."""
    return _checked_id(value)


def _checked_id(value: Any) -> str:
    normalized = _fields.locale(value, "render", "locale")
    if normalized is None:
        raise ValidationError(
            "render", "locale", value, "the locale is empty", "pass e.g. 'en', 'de_AT' or None"
        )
    return normalized


def resolve_locale(
    explicit: LocaleLike | None = None,
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
    from importlib import resources  # noqa: PLC0415 - English reads no catalog

    return resources.files("infoview") / "locale"


def catalog_path(language: str, suffix: Literal[".po", ".mo"] = ".po") -> Traversable:
    """Return where a language's catalog lives in the installed package."""
    return _locale_root() / language / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


def _mtime(path: Traversable) -> float:
    try:
        return float(path.stat().st_mtime)  # type: ignore[attr-defined]
    except (AttributeError, OSError):  # not a plain file (e.g. inside a zip)
        return 0.0


def _compile_po(po: Traversable) -> Translations:
    buffer = io.BytesIO()
    with po.open("rb") as f:
        compile_catalog(f, buffer)
    buffer.seek(0)
    from babel.support import Translations  # noqa: PLC0415 - see translations()

    return Translations(buffer, domain=DOMAIN)


@cache
def translations(language: str) -> NullTranslations:
    """Return a language's translations, loaded once (English: the source text itself).

    A shipped catalog is Babel's :class:`~babel.support.Translations`; English
    is the standard library's :class:`gettext.NullTranslations`, the class both
    derive from (Babel's own would load Babel's dates, about 10 ms, for nothing).

    Uses the compiled ``.mo`` when the package has one that is not older than
    its ``.po`` (a wheel), else compiles the ``.po`` in memory (a source
    checkout or editable install). Fuzzy entries are never used.

    Raises:
        UnsupportedLocaleError: When ``language`` is not one infoview ships.
        CatalogError: When a shipped language's catalog is missing or unreadable.
    """
    if language == SOURCE_LANGUAGE:
        return NullTranslations()  # the standard library's: Babel's loads its dates (~10 ms)
    if language not in LANGUAGES:
        raise UnsupportedLocaleError(language, "explicit", LANGUAGES)
    po, mo = catalog_path(language, ".po"), catalog_path(language, ".mo")
    searched = [str(mo), str(po)]
    try:
        if mo.is_file() and (not po.is_file() or _mtime(mo) >= _mtime(po)):
            from babel.support import Translations  # noqa: PLC0415 - a shipped catalog's class

            with mo.open("rb") as f:
                return Translations(f, domain=DOMAIN)
        if po.is_file():
            return _compile_po(po)
    except Exception as exc:  # a broken file must say which one
        raise CatalogError(language, searched, f"cannot read the catalog ({exc})") from exc
    raise CatalogError(language, searched)
