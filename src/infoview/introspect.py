"""Introspection: what a template reads and which blocks it has, from its source.

Each function takes ``parse``, which returns a template's syntax tree by name
(raising for a name that does not exist), and follows ``extends``,
``include`` and ``import`` (and, for the variables, the ``.html`` and ``.md``
siblings), so it sees what a render would run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import jinja2.meta
import jinja2.nodes

from infoview.loaders import HTML, MARKDOWN

__all__ = ["blocks", "optional", "variables"]

Parse = Callable[[str], jinja2.nodes.Template]
Exists = Callable[[str], bool]

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


def blocks(parse: Parse, name: str) -> tuple[str, ...]:
    """Return the blocks of template ``name`` and of the layouts it extends.

    The subject comes first, then the layout's blocks in its order.
    """
    chain: list[jinja2.nodes.Template] = []
    current: str | None = name
    while current is not None and len(chain) < 100:  # a cycle fails when rendered
        ast = parse(current)
        chain.append(ast)
        extends = ast.find(jinja2.nodes.Extends)
        parent = getattr(extends.template, "value", None) if extends is not None else None
        current = parent if isinstance(parent, str) else None
    names: dict[str, None] = {}
    for ast in reversed(chain):
        names.update((block.name, None) for block in ast.find_all(jinja2.nodes.Block))
    return tuple(sorted(names, key=lambda block: block != "subject"))


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
