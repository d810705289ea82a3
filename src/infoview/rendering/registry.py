"""The registry: one table of the built-in templates and the facts about each.

A fact about a built-in template is written here once and read by everyone
else: its name, kind and purpose, the inputs a caller gives (with their
shapes), the blocks you may override, the follow-up kind it serves and what
that follow-up passes it, who is copied then, and which lint rules apply.
The follow-ups, lint, rendering, the docs and the command line all read
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
    "Input",
    "TemplateDescription",
    "TemplateInfo",
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


@attrs.frozen
class TemplateInfo:
    """The facts about one built-in template.

    Attributes:
        name: Its pinned name, e.g. ``"outreach/alumni"``.
        purpose: What it is for, in one line.
        inputs: What a caller gives.
        kind: ``"outreach"``, ``"scheduling"``, ``"questions"``,
            ``"thank_you"``, ``"referral"`` or ``"follow_up"`` (by default
            the name's folder).
        blocks: The blocks a template extending it may override (by default
            those of every message: subject, greeting, body, closing,
            signature, after).
        formats: The parts it renders: ``"txt"``, plus ``"md"`` and ``"html"``.
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
    inputs: tuple[Input, ...]
    kind: str = attrs.field(
        default=attrs.Factory(lambda self: self.name.partition("/")[0], takes_self=True)
    )
    blocks: tuple[str, ...] = ("subject", "greeting", "body", "closing", "signature", "after")
    formats: tuple[str, ...] = ("txt",)
    first_outreach: bool = False
    sources: tuple[str, ...] = ()
    follow_up: str | None = None
    follow_up_context: tuple[tuple[str, str], ...] = ()
    copies: tuple[str, ...] = ()
    lint: tuple[str, ...] = ("placeholder",)

    def describe(self) -> TemplateDescription:
        """Return what it is for, what it needs and what you can change."""
        return TemplateDescription(self.name, self.purpose, self.inputs, self.blocks, self.formats)


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


def _interview(about: str = "", *, required: bool = True) -> Input:
    about = about or "the conversation; contact and sender come from it, purpose said if set"
    return Input("interview", "Interview", "object", "samples.interview()", required, about)


def _object(name: str, type_: str, example: str, about: str) -> Input:
    return Input(name, type_, "object", example, about=about)


def _contact(name: str, about: str, example: str = "samples.referral()") -> Input:
    return _object(name, "Contact", example, about)


def _text(name: str, shape: str, example: str, about: str) -> Input:
    return Input(name, "str", shape, repr(example), about=about)


_REFERRAL = _object(
    "referral",
    "Referral",
    "interview.referrals[0]",
    "whom to be introduced to; defaults to the interview's first referral",
)
_MUTUAL = "who connects you (a Contact or a name); defaults to introduced_by"
_PERSON = _contact("person", "the person to be introduced to, instead of referral")

_BUILTINS = (
    TemplateInfo(
        "outreach/alumni",
        "shared school first",
        (_interview("its contact needs a school"),),
        first_outreach=True,
        sources=("alumni",),
        lint=_FIRST_OUTREACH_RULES,
    ),
    TemplateInfo(
        "outreach/referral",
        "the referrer named in the subject and first line",
        (
            _interview(),
            _contact(
                "referrer", "who referred you; defaults to introduced_by", "samples.introducer()"
            ),
        ),
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
        (
            _interview(),
            _text("event", "name", "HealthTech Summit 2026", "defaults to contact.source_detail"),
            _text("topic", "noun phrase", "patient-facing apps", "what you talked about"),
        ),
        first_outreach=True,
        sources=("event", "conference"),
        lint=_FIRST_OUTREACH_RULES,
    ),
    TemplateInfo(
        "outreach/cold",
        "why this person, specifically",
        (
            _interview(),
            _text(
                "reason",
                "noun phrase or clause",
                "your talk on skills-based learning paths",
                "why them ('What made me write to you in particular: …'); else their work",
            ),
        ),
        first_outreach=True,
        sources=("cold", "other"),
        lint=_FIRST_OUTREACH_RULES,
    ),
    TemplateInfo(
        "outreach/warm",
        "friend of a friend or family",
        (
            _interview(),
            Input("mutual", "Contact or str", "name", "'Jo Rivera'", about=_MUTUAL),
        ),
        first_outreach=True,
        sources=("friends_family", "colleague"),
        lint=_FIRST_OUTREACH_RULES,
    ),
    TemplateInfo(
        "outreach/social",
        "connection note / DM, never an email; 200 characters (300 configurable)",
        (
            _interview("or give contact and sender", required=False),
            _contact("contact", "to whom; defaults to the interview's", "samples.contact()"),
            _contact("sender", "you; defaults to the interview's", "samples.sender()"),
        ),
        sources=("social",),
        lint=("placeholder", "social-too-long", "job-ask", "outreach-attachment"),
    ),
    TemplateInfo(
        "outreach/connection",
        "an email to someone you are already connected with on LinkedIn",
        (
            _interview(),
            _text(
                "reason",
                "noun phrase or clause",
                "your posts on patient-facing apps",
                "why them; else their role and organization, or their LinkedIn headline",
            ),
        ),
        # The source stays with outreach/social: whoever knows the contact is
        # already a connection (the tracker, for a LinkedIn import) picks this.
        first_outreach=True,
        lint=_FIRST_OUTREACH_RULES,
    ),
    TemplateInfo(
        "outreach/nudge",
        "one polite reply on the original thread",
        (
            _interview(),
            _object("original", "Draft", "your outreach", "the nudge threads on it and quotes it"),
        ),
        follow_up="nudge",
        lint=(*_OUTREACH_RULES, "no-time-bound-ask", "nudge-not-threaded"),
    ),
    TemplateInfo(
        "scheduling/confirm",
        "the agreed time in their zone, duration, medium; pairs with an .ics invite",
        (_interview("scheduled_at must be set"),),
        follow_up="confirm",
        lint=_AGENDA_RULES,
    ),
    TemplateInfo(
        "scheduling/reminder",
        "day-before confirmation",
        (_interview("scheduled_at must be set"),),
        follow_up="reminder",
        lint=_AGENDA_RULES,
    ),
    TemplateInfo(
        "questions/list",
        "the prepared, time-budgeted question list (text, Markdown, HTML)",
        (_interview("with a planned agenda; purpose and goals head it when set"),),
        blocks=("subject",),
        formats=("txt", "md", "html"),
        lint=_AGENDA_RULES,
    ),
    TemplateInfo(
        "thank_you",
        "within 24 h: one specific takeaway, the action you will take, any promised introduction",
        (
            _interview("with takeaways, unless takeaway is given"),
            _text(
                "takeaway",
                "clause",
                "shadowing a product team teaches more than any course",
                "what stayed with you; defaults to the interview's first takeaway",
            ),
            _text(
                "action",
                "verb phrase",
                "ask to shadow a product team for a week",
                "what you will do; defaults to the first promise you made",
            ),
        ),
        follow_up="thank_you",
    ),
    TemplateInfo(
        "referral/intro_request",
        "asking for an introduction, with an easy out",
        (_interview("the one with whoever offered the introduction"), _REFERRAL, _PERSON),
        follow_up="intro_request",
        follow_up_context=(("person", "introduction"),),
    ),
    TemplateInfo(
        "referral/forwardable_blurb",
        "a few sentences the introducer can forward unchanged (double opt-in)",
        (_interview("the one with the introducer"), _REFERRAL, _PERSON),
    ),
    TemplateInfo(
        "referral/close_loop",
        "telling the introducer how it went",
        (
            _interview("with the person you were introduced to, or with the introducer"),
            _contact("person", "whom you were introduced to; defaults from the interview"),
            attrs.evolve(_REFERRAL, about="instead of person: the introduction it was about"),
            _text(
                "outcome",
                "sentences",
                "we talked for 20 minutes and she offered to review my portfolio",
                "how it went, in a sentence or two (capitalized, with a final period)",
            ),
        ),
        follow_up="close_loop",
        follow_up_context=(("person", "interview.contact"),),
    ),
    TemplateInfo(
        "follow_up/progress_update",
        "reporting back after acting on their advice",
        (
            _interview(),
            _text(
                "update",
                "sentences",
                "I shadowed a product team for a week and loved it.",
                "what you did; defaults to a promise of yours marked done",
            ),
        ),
        follow_up="progress_update",
    ),
    TemplateInfo(
        "follow_up/check_in",
        "periodic keep-in-touch note",
        (
            _interview(),
            _text("update", "sentences", "I started a new role in product.", "news of yours"),
        ),
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
