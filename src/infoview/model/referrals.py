"""What comes out of an interview: people suggested to you, and promises made."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import attrs

from infoview.errors import TransitionError, ValidationError
from infoview.model import _fields, _times
from infoview.model.contact import Contact
from infoview.model.lifecycle import ReferralStatus, StatusChange

__all__ = ["Party", "Promise", "PromiseKind", "Referral", "ReferralStatus"]

CONTACT_HINT = "pass a Contact, e.g. Contact(name='Ana García', email='ana@example.com')"


class Party(enum.StrEnum):
    """Who made a promise: you (the sender) or them (the contact)."""

    ME = "me"
    THEM = "them"


class PromiseKind(enum.StrEnum):
    """What a promise is: an introduction infoview words itself, or text in your words."""

    #: Your words, quoted as you wrote them (in the language you wrote them).
    TEXT = "text"
    #: An introduction to ``Promise.introduction``: drafts word it in their own
    #: language ("introduce me to Priya Nair", "mich Priya Nair vorzustellen").
    INTRODUCTION = "introduction"


def introduction_text(person: Contact) -> str:
    """The English wording of a promised introduction, kept as ``Promise.text``."""
    return f"introduce me to {person.name}"


def _default_kind(promise: Promise) -> PromiseKind:
    # An introduction whose text is infoview's own wording (or none) is worded per
    # language; so are documents saved before kinds existed.
    person = promise.introduction
    if isinstance(person, Contact) and promise.text in (None, introduction_text(person)):
        return PromiseKind.INTRODUCTION
    return PromiseKind.TEXT


def _promise_text(instance: Promise, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None and instance.introduction is not None:
        return  # filled in from the person after __init__
    _fields.required_text(instance, attribute, value)
    _fields.single_line(instance, attribute, value)


@attrs.define
class Promise:
    """Something promised during an interview, e.g. an introduction or an article.

    Args:
        text: What was promised, in your words ("send my notes on the pilot").
            For an introduction it may be left out: it is then
            "introduce me to <name>", and drafts word it in their language.
        by: Who promised it.
        due: When it should be done, if a date was named.
        done_at: When it was done.
        introduction: The person they promised to introduce you to, when the
            promise is an introduction (the follow-up policy checks back on it).
        kind: :attr:`PromiseKind.INTRODUCTION` when drafts word it themselves
            from ``introduction``; :attr:`PromiseKind.TEXT` when they quote
            ``text``. By default an introduction whose text is left out (or is
            the default wording) is worded per language; any other is quoted.
    """

    text: str = attrs.field(default=None, converter=_fields.optional_text, validator=_promise_text)
    by: Party = attrs.field(
        default=Party.ME,
        converter=_fields.choice(Party),  # type: ignore[misc]  # python/mypy#15736
    )
    due: datetime | None = attrs.field(
        default=None, converter=_times.instant, validator=_times.aware
    )
    done_at: datetime | None = attrs.field(
        default=None, converter=_times.instant, validator=_times.aware
    )
    introduction: Contact | None = attrs.field(
        default=None,
        validator=_fields.instance_of(
            Contact, "pass the person to be introduced as a Contact, or leave it out", optional=True
        ),
    )
    kind: PromiseKind = attrs.field(
        default=attrs.Factory(_default_kind, takes_self=True),
        converter=_fields.choice(PromiseKind),  # type: ignore[misc]  # python/mypy#15736
    )

    def __attrs_post_init__(self) -> None:
        if self.kind is PromiseKind.INTRODUCTION and self.introduction is None:
            raise ValidationError(
                "Promise",
                "introduction",
                None,
                "an introduction promise names no person",
                "pass introduction=Contact(...), or kind='text' with your own text",
            )
        if self.text is None and self.introduction is not None:
            self.text = introduction_text(self.introduction)

    @property
    def done(self) -> bool:
        """Whether the promise has been kept."""
        return self.done_at is not None


_REFERRAL_ORDER = tuple(ReferralStatus)


@attrs.define
class Referral:
    """A person someone suggested you talk to.

    Args:
        person: The person suggested (their ``introduced_by`` is set to ``by``
            when it is not set already).
        by: The person who suggested them (the introducer).
        interview_id: The interview during which they were suggested.
        status: How far the referral has come.
        history: Every status change, with when it happened.
        note: Why they were suggested, in your words.
    """

    person: Contact = attrs.field(validator=_fields.instance_of(Contact, CONTACT_HINT))
    by: Contact = attrs.field(validator=_fields.instance_of(Contact, CONTACT_HINT))
    interview_id: str | None = attrs.field(
        default=None,
        validator=attrs.validators.optional(_fields.identifier),
    )
    status: ReferralStatus = attrs.field(
        default=ReferralStatus.SUGGESTED,
        converter=_fields.choice(ReferralStatus),  # type: ignore[misc]  # python/mypy#15736
    )
    history: list[StatusChange] = attrs.field(
        factory=list,
        converter=_fields.to_list,
        validator=_fields.list_of(StatusChange, "record changes with advance()"),
    )
    note: str | None = attrs.field(
        default=None, converter=_fields.optional_text, validator=_fields.multiline
    )

    def __attrs_post_init__(self) -> None:
        if self.person.introduced_by is None:
            self.person = self.person.with_changes(introduced_by=self.by)

    def advance(self, to: ReferralStatus | str, at: datetime | None = None) -> None:
        """Move the referral forward to ``to`` (skipping steps is allowed, going back is not).

        Raises:
            TransitionError: When ``to`` is not after the current status.
            ValidationError: When ``to`` is no referral status or ``at`` no aware datetime;
                nothing changes then.
        """
        target = _fields.to_member(ReferralStatus, to, "Referral.advance", "to")
        when = _times.when(at, "Referral.advance")
        if _REFERRAL_ORDER.index(target) <= _REFERRAL_ORDER.index(self.status):
            raise TransitionError(
                "Referral",
                self.status,
                "advance",
                _REFERRAL_ORDER[: _REFERRAL_ORDER.index(target)],
                f"Referral.status: cannot go back from {self.status.value} to {target.value}; "
                "a referral only moves forward (suggested → introduced → contacted → "
                "interviewed → closed)",
            )
        change = StatusChange(target.value, when)
        self.history.append(change)
        self.status = target
