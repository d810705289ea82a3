"""Flattening, while compiling a built-in, the layout it extends around its blocks.

Part of :mod:`infoview.rendering.specialize`, applied only when a built-in is
rendered and only over built-in layouts (a template of yours, or one
extending a built-in, is rendered by Jinja2 as written). A message ``{% extends "_base/message"
%}`` and overrides blocks; Jinja2 renders it by running the layout, which
calls each block as a function of its own. Here the layout's text is written
into the template instead, each block's body in the place the layout prints
it (the template's own version where it overrides one), in a scope of its
own, so a render runs one function. Every block stays a block as well,
never printed from there: :meth:`Templates.render` calls a message's
``subject`` block itself.

It is done only where the meaning cannot change: one ``{% extends %}`` of a
named template at the top, nothing printed before it, every block at the top
or inside ``{% if %}`` and ``{% filter %}`` (not in a loop, macro or another
block), no ``self``, ``super()``, ``scoped`` or ``required``, and nothing
assigned at the top after the first block. Anything else compiles as Jinja2
compiles it.
"""

from __future__ import annotations

from collections.abc import Callable

from jinja2 import nodes

from infoview.rendering._inline import copy_node

__all__ = ["flatten"]

_TOP = (nodes.Assign, nodes.AssignBlock, nodes.Import, nodes.FromImport, nodes.Macro)
_OPAQUE = (nodes.For, nodes.Macro, nodes.CallBlock, nodes.Block)


class _GiveUpError(Exception):
    """The template is compiled as it is."""


def flatten(
    tree: nodes.Template, parse: Callable[[str], nodes.Template | None], depth: int = 4
) -> bool:
    """Write the layouts ``tree`` extends around its blocks (in place); whether it did."""
    if tree.find(nodes.Extends) is None:
        return False
    try:
        body, blocks = _flat(tree, parse, depth)
        printed: set[str] = set()
        visible = _substitute(body, blocks, printed)
    except _GiveUpError:
        return False
    # Every block stays a block too, never printed from here: templating calls
    # ctx.blocks["subject"], and a layout may print the subject as well.
    visible.append(nodes.If(nodes.Const(False), list(blocks.values()), [], []))
    tree.body = visible
    return True


def _flat(
    tree: nodes.Template, parse: Callable[[str], nodes.Template | None], depth: int
) -> tuple[list[nodes.Node], dict[str, nodes.Block]]:
    """The visible body and the blocks by name of a template, its layouts flattened."""
    _check(tree)
    extends = [node for node in tree.body if isinstance(node, nodes.Extends)]
    anywhere = sum(1 for _ in tree.find_all(nodes.Extends))
    if not anywhere:
        return list(tree.body), {block.name: block for block in tree.find_all(nodes.Block)}
    if len(extends) != 1 or anywhere != 1 or depth <= 0:
        raise _GiveUpError  # an extends inside {% if %}, or more than one
    extend = extends[0]
    if not (isinstance(extend.template, nodes.Const) and isinstance(extend.template.value, str)):
        raise _GiveUpError
    at = tree.body.index(extend)
    own: list[nodes.Node] = []
    for node in tree.body[at + 1 :]:
        if isinstance(node, _TOP):
            own.append(node)
        elif not isinstance(node, nodes.Block | nodes.Output):  # output after extends is dropped
            raise _GiveUpError
    if any(not isinstance(node, _TOP) for node in tree.body[:at]):
        raise _GiveUpError  # printed before the extends, or something else there
    layout = parse(extend.template.value)
    if layout is None:
        raise _GiveUpError  # left to Jinja2, which reports it
    body, blocks = _flat(layout, parse, depth - 1)
    mine = {block.name: block for block in tree.find_all(nodes.Block)}
    return [*tree.body[:at], *own, *body], {**blocks, **mine}


def _check(tree: nodes.Template) -> None:
    """Give up on what a flattened layout could change the meaning of."""
    names = {n.name for n in tree.find_all(nodes.Name)}
    if names & {"self", "super"}:
        raise _GiveUpError
    for block in tree.find_all(nodes.Block):
        if block.scoped or getattr(block, "required", False):
            raise _GiveUpError
    for opaque in tree.find_all(_OPAQUE):
        if next(opaque.find_all(nodes.Block), None) is not None:
            raise _GiveUpError  # a block inside a loop, a macro or another block
    seen_block = False
    for node in tree.body:
        if isinstance(node, _TOP) and seen_block:
            raise _GiveUpError  # assigned after a block is printed: Jinja2 would not see it there
        seen_block = seen_block or next(node.find_all(nodes.Block), None) is not None
        seen_block = seen_block or isinstance(node, nodes.Block)


def _substitute(
    body: list[nodes.Node], blocks: dict[str, nodes.Block], printed: set[str]
) -> list[nodes.Node]:
    """``body`` with every block replaced by a scope holding its final version's body."""
    out: list[nodes.Node] = []
    for node in body:
        if isinstance(node, nodes.Block):
            if node.name in printed:
                raise _GiveUpError  # printed twice
            printed.add(node.name)
            body = copy_node(blocks[node.name].body)
            scope = nodes.Scope(_substitute(body, blocks, printed), lineno=node.lineno)
            out.append(scope)
            continue
        for field in ("body", "else_"):
            children = getattr(node, field, None)
            if isinstance(children, list):
                setattr(node, field, _substitute(children, blocks, printed))
        for branch in getattr(node, "elif_", None) or ():
            branch.body = _substitute(branch.body, blocks, printed)
        out.append(node)
    return out
