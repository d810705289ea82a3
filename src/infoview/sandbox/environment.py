"""The sandbox for template text you do not trust.

:class:`BoundedSandbox` is Jinja2's immutable sandbox; :func:`configure` gives
it :class:`Limits` and bounds its globals, filters and tests, and :func:`join`
renders within them:

- size: every string, list, tuple, dict and set a template builds, counted with
  everything nested in it, and everything it prints, joins, formats or
  repeats, is at most ``max_output`` characters, checked *before* the value is
  built; integers have at most ``max_int_bits`` bits; ``range()`` gives at most
  ``max_range`` items.
- work: each statement run, loop iteration, call, filter, test and operator,
  each item a filter goes through and each 1,000 characters produced spend
  steps from ``max_work``; the template is stopped when none are left.
- depth: macros, blocks, includes, imports and values nest at most
  ``max_depth`` deep; a RecursionError, MemoryError or OverflowError in a
  render is refused too.
- calls: a method of infoview's own objects may be called only if it reads
  (:data:`SAFE_METHODS`); lists, dicts and sets are never changed (Jinja2's
  immutable sandbox).

Every refusal is a :class:`jinja2.exceptions.SecurityError` naming the bound
and its limit; :meth:`infoview.Templates.render` raises it as
:class:`~infoview.errors.SandboxError`.

What it can, it does through the sandbox's public methods: Jinja2's own
``is_safe_attribute``, and ``call`` (calls), ``call_binop`` (operators) and
``wrap_str_format`` (``str.format``) here, with the filters, tests and
globals wrapped by :func:`configure`. The work budget and the sizes checked before a
literal or a captured block is built need code written at every statement
and literal, which only the code generator can write:
:class:`BoundedCodeGenerator` (``code_generator_class``, a documented
setting) extends Jinja2's and depends on how Jinja2 3.1 writes its code, so
``pyproject.toml`` bounds Jinja2 to 3.1.x; ``tests/test_sandbox*.py`` pin
what it must refuse. It imports no private name of Jinja2.
"""

from __future__ import annotations

import builtins
import inspect
import types
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import update_wrapper
from typing import Any, NoReturn

import jinja2
import jinja2.nodes
import jinja2.sandbox
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import Context, LoopContext

from infoview.sandbox import _bounds, _filter_bounds
from infoview.sandbox._bounds import (
    Charged,
    Limits,
    at_most,
    check_int,
    deeper,
    measure,
    refuse,
    spend,
)

__all__ = ["SAFE_METHODS", "BoundedSandbox", "Limits", "configure", "join"]

#: The methods of infoview's objects a sandboxed template may call: they only read.
SAFE_METHODS = frozenset(
    {
        "Agenda.by_category",
        "FollowUp.context",
        "FollowUp.is_overdue",
        "Interview.changed_at",
        "QuestionBank.default",
        "QuestionBank.filter",
        "QuestionBank.keys",
        "QuestionBank.plan",
    }
)
_GETTEXT = ("gettext", "_", "ngettext", "pgettext", "npgettext")
# A call through the sandbox (checks, Context.call, a macro's frame) costs
# about as much as five simple statements.
_CALL_STEPS = 5


# --------------------------------------------------------------------------- compiling


def _weight(body: Iterable[jinja2.nodes.Node]) -> int:
    """Count the nodes running these statements evaluates (nested bodies pay for themselves)."""
    count = 0
    todo = list(body)
    while todo:
        node = todo.pop()
        count += 1
        elifs = node.elif_ if isinstance(node, jinja2.nodes.If) else []
        todo.extend(
            child
            for child in node.iter_child_nodes()
            if not isinstance(child, jinja2.nodes.Stmt) or any(child is e for e in elifs)
        )
    return count


class BoundedCodeGenerator(CodeGenerator):
    """Compile templates that pay for their work and check sizes before building values."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Code written around a node when it is visited, by id(node): Jinja
        # refuses custom node types, so loops and defaults are wrapped here.
        self._around: dict[int, str] = {}

    def buffer(self, frame: Frame) -> None:
        # Captured output ({% set %}, {% filter %}, macros) is bounded as it is written.
        frame.buffer = self.temporary_identifier()
        self.writeline(f"{frame.buffer} = environment.buffer()")

    def blockvisit(self, nodes: Iterable[jinja2.nodes.Node], frame: Frame) -> None:
        # Every run of a body (a loop's on each iteration) pays for its statements.
        body = list(nodes)
        self.writeline(f"environment.spend({_weight(body)})")
        super().blockvisit(body, frame)

    def visit(self, node: jinja2.nodes.Node, *args: Any, **kwargs: Any) -> Any:
        before = self._around.pop(id(node), None)
        if before is None:
            return super().visit(node, *args, **kwargs)
        self.write(before)
        super().visit(node, *args, **kwargs)
        self.write(")")
        return None

    def _pay_each_time(self, node: jinja2.nodes.Node) -> None:
        self._around[id(node)] = f"(environment.spend({_weight([node])}) or "

    def visit_For(self, node: jinja2.nodes.For, frame: Frame) -> None:  # noqa: N802 - Jinja's visitor names
        self._around[id(node.iter)] = "environment.each("
        if node.test is not None:
            self._pay_each_time(node.test)
        super().visit_For(node, frame)

    def macro_body(
        self, node: jinja2.nodes.Macro | jinja2.nodes.CallBlock, frame: Frame
    ) -> tuple[Frame, Any]:
        for default in node.defaults:
            self._pay_each_time(default)
        return super().macro_body(node, frame)

    def visit_Concat(self, node: jinja2.nodes.Concat, frame: Frame) -> None:  # noqa: N802
        # Jinja's own visit_Concat, with every part measured before str() joins them.
        if frame.eval_ctx.volatile:
            join_ = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            join_ = "markup_join"
        else:
            join_ = "str_join"
        self.write(f"environment.bounded({join_}(environment.printable((")
        for part in node.nodes:
            self.visit(part, frame)
            self.write(", ")
        self.write("))))")

    def _literal(self, node: jinja2.nodes.Expr, frame: Frame, visit: Callable[..., None]) -> None:
        if getattr(node, "ctx", "load") != "load":
            visit(node, frame)
            return
        self.write("environment.bounded(")
        visit(node, frame)
        self.write(")")

    def visit_List(self, node: jinja2.nodes.List, frame: Frame) -> None:  # noqa: N802
        self._literal(node, frame, super().visit_List)

    def visit_Tuple(self, node: jinja2.nodes.Tuple, frame: Frame) -> None:  # noqa: N802
        self._literal(node, frame, super().visit_Tuple)

    def visit_Dict(self, node: jinja2.nodes.Dict, frame: Frame) -> None:  # noqa: N802
        self._literal(node, frame, super().visit_Dict)


class _Template(jinja2.Template):
    """A template whose rendering (included, imported or extended) counts toward max_depth."""

    @property
    def root_render_func(self) -> Callable[[Context], Iterator[str]]:
        return self._bounded_root

    @root_render_func.setter
    def root_render_func(self, render: Callable[[Context], Iterator[str]]) -> None:
        def root(context: Context) -> Iterator[str]:
            return _nested(render(context))

        self._bounded_root = root


def _nested(events: Iterator[str]) -> Iterator[str]:
    state = deeper()
    try:
        yield from events
    finally:
        if state is not None:
            state.depth -= 1


# --------------------------------------------------------------------------- environment


class BoundedSandbox(jinja2.sandbox.ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox within :attr:`limits`; see :func:`configure`."""

    code_generator_class = BoundedCodeGenerator
    template_class = _Template
    intercepted_binops = frozenset({"*", "**", "+", "-", "%", "/", "//"})
    limits = Limits()
    gettext_callables: tuple[Any, ...] = ()

    spend = staticmethod(spend)
    each = Charged

    def compile(self, source: Any, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
        """Compile as Jinja does; a template nested too deep for the parser is a syntax error."""
        try:
            return super().compile(source, name, *args, **kwargs)
        except RecursionError:
            message = "expressions or blocks nest too deep to compile"
            raise jinja2.TemplateSyntaxError(message, 1, name) from None

    def printable(self, value: Any) -> Any:
        """Return ``value`` after checking it prints within ``max_output``."""
        measure(value, self.limits, "a printed value", printed=True)
        return value

    def bounded(self, value: Any) -> Any:
        """Return a value the template built, after checking its size (generators are charged)."""
        if type(value) is int:
            check_int(value, self.limits)
        elif isinstance(value, str | bytes):
            at_most(len(value), "a value", self.limits)
            spend(len(value) // 1_000)
        elif isinstance(value, types.GeneratorType):
            return Charged(value)
        else:
            measure(value, self.limits)
        return value

    def buffer(self) -> _bounds.Buffer:
        """Return a list for captured output that refuses to grow past max_output."""
        return _bounds.Buffer(self.limits)

    def concat(self, chunks: Iterable[str]) -> str:
        """Join captured output ({% set %}, {% filter %}, macros, blocks) within max_output."""
        return _bounds.collect(chunks, self.limits, "captured output")

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        fields = _bounds.brace_fields(value.__self__, self.limits)
        limits = self.limits

        def format_(*args: Any, **kwargs: Any) -> str:
            values = [*args, *kwargs.values()]
            if value.__name__ == "format_map" and args and isinstance(args[0], Mapping):
                values = list(args[0].values())
            biggest = max((measure(v, limits, printed=True)[0] for v in values), default=0)
            at_most(len(value.__self__) + fields * biggest, "a formatted value", limits)
            return wrapped(*args, **kwargs)

        return update_wrapper(format_, wrapped)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        spend(1)
        _bounds.check_binop(operator, left, right, self.limits)
        try:
            result = super().call_binop(context, operator, left, right)
        except OverflowError as exc:
            refuse(f"a number would be too large ({exc})")
        return self.bounded(result)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's signature
        spend(_CALL_STEPS)
        limits = __self.limits
        if isinstance(__obj, jinja2.Undefined):  # calling a missing value: it says which
            __obj()
        _check_callable(__self, __obj)
        for key, arg in (*enumerate(args), *kwargs.items()):
            if key not in {"_loop_vars", "_block_vars"}:  # Jinja's own, for {% set %} in calls
                measure(arg, limits, "an argument")
        if any(__obj is g for g in __self.gettext_callables):
            for arg in args:
                if isinstance(arg, str):
                    _bounds.check_percent(arg, kwargs, limits)
        args = _bounds.check_method(__obj, args, kwargs, limits)
        if isinstance(__obj, LoopContext) and args:
            args = (Charged(args[0]), *args[1:])
        state = deeper()
        try:
            result = super().call(__context, __obj, *args, **kwargs)
        finally:
            if state is not None:
                state.depth -= 1
        return __self.bounded(result)

    def range(self, *args: int) -> builtins.range:
        """``range()`` for templates: at most ``max_range`` items."""
        spend(1)
        items = builtins.range(*args)
        try:
            count = len(items)
        except OverflowError:
            count = self.limits.max_range + 1
        if count > self.limits.max_range:
            refuse(f"range() with {count:,}+ items (limit {self.limits.max_range:,}: max_range)")
        return items


def _ours(obj: Any) -> bool:
    return (getattr(obj, "__module__", None) or "").partition(".")[0] == "infoview"


def _check_callable(env: BoundedSandbox, obj: Any) -> None:
    """Refuse calling infoview's objects, classes and methods, except those that only read."""
    if inspect.ismethod(obj):
        if obj.__self__ is env or not _ours(obj.__func__):
            return
        name = obj.__func__.__qualname__
    elif isinstance(obj, type):
        if not _ours(obj):
            return
        name = obj.__qualname__
    elif _ours(type(obj)) and not inspect.isfunction(obj):
        name = f"{type(obj).__qualname__}.__call__"
    else:
        return
    if name not in SAFE_METHODS:
        refuse(
            f"{name}() may change or make infoview's objects; a sandboxed template may only "
            f"read them (it may call {', '.join(sorted(SAFE_METHODS))})"
        )


def _no_lipsum(*args: Any, **kwargs: Any) -> NoReturn:
    refuse("lipsum() is not available in sandboxed templates")


# What a filter or test marked with jinja2.pass_* gets before its value.
_PASSED: dict[str | None, Callable[[Context], Any]] = {
    "context": lambda context: context,
    "eval_context": lambda context: context.eval_ctx,
    "environment": lambda context: context.environment,
}


def _bounded_callable(
    env: BoundedSandbox, kind: str, name: str, original: Callable[..., Any]
) -> Any:
    """Wrap a filter or test: it pays for its input and is checked before and after it runs."""
    pass_arg = getattr(getattr(original, "jinja_pass_arg", None), "name", None)
    passed = _PASSED.get(pass_arg)
    check = _filter_bounds.CHECKS.get(name)
    per_step = _filter_bounds.CHARS_PER_STEP.get(name, 1_000)
    printed = kind == "filter" and name not in _filter_bounds.KEEP_OBJECTS_WHOLE

    def bounded(context: Context, value: Any, *args: Any, **kwargs: Any) -> Any:
        limits = env.limits
        if isinstance(value, str):
            spend(1 + len(value) // per_step)
        else:
            spend(1 + (len(value) if isinstance(value, (*_bounds.SEQUENCES, dict)) else 0))
        for arg in (value, *args, *kwargs.values()):
            measure(arg, limits, f"the input of |{name}", printed=printed)
        if check is not None:
            value = check(value, args, kwargs, limits)
        if passed is None:
            return env.bounded(original(value, *args, **kwargs))
        return env.bounded(original(passed(context), value, *args, **kwargs))

    # Always pass the context (after copying the original's attributes, which
    # name its own pass_* choice): Jinja then never folds it at compile time.
    wrapper = jinja2.pass_context(update_wrapper(bounded, original))
    wrapper.infoview_bounded = True  # type: ignore[attr-defined]
    return wrapper


def _printing(env: BoundedSandbox, finalize: Callable[..., Any] | None) -> Callable[..., Any]:
    def printable(*args: Any) -> Any:
        env.printable(args[-1])
        if finalize is None:
            return args[-1]
        value = finalize(*args)
        if value is not args[-1]:  # what it prints instead (an iterator's items) is bounded too
            env.printable(value)
        return value

    if hasattr(finalize, "jinja_pass_arg"):
        printable.jinja_pass_arg = finalize.jinja_pass_arg  # type: ignore[attr-defined, union-attr]
    return printable


_DEFAULTS = Limits()


def configure(
    env: BoundedSandbox,
    *,
    max_output: int = _DEFAULTS.max_output,
    max_range: int = _DEFAULTS.max_range,
    max_work: int = _DEFAULTS.max_work,
    max_depth: int = _DEFAULTS.max_depth,
) -> None:
    """Give a sandboxed environment its limits and bound its globals, filters and tests.

    Call it once every filter, test and global is registered: what is added
    later is not bounded.
    """
    env.limits = Limits(max_output, max_range, max_work, max_depth)
    env.globals["range"] = env.range
    env.globals["lipsum"] = _no_lipsum
    env.gettext_callables = tuple(env.globals[n] for n in _GETTEXT if n in env.globals)
    env.finalize = _printing(env, env.finalize)
    for kind, table in (("filter", env.filters), ("test", env.tests)):
        for name, original in list(table.items()):
            if not getattr(original, "infoview_bounded", False):
                table[name] = _bounded_callable(env, kind, name, original)


def join(env: BoundedSandbox, chunks: Iterator[str]) -> str:
    """Render a template's output chunks within the environment's limits.

    Raises:
        jinja2.exceptions.SecurityError: For anything beyond a limit, and
            for a RecursionError, MemoryError or OverflowError on the way.
    """
    token = _bounds.current.set(_bounds.Render(env.limits))
    try:
        return _bounds.collect(chunks, env.limits, "the output")
    except RecursionError:
        reason = f"the template recursed too deep for Python (max_depth is {env.limits.max_depth})"
    except MemoryError:
        reason = "the template ran out of memory"
    except OverflowError as exc:
        reason = f"a number would be too large ({exc})"
    finally:
        _bounds.current.reset(token)
    # Raised outside the except blocks, so it holds no traceback of the failure.
    return refuse(reason)
