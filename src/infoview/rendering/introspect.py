"""Introspection: what a template reads and which blocks it has, from its source.

Each function takes ``parse``, which returns a template's syntax tree by name
(raising for a name that does not exist), and follows ``extends``,
``include`` and ``import`` (and, for the variables, the ``.html`` and ``.md``
siblings), so it sees what a render would run.

:func:`builtin_inputs` and :func:`builtin_layout` apply them to the
built-ins, for :meth:`infoview.rendering.registry.TemplateInfo.describe`.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import jinja2.meta
import jinja2.nodes

from infoview.errors import TemplateError
from infoview.rendering import cache, loaders
from infoview.rendering.loaders import HTML, MARKDOWN, TEXT
from infoview.rendering.registry import TEMPLATES

if TYPE_CHECKING:
    from infoview.rendering.templating import Templates

__all__ = [
    "blocks",
    "builtin_extends",
    "builtin_inputs",
    "builtin_layout",
    "check_blocks",
    "formats",
    "is_message",
    "optional",
    "purpose",
    "variables",
]

Parse = Callable[[str], jinja2.nodes.Template]
Exists = Callable[[str], bool]

# The layouts of messages: a template extending one must render a subject.
_MESSAGE_LAYOUTS = frozenset({"_base/message", "_base/note"})
# A comment at the very start of a template: what it is for.
_OPENING_COMMENT = re.compile(r"\A\s*\{#-?(.*?)-?#\}", re.S)
# Filters and tests that make a name optional: the template checks it was given.
_OPTIONAL = frozenset({"defined", "undefined", "default", "d"})


def _everything(parse: Parse, exists: Exists, name: str) -> Iterator[jinja2.nodes.Template]:
    """Yield the tree of ``name`` and of every template it loads, and of its siblings."""
    seen: set[str] = set()
    todo = [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        ast = parse(current)
        yield ast
        todo.extend(n for n in jinja2.meta.find_referenced_templates(ast) if n)
        for ext in (HTML, MARKDOWN):
            sibling = current + ext
            if sibling not in seen and exists(sibling):
                todo.append(sibling)


def variables(parse: Parse, exists: Exists, name: str, supplied: set[str]) -> frozenset[str]:
    """Return the names a caller gives template ``name``, less the ``supplied`` ones.

    ``contact`` and ``sender`` are left out when ``interview`` is among them
    (render takes them from the interview).
    """
    found: set[str] = set()
    declared: set[str] = set()
    for ast in _everything(parse, exists, name):
        found |= jinja2.meta.find_undeclared_variables(ast)
        declared |= _declared(ast)
    found -= supplied | declared
    if "interview" in found:
        found -= {"contact", "sender"}
    return frozenset(found)


def optional(parse: Parse, exists: Exists, name: str) -> frozenset[str]:
    """Return the names template ``name`` checks were given (``is defined``, ``default``)."""
    names: set[str] = set()
    for ast in _everything(parse, exists, name):
        names |= _checked(ast)
    return frozenset(names)


def formats(exists: Exists, name: str) -> tuple[str, ...]:
    """Return the parts template ``name`` renders: ``"txt"``, and ``"md"``, ``"html"`` if there."""
    return ("txt", *(ext[1:] for ext in (MARKDOWN, HTML) if exists(name + ext)))


def builtin_inputs(name: str) -> dict[str, bool]:
    """Return the inputs the built-in ``name`` reads, each with whether it is required.

    An input is required unless the template checks it was given. A
    template that reads ``contact`` and ``sender`` but not ``interview`` may
    be given the interview instead (render takes them from it): then
    ``interview`` is an input too, and none of the three is required alone.
    """
    return dict(_described(name)[0])


def builtin_layout(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return the blocks and the formats of the built-in ``name``, from its files."""
    _, found_blocks, found_formats, _ = _described(name)
    return found_blocks, found_formats


def builtin_extends(name: str) -> tuple[str, ...]:
    """:func:`check_blocks` of the built-in ``name`` among the built-ins alone (kept, as above)."""
    found = _described(name)[3]
    if found is None:  # its blocks do not check: say why
        templates = _builtins()
        return check_blocks(templates._parse, name)
    return found


# What builtin_inputs, builtin_layout and builtin_extends find: ((input, required), ...),
# blocks, formats, and the layouts it extends (None when its blocks do not check).
_Described = tuple[
    tuple[tuple[str, bool], ...], tuple[str, ...], tuple[str, ...], tuple[str, ...] | None
]


@functools.cache
def _described(name: str) -> _Described:
    """What a built-in reads and its layout, worked out once; kept in the template cache.

    Parsing the built-ins again to find this is most of a command line's check
    before its first row, so the answer is kept in the compiled-template cache
    (:mod:`infoview.rendering.cache`) under a key made of the name, the content
    of every built-in file and the files of the modules that work it out; a
    changed file is another key.
    """
    key = _description_key(name)
    kept = cache.read_value(key) if key is not None else None
    if _is_described(kept):
        return kept  # type: ignore[return-value] # checked just above
    templates = _builtins()
    read = set(templates.variables(name))
    checked = optional(templates._parse, templates._exists, name)
    either = {"interview", "contact", "sender"}
    if "interview" not in read and read & {"contact", "sender"}:
        read.add("interview")
        checked |= either
    try:
        extends: tuple[str, ...] | None = check_blocks(templates._parse, name)
    except TemplateError:
        extends = None
    found: _Described = (
        tuple(sorted((given, given not in checked) for given in read)),
        blocks(templates._parse, name),
        formats(templates._exists, name),
        extends,
    )
    if key is not None:
        cache.write_value(key, found)
    return found


def _is_described(value: object) -> bool:
    def strings(item: object) -> bool:
        return isinstance(item, tuple) and all(isinstance(s, str) for s in item)

    return (
        isinstance(value, tuple)
        and len(value) == 4  # inputs, blocks, formats, extends
        and isinstance(value[0], tuple)
        and all(
            isinstance(i, tuple) and len(i) == 2 and isinstance(i[0], str) and type(i[1]) is bool
            for i in value[0]
        )
        and strings(value[1])
        and strings(value[2])
        and (value[3] is None or strings(value[3]))
    )


def _description_key(name: str) -> str | None:
    """The cache key of a built-in's description; None when the cache is off."""
    if cache.directory() is None:
        return None
    from infoview.rendering import specialize  # noqa: PLC0415 - loaded by templating already

    return cache.digest(
        "builtin description",
        name,
        _builtin_sources(),
        specialize._machinery(__name__, "infoview.rendering.templating", loaders.__name__),
    )


@functools.cache
def _builtin_sources() -> tuple[tuple[str, str], ...]:
    """Every built-in template file with a hash of its content."""
    root = loaders.builtin_templates_path()
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file():
            found.append(
                (path.relative_to(root).as_posix(), hashlib.sha256(path.read_bytes()).hexdigest())
            )
    return tuple(found)


@functools.cache
def _builtins() -> Templates:
    """The built-in templates alone, parsed as every Templates parses them."""
    from infoview.rendering.templating import Templates  # noqa: PLC0415 - it imports this module

    return Templates()


def purpose(source: str) -> str | None:
    """Return the first sentence of the comment a template opens with (its purpose), if any."""
    found = _OPENING_COMMENT.match(source)
    text = " ".join(found.group(1).split()) if found else ""
    return re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0].rstrip(".") or None


def blocks(parse: Parse, name: str) -> tuple[str, ...]:
    """Return the blocks of template ``name`` and of the layouts it extends.

    The subject comes first, then the layout's blocks in its order.
    """
    names: dict[str, None] = {}
    for _, ast in reversed(_chain(parse, name)):
        names.update((block.name, None) for block in ast.find_all(jinja2.nodes.Block))
    return tuple(sorted(names, key=lambda block: block != "subject"))


def check_blocks(parse: Parse, name: str) -> tuple[str, ...]:
    """Return the layouts template ``name`` extends, nearest first, once its blocks are checked.

    A template that extends another may override only blocks the layouts it
    extends have (and ``subject``, which a render reads on its own): a block of
    another name would never be rendered, which is almost always a typo.

    Raises:
        TemplateError: A template in the chain overrides a block its layouts lack;
            the message lists the blocks there are.
    """
    chain = _chain(parse, name)
    for index, (current, ast) in enumerate(chain[:-1]):
        above = chain[index + 1 :]
        known: dict[str, None] = {"subject": None}
        for _, layout in reversed(above):
            known.update((b.name, None) for b in layout.find_all(jinja2.nodes.Block))
        for block in _top_blocks(ast):
            if block.name not in known:
                close = difflib.get_close_matches(block.name, list(known), n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                reason = (
                    f"block {block.name!r} is not in {above[0][0].removesuffix(TEXT)}, which it "
                    f"extends, so it would never show; {hint}The blocks you can override are "
                    + ", ".join(known)
                )
                raise TemplateError(current.removesuffix(TEXT), block.lineno, reason)
    return tuple(n.removesuffix(TEXT) for n, _ in chain[1:])


def is_message(chain: tuple[str, ...]) -> bool:
    """Whether a template is a message (and needs a subject), from itself and its layouts.

    It is when it has a built-in's name or extends one (but for those without
    a subject), or extends a message layout (``_base/message``, ``_base/note``).
    """
    return any(
        "subject" in TEMPLATES[n].blocks if n in TEMPLATES else n in _MESSAGE_LAYOUTS for n in chain
    )


def _chain(parse: Parse, name: str) -> list[tuple[str, jinja2.nodes.Template]]:
    """Return ``name`` and the layouts it extends (names as written), nearest first."""
    chain: list[tuple[str, jinja2.nodes.Template]] = []
    current: str | None = name
    while current is not None and len(chain) < 100:  # a cycle fails when rendered
        ast = parse(current)
        chain.append((current, ast))
        extends = ast.find(jinja2.nodes.Extends)
        parent = getattr(extends.template, "value", None) if extends is not None else None
        current = parent if isinstance(parent, str) else None
    return chain


def _top_blocks(ast: jinja2.nodes.Template) -> list[jinja2.nodes.Block]:
    """The blocks not nested in another block (a nested one is new content, not an override)."""
    every = list(ast.find_all(jinja2.nodes.Block))
    nested = {id(inner) for block in every for inner in block.find_all(jinja2.nodes.Block)}
    return [block for block in every if id(block) not in nested]


def _declared(ast: jinja2.nodes.Template) -> set[str]:
    """Names a template sets itself, except those it first checks a caller gave.

    Blocks read top-level ``{% set %}`` names from the context, which
    ``find_undeclared_variables`` counts as undeclared; a name tested with
    ``is defined`` or given a ``default`` is an optional input, so it stays.
    """
    names: set[str] = set()
    for node in ast.find_all((jinja2.nodes.Assign, jinja2.nodes.AssignBlock)):
        assert isinstance(node, jinja2.nodes.Assign | jinja2.nodes.AssignBlock)  # noqa: S101
        names |= {
            n.name
            for n in (node.target, *node.target.find_all(jinja2.nodes.Name))
            if isinstance(n, jinja2.nodes.Name)
        }
    for found in ast.find_all((jinja2.nodes.Import, jinja2.nodes.FromImport, jinja2.nodes.Macro)):
        if isinstance(found, jinja2.nodes.Import):
            names.add(found.target)
        elif isinstance(found, jinja2.nodes.FromImport):
            names |= {n if isinstance(n, str) else n[1] for n in found.names}
        elif isinstance(found, jinja2.nodes.Macro):
            names.add(found.name)
    return names - _checked(ast)


def _checked(ast: jinja2.nodes.Template) -> set[str]:
    return {
        node.node.name
        for node in ast.find_all((jinja2.nodes.Test, jinja2.nodes.Filter))
        if isinstance(node, jinja2.nodes.Test | jinja2.nodes.Filter)
        and node.name in _OPTIONAL
        and isinstance(node.node, jinja2.nodes.Name)
    }
