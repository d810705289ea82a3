"""Inlining while compiling a built-in: its includes and imported macros, where they are used.

Part of :mod:`infoview.rendering.specialize`, applied only when a built-in
template is rendered and only to built-ins (a template of yours is never
inlined): an argument-less macro of a template imported ``with context``
(``{{ say.ask() }}`` after ``{% import "_base/phrases" as say with context
%}``, or a value ``{% set x = say.medium_name() %}``) is inlined where it is
called, in a scope of its own, and ``{% include %}`` of a plain template (no
blocks, macros, imports or extends) is inlined where it is included. Each
keeps the meaning of what it replaces: the same names resolve to the same
values, and a macro that prints nothing is still refused like any blank
value. Anything else (a macro with arguments, an include of a template with
blocks, a name the template assigns itself, more than a budget of nodes) is
left as it is; ``tests/test_specialize.py`` compares every built-in both ways.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from jinja2 import nodes

__all__ = ["MAX_DEPTH", "NONBLANK", "copy_node", "inline"]

# Names that mean something else once inlined in another template.
_SPECIAL_NAMES = frozenset({"self", "super", "loop", "caller", "varargs", "kwargs"})
# How deep includes and macros are inlined inside one another.
MAX_DEPTH = 4
# How many template nodes one compile may inline in all: includes of
# includes must not multiply a template set into a huge compile.
_MAX_INLINED_NODES = 5_000
# The filter that refuses blank output of an inlined macro (templating registers
# blanks.finalize under this name).
NONBLANK = "_nonblank"


def copy_node(node: Any) -> Any:
    """Return a deep copy of a template node that shares its environment (unlike deepcopy)."""
    if isinstance(node, list):
        return [copy_node(item) for item in node]
    if not isinstance(node, nodes.Node):
        return node
    new = object.__new__(type(node))
    for field in node.fields:
        setattr(new, field, copy_node(getattr(node, field)))
    for name in (*node.attributes, "environment"):
        if hasattr(node, name):
            setattr(new, name, getattr(node, name))
    return new


def _reads(tree: nodes.Node) -> set[str]:
    return {n.name for n in tree.find_all(nodes.Name) if n.ctx == "load"}


def _assigned(tree: nodes.Node) -> set[str]:
    return {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}


def _plain(tree: nodes.Node) -> bool:
    """Whether a tree can be inlined elsewhere: no blocks, macros, imports or extends."""
    kinds = (nodes.Block, nodes.Extends, nodes.Macro, nodes.Import, nodes.FromImport)
    return next(tree.find_all(kinds), None) is None and not (_reads(tree) & _SPECIAL_NAMES)


class _Inliner:
    """Inline includes and argument-less imported macros in one template tree."""

    def __init__(self, parse: Callable[[str], nodes.Template | None], depth: int) -> None:
        self.parse = parse
        self.depth = depth
        self.budget = _MAX_INLINED_NODES
        self._trees: dict[str, nodes.Template | None] = {}

    def _tree(self, name: str) -> nodes.Template | None:
        """A fresh copy of a template's tree, each source parsed once per compile."""
        if name not in self._trees:
            self._trees[name] = self.parse(name)
        found = self._trees[name]
        return None if found is None else copy_node(found)

    def _afford(self, body: list[nodes.Node] | None) -> list[nodes.Node] | None:
        """``body`` when inlining it once more stays within the budget, else None."""
        if body is None:
            return None
        size = _size(body)
        if size > self.budget:
            return None
        self.budget -= size
        return body

    def run(self, tree: nodes.Template, stack: tuple[str, ...]) -> None:
        """Change ``tree`` in place."""
        assigned = _assigned(tree)
        macros: dict[str, dict[str, nodes.Macro]] = {}
        for node in tree.find_all(nodes.Import):
            found = self._macros(node, stack)
            if found is not None and node.target not in assigned:
                macros[node.target] = found
        self._walk(tree, macros, assigned, stack)
        # An import none of whose uses are left is not needed at render time.
        left = _reads(tree)
        for node in list(tree.find_all(nodes.Import)):
            if node.target in macros and node.target not in left:
                _remove(tree, node)

    def _macros(self, node: nodes.Import, stack: tuple[str, ...]) -> dict[str, nodes.Macro] | None:
        if not (node.with_context and isinstance(node.template, nodes.Const)):
            return None
        name = node.template.value
        if not isinstance(name, str) or name in stack or len(stack) >= self.depth:
            return None
        imported = self._tree(name)
        if imported is None:
            return None
        self.run(imported, (*stack, name))
        own = _defined_at_top(imported)
        found = {}
        for macro in imported.body:
            if (
                isinstance(macro, nodes.Macro)
                and not macro.args
                and _inlinable(macro)
                and not _reads(nodes.Template(macro.body)) & own
            ):
                found[macro.name] = macro
        return found

    def _walk(
        self,
        node: nodes.Node,
        macros: dict[str, dict[str, nodes.Macro]],
        assigned: set[str],
        stack: tuple[str, ...],
    ) -> None:
        for field in ("body", "else_", "elif_"):
            children = getattr(node, field, None)
            if isinstance(children, list):
                setattr(node, field, self._expand(children, macros, assigned, stack))
        for child in node.iter_child_nodes():
            if isinstance(child, nodes.For | nodes.Macro | nodes.CallBlock):
                continue  # their names are their own
            self._walk(child, macros, assigned, stack)

    def _expand(
        self,
        children: list[nodes.Node],
        macros: dict[str, dict[str, nodes.Macro]],
        assigned: set[str],
        stack: tuple[str, ...],
    ) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        for child in children:
            if isinstance(child, nodes.Output):
                out.extend(self._output(child, macros, assigned))
            elif isinstance(child, nodes.Include):
                out.append(self._include(child, assigned, stack) or child)
            elif isinstance(child, nodes.Assign) and isinstance(child.target, nodes.Name):
                # {% set x = say.medium_name() %} (a trans value is one): {% set x %}…{% endset %}
                body = self._afford(_called(child.node, macros, assigned))
                if body is None:
                    out.append(child)
                else:
                    out.append(nodes.AssignBlock(child.target, None, copy_node(body)))
                    out[-1].set_lineno(child.lineno, override=True)
            else:
                out.append(child)
        return out

    def _output(
        self,
        output: nodes.Output,
        macros: dict[str, dict[str, nodes.Macro]],
        assigned: set[str],
    ) -> Iterable[nodes.Node]:
        pending: list[nodes.Expr] = []
        for expr in output.nodes:
            body = self._afford(_called(expr, macros, assigned))
            if body is None:
                pending.append(expr)
                continue
            if pending:
                yield nodes.Output(pending, lineno=output.lineno)
                pending = []
            block: nodes.Stmt
            if _always_prints(body):  # its own scope, nothing more to check
                block = nodes.Scope(copy_node(body), lineno=expr.lineno)
            else:  # refused when it prints nothing, as the macro's result would be
                block = nodes.FilterBlock(
                    copy_node(body),
                    nodes.Filter(None, NONBLANK, [], [], None, None),
                    lineno=expr.lineno,
                )
            block.set_lineno(expr.lineno, override=True)
            yield block
        if pending:
            yield nodes.Output(pending, lineno=output.lineno)

    def _include(
        self, node: nodes.Include, assigned: set[str], stack: tuple[str, ...]
    ) -> nodes.Node | None:
        if not (node.with_context and isinstance(node.template, nodes.Const)):
            return None
        name = node.template.value
        if node.ignore_missing or not isinstance(name, str) or name in stack:
            return None
        included = self._tree(name) if len(stack) < self.depth else None
        if included is None or not _plain(included) or _reads(included) & assigned:
            return None
        if _size(included.body) > self.budget:
            return None
        self.run(included, (*stack, name))
        if self._afford(included.body) is None:
            return None
        scope = nodes.Scope(included.body, lineno=node.lineno)
        scope.set_lineno(node.lineno, override=True)
        return scope


def _defined_at_top(tree: nodes.Template) -> set[str]:
    """Names a template defines for its macros: top-level sets, imports and macros."""
    own: set[str] = set()
    for statement in tree.body:
        if isinstance(statement, nodes.Import):
            own.add(statement.target)
        elif isinstance(statement, nodes.FromImport):
            own |= {n if isinstance(n, str) else n[1] for n in statement.names}
        elif isinstance(statement, nodes.Macro):
            own.add(statement.name)
        else:
            own |= _assigned(statement)
    return own


def _size(body: list[nodes.Node]) -> int:
    return sum(1 for child in body for _ in child.find_all(nodes.Node)) + len(body)


def _inlinable(macro: nodes.Macro) -> bool:
    return _plain(nodes.Template(macro.body)) and not macro.defaults


def _called(
    expr: nodes.Node, macros: dict[str, dict[str, nodes.Macro]], assigned: set[str]
) -> list[nodes.Node] | None:
    """The body of the macro ``expr`` calls, when it is ``target.name()`` and can be inlined."""
    if not (
        isinstance(expr, nodes.Call)
        and not (expr.args or expr.kwargs or expr.dyn_args or expr.dyn_kwargs)
        and isinstance(expr.node, nodes.Getattr)
        and isinstance(expr.node.node, nodes.Name)
    ):
        return None
    macro = macros.get(expr.node.node.name, {}).get(expr.node.attr)
    if macro is None or _reads(nodes.Template(macro.body)) & assigned:
        return None
    return list(macro.body)


def _always_prints(body: list[nodes.Node]) -> bool:
    """Whether statements print some text that is not white space, whatever the values."""
    for node in body:
        if isinstance(node, nodes.Output) and any(
            isinstance(child, nodes.TemplateData) and child.data.strip() for child in node.nodes
        ):
            return True
        if (
            isinstance(node, nodes.If)
            and node.else_
            and _always_prints(node.body)
            and _always_prints(node.else_)
            and all(_always_prints(branch.body) for branch in node.elif_)
        ):
            return True
    return False


def _remove(tree: nodes.Node, target: nodes.Node) -> None:
    for node in (tree, *tree.find_all(nodes.Node)):
        body = getattr(node, "body", None)
        if isinstance(body, list) and any(child is target for child in body):
            body[:] = [child for child in body if child is not target]
            return


def inline(
    tree: nodes.Template,
    parse: Callable[[str], nodes.Template | None],
    name: str | None,
    depth: int = MAX_DEPTH,
) -> None:
    """Inline, in ``tree`` (changed in place), the includes and macros that can be.

    Args:
        tree: The template being compiled, named ``name``.
        parse: Parses a template by name (``None`` when there is none).
        name: The template's name, so that it never inlines itself.
        depth: How deep includes and macros are inlined inside one another.
    """
    _Inliner(parse, depth).run(tree, (name,) if name else ())
