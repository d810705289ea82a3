"""What comes out of an interview: people suggested to you, and promises made."""

from __future__ import annotations

import enum
from datetime import datetime

import attrs

from infoview import _fields, _times
from infoview.contact import Contact
from infoview.errors import TransitionError
from infoview.lifecycle import ReferralStatus, StatusChange

__all__ = ["Party", "Promise", "Referral", "ReferralStatus"]

CONTACT_HINT = "pass a Contact, e.g. Contact(name='Ana García', email='ana@example.com')"


class Party(enum.StrEnum):
    """Who made a promise: you (the sender) or them (the contact)."""

    ME = "me"
    THEM = "them"


@attrs.define
class Promise:
    """Something promised during an interview, e.g. an introduction or an article.

    Args:
        text: What was promised ("introduce me to Lin Okafor").
        by: Who promised it.
        due: When it should be done, if a date was named.
        done_at: When it was done.
        introduction: The person they promised to introduce you to, when the
            promise is an introduction (the follow-up policy checks back on it).
    """

    text: str = attrs.field(
        converter=_fields.strip_text, validator=[_fields.required_text, _fields.single_line]
    )
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
