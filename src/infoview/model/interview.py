"""Interviews and their lifecycle; how you came to a person through them.

Referrals and promises live in :mod:`infoview.model.referrals`, the statuses in
:mod:`infoview.model.lifecycle`; both are importable from here too.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import attrs

from infoview.errors import TransitionError, ValidationError
from infoview.model import _fields, _show, _times, texts
from infoview.model.contact import Contact, Source, same_person
from infoview.model.lifecycle import ReferralStatus, Status, StatusChange
from infoview.model.questions import Agenda, Question
from infoview.model.referrals import CONTACT_HINT, Party, Promise, PromiseKind, Referral
from infoview.model.texts import LocalizedText

__all__ = [
    "Interaction",
    "Interview",
    "Medium",
    "Party",
    "Promise",
    "PromiseKind",
    "Referral",
    "ReferralStatus",
    "Status",
    "StatusChange",
    "referral_chain",
]


def _new_id() -> str:
    return uuid.uuid4().hex


class Medium(enum.StrEnum):
    """How the conversation happens."""

    VIDEO = "video"
    PHONE = "phone"
    IN_PERSON = "in_person"


# verb → (statuses it may be called from, status it moves to)
_MOVES: dict[str, tuple[tuple[Status, ...], Status]] = {
    "request": ((Status.IDENTIFIED,), Status.REQUESTED),
    # A yes given in person implies the request; a late reply after no_response may
    # still be scheduled; a scheduled one may move.
    "schedule": (
        (Status.IDENTIFIED, Status.REQUESTED, Status.NO_RESPONSE, Status.SCHEDULED),
        Status.SCHEDULED,
    ),
    "complete": ((Status.SCHEDULED,), Status.COMPLETED),
    "decline": ((Status.REQUESTED, Status.SCHEDULED), Status.DECLINED),
    "cancel": ((Status.IDENTIFIED, Status.REQUESTED, Status.SCHEDULED), Status.CANCELLED),
    "mark_no_response": ((Status.REQUESTED,), Status.NO_RESPONSE),
}


@attrs.frozen
class Interaction:
    """A contact with the person outside the interview's lifecycle.

    A reply, a coffee, a comment on their post, a message you sent: any of
    them resets the keep-in-touch clock.

    Args:
        at: When it happened; timezone-aware.
        note: What it was, in your words.
    """

    at: datetime = attrs.field(converter=_times.instant, validator=_times.aware)
    note: str | None = attrs.field(
        default=None, converter=_fields.optional_text, validator=_fields.multiline
    )


def _agenda(value: Any) -> Any:
    """``None`` is an empty agenda and a list of questions an agenda; others pass to the check."""
    if value is None:
        return Agenda()
    if isinstance(value, list | tuple) and all(isinstance(q, Question) for q in value):
        return Agenda(questions=tuple(value))
    return value


@attrs.define
class Interview:
    """One informational interview, from first idea to thank-you.

    Move it through its lifecycle with :meth:`request`, :meth:`schedule`,
    :meth:`complete`, :meth:`decline`, :meth:`cancel` and
    :meth:`mark_no_response`; each records when it happened in :attr:`history`
    and refuses an illegal move with :class:`~infoview.errors.TransitionError`.

    Args:
        contact: The person you talk to.
        sender: You.
        purpose: What you want to learn, after "I'm hoping to learn" ("how
            nurses move into health-tech product roles"); outreach and the
            invite say it. Text, or {locale: text} (:mod:`infoview.model.texts`).
        goals: Specific things you hope to learn (the question list shows
            them); each text or {locale: text}.
        status: Where the interview stands (normally moved by the verbs).
        requested_at: When you asked (set by :meth:`request`).
        scheduled_at: When it takes place; must be timezone-aware.
        duration: How long you asked for: 10–60 minutes, 20 by default.
        medium: Video, phone or in person.
        location: The video link, phone number or place.
        questions: The agenda to cover.
        notes: Your notes from the conversation.
        takeaways: Specific things you learned (the thank-you cites one);
            each a clause, or {locale: clause}.
        referrals: People they suggested you talk to.
        promises: Things promised, by you or by them.
        history: Every status change, with when it happened.
        id: A stable identifier (calendar UID, message threading).
        interactions: Contacts with the person besides the status changes
            (see :meth:`log`); any of them resets the keep-in-touch clock.
        replied_at: When the contact first answered the request (see
            :meth:`reply`); no nudge follows a reply.
    """

    contact: Contact = attrs.field(validator=_fields.instance_of(Contact, CONTACT_HINT))
    sender: Contact = attrs.field(validator=_fields.instance_of(Contact, CONTACT_HINT))
    purpose: str | LocalizedText | None = attrs.field(
        default=None, converter=texts.localized, validator=texts.single_line_localized
    )
    goals: tuple[str | LocalizedText, ...] = attrs.field(
        default=(), converter=texts.localized_tuple, validator=texts.localized_items
    )
    status: Status = attrs.field(
        default=Status.IDENTIFIED,
        converter=_fields.choice(Status),  # type: ignore[misc]  # python/mypy#15736
    )
    requested_at: datetime | None = attrs.field(
        default=None, converter=_times.instant, validator=_times.aware
    )
    scheduled_at: datetime | None = attrs.field(
        default=None, converter=_times.instant, validator=_times.aware
    )
    duration: timedelta = attrs.field(
        default=timedelta(minutes=20),
        converter=_times.to_timedelta,
        validator=_times.minutes_between(*_times.MEETING_MINUTES),
    )
    medium: Medium = attrs.field(
        default=Medium.VIDEO,
        converter=_fields.choice(Medium),  # type: ignore[misc]  # python/mypy#15736
    )
    location: str | None = attrs.field(
        default=None, converter=_fields.optional_text, validator=_fields.single_line
    )
    questions: Agenda = attrs.field(
        default=None,
        converter=_agenda,
        validator=_fields.instance_of(
            Agenda, "pass an Agenda, e.g. QuestionBank.default().plan(minutes=20)"
        ),
    )
    notes: str | None = attrs.field(
        default=None, converter=_fields.optional_text, validator=_fields.multiline
    )
    takeaways: tuple[str | LocalizedText, ...] = attrs.field(
        default=(), converter=texts.localized_tuple, validator=texts.localized_items
    )
    referrals: list[Referral] = attrs.field(
        factory=list,
        converter=_fields.to_list,
        validator=_fields.list_of(Referral, "record referrals with suggest()"),
    )
    promises: list[Promise] = attrs.field(
        factory=list,
        converter=_fields.to_list,
        validator=_fields.list_of(Promise, "record promises with promise()"),
    )
    history: list[StatusChange] = attrs.field(
        factory=list,
        converter=_fields.to_list,
        validator=_fields.list_of(StatusChange, "move the interview with its verbs"),
    )
    id: str = attrs.field(factory=_new_id, validator=_fields.identifier)
    interactions: list[Interaction] = attrs.field(
        factory=list,
        converter=_fields.to_list,
        validator=_fields.list_of(Interaction, "record interactions with log()"),
    )
    replied_at: datetime | None = attrs.field(
        default=None, converter=_times.instant, validator=_times.aware
    )

    def __attrs_post_init__(self) -> None:
        # A time with only an offset is put in the zone of the person it fits.
        if (at := self._zoned(self.scheduled_at)) is not self.scheduled_at:
            self.scheduled_at = at

    @classmethod
    def between(cls, contact: Contact, sender: Contact) -> Interview:
        """Return ``Interview(contact=contact, sender=sender)``, made without checking again.

        What bulk drafting makes for every row: the two contacts were checked
        when they were made and every other field takes its default, so only
        their types are looked at (anything but two :class:`Contact` objects,
        or a subclass of Interview, goes through the checks as usual). The
        result equals the checked one but for its new :attr:`id`.
        """
        if cls is not Interview or type(contact) is not Contact or type(sender) is not Contact:
            return cls(contact=contact, sender=sender)  # a subclass may have fields of its own
        new = object.__new__(cls)
        put = object.__setattr__
        for name, value in _defaults(cls):
            put(new, name, value() if callable(value) else value)
        put(new, "contact", contact)
        put(new, "sender", sender)
        return new

    def _zoned(self, at: datetime | None) -> datetime | None:
        return _times.named(at, (self.sender.timezone, self.contact.timezone))

    @classmethod
    def from_referral(cls, referral: Referral, sender: Contact, **fields: Any) -> Interview:
        """Start an interview with the person a referral suggested.

        The contact keeps ``introduced_by`` (so outreach can name the
        introducer) and gets :attr:`~infoview.Source.REFERRAL` as its source
        unless it already has a more specific one.

        Args:
            referral: The referral to follow.
            sender: You.
            **fields: Any other :class:`Interview` field (``purpose``, ``duration``, …).
        """
        _fields.check_instance(
            referral,
            Referral,
            "Interview.from_referral",
            "referral",
            "pass the Referral that interview.suggest() returned",
        )
        person = referral.person
        if person.source is Source.OTHER:
            person = person.with_changes(source=Source.REFERRAL)
        return cls(contact=person, sender=sender, **fields)

    @property
    def minutes(self) -> int:
        """The duration in whole minutes."""
        return int(self.duration.total_seconds() // 60)

    @property
    def ends_at(self) -> datetime | None:
        """When the interview ends, if it is scheduled."""
        start = self.scheduled_at
        if start is None:
            return None
        # Elapsed time, not wall-clock arithmetic: a meeting across a clock change
        # still lasts its duration.
        return (_times.utc(start) + self.duration).astimezone(start.tzinfo)

    def changed_at(self, status: Status | str) -> datetime | None:
        """When the interview last moved to ``status``, or ``None`` if it never did."""
        value = _fields.to_member(Status, status, "Interview.changed_at", "status").value
        for change in reversed(self.history):
            if change.status == value:
                return change.at
        return None

    def _check(self, action: str, at: datetime | None) -> tuple[Status, datetime]:
        """Check that ``action`` may happen (at ``at``); return the new status and the time."""
        allowed, target = _MOVES[action]
        if self.status not in allowed:
            raise TransitionError("Interview", self.status, action, allowed)
        return target, _times.when(at, f"Interview.{action}")

    def _record(self, target: Status, when: datetime) -> None:
        change = StatusChange(target.value, when)
        self.history.append(change)
        self.status = target

    def _move(self, action: str, at: datetime | None) -> datetime:
        target, when = self._check(action, at)
        self._record(target, when)
        return when

    def request(self, at: datetime | None = None) -> None:
        """Record that you asked for the interview (now, or ``at``)."""
        target, when = self._check("request", at)
        self.requested_at = when
        self._record(target, when)

    def schedule(self, at: datetime, *, when: datetime | None = None) -> None:
        """Record the agreed time ``at``; ``when`` is when it was agreed (default now).

        An interview still ``identified`` may be scheduled at once: a yes given in
        person implies the request, so :meth:`request` is not needed first
        (``requested_at`` stays unset). Calling it again reschedules. Both times
        are checked before anything changes: a refused call leaves it as it was.
        """
        target, agreed = self._check("schedule", when)
        self.scheduled_at = self._zoned(_times.moment(at, "Interview", "scheduled_at"))
        self._record(target, agreed)

    def complete(self, at: datetime | None = None) -> None:
        """Record that the interview took place."""
        self._move("complete", at)

    def decline(self, at: datetime | None = None) -> None:
        """Record that the contact declined."""
        self._move("decline", at)

    def cancel(self, at: datetime | None = None) -> None:
        """Record that the interview was called off."""
        self._move("cancel", at)

    def mark_no_response(self, at: datetime | None = None) -> None:
        """Record that the contact never replied (after the one nudge)."""
        self._move("mark_no_response", at)

    def suggest(
        self,
        person: Contact,
        *,
        note: str | None = None,
        introduce: bool = False,
        promise_text: str | None = None,
    ) -> Referral:
        """Record that the contact suggested you talk to ``person``; return the referral.

        Args:
            person: Who they suggested.
            note: Why, in your words.
            introduce: They promised to introduce you; this also records that
                promise (by them, with ``introduction`` set), so the follow-up
                policy checks back on it.
            promise_text: The promise in your words (quoted as written);
                without it every draft words the introduction in its language.
        """
        where = "Interview.suggest"
        _fields.check_instance(person, Contact, where, "person", CONTACT_HINT)
        if not isinstance(introduce, bool):
            raise ValidationError(
                where, "introduce", introduce, f"expected True or False, got {introduce!r}",
                "pass introduce=True when they promised an introduction",
            )  # fmt: skip
        _fields.check_text(note, where, "note", multiline=True)
        _fields.check_text(promise_text, where, "promise_text")
        referral = Referral(person=person, by=self.contact, interview_id=self.id, note=note)
        promise = (
            Promise(
                text=promise_text,
                by=Party.THEM,
                introduction=referral.person,
                kind=PromiseKind.TEXT if promise_text else PromiseKind.INTRODUCTION,
            )
            if introduce
            else None
        )
        self.referrals.append(referral)
        if promise is not None:
            self.promises.append(promise)
        return referral

    def log(self, note: str | None = None, *, at: datetime | None = None) -> Interaction:
        """Record a contact with the person (now, or ``at``); return it.

        Any logged interaction resets the keep-in-touch clock.
        """
        when = _times.when(at, "Interview.log")
        _fields.check_text(note, "Interview.log", "note", multiline=True)
        interaction = Interaction(at=when, note=note)
        self.interactions.append(interaction)
        return interaction

    def reply(self, note: str | None = None, *, at: datetime | None = None) -> Interaction:
        """Record that the contact answered (now, or ``at``); return the logged interaction.

        The first reply after the request is kept as :attr:`replied_at`: the
        follow-up policy sends no nudge after it, whatever the answer said.
        A reply is also an interaction, so it resets the keep-in-touch clock.
        Scheduling, declining and so on remain their own verbs.
        """
        interaction = self.log(note or "replied", at=at)
        if self.replied_at is None or (
            self.requested_at is not None
            and _times.utc(self.replied_at) < _times.utc(self.requested_at)
        ):
            self.replied_at = interaction.at
        return interaction

    @property
    def last_interaction(self) -> datetime | None:
        """When you were last in touch (the latest status change or logged interaction)."""
        times = [c.at for c in self.history] + [i.at for i in self.interactions]
        return max(times, default=None, key=_times.utc)

    def promise(
        self, text: str, *, by: Party | str = Party.ME, due: datetime | None = None
    ) -> Promise:
        """Record a promise made during the interview; return it."""
        party = _fields.to_member(Party, by, "Interview.promise", "by")
        if due is not None:
            _times.moment(due, "Interview.promise", "due")
        _fields.check_text(text, "Interview.promise", "text")
        promise = Promise(text=text, by=party, due=due)
        self.promises.append(promise)
        return promise

    def __repr__(self) -> str:
        """Return a short repr: whom, where it stands, when, how long, how many questions."""
        return _show.short_repr(
            "Interview",
            contact=self.contact.name,
            status=self.status.value,
            scheduled_at=_show.moment(self.scheduled_at),
            minutes=self.minutes,
            questions=len(self.questions),
        )

    def _repr_html_(self) -> str:
        """Show the interview in a notebook as a card: who, when, status, agenda, what is open."""
        return self.card()

    def card(self, *, next_follow_up: str | None = None) -> str:
        """Return the interview as an HTML card: who, when, status, agenda, what is open.

        Args:
            next_follow_up: A line naming the follow-up due next, shown in its
                own row. The model knows no follow-up policy:
                :meth:`Policy.card <infoview.Policy.card>` fills it in.
        """
        work = ", ".join(str(p) for p in (self.contact.title, self.contact.organization) if p)
        when = _show.moment(self.scheduled_at) or "not scheduled yet"
        since = _show.moment(self.changed_at(self.status))
        promised = "; ".join(f"{p.text} (by {p.by})" for p in self.promises if not p.done_at)
        return _show.card(
            f"Interview with {self.contact.name}",
            [
                ("Who", f"{self.contact.name} ({work})" if work else self.contact.name),
                ("From", self.sender.name),
                ("When", f"{when}; {self.minutes} min, {self.medium.value.replace('_', ' ')}"),
                ("Status", f"{self.status.value} since {since}" if since else self.status.value),
                ("Purpose", self.purpose),
                ("Agenda", f"{len(self.questions)} questions, {self.questions.minutes} min"),
                ("Open promises", promised or None),
                ("Next follow-up", next_follow_up),
            ],
            [f"{q.text} ({q.minutes} min)" for q in self.questions],
        )


_DEFAULTS: list[tuple[str, Any]] = []


def _defaults(cls: type[Interview]) -> list[tuple[str, Any]]:  # Interview's own only
    """Each field of an interview but the two contacts: its default value, or its factory.

    The values are those the checked constructor gives (converted once);
    every mutable one (the lists, and ``id``) is made anew for each interview.
    """
    if not _DEFAULTS:
        anyone = Contact(name="Ana García")
        made = cls(contact=anyone, sender=anyone)
        for field in attrs.fields(cls):
            if field.name in ("contact", "sender"):
                continue
            if isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
                factory = field.default.factory
                _DEFAULTS.append((field.name, factory))
            else:
                value = getattr(made, field.name)
                _DEFAULTS.append((field.name, (lambda v=value: v) if callable(value) else value))
    return _DEFAULTS


def referral_chain(interviews: Iterable[Interview], person: Contact) -> list[Interview]:
    """Trace how you came to ``person``: the interviews that led to them, first one first.

    Each step is the interview in which the person was suggested (a
    :class:`Referral` naming them), or, when no referral was recorded, an
    interview with the person's ``introduced_by``. The first interview's
    contact is where the chain began. A person nobody introduced gives an
    empty list.

    Args:
        interviews: The interviews to search (for example all you have held).
        person: The contact to trace back.

    Returns:
        The interviews in order from the first contact to the one that led to
        ``person``.
    """
    pool = list(interviews)
    by_id = {interview.id: interview for interview in pool}
    chain: list[Interview] = []
    seen: set[str] = set()
    current = person
    while True:
        step = _suggested_in(pool, by_id, current)
        if step is None or step.id in seen:  # a cycle ends the trace
            break
        seen.add(step.id)
        chain.append(step)
        current = step.contact
    chain.reverse()
    return chain


def _suggested_in(
    pool: list[Interview], by_id: dict[str, Interview], person: Contact
) -> Interview | None:
    for interview in pool:
        for referral in interview.referrals:
            if same_person(referral.person, person):
                return by_id.get(referral.interview_id or "", interview)
    if person.introduced_by is not None:
        held = [i for i in pool if same_person(i.contact, person.introduced_by)]
        if held:
            return held[-1]
    return None
