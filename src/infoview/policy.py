"""The follow-up policy: which follow-ups an interview's lifecycle calls for, and when.

A :class:`Policy` holds every timing (the defaults are career-center practice,
see the design's "Follow-up policy" table). :meth:`Policy.plan` looks at one
interview, or at every interview with a person, and returns the follow-ups
that exist for it at ``now`` with their due times. Planning again with the
list it returned never duplicates anything: follow-ups you completed, skipped
or snoozed keep their state, the next one follows from them, and pending ones
whose reason is gone (the contact replied before the nudge) are skipped.
:func:`due` is the to-do view over such a list.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any, TypeVar

import attrs

from infoview import _fields
from infoview.contact import Contact, Source
from infoview.errors import ValidationError
from infoview.followup import FollowUp, FollowUpKind, FollowUpStatus
from infoview.interview import Interview, Party, ReferralStatus, Status, same_person

__all__ = ["DueFollowUp", "Policy", "due"]

T = TypeVar("T")

_KIND_ORDER = {kind: n for n, kind in enumerate(FollowUpKind)}


# Bounds that keep date arithmetic finite: ten years of days or business days.
_LONGEST = timedelta(days=3660)
_MOST_BUSINESS_DAYS = 2610
_MOST_NUDGES = 10


def _non_negative(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Refuse a negative or overlong timedelta (or count, for the integer fields)."""
    zero: Any = timedelta(0) if attribute.type in ("timedelta", timedelta) else 0
    most: Any = _LONGEST
    if not isinstance(zero, timedelta):
        most = _MOST_NUDGES if attribute.name == "nudges" else _MOST_BUSINESS_DAYS
    example = "timedelta(days=7)" if isinstance(zero, timedelta) else "7"
    if not isinstance(value, type(zero)) or isinstance(value, bool) or value < zero:
        raise ValidationError(
            type(instance).__name__,
            attribute.name,
            value,
            f"{_fields.show(value)} is not a non-negative {type(zero).__name__}",
            f"pass e.g. {example}",
        )
    if value > most:
        raise ValidationError(
            type(instance).__name__,
            attribute.name,
            value,
            f"{_fields.show(value)} is more than infoview plans for (at most {_shown(most)})",
            f"pass e.g. {example}",
        )


def _shown(most: Any) -> str:
    return f"{most.days} days" if isinstance(most, timedelta) else str(most)


def _items(value: Any, field: str, hint: str) -> frozenset[Any]:
    """Turn an iterable of hashable items into a frozenset, or raise ValidationError."""
    if isinstance(value, str | bytes | bytearray) or not isinstance(value, Iterable):
        raise ValidationError(
            "Policy", field, value, f"expected a collection, got {_fields.show(value)}", hint
        )
    try:
        return frozenset(value)
    except TypeError:
        raise ValidationError(
            "Policy", field, value, f"{_fields.show(value)} holds unhashable items", hint
        ) from None


def _dates(value: Any) -> frozenset[date]:
    hint = "list holidays as datetime.date objects, e.g. date(2026, 12, 25)"
    days = _items(value, "holidays", hint)
    for day in days:
        if not isinstance(day, date) or isinstance(day, datetime):
            raise ValidationError("Policy", "holidays", day, f"{day!r} is not a date", hint)
    return days


def _weekdays(value: Any) -> frozenset[int]:
    hint = "use Monday=0 … Sunday=6, e.g. {5, 6} for Saturday and Sunday"
    days = _items(value, "weekend", hint)
    if (
        any(isinstance(d, bool) or not isinstance(d, int) for d in days)
        or not days <= set(range(7))
        or len(days) == 7
    ):
        raise ValidationError(
            "Policy",
            "weekend",
            value,
            f"{_fields.show(sorted(days, key=repr))} is not a set of weekday numbers "
            "leaving a working day",
            hint,
        )
    return days


# (due after, overdue after): a follow-up cannot be overdue before it is due.
_PAIRS = (
    ("invite_after", "invite_overdue"),
    ("thank_you_within", "thank_you_overdue"),
    ("intro_check_back", "intro_check_back_overdue"),
    ("close_loop_after", "close_loop_overdue"),
    ("progress_update_after", "progress_update_overdue"),
)


def _later(start: datetime, delta: timedelta) -> datetime:
    """``start + delta`` on ``start``'s wall clock: a day later is the same local time."""
    moved = start + delta
    # A wall time inside a spring-forward gap is normalized to a real instant: the
    # later one going forward, the earlier one going back (a reminder stays before
    # the meeting it announces).
    if delta < timedelta(0):
        moved = moved.replace(fold=1)
    return moved.astimezone(UTC).astimezone(moved.tzinfo)


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


@attrs.frozen
class Policy:
    """When each follow-up is due. Every timing is configurable; the defaults follow practice.

    Durations are added on the sender's wall clock (their time zone, else the
    trigger's): a thank-you 24 hours after Saturday 17:30 is due Sunday 17:30,
    even when the clocks change overnight. Nudges count business days
    (weekends and ``holidays`` skipped) and keep the local time of day too.

    Args:
        reach_out_after_event: Write to someone met at an event within this.
        reach_out_after_conference: … or met at a conference.
        nudge_after_business_days: One polite nudge after this many business
            days without a reply.
        nudges: How many nudges at most (one by default).
        give_up_after_business_days: After the last nudge, this many business
            days without a reply means no_response (see :meth:`no_response_due`).
        invite_after: Send the confirmation and calendar invite this soon after
            a time is agreed (at once).
        invite_overdue: … overdue after this.
        reminder_before: Confirm this long before the interview (a day).
        thank_you_within: The thank-you is due this long after the interview.
        thank_you_overdue: … and overdue after this.
        intro_check_back: Check back on a promised introduction after this …
        intro_check_back_overdue: … and no later than this.
        intro_reply_within: Reply to an introduction within this, copying the
            introducer.
        close_loop_after: Tell the introducer how it went this long after the
            referred interview …
        close_loop_overdue: … and no later than this.
        progress_update_after: Prompt a progress update this long after the
            interview …
        progress_update_overdue: … overdue after this.
        keep_in_touch_every: Check in this long after the last interaction.
        holidays: Dates that business-day arithmetic skips.
        weekend: Weekday numbers (Monday=0) that are not business days.
    """

    reach_out_after_event: timedelta = attrs.field(
        default=timedelta(days=2), validator=_non_negative
    )
    reach_out_after_conference: timedelta = attrs.field(
        default=timedelta(days=7), validator=_non_negative
    )
    nudge_after_business_days: int = attrs.field(default=7, validator=_non_negative)
    nudges: int = attrs.field(default=1, validator=_non_negative)
    give_up_after_business_days: int = attrs.field(default=7, validator=_non_negative)
    invite_after: timedelta = attrs.field(default=timedelta(0), validator=_non_negative)
    invite_overdue: timedelta = attrs.field(default=timedelta(hours=24), validator=_non_negative)
    reminder_before: timedelta = attrs.field(default=timedelta(days=1), validator=_non_negative)
    thank_you_within: timedelta = attrs.field(default=timedelta(hours=24), validator=_non_negative)
    thank_you_overdue: timedelta = attrs.field(default=timedelta(hours=48), validator=_non_negative)
    intro_check_back: timedelta = attrs.field(default=timedelta(days=7), validator=_non_negative)
    intro_check_back_overdue: timedelta = attrs.field(
        default=timedelta(days=10), validator=_non_negative
    )
    intro_reply_within: timedelta = attrs.field(
        default=timedelta(hours=24), validator=_non_negative
    )
    close_loop_after: timedelta = attrs.field(default=timedelta(days=1), validator=_non_negative)
    close_loop_overdue: timedelta = attrs.field(default=timedelta(days=7), validator=_non_negative)
    progress_update_after: timedelta = attrs.field(
        default=timedelta(weeks=4), validator=_non_negative
    )
    progress_update_overdue: timedelta = attrs.field(
        default=timedelta(weeks=6), validator=_non_negative
    )
    keep_in_touch_every: timedelta = attrs.field(
        default=timedelta(days=120), validator=_non_negative
    )
    holidays: frozenset[date] = attrs.field(default=frozenset(), converter=_dates)
    weekend: frozenset[int] = attrs.field(default=frozenset({5, 6}), converter=_weekdays)

    def __attrs_post_init__(self) -> None:
        for due_field, overdue_field in _PAIRS:
            if getattr(self, overdue_field) < getattr(self, due_field):
                raise ValidationError(
                    "Policy",
                    overdue_field,
                    getattr(self, overdue_field),
                    f"{overdue_field} is shorter than {due_field}",
                    f"make {overdue_field} at least {getattr(self, due_field)}",
                )

    # -- time arithmetic ---------------------------------------------------------------

    def is_business_day(self, day: date) -> bool:
        """Whether ``day`` is neither a weekend day nor one of the holidays."""
        return day.weekday() not in self.weekend and day not in self.holidays

    def business_days_after(
        self, start: datetime, days: int, *, zone: tzinfo | None = None
    ) -> datetime:
        """Return the time ``days`` business days after ``start``, at the same local time.

        Args:
            start: When counting starts; timezone-aware.
            days: How many business days to count (weekends and holidays skipped).
            zone: The zone whose calendar and clock count (default: ``start``'s).

        Returns:
            An aware datetime in ``zone``: same wall-clock time, ``days``
            business days later (a request sent Friday 10:00 gets its nudge on
            the Tuesday of the week after next, at 10:00).
        """
        where = "Policy.business_days_after"
        start = _fields.moment(start, where, "start")
        if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 2610:
            raise ValidationError(
                where,
                "days",
                days,
                f"{_fields.show(days)} is not a whole number of business days from 0 to 2610",
                "pass e.g. 7",
            )
        if zone is not None and not isinstance(zone, tzinfo):
            raise ValidationError(
                where,
                "zone",
                zone,
                f"expected a tzinfo, got {_fields.show(zone)}",
                "pass e.g. ZoneInfo('Europe/Berlin'), or leave it out",
            )
        local = start.astimezone(zone or start.tzinfo)
        day = local.date()
        left = days
        while left > 0:
            day += timedelta(days=1)
            if self.is_business_day(day):
                left -= 1
        result = datetime.combine(day, local.timetz()).replace(fold=local.fold)
        # A wall time inside a spring-forward gap is normalized to a real instant.
        return result.astimezone(UTC).astimezone(result.tzinfo)

    def reach_out_by(self, met_at: datetime, source: Source | str = Source.EVENT) -> datetime:
        """Return when to have written to someone met at ``met_at`` (an event or conference)."""
        met_at = _fields.moment(met_at, "Policy.reach_out_by", "met_at")
        kind = _fields.to_member(Source, source, "Policy.reach_out_by", "source")
        after = (
            self.reach_out_after_conference
            if kind is Source.CONFERENCE
            else self.reach_out_after_event
        )
        return _later(met_at, after)

    # -- planning ----------------------------------------------------------------------

    def plan(
        self,
        interviews: Interview | Iterable[Interview],
        *,
        now: datetime,
        existing: Iterable[FollowUp] = (),
    ) -> list[FollowUp]:
        """Return the follow-ups that exist at ``now``, with their due times.

        A follow-up exists once its trigger has happened (a nudge once the
        request is sent, a thank-you once the interview is completed), even
        if it is due later. Pass the list this returned as ``existing`` the
        next time: what you completed, skipped or snoozed keeps its state and
        the next one follows from it (another check-in 120 days after the
        last); nothing is planned twice. Pending follow-ups whose reason has
        gone (a nudge after the contact replied, the reminder for a time that
        was moved) are skipped at ``now``; the due times of the others are
        brought up to date (a logged interaction moves the next check-in).

        Args:
            interviews: One interview, or all interviews with a person (the
                keep-in-touch clock then spans all of them).
            now: The current time; timezone-aware.
            existing: The follow-ups planned before, in any order.

        Returns:
            ``existing`` (the same objects) plus the new follow-ups, sorted by
            due time.
        """
        now = _check_now(now, "Policy.plan")
        # Every argument is checked before any existing follow-up changes.
        group = _all_of(interviews, Interview, "Policy.plan", "interviews", single=True)
        by_id = {interview.id: interview for interview in group}
        result = _all_of(existing, FollowUp, "Policy.plan", "existing")
        wanted: list[FollowUp] = []
        for interview in group:
            wanted.extend(self._for_interview(interview, result, now))
        wanted.extend(self._check_ins(group, result, now))

        index = {_identity(f): f for f in result}
        wanted_keys = set()
        for candidate in wanted:
            ident = _identity(candidate)
            wanted_keys.add(ident)
            old = index.get(ident)
            if old is None:
                index[ident] = candidate
                result.append(candidate)
            elif old.status is FollowUpStatus.PENDING:
                old.due, old.overdue_at = candidate.due, candidate.overdue_at
                old.interview = candidate.interview
        for follow_up in result:
            if not follow_up.open or _identity(follow_up) in wanted_keys:
                continue
            ours = follow_up.interview is not None and follow_up.interview.id in by_id
            if follow_up.kind is FollowUpKind.CHECK_IN:
                ours = any(same_person(follow_up.contact, i.contact) for i in group)
            if ours:
                follow_up.skip(at=now)
        result.sort(key=lambda f: (_utc(f.due), _KIND_ORDER[f.kind]))
        return result

    def no_response_due(
        self, interview: Interview, follow_ups: Iterable[FollowUp] = ()
    ) -> datetime | None:
        """Return when to give up on a request (then call ``mark_no_response``).

        That is ``give_up_after_business_days`` after the last nudge was sent
        (or after a nudge was skipped, which ends the nudging), or — with
        ``nudges=0`` — when the nudge would have been due. ``None`` while the
        interview is not waiting for a reply or a nudge is still to go.

        Args:
            interview: The interview waiting for a reply.
            follow_ups: Its follow-ups, as :meth:`plan` returned them.
        """
        if not isinstance(interview, Interview):
            raise ValidationError(
                "Policy.no_response_due",
                "interview",
                interview,
                f"expected an Interview, got {_fields.show(interview)}",
                "pass the Interview waiting for a reply",
            )
        follow_ups = _all_of(follow_ups, FollowUp, "Policy.no_response_due", "follow_ups")
        if interview.status is not Status.REQUESTED or interview.requested_at is None:
            return None
        zone = interview.sender.zone
        if self.nudges == 0:
            return self.business_days_after(
                interview.requested_at, self.nudge_after_business_days, zone=zone
            )
        nudges = sorted(
            (
                f
                for f in follow_ups
                if f.kind is FollowUpKind.NUDGE
                and f.interview is not None
                and f.interview.id == interview.id
            ),
            key=lambda f: f.attempt,
        )
        if not nudges or any(f.open for f in nudges):
            return None
        last = nudges[-1]
        if last.status is FollowUpStatus.DONE and last.attempt < self.nudges:
            return None  # another nudge follows this one
        return self.business_days_after(
            last.done_at or last.due, self.give_up_after_business_days, zone=zone
        )

    # -- the rules -----------------------------------------------------------------------

    def _for_interview(
        self, interview: Interview, existing: list[FollowUp], now: datetime
    ) -> list[FollowUp]:
        found: list[FollowUp] = []
        found.extend(self._nudges(interview, existing, now))
        found.extend(self._scheduling(interview, now))
        found.extend(self._after_interview(interview, now))
        found.extend(self._intro_replies(interview, now))
        return found

    def _nudges(
        self, interview: Interview, existing: list[FollowUp], now: datetime
    ) -> list[FollowUp]:
        if interview.status is not Status.REQUESTED or interview.requested_at is None:
            return []
        zone = interview.sender.zone
        sent = {
            f.attempt: f
            for f in existing
            if f.kind is FollowUpKind.NUDGE
            and f.interview is not None
            and f.interview.id == interview.id
        }
        found = []
        trigger: datetime | None = interview.requested_at
        for attempt in range(1, self.nudges + 1):
            if trigger is None or _utc(trigger) > _utc(now):
                break
            due_at = self.business_days_after(trigger, self.nudge_after_business_days, zone=zone)
            found.append(
                FollowUp(
                    kind=FollowUpKind.NUDGE,
                    contact=interview.contact,
                    due=due_at,
                    interview=interview,
                    attempt=attempt,
                )
            )
            previous = sent.get(attempt)
            trigger = (
                previous.done_at
                if previous is not None and previous.status is FollowUpStatus.DONE
                else None
            )
        return found

    def _scheduling(self, interview: Interview, now: datetime) -> list[FollowUp]:
        if interview.status is not Status.SCHEDULED or interview.scheduled_at is None:
            return []
        rounds = [c.at for c in interview.history if c.status == Status.SCHEDULED.value]
        if not rounds or _utc(rounds[-1]) > _utc(now):
            return []
        agreed, attempt = rounds[-1], len(rounds)
        confirm_due = _later(_local(agreed, interview), self.invite_after)
        found = [
            FollowUp(
                kind=FollowUpKind.CONFIRM,
                contact=interview.contact,
                due=confirm_due,
                interview=interview,
                attempt=attempt,
                overdue_at=_later(confirm_due, self.invite_overdue),
            )
        ]
        remind_at = _later(_local(interview.scheduled_at, interview), -self.reminder_before)
        # Agreed less than a day ahead: the confirmation already is the reminder.
        if _utc(remind_at) >= _utc(agreed):
            found.append(
                FollowUp(
                    kind=FollowUpKind.REMINDER,
                    contact=interview.contact,
                    due=remind_at,
                    interview=interview,
                    attempt=attempt,
                    overdue_at=_local(interview.scheduled_at, interview),
                )
            )
        return found

    def _after_interview(self, interview: Interview, now: datetime) -> list[FollowUp]:
        held = interview.changed_at(Status.COMPLETED)
        if interview.status is not Status.COMPLETED or held is None or _utc(held) > _utc(now):
            return []
        held = _local(held, interview)

        def make(kind: FollowUpKind, after: timedelta, overdue: timedelta, **kw: Any) -> FollowUp:
            return FollowUp(
                kind=kind,
                contact=kw.pop("contact", interview.contact),
                due=_later(held, after),
                interview=interview,
                overdue_at=_later(held, overdue),
                **kw,
            )

        found = [
            make(FollowUpKind.THANK_YOU, self.thank_you_within, self.thank_you_overdue),
            make(
                FollowUpKind.PROGRESS_UPDATE,
                self.progress_update_after,
                self.progress_update_overdue,
            ),
        ]
        introducer = interview.contact.introduced_by
        if introducer is not None:
            found.append(
                make(
                    FollowUpKind.CLOSE_LOOP,
                    self.close_loop_after,
                    self.close_loop_overdue,
                    contact=introducer,
                    about=interview.contact.name,
                )
            )
        for promise in interview.promises:
            person = promise.introduction
            if promise.by is not Party.THEM or person is None or promise.done:
                continue
            moved_on = any(
                same_person(r.person, person) and r.status is not ReferralStatus.SUGGESTED
                for r in interview.referrals
            )
            if not moved_on:
                found.append(
                    make(
                        FollowUpKind.INTRO_REQUEST,
                        self.intro_check_back,
                        self.intro_check_back_overdue,
                        about=person.name,
                    )
                )
        return found

    def _intro_replies(self, interview: Interview, now: datetime) -> list[FollowUp]:
        found = []
        for referral in interview.referrals:
            if referral.status is not ReferralStatus.INTRODUCED:
                continue
            introduced = [
                c.at for c in referral.history if c.status == ReferralStatus.INTRODUCED.value
            ]
            if not introduced or _utc(introduced[-1]) > _utc(now):
                continue
            found.append(
                FollowUp(
                    kind=FollowUpKind.INTRO_REPLY,
                    contact=referral.person,
                    due=_later(_local(introduced[-1], interview), self.intro_reply_within),
                    interview=interview,
                    about=referral.person.name,
                )
            )
        return found

    def _check_ins(
        self, group: list[Interview], existing: list[FollowUp], now: datetime
    ) -> list[FollowUp]:
        people: list[list[Interview]] = []
        for interview in group:
            for same in people:
                if same_person(same[0].contact, interview.contact):
                    same.append(interview)
                    break
            else:
                people.append([interview])
        found = []
        for interviews in people:
            held = [
                (at, i)
                for i in interviews
                if i.status is Status.COMPLETED and (at := i.changed_at(Status.COMPLETED))
            ]
            held = [(at, i) for at, i in held if _utc(at) <= _utc(now)]
            if not held:
                continue
            anchor = max(held, key=lambda pair: _utc(pair[0]))[1]
            person = anchor.contact
            ours = [f for f in existing if same_person(f.contact, person)]
            closed_check_ins = [f for f in ours if f.kind is FollowUpKind.CHECK_IN and not f.open]
            times = [c.at for i in interviews for c in i.history]
            times += [x.at for i in interviews for x in i.interactions]
            times += [
                f.done_at
                for f in ours
                if f.done_at is not None
                and (f.status is FollowUpStatus.DONE or f.kind is FollowUpKind.CHECK_IN)
            ]
            last = max((t for t in times if _utc(t) <= _utc(now)), key=_utc)
            found.append(
                FollowUp(
                    kind=FollowUpKind.CHECK_IN,
                    contact=person,
                    due=_later(_local(last, anchor), self.keep_in_touch_every),
                    interview=anchor,
                    attempt=len(closed_check_ins) + 1,
                )
            )
        return found


def _check_now(now: datetime, where: str) -> datetime:
    """Return ``now`` as a real instant, or raise ValidationError naming ``where``."""
    if not isinstance(now, datetime) or now.tzinfo is None or now.utcoffset() is None:
        raise ValidationError(
            where,
            "now",
            now,
            f"{_fields.show(now)} is not a datetime with a time zone",
            "pass an aware datetime, e.g. datetime.now(UTC)",
        )
    return _fields.moment(now, where, "now")


def _all_of(value: Any, cls: type[T], where: str, field: str, *, single: bool = False) -> list[T]:
    """Return ``value`` (an iterable of ``cls``, or one if ``single``) as a list.

    Raises:
        ValidationError: Naming ``where`` and ``field`` when anything else is given.
    """
    if isinstance(value, cls):
        if single:
            return [value]
    elif isinstance(value, Iterable) and not isinstance(value, str | bytes | Mapping):
        items = list(value)
        for n, item in enumerate(items):
            if not isinstance(item, cls):
                raise ValidationError(
                    where,
                    f"{field}[{n}]",
                    item,
                    f"expected {_fields.a(cls.__name__)}, got {_fields.show(item)}",
                    f"pass {cls.__name__} objects",
                )
        return items
    raise ValidationError(
        where,
        field,
        value,
        f"expected {'one or more' if single else 'a list of'} {cls.__name__}, "
        f"got {_fields.show(value)}",
        f"pass {cls.__name__} objects",
    )


def _local(value: datetime, interview: Interview) -> datetime:
    """Show ``value`` in the sender's zone (who acts on it), or leave it in its own."""
    zone = interview.sender.zone
    return value if zone is None else value.astimezone(zone)


def _person_key(contact: Contact) -> str:
    return contact.email.casefold() if contact.email else contact.name


def _identity(follow_up: FollowUp) -> tuple[str, ...]:
    """What makes a planned follow-up unique; check-ins belong to a person, not an interview."""
    if follow_up.kind is FollowUpKind.CHECK_IN:
        return ("person", _person_key(follow_up.contact), "check_in", str(follow_up.attempt))
    owner, kind, attempt, about = follow_up.key
    return ("interview", owner, kind, str(attempt), about)


@attrs.frozen
class DueFollowUp:
    """One line of the due view: a follow-up and whether it is overdue.

    Args:
        follow_up: The follow-up.
        overdue: Whether it is past its overdue time (or its due time).
    """

    follow_up: FollowUp
    overdue: bool


def due(
    follow_ups: Iterable[FollowUp],
    now: datetime,
    *,
    within: timedelta = timedelta(days=7),
) -> list[DueFollowUp]:
    """List the open follow-ups due by ``now + within``, overdue ones first, then by due time.

    Args:
        follow_ups: Follow-ups, e.g. from :meth:`Policy.plan`.
        now: The current time; timezone-aware.
        within: How far ahead to look (a week by default; ``timedelta(0)``
            shows only what is due now).

    Returns:
        The follow-ups still pending or snoozed whose due time falls before
        the window ends, each flagged overdue or not.
    """
    now = _check_now(now, "due")
    if not isinstance(within, timedelta) or not timedelta(0) <= within <= _LONGEST:
        raise ValidationError(
            "due",
            "within",
            within,
            f"{_fields.show(within)} is not a timedelta from 0 to {_LONGEST.days} days",
            "pass e.g. timedelta(days=7)",
        )
    follow_ups = _all_of(follow_ups, FollowUp, "due", "follow_ups")
    horizon = now + within
    lines = [
        DueFollowUp(follow_up=f, overdue=f.is_overdue(now))
        for f in follow_ups
        if f.open and _utc(f.due) <= _utc(horizon)
    ]
    lines.sort(
        key=lambda line: (
            not line.overdue,
            _utc(line.follow_up.due),
            _KIND_ORDER[line.follow_up.kind],
        )
    )
    return lines
