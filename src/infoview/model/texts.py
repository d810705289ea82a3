"""Free text per language: a headline, a purpose or a goal written in several languages.

Your headline is in your language; a draft to Ana is in hers. Fields that
take free text the templates print (``Contact.headline``,
``Interview.purpose``, ``Interview.goals`` and ``Interview.takeaways``) take
either one text or a mapping of locale to text::

    Contact(name="Sam Rivera", headline={
        "en": "a nurse exploring health-tech product roles",
        "es": "enfermero y me interesan los puestos de producto en salud digital",
    })

The mapping is stored as a :class:`LocalizedText`. A draft prints the text
for its language (``es`` serves ``es_MX``); without one it falls back to the
sender's language, then English, then the first text given, and
:func:`infoview.lint` reports the fallback (``free-text-language``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs

from infoview.errors import ValidationError
from infoview.model import _fields
from infoview.model._show import owner_of, show

__all__ = [
    "STOP_WORDS",
    "LocalizedText",
    "language_of",
    "language_scores",
    "localized",
    "localized_items",
    "localized_tuple",
    "other_language",
    "single_line_localized",
]

# Words, split at apostrophes too ("l’équipe" → "l", "équipe").
_WORD = re.compile(r"[^\W\d_]+")
_HINT = "give one text, or a mapping of locale to one line of text, e.g. {'en': '…', 'de': '…'}"


def language_of(locale: str) -> str:
    """The language part of a locale id: ``"es_MX"`` → ``"es"``."""
    return locale.replace("-", "_").split("_", 1)[0].lower()


class LocalizedText(Mapping[str, str]):
    """One free text in several languages: an immutable mapping of locale to text.

    Keys are normalized locale ids (``"de-AT"`` becomes ``"de_AT"``); values
    are single lines of text. ``str()`` gives the first text; templates print
    the one for the draft's language (see :meth:`pick`).
    """

    __slots__ = ("_items",)
    _items: tuple[tuple[str, str], ...]

    def __init__(self, texts: Mapping[str, str] | Iterable[tuple[str, str]]) -> None:
        pairs = texts.items() if isinstance(texts, Mapping) else texts
        items: dict[str, str] = {}
        for key, text in pairs:
            locale = _fields.locale(key, "LocalizedText", "locale")
            if locale is None:
                raise ValidationError("LocalizedText", "locale", key, "is empty", _HINT)
            _fields.check_text(text, "LocalizedText", f"[{locale!r}]")
            if not text.strip():
                raise ValidationError(
                    "LocalizedText", f"[{locale!r}]", text, "is empty or only white space", _HINT
                )
            items[locale] = text.strip()
        if not items:
            raise ValidationError("LocalizedText", "texts", texts, "holds no text", _HINT)
        object.__setattr__(self, "_items", tuple(items.items()))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("LocalizedText is immutable")

    def __reduce__(self) -> tuple[type[LocalizedText], tuple[tuple[tuple[str, str], ...]]]:
        # Pickled as its pairs (bulk drafting sends contacts to worker processes).
        return (LocalizedText, (self._items,))

    def __getitem__(self, key: str) -> str:
        for locale, text in self._items:
            if locale == key:
                return text
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return (locale for locale, _ in self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(frozenset(self._items))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(self._items) == dict(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"LocalizedText({dict(self._items)!r})"

    def __str__(self) -> str:
        return self._items[0][1]

    def find(self, language: str | None) -> tuple[str, str] | None:
        """Return ``(locale, text)`` for a locale or language, or ``None``.

        An exact locale wins (``es_MX``); else one of its language (``es``,
        then ``es_ES``).
        """
        if not language:
            return None
        wanted = language.replace("-", "_")
        for item in self._items:
            if item[0] == wanted:
                return item
        # Keys are normalized ("es_MX"): a key's language is the part before "_".
        base, same = language_of(wanted), None
        for item in self._items:
            locale = item[0]
            if locale == base:
                return item  # the bare language before another region of it
            if same is None and locale.partition("_")[0] == base:
                same = item
        return same

    def pick(self, language: str, *fallbacks: str | None) -> tuple[str, str]:
        """Return ``(locale, text)`` for ``language``, else a fallback's, else the first text.

        Args:
            language: The draft's locale or language.
            fallbacks: Locales to try next, in order (the sender's, ``"en"``).
        """
        for wanted in (language, *fallbacks):
            found = self.find(wanted)
            if found is not None:
                return found
        return self._items[0]


def localized(value: Any) -> Any:
    """Converter: blank text is ``None``, text is stripped, a mapping a :class:`LocalizedText`.

    An empty mapping is ``None``; anything else passes on to the validator.
    """
    if isinstance(value, LocalizedText):
        return value
    if isinstance(value, Mapping):
        return LocalizedText(value) if value else None
    return _fields.optional_text(value)


def localized_tuple(value: Any) -> Any:
    """Converter: like ``text_tuple``, where an item (or the whole value) may be a mapping."""
    if isinstance(value, Mapping):
        value = [value]
    if isinstance(value, list | tuple):
        items = (localized(v) if isinstance(v, Mapping) else v for v in value)
        return _fields.text_tuple(list(items))
    return _fields.text_tuple(value)


def single_line_localized(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Validator: ``None``, one line of text, or a :class:`LocalizedText`."""
    if not isinstance(value, LocalizedText):
        _fields.single_line(instance, attribute, value)


def localized_items(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Validator: a tuple whose items are one line of text or a :class:`LocalizedText`."""
    if not isinstance(value, tuple):
        raise ValidationError(
            owner_of(instance),
            attribute.name,
            value,
            f"expected a list of text, got {show(value)}",
            f"pass e.g. {attribute.name}=['…', {{'en': '…', 'de': '…'}}]",
        )
    for n, item in enumerate(value):
        if not isinstance(item, LocalizedText):
            _fields.check_text(item, owner_of(instance), f"{attribute.name}[{n}]")


# -- Which language a text looks like --------------------------------------------------


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


#: Frequent words of each shipped language, for a cheap guess in lint. A word two
#: languages share ("de", "que", "la") is listed under both, or under neither when
#: it is also frequent in a third ("en", "es", "se", "was").
STOP_WORDS: Mapping[str, frozenset[str]] = {
    "en": _word_set(
        "a an the and of to with for my your is are how what into from about than any this "
        "that it at by we our you be have who which would more"
    ),
    "de": _word_set(
        "der die das und ist ich nicht mit für von zu auf ein eine einen einem dem den wie im "
        "sich auch bei wir über nach oder aus mehr als wenn mein meine ihr ihre dass"
    ),
    "fr": _word_set(
        "le la les et de des du un une dans sur avec est je vous pas qui que ce au aux mon ma "
        "comment mais ou nous sont chez être d l qu j"
    ),
    "es": _word_set(
        "el la los las y de del por para con un una que como más mi su sus pero lo al muy "
        "está son yo cómo qué sobre entre hacia desde"
    ),
}


def language_scores(text: str) -> dict[str, int]:
    """How many of each shipped language's frequent words ``text`` holds."""
    words = [w for w in _WORD.findall(text.casefold()) if w]
    return {lang: sum(w in listed for w in words) for lang, listed in STOP_WORDS.items()}


def other_language(text: str, language: str) -> str | None:
    """The shipped language ``text`` looks like, when that is clearly not ``language``.

    ``None`` when the text gives too little to go on, or looks like ``language``
    at least as much as like any other.
    """
    scores = language_scores(text)
    best = max(scores, key=lambda lang: scores[lang])
    mine = scores.get(language_of(language), 0)
    if best == language_of(language) or scores[best] <= mine:
        return None
    return best
