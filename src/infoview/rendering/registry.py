"""The registry: one table of the built-in templates and the facts about each.

A fact about a built-in template that its source cannot tell is written here
once and read by everyone else: its name, kind and purpose, what each input
it reads is (type, shape, an example, what it is for), the follow-up kind it
serves and what that follow-up passes it, who is copied then, and which lint
rules apply. What the source tells (the inputs it reads and which are
required, its blocks, its formats) is read from the template itself
(:mod:`infoview.rendering.introspect`), as for a template of yours. The
follow-ups, lint, rendering, the docs and the command line all read
:data:`TEMPLATES`.

This module imports nothing from the model, so the model can read it: kinds
of follow-up and contact sources are written as their string values.

A template's name is its path under ``templates/`` without the extension.
``thank_you`` is the one built-in at the root of that folder: the name is
pinned, and moving the file under an alias would make a user's
``thank_you.txt``, which replaces the built-in, stop doing so.
"""

from __future__ import annotations

import difflib
import functools
import html
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

import attrs

from infoview.errors import UnknownTemplateError, ValidationError

if TYPE_CHECKING:
    from infoview.model.contact import Contact

__all__ = [
    "FOLLOW_UP_SOURCES",
    "LANGUAGE_RULES",
    "TEMPLATES",
    "Annotation",
    "Input",
    "TemplateDescription",
    "TemplateInfo",
    "after_the_interview",
    "for_follow_up",
    "info",
    "lint_rules",
    "outreach_template",
]


@attrs.frozen
class Input:
    """A value a template takes from the caller.

    Attributes:
        name: The keyword to pass to ``render``.
        type: ``"Interview"``, ``"Contact"``, ``"Draft"``, ``"Referral"``, ``"str"``
            (text, or text per language) or ``"Contact or str"``. Objects
            print as their natural text (:mod:`infoview.language.natural`).
        shape: How a text reads where it is printed: ``"name"``, ``"noun
            phrase"``, ``"verb phrase"``, ``"clause"`` or ``"noun phrase or
            clause"`` (inside a sentence, no final period), or ``"sentences"``
            (capitalized, final period added: ``|sentence``); ``"object"``.
        example: A value that fits.
        required: Whether the template fails without it.
        about: What it is for and what the template does without it.
    """

    name: str
    type: str
    shape: str
    example: str
    required: bool = False
    about: str = ""

    def __str__(self) -> str:
        need = "required" if self.required else "optional"
        kind = ", ".join(part for part in (self.type, self.shape) if part not in ("", "object"))
        text = f"{self.name} ({need}{', ' + kind if kind else ''})"
        if self.about:
            text += f": {self.about}"
        if self.example:
            text += f"; e.g. {self.example}"
        return text


@attrs.frozen
class Annotation:
    """What the registry says of an input a built-in reads: all its source cannot tell.

    Attributes:
        type: As ``Input.type``: ``"Interview"``, ``"str"``, …
        shape: As ``Input.shape``: how a text reads where it is printed.
        example: A value that fits.
        about: What it is for and what the template does without it.
    """

    type: str
    shape: str
    example: str
    about: str


@attrs.frozen
class TemplateDescription:
    """What a template is for, what it needs and what you can change (``Templates.describe``).

    Attributes:
        name: The template's name.
        purpose: What it is for, in one line.
        inputs: What a caller gives.
        blocks: The blocks a template extending it may override.
        formats: The parts it renders: ``"txt"``, ``"md"``, ``"html"``.
    """

    name: str
    purpose: str
    inputs: tuple[Input, ...]
    blocks: tuple[str, ...]
    formats: tuple[str, ...] = ("txt",)

    def __str__(self) -> str:
        lines = [f"{self.name}: {self.purpose}", "inputs:"]
        lines += [f"  {given}" for given in self.inputs] or ["  (none)"]
        lines.append(f"blocks: {', '.join(self.blocks) or '(none)'}")
        lines.append(f"formats: {', '.join(self.formats)}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """Show it in a notebook as a table: each input with its type, shape and example."""
        rows = "".join(
            f"<tr><td><code>{html.escape(given.name)}</code>"
            f"{'' if given.required else ' (optional)'}</td>"
            f"<td>{html.escape(given.type)}</td><td>{html.escape(given.shape)}</td>"
            f"<td><code>{html.escape(given.example)}</code></td>"
            f"<td>{html.escape(given.about)}</td></tr>"
            for given in self.inputs
        )
        blocks = ", ".join(f"<code>{html.escape(b)}</code>" for b in self.blocks) or "(none)"
        return (
            f"<p><b>{html.escape(self.name)}</b>: {html.escape(self.purpose)}</p>"
            "<table><tr><th>input</th><th>type</th><th>shape</th><th>example</th>"
            f"<th>about</th></tr>{rows or '<tr><td colspan=5>(none)</td></tr>'}</table>"
            f"<p>blocks: {blocks} · formats: {html.escape(', '.join(self.formats))}</p>"
        )


def _frozen(given: Mapping[str, Annotation]) -> Mapping[str, Annotation]:
    return MappingProxyType(dict(given))


@attrs.frozen
class TemplateInfo:
    """The facts about one built-in template that its source cannot tell.

    Its blocks, formats and the inputs it reads come from the template
    itself: see :meth:`describe`.

    Attributes:
        name: Its pinned name, e.g. ``"outreach/alumni"``.
        purpose: What it is for, in one line.
        inputs: What each input it reads is, by name, in the order
            :meth:`describe` lists them. An input it reads must be annotated
            here, and only those (tests/test_registry.py checks it).
        kind: ``"outreach"``, ``"scheduling"``, ``"questions"``,
            ``"thank_you"``, ``"referral"`` or ``"follow_up"`` (by default
            the name's folder).
        first_outreach: Whether it is a first message asking for the
            conversation (the outreach rules: a time-bound ask, short).
        sources: The contact sources (``Contact.source`` values) it is the
            outreach for; see :func:`infoview.outreach_template`.
        follow_up: The follow-up kind (a ``FollowUpKind`` value) it renders.
        follow_up_context: What that follow-up passes it beyond
            ``follow_up``, ``recipient`` and ``interview``: pairs of a variable
            and one of :data:`FOLLOW_UP_SOURCES`.
        copies: Variables whose contacts are copied (Cc) on the draft
            rendered for that follow-up.
        lint: The codes of the lint rules that apply to its drafts.
    """

    name: str
    purpose: str
    inputs: Mapping[str, Annotation] = attrs.field(converter=_frozen, hash=False)
    kind: str = attrs.field(
        default=attrs.Factory(lambda self: self.name.partition("/")[0], takes_self=True)
    )
    first_outreach: bool = False
    sources: tuple[str, ...] = ()
    follow_up: str | None = None
    follow_up_context: tuple[tuple[str, str], ...] = ()
    copies: tuple[str, ...] = ()
    lint: tuple[str, ...] = ("placeholder",)

    @property
    def blocks(self) -> tuple[str, ...]:
        """The blocks a template extending it may override, read from its source."""
        return self.describe().blocks

    @property
    def formats(self) -> tuple[str, ...]:
        """The parts it renders (``"txt"``, plus ``"md"`` and ``"html"``), from its files."""
        return self.describe().formats

    def describe(self) -> TemplateDescription:
        """Return what it is for, what it needs and what you can change.

        The inputs it reads (and which are required), its blocks and formats
        come from the built-in's source; each input's type, shape, example
        and use from :attr:`inputs`. An input it reads that has no annotation
        is listed after the others without a type, like one of a template of
        yours.
        """
        return _describe(self)


@functools.cache
def _describe(template: TemplateInfo) -> TemplateDescription:
    from infoview.rendering import introspect  # noqa: PLC0415 - introspect imports this module

    read = introspect.builtin_inputs(template.name)
    inputs = [
        Input(name, note.type, note.shape, note.example, read[name], note.about)
        for name, note in template.inputs.items()
        if name in read
    ]
    inputs += [Input(n, "", "", "", read[n]) for n in sorted(read) if n not in template.inputs]
    blocks, formats = introspect.builtin_layout(template.name)
    return TemplateDescription(template.name, template.purpose, tuple(inputs), blocks, formats)


#: The places a follow-up takes the values it passes its template from, which
#: are its contact (``recipient``), the interview's contact, and the introduction
#: promised in the interview whose person's name is the follow-up's ``about``.
FOLLOW_UP_SOURCES = frozenset({"recipient", "interview.contact", "introduction"})

# Lint checks every rule a template names, in lint's own order.
_OUTREACH_RULES = ("placeholder", "outreach-too-long", "outreach-attachment")
_FIRST_OUTREACH_RULES = (*_OUTREACH_RULES, "no-time-bound-ask", "job-ask")
# Drafts that carry the agenda: it must fit the slot.
_AGENDA_RULES = ("placeholder", "agenda-over-slot")
# A template not in the table gets the rules of its folder's kind.
_KIND_RULES = {"outreach": _OUTREACH_RULES}
#: Rules for every draft: the free text you inserted is in the draft's language.
LANGUAGE_RULES = ("free-text-language", "text-language")


def _interview(about: str = "") -> Annotation:
    about = about or "the conversation; contact and sender come from it, purpose said if set"
    return Annotation("Interview", "object", "samples.interview()", about)


def _object(type_: str, example: str, about: str) -> Annotation:
    return Annotation(type_, "object", example, about)


def _contact(about: str, example: str = "samples.referral()") -> Annotation:
    return _object("Contact", example, about)


def _text(shape: str, example: str, about: str) -> Annotation:
    return Annotation("str", shape, repr(example), about)


_REFERRAL = _object(
    "Referral",
    "interview.referrals[0]",
    "whom to be introduced to; defaults to the interview's first referral",
)
_MUTUAL = "who connects you (a Contact or a name); defaults to introduced_by"
_PERSON = _contact("the person to be introduced to, instead of referral")

_BUILTINS = (
    TemplateInfo(
        "outreach/alumni",
        "shared school first",
        {"interview": _interview("its contact needs a school")},
        first_outreach=True,
        sources=("alumni",),
        lint=_FIRST_OUTREACH_RULES,
    ),
    TemplateInfo(
        "outreach/referral",
        "the referrer named in the subject and first line",
        {
            "interview": _interview(),
            "referrer": _contact(
                "who referred you; defaults to introduced_by", "samples.introducer()"
            ),
        },
        first_outreach=True,
        sources=("referral",),
        follow_up="intro_reply",
        follow_up_context=(
            ("contact", "recipient"),
            ("person", "recipient"),
            ("referrer", "interview.contact"),
        ),
        copies=("referrer",),
        lint=_FIRST_OUTREACH_RULES,
    ),
    TemplateInfo(
        "outreach/event",
        "where you met and what you talked about",
        {
            "interview": _interview(),
            "event": _text("name", "HealthTech Summit 2026", "defaults to contact.source_detail"),
            "topic": _text("noun phrase", "patient-facing apps", "what you talked about"),
        },
        first_outreach=True,
        sources=("event", "conference"),
        lint=_FIRST_OUTREACH_RULES,
    ),
    TemplateInfo(
        "outreach/cold",
        "why this person, specifically",
        {
            "interview": _interview(),
            "reason": _text(
                "noun phrase or clause",
                "your talk on skills-based learning paths",
                "why them ('What made me write to you in particular: …'); else their work",
            ),
        },
        first_outreach=True,
        sources=("cold", "other"),
        lint=_FIRST_OUTREACH_RULES,
    ),
    TemplateInfo(
        "outreach/warm",
        "friend of a friend or family",
        {
            "interview": _interview(),
            "mutual": Annotation("Contact or str", "name", "'Jo Rivera'", _MUTUAL),
        },
        first_outreach=True,
        sources=("friends_family", "colleague"),
        lint=_FIRST_OUTREACH_RULES,
    ),
    TemplateInfo(
        "outreach/social",
        "connection note / DM, never an email; 200 characters (300 configurable)",
        {
            "interview": _interview("or give contact and sender"),
            "contact": _contact("to whom; defaults to the interview's", "samples.contact()"),
            "sender": _contact("you; defaults to the interview's", "samples.sender()"),
        },
        sources=("social",),
        lint=("placeholder", "social-too-long", "job-ask", "outreach-attachment"),
    ),
    TemplateInfo(
        "outreach/connection",
        "an email to someone you are already connected with on LinkedIn",
        {
            "interview": _interview(),
            "reason": _text(
                "noun phrase or clause",
                "your posts on patient-facing apps",
                "why them; else their role and organization, or their LinkedIn headline",
            ),
        },
        # The source stays with outreach/social: whoever knows the contact is
        # already a connection (the tracker, for a LinkedIn import) picks this.
        first_outreach=True,
        lint=_FIRST_OUTREACH_RULES,
    ),
    TemplateInfo(
        "outreach/nudge",
        "one polite reply on the original thread",
        {
            "interview": _interview(),
            "original": _object("Draft", "your outreach", "the nudge threads on it and quotes it"),
        },
        follow_up="nudge",
        lint=(*_OUTREACH_RULES, "no-time-bound-ask", "nudge-not-threaded"),
    ),
    TemplateInfo(
        "scheduling/confirm",
        "the agreed time in their zone, duration, medium; pairs with an .ics invite",
        {"interview": _interview("scheduled_at must be set")},
        follow_up="confirm",
        lint=_AGENDA_RULES,
    ),
    TemplateInfo(
        "scheduling/reminder",
        "day-before confirmation",
        {"interview": _interview("scheduled_at must be set")},
        follow_up="reminder",
        lint=_AGENDA_RULES,
    ),
    TemplateInfo(
        "questions/list",
        "the prepared, time-budgeted question list (text, Markdown, HTML)",
        {"interview": _interview("with a planned agenda; purpose and goals head it when set")},
        lint=_AGENDA_RULES,
    ),
    TemplateInfo(
        "thank_you",
        "within 24 h: one specific takeaway, the action you will take, any promised introduction",
        {
            "interview": _interview("with takeaways, unless takeaway is given"),
            "takeaway": _text(
                "clause",
                "shadowing a product team teaches more than any course",
                "what stayed with you; defaults to the interview's first takeaway",
            ),
            "action": _text(
                "verb phrase",
                "ask to shadow a product team for a week",
                "what you will do; defaults to the first promise you made",
            ),
        },
        follow_up="thank_you",
    ),
    TemplateInfo(
        "referral/intro_request",
        "asking for an introduction, with an easy out",
        {
            "interview": _interview("the one with whoever offered the introduction"),
            "referral": _REFERRAL,
            "person": _PERSON,
        },
        follow_up="intro_request",
        follow_up_context=(("person", "introduction"),),
    ),
    TemplateInfo(
        "referral/forwardable_blurb",
        "a few sentences the introducer can forward unchanged (double opt-in)",
        {
            "interview": _interview("the one with the introducer"),
            "referral": _REFERRAL,
            "person": _PERSON,
        },
    ),
    TemplateInfo(
        "referral/close_loop",
        "telling the introducer how it went",
        {
            "interview": _interview(
                "with the person you were introduced to, or with the introducer"
            ),
            "person": _contact("whom you were introduced to; defaults from the interview"),
            "referral": attrs.evolve(
                _REFERRAL, about="instead of person: the introduction it was about"
            ),
            "outcome": _text(
                "sentences",
                "we talked for 20 minutes and she offered to review my portfolio",
                "how it went, in a sentence or two (capitalized, with a final period)",
            ),
        },
        follow_up="close_loop",
        follow_up_context=(("person", "interview.contact"),),
    ),
    TemplateInfo(
        "follow_up/progress_update",
        "reporting back after acting on their advice",
        {
            "interview": _interview(),
            "update": _text(
                "sentences",
                "I shadowed a product team for a week and loved it.",
                "what you did; defaults to a promise of yours marked done",
            ),
        },
        follow_up="progress_update",
    ),
    TemplateInfo(
        "follow_up/check_in",
        "periodic keep-in-touch note",
        {
            "interview": _interview(),
            "update": _text("sentences", "I started a new role in product.", "news of yours"),
        },
        follow_up="check_in",
    ),
)

#: The built-in templates by name, in the order of the table in docs/templates.md.
TEMPLATES: Mapping[str, TemplateInfo] = MappingProxyType({t.name: t for t in _BUILTINS})


def info(name: str) -> TemplateInfo:
    """Return the facts about the built-in template ``name``.

    Raises:
        UnknownTemplateError: No built-in has that name.
    """
    try:
        return TEMPLATES[name]
    except KeyError:
        close = difflib.get_close_matches(name, list(TEMPLATES), n=3)
        raise UnknownTemplateError(name, ["the built-in templates"], close) from None


def after_the_interview(name: str) -> bool:
    """Whether the built-in ``name`` is only sent once the interview has taken place."""
    info = TEMPLATES.get(name)
    return info is not None and info.follow_up == "thank_you"


def for_follow_up(kind: str) -> TemplateInfo:
    """Return the built-in template that renders a follow-up kind (a ``FollowUpKind``).

    Raises:
        UnknownTemplateError: No built-in renders that kind.
    """
    for template in TEMPLATES.values():
        if template.follow_up == kind:
            return template
    raise UnknownTemplateError(f"(follow-up {kind!s})", ["the built-in templates"])


def lint_rules(name: str | None) -> tuple[str, ...]:
    """Return the codes of the lint rules for drafts of template ``name``.

    A template not in the table (yours) gets the rules of its folder's kind:
    ``outreach/…`` the length and attachment rules, any other only
    ``placeholder``. Every draft also gets ``LANGUAGE_RULES``.
    """
    name = name or ""
    if name in TEMPLATES:
        rules = TEMPLATES[name].lint
    else:
        rules = _KIND_RULES.get(name.partition("/")[0], ("placeholder",))
    return (*rules, *LANGUAGE_RULES)


def outreach_template(contact: Contact | str) -> str:
    """Return the outreach template for a contact, chosen by ``Contact.source``.

    Alumni get ``outreach/alumni``; event and conference ``outreach/event``;
    referral ``outreach/referral``; social ``outreach/social``; friends and
    family and colleagues ``outreach/warm``; cold and other ``outreach/cold``.

    ``outreach/social`` is the connection note itself (a DM of 200
    characters), never an email. To write an email to someone you are
    already connected with on LinkedIn, render ``outreach/connection``.

    Args:
        contact: The contact, or a ``Source`` (or its value).

    Raises:
        ValidationError: The source is not one infoview knows.
    """
    source = contact if isinstance(contact, str) else contact.source
    for template in TEMPLATES.values():
        if source in template.sources:
            return template.name
    known = ", ".join(s for t in TEMPLATES.values() for s in t.sources)
    raise ValidationError(
        "outreach_template", "source", source, "is no contact source", f"use one of: {known}"
    )
