"""Follow-ups: the messages due after outreach and interviews, and their state."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

import attrs

from infoview import _fields
from infoview.contact import Contact
from infoview.interview import Interview

__all__ = ["FollowUp", "FollowUpKind", "FollowUpStatus"]


class FollowUpKind(enum.StrEnum):
    """What a follow-up is for; each kind has a default template."""

    NUDGE = "nudge"
    INTRO_REPLY = "intro_reply"
    CONFIRM = "confirm"
    REMINDER = "reminder"
    THANK_YOU = "thank_you"
    INTRO_REQUEST = "intro_request"
    CLOSE_LOOP = "close_loop"
    PROGRESS_UPDATE = "progress_update"
    CHECK_IN = "check_in"

    @property
    def template(self) -> str:
        """The built-in template that renders this kind of follow-up."""
        return _TEMPLATES[self]


def _to_follow_up_kind(value: object) -> object:
    return _fields.enum_value(FollowUpKind, value)


_TEMPLATES = {
    FollowUpKind.NUDGE: "outreach/nudge",
    FollowUpKind.INTRO_REPLY: "outreach/referral",
    FollowUpKind.CONFIRM: "scheduling/confirm",
    FollowUpKind.REMINDER: "scheduling/reminder",
    FollowUpKind.THANK_YOU: "thank_you",
    FollowUpKind.INTRO_REQUEST: "referral/intro_request",
    FollowUpKind.CLOSE_LOOP: "referral/close_loop",
    FollowUpKind.PROGRESS_UPDATE: "follow_up/progress_update",
    FollowUpKind.CHECK_IN: "follow_up/check_in",
}


class FollowUpStatus(enum.StrEnum):
    """Whether a follow-up still has to be sent."""

    PENDING = "pending"
    DONE = "done"
    SKIPPED = "skipped"
    SNOOZED = "snoozed"


def _to_follow_up_status(value: object) -> object:
    return _fields.enum_value(FollowUpStatus, value)


def _default_template(follow_up: FollowUp) -> str:
    # Runs before the validators: a bad kind is refused right after.
    kind = follow_up.kind
    return kind.template if isinstance(kind, FollowUpKind) else "unknown"


@attrs.define
class FollowUp:
    """A message that is due to someone at some time.

    Args:
        kind: What it is for.
        contact: Who it goes to (for a close_loop, the introducer).
        due: When it is due; timezone-aware.
        interview: The interview it belongs to, if any.
        status: pending, done, skipped or snoozed.
        attempt: 1 for the first message of its kind, 2 for a second, …
        template: The template that renders it (defaults by kind).
        overdue_at: When it counts as overdue (e.g. a thank-you after 48 hours).
        done_at: When it was sent or skipped.
        about: What it concerns beyond its kind, when one interview can have
            several of a kind: the promised introduction's or the referred
            person's name.
    """

    kind: FollowUpKind = attrs.field(
        converter=_to_follow_up_kind, validator=_fields.member(FollowUpKind)
    )
    contact: Contact = attrs.field(
        validator=_fields.instance_of(Contact, "pass the Contact the follow-up goes to")
    )
    due: datetime = attrs.field(converter=_fields.instant, validator=_fields.aware)
    interview: Interview | None = attrs.field(
        default=None,
        validator=_fields.instance_of(
            Interview, "pass the Interview it belongs to, or leave it out", optional=True
        ),
    )
    status: FollowUpStatus = attrs.field(
        default=FollowUpStatus.PENDING,
        converter=_to_follow_up_status,
        validator=_fields.member(FollowUpStatus),
    )
    attempt: int = attrs.field(
        default=1,
        validator=_fields.whole_number(
            1, 100, "1 for the first message of its kind, 2 for a second"
        ),
    )
    template: str = attrs.field(
        default=attrs.Factory(_default_template, takes_self=True),
        validator=[_fields.required_text, _fields.single_line],
    )
    overdue_at: datetime | None = attrs.field(
        default=None, converter=_fields.instant, validator=_fields.aware
    )
    done_at: datetime | None = attrs.field(
        default=None, converter=_fields.instant, validator=_fields.aware
    )
    about: str | None = attrs.field(
        default=None, converter=_fields.optional_text, validator=_fields.single_line
    )

    @property
    def key(self) -> tuple[str, str, int, str]:
        """What makes it unique (the interview or contact, kind, attempt and ``about``).

        The follow-up policy never plans two follow-ups with the same key.
        """
        owner = self.interview.id if self.interview is not None else self.contact.name
        return (owner, self.kind.value, self.attempt, self.about or "")

    def context(self) -> dict[str, Any]:
        """Return the template variables that render this follow-up.

        Always ``follow_up``, ``recipient`` (its contact) and ``interview``;
        plus, by kind, ``person`` (whom an introduction or a closed loop is
        about), ``contact`` and ``referrer`` (for the reply to an
        introduction, which goes to the new person and names the
        introducer). Pass them to the template engine, e.g.
        ``templates.render_follow_up(f, **f.context())``.
        """
        values: dict[str, Any] = {
            "follow_up": self,
            "recipient": self.contact,
            "interview": self.interview,
        }
        interview = self.interview
        if interview is None:
            return values
        if self.kind is FollowUpKind.INTRO_REQUEST:
            for promise in interview.promises:
                if promise.introduction is not None and promise.introduction.name == self.about:
                    values["person"] = promise.introduction
                    break
        elif self.kind is FollowUpKind.INTRO_REPLY:
            values.update(contact=self.contact, person=self.contact, referrer=interview.contact)
        elif self.kind is FollowUpKind.CLOSE_LOOP:
            values["person"] = interview.contact
        return values

    @property
    def open(self) -> bool:
        """Whether it still has to be sent (pending or snoozed)."""
        return self.status in (FollowUpStatus.PENDING, FollowUpStatus.SNOOZED)

    def is_overdue(self, now: datetime) -> bool:
        """Whether it is still open at ``now`` past its overdue time (or its due time)."""
        now = _fields.moment(now, "FollowUp.is_overdue", "now")
        if not self.open:
            return False
        # Compared as instants: same-zone datetimes would compare their wall clocks.
        return now.astimezone(UTC) > (self.overdue_at or self.due).astimezone(UTC)

    def mark_done(self, at: datetime | None = None) -> None:
        """Record that it was sent (now, or ``at``).

        Raises:
            ValidationError: When ``at`` is no aware datetime; nothing changes then.
        """
        when = _fields.moment(datetime.now(UTC) if at is None else at, "FollowUp.mark_done", "at")
        self.done_at = when
        self.status = FollowUpStatus.DONE

    def skip(self, at: datetime | None = None) -> None:
        """Record that it will not be sent (now, or ``at``).

        Raises:
            ValidationError: When ``at`` is no aware datetime; nothing changes then.
        """
        when = _fields.moment(datetime.now(UTC) if at is None else at, "FollowUp.skip", "at")
        self.done_at = when
        self.status = FollowUpStatus.SKIPPED

    def snooze(self, until: datetime) -> None:
        """Put it off: it is due again at ``until``.

        Raises:
            ValidationError: When ``until`` is no aware datetime; nothing changes then.
        """
        self.due = _fields.moment(until, "FollowUp.snooze", "until")
        self.status = FollowUpStatus.SNOOZED
