"""Reading a contact from JSON in its usual plain shape, without loading the converter.

The command line reads one sender file per run; the strict converter
(:mod:`infoview.model.serialize`, cattrs) takes longer to load than the rest
of that read. :func:`contact` builds the :class:`~infoview.model.contact.Contact`
itself when the JSON is what the converter writes for a contact with nothing
unusual in it: an object of known keys whose values are text, null, the
enums' values, a list of text for ``tags`` and text or text per language for
``headline``. For anything else (an unknown key, a value of another type, a
value the contact refuses, an ``introduced_by`` that is not null) it returns None, and the
caller asks the converter, whose errors name every problem. Where it answers,
it answers as the converter does (tested against it).
"""

from __future__ import annotations

import enum
import functools
import typing
from typing import Any

import attrs

from infoview.model._json import parse
from infoview.model.contact import Contact
from infoview.model.texts import LocalizedText

__all__ = ["contact"]


def contact(data: str | bytes | bytearray) -> Contact | None:
    """The contact in JSON ``data``; None unless it is in the plain shape (ask the converter)."""
    try:
        found = parse(data, "contact")
        if type(found) is not dict:
            return None
        fields = _fields()
        given: dict[str, Any] = {}
        for key, value in found.items():
            kind = fields.get(key)
            if kind is None:
                return None
            plain = _plain(value, kind)
            if plain is _NO:
                return None
            given[key] = plain
        return Contact(**given)
    except Exception:
        return None


_NO = object()  # not in the plain shape


def _text(value: Any) -> Any:
    if type(value) is not str:
        return _NO
    if not value.isascii():
        value.encode("utf-8")  # a lone surrogate raises: the converter refuses it, naming it
    return value


def _optional_text(value: Any) -> Any:
    return None if value is None else _text(value)


def _null(value: Any) -> Any:
    return None if value is None else _NO


def _tags(value: Any) -> Any:
    if type(value) is not list:
        return _NO
    items = tuple(_text(item) for item in value)
    return _NO if _NO in items else items


def _headline(value: Any) -> Any:
    if type(value) is not dict:
        return _optional_text(value)
    if all(_text(k) is not _NO and _text(t) is not _NO for k, t in value.items()):
        return LocalizedText(value)
    return _NO


_READERS = {
    "text": _text,
    "optional text": _optional_text,
    "null": _null,
    "tags": _tags,
    "headline": _headline,
}


def _plain(value: Any, kind: Any) -> Any:
    """``value`` as the converter structures it into ``kind``, or _NO for anything unusual."""
    if isinstance(kind, str):
        return _READERS[kind](value)
    enum_class, optional = kind  # an enum, and whether null is allowed
    if value is None and optional:
        return None
    members = {m.value: m for m in enum_class}
    return members[value] if type(value) is str and value in members else _NO


@functools.cache
def _fields() -> dict[str, Any]:
    """Each field of Contact this module reads, by its key in JSON, with what it takes."""
    hints = typing.get_type_hints(Contact)
    found: dict[str, Any] = {}
    for field in attrs.fields(Contact):
        hint = hints[field.name]
        args = typing.get_args(hint)
        if hint is str:
            found[field.name] = "text"
        elif hint == str | None:
            found[field.name] = "optional text"
        elif hint == tuple[str, ...]:
            found[field.name] = "tags"
        elif hint == str | LocalizedText | None:
            found[field.name] = "headline"
        elif isinstance(hint, type) and issubclass(hint, enum.Enum):
            found[field.name] = (hint, False)
        elif len(args) == 2 and args[1] is type(None) and issubclass(args[0], enum.Enum):
            found[field.name] = (args[0], True)
        else:  # introduced_by, a Contact: null here, anything else for the converter
            found[field.name] = "null"
    return found
