"""Templates: finding, loading and rendering the messages around an interview.

One :class:`Templates` object holds one Jinja2 environment, built once and
reused; Jinja caches the compiled templates. Its loaders search, in order,
templates added from strings, your folders, then the built-in ``templates/``.

A template name has no extension: ``"outreach/alumni"`` is the file
``outreach/alumni.txt``. Siblings with the same name add other parts of the
draft: ``.html`` (autoescaped) and ``.md`` (Markdown).

Nothing renders as a blank. Undefined names raise (``StrictUndefined``); an
attribute or item that is ``None``, empty or white space becomes a *blank*: it
is false in ``{% if %}`` and ``or``, ``default`` replaces it, and printing it
raises :class:`~infoview.errors.MissingValueError` naming the template, the
variable and the contact.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, NoReturn

import jinja2
import jinja2.meta
import jinja2.nodes

from infoview import i18n, sandbox
from infoview.contact import Contact, Register
from infoview.draft import Draft
from infoview.errors import (
    InfoviewError,
    MissingValueError,
    SandboxError,
    TemplateError,
    UnknownTemplateError,
)
from infoview.followup import FollowUp, FollowUpKind
from infoview.interview import Interview

__all__ = [
    "Templates",
    "builtin_templates_path",
    "choose_locale",
    "default_templates",
    "render",
]

TEXT, HTML, MARKDOWN = ".txt", ".html", ".md"
_EXTENSIONS = (TEXT, HTML, MARKDOWN)
# Names infoview supplies to every render; not something a caller must give.
_SUPPLIED = frozenset(
    {"locale", "register", "_translations", "_locale_id", "social_limit", "recipient"}
)


def builtin_templates_path() -> Path:
    """Return the folder holding the built-in templates.

    A wheel ships them inside the package (``infoview/templates``); a source
    checkout or editable install reads the repository's root ``templates/``.

    Raises:
        UnknownTemplateError: When neither folder exists (a broken install).
    """
    package = Path(__file__).resolve().parent
    candidates = (package / "templates", package.parent.parent / "templates")
    for folder in candidates:
        if folder.is_dir():
            return folder
    raise UnknownTemplateError(  # pragma: no cover - only a broken install gets here
        "(built-ins)",
        [str(c) for c in candidates],
        ["reinstall infoview; the wheel ships infoview/templates"],
    )


def choose_locale(explicit: str | None, recipient: Any, sender: Any) -> i18n.ResolvedLocale:
    """Pick the locale a draft is written in (see :func:`infoview.i18n.resolve_locale`).

    The explicit choice wins, then the recipient's locale, then the sender's,
    then English.
    """
    return i18n.resolve_locale(
        explicit,
        recipient if isinstance(recipient, Contact) else None,
        sender if isinstance(sender, Contact) else None,
    )


# --------------------------------------------------------------------------- blanks


class _Missing(jinja2.StrictUndefined):
    """A name that was never given: any use other than a test raises."""

    __slots__ = ()

    def _fail_with_undefined_error(self, *args: Any, **kwargs: Any) -> NoReturn:
        if issubclass(self._undefined_exception, jinja2.exceptions.SecurityError):
            raise self._undefined_exception(self._undefined_message)
        raise _MissingValue(self)

    # StrictUndefined binds these to its own method; rebind them to ours.
    __str__ = __iter__ = __len__ = __eq__ = __ne__ = __bool__ = __hash__ = __contains__ = (
        __getitem__
    ) = __call__ = __add__ = __radd__ = __mul__ = __rmul__ = __lt__ = __le__ = __gt__ = __ge__ = (
        __int__
    ) = __float__ = _fail_with_undefined_error


class _Blank(_Missing):
    """An attribute or item that exists but is ``None``, empty or white space.

    Unlike a missing name it is false, so ``{% if contact.school %}`` and
    ``contact.school or "…"`` give templates their fallbacks.
    """

    __slots__ = ()

    def __bool__(self) -> bool:  # type: ignore[override]
        return False

    def __eq__(self, other: object) -> bool:  # type: ignore[override]
        return other is None or isinstance(other, _Blank)

    def __ne__(self, other: object) -> bool:  # type: ignore[override]
        return not self.__eq__(other)

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(None)


class _MissingValue(jinja2.UndefinedError):
    def __init__(self, undefined: _Missing) -> None:
        self.undefined = undefined
        super().__init__(undefined._undefined_message)


def _is_blank(value: Any) -> bool:
    if value is None:
        return True
    return isinstance(value, str) and not value.strip()


def _finalize(value: Any) -> Any:
    if _is_blank(value) or (isinstance(value, list | tuple | dict | set) and not value):
        raise _MissingValue(_Missing(hint=f"an expression gave {value!r}"))
    return value


class _NoBlanksMixin:
    """Turn ``None`` and blank text met on the way into ``_Blank`` values."""

    undefined: type[jinja2.Undefined]

    def getattr(self, obj: Any, attribute: str) -> Any:
        value = super().getattr(obj, attribute)  # type: ignore[misc]
        return _Blank(obj=obj, name=attribute) if _is_blank(value) else value

    def getitem(self, obj: Any, argument: Any) -> Any:
        value = super().getitem(obj, argument)  # type: ignore[misc]
        return _Blank(obj=obj, name=str(argument)) if _is_blank(value) else value


class _Environment(_NoBlanksMixin, jinja2.Environment):
    pass


# --------------------------------------------------------------------------- sandbox


class _SandboxedEnvironment(_NoBlanksMixin, sandbox.BoundedSandbox):
    """The bounded sandbox of :mod:`infoview.sandbox`, where nothing renders as a blank."""


# --------------------------------------------------------------------------- loading


class _ExtensionlessLoader(jinja2.BaseLoader):
    """Let ``"outreach/alumni"`` find ``outreach/alumni.txt`` in the wrapped loader."""

    def __init__(self, loader: jinja2.BaseLoader, label: str) -> None:
        self.loader = loader
        self.label = label

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        try:
            return self.loader.get_source(environment, template)
        except jinja2.TemplateNotFound:
            if template.endswith(_EXTENSIONS):
                raise
            return self.loader.get_source(environment, template + TEXT)

    def list_templates(self) -> list[str]:
        return self.loader.list_templates()


def _public_name(file_name: str) -> str | None:
    """``outreach/alumni.txt`` → ``outreach/alumni``; partials (``_base/…``) and siblings → None."""
    if any(part.startswith("_") for part in file_name.split("/")):
        return None
    if file_name.endswith((HTML, MARKDOWN)):
        return None
    return file_name.removesuffix(TEXT)


# --------------------------------------------------------------------------- Templates


class Templates:
    """A set of templates: your folders and strings first, then the built-ins.

    Build one per configuration and reuse it: it holds one Jinja2 environment,
    which caches every compiled template.

    Args:
        search_path: Folders of your own templates, searched before the
            built-ins, in order. Your ``outreach/alumni.txt`` replaces the
            built-in one. To change one block instead, give your file another
            name (``mine/alumni.txt``) and ``{% extends "outreach/alumni" %}``
            (a file that extends its own name would extend itself).
        sandboxed: Render with Jinja2's immutable sandbox, for template text
            you do not trust: unsafe attributes, calls that would change
            infoview's objects, and anything beyond the bounds below raise
            SandboxError (see ``infoview.sandbox``).
        social_limit: Characters allowed in ``outreach/social`` (200 on a free
            LinkedIn account, 300 on paid plans); templates see it as
            ``social_limit``.
        builtins: Whether to search the built-in templates at all.
        strings: Templates given as source text, by name (searched first).
        max_output: Sandboxed mode: the most characters of the output, of
            captured output, and of any value a template builds (nested
            values counted in), checked before the value is built.
        max_range: Sandboxed mode: the most items one ``range()`` may give.
        max_work: Sandboxed mode: the work steps one render of each part may
            spend (statements, loop items, calls, filters, characters
            produced). Time is bounded only through it: render truly hostile
            text in a worker with a timeout as well.
        max_depth: Sandboxed mode: how deep macros, blocks, includes,
            imports and values may nest.
    """

    def __init__(
        self,
        search_path: Iterable[str | os.PathLike[str]] = (),
        *,
        sandboxed: bool = False,
        social_limit: int = 200,
        builtins: bool = True,
        strings: Mapping[str, str] | None = None,
        max_output: int = 100_000,
        max_range: int = 1_000,
        max_work: int = 100_000,
        max_depth: int = 30,
    ) -> None:
        self.search_path = tuple(Path(p) for p in search_path)
        self.sandboxed = sandboxed
        self.social_limit = social_limit
        self.max_output = max_output
        self._strings: dict[str, str] = dict(strings or {})
        self._places = ["templates given as strings"]
        loaders: list[jinja2.BaseLoader] = [
            _ExtensionlessLoader(jinja2.DictLoader(self._strings), self._places[0])
        ]
        for folder in self.search_path:
            loaders.append(_ExtensionlessLoader(jinja2.FileSystemLoader(folder), str(folder)))
            self._places.append(str(folder))
        if builtins:
            builtin = builtin_templates_path()
            loaders.append(_ExtensionlessLoader(jinja2.FileSystemLoader(builtin), str(builtin)))
            self._places.append(f"{builtin} (built-in)")
        env_class: type[jinja2.Environment] = _SandboxedEnvironment if sandboxed else _Environment
        self.environment = env_class(
            loader=jinja2.ChoiceLoader(loaders),
            undefined=_Missing,
            autoescape=jinja2.select_autoescape(
                enabled_extensions=("html", "htm", "xml"),
                disabled_extensions=("txt", "md"),
                default_for_string=False,
                default=False,
            ),
            finalize=_finalize,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
            cache_size=1_000,
        )
        i18n.install(self.environment)
        self.environment.globals["require"] = _require
        self.environment.filters.update(FILTERS)
        self.environment.tests["fits"] = _fits
        self.environment.tests["none"] = _is_none
        if isinstance(self.environment, _SandboxedEnvironment):
            sandbox.configure(
                self.environment,
                max_output=max_output,
                max_range=max_range,
                max_work=max_work,
                max_depth=max_depth,
            )
        self._siblings: dict[tuple[str, str], jinja2.Template | None] = {}

    @classmethod
    def from_strings(cls, sources: Mapping[str, str], **options: Any) -> Templates:
        """Return templates made from source text by name, e.g. in a notebook.

        The built-ins stay reachable (``{% extends "outreach/alumni" %}``)
        unless ``builtins=False`` is passed.
        """
        return cls(strings=sources, **options)

    def add(self, name: str, source: str) -> None:
        """Add or replace a template given as source text (searched before every folder)."""
        self._strings[name] = source
        self.environment.cache.clear()  # type: ignore[union-attr]
        self._siblings.clear()

    def names(self) -> list[str]:
        """Return the names of every renderable template, sorted (layouts under ``_`` excluded)."""
        found = {_public_name(n) for n in self.environment.list_templates()}
        return sorted(n for n in found if n)

    def variables(self, name: str) -> frozenset[str]:
        """Return the context names a template reads, following ``extends`` and ``include``.

        Names infoview supplies itself (``locale``, ``register``, …) are left
        out, and so are ``contact`` and ``sender`` when ``interview`` is among
        them (render takes them from the interview).
        """
        seen: set[str] = set()
        found: set[str] = set()
        declared: set[str] = set()
        todo = [name]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            source = self._source(current)
            try:
                ast = self.environment.parse(source)
            except jinja2.TemplateSyntaxError as exc:
                raise _syntax_error(current, exc) from exc
            found |= jinja2.meta.find_undeclared_variables(ast)
            declared |= _declared(ast)
            todo.extend(n for n in jinja2.meta.find_referenced_templates(ast) if n)
            for ext in (HTML, MARKDOWN):
                sibling = current + ext
                if sibling not in seen and self._exists(sibling):
                    todo.append(sibling)
        found -= set(self.environment.globals) | _SUPPLIED | declared
        if "interview" in found:
            found -= {"contact", "sender"}
        return frozenset(found)

    def _source(self, name: str) -> str:
        loader = self.environment.loader
        assert loader is not None  # noqa: S101 - set in __init__
        try:
            return loader.get_source(self.environment, name)[0]
        except jinja2.TemplateNotFound:
            raise self._unknown(name) from None

    def _exists(self, name: str) -> bool:
        try:
            self._source(name)
        except UnknownTemplateError:
            return False
        return True

    def _unknown(self, name: str) -> UnknownTemplateError:
        return UnknownTemplateError(
            name, list(self._places), difflib.get_close_matches(name, self.names(), n=3)
        )

    def get_template(self, name: str) -> jinja2.Template:
        """Return the compiled template (cached), or raise UnknownTemplateError."""
        try:
            return self.environment.get_template(name)
        except jinja2.TemplateNotFound as exc:
            missing = exc.name if isinstance(exc.name, str) else name
            if missing not in (name, name + TEXT):
                # A template that exists extends or includes one that does not.
                raise UnknownTemplateError(missing, list(self._places)) from None
            raise self._unknown(name) from None
        except jinja2.TemplateSyntaxError as exc:
            raise _syntax_error(name, exc) from exc

    def _sibling(self, name: str, ext: str) -> jinja2.Template | None:
        key = (name, ext)
        if key not in self._siblings:
            self._siblings[key] = (
                self.get_template(name + ext) if self._exists(name + ext) else None
            )
        return self._siblings[key]

    # ------------------------------------------------------------------ render

    def render(self, name: str, /, *, locale: str | None = None, **context: Any) -> Draft:
        """Render a template into a :class:`~infoview.draft.Draft`.

        Args:
            name: The template, e.g. ``"outreach/alumni"``.
            locale: Write in this locale instead of the recipient's.
            **context: The template's variables; most templates take
                ``interview=``. ``contact`` and ``sender`` default to the
                interview's; ``recipient`` (whom the draft goes to) defaults to
                ``contact``. ``None`` or blank values count as not given.

        Raises:
            UnknownTemplateError: No template has that name.
            MissingValueError: The template printed a value that is missing or blank.
            SandboxError: Sandboxed mode refused the template.
        """
        template = self.get_template(name)
        values = self._context(context, locale)
        try:
            text, subject = self._run(template, values)
            html = self._render_sibling(name, HTML, values)
            markdown = self._render_sibling(name, MARKDOWN, values)
        except _MissingValue as exc:
            raise _missing_error(name, exc.undefined, values) from None
        except jinja2.UndefinedError as exc:
            raise _missing_error(name, _Missing(hint=str(exc)), values) from None
        except jinja2.exceptions.SecurityError as exc:
            raise SandboxError(name, str(exc)) from None
        except jinja2.TemplateNotFound as exc:
            # An include, import or extends resolved while rendering.
            missing = exc.name if isinstance(exc.name, str) else str(exc)
            raise UnknownTemplateError(missing, list(self._places)) from None
        except jinja2.TemplateSyntaxError as exc:
            raise _syntax_error(name, exc) from exc
        except InfoviewError:
            raise
        except RecursionError as exc:
            raise TemplateError(
                name, _template_line(exc), "it calls itself without end (a macro or include)"
            ) from exc
        except Exception as exc:  # anything the template's own expressions raise
            raise TemplateError(name, _template_line(exc), f"{type(exc).__name__}: {exc}") from exc
        original = values.get("original")
        thread: tuple[str, ...] = ()
        if isinstance(original, Draft):
            thread = (*original.references, original.message_id)
        return Draft(
            subject=subject or "",
            text=_tidy(text),
            html=html,
            markdown=_tidy(markdown) if markdown is not None else None,
            locale=values["_locale_id"],
            recipient=values.get("recipient"),
            sender=values.get("sender"),
            template=name,
            in_reply_to=original.message_id if isinstance(original, Draft) else None,
            references=thread,
            interview=values.get("interview"),
        )

    def render_follow_up(self, follow_up: FollowUp, **context: Any) -> Draft:
        """Render the draft a follow-up calls for, addressed to its contact.

        The template gets :meth:`FollowUp.context` (``interview``,
        ``recipient``, and ``person`` or ``referrer`` by kind); ``context``
        adds or overrides variables, e.g. ``original=`` (the Draft you sent)
        for a nudge. A reply to an introduction copies the introducer.
        """
        values = {**follow_up.context(), **context}
        draft = self.render(follow_up.template, **values)
        referrer = values.get("referrer")
        introduced = follow_up.kind is FollowUpKind.INTRO_REPLY
        if introduced and isinstance(referrer, Contact) and referrer.email:
            draft = draft.with_changes(cc=(*draft.cc, referrer))
        return draft

    def _context(self, context: Mapping[str, Any], locale: str | None) -> dict[str, Any]:
        values = {k: v for k, v in context.items() if not _is_blank(v)}
        interview = values.get("interview")
        if isinstance(interview, Interview):
            values.setdefault("contact", interview.contact)
            values.setdefault("sender", interview.sender)
        if "contact" in values:
            values.setdefault("recipient", values["contact"])
        recipient = values.get("recipient")
        register = getattr(recipient, "register", Register.FORMAL)
        resolved = choose_locale(locale, recipient, values.get("sender"))
        values.update(i18n.render_context(resolved, Register(register)))
        values["_locale_id"] = resolved.id
        values["social_limit"] = self.social_limit
        return values

    def _run(self, template: jinja2.Template, values: dict[str, Any]) -> tuple[str, str | None]:
        ctx = template.new_context(values)
        text = self._join(template.root_render_func(ctx))
        subject = None
        if "subject" in ctx.blocks:
            subject = self._join(ctx.blocks["subject"][0](ctx)).strip()
        return text, subject

    def _render_sibling(self, name: str, ext: str, values: dict[str, Any]) -> str | None:
        template = self._sibling(name, ext)
        if template is None:
            return None
        return self._run(template, values)[0]

    def _join(self, chunks: Iterator[str]) -> str:
        if isinstance(self.environment, _SandboxedEnvironment):
            return sandbox.join(self.environment, chunks)
        return "".join(chunks)

    def __repr__(self) -> str:
        folders = ", ".join(str(p) for p in self.search_path)
        return f"Templates(search_path=[{folders}], sandboxed={self.sandboxed})"


def _template_line(exc: BaseException) -> int | None:
    """Return the template line where ``exc`` was raised (the innermost template frame)."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        template = tb.tb_frame.f_globals.get("__jinja_template__")
        if template is not None:
            line = template.get_corresponding_lineno(tb.tb_lineno)
        tb = tb.tb_next
    return line


def _syntax_error(name: str, exc: jinja2.TemplateSyntaxError) -> TemplateError:
    where = exc.name or exc.filename or name
    template = where.removesuffix(TEXT) if isinstance(where, str) else name
    return TemplateError(template, exc.lineno, f"syntax error: {exc.message}")


def _is_none(value: Any) -> bool:
    """Test ``none``: true for ``None`` and for a blank attribute or item."""
    return value is None or isinstance(value, _Blank)


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
    optional = {
        node.node.name
        for node in ast.find_all((jinja2.nodes.Test, jinja2.nodes.Filter))
        if isinstance(node, jinja2.nodes.Test | jinja2.nodes.Filter)
        and node.name in {"defined", "undefined", "default", "d"}
        and isinstance(node.node, jinja2.nodes.Name)
    }
    return names - optional


def _require(value: Any, name: str, hint: str = "") -> Any:
    """Template global: return ``value``, or raise MissingValueError naming ``name`` if empty."""
    if (
        isinstance(value, jinja2.Undefined)
        or _is_blank(value)
        or (hasattr(value, "__len__") and not len(value))
    ):
        raise _MissingValue(_Missing(name=name, hint=hint or None))
    return value


def _paragraph(text: Any) -> str:
    """Filter: join a paragraph's lines and spaces into one line of text."""
    return " ".join(str(text).split())


def _quote(text: Any) -> str:
    """Filter: quote text as a reply does, ``> `` before every line."""
    return "\n".join(f"> {line}".rstrip() for line in str(text).strip("\n").splitlines())


# Inline Markdown: emphasis, code, links, headings, tables, strike-through.
# (".", "-", "+" and "!" only matter at the start of a line or before "[",
# and templates print user text after their own markup.)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]#|~])")


def _markdown(text: Any) -> str:
    """Filter: escape Markdown punctuation and HTML in user text printed inline in .md."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
    return escaped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _clock(minutes: int) -> str:
    """Filter: minutes into the conversation as a clock, ``2`` → ``0:02``."""
    return f"{int(minutes) // 60}:{int(minutes) % 60:02d}"


def _fits(text: Any, budget: int) -> bool:
    """Test: whether text is at most ``budget`` characters long."""
    return len(str(text)) <= budget


FILTERS: dict[str, Callable[..., Any]] = {
    "clock": _clock,
    "md": _markdown,
    "paragraph": _paragraph,
    "quote": _quote,
}


def _tidy(text: str) -> str:
    """Strip trailing spaces and runs of blank lines that template layout leaves behind."""
    lines = [line.rstrip() for line in text.strip("\n").splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def _missing_error(name: str, undefined: _Missing, values: Mapping[str, Any]) -> MissingValueError:
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


_default: Templates | None = None


def default_templates() -> Templates:
    """Return the default template set (built-ins only), created on first use."""
    global _default  # noqa: PLW0603 - one lazily built default, like logging's root logger
    if _default is None:
        _default = Templates()
    return _default


def render(name: str, /, *, locale: str | None = None, **context: Any) -> Draft:
    """Render a template from the default set; see :meth:`Templates.render`."""
    return default_templates().render(name, locale=locale, **context)
