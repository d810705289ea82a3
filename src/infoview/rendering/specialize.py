"""Templates compiled for one language and register: the fast path of rendering.

The text a template prints depends on the draft's language and register in
one place only: its ``{% trans %}`` blocks. An environment made by
:func:`specialize` compiles a template once per catalog, register and Babel
locale with every such block already translated (:func:`fold_translations`),
so rendering does no gettext work:
``{% trans "you" %}Would you have {{ duration }}?{% endtrans %}`` compiles,
for a formal German draft, to the template text ``Hätten Sie {{ duration }}?``.
Folding applies to every template, yours too: it gives what the gettext call
gives, blanks included (a value given to ``{% trans %}`` is printed as
``{{ … }}`` prints it on every path, so a blank one is refused on every
path; see :mod:`infoview.language.i18n`). Plural forms stay gettext calls.

Only when the template rendered is a built-in, and only among built-in
templates, are the layout it extends written around its blocks
(:mod:`infoview.rendering._layouts`) and its imported phrase macros and plain
includes inlined (:mod:`infoview.rendering._inline`): ``tests/test_specialize.py``
renders every built-in in six locales and both registers both ways. A template
of yours (given as a string, found in your folders, or extending a built-in)
is compiled as Jinja2 compiles it, translations folded. Sandboxed rendering
never specializes.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections import ChainMap
from collections.abc import Callable, Mapping
from gettext import NullTranslations  # Babel's catalogs are instances of its subclasses
from typing import Any

import attrs
import babel
import jinja2
from jinja2 import nodes
from jinja2.bccache import Bucket

from infoview.language import i18n, wording
from infoview.rendering import _inline, _layouts, cache, loaders
from infoview.rendering._inline import NONBLANK, copy_node

__all__ = [
    "NONBLANK",
    "BuiltinBytecode",
    "Compiled",
    "Fixed",
    "Specializing",
    "copy_node",
    "fold",
    "fold_translations",
    "new_context",
    "specialize",
]


# --------------------------------------------------------------------------- translating

# What folding understands in a catalog's text: %(name)s and %%.
_PLACEHOLDER = re.compile(r"%\((\w+)\)s|%%|%")
# The new-style gettext calls {% trans %} compiles to, by the number of leading
# constant arguments (the context, then the message).
_GETTEXT = {"gettext": 1, "pgettext": 2}


@attrs.frozen
class Fixed:
    """The language and register an environment compiles for (see :func:`specialize`).

    ``builtins`` is whether the environment compiles a built-in template's
    render, where the built-ins among themselves are also inlined.
    """

    translations: NullTranslations
    register: str
    locale: babel.Locale
    builtins: bool = False


def fold_translations(tree: nodes.Template, fixed: Fixed) -> None:
    """Replace, in ``tree``, each gettext call ``{% trans %}`` compiled to by its translation.

    A call is folded when it is printed directly (``{{ … }}``, which is what
    ``{% trans %}`` writes), its message and context are constants, its
    values are given by name, and the template never assigns the names
    ``gettext`` or ``pgettext`` itself. Anything else stays a call.
    """
    names = {n.name for n in tree.find_all(nodes.Name) if n.ctx != "load"}
    for found in tree.find_all((nodes.Import, nodes.FromImport)):
        if isinstance(found, nodes.Import):
            names.add(found.target)
        elif isinstance(found, nodes.FromImport):
            names.update(n if isinstance(n, str) else n[1] for n in found.names)
    if names & _GETTEXT.keys():
        return
    for output in tree.find_all(nodes.Output):
        parts: list[nodes.Expr] = []
        for expr in output.nodes:
            folded = _folded(expr, fixed)
            if folded is None:
                parts.append(expr)
            else:
                parts.extend(folded.nodes)
        output.nodes = parts


def _folded(expr: nodes.Node, fixed: Fixed) -> nodes.Output | None:
    if not (
        isinstance(expr, nodes.Call)
        and isinstance(expr.node, nodes.Name)
        and expr.node.name in _GETTEXT
        and expr.dyn_args is None
        and expr.dyn_kwargs is None
        and len(expr.args) == _GETTEXT[expr.node.name]
        and all(isinstance(a, nodes.Const) and isinstance(a.value, str) for a in expr.args)
    ):
        return None
    *context, message = (a.value for a in expr.args if isinstance(a, nodes.Const))
    variables = {keyword.key: keyword.value for keyword in expr.kwargs}
    if context:
        variables.setdefault("context", nodes.Const(context[0]))
        address = fixed.register if context[0] == i18n.ADDRESS_CONTEXT else context[0]
    else:
        address = None
    text = i18n.translated(fixed.translations, address, message, fixed.locale)
    return fold(text, variables)


def fold(text: str, variables: dict[str, nodes.Expr]) -> nodes.Output | None:
    """Return translated text as template output with the values in place, or None.

    The text is template data, as the catalog's text is trusted; each value
    is printed as ``{{ … }}`` prints it (finalized, escaped when
    autoescaping), which is what the gettext call does with it
    (:mod:`infoview.language.i18n`). None when the text has anything but
    ``%(name)s`` and ``%%``, or names a value the block does not give: those
    stay a gettext call, which reports them.
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

    def compile(  # Jinja2 overloads it on raw, which is passed on as given
        self,
        source: str | nodes.Template,
        name: str | None = None,
        filename: str | None = None,
        raw: bool = False,
        defer_init: bool = False,
    ) -> Any:
        """Compile as Jinja2 does, translations folded (and built-ins inlined) first."""
        fixed = self.infoview_fixed
        if fixed is not None and isinstance(source, str):
            tree = self.parse(source, name, filename)
            self._specialize(tree, name, fixed)
            source = tree
        return super().compile(source, name, filename, raw, defer_init)  # type: ignore[call-overload]

    def _specialize(
        self,
        tree: nodes.Template,
        name: str | None,
        fixed: Fixed,
        parser: Callable[[str], nodes.Template | None] | None = None,
    ) -> None:
        if fixed.builtins and name is not None and self._is_builtin(name):
            _inline.inline(tree, parser or self._builtin_parser(name), name)
        fold_translations(tree, fixed)

    def rendered(self, name: str) -> jinja2.Template:
        """The template ``name`` compiled to be rendered, its layouts written around it.

        Only a built-in rendered itself is compiled so, and only over
        built-in layouts: one loaded by ``{% extends %}`` stays a layout whose
        blocks can be overridden. Its code is kept in the compiled-template
        cache (:mod:`infoview.rendering.cache`) and read from there next time.
        """
        loader = self.loader
        fixed = self.infoview_fixed
        if fixed is None or not fixed.builtins or loader is None or not self._is_builtin(name):
            return self.get_template(name)
        return self.cached(name) or self._compile_builtin(name, loader, fixed)

    def cached(self, name: str) -> jinja2.Template | None:
        """The built-in ``name`` as :meth:`rendered` compiles it, if the cache holds it; else None.

        The code is used only when every template file it was built from
        still reads as it did (see :mod:`infoview.rendering.cache`).
        """
        loader = self.loader
        fixed = self.infoview_fixed
        if fixed is None or not fixed.builtins or loader is None:
            return None
        key = self._cache_key(name, fixed)
        kept = cache.read(key) if key is not None else None
        if kept is None:
            return None
        dependencies, code = kept
        try:
            source, filename, uptodate = loader.get_source(self, name)
            if not dependencies or dependencies[0] != _dependency(name, filename, source):
                return None
            escapes = self._escapes(name)
            for dependency in dependencies[1:]:
                if self._builtin_dependency(dependency[0], escapes) != dependency:
                    return None
            return self.template_class.from_code(self, code, self.make_globals(None), uptodate)
        except Exception:  # whatever it is, compiling reports it or does not meet it
            return None

    def _compile_builtin(
        self, name: str, loader: jinja2.BaseLoader, fixed: Fixed
    ) -> jinja2.Template:
        source, filename, uptodate = loader.get_source(self, name)
        used: dict[str, cache.Dependency] = {}
        parser = self._builtin_parser(name, used)
        tree = self.parse(source, name, filename)
        if _layouts.flatten(tree, parser):
            self._specialize(tree, name, fixed, parser)
            code = self.compile(tree, name, filename)
        else:  # compiled as get_template() would, its includes inlined
            tree = self.parse(source, name, filename)
            self._specialize(tree, name, fixed, parser)
            code = super().compile(tree, name, filename)
        key = self._cache_key(name, fixed)
        if key is not None:
            cache.write(key, [_dependency(name, filename, source), *used.values()], code)
        return self.template_class.from_code(self, code, self.make_globals(None), uptodate)

    def _cache_key(self, name: str, fixed: Fixed) -> str | None:
        """The cache's key for ``name`` for ``fixed``; None for a catalog of another kind."""
        catalog = _catalog_identity(fixed.translations)
        if catalog is None:
            return None
        return cache.digest(
            name,
            catalog,
            fixed.register,
            str(fixed.locale),
            fixed.builtins,
            self._escapes(name),
            _syntax(self),
            _machinery(type(self).__module__, self.code_generator_class.__module__),
        )

    def _is_builtin(self, name: str) -> bool:
        loader = self.loader
        return loader is not None and loaders.is_builtin(self, loader, name)

    def _escapes(self, name: str) -> bool:
        return _escapes(self, name)

    def _builtin_parser(
        self, root: str, used: dict[str, cache.Dependency] | None = None
    ) -> Callable[[str], nodes.Template | None]:
        """Parse a built-in that escapes as ``root`` does; None for any other (left to Jinja2).

        ``used`` collects, by name, what each name asked for resolved to.
        """
        escapes = self._escapes(root)

        def parse(name: str) -> nodes.Template | None:
            found = self._builtin_source(name, escapes)
            if used is not None:
                filename, source = found or ("", None)
                used[name] = _dependency(name, filename, source)
            if found is None:
                return None
            filename, source = found
            return self.parse(source, name, filename)

        return parse

    def _builtin_source(self, name: str, escapes: bool) -> tuple[str, str] | None:
        """The file name and source of a built-in that escapes so; None for any other."""
        loader = self.loader
        if loader is None or self._escapes(name) != escapes:
            return None
        try:
            source, filename, _ = loader.get_source(self, name)
        except jinja2.TemplateNotFound:
            return None  # left to the include, which reports it
        if filename is None or not loaders.is_builtin_file(filename):
            return None
        return filename, source

    def _builtin_dependency(self, name: str, escapes: bool) -> cache.Dependency:
        filename, source = self._builtin_source(name, escapes) or ("", None)
        return _dependency(name, filename, source)


def _escapes(environment: jinja2.Environment, name: str) -> bool:
    autoescape = environment.autoescape
    return bool(autoescape(name) if callable(autoescape) else autoescape)


def _dependency(name: str, filename: str | None, source: str | None) -> cache.Dependency:
    if source is None:
        return (name, "", "")
    return (name, filename or "", cache.content_hash(source))


_catalogs: dict[int, tuple[NullTranslations, str]] = {}
# The classes of a catalog without messages: the standard library's, and Babel's.
_EMPTY_CATALOGS = {("gettext", "NullTranslations"), ("babel.support", "NullTranslations")}


def _catalog_identity(translations: NullTranslations) -> str | None:
    """A hash of everything folding reads of a catalog; None for one it cannot see into."""
    known = _catalogs.get(id(translations))
    if known is not None and known[0] is translations:
        return known[1]
    parts: list[str] = []
    chain: Any = translations
    while chain is not None:
        kind = type(chain)
        catalog = getattr(chain, "_catalog", None)
        if isinstance(catalog, dict):
            entries = sorted(repr(item) for item in catalog.items())
        elif (kind.__module__, kind.__qualname__) in _EMPTY_CATALOGS:
            entries = []
        else:
            return None
        parts.append(repr((kind.__module__, kind.__qualname__, entries)))
        chain = getattr(chain, "_fallback", None)
    identity = cache.content_hash("\n".join(parts))
    _catalogs[id(translations)] = (translations, identity)
    return identity


def _syntax(environment: jinja2.Environment) -> tuple[Any, ...]:
    """What of an environment shapes the code a template compiles to."""
    passes = jinja2.utils._PassArg.from_obj

    def named(functions: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
        return tuple(sorted((k, str(passes(f))) for k, f in functions.items()))

    finalize = environment.finalize
    return (
        type(environment).__qualname__,
        environment.code_generator_class.__qualname__,
        environment.block_start_string,
        environment.block_end_string,
        environment.variable_start_string,
        environment.variable_end_string,
        environment.comment_start_string,
        environment.comment_end_string,
        environment.line_statement_prefix,
        environment.line_comment_prefix,
        environment.trim_blocks,
        environment.lstrip_blocks,
        environment.newline_sequence,
        environment.keep_trailing_newline,
        environment.optimized,
        environment.is_async,
        tuple(sorted(environment.extensions)),
        None
        if finalize is None
        else (getattr(finalize, "__qualname__", ""), str(passes(finalize))),
        named(environment.filters),
        named(environment.tests),
        tuple(
            sorted(
                (k, v)
                for k, v in environment.policies.items()
                if isinstance(v, str | int | float | bool | None)
            )
        ),
    )


@functools.cache
def _machinery(*modules: str) -> tuple[tuple[str, int, int], ...]:
    """The files of the modules that compile a built-in, as they stand (a checkout changes).

    ``modules``: the modules, by name, of the environment's class and its code generator.
    """
    found = []
    named = [sys.modules.get(name) for name in modules if name.startswith("infoview.")]
    for module in (_inline, _layouts, cache, i18n, wording, sys.modules[__name__], *named):
        path = getattr(module, "__file__", None) or ""
        try:
            status = os.stat(path)
        except OSError:
            found.append((path, 0, 0))
        else:
            found.append((path, status.st_mtime_ns, status.st_size))
    return tuple(found)


class BuiltinBytecode(jinja2.BytecodeCache):
    """Jinja2's bytecode cache for the built-ins compiled as written, in the template cache.

    A :class:`~infoview.Templates` compiles a template as Jinja2 does once,
    to report its faults (``get_template``); for a built-in that code is kept
    (:mod:`infoview.rendering.cache`), keyed by its name, its file's content
    and the environment's syntax. It compiles alone (extends, includes and
    imports are looked up when it renders), so nothing else is checked.
    Templates of yours, and every environment compiling for a language, are
    left to compile as ever.
    """

    def get_bucket(
        self, environment: jinja2.Environment, name: str, filename: str | None, source: str
    ) -> Bucket:
        """A built-in's bucket, its code read if kept; an empty one for any other template."""
        key = ""
        if (
            getattr(environment, "infoview_fixed", None) is None
            and filename is not None
            and loaders.is_builtin_file(filename)
        ):
            key = cache.digest(
                "as written",
                name,
                _escapes(environment, name),
                _syntax(environment),
                _machinery(
                    type(environment).__module__, environment.code_generator_class.__module__
                ),
            )
        bucket = Bucket(environment, key, _dependency(name, filename, source)[2])
        if key:
            self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        """Give the bucket the code kept under its key, if built from the same source."""
        kept = cache.read(bucket.key)
        if kept is not None and kept[0] == (("", "", bucket.checksum),):
            bucket.code = kept[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep the bucket's code under its key (a built-in's only)."""
        if bucket.key and bucket.code is not None:
            cache.write(bucket.key, [("", "", bucket.checksum)], bucket.code)


def specialize(environment: jinja2.Environment, fixed: Fixed) -> jinja2.Environment:
    """Return an overlay of ``environment`` that compiles for ``fixed`` (see the module)."""
    overlay = environment.overlay()
    overlay.infoview_fixed = fixed  # type: ignore[attr-defined]
    return overlay


class Compiled:
    """A template set's templates compiled per language and register, each on first use.

    The key is the locale data a compile settles: the catalog, the register
    and the Babel locale (whose region may change a spelling: Swiss German
    writes "ss" for "ß"). Dates and the like are formatted at render time.

    Args:
        environment: The set's environment; each language gets an overlay of it.
        enabled: Whether to specialize at all (a sandbox never does).
    """

    def __init__(self, environment: jinja2.Environment, *, enabled: bool) -> None:
        self.environment = environment
        self.enabled = enabled
        self._overlays: dict[tuple[Any, ...], jinja2.Environment] = {}
        self._ready: dict[tuple[Any, ...], jinja2.Template] = {}
        self._builtin: dict[str, bool] = {}

    @staticmethod
    def _key(values: Mapping[str, Any]) -> tuple[Any, ...]:
        return (values["_translations"], values["register"], values["locale"])

    def ready(self, name: str, values: Mapping[str, Any]) -> jinja2.Template | None:
        """The template already compiled for a render's values, if it was."""
        return self._ready.get((*self._key(values), name))

    def compile(self, name: str, values: Mapping[str, Any]) -> jinja2.Template:
        """Compile (or fetch) a template for a render's catalog, register and locale."""
        key = (*self._key(values), name)
        found = self._ready.get(key)
        if found is None:
            environment = self.environment_for(values, builtins=self.is_builtin(name))
            load = getattr(environment, "rendered", environment.get_template)
            found = self._ready[key] = load(name)
        return found

    def stored(self, name: str, values: Mapping[str, Any]) -> jinja2.Template | None:
        """A built-in compiled for a render's values, read from the compiled-template cache.

        None when it is not a built-in, or the cache does not hold it
        (:mod:`infoview.rendering.cache`). A built-in found there compiled
        without a fault before, so it needs no other check.
        """
        if not self.enabled or not self.is_builtin(name):
            return None
        environment = self.environment_for(values, builtins=True)
        cached = getattr(environment, "cached", None)
        found = cached(name) if cached is not None else None
        if found is not None:
            self._ready[(*self._key(values), name)] = found
        return found

    def is_builtin(self, name: str) -> bool:
        """Whether ``name`` is a built-in template (not one of yours replacing it)."""
        found = self._builtin.get(name)
        if found is None:
            loader = self.environment.loader
            found = loader is not None and loaders.is_builtin(self.environment, loader, name)
            self._builtin[name] = found
        return found

    def environment_for(
        self, values: Mapping[str, Any], *, builtins: bool = False
    ) -> jinja2.Environment:
        """The environment that compiles for a render's language and register.

        ``builtins``: for a built-in's render, where built-ins are inlined too.
        """
        if not self.enabled:
            return self.environment
        key = (*self._key(values), builtins)
        found = self._overlays.get(key)
        if found is None:
            fixed = Fixed(
                values["_translations"], str(values["register"]), values["locale"], builtins
            )
            found = self._overlays[key] = specialize(self.environment, fixed)
        return found

    def clear(self) -> None:
        """Forget every compiled template (a template's source changed)."""
        self._overlays.clear()
        self._ready.clear()
        self._builtin.clear()


def new_context(template: jinja2.Template, values: Mapping[str, Any]) -> jinja2.runtime.Context:
    """``Template.new_context(values)``, without reading its ChainMap of globals key by key."""
    chain = template.globals
    known = {**chain.maps[1], **chain.maps[0]} if isinstance(chain, ChainMap) else dict(chain)
    return jinja2.runtime.Context(
        template.environment, {**known, **values}, template.name, template.blocks, known
    )
