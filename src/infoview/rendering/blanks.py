"""Blanks: why nothing renders as an empty value.

Undefined names raise (``StrictUndefined``); an attribute or item that is
``None``, empty or white space becomes a *blank*: it is false in ``{% if %}``
and ``or``, ``default`` replaces it, and printing it raises. The environments
here (plain and sandboxed) turn those values into blanks; :func:`missing_error`
turns the failure into a :class:`~infoview.errors.MissingValueError` naming
the template, the variable and the contact.

Printing means any way to text, not only ``{{ x }}``: a missing value's
``str``, ``repr`` and ``format`` raise (so ``|pprint``, a printed list or dict,
``~`` and ``%`` do), every filter but ``|default`` refuses one or ``None``
(:func:`refuse_blanks_in_filters`: Jinja's ``|items``, ``|map``, ``|select``
and ``|attr`` would pass over it quietly), filters that print a collection's
items refuse one holding a blank, and :func:`finalize` refuses to print a
collection holding one, or an iterator's items that do.

An attribute an infoview object does not have at all (``contact.frist_name``)
is no missing value but a fault in the template: :class:`NoField` is false to
``is defined`` like any missing name, and using it raises a
:class:`~infoview.errors.TemplateError` (see :func:`no_field_error`) naming
the closest field there is.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable, Iterator, Mapping
from functools import update_wrapper
from typing import TYPE_CHECKING, Any, NoReturn

import attrs
import jinja2

from infoview.errors import MissingValueError, TemplateError
from infoview.rendering.specialize import Specializing

__all__ = [
    "Blank",
    "Environment",
    "Missing",
    "MissingValue",
    "NoBlanksMixin",
    "NoField",
    "SandboxedEnvironment",
    "finalize",
    "is_blank",
    "is_none",
    "missing_error",
    "no_blanks_in",
    "no_field_error",
    "refuse_blanks_in_filters",
    "refusing_blanks",
    "require",
]


class Missing(jinja2.StrictUndefined):
    """A name that was never given: any use other than a test raises."""

    __slots__ = ()

    def _fail_with_undefined_error(self, *args: Any, **kwargs: Any) -> NoReturn:
        if issubclass(self._undefined_exception, jinja2.exceptions.SecurityError):
            raise self._undefined_exception(self._undefined_message)
        raise MissingValue(self)

    # StrictUndefined binds these to its own method; rebind them to ours. Every
    # way of turning the value into text (repr too: pprint, a printed list, a
    # dict's items) or a number fails, so no filter or expression prints it.
    __str__ = __repr__ = __format__ = __iter__ = __len__ = __eq__ = __ne__ = __bool__ = __hash__ = (
        __contains__
    ) = __getitem__ = __call__ = __abs__ = __round__ = __index__ = __trunc__ = __reversed__ = (
        _fail_with_undefined_error
    )


# jinja2.Undefined binds its arithmetic, comparisons and conversions to its own
# method (raising a bare UndefinedError that names nothing); rebind them to ours.
for _name, _method in vars(jinja2.Undefined).items():
    if _method is jinja2.Undefined._fail_with_undefined_error and _name.startswith("__"):
        setattr(Missing, _name, Missing._fail_with_undefined_error)
del _name, _method


class Blank(Missing):
    """An attribute or item that exists but is ``None``, empty or white space.

    Unlike a missing name it is false, so ``{% if contact.school %}`` and
    ``contact.school or "…"`` give templates their fallbacks.
    """

    __slots__ = ()

    def __bool__(self) -> bool:  # type: ignore[override]
        return False

    def __eq__(self, other: object) -> bool:  # type: ignore[override]
        return other is None or isinstance(other, Blank)

    def __ne__(self, other: object) -> bool:  # type: ignore[override]
        return not self.__eq__(other)

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(None)


class NoField(Missing):
    """An attribute that an infoview object (an attrs class) does not have: a typo.

    Like any missing name it is false to ``is defined``; any other use raises.
    """

    __slots__ = ()


class MissingValue(jinja2.UndefinedError):
    """Raised inside a render when a missing or blank value is used; see :func:`missing_error`."""

    def __init__(self, undefined: Missing) -> None:
        self.undefined = undefined
        super().__init__(undefined._undefined_message)


def is_blank(value: Any) -> bool:
    """Return whether ``value`` is ``None``, empty or white-space text."""
    if value is None:
        return True
    return isinstance(value, str) and not value.strip()


_COLLECTIONS = (list, tuple, dict, set, frozenset)
# Iterators a filter returns (|map, |select, |items, …; the sandbox's Charged):
# printed, they are their items, never "<generator object …>".
_ITERATOR_MODULES = frozenset({"builtins", "itertools", "infoview.sandbox._bounds"})


def _iterated(value: Any) -> Any:
    """A list of an iterator's items, for an iterator a filter returned; anything else as it is."""
    if isinstance(value, Iterator) and type(value).__module__ in _ITERATOR_MODULES:
        return list(value)
    return value


def no_blanks_in(value: Any, *, text: bool = True) -> None:
    """Raise MissingValue when a collection holds a missing value, at any depth.

    With ``text``, ``None`` and blank text count as missing too (they would
    print as "None" or as nothing where the value should be).
    """
    todo = [value]
    seen: set[int] = set()
    while todo:
        item = todo.pop()
        if isinstance(item, Missing):
            item._fail_with_undefined_error()
        if text and is_blank(item):
            raise MissingValue(Missing(hint=f"a value printed holds {item!r}"))
        if isinstance(item, _COLLECTIONS) and id(item) not in seen:
            seen.add(id(item))
            todo.extend(item.items() if isinstance(item, dict) else item)


def finalize(value: Any) -> Any:
    """Environment ``finalize``: refuse to print a blank, or a collection empty or holding one.

    An iterator a filter returned prints as the list of its items.
    """
    value = _iterated(value)
    if is_blank(value) or (isinstance(value, _COLLECTIONS) and not value):
        raise MissingValue(Missing(hint=f"an expression gave {value!r}"))
    if isinstance(value, _COLLECTIONS):
        no_blanks_in(value)
    return value


finalize.keeps_text = True  # type: ignore[attr-defined]  # natural text may skip it for text


class NoBlanksMixin:
    """Turn ``None`` and blank text met on the way into ``Blank`` values."""

    undefined: type[jinja2.Undefined]

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, Missing):  # even X.__class__ or X.__doc__: a blank has no attributes
            obj._fail_with_undefined_error()
        value = super().getattr(obj, attribute)  # type: ignore[misc]
        if type(value) is str and value and not value.isspace():  # the usual case, at once
            return value
        return _checked(obj, attribute, value)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(obj, Missing):
            obj._fail_with_undefined_error()
        value = super().getitem(obj, argument)  # type: ignore[misc]
        return _checked(obj, str(argument), value)


def _checked(obj: Any, name: str, value: Any) -> Any:
    """Return a Blank for a blank value, a NoField for a field an attrs object lacks."""
    if is_blank(value):
        return Blank(obj=obj, name=name)
    if (
        type(value) is Missing
        and not issubclass(value._undefined_exception, jinja2.exceptions.SecurityError)
        and attrs.has(type(obj))
    ):
        return NoField(obj=obj, name=name)
    return value


class Environment(NoBlanksMixin, Specializing):
    """A Jinja2 environment where nothing renders as a blank (``specialize`` makes it fast)."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        # jinja2.Environment.getattr's first step, at once (every field a template reads).
        if isinstance(obj, Missing):  # even X.__class__ or X.__doc__: a blank has no attributes
            obj._fail_with_undefined_error()
        try:
            value = getattr(obj, attribute)
        except AttributeError:
            return super().getattr(obj, attribute)  # an item, or missing
        if type(value) is str and value and not value.isspace():
            return value
        return _checked(obj, attribute, value)


if TYPE_CHECKING:
    from infoview.sandbox import BoundedSandbox

    class SandboxedEnvironment(NoBlanksMixin, BoundedSandbox):
        """The bounded sandbox of :mod:`infoview.sandbox`, where nothing renders as a blank."""


def __getattr__(name: str) -> Any:
    # SandboxedEnvironment is made when first asked for: only a sandboxed set loads the sandbox.
    if name == "SandboxedEnvironment":
        return _sandboxed_environment()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.cache
def _sandboxed_environment() -> type[jinja2.Environment]:
    from infoview import sandbox  # noqa: PLC0415 - only a sandboxed set loads it

    class SandboxedEnvironment(NoBlanksMixin, sandbox.BoundedSandbox):
        """The bounded sandbox of :mod:`infoview.sandbox`, where nothing renders as a blank."""

    SandboxedEnvironment.__qualname__ = "SandboxedEnvironment"
    return SandboxedEnvironment


# Filters that print the items of the collection they are given: each item
# must be there (not None, blank text or a missing value). |format prints the
# values it is given; |xmlattr leaves out an attribute whose value is none, as
# documented, but refuses one whose value is missing.
_PRINTING_ITEMS = frozenset({"join", "join_list", "pprint", "string", "tojson", "urlencode"})
# Filters that may be given a missing value: the fallbacks.
_TAKE_MISSING = frozenset({"default", "d"})


def _given_missing(name: str, value: Any) -> NoReturn:
    if isinstance(value, Missing):
        value._fail_with_undefined_error()
    raise MissingValue(Missing(hint=f"|{name} was given none"))


def refusing_blanks(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap filter ``name``: a missing value or ``None`` given to it raises MissingValue.

    Jinja's filters pass over a missing value quietly (``|items``, ``|map``
    and ``|select`` give nothing, ``|attr`` reads the blank's own attributes,
    ``|string`` of ``None`` is "None"); here only ``|default`` takes one. A
    filter that prints a collection's items (``|join``, ``|pprint``,
    ``|tojson``, …) also refuses a collection holding a blank, at any depth,
    and prints an iterator's items.
    """
    at = 1 if getattr(original, "jinja_pass_arg", None) is not None else 0
    items = name in _PRINTING_ITEMS or name == "xmlattr"

    def checked(*args: Any, **kwargs: Any) -> Any:
        value = args[at]
        if value is None or isinstance(value, Missing):
            _given_missing(name, value)
        if items:
            value = _iterated(value)
            no_blanks_in(value, text=name != "xmlattr")
            args = (*args[:at], value, *args[at + 1 :])
        elif name == "format":
            no_blanks_in([*args[at + 1 :], *kwargs.values()])
        return original(*args, **kwargs)

    return update_wrapper(checked, original)


def refuse_blanks_in_filters(filters: dict[str, Callable[..., Any]]) -> None:
    """Wrap every filter but ``|default`` with :func:`refusing_blanks` (once)."""
    for name, original in list(filters.items()):
        if name not in _TAKE_MISSING and not getattr(original, "infoview_no_blanks", False):
            filters[name] = refusing_blanks(name, original)
            filters[name].infoview_no_blanks = True  # type: ignore[attr-defined]


def is_none(value: Any) -> bool:
    """Test ``none``: true for ``None`` and for a blank attribute or item."""
    return value is None or isinstance(value, Blank)


def require(value: Any, name: str, hint: str = "") -> Any:
    """Template global: return ``value``, or raise MissingValueError naming ``name`` if empty."""
    if (
        isinstance(value, jinja2.Undefined)
        or is_blank(value)
        or (hasattr(value, "__len__") and not len(value))
    ):
        raise MissingValue(Missing(name=name, hint=hint or None))
    return value


def missing_error(name: str, undefined: Missing, values: Mapping[str, Any]) -> MissingValueError:
    """Return the error for a missing value met while rendering template ``name``.

    Args:
        name: The template being rendered.
        undefined: The missing or blank value that was used.
        values: The render's context, to say where the value was looked up.
    """
    variable = undefined._undefined_name
    obj = undefined._undefined_obj
    path = variable
    if variable is not None and not isinstance(obj, type(jinja2.utils.missing)):
        path = f"{_where(obj, values) or type(obj).__name__}.{variable}"
    contact = values.get("recipient") or values.get("contact")
    hint = undefined._undefined_hint or ""
    if variable is None:
        hint = f"{hint}; give the value, or let the template fall back" if hint else ""
    return MissingValueError(name, variable, contact, path=path, hint=hint)


def no_field_error(
    name: str, undefined: NoField, values: Mapping[str, Any], line: int | None
) -> TemplateError:
    """Return the error for an attribute an object does not have, naming the closest one.

    Args:
        name: The template being rendered.
        undefined: The attribute that was looked up.
        values: The render's context, to say where the object was looked up.
        line: The template's line, when known.
    """
    obj = undefined._undefined_obj
    attribute = str(undefined._undefined_name)
    owner = type(obj).__name__
    where = _where(obj, values) or owner.lower()
    public = [n for n in dir(type(obj)) if not n.startswith("_")]
    fields = [
        *(f.name for f in attrs.fields(type(obj))),
        *(n for n in public if isinstance(getattr(type(obj), n), property)),
    ]
    close = difflib.get_close_matches(attribute, [*fields, *public], n=1, cutoff=0.6)
    if close:
        todo = f"write {where}.{close[0]}, not {where}.{attribute}"
    else:
        todo = f"{where}.{attribute} is not there; {owner} has {', '.join(fields)}"
    return TemplateError(name, line, f"{owner} has no field {attribute!r}: {todo}")


def _where(obj: Any, values: Mapping[str, Any]) -> str | None:
    """Find the name under which ``obj`` is reachable in the context (one level deep)."""
    for key, value in values.items():
        if value is obj:
            return key
    for key, value in values.items():
        if key.startswith("_") or isinstance(value, str | int | float):
            continue
        for attribute in ("contact", "sender", "person", "by", "introduced_by", "recipient"):
            if getattr(value, attribute, None) is obj:
                return f"{key}.{attribute}"
    return None
