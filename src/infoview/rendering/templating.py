"""Templates: finding, loading and rendering the messages around an interview.

One :class:`Templates` object holds one Jinja2 environment, built once and
reused; Jinja caches the compiled templates. Its loaders search, in order,
templates added from strings, your folders, then the built-in ``templates/``.

A template name has no extension: ``"outreach/alumni"`` is the file
``outreach/alumni.txt``. Siblings with the same name add other parts of the
draft: ``.html`` (autoescaped) and ``.md`` (Markdown).

Nothing renders as a blank (see :mod:`infoview.rendering.blanks`): printing a missing,
``None`` or blank value raises :class:`~infoview.errors.MissingValueError`
naming the template, the variable and the contact; a field an object lacks, a
block the layout lacks or a message without a subject is a
:class:`~infoview.errors.TemplateError` saying what to fix. What each built-in
is for and needs is in :mod:`infoview.rendering.registry`; :meth:`Templates.describe`
shows it.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import jinja2

from infoview.errors import (
    InfoviewError,
    SandboxError,
    TemplateError,
    UnknownTemplateError,
    UnknownValueError,
    ValidationError,
    WrongTypeError,
)
from infoview.language import i18n, natural
from infoview.mail.draft import Draft
from infoview.model.contact import Contact, Register
from infoview.model.interview import Interview
from infoview.model.lifecycle import Status
from infoview.rendering import blanks, filters, introspect, loaders, registry, specialize
from infoview.rendering.blanks import Missing, MissingValue, NoField, missing_error, no_field_error
from infoview.rendering.loaders import (
    HTML,
    MARKDOWN,
    TEXT,
    builtin_templates_path,
    public_name,
    syntax_error,
)
from infoview.rendering.registry import TemplateDescription

if TYPE_CHECKING:
    import infoview.rendering.preview

__all__ = [
    "Templates",
    "builtin_templates_path",
    "default_templates",
    "environment_options",
    "render",
    "wire",
]

_NO_SUBJECT = (
    "renders no subject line, and a message needs one; give it "
    "{% block subject %}…{% endblock %} that prints one"
)
# Names infoview supplies to every render; not something a caller must give.
_SUPPLIED = frozenset({"locale", "register", "_translations", "social_limit", "recipient"})
# The defaults of Templates.preview: infoview.rendering.preview's LOCALES and REGISTERS,
# written here so that rendering does not load the preview (tests/test_template_cache.py).
_PREVIEW_LOCALES = ("en", "de", "fr", "es")
_PREVIEW_REGISTERS = ("formal", "informal")
# Names every render takes, whether or not the template reads them: its own, and
# those a follow-up passes (FollowUp.context(), by the registry).
_TAKEN = frozenset(
    {"interview", "contact", "sender", "recipient", "original", "follow_up"}
    | {name for info in registry.TEMPLATES.values() for name, _ in info.follow_up_context}
)
# What each of those names must be, and how to make one.
_TYPES: dict[str, tuple[type, str]] = {
    "interview": (Interview, "build one with Interview(contact=…, sender=…)"),
    "contact": (Contact, "build one with Contact(name=…, email=…)"),
    "sender": (Contact, "build one with Contact(name=…, email=…)"),
    "recipient": (Contact, "build one with Contact(name=…, email=…)"),
    "original": (Draft, "pass the Draft you sent"),
}


# --------------------------------------------------------------------------- the environment


def environment_options() -> dict[str, Any]:
    """The keyword arguments of every environment a :class:`Templates` makes.

    Undefined names raise, ``.html`` is autoescaped, nothing prints as a
    blank (:func:`infoview.rendering.blanks.finalize`), and a block tag takes
    its line with it.
    """
    return {
        "undefined": Missing,
        "autoescape": jinja2.select_autoescape(
            enabled_extensions=("html", "htm", "xml"),
            disabled_extensions=("txt", "md"),
            default_for_string=False,
            default=False,
        ),
        "finalize": blanks.finalize,
        "keep_trailing_newline": True,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "auto_reload": False,
        "cache_size": -1,  # a plain dict: the names are the set's own, and add() clears it
    }


def wire(environment: jinja2.Environment) -> None:
    """Give an environment infoview's gettext, filters, tests and globals: the one place.

    The normal and the sandboxed environment of :class:`Templates` are both
    wired here, and so can be a plain ``jinja2.Environment(**environment_options())``
    (the tests render through one to compare). The sandbox adds its bounds
    afterwards (:func:`infoview.sandbox.configure`).
    """
    i18n.install(environment)
    natural.install(environment)  # objects print as text (infoview.language.natural)
    environment.globals["require"] = blanks.require
    environment.filters.update(filters.FILTERS)
    environment.tests.update(filters.TESTS)
    environment.tests["none"] = blanks.is_none
    blanks.refuse_blanks_in_filters(environment.filters)
    environment.filters[specialize.NONBLANK] = blanks.finalize


# --------------------------------------------------------------------------- Templates


class FollowUpLike(Protocol):
    """What rendering needs of a follow-up; :class:`~infoview.FollowUp` is one.

    Rendering sits below the follow-ups, so it names what it reads rather than
    importing the class.
    """

    @property
    def kind(self) -> str:
        """The follow-up kind (a ``FollowUpKind``, which is a string)."""

    @property
    def template(self) -> str:
        """The name of the template that renders it."""

    def context(self) -> dict[str, Any]:
        """Return the template variables that render it."""


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

    # Compile per language (infoview.rendering.specialize); off only to compare against in tests.
    _SPECIALIZE = True

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
        loader, self._places = loaders.search(self._strings, self.search_path, builtins=builtins)
        env_class: type[jinja2.Environment] = (
            blanks.SandboxedEnvironment if sandboxed else blanks.Environment
        )
        self.environment = env_class(loader=loader, **environment_options())
        wire(self.environment)
        if not sandboxed:  # a built-in's check reads the code kept from the last process
            self.environment.bytecode_cache = specialize.BuiltinBytecode()
        if sandboxed and isinstance(self.environment, blanks.SandboxedEnvironment):
            from infoview import sandbox  # noqa: PLC0415 - only a sandboxed set loads it

            sandbox.configure(
                self.environment,
                max_output=max_output,
                max_range=max_range,
                max_work=max_work,
                max_depth=max_depth,
            )
        self._siblings: dict[tuple[str, str], bool] = {}
        self._languages = i18n.RenderLanguages()
        # Compiled per (locale, register): see infoview.rendering.specialize.
        self._compiled = specialize.Compiled(
            self.environment, enabled=self._SPECIALIZE and not sandboxed
        )
        # The layouts each template extends, once its blocks were checked.
        self._extends: dict[str, tuple[str, ...]] = {}
        # Built-ins alone (no folders, no sandbox): a name of the registry is a built-in's file.
        self._only_builtins = builtins and not self.search_path and not sandboxed
        # The names each template reads (variables), parsed out once.
        self._reads: dict[str, frozenset[str]] = {}
        # The syntax trees the introspection reads (never changes), parsed once.
        self._trees: dict[str, jinja2.nodes.Template] = {}

    @classmethod
    def from_strings(cls, sources: Mapping[str, str], **options: Any) -> Templates:
        """Return templates made from source text by name, e.g. in a notebook.

        The built-ins stay reachable (``{% extends "outreach/alumni" %}``)
        unless ``builtins=False`` is passed.
        """
        return cls(strings=sources, **options)

    def add(self, name: str, source: str) -> None:
        """Add or replace a template given as source text (searched before every folder).

        It changes this object, like Jinja2's ``Environment``: a Templates is
        one configured environment whose compiled templates are cached, not a
        value (it drops the cached ones this name may affect).
        """
        self._strings[name] = source
        self.environment.cache.clear()  # type: ignore[union-attr]
        self._siblings.clear()
        self._extends.clear()
        self._compiled.clear()
        self._reads.clear()
        self._trees.clear()

    def names(self) -> list[str]:
        """Return the names of every renderable template, sorted (layouts under ``_`` excluded)."""
        found = {public_name(n) for n in self.environment.list_templates()}
        return sorted(n for n in found if n)

    def variables(self, name: str) -> frozenset[str]:
        """Return the context names a template reads, following ``extends`` and ``include``.

        Names infoview supplies itself (``locale``, ``register``, …) are left
        out, and so are ``contact`` and ``sender`` when ``interview`` is among
        them (render takes them from the interview).
        """
        found = self._reads.get(name)
        if found is None:  # parsed once per template until one is added
            supplied = set(self.environment.globals) | _SUPPLIED
            found = introspect.variables(self._parse, self._exists, name, supplied)
            self._reads[name] = found
        return found

    def describe(self, name: str) -> TemplateDescription:
        """Return what a template is for, what it needs and which blocks you can override.

        A built-in is described by :mod:`infoview.rendering.registry` (purpose, inputs
        with their type, shape and an example, blocks); a template of yours
        by its source: the first sentence of the comment it opens with, what
        it reads (inputs without a type, optional when it checks ``is
        defined`` or gives a ``default``) and the blocks it has (a message's
        include ``subject``).

        Raises:
            UnknownTemplateError: No template has that name.
            TemplateError: A template of yours has a syntax error, or a block its layout lacks.
        """
        if name in registry.TEMPLATES and self._is_builtin(name):
            return registry.TEMPLATES[name].describe()
        self.get_template(name)
        self._refuse_misspelled(name)
        optional = introspect.optional(self._parse, self._exists, name)
        inputs = tuple(
            registry.Input(n, "", "", "", required=n not in optional)
            for n in sorted(self.variables(name))
        )
        formats = ("txt", *(e[1:] for e in (MARKDOWN, HTML) if self._exists(name + e)))
        blocks = introspect.blocks(self._parse, name)
        if self._is_message(name) and "subject" not in blocks:
            blocks = ("subject", *blocks)
        purpose = introspect.purpose(self._source(name)) or "no description"
        return TemplateDescription(name, purpose, inputs, blocks, formats)

    def preview(
        self,
        name: str,
        interviews_or_samples: Interview | Iterable[Interview] | None = None,
        *,
        locales: Sequence[str] = _PREVIEW_LOCALES,
        registers: Sequence[str | Register] = _PREVIEW_REGISTERS,
    ) -> infoview.rendering.preview.Preview:
        """Return a template's drafts in each language and register, each with its lint findings.

        With no interview it renders the built-in sample in every shipped
        language, so ``preview("mine/alumni")`` alone shows something. In a
        notebook the result is a table; ``str()`` of it is plain text (see
        ``infoview.rendering.preview``).
        """
        from infoview.rendering import preview as preview_module  # noqa: PLC0415 - on first use

        return preview_module.preview(
            self, name, interviews_or_samples, locales=locales, registers=registers
        )

    def blocks(self, name: str) -> dict[str, str]:
        """Return the source of each block a template renders, by name, to copy one and start from.

        A block the template overrides is its own; the others are those of the
        layouts it extends (``{% block body %}…{% endblock %}`` as written there).

        Raises:
            UnknownTemplateError: No template has that name.
            TemplateError: It has a syntax error, or a block its layout lacks.
        """
        self.get_template(name)
        chain = (name, *self._extends.get(name, ()))
        from infoview.rendering import preview as preview_module  # noqa: PLC0415 - on first use

        return preview_module.block_sources([self._source(each) for each in chain])

    def save(self, folder: str | os.PathLike[str]) -> list[Path]:
        """Write the templates given as strings (never the built-ins) as files into ``folder``.

        ``Templates([folder])`` and ``infoview … --templates folder`` then read
        the same templates: ``mine/alumni`` becomes ``mine/alumni.txt``, a file
        already there is replaced. Returns the files written.

        Raises:
            TemplateError: A name would leave the folder (absolute, or with ``..``).
        """
        from infoview.rendering import preview as preview_module  # noqa: PLC0415 - on first use

        return preview_module.save(self._strings, folder)

    def _refuse_misspelled(self, name: str) -> None:
        """Raise TemplateError for a name read that looks like one every render gives.

        ``{{ sendr.name }}`` would otherwise be an input nobody can guess.
        """
        for read in sorted(self.variables(name)):
            close = difflib.get_close_matches(read, sorted(_TAKEN), n=1, cutoff=0.8)
            if close and read not in _TAKEN:
                raise TemplateError(
                    name,
                    None,
                    f"it reads {read!r}, which no render gives (did you mean {close[0]!r}?)",
                )

    def _check_given(self, name: str, context: Mapping[str, Any]) -> None:
        """Refuse a value of the wrong type, or by a name the template never reads."""
        for key, (kind, hint) in _TYPES.items():
            value = context.get(key)
            if value is not None and not isinstance(value, kind):
                raise WrongTypeError("render", key, value, kind.__name__, hint)
        _refuse_thanks_too_early(name, context.get("interview"))
        extra = {k for k, v in context.items() if not blanks.is_blank(v)} - _TAKEN - _SUPPLIED
        if not extra:
            return
        reads = self._reads[name] if name in self._reads else self.variables(name)
        if unknown := sorted(extra - reads):
            raise UnknownValueError(name, unknown[0], reads - _TAKEN)

    def _is_builtin(self, name: str) -> bool:
        """Whether ``name`` is found in the built-in folder (not replaced by one of yours)."""
        return loaders.is_builtin_file(self._load(name)[1])

    def _parse(self, name: str) -> jinja2.nodes.Template:
        """Return the syntax tree of ``name``, parsed once until a template is added (read only)."""
        tree = self._trees.get(name)
        if tree is None:
            try:
                tree = self._trees[name] = self.environment.parse(self._source(name))
            except jinja2.TemplateSyntaxError as exc:
                raise syntax_error(name, exc) from exc
        return tree

    def _source(self, name: str) -> str:
        return self._load(name)[0]

    def _load(self, name: str) -> tuple[str, str | None]:
        """Return a template's source and file name, or raise UnknownTemplateError."""
        loader = self.environment.loader
        assert loader is not None  # noqa: S101 - set in __init__
        try:
            return loader.get_source(self.environment, name)[:2]
        except jinja2.TemplateNotFound:
            raise self._unknown(name) from None

    def _exists(self, name: str) -> bool:
        loader = self.environment.loader
        assert loader is not None  # noqa: S101 - set in __init__
        try:
            loader.get_source(self.environment, name)
        except jinja2.TemplateNotFound:  # (no UnknownTemplateError: its suggestions list the set)
            return False
        return True

    def _unknown(self, name: str) -> UnknownTemplateError:
        return UnknownTemplateError(
            name, list(self._places), difflib.get_close_matches(name, self.names(), n=3)
        )

    def get_template(self, name: str) -> jinja2.Template:
        """Return the compiled template (cached).

        Raises:
            UnknownTemplateError: No template has that name.
            TemplateError: It has a syntax error, or overrides a block that the
                template it extends does not have (the message lists those it has).
        """
        try:
            template = self.environment.get_template(name)
        except jinja2.TemplateNotFound as exc:
            missing = exc.name if isinstance(exc.name, str) else name
            if missing not in (name, name + TEXT):
                # A template that exists extends or includes one that does not.
                raise UnknownTemplateError(missing, list(self._places)) from None
            raise self._unknown(name) from None
        except jinja2.TemplateSyntaxError as exc:
            raise syntax_error(name, exc) from exc
        if name not in self._extends:
            self._extends[name] = (
                introspect.builtin_extends(name)  # kept in the template cache
                if self._only_builtins and not self._strings and name in registry.TEMPLATES
                else introspect.check_blocks(self._parse, name)
            )
        return template

    def _is_message(self, name: str) -> bool:
        if name not in self._extends:  # a built-in read from the cache: its layouts read now
            self.get_template(name)
        return introspect.is_message((name, *self._extends.get(name, ())))

    def _has_sibling(self, name: str, ext: str) -> bool:
        key = (name, ext)
        if key not in self._siblings:
            self._siblings[key] = self._exists(name + ext)
            if self._siblings[key]:
                self.get_template(name + ext)  # its faults are reported as for any template
        return self._siblings[key]

    # ------------------------------------------------------------------ render

    def render(self, name: str, /, *, locale: str | None = None, **context: Any) -> Draft:
        """Render a template into a :class:`~infoview.mail.draft.Draft`.

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
            TemplateError: The template is at fault: a syntax error, a block its
                layout lacks, a message without a subject, a field an object does
                not have (``contact.frist_name``), or an expression that failed.
            SandboxError: Sandboxed mode refused the template.
        """
        self._check_given(name, context)
        return self._render(name, locale, context)

    def _render(self, name: str, locale: str | None, context: Mapping[str, Any]) -> Draft:
        """Render with values already checked (:meth:`render`)."""
        values = self._context(context, locale)
        template = self._compiled.ready(name, values) or self._compiled.stored(name, values)
        if template is None:  # (a built-in read from the compiled-template cache has no fault)
            self.get_template(name)  # reports an unknown or faulty template
        try:
            template = template or self._compiled.compile(name, values)
            text, subject = self._run(template, values)
            html = self._render_sibling(name, HTML, values)
            markdown = self._render_sibling(name, MARKDOWN, values)
        except MissingValue as exc:
            raise _missing(name, exc, values) from None
        except jinja2.UndefinedError as exc:
            raise missing_error(name, Missing(hint=str(exc)), values) from None
        except jinja2.exceptions.SecurityError as exc:
            raise SandboxError(name, str(exc)) from None
        except jinja2.TemplateNotFound as exc:
            # An include, import or extends resolved while rendering.
            missing = exc.name if isinstance(exc.name, str) else str(exc)
            raise UnknownTemplateError(missing, list(self._places)) from None
        except jinja2.TemplateSyntaxError as exc:
            raise syntax_error(name, exc) from exc
        except InfoviewError:
            raise
        except RecursionError as exc:
            raise TemplateError(
                name, loaders.template_line(exc), "it calls itself without end (a macro or include)"
            ) from exc
        except Exception as exc:  # anything the template's own expressions raise
            raise TemplateError(
                name, loaders.template_line(exc), f"{type(exc).__name__}: {exc}"
            ) from exc
        if not subject and self._is_message(name):
            raise TemplateError(name, None, _NO_SUBJECT)
        original = values.get("original")
        thread: tuple[str, ...] = ()
        if isinstance(original, Draft):
            thread = (*original.references, original.message_id)
        return Draft(
            subject=subject or "",
            text=filters.tidy(text),
            html=html,
            markdown=filters.tidy(markdown) if markdown is not None else None,
            locale=str(values["locale"]),
            recipient=values.get("recipient"),
            sender=values.get("sender"),
            template=name,
            in_reply_to=original.message_id if isinstance(original, Draft) else None,
            references=thread,
            interview=values.get("interview"),
        )

    def render_follow_up(self, follow_up: FollowUpLike, **context: Any) -> Draft:
        """Render the draft a follow-up calls for, addressed to its contact.

        The template gets :meth:`FollowUp.context` (``interview``,
        ``recipient``, and ``person`` or ``referrer`` by kind); ``context``
        adds or overrides variables, e.g. ``original=`` (the Draft you sent)
        for a nudge. The contacts the registry's ``copies`` name are copied
        (Cc): a reply to an introduction copies the introducer.
        """
        given = follow_up.context()
        self._check_given(follow_up.template, {k: v for k, v in context.items() if k not in given})
        values = {**given, **context}
        locale = values.pop("locale", None)
        self._check_given(follow_up.template, {k: values[k] for k in _TYPES if k in values})
        draft = self._render(follow_up.template, locale, values)
        for variable in registry.for_follow_up(str(follow_up.kind)).copies:
            copied = values.get(variable)
            if isinstance(copied, Contact) and copied.email:
                draft = draft.with_changes(cc=(*draft.cc, copied))
        return draft

    def _context(self, context: Mapping[str, Any], locale: str | None) -> dict[str, Any]:
        values = {k: v for k, v in context.items() if not blanks.is_blank(v)}
        interview = values.get("interview")
        if isinstance(interview, Interview):
            values.setdefault("contact", interview.contact)
            values.setdefault("sender", interview.sender)
        if "contact" in values:
            values.setdefault("recipient", values["contact"])
        recipient = values.get("recipient")
        recipient = recipient if isinstance(recipient, Contact) else None
        sender = values.get("sender")
        sender = sender if isinstance(sender, Contact) else None
        register = recipient.register if recipient is not None else Register.FORMAL
        values.update(self._languages(locale, recipient, sender, register))
        values["social_limit"] = self.social_limit
        return values

    def _run(self, template: jinja2.Template, values: dict[str, Any]) -> tuple[str, str | None]:
        ctx = specialize.new_context(template, values)
        text = self._join(template.root_render_func(ctx))
        subject = None
        if "subject" in ctx.blocks:
            subject = self._join(ctx.blocks["subject"][0](ctx)).strip()
        return text, subject

    def _render_sibling(self, name: str, ext: str, values: dict[str, Any]) -> str | None:
        if not self._has_sibling(name, ext):
            return None
        return self._run(self._compiled.compile(name + ext, values), values)[0]

    def _join(self, chunks: Iterator[str]) -> str:
        # (Asking a plain set for blanks.SandboxedEnvironment would load the sandbox.)
        if self.sandboxed and isinstance(self.environment, blanks.SandboxedEnvironment):
            from infoview import sandbox  # noqa: PLC0415 - only a sandboxed set loads it

            return sandbox.join(self.environment, chunks)
        return "".join(chunks)

    def __repr__(self) -> str:
        folders = ", ".join(str(p) for p in self.search_path)
        return f"Templates(search_path=[{folders}], sandboxed={self.sandboxed})"


def _refuse_thanks_too_early(name: str, interview: Interview | None) -> None:
    """Refuse a thank-you for an interview still scheduled for a time to come."""
    if interview is None or not registry.after_the_interview(name):
        return
    at = interview.scheduled_at
    if interview.status is Status.SCHEDULED and at is not None and at > datetime.now(UTC):
        raise ValidationError(
            "render",
            "interview",
            interview,
            f"{name} thanks {interview.contact.name} for an interview that has not taken place "
            f"(it is scheduled for {at.isoformat(' ', 'minutes')})",
            "render it after the interview, and record it with interview.complete()",
        )


def _missing(name: str, exc: MissingValue, values: Mapping[str, Any]) -> InfoviewError:
    """Return the error for a missing value: a field no object has, a misspelling, or missing."""
    if isinstance(exc.undefined, NoField):
        return no_field_error(name, exc.undefined, values, loaders.template_line(exc))
    if misspelled := _misspelled(exc.undefined, values):
        return TemplateError(name, loaders.template_line(exc), misspelled)
    return missing_error(name, exc.undefined, values)


def _misspelled(undefined: Missing, values: Mapping[str, Any]) -> str | None:
    """Say which given name a missing top-level name looks like, if one does closely."""
    variable = undefined._undefined_name
    if not isinstance(undefined._undefined_obj, type(jinja2.utils.missing)) or not variable:
        return None
    given = sorted(k for k in values if not k.startswith("_") and k not in _SUPPLIED - _TAKEN)
    close = difflib.get_close_matches(variable, given, n=1, cutoff=0.8)
    if not close or close[0] == variable:
        return None
    return f"{variable!r} is no value this render has (did you mean {close[0]!r}?)"


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
