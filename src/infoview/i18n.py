"""Languages: choosing the locale, translating template prose, formatting with Babel.

Templates mark prose with ``{% trans %}…{% endtrans %}``. Prose that addresses
the reader (and so needs Sie/du, vous/tu, usted/tú) is marked with the
context ``"you"``: ``{% trans "you" %}…{% endtrans %}``. At render time the
context ``"you"`` becomes the contact's register (``"formal"`` or
``"informal"``), which are the gettext contexts in the catalogs.

English is the source language: its text is the msgid itself, so English
needs no catalog. Any other language needs one; a missing catalog is an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from functools import cache
from typing import Any

import babel
import babel.dates
import babel.lists
from babel.support import NullTranslations
from jinja2 import Environment, pass_context
from jinja2.runtime import Context

from infoview.contact import Register

__all__ = ["SOURCE_LANGUAGE", "install", "render_context", "translations"]

SOURCE_LANGUAGE = "en"
ADDRESS_CONTEXT = "you"


@cache
def parse_locale(identifier: str) -> babel.Locale:
    """Parse a locale id once and reuse the object."""
    return babel.Locale.parse(identifier)


@cache
def translations(language: str) -> NullTranslations:
    """Return the translations for a language (English: the source text itself)."""
    return NullTranslations()


def _tr(ctx: Context) -> NullTranslations:
    found = ctx.resolve_or_missing("_translations")
    return found if isinstance(found, NullTranslations) else translations(SOURCE_LANGUAGE)


def _register(ctx: Context, context: str) -> str:
    if context == ADDRESS_CONTEXT:
        return str(ctx.resolve_or_missing("register") or Register.FORMAL.value)
    return context


@pass_context
def _gettext(ctx: Context, message: str) -> str:
    return _tr(ctx).gettext(message)


@pass_context
def _ngettext(ctx: Context, singular: str, plural: str, n: int) -> str:
    return _tr(ctx).ngettext(singular, plural, n)


@pass_context
def _pgettext(ctx: Context, context: str, message: str) -> str:
    return str(_tr(ctx).pgettext(_register(ctx, context), message))


@pass_context
def _npgettext(ctx: Context, context: str, singular: str, plural: str, n: int) -> str:
    return str(_tr(ctx).npgettext(_register(ctx, context), singular, plural, n))


def _locale(ctx: Context) -> babel.Locale:
    found = ctx.resolve_or_missing("locale")
    return found if isinstance(found, babel.Locale) else parse_locale(SOURCE_LANGUAGE)


def _in_zone(value: datetime, zone: Any) -> datetime:
    if zone is None:
        return value
    return value.astimezone(babel.dates.get_timezone(zone))


@pass_context
def format_date(ctx: Context, value: datetime, format: str = "long", zone: Any = None) -> str:
    """Format a date in the render locale (``{{ when|date }}``)."""
    return babel.dates.format_date(_in_zone(value, zone), format=format, locale=_locale(ctx))


@pass_context
def format_time(ctx: Context, value: datetime, format: str = "short", zone: Any = None) -> str:
    """Format a time of day in the render locale and zone (``{{ when|time(zone) }}``)."""
    local = _in_zone(value, zone)
    return babel.dates.format_time(local, format=format, tzinfo=local.tzinfo, locale=_locale(ctx))


@pass_context
def format_datetime(ctx: Context, value: datetime, format: str = "long", zone: Any = None) -> str:
    """Format a date and time in the render locale and zone."""
    local = _in_zone(value, zone)
    return babel.dates.format_datetime(
        local, format=format, tzinfo=local.tzinfo, locale=_locale(ctx)
    )


@pass_context
def format_duration(ctx: Context, value: timedelta, threshold: float = 1.0) -> str:
    """Format a duration in words: "20 minutes", "20 Minuten"."""
    return babel.dates.format_timedelta(value, threshold=threshold, locale=_locale(ctx))


@pass_context
def format_list(ctx: Context, values: Iterable[Any], style: str = "standard") -> str:
    """Join items as the locale does: "Anna, Ben and Cem", "Anna, Ben und Cem"."""
    return babel.lists.format_list([str(v) for v in values], style=style, locale=_locale(ctx))  # type: ignore[arg-type]


FILTERS: dict[str, Callable[..., str]] = {
    "date": format_date,
    "time": format_time,
    "datetime": format_datetime,
    "duration": format_duration,
    "list": format_list,
}


def install(env: Environment) -> None:
    """Give an environment the i18n extension, register-aware gettext and Babel filters."""
    env.add_extension("jinja2.ext.i18n")
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_callables(  # type: ignore[attr-defined]
        _gettext, _ngettext, newstyle=True, pgettext=_pgettext, npgettext=_npgettext
    )
    env.filters.update(FILTERS)


def render_context(language: str, register: Register) -> dict[str, Any]:
    """Return the variables a render needs for ``language`` and ``register``."""
    return {
        "_translations": translations(parse_locale(language).language),
        "register": register.value,
        "locale": parse_locale(language),
    }
