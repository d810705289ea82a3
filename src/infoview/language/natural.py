"""Natural text: how infoview's objects read when a template prints them.

A template that prints an object gets words, never a ``repr``, in the draft's
language, whether it prints it with ``{{ … }}``, passes it to ``{% trans %}``
or joins it with ``|join_list``:

- a :class:`~infoview.Contact` prints its name, and so does a
  :class:`~infoview.Referral` (the person suggested);
- a :class:`~infoview.Question` prints its text in the draft's language and
  register (the built-in bank's questions are translated; yours stay as written);
- a :class:`~infoview.Promise` prints what was promised: an introduction in
  the draft's language ("mich Priya Nair vorzustellen"), any other in your words;
- an :class:`~infoview.Interview` prints its title, as the calendar invite
  does ("Informationsgespräch: Sam Rivera / Ana García");
- an :class:`~infoview.Agenda` prints its questions, numbered, one per line;
- a :class:`~infoview.model.texts.LocalizedText` prints the text for the draft's
  language (falling back to the sender's, then English, then the first).

Two filters go with it: ``|local`` picks the text for the draft's language
from a text given per language, and ``|sentence`` prints an input shaped like
a sentence as one: first letter capitalized, final punctuation added.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from gettext import NullTranslations  # Babel's catalogs are instances of its subclasses
from typing import Any

from jinja2 import Environment, pass_context
from jinja2.runtime import Context

from infoview.language import i18n
from infoview.language.locales import SOURCE_LANGUAGE, LocaleLike
from infoview.language.wording import N_, join_list, regional
from infoview.model.contact import Contact
from infoview.model.interview import Interview
from infoview.model.questions import Agenda, Question
from infoview.model.referrals import Promise, PromiseKind, Referral
from infoview.model.texts import LocalizedText

__all__ = [
    "FILTERS",
    "as_sentence",
    "install",
    "local_text",
    "natural",
    "promise_text",
    "purpose_sentence",
    "question_text",
    "summary",
]

_INTRODUCE = N_("introduce me to %(name)s")
_SUMMARY = N_("Informational interview: %(sender)s / %(contact)s")
_PURPOSE = N_("I'm hoping to learn %(purpose)s.")

# Punctuation that ends a sentence, and what may close one after it.
_ENDS = (".", "!", "?", "…", "。", "！", "？")
_CLOSERS = "\"'”’»)]"


def as_sentence(text: str) -> str:
    """Capitalize the first letter and end with punctuation: ``"we talked"`` → ``"We talked."``.

    Text already ending in ``.``, ``!``, ``?`` or ``…`` (before any closing
    quote or bracket) keeps its ending; opening punctuation such as ``¿`` or
    a quote stays in front of the capital.
    """
    text = " ".join(str(text).split())
    for n, char in enumerate(text):
        if char.isalpha():
            text = text[:n] + char.upper() + text[n + 1 :]
            break
        if char.isdigit():
            break
    if text and not text.rstrip(_CLOSERS).endswith(_ENDS):
        text += "."
    return text


def local_text(
    value: LocalizedText | str, language: str, *fallbacks: str | None
) -> tuple[str, str | None]:
    """Return the text for ``language`` and the locale it was written for (``None``: plain text)."""
    if isinstance(value, LocalizedText):
        locale, text = value.pick(language, *fallbacks, SOURCE_LANGUAGE)
        return text, locale
    return value, None


def promise_text(promise: Promise, translations: NullTranslations, locale: LocaleLike) -> str:
    """What was promised, as a verb phrase: an introduction in the catalog's language."""
    if promise.kind is PromiseKind.INTRODUCTION and promise.introduction is not None:
        words = regional(translations.gettext(_INTRODUCE), locale)
        return words % {"name": promise.introduction.name}
    return promise.text.strip().rstrip(".")


def question_text(text: str, translations: NullTranslations, register: str) -> str:
    """A question (or probe) of the built-in bank in the catalog's language and ``register``."""
    return str(translations.pgettext(register, text))


def summary(interview: Interview, translations: NullTranslations, locale: LocaleLike) -> str:
    """The title of an interview (the invite's SUMMARY): "Informational interview: A / B"."""
    words = regional(translations.gettext(_SUMMARY), locale)
    return words % {"sender": interview.sender.name, "contact": interview.contact.name}


def purpose_sentence(
    interview: Interview, translations: NullTranslations, locale: LocaleLike, language: str
) -> str | None:
    """The interview's purpose as a sentence in ``language`` ("I'm hoping to learn …"), if set."""
    if interview.purpose is None:
        return None
    text = local_text(interview.purpose, language, interview.sender.locale)[0]
    words = regional(translations.gettext(_PURPOSE), locale)
    return words % {"purpose": text.strip().rstrip(" .")}


# -- In templates -------------------------------------------------------------


def _sender_locale(ctx: Context) -> str | None:
    sender = ctx.resolve_or_missing("sender")
    return sender.locale if isinstance(sender, Contact) else None


def _language(ctx: Context) -> str:
    return str(i18n._locale(ctx))


@pass_context
def local(ctx: Context, value: Any) -> Any:
    """Filter ``|local``: the text for the draft's language of text given per language."""
    if isinstance(value, LocalizedText):
        return local_text(value, _language(ctx), _sender_locale(ctx))[0]
    return value


@pass_context
def sentence(ctx: Context, value: Any) -> str:
    """Filter ``|sentence``: print a sentence-shaped input as a sentence."""
    return as_sentence(str(natural(ctx, value)))


def _questions(ctx: Context, value: Question | Agenda) -> str:
    if isinstance(value, Question):
        return i18n.translate_question(ctx, value)
    numbered = enumerate(value.questions, 1)
    return "\n".join(f"{n}. {i18n.translate_question(ctx, q)}" for n, q in numbered)


def natural(ctx: Context, value: Any) -> Any:
    """Return the natural text of an infoview object in the render's language; others as given."""
    if isinstance(value, LocalizedText):
        return local(ctx, value)
    if isinstance(value, Contact | Referral):
        return (value if isinstance(value, Contact) else value.person).name
    if isinstance(value, Question | Agenda):
        return _questions(ctx, value)
    if isinstance(value, Promise | Interview):
        catalog, locale = i18n._tr(ctx), i18n._locale(ctx)
        if isinstance(value, Promise):
            return promise_text(value, catalog, locale)
        return summary(value, catalog, locale)
    return value


@pass_context
def _join_list(ctx: Context, values: Iterable[Any], style: str = "standard") -> str:
    """``|join_list``: the items' natural text, joined as the locale does."""
    items = [str(natural(ctx, v)) for v in values]
    return join_list(items, i18n._locale(ctx), style)


# What jinja2.pass_context marks a function with (read from its result, not a private name).
_CONTEXT = getattr(pass_context(lambda ctx: ctx), "jinja_pass_arg", None)


def _passes_context(func: Callable[..., Any]) -> bool:
    return getattr(func, "jinja_pass_arg", None) is _CONTEXT


def _naturalizing(gettext: Callable[..., str]) -> Callable[..., str]:
    """Wrap a new-style gettext so the values of ``{% trans %}`` print as natural text."""

    @pass_context
    def call(ctx: Context, *args: Any, **variables: Any) -> str:
        values = {k: v if type(v) is str else natural(ctx, v) for k, v in variables.items()}
        return gettext(ctx, *args, **values)

    return call


def _finalizing(finalize: Callable[..., Any] | None) -> Callable[..., Any]:
    """Compose the environment's ``finalize`` with natural text."""

    # A finalize that prints text that is not blank as it is (blanks.finalize) says so.
    plain = getattr(finalize, "keeps_text", False) is True

    @pass_context
    def printable(ctx: Context, value: Any) -> Any:
        if plain and type(value) is str and not value.isspace() and value:
            return value
        if finalize is not None:
            value = finalize(ctx, value) if _passes_context(finalize) else finalize(value)
        return natural(ctx, value)

    return printable


FILTERS: dict[str, Callable[..., Any]] = {
    "local": local,
    "sentence": sentence,
    "join_list": _join_list,
}


def install(env: Environment) -> None:
    """Make an environment print infoview objects as natural text (after ``i18n.install``).

    Wraps ``finalize`` and the gettext callables, and adds ``|local`` and
    ``|sentence`` (and a ``|join_list`` that joins natural text).
    """
    for name in ("gettext", "ngettext", "pgettext", "npgettext"):
        found = env.globals.get(name)
        if callable(found):
            env.globals[name] = _naturalizing(found)
    env.finalize = _finalizing(env.finalize)
    env.filters.update(FILTERS)
