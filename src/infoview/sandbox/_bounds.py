"""The bounds a sandboxed render keeps: work steps, depth, and sizes checked before building.

:mod:`infoview.sandbox` calls these; they know nothing of templates. Every
refusal is a :class:`jinja2.exceptions.SecurityError` naming the bound.
"""

from __future__ import annotations

import builtins
import contextvars
import re
import string
from collections.abc import (
    ItemsView,
    Iterable,
    Iterator,
    KeysView,
    Mapping,
    Sized,
    ValuesView,
)
from typing import Any, NoReturn

import attrs
from jinja2.exceptions import SecurityError
from jinja2.utils import Namespace

SEQUENCES = (list, tuple, set, frozenset, builtins.range, KeysView, ValuesView, ItemsView)
_CONTAINERS = (*SEQUENCES, Mapping, Namespace)


@attrs.frozen
class Limits:
    """The bounds of one sandboxed environment; see :class:`infoview.Templates`."""

    max_output: int = 100_000
    max_range: int = 1_000
    max_work: int = 100_000
    max_depth: int = 30
    max_int_bits: int = 4_096


class Render:
    """What one render has left: work steps, and how deep it is nested now."""

    __slots__ = ("depth", "left", "limits")

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.left = limits.max_work
        self.depth = 0


current: contextvars.ContextVar[Render] = contextvars.ContextVar("infoview_sandbox_render")


def refuse(reason: str) -> NoReturn:
    """Stop the render: the sandbox refuses what the template tried."""
    raise SecurityError(reason)


def spend(steps: int) -> None:
    """Spend work steps of the current render; refuse when none are left."""
    state = current.get(None)
    if state is None:
        return
    state.left -= steps
    if state.left < 0:
        refuse(f"the template does too much work (limit {state.limits.max_work:,} steps: max_work)")


def deeper() -> Render | None:
    """Enter one level of nesting (undo with ``state.depth -= 1``); refuse past max_depth."""
    state = current.get(None)
    if state is not None:
        if state.depth >= state.limits.max_depth:
            limit = state.limits.max_depth
            refuse(f"macros, blocks, includes and imports nest too deep (limit {limit}: max_depth)")
        state.depth += 1
    return state


def at_most(size: int, what: str, limits: Limits) -> None:
    """Refuse ``what`` if it would be longer than ``max_output`` characters."""
    if size > limits.max_output:
        refuse(
            f"{what} would be {size:,} characters long (limit {limits.max_output:,}: max_output)"
        )


def check_int(value: int, limits: Limits) -> None:
    """Refuse an integer of more than ``max_int_bits`` bits."""
    if value.bit_length() > limits.max_int_bits:
        bits = value.bit_length()
        refuse(f"an integer of {bits:,} bits (limit {limits.max_int_bits:,}: max_int_bits)")


def measure(
    value: Any, limits: Limits, what: str = "a value", *, printed: bool = False
) -> tuple[int, int, int]:
    """Estimate how long ``value`` prints, nesting included, without printing it.

    Counts the characters of every string and one per item, number or other
    object; when the value is about to be ``printed``, the fields of attrs
    objects (an Interview, a Contact) count too, else such an object counts
    as 8. Returns (characters, items, depth). Refuses as soon as the count
    passes ``max_output`` or the nesting ``max_depth``, so a value shared many
    times (``[x] * 40000``) or a cycle costs no more than the limit to
    measure; each item visited spends a step.
    """
    if isinstance(value, str | bytes):
        at_most(len(value), what, limits)
        return len(value), 1, 0
    if not isinstance(value, _CONTAINERS) and not (printed and _is_attrs(value)):
        if type(value) is int:
            check_int(value, limits)
        return 8, 1, 0
    size = items = deepest = 0
    end = object()
    stack: list[tuple[Iterator[Any], int]] = [(iter((value,)), 0)]
    while stack:
        children, depth = stack[-1]
        item = next(children, end)
        if item is end:
            stack.pop()
            continue
        items += 1
        size += 1
        if isinstance(item, str | bytes):
            size += len(item)
        elif isinstance(item, int):
            check_int(item, limits)
            size += item.bit_length() // 3
        elif isinstance(item, _CONTAINERS) or (printed and _is_attrs(item)):
            if depth >= limits.max_depth:
                refuse(f"{what} nests too deep (limit {limits.max_depth}: max_depth)")
            deepest = max(deepest, depth + 1)
            stack.append((_children(item), depth + 1))
            size += sum(len(name) + 2 for name in _field_names(item))
        else:
            size += 8
        if size > limits.max_output:
            refuse(
                f"{what} would be over {limits.max_output:,} characters long "
                f"(limit {limits.max_output:,}: max_output)"
            )
    spend(items)
    return size, items, deepest


def _is_attrs(item: Any) -> bool:
    return attrs.has(type(item))


def _field_names(item: Any) -> list[str]:
    cls = type(item)
    return [f.name for f in attrs.fields(cls)] if attrs.has(cls) else []


def _children(item: Any) -> Iterator[Any]:
    if isinstance(item, Namespace):
        item = object.__getattribute__(item, "_Namespace__attrs")
    if isinstance(item, Mapping):
        return iter(item.items())
    if _is_attrs(item):
        return (getattr(item, name) for name in _field_names(item))
    return iter(item)


class Charged(Iterator[Any]):
    """Iterate, spending one work step per item."""

    __slots__ = ("_items",)

    def __init__(self, items: Iterable[Any]) -> None:
        self._items = iter(items)

    def __next__(self) -> Any:
        item = next(self._items)
        spend(1)
        return item


class Buffer(list[str]):
    """Captured output: a list of text chunks that refuses to grow past max_output."""

    __slots__ = ("_limits", "_size")

    def __init__(self, limits: Limits) -> None:
        super().__init__()
        self._limits = limits
        self._size = 0

    def append(self, chunk: str) -> None:
        self._size += len(chunk)
        at_most(self._size, "captured output", self._limits)
        super().append(chunk)

    def extend(self, chunks: Iterable[str]) -> None:
        chunks = tuple(chunks)
        self._size += sum(map(len, chunks))
        at_most(self._size, "captured output", self._limits)
        super().extend(chunks)


def collect(chunks: Iterable[str], limits: Limits, what: str) -> str:
    """Join text chunks, refusing once they pass ``max_output``."""
    out: list[str] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        at_most(size, what, limits)
        out.append(chunk)
    spend(size // 1_000)
    return "".join(out)


# --------------------------------------------------------------------------- formats

_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?")


def check_percent(text: str, values: Any, limits: Limits) -> None:
    """Check ``text % values`` before formatting: widths, and how long it can get."""
    specs = _PERCENT_SPEC.findall(text)
    for width, precision in specs:
        for value in (width, precision):
            if value == "*":
                refuse("a format width taken from the arguments ('*') is not allowed")
            if value and int(value) > limits.max_output:
                at_most(int(value), f"a format width of {value}", limits)
    if isinstance(values, tuple):
        biggest = max((measure(v, limits, printed=True)[0] for v in values), default=0)
    else:
        biggest = measure(values, limits, printed=True)[0]
    at_most(len(text) + len(specs) * biggest, "a formatted value", limits)


def brace_fields(text: str, limits: Limits) -> int:
    """Check a ``str.format`` pattern; return how many fields it has."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        refuse(f"a malformed format string: {exc}")
    fields = 0
    for _, field, spec, _ in parsed:
        if field is None:
            continue
        fields += 1
        if field[:1] in {".", "["}:
            refuse("unnamed format fields with lookups")
        if spec and "{" in spec:
            refuse("nested format fields are not allowed")
        for value in re.findall(r"\d+", spec or ""):
            if int(value) > limits.max_output:
                at_most(int(value), f"a format width of {value}", limits)
    return fields


# --------------------------------------------------------------------------- operators


def check_binop(operator: str, left: Any, right: Any, limits: Limits) -> None:
    """Check an operator's result would stay within the limits, before computing it."""
    if operator == "*":
        for seq, n in ((left, right), (right, left)):
            if isinstance(n, int) and isinstance(seq, str | bytes | list | tuple):
                at_most(measure(seq, limits)[0] * max(n, 0), "a repeated value", limits)
        if isinstance(left, int) and isinstance(right, int):
            _int_bits(abs(left).bit_length() + abs(right).bit_length() - 1, limits)
    elif operator == "**" and isinstance(left, int) and isinstance(right, int):
        if right > 0 and abs(left) > 1:
            _int_bits((abs(left).bit_length() - 1) * right + 1, limits)
    elif operator == "+":
        if isinstance(left, str | bytes | list | tuple) and isinstance(
            right, str | bytes | list | tuple
        ):
            size = measure(left, limits)[0] + measure(right, limits)[0]
            at_most(size, "a joined value", limits)
    elif operator == "%" and isinstance(left, str):
        check_percent(left, right, limits)


def _int_bits(bits: int, limits: Limits) -> None:
    if bits > limits.max_int_bits:
        refuse(f"an integer of about {bits:,} bits (limit {limits.max_int_bits:,}: max_int_bits)")


def check_method(
    method: Any, args: tuple[Any, ...], kwargs: dict[str, Any], limits: Limits
) -> tuple[Any, ...]:
    """Check a str or bytes method would stay within max_output; return its arguments."""
    text = getattr(method, "__self__", None)
    if not isinstance(text, str | bytes):
        return args
    name = getattr(method, "__name__", "")
    first = args[0] if args else None
    if name in {"center", "ljust", "rjust", "zfill"} and isinstance(first, int):
        at_most(max(first, len(text)), f"str.{name}()", limits)
    elif name == "expandtabs":
        tab = first if isinstance(first, int) else kwargs.get("tabsize", 8)
        tabs = text.count("\t") if isinstance(text, str) else text.count(b"\t")
        at_most(len(text) + tabs * max(tab, 0), "str.expandtabs()", limits)
    elif name == "join" and args:
        items = materialized(first)
        size, count, _ = measure(items, limits)
        at_most(size + len(text) * count, "str.join()", limits)
        args = (items, *args[1:])
    elif name == "replace" and len(args) >= 2:
        at_most(
            replaced(text, args[0], args[1], args[2] if len(args) > 2 else -1),
            "str.replace()",
            limits,
        )
    elif name == "translate" and isinstance(first, Mapping):
        longest = max((measure(v, limits)[0] for v in first.values()), default=1)
        at_most(len(text) * max(longest, 1), "str.translate()", limits)
    return args


def materialized(value: Any) -> Any:
    """Make an iterator a list (one step per item), so it can be measured first."""
    return value if isinstance(value, Sized) else list(Charged(value))


def replaced(text: Any, old: Any, new: Any, count: Any) -> int:
    text, old, new = str(text), str(old), str(new)
    hits = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        hits = min(hits, count)
    return len(text) + hits * len(new)
