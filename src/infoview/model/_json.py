"""Reading JSON text strictly, and naming JSON values in messages.

:func:`parse` is what ``infoview.converter.loads`` reads text with: the
standard library's parser, refusing what it would let through (NaN and
Infinity, numbers too long to be real, a key given twice in one object,
nesting deep enough to exhaust the stack) with a
:class:`~infoview.errors.StructureError` that says where.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from itertools import accumulate
from typing import Any

from infoview.errors import StructureError

__all__ = ["MAX_DEPTH", "BadValueError", "describe", "parse", "show", "step"]

MAX_DEPTH = 100
"""How deeply a JSON document may nest, objects and lists alike.

The converter lets objects nest half as deep inside each other (``introduced_by``
within ``introduced_by``), so whatever it structures also fits here.
"""


class BadValueError(ValueError):
    """A value refused by a structure hook; its message is written for the user."""


def show(text: str, limit: int = 60) -> str:
    """Quote text for a message, cutting long text short."""
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}… ({len(text):,} characters)"


def describe(value: Any) -> str:
    """Say what a value is in JSON's words: null, true, 1.5, text '…', a list, an object."""
    if value is None or isinstance(value, bool):
        return "null" if value is None else str(value).lower()
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) or abs(value) < 10**30 else "a huge number"
    if isinstance(value, str):
        return f"text {show(value)}"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return f"a Python {type(value).__name__}"


def step(key: Any) -> str:
    """The path step for an object key: ``.name``, or ``['odd key']``."""
    if isinstance(key, str) and key.isidentifier():
        return f".{key}"
    return f"[{show(key, 40) if isinstance(key, str) else describe(key)}]"


def _fail(path: str, message: str) -> StructureError:
    return StructureError(path, [f"{path}: {message}"])


_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")
_NESTING = {"[": 1, "{": 1, "]": -1, "}": -1}
_LONGEST_NUMBER = 30  # digits: no count, year or duration in a document comes near


class _Refused:
    """A number JSON allows but no infoview document holds, kept in place to name its path."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


def _too_deep(text: str) -> int | None:
    """Return the offset where ``text`` nests deeper than :data:`MAX_DEPTH`, or ``None``."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None
    steps = map(_NESTING.__getitem__, _BRACKET.findall(_STRING.sub("", text)))
    if max(accumulate(steps), default=0) <= MAX_DEPTH:
        return None
    depth = 0
    for token in _TOKEN.finditer(text):
        depth += _NESTING.get(token[0], 0)
        if depth > MAX_DEPTH:
            return token.start()
    return 0  # unbalanced strings made the quick count wrong; refuse anyway


def _position(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - text.rfind("\n", 0, offset)
    return f"line {line} column {column}"


class _Object(dict[str, Any]):
    """A JSON object that gave some key more than once (the later value would win)."""

    duplicates: list[str]


class _Hooks:
    """The parser's hooks: what they refuse stays in place, marked, so its path can be named."""

    def __init__(self) -> None:
        self.faults = 0

    def _refuse(self, message: str) -> _Refused:
        self.faults += 1
        return _Refused(message)

    def constant(self, name: str) -> _Refused:
        return self._refuse(f"{name} is not a number JSON allows; write a number or null")

    def float(self, text: str) -> float | _Refused:
        number = float(text)
        if math.isfinite(number):
            return number
        shown = text if len(text) <= 20 else text[:20] + "…"
        return self._refuse(f"the number {shown} is too large to be a value here")

    def int(self, text: str) -> int | _Refused:
        # Checked before int(): past 4,300 digits it raises ValueError (Python's
        # limit on converting text to int), which would name no path.
        digits = len(text) - text.startswith("-")
        if digits <= _LONGEST_NUMBER:
            return int(text)
        return self._refuse(f"a number with {digits:,} digits is too long to be a value here")

    def pairs(self, items: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(items)
        if len(obj) == len(items):
            return obj
        seen: set[str] = set()
        marked = _Object(obj)
        marked.duplicates = []
        for key, _ in items:
            if key in seen and key not in marked.duplicates:
                marked.duplicates.append(key)
            seen.add(key)
        self.faults += 1
        return marked


def _faults(document: Any, root: str) -> StructureError:
    """Name every refused number and key given twice, in document order.

    A loop, not recursion: nesting is bounded, not small.
    """
    hint = "keep one (JSON readers disagree on which counts)"
    found: list[tuple[str, str]] = []
    stack: list[tuple[Any, str]] = [(document, root)]
    while stack:
        node, path = stack.pop()
        if isinstance(node, _Refused):
            found.append((path, node.message))
        if isinstance(node, _Object):
            found.extend(
                (
                    path + step(key),
                    f"the key {show(key, 40)} appears more than once in one object; {hint}",
                )
                for key in node.duplicates
            )
        if isinstance(node, dict):
            stack.extend((value, path + step(key)) for key, value in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend((value, f"{path}[{i}]") for i, value in reversed(list(enumerate(node))))
    return StructureError(found[0][0], [f"{p}: {m}" for p, m in found])


def parse(data: str | bytes | bytearray, root: str) -> Any:
    """Parse JSON text into dicts, lists, text, numbers, booleans and ``None``.

    Args:
        data: The text; bytes are decoded as JSON allows (UTF-8, -16 or -32).
        root: What the document is, for the paths in errors (``"interview"``).

    Raises:
        StructureError: The text is not JSON (naming line and column), holds
            NaN, Infinity or an absurdly long number, gives a key twice in one
            object, or nests deeper than :data:`MAX_DEPTH`.
        TypeError: ``data`` is neither text nor bytes.
    """
    if isinstance(data, bytes | bytearray):
        encoding = json.detect_encoding(data)
        try:
            text = bytes(data).decode(encoding)
        except UnicodeDecodeError as exc:
            raise _fail(
                root,
                f"not valid {exc.encoding} text (at byte offset {exc.start}); save it as UTF-8",
            ) from None
    elif isinstance(data, str):
        text = data.removeprefix("\ufeff")  # a byte-order mark, as bytes may have (utf-8-sig)
    else:
        raise TypeError(f"loads() reads JSON text (str or bytes), not {describe(data)}")
    offset = _too_deep(text)
    if offset is not None:
        raise _fail(
            root,
            f"nested more than {MAX_DEPTH} levels deep at {_position(text, offset)}; "
            "infoview documents are never that deep",
        )
    hooks = _Hooks()
    try:
        document = json.loads(
            text,
            object_pairs_hook=hooks.pairs,
            parse_constant=hooks.constant,
            parse_float=hooks.float,
            parse_int=hooks.int,
        )
    except json.JSONDecodeError as exc:
        message = exc.msg[:1].lower() + exc.msg[1:]
        raise _fail(
            root, f"not valid JSON at line {exc.lineno} column {exc.colno}: {message}"
        ) from None
    except RecursionError:
        raise _fail(root, "nested too deeply to read") from None
    if hooks.faults:
        raise _faults(document, root)
    return document
