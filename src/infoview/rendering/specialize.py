"""Templates compiled for one language and register: the fast path of rendering.

The text a template prints depends on the draft's language and register in
one place only: its ``{% trans %}`` blocks. An environment made by
:func:`specialize` compiles a template once per (locale, register) with every
such block already translated (:class:`FoldingI18n`), so rendering does no
gettext work at all:
``{% trans "you" %}Would you have {{ duration }}?{% endtrans %}`` compiles,
for a formal German draft, to the template text ``Hätten Sie {{ duration }}?``.

The layout a template extends is written around its blocks
(:mod:`infoview.rendering._layouts`), and imported phrase macros and plain includes
are written out where they are used (:mod:`infoview.rendering._inline`), also while
compiling. Each keeps the meaning
of what it replaces: a value missing inside a translated sentence is still an
error, a phrase that prints nothing is still refused. Anything not covered
(plural forms, a macro with arguments, an include of a template with blocks)
is compiled as Jinja2 compiles it. Sandboxed rendering never specializes.
"""

from __future__ import annotations

import re
from collections import ChainMap
from collections.abc import Mapping
from typing import Any

import attrs
import babel
import jinja2
import jinja2.ext
from babel.support import NullTranslations
from jinja2 import nodes

from infoview.language import i18n
from infoview.rendering import _inline, _layouts
from infoview.rendering._inline import NONBLANK, copy_node

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
            _inline.write_out(tree, self._parse_named, name)
            source = tree
        return super().compile(source, name, *args, **kwargs)

    def rendered(self, name: str) -> jinja2.Template:
        """The template ``name`` compiled to be rendered, its layouts written around it.

        Only a template rendered itself is compiled so: one loaded by
        ``{% extends %}`` stays a layout whose blocks can be overridden.
        """
        loader = self.loader
        if self.infoview_fixed is None or loader is None:
            return self.get_template(name)
        source, filename, uptodate = loader.get_source(self, name)
        tree = self.parse(source, name, filename)
        if not _layouts.write_layout(tree, self._parse_named):
            return self.get_template(name)
        _inline.write_out(tree, self._parse_named, name)
        code = self.compile(tree, name, filename)
        return self.template_class.from_code(self, code, self.make_globals(None), uptodate)

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
    """A template set's templates compiled per language and register, each on first use.

    What a compile settles depends on the catalog, the register and the
    region's spelling (Swiss German writes "ss" for "ß"), not on the rest of
    the locale: dates and the like are formatted at render time. So there are
    a few compiles per template, however many regional locales a run's
    contacts name.

    Args:
        environment: The set's environment; each language gets an overlay of it.
        enabled: Whether to specialize at all (a sandbox never does).
    """

    def __init__(self, environment: jinja2.Environment, *, enabled: bool) -> None:
        self.environment = environment
        self.enabled = enabled
        self._overlays: dict[tuple[Any, ...], jinja2.Environment] = {}
        self._ready: dict[tuple[Any, ...], jinja2.Template] = {}

    @staticmethod
    def _key(values: Mapping[str, Any]) -> tuple[Any, ...]:
        spelling = i18n.regional("ß", values["locale"])
        return (values["_translations"], values["register"], spelling)

    def ready(self, name: str, values: Mapping[str, Any]) -> jinja2.Template | None:
        """The template already compiled for a render's values, if it was."""
        return self._ready.get((*self._key(values), name))

    def compile(self, name: str, values: Mapping[str, Any]) -> jinja2.Template:
        """Compile (or fetch) a template for a render's catalog, register and locale."""
        key = (*self._key(values), name)
        found = self._ready.get(key)
        if found is None:
            environment = self.environment_for(values)
            load = getattr(environment, "rendered", environment.get_template)
            found = self._ready[key] = load(name)
        return found

    def environment_for(self, values: Mapping[str, Any]) -> jinja2.Environment:
        """The environment that compiles for a render's language and register."""
        if not self.enabled:
            return self.environment
        key = self._key(values)
        found = self._overlays.get(key)
        if found is None:
            fixed = Fixed(values["_translations"], str(values["register"]), values["locale"])
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
