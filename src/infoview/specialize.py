"""Templates compiled for one language and register: the fast path of rendering.

The text a template prints depends on the draft's language and register in
one place only: its ``{% trans %}`` blocks. An environment made by
:func:`specialize` compiles a template once per (locale, register) with every
such block already translated (:class:`FoldingI18n`), so
rendering does no gettext work at all:
``{% trans "you" %}Would you have {{ duration }}?{% endtrans %}`` compiles,
for a formal German draft, to the template text ``Hätten Sie {{ duration }}?``.

Two more things are settled while compiling, not on every render:

- an argument-less macro of a template imported ``with context``
  (``{{ say.ask() }}`` after ``{% import "_base/phrases" as say with
  context %}``) is written out where it is called, in a scope of its own;
- ``{% include "_base/signature" %}`` of a plain template (no blocks,
  macros, imports or extends) is written out where it is included.

Each keeps the meaning of what it replaces: the same names resolve to the
same values, a macro that prints nothing is still refused like any blank
value, and a value missing inside a translated sentence is still an error.
Anything these rules do not cover (plural forms, a macro with arguments, an
include of a template that has blocks, a name the template assigns itself)
is compiled as Jinja2 compiles it. Sandboxed rendering never specializes.
"""

from __future__ import annotations

import re
from collections import ChainMap
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs
import babel
import jinja2
import jinja2.ext
from babel.support import NullTranslations
from jinja2 import nodes

from infoview import i18n

__all__ = [
    "NONBLANK",
    "Compiled",
    "Fixed",
    "FoldingI18n",
    "Specializing",
    "copy_node",
    "fold",
    "new_context",
    "specialize",
]

# Names that mean something else once written out in another template.
_SPECIAL_NAMES = frozenset({"self", "super", "loop", "caller", "varargs", "kwargs"})
# How deep includes and macros are written out inside one another.
_MAX_INLINE_DEPTH = 4
# How many template nodes one compile may write out in all: includes of
# includes must not multiply a template set into a huge compile.
_MAX_INLINED_NODES = 5_000
# The filter that refuses blank output of a macro written out (blanks.nonblank).
NONBLANK = "_nonblank"


# --------------------------------------------------------------------------- translating

# What folding understands in a catalog's text: %(name)s and %%.
_PLACEHOLDER = re.compile(r"%\((\w+)\)s|%%|%")


@attrs.frozen
class Fixed:
    """The language and register an environment compiles for (see :func:`specialize`)."""

    translations: NullTranslations
    register: str
    locale: babel.Locale


class FoldingI18n(jinja2.ext.InternationalizationExtension):
    """``jinja2.ext.i18n``, translating while compiling in an environment with a :class:`Fixed`.

    There a ``{% trans %}`` block without plural forms compiles to its
    translated text with the values in place (:func:`fold`); anywhere else,
    and for plural forms, it compiles as in Jinja2, to a gettext call.
    """

    def _make_node(  # noqa: PLR0917 - Jinja2's signature
        self,
        singular: str,
        plural: str | None,
        context: str | None,
        variables: dict[str, nodes.Expr],
        plural_expr: nodes.Expr | None,
        vars_referenced: bool,
        num_called_num: bool,
    ) -> nodes.Output:
        fixed = getattr(self.environment, "infoview_fixed", None)
        if isinstance(fixed, Fixed) and plural_expr is None:
            address = fixed.register if context == i18n.ADDRESS_CONTEXT else context
            text = i18n._translated(fixed.translations, address, singular, fixed.locale)
            folded = fold(text, variables)
            if folded is not None:
                return folded
        return super()._make_node(
            singular, plural, context, variables, plural_expr, vars_referenced, num_called_num
        )


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


def fold(text: str, variables: dict[str, nodes.Expr]) -> nodes.Output | None:
    """Return translated text as template output with the values in place, or None.

    The text is template data, as the catalog's text is trusted; each value
    is printed as ``{{ … }}`` prints it (finalized, escaped when
    autoescaping), which is what ``%`` formatting of the gettext call did.
    None when the text has anything but ``%(name)s`` and ``%%``, or names a
    value the block does not give: those stay a gettext call, which reports them.
    """
    parts: list[nodes.Node] = []
    data: list[str] = []
    at = 0
    for match in _PLACEHOLDER.finditer(text):
        data.append(text[at : match.start()])
        at = match.end()
        if match.group(0) == "%%":
            data.append("%")
            continue
        name = match.group(1)
        if name is None or name not in variables:
            return None
        if "".join(data):
            parts.append(nodes.TemplateData("".join(data)))
        data = []
        parts.append(copy_node(variables[name]))
    data.append(text[at:])
    if "".join(data):
        parts.append(nodes.TemplateData("".join(data)))
    return nodes.Output(parts)


# --------------------------------------------------------------------------- inlining


def _reads(tree: nodes.Node) -> set[str]:
    return {n.name for n in tree.find_all(nodes.Name) if n.ctx == "load"}


def _assigned(tree: nodes.Node) -> set[str]:
    return {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}


def _plain(tree: nodes.Node) -> bool:
    """Whether a tree can be written out elsewhere: no blocks, macros, imports or extends."""
    kinds = (nodes.Block, nodes.Extends, nodes.Macro, nodes.Import, nodes.FromImport)
    return next(tree.find_all(kinds), None) is None and not (_reads(tree) & _SPECIAL_NAMES)


class _Inliner:
    """Write out includes and argument-less imported macros in one template tree."""

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
        """``body`` when writing it out once more stays within the budget, else None."""
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
        found = {}
        for macro in imported.body:
            if isinstance(macro, nodes.Macro) and not macro.args and _inlinable(macro):
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


def _size(body: list[nodes.Node]) -> int:
    return sum(1 for child in body for _ in child.find_all(nodes.Node)) + len(body)


def _inlinable(macro: nodes.Macro) -> bool:
    return _plain(nodes.Template(macro.body)) and not macro.defaults


def _called(
    expr: nodes.Expr, macros: dict[str, dict[str, nodes.Macro]], assigned: set[str]
) -> list[nodes.Node] | None:
    """The body of the macro ``expr`` calls, when it is ``target.name()`` and can be written out."""
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


# --------------------------------------------------------------------------- environment


class Specializing(jinja2.Environment):
    """An environment that compiles for one :class:`Fixed` language once given one.

    :func:`specialize` makes an overlay with a language: it shares the
    loader, filters, tests and globals, and caches its own compiled
    templates. Without one it compiles as Jinja2 does.
    """

    infoview_fixed: Fixed | None = None

    def compile(self, source: Any, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
        """Compile as Jinja2 does, with includes and imported macros written out first."""
        if self.infoview_fixed is not None and isinstance(source, str):
            tree = self.parse(source, name, *args[:1])
            _Inliner(self._parse_named, _MAX_INLINE_DEPTH).run(tree, (name,) if name else ())
            source = tree
        return super().compile(source, name, *args, **kwargs)

    def _parse_named(self, name: str) -> nodes.Template | None:
        loader = self.loader
        if loader is None:
            return None
        try:
            source, filename, _ = loader.get_source(self, name)
        except jinja2.TemplateNotFound:
            return None  # left to the include, which reports it
        return self.parse(source, name, filename)


def specialize(environment: jinja2.Environment, fixed: Fixed) -> jinja2.Environment:
    """Return an overlay of ``environment`` that compiles for ``fixed`` (see the module)."""
    overlay = environment.overlay()
    overlay.infoview_fixed = fixed  # type: ignore[attr-defined]
    return overlay


class Compiled:
    """A template set's templates compiled per (locale, register), each on first use.

    Args:
        environment: The set's environment; each language gets an overlay of it.
        enabled: Whether to specialize at all (a sandbox never does).
    """

    def __init__(self, environment: jinja2.Environment, *, enabled: bool) -> None:
        self.environment = environment
        self.enabled = enabled
        self._overlays: dict[tuple[Any, str], jinja2.Environment] = {}
        self._ready: dict[tuple[Any, str, str], jinja2.Template] = {}

    def ready(self, name: str, values: Mapping[str, Any]) -> jinja2.Template | None:
        """The template already compiled for a render's values, if it was."""
        return self._ready.get((values["locale"], values["register"], name))

    def compile(self, name: str, values: Mapping[str, Any]) -> jinja2.Template:
        """Compile (or fetch) a template for a render's ``locale``, ``register`` and catalog."""
        key = (values["locale"], values["register"])
        found = self._ready.get((*key, name))
        if found is None:
            found = self._ready[(*key, name)] = self.environment_for(values).get_template(name)
        return found

    def environment_for(self, values: Mapping[str, Any]) -> jinja2.Environment:
        """The environment that compiles for a render's language and register."""
        if not self.enabled:
            return self.environment
        key = (values["locale"], values["register"])  # a babel.Locale and a str
        found = self._overlays.get(key)
        if found is None:
            fixed = Fixed(values["_translations"], str(key[1]), values["locale"])
            found = self._overlays[key] = specialize(self.environment, fixed)
        return found

    def clear(self) -> None:
        """Forget every compiled template (a template's source changed)."""
        self._overlays.clear()
        self._ready.clear()


def new_context(template: jinja2.Template, values: Mapping[str, Any]) -> jinja2.runtime.Context:
    """``Template.new_context(values)``, without reading its ChainMap of globals key by key."""
    chain = template.globals
    known = {**chain.maps[1], **chain.maps[0]} if isinstance(chain, ChainMap) else dict(chain)
    return jinja2.runtime.Context(
        template.environment, {**known, **values}, template.name, template.blocks, known
    )
