"""Follow-ups: the messages due after outreach and interviews, and their state."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

import attrs

from infoview.model import _fields, _show, _times
from infoview.model.contact import Contact, same_person
from infoview.model.interview import Interview
from infoview.rendering import registry

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
        """The built-in template that renders this kind of follow-up (from the registry)."""
        return registry.for_follow_up(self.value).name


class FollowUpStatus(enum.StrEnum):
    """Whether a follow-up still has to be sent."""

    PENDING = "pending"
    DONE = "done"
    SKIPPED = "skipped"
    SNOOZED = "snoozed"


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

    kind: FollowUpKind = attrs.field(converter=_fields.choice(FollowUpKind))  # type: ignore[misc]  # python/mypy#15736
    contact: Contact = attrs.field(
        validator=_fields.instance_of(Contact, "pass the Contact the follow-up goes to")
    )
    due: datetime = attrs.field(converter=_times.instant, validator=_times.aware)
    interview: Interview | None = attrs.field(
        default=None,
        validator=_fields.instance_of(
            Interview, "pass the Interview it belongs to, or leave it out", optional=True
        ),
    )
    status: FollowUpStatus = attrs.field(
        default=FollowUpStatus.PENDING,
        converter=_fields.choice(FollowUpStatus),  # type: ignore[misc]  # python/mypy#15736
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
        default=None, converter=_times.instant, validator=_times.aware
    )
    done_at: datetime | None = attrs.field(
        default=None, converter=_times.instant, validator=_times.aware
    )
    about: str | None = attrs.field(
        default=None, converter=_fields.optional_text, validator=_fields.single_line
    )

    @property
    def key(self) -> tuple[str, str, int, str]:
        """The interview id, kind, attempt and ``about`` (what it is for, whoever it goes to).

        A check-in belongs to a person rather than to one interview, and so
        does a follow-up without an interview: their interview id is ``""``,
        and :meth:`same_as` compares their people too.
        """
        owner = self.interview.id if self.interview is not None else ""
        if self.kind is FollowUpKind.CHECK_IN:
            owner = ""
        return (owner, self.kind.value, self.attempt, self.about or "")

    def same_as(self, other: FollowUp) -> bool:
        """Whether ``other`` is this follow-up (planned again, or saved and loaded).

        The same :attr:`key`; for a follow-up that belongs to a person, also the
        same person as :func:`~infoview.same_person` decides (a contact
        who has since gained an email address still is). The follow-up policy
        never plans a follow-up that is the same as one it planned before.
        """
        key = self.key
        return key == other.key and (key[0] != "" or same_person(self.contact, other.contact))

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
        # The registry says what each kind passes and where it comes from.
        for variable, source in registry.for_follow_up(self.kind.value).follow_up_context:
            value = self._find(source, interview)
            if value is not None:
                values[variable] = value
        return values

    def _find(self, source: str, interview: Interview) -> Contact | None:
        """Return the value a ``registry.FOLLOW_UP_SOURCES`` entry names."""
        if source == "recipient":
            return self.contact
        if source == "interview.contact":
            return interview.contact
        for promise in interview.promises:  # "introduction"
            if promise.introduction is not None and promise.introduction.name == self.about:
                return promise.introduction
        return None

    @property
    def open(self) -> bool:
        """Whether it still has to be sent (pending or snoozed)."""
        return self.status in (FollowUpStatus.PENDING, FollowUpStatus.SNOOZED)

    def is_overdue(self, now: datetime) -> bool:
        """Whether it is still open at ``now`` past its overdue time (or its due time)."""
        now = _times.moment(now, "FollowUp.is_overdue", "now")
        if not self.open:
            return False
        # Compared as instants: same-zone datetimes would compare their wall clocks.
        return now.astimezone(UTC) > (self.overdue_at or self.due).astimezone(UTC)

    def mark_done(self, at: datetime | None = None) -> None:
        """Record that it was sent (now, or ``at``).

        Raises:
            ValidationError: When ``at`` is no aware datetime; nothing changes then.
        """
        self._close(FollowUpStatus.DONE, _times.when(at, "FollowUp.mark_done"))

    def skip(self, at: datetime | None = None) -> None:
        """Record that it will not be sent (now, or ``at``).

        Raises:
            ValidationError: When ``at`` is no aware datetime; nothing changes then.
        """
        self._close(FollowUpStatus.SKIPPED, _times.when(at, "FollowUp.skip"))

    def _close(self, status: FollowUpStatus, at: datetime) -> None:
        self.done_at = at
        self.status = status

    def snooze(self, until: datetime) -> None:
        """Put it off: it is due again at ``until``.

        Raises:
            ValidationError: When ``until`` is no aware datetime; nothing changes then.
        """
        self.due = _times.moment(until, "FollowUp.snooze", "until")
        self.status = FollowUpStatus.SNOOZED

    def __repr__(self) -> str:
        """Return a short repr: kind, to whom, when due, status, attempt."""
        return _show.short_repr(
            "FollowUp",
            kind=self.kind.value,
            to=self.contact.name,
            due=_show.moment(self.due),
            status=self.status.value,
            attempt=self.attempt,
            about=self.about,
        )

    def _repr_html_(self) -> str:
        """Show the follow-up in a notebook: what, to whom, when, and where it stands."""
        interview = self.interview
        return _show.card(
            f"{self.kind.value.replace('_', ' ')} to {self.contact.name}",
            [
                ("Due", _show.moment(self.due)),
                ("Overdue at", _show.moment(self.overdue_at)),
                ("Status", self.status.value),
                ("Done at", _show.moment(self.done_at)),
                ("Attempt", self.attempt),
                ("About", self.about),
                ("Template", self.template),
                ("Interview", f"with {interview.contact.name}" if interview else None),
            ],
        )
