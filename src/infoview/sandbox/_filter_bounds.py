"""Checks the sandbox runs before a filter, so its result stays within the bounds.

Each check takes the filter's value, arguments and the :class:`~infoview.sandbox._bounds.Limits`,
estimates the size of the result from them, and returns the value to filter
(an iterator made a list, so it can be measured first).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from infoview.sandbox._bounds import (
    Limits,
    at_most,
    check_percent,
    materialized,
    measure,
    refuse,
    replaced,
    spend,
)

Check = Callable[[Any, tuple[Any, ...], dict[str, Any], Limits], Any]


def _arg(args: tuple[Any, ...], kwargs: dict[str, Any], index: int, name: str, default: Any) -> Any:
    return args[index] if len(args) > index else kwargs.get(name, default)


def _width(name: str, index: int, keyword: str) -> Check:
    def check(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any], limits: Limits) -> Any:
        width = _arg(args, kwargs, index, keyword, 0)
        if isinstance(width, int) and width > limits.max_output:
            at_most(width, f"|{name}({width})", limits)
        return value

    return check


def _join(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any], limits: Limits) -> Any:
    items = materialized(value)
    if not isinstance(items, str):
        size, count, _ = measure(items, limits, printed=True)
        at_most(size + len(str(_arg(args, kwargs, 0, "d", ""))) * count, "a joined value", limits)
    return items


def _indent(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any], limits: Limits) -> Any:
    width = _arg(args, kwargs, 0, "width", 4)
    text = str(value)
    step = width if isinstance(width, int) else len(str(width))
    at_most(len(text) + (text.count("\n") + 1) * max(step, 0), "an indented value", limits)
    return value


def _wordwrap(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any], limits: Limits) -> Any:
    width = _arg(args, kwargs, 0, "width", 79)
    wrap = str(_arg(args, kwargs, 2, "wrapstring", None) or "\n")
    text = str(value)
    lines = len(text) // width + 1 if isinstance(width, int) and width > 0 else len(text) + 1
    at_most(len(text) + (lines + text.count("\n")) * len(wrap), "a wrapped value", limits)
    return value


def _replace(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any], limits: Limits) -> Any:
    old, new = _arg(args, kwargs, 0, "old", ""), _arg(args, kwargs, 1, "new", "")
    at_most(
        replaced(value, old, new, _arg(args, kwargs, 2, "count", None)), "a replaced value", limits
    )
    return value


def _format(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any], limits: Limits) -> Any:
    check_percent(str(value), kwargs or args, limits)
    return value


def _fill(name: str) -> Check:
    def check(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any], limits: Limits) -> Any:
        count = _arg(args, kwargs, 0, "linecount" if name == "batch" else "slices", 1)
        if isinstance(count, int) and count > limits.max_output:
            at_most(count, f"|{name}({count})", limits)
        fill = _arg(args, kwargs, 1, "fill_with", None)
        if fill is not None and isinstance(count, int):
            at_most(measure(fill, limits)[0] * count, f"|{name}'s filling", limits)
        return value

    return check


def _sum(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any], limits: Limits) -> Any:
    items = materialized(value)
    start = _arg(args, kwargs, 1, "start", 0)
    if not isinstance(start, int | float | complex):
        total = measure(start, limits)[0] + sum(measure(i, limits)[0] for i in items)
        at_most(total, "a sum", limits)
        spend(len(items) * total // 1_000)  # each + copies everything summed so far
    return items


def _tojson(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any], limits: Limits) -> Any:
    indent = _arg(args, kwargs, 0, "indent", None)
    step = indent if isinstance(indent, int) else len(str(indent or ""))
    size, items, depth = measure(value, limits, printed=True)
    at_most(size * 2 + items * (depth * max(step, 0) + 1), "a JSON value", limits)
    return value


def _pprint(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any], limits: Limits) -> Any:
    size, items, depth = measure(value, limits, printed=True)
    at_most(size * 2 + items * (depth + 1), "a pretty-printed value", limits)
    return value


def _round(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any], limits: Limits) -> Any:
    precision = _arg(args, kwargs, 0, "precision", 0)
    if isinstance(precision, int) and abs(precision) > 1_000:
        refuse(f"|round({precision}) (limit 1,000 digits)")
    return value


def _urlize(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any], limits: Limits) -> Any:
    text = str(value)
    links = text.count(".") + text.count("@") + text.count(":") + 1
    extra = sum(len(str(kwargs.get(k) or "")) for k in ("target", "rel"))
    at_most(len(text) * 2 + links * (extra + 60), "an urlized value", limits)
    return value


def _attr(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any], limits: Limits) -> Any:
    name = str(_arg(args, kwargs, 0, "name", ""))
    if name.startswith("_") or name in {"format", "format_map", "mro"}:
        refuse(f"|attr({name!r}) is not allowed")
    return value


#: Checks run before a filter, by filter name.
CHECKS: dict[str, Check] = {
    "attr": _attr,
    "batch": _fill("batch"),
    "center": _width("center", 0, "width"),
    "format": _format,
    "indent": _indent,
    "join": _join,
    "pprint": _pprint,
    "replace": _replace,
    "round": _round,
    "slice": _fill("slice"),
    "sum": _sum,
    "tojson": _tojson,
    "truncate": _width("truncate", 0, "length"),
    "urlize": _urlize,
    "wordwrap": _wordwrap,
}

#: Filters that do not print their input: an object given to them counts as 8 characters.
KEEP_OBJECTS_WHOLE = frozenset(
    {"attr", "batch", "count", "d", "default", "dictsort", "first", "groupby", "items", "last"}
    | {"length", "list", "map", "max", "min", "random", "reject", "rejectattr", "reverse"}
    | {"select", "selectattr", "slice", "sort", "sum", "unique"}
)

#: Characters per work step of a filter's text input: most filters go through
#: 1,000 characters in a microsecond or so; these work word by word in Python.
CHARS_PER_STEP = {"striptags": 2, "title": 2, "urlize": 1, "wordcount": 4, "wordwrap": 1}
