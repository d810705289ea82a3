"""Turning infoview objects into plain data and JSON, and back, strictly.

``infoview.converter`` is a cattrs converter: ``converter.unstructure(obj)``
gives dicts, lists and strings; ``converter.structure(data, Interview)`` gives
the object back, equal to the original. ``converter.dumps`` and
``converter.loads`` do the same through JSON.

Enums are stored by value, durations as ISO 8601 durations (``"PT20M"``) and
datetimes as ISO 8601 with their offset and, where they have one, their IANA
zone name in brackets (RFC 9557): ``"2026-12-03T15:00:00-06:00[America/Chicago]"``.

Structuring is strict: a value of the wrong JSON type is refused, never turned
into text (``"name": null`` does not become the name ``"None"``).

- Text fields take only JSON strings (no lone surrogates); optional ones
  (``str | None``) also take ``null``.
- Whole numbers take only integers (``3.0`` counts, ``3.5``, ``true`` and
  ``"3"`` do not); true/false take only ``true`` and ``false``.
- Enums take only their values, as text (``"alumni"``), and the message lists them.
- Lists and tuples take only a JSON list (not a string, not an object); sets
  also take a Python set.
- Objects take only a JSON object with known keys: an unknown key is an error
  naming it and the closest known one (``contact.timezon: unknown field; did
  you mean 'timezone'?``). An object that already is the class asked for
  passes through as it is.
- Datetimes take the text above, durations ISO 8601 text or a number of
  minutes, dates ISO 8601 text and bytes base85 text; values out of range are
  refused.

:meth:`Converter.loads` also refuses text that is not JSON, ``NaN`` and
``Infinity``, numbers too long to be real, keys given twice in one object and
documents nested more than :data:`MAX_DEPTH` levels deep; a leading byte-order
mark is allowed. Every refusal is one :class:`~infoview.errors.StructureError`
whose ``problems`` list every bad value with its path.
"""

from __future__ import annotations

import difflib
import enum
import functools
import math
import re
import types
from collections.abc import Callable, Mapping, MutableSequence, MutableSet, Sequence, Set
from contextvars import ContextVar
from datetime import date, datetime, timedelta
from typing import Any, TypeVar, Union, get_args, get_origin

import attrs
from cattrs.errors import (
    AttributeValidationNote,
    BaseValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn
from cattrs.preconf.json import JsonConverter, configure_converter

from infoview.errors import InfoviewError, StructureError, ValidationError
from infoview.model._formats import (
    structure_bytes,
    structure_date,
    structure_datetime,
    structure_timedelta,
    unstructure_datetime,
    unstructure_timedelta,
)
from infoview.model._json import MAX_DEPTH, BadValueError, describe, parse, show, step
from infoview.model._show import with_article
from infoview.model.texts import LocalizedText

__all__ = [
    "MAX_DEPTH",
    "Converter",
    "converter",
    "make_converter",
    "structure_datetime",
    "structure_timedelta",
    "unstructure_datetime",
    "unstructure_timedelta",
]

T = TypeVar("T")

# Objects inside objects (introduced_by within introduced_by): each may hold a list too,
# so whatever structures also fits within MAX_DEPTH levels of JSON.
_MAX_OBJECTS = MAX_DEPTH // 2

_SURROGATE = re.compile(r"[\ud800-\udfff]")
_MESSAGE_LIMIT = 500
_DEPTH: ContextVar[int] = ContextVar("infoview_structure_depth", default=0)


# --- hooks for plain values ---------------------------------------------------------------


@functools.cache
def _members(cl: type[enum.Enum]) -> dict[Any, enum.Enum]:
    return {member.value: member for member in cl}


def _structure_enum(value: Any, cl: type[enum.Enum]) -> Any:
    if isinstance(value, cl):
        return value
    if type(value) is str and value in _members(cl):
        return _members(cl)[value]
    values = ", ".join(str(m.value) for m in cl)
    noun = with_article(cl.__name__)
    if isinstance(value, str) and not isinstance(value, enum.Enum):
        raise BadValueError(f"{show(value)} is not {noun}; use one of: {values}")
    raise BadValueError(f"expected {noun} (one of: {values}), got {describe(value)}")


def _structure_number(value: Any, cl: type) -> Any:
    """Structure true/false, whole numbers and numbers, refusing the other two and text."""
    if issubclass(cl, bool):
        if isinstance(value, bool):
            return value
        raise BadValueError(f"expected true or false, got {describe(value)}")
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if issubclass(cl, int):
        if number and (isinstance(value, int) or value.is_integer()):
            return int(value)
        raise BadValueError(f"expected a whole number, got {describe(value)}")
    if number and math.isfinite(value):
        return float(value)
    raise BadValueError(f"expected a number, got {describe(value)}")


def _structure_scalar(value: Any, cl: type) -> Any:
    """Structure text, numbers, true/false and enums without converting between them."""
    if cl is str and type(value) is str and (value.isascii() or not _SURROGATE.search(value)):
        return value  # the common case, first
    if issubclass(cl, enum.Enum):
        return _structure_enum(value, cl)
    if issubclass(cl, int | float):
        return _structure_number(value, cl)
    if not isinstance(value, str):
        raise BadValueError(f"expected text, got {describe(value)}")
    if _SURROGATE.search(value):
        raise BadValueError("text holds a lone surrogate (U+D800–U+DFFF), not a character")
    return value if type(value) is str else str.__str__(value)


# --- hooks for containers and classes ----------------------------------------------------

_LISTS: dict[Any, Callable[[list[Any]], Any]] = {
    list: list,
    MutableSequence: list,
    tuple: tuple,
    Sequence: tuple,
    set: set,
    MutableSet: set,
    frozenset: frozenset,
    Set: frozenset,
}


def _is_collection(cl: Any) -> bool:
    args = get_args(cl)
    if get_origin(cl) is tuple:
        return len(args) == 2 and args[1] is Ellipsis
    return get_origin(cl) in _LISTS and len(args) == 1


def _is_optional(cl: Any) -> bool:
    return get_origin(cl) in (Union, types.UnionType) and type(None) in get_args(cl)


def _collection_hook(cl: Any, conv: Converter) -> Callable[[Any, Any], Any]:
    origin, element = get_origin(cl), get_args(cl)[0]
    make = _LISTS[origin]
    unordered = make in (set, frozenset)

    def structure_collection(value: Any, _: Any) -> Any:
        if not isinstance(value, list | tuple) and not (
            unordered and isinstance(value, set | frozenset)
        ):
            raise BadValueError(f"expected a list, got {describe(value)}")
        hook = conv.get_structure_hook(element)
        items, errors = [], []
        for index, item in enumerate(value):
            try:
                items.append(hook(item, element))
            except Exception as exc:  # reported with every other problem
                exc.add_note(IterableValidationNote(f"@ index {index}", index, element))
                errors.append(exc)
        if errors:
            raise IterableValidationError("while structuring a list", errors, cl)
        return make(items)

    return structure_collection


def _optional_hook(cl: Any, conv: Converter) -> Callable[[Any, Any], Any]:
    others = tuple(a for a in get_args(cl) if a is not type(None))
    inner: Any = others[0] if len(others) == 1 else Union[others]  # noqa: UP007 - built at run time

    def structure_optional(value: Any, _: Any) -> Any:
        if value is None:
            return None
        return conv.get_structure_hook(inner)(value, inner)

    return structure_optional


def _class_hook(cl: type, conv: Converter) -> Callable[[Any, Any], Any]:
    inner: Callable[[Any, Any], Any] = make_dict_structure_fn(cl, conv)
    expected = with_article(cl.__name__)

    def structure_class(value: Any, _: Any) -> Any:
        if isinstance(value, cl):
            return value
        if not isinstance(value, Mapping):
            raise BadValueError(f"expected an object ({expected}), got {describe(value)}")
        depth = _DEPTH.get()
        if depth >= _MAX_OBJECTS:
            raise BadValueError(f"objects nest more than {_MAX_OBJECTS} levels deep here")
        token = _DEPTH.set(depth + 1)
        try:
            return inner(value, cl)
        finally:
            _DEPTH.reset(token)

    return structure_class


def _is_localized(cl: Any) -> bool:
    """Whether ``cl`` is a union with :class:`LocalizedText` (text or text per language)."""
    return get_origin(cl) in (Union, types.UnionType) and LocalizedText in get_args(cl)


def _localized_hook(cl: Any) -> Callable[[Any, Any], Any]:
    optional = type(None) in get_args(cl)

    def structure_localized(value: Any, _: Any) -> Any:
        if value is None and optional:
            return None
        if isinstance(value, LocalizedText):
            return value
        if isinstance(value, Mapping):
            for key, text in value.items():
                if type(key) is not str or type(text) is not str:
                    raise BadValueError(
                        f'expected text per locale, e.g. {{"en": "…"}}; the key '
                        f"{show(key)} has {describe(text)}"
                    )
            return LocalizedText(value)
        if not isinstance(value, str):
            raise BadValueError(
                f"expected text or an object of text by locale, got {describe(value)}"
            )
        return _structure_scalar(value, str)

    return structure_localized


# --- errors -------------------------------------------------------------------------------


def _unknown_keys(exc: ForbiddenExtraKeysError, path: str) -> list[tuple[str, str]]:
    known = [a.name for a in attrs.fields(exc.cl) if a.init]
    found = []
    for key in sorted(exc.extra_fields, key=str):
        close = difflib.get_close_matches(key, known, n=1) if isinstance(key, str) else []
        hint = f"did you mean {close[0]!r}?" if close else "known fields: " + ", ".join(known)
        found.append((path + step(key), f"unknown field; {hint}"))
    return found


def _leaf(exc: BaseException, path: str) -> list[tuple[str, str]]:
    if isinstance(exc, ForbiddenExtraKeysError):
        return _unknown_keys(exc, path)
    if isinstance(exc, ValidationError):
        return [(f"{path}.{exc.field}", str(exc).split(": ", 1)[-1])]
    if isinstance(exc, KeyError) and not isinstance(exc, InfoviewError):
        return [(path, "required field missing; add it to the document")]
    if isinstance(exc, BadValueError | InfoviewError):
        return [(path, str(exc))]
    if isinstance(exc, RecursionError):
        return [(path, "nested too deeply to read")]
    return [(path, "not a valid value here")]


def _note_step(exc: BaseException) -> str:
    """The path step cattrs noted on a failed attribute (``.name``) or item (``[3]``)."""
    found = ""
    for note in getattr(exc, "__notes__", ()):
        if isinstance(note, AttributeValidationNote):
            found = f".{note.name}"
        elif isinstance(note, IterableValidationNote):
            found = f"[{note.index}]"
    return found


def _problems(exc: BaseException, root: str) -> list[tuple[str, str]]:
    """Walk a cattrs error tree into ``(path, message)`` pairs, unknown keys first."""
    found: list[tuple[str, str]] = []
    stack: list[tuple[BaseException, str]] = [(exc, root)]
    while stack:  # a loop, not recursion: the tree may be as deep as the document
        current, path = stack.pop()
        if isinstance(current, BaseValidationError):
            subs = sorted(
                current.exceptions, key=lambda e: not isinstance(e, ForbiddenExtraKeysError)
            )
            stack.extend((sub, path + _note_step(sub)) for sub in reversed(subs))
        else:
            found.extend(
                (p, m if len(m) <= _MESSAGE_LIMIT else m[:_MESSAGE_LIMIT] + "…")
                for p, m in _leaf(current, path)
            )
    return found or [(root, "not a valid value here")]


def _root(cl: Any) -> str:
    """Name a document's root in paths: ``interview``, or ``followups`` for a list of them."""
    element = get_args(cl)[0] if _is_collection(cl) else None
    if isinstance(element, type):
        return element.__name__.lower() + "s"
    name: str = getattr(cl, "__name__", "value")
    return name.lower()


# --- the converter ------------------------------------------------------------------------


class Converter(JsonConverter):
    """The strict cattrs converter for infoview objects; errors become :class:`StructureError`."""

    def structure(self, obj: Any, cl: Any) -> Any:
        """Structure ``obj`` into ``cl``, strictly (see the module's documentation).

        Raises:
            StructureError: Naming the path of every bad field, e.g.
                ``interview.contact.timezone: 'Mars/Base' is not an IANA time zone``.
        """
        try:
            return super().structure(obj, cl)
        except Exception as exc:  # every failure is a StructureError
            found = _problems(exc, _root(cl))
        raise StructureError(found[0][0], [f"{p}: {m}" for p, m in found])

    def loads(self, data: str | bytes | bytearray, cl: type[T], **kwargs: Any) -> T:
        """Parse JSON text strictly and structure it into ``cl``.

        Raises:
            StructureError: For text that is not JSON (naming line and column),
                NaN or Infinity, a key given twice, nesting deeper than
                :data:`MAX_DEPTH`, and every problem :meth:`structure` finds.
            TypeError: When given options for :func:`json.loads`; this parser
                sets its own.
        """
        if kwargs:
            raise TypeError("converter.loads() takes no json.loads() options; it parses strictly")
        result: T = self.structure(parse(data, _root(cl)), cl)
        return result


def make_converter() -> Converter:
    """Build the converter: JSON-ready, strict, with infoview's datetime and duration formats."""
    conv = Converter(
        detailed_validation=True,
        forbid_extra_keys=True,
        unstruct_collection_overrides={Set: list},
    )
    configure_converter(conv)
    conv.register_unstructure_hook(datetime, unstructure_datetime)
    conv.register_structure_hook(datetime, structure_datetime)
    conv.register_structure_hook(date, structure_date)
    conv.register_structure_hook(bytes, structure_bytes)
    conv.register_unstructure_hook(timedelta, unstructure_timedelta)
    conv.register_structure_hook(timedelta, structure_timedelta)
    # Singledispatch: str also catches StrEnums, int catches bool; the hook tells them apart.
    for cl in (str, int, float, bool, enum.Enum):
        conv.register_structure_hook(cl, _structure_scalar)
    # Registered last, so they come before cattrs' own (and its union passthrough).
    conv.register_structure_hook_factory(_is_collection, lambda cl: _collection_hook(cl, conv))
    conv.register_structure_hook_factory(_is_optional, lambda cl: _optional_hook(cl, conv))
    conv.register_structure_hook_factory(attrs.has, lambda cl: _class_hook(cl, conv))
    # Text or text per language (Contact.headline, Interview.purpose, goals, takeaways).
    conv.register_unstructure_hook(LocalizedText, dict)
    conv.register_structure_hook_factory(_is_localized, _localized_hook)
    return conv


converter: Converter = make_converter()
