"""Jinja wiring of the languages: register-aware gettext, Babel filters and globals.

:func:`install` gives an environment ``jinja2.ext.i18n`` and the filters and
globals templates use; :func:`render_context` gives one render the variables
they read (the catalog, the register and the Babel locale). The work itself
lives elsewhere: :mod:`infoview.language.locales` chooses the locale and loads the
catalogs, :mod:`infoview.language.wording` formats and words things, and
:mod:`infoview.language.extract` holds the pybabel extractors.

Templates mark prose with ``{% trans %}…{% endtrans %}``. Prose that addresses
the reader (and so needs Sie/du, vous/tu, usted/tú) is marked with the
context ``"you"``: ``{% trans "you" %}…{% endtrans %}``. At render time the
context ``"you"`` becomes the render's register (``"formal"`` or
``"informal"``), which are the gettext contexts in the catalogs.

The names this module had before the split (:func:`resolve_locale`,
:func:`salutation`, :class:`UnsupportedLocaleError`, the extractors, …) are
still importable from it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from functools import cache, lru_cache
from gettext import NullTranslations  # Babel's catalogs are instances of its subclasses
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal

import babel
from jinja2 import Environment, pass_context, pass_environment, pass_eval_context
from jinja2.ext import Extension
from jinja2.runtime import Context
from markupsafe import Markup

from infoview.errors import CatalogError, UnsupportedLocaleError
from infoview.language.locales import (
    ADDRESS_CONTEXT,
    DOMAIN,
    LANGUAGES,
    NEWSTYLE,
    REGISTER_CONTEXTS,
    SOURCE_LANGUAGE,
    TRIMMED,
    LocaleLike,
    ResolvedLocale,
    catalog_path,
    parse_locale,
    resolve_locale,
    translations,
)
from infoview.language.wording import (
    N_,
    Zone,
    after_greeting,
    closing,
    format_day,
    format_duration_text,
    format_meeting_time,
    in_zone,
    join_list,
    regional,
    salutation,
    you_,
    zone_label,
)
from infoview.model.contact import Contact, Register

if TYPE_CHECKING:
    from infoview.language.extract import extract_python, extract_questions, extract_templates

__all__ = [
    "ADDRESS_CONTEXT",
    "DOMAIN",
    "LANGUAGES",
    "NEWSTYLE",
    "N_",
    "REGISTER_CONTEXTS",
    "SOURCE_LANGUAGE",
    "TRIMMED",
    "CatalogError",
    "RenderLanguages",
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
    "printed",
    "regional",
    "render_context",
    "resolve_locale",
    "salutation",
    "translated",
    "translations",
    "you_",
    "zone_label",
]

_EXTRACTORS = frozenset({"extract_python", "extract_questions", "extract_templates"})


@cache
def _dates() -> ModuleType:
    """Babel's dates, loaded when a date is first formatted (loading looks up the local zone)."""
    import babel.dates  # noqa: PLC0415 - about 10 ms with pytz installed (vobject needs it)

    return babel.dates


def __getattr__(name: str) -> Any:
    # The extractors moved to infoview.language.extract; they load only when asked for,
    # so rendering never imports the question bank or Babel's extraction.
    if name in _EXTRACTORS:
        from infoview.language import extract  # noqa: PLC0415 - deferred on purpose, see above

        return getattr(extract, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# -- Render context ----------------------------------------------------------


def _tr(ctx: Context) -> NullTranslations:
    found = ctx.resolve_or_missing("_translations")
    return found if isinstance(found, NullTranslations) else translations(SOURCE_LANGUAGE)


_REGISTERS = frozenset(r.value for r in Register)


def _ctx_register(ctx: Context) -> str:
    found = ctx.resolve_or_missing("register")
    if type(found) is str and found in _REGISTERS:  # the usual case, without the enum
        return found
    return str(Register(found).value) if isinstance(found, str) else Register.FORMAL.value


def _address(ctx: Context, context: str) -> str:
    return _ctx_register(ctx) if context == ADDRESS_CONTEXT else context


def _locale(ctx: Context) -> babel.Locale:
    found = ctx.resolve_or_missing("locale")
    if isinstance(found, babel.Locale):
        return found
    if isinstance(found, ResolvedLocale):
        return found.locale
    return parse_locale(SOURCE_LANGUAGE)


# -- gettext -----------------------------------------------------------------


def _identity(value: Any) -> Any:
    return value


@lru_cache(maxsize=8192)
def translated(tr: NullTranslations, context: str | None, message: str, loc: babel.Locale) -> str:
    """A message in a catalog (with a gettext context, if any), spelled for ``loc``; cached.

    Catalogs and locales are loaded once and never change, so the same
    message always translates alike: a dict lookup instead of gettext's work.
    """
    if context is None:
        return regional(tr.gettext(message), loc)
    return regional(str(tr.pgettext(context, message)), loc)


@pass_context
def _gettext(ctx: Context, message: str) -> str:
    return translated(_tr(ctx), None, message, _locale(ctx))


@pass_context
def _ngettext(ctx: Context, singular: str, plural: str, n: int) -> str:
    return regional(_tr(ctx).ngettext(singular, plural, n), _locale(ctx))


@pass_context
def _pgettext(ctx: Context, context: str, message: str) -> str:
    return translated(_tr(ctx), _address(ctx, context), message, _locale(ctx))


# How Jinja2 passes a finalize function what it asks for (jinja2.pass_context & co.).
_PASSES = {
    getattr(pass_context(_identity), "jinja_pass_arg", None): "context",
    getattr(pass_eval_context(_identity), "jinja_pass_arg", None): "eval_context",
    getattr(pass_environment(_identity), "jinja_pass_arg", None): "environment",
}


def printed(ctx: Context, variables: dict[str, Any]) -> dict[str, Any]:
    """The values of a ``{% trans %}`` block as ``{{ … }}`` prints them: finalized.

    The rule for blanks, the same on every path: a value given to
    ``{% trans %}`` is printed as any printed value is, so the environment's
    ``finalize`` refuses a blank one (``''``, white space, ``None``, a
    missing value) whether the block is folded while compiling
    (:mod:`infoview.rendering.specialize`), rendered in the sandbox or
    through this gettext call.
    """
    finalize = ctx.environment.finalize
    if finalize is None:
        return variables
    how = _PASSES.get(getattr(finalize, "jinja_pass_arg", None))
    if how == "context":
        return {k: finalize(ctx, v) for k, v in variables.items()}
    if how == "eval_context":
        return {k: finalize(ctx.eval_ctx, v) for k, v in variables.items()}
    if how == "environment":
        return {k: finalize(ctx.environment, v) for k, v in variables.items()}
    return {k: finalize(v) for k, v in variables.items()}


# What jinja2.ext's new-style wrappers of the two above do, without a second
# Context.call per message: translate, mark safe when autoescaping, format the
# values printed as {{ … }} prints them (see printed()).
@pass_context
def _new_gettext(ctx: Context, message: str, /, **variables: Any) -> str:
    text = translated(_tr(ctx), None, message, _locale(ctx))
    values = printed(ctx, variables)
    return (Markup(text) if ctx.eval_ctx.autoescape else text) % values  # noqa: S704 - catalog text


@pass_context
def _new_pgettext(ctx: Context, context: str, message: str, /, **variables: Any) -> str:
    variables.setdefault("context", context)
    text = translated(_tr(ctx), _address(ctx, context), message, _locale(ctx))
    values = printed(ctx, variables)
    return (Markup(text) if ctx.eval_ctx.autoescape else text) % values  # noqa: S704 - catalog text


@pass_context
def _npgettext(ctx: Context, context: str, singular: str, plural: str, n: int) -> str:
    text = _tr(ctx).npgettext(_address(ctx, context), singular, plural, n)
    return regional(str(text), _locale(ctx))


# -- Filters -----------------------------------------------------------------


@pass_context
def format_date(ctx: Context, value: datetime, format: str = "long", zone: Zone = None) -> str:
    """Format a date in the render locale, in ``zone`` if given (``{{ when|date }}``)."""
    return format_day(in_zone(value, zone, "|date"), format, _locale(ctx))


@pass_context
def format_time(ctx: Context, value: datetime, format: str = "short", zone: Zone = None) -> str:
    """Format a time of day in the render locale and zone (``{{ when|time(zone=tz) }}``)."""
    local = in_zone(value, zone, "|time")
    return str(_dates().format_time(local, format=format, tzinfo=local.tzinfo, locale=_locale(ctx)))


@pass_context
def format_datetime(ctx: Context, value: datetime, format: str = "long", zone: Zone = None) -> str:
    """Format a date and time in the render locale and zone."""
    local = in_zone(value, zone, "|datetime")
    return str(
        _dates().format_datetime(local, format=format, tzinfo=local.tzinfo, locale=_locale(ctx))
    )


@pass_context
def format_relative(ctx: Context, value: datetime | timedelta, now: datetime | None = None) -> str:
    """Say how far away a moment is: "in 3 days", "in 3 Tagen", "hace 2 días".

    ``now`` defaults to a ``now`` variable in the render context, else the clock.
    """
    if not isinstance(value, datetime | timedelta):
        raise TypeError(f"|relative needs a datetime or timedelta, got {value!r}")
    if isinstance(value, datetime):
        in_zone(value, None, "|relative")
        if now is None:
            found = ctx.resolve_or_missing("now")
            now = found if isinstance(found, datetime) else datetime.now(UTC)
        value = value - now
    return str(
        _dates().format_timedelta(value, add_direction=True, threshold=1.0, locale=_locale(ctx))
    )


@pass_context
def format_duration(ctx: Context, value: timedelta | int) -> str:
    """Format a duration exactly, in words: "20 minutes", "20 Minuten"."""
    return format_duration_text(value, _locale(ctx))


@pass_context
def format_list(ctx: Context, values: Iterable[Any], style: str = "standard") -> str:
    """Join items as the locale does: "Anna, Ben and Cem", "Anna, Ben und Cem"."""
    return join_list([str(v) for v in values], _locale(ctx), style)


@pass_context
def format_zone(ctx: Context, value: datetime, zone: Zone = None) -> str:
    """Name the zone of a moment briefly: "MEZ", "CST", or its city."""
    return zone_label(in_zone(value, zone, "|zone"), _locale(ctx))


@pass_context
def continue_greeting(ctx: Context, text: str) -> str:
    """Write the body after the greeting as the language does (German: "ich bin …")."""
    return after_greeting(str(text), _locale(ctx))


@pass_context
def translate_question(ctx: Context, value: Any) -> str:
    """Translate a question of the built-in bank (or a probe) in the render's register.

    Questions you wrote yourself are not in the catalogs and stay as written.
    """
    text = str(getattr(value, "text", value))
    return str(_tr(ctx).pgettext(_ctx_register(ctx), text))


# -- Globals -----------------------------------------------------------------


@pass_context
def _salutation(
    ctx: Context, contact: Contact, register: Register | str | None = None, *, note: bool = False
) -> str:
    return salutation(contact, register or _ctx_register(ctx), _locale(ctx), note=note)


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
    "after_greeting": continue_greeting,
}

GLOBALS: dict[str, Callable[..., str]] = {
    "salutation": _salutation,
    "closing": _closing,
    "meeting_time": _meeting_time,
}


def install(env: Environment, extension: type[Extension] | str = "jinja2.ext.i18n") -> None:
    """Give an environment the i18n extension, register-aware gettext and Babel filters.

    Filters: ``date``, ``time``, ``datetime`` (each takes ``zone=``),
    ``relative``, ``duration``, ``join_list``, ``zone``, ``question`` and
    ``after_greeting``.
    Globals: ``salutation(contact)``, ``closing()`` and
    ``meeting_time(interview)``. ``extension`` is the i18n extension to
    add (Jinja2's; :mod:`infoview.rendering.specialize` folds what it compiles to).
    """
    env.add_extension(extension)
    env.policies["ext.i18n.trimmed"] = TRIMMED
    env.install_gettext_callables(  # type: ignore[attr-defined]
        _gettext, _ngettext, newstyle=NEWSTYLE, pgettext=_pgettext, npgettext=_npgettext
    )
    if NEWSTYLE:
        env.globals.update(gettext=_new_gettext, pgettext=_new_pgettext)
    env.filters.update(FILTERS)
    env.globals.update(GLOBALS)


class RenderLanguages:
    """:func:`render_context` for the locales of a render, worked out once per combination.

    Called with the locale asked for, the recipient, the sender and the
    register; remembers the last ``size`` combinations of a text (or no)
    locale with the two people's locales.
    """

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._found: dict[tuple[Any, ...], dict[str, Any]] = {}

    def __call__(
        self, locale: Any, recipient: Contact | None, sender: Contact | None, register: Register
    ) -> dict[str, Any]:
        """Return the render values (catalog, register, Babel locale) for these people."""
        key = (
            locale,
            None if recipient is None else recipient.locale,
            None if sender is None else sender.locale,
            register,
        )
        cacheable = locale is None or type(locale) is str
        found = self._found.get(key) if cacheable else None
        if found is None:
            found = render_context(resolve_locale(locale, recipient, sender), register)
            if cacheable:
                if len(self._found) >= self.size:
                    self._found.clear()
                self._found[key] = found
        return found


def render_context(
    locale: LocaleLike, register: Register | str = Register.FORMAL
) -> dict[str, Any]:
    """Return the variables a render needs for a locale and a register.

    ``locale`` is what :func:`~infoview.language.locales.resolve_locale` chose; it is
    used as it is. A Babel id (``"de_AT"``) or a ``babel.Locale`` is resolved
    first, the same way. Text uses the language's catalog (English for a
    language infoview does not ship); formatting keeps the region.
    """
    resolved = resolve_locale(locale)
    return {
        "_translations": translations(resolved.language),
        "register": Register(register).value,
        "locale": resolved.locale,
    }
