"""The follow-up policy: which follow-ups an interview's lifecycle calls for, and when.

A :class:`Policy` holds every timing (the defaults are career-center practice,
see the design's "Follow-up policy" table). :meth:`Policy.plan` looks at one
interview, or at every interview with a person, and returns the follow-ups
that exist for it at ``now`` with their due times. Planning again with the
list it returned never duplicates anything: follow-ups you completed, skipped
or snoozed keep their state, the next one follows from them, and pending ones
whose reason is gone (the contact replied before the nudge) are skipped.
The rules themselves are in :mod:`infoview.followups.rules`, business-day counting in
:mod:`infoview.followups.business_days`; :func:`due` (from :mod:`infoview.followups.todo`) is the
to-do view over such a list.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Container, Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import partial
from types import MappingProxyType
from typing import Any

import attrs

from infoview.errors import ValidationError
from infoview.followups import business_days, rules
from infoview.followups.calendars import Holidays
from infoview.followups.followup import FollowUp, FollowUpKind, FollowUpStatus
from infoview.followups.todo import DueFollowUp, by_due, due
from infoview.model import _fields, _show, _times
from infoview.model._show import show
from infoview.model._times import later
from infoview.model.contact import Contact, Source, same_person
from infoview.model.interview import Interview, Status

__all__ = ["DEFAULT_TIERS", "SEND_BETWEEN", "DueFollowUp", "Policy", "due", "next_follow_up"]

#: How often to check in with each tier, by default (closest more often, the rest every few months).
DEFAULT_TIERS: Mapping[str, timedelta] = MappingProxyType(
    {"A": timedelta(weeks=6), "B": timedelta(days=91), "C": timedelta(days=183)}
)
#: The local morning a scheduled message goes out in, in the recipient's zone.
SEND_BETWEEN = (time(9), time(10))
_TIER_NAME = re.compile(r"[^\W_][\w .+-]{0,31}")

# Bounds that keep date arithmetic finite: at most ten nudges.
_MOST_NUDGES = 10


def _non_negative(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Refuse a negative or overlong timedelta (or count, for the integer fields)."""
    zero: Any = timedelta(0) if attribute.type in ("timedelta", timedelta) else 0
    most: Any = _times.LONGEST_WAIT
    if not isinstance(zero, timedelta):
        most = _MOST_NUDGES if attribute.name == "nudges" else business_days.MOST_BUSINESS_DAYS
    example = "timedelta(days=7)" if isinstance(zero, timedelta) else "7"
    if not isinstance(value, type(zero)) or isinstance(value, bool) or value < zero:
        raise ValidationError(
            type(instance).__name__,
            attribute.name,
            value,
            f"{show(value)} is not a non-negative {type(zero).__name__}",
            f"pass e.g. {example}",
        )
    if value > most:
        shown = f"{most.days} days" if isinstance(most, timedelta) else str(most)
        raise ValidationError(
            type(instance).__name__,
            attribute.name,
            value,
            f"{show(value)} is more than infoview plans for (at most {shown})",
            f"pass e.g. {example}",
        )


def _tier_name(value: Any, field: str) -> str:
    """Return a tier's name stripped, or refuse one that is not a short name."""
    if not isinstance(value, str) or not _TIER_NAME.fullmatch(value.strip()):
        raise ValidationError(
            "Policy",
            field,
            value,
            f"{show(value)} is not a tier name",
            "use A, B, C or a short name of your own (letters, digits, spaces, . + -)",
        )
    return value.strip()


def _tiers(value: Any) -> Mapping[str, timedelta]:
    """The default tiers with those given added or changed: ``{"A": timedelta(weeks=4)}``."""
    if not isinstance(value, Mapping):
        raise ValidationError(
            "Policy",
            "tiers",
            value,
            f"expected a mapping of tier to cadence, got {show(value)}",
            'pass e.g. {"A": timedelta(weeks=6), "B": timedelta(days=91)}',
        )
    found = {name.casefold(): (name, every) for name, every in DEFAULT_TIERS.items()}
    for given, every in value.items():
        name = _tier_name(given, "tiers")
        longest = _times.LONGEST_WAIT
        if not isinstance(every, timedelta) or not timedelta(days=1) <= every <= longest:
            raise ValidationError(
                "Policy",
                f"tiers[{name!r}]",
                every,
                f"{show(every)} is not a cadence from 1 day to {longest.days} days",
                "pass e.g. timedelta(weeks=6)",
            )
        found[name.casefold()] = (name, every)
    return MappingProxyType(dict(found.values()))


def _tag_tiers(value: Any) -> Mapping[str, str]:
    """Tags that put a contact in a tier: ``{"mentor": "A"}``."""
    if not isinstance(value, Mapping):
        raise ValidationError(
            "Policy",
            "tag_tiers",
            value,
            f"expected a mapping of tag to tier, got {show(value)}",
            'pass e.g. {"mentor": "A"}',
        )
    found = {}
    for tag, tier in value.items():
        if not isinstance(tag, str) or not tag.strip():
            raise ValidationError(
                "Policy", "tag_tiers", tag, f"{show(tag)} is not a tag", 'pass e.g. {"mentor": "A"}'
            )
        found[tag.strip()] = _tier_name(tier, f"tag_tiers[{tag.strip()!r}]")
    return MappingProxyType(found)


def _window(value: Any) -> tuple[time, time]:
    """A morning to send in: (start, end), local wall times, the end after the start."""
    hint = "pass e.g. (time(9), time(10)): from 09:00 to 10:00 in the recipient's zone"
    if (
        not isinstance(value, tuple | list)
        or len(value) != 2
        or not all(isinstance(t, time) and t.tzinfo is None for t in value)
    ):
        raise ValidationError(
            "Policy.send_time", "between", value, f"{show(value)} is not two local times", hint
        )
    start, end = value
    if end <= start:
        raise ValidationError(
            "Policy.send_time", "between", value, "its end is not after its start", hint
        )
    return (start, end)


# (due after, overdue after): a follow-up cannot be overdue before it is due.
_PAIRS = (
    ("invite_after", "invite_overdue"),
    ("thank_you_within", "thank_you_overdue"),
    ("intro_check_back", "intro_check_back_overdue"),
    ("close_loop_after", "close_loop_overdue"),
    ("progress_update_after", "progress_update_overdue"),
)


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
        keep_in_touch_every: Check in this long after the last interaction,
            with a contact in no tier.
        holidays: Dates that business-day arithmetic skips (your own days
            off), besides the public holidays below.
        weekend: Weekday numbers (Monday=0) that are not business days.
        tiers: How often to check in with each tier, by name: the defaults
            (:data:`~infoview.followups.policy.DEFAULT_TIERS`: A every 6
            weeks, B every 91 days, C every 183 days, that is 3 and 6 months)
            with those you give added or changed. A contact's tier is
            :attr:`Contact.tier <infoview.Contact.tier>`, else the tier of
            its first tag in ``tag_tiers``; names match regardless of case.
        tag_tiers: Tags that put a contact in a tier, e.g. ``{"mentor": "A"}``.
        country_holidays: Skip the public holidays of the contact's country
            (and subdivision) when counting business days and placing
            reminders and check-ins (:attr:`Contact.region <infoview.Contact.region>`;
            the dates come from the ``holidays`` package).
        sender_holidays: Skip your own country's public holidays too (the
            sender's region).
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
    holidays: frozenset[date] = attrs.field(
        default=frozenset(),
        converter=_fields.owned(business_days.holidays),  # type: ignore[misc]  # python/mypy#15736
    )
    weekend: frozenset[int] = attrs.field(
        default=frozenset({5, 6}),
        converter=_fields.owned(business_days.weekend),  # type: ignore[misc]  # python/mypy#15736
    )
    # Mappings are not hashable: two policies still compare by them.
    tiers: Mapping[str, timedelta] = attrs.field(
        default=DEFAULT_TIERS, converter=_tiers, hash=False
    )
    tag_tiers: Mapping[str, str] = attrs.field(
        default=MappingProxyType({}), converter=_tag_tiers, hash=False
    )
    country_holidays: bool = attrs.field(default=True, validator=attrs.validators.instance_of(bool))
    sender_holidays: bool = attrs.field(default=False, validator=attrs.validators.instance_of(bool))

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
        return business_days.is_business_day(day, weekend=self.weekend, holidays=self.holidays)

    def business_days_after(
        self,
        start: datetime,
        days: int,
        *,
        zone: tzinfo | None = None,
        holidays: Container[date] | None = None,
    ) -> datetime:
        """Return the time ``days`` business days after ``start``, at the same local time.

        Args:
            start: When counting starts; timezone-aware.
            days: How many business days to count (weekends and holidays skipped).
            zone: The zone whose calendar and clock count (default: ``start``'s).
            holidays: The days off to skip (default: this policy's
                ``holidays``); e.g. :meth:`holidays_for` an interview.

        Returns:
            An aware datetime in ``zone``: same wall-clock time, ``days``
            business days later (a request sent Friday 10:00 gets its nudge on
            the Tuesday of the week after next, at 10:00).
        """
        return business_days.add_business_days(
            start,
            days,
            weekend=self.weekend,
            holidays=self.holidays if holidays is None else holidays,
            zone=zone,
            where="Policy.business_days_after",
        )

    def holidays_for(self, interview: Interview | Contact) -> Holidays:
        """Return the days off that count for an interview (or a contact).

        This policy's ``holidays``, the public holidays of the contact's
        region (with ``country_holidays``) and, for an interview with
        ``sender_holidays``, the sender's.
        """
        contact = interview.contact if isinstance(interview, Interview) else interview
        regions = []
        if self.country_holidays and contact.region is not None:
            regions.append(contact.region)
        if self.sender_holidays and isinstance(interview, Interview):
            mine = interview.sender.region
            if mine is not None and mine not in regions:
                regions.append(mine)
        return Holidays(self.holidays, regions)

    def workday(self, at: datetime, holidays: Container[date], *, back: bool = False) -> datetime:
        """Return ``at`` moved to the next business day (the one before, ``back``), same time.

        ``at`` itself when its date (in its own zone) is a business day.
        """
        day = business_days.next_business_day(
            at.date(), weekend=self.weekend, holidays=holidays, step=-1 if back else 1
        )
        if day == at.date():
            return at
        moved: datetime = _times.instant(datetime.combine(day, at.timetz()))
        return moved

    def tier_of(self, contact: Contact) -> str | None:
        """Return the contact's tier: its own, else that of its first tag in ``tag_tiers``."""
        if contact.tier is not None:
            return contact.tier
        return next((self.tag_tiers[t] for t in contact.tags if t in self.tag_tiers), None)

    def check_in_every(self, contact: Contact) -> timedelta:
        """Return how often to check in with ``contact``: its tier's cadence, else the default.

        The default is ``keep_in_touch_every``.

        Raises:
            ValidationError: The contact's tier is not one this policy knows.
        """
        tier = self.tier_of(contact)
        if tier is None:
            return self.keep_in_touch_every
        wanted = tier.casefold()
        for name, every in self.tiers.items():
            if name.casefold() == wanted:
                return every
        raise ValidationError(
            "Contact",
            "tier",
            tier,
            f"{contact.name}'s tier {tier!r} has no cadence (known: {', '.join(self.tiers)})",
            f"give it one, e.g. Policy(tiers={{{tier!r}: timedelta(weeks=8)}}) "
            f"or infoview cadence {tier}=8w",
        )

    def send_time(
        self,
        contact: Contact,
        after: datetime,
        *,
        key: str = "",
        between: tuple[time, time] = SEND_BETWEEN,
    ) -> datetime:
        """Return when to send a message to ``contact``: a working-day morning in their zone.

        The first time at or after ``after`` inside ``between`` (09:00 to
        10:00 by default) on a day that is no weekend day and none of
        :meth:`holidays_for` the contact, on the contact's clock: their
        ``timezone``, else their country's when it keeps one clock (a German
        contact: Europe/Berlin), else ``after``'s zone. ``key`` (say, the Message-ID) picks the
        same minute of the window every time, so many messages spread out.

        Args:
            contact: The recipient.
            after: The earliest time (when the message was drafted).
            key: Text that chooses the minute within the window.
            between: The local morning to send in: (start, end).
        """
        after = _times.moment(after, "Policy.send_time", "after")
        start, end = _window(between)
        region = contact.region
        zone = contact.zone or (region and _times.country_zone(region[0])) or after.tzinfo
        local = after.astimezone(zone)
        width = (datetime.combine(date.min, end) - datetime.combine(date.min, start)).seconds // 60
        offset = int(hashlib.sha256(key.encode()).hexdigest(), 16) % width if key else 0
        holidays = self.holidays_for(contact)
        day = local.date()
        while True:
            day = business_days.next_business_day(day, weekend=self.weekend, holidays=holidays)
            at: datetime = _times.instant(
                datetime.combine(day, start, tzinfo=zone) + timedelta(minutes=offset)
            )
            if _times.utc(at) >= _times.utc(after):
                return at
            day += timedelta(days=1)

    def reach_out_by(self, met_at: datetime, source: Source | str = Source.EVENT) -> datetime:
        """Return when to have written to someone met at ``met_at`` (an event or conference)."""
        met_at = _times.moment(met_at, "Policy.reach_out_by", "met_at")
        kind = _fields.to_member(Source, source, "Policy.reach_out_by", "source")
        after = (
            self.reach_out_after_conference
            if kind is Source.CONFERENCE
            else self.reach_out_after_event
        )
        return later(met_at, after)

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
        A follow-up planned before is recognized by :meth:`~infoview.FollowUp.same_as`:
        a check-in belongs to the person (:func:`~infoview.same_person`),
        so one whose contact has since gained an email address is kept.

        Args:
            interviews: One interview, or all interviews with a person (the
                keep-in-touch clock then spans all of them).
            now: The current time; timezone-aware.
            existing: The follow-ups planned before, in any order.

        Returns:
            ``existing`` (the same objects) plus the new follow-ups, sorted by
            due time.
        """
        now = _times.moment(now, "Policy.plan", "now", clock=True)
        # Every argument is checked before any existing follow-up changes.
        group = _fields.all_of(interviews, Interview, "Policy.plan", "interviews", single=True)
        by_id = {interview.id: interview for interview in group}
        result = _fields.all_of(existing, FollowUp, "Policy.plan", "existing")
        wanted = self._wanted(group, result, now)
        _merge(result, wanted)
        for follow_up in result:
            if not follow_up.open or any(follow_up.same_as(w) for w in wanted):
                continue
            ours = follow_up.interview is not None and follow_up.interview.id in by_id
            if follow_up.kind is FollowUpKind.CHECK_IN:
                ours = any(same_person(follow_up.contact, i.contact) for i in group)
            if ours:
                follow_up.skip(at=now)
        result.sort(key=by_due)
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
        _fields.check_instance(
            interview,
            Interview,
            "Policy.no_response_due",
            "interview",
            "pass the Interview waiting for a reply",
        )
        follow_ups = _fields.all_of(follow_ups, FollowUp, "Policy.no_response_due", "follow_ups")
        if interview.status is not Status.REQUESTED or interview.requested_at is None:
            return None
        zone = interview.sender.zone
        holidays = self.holidays_for(interview)
        if self.nudges == 0:
            return self.business_days_after(
                interview.requested_at, self.nudge_after_business_days, zone=zone, holidays=holidays
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
            last.done_at or last.due, self.give_up_after_business_days, zone=zone, holidays=holidays
        )

    def _wanted(
        self, group: list[Interview], existing: list[FollowUp], now: datetime
    ) -> list[FollowUp]:
        """Every follow-up the rules call for at ``now``, with this policy's timings."""
        found: list[FollowUp] = []
        for interview in group:
            holidays = self.holidays_for(interview)
            wait = partial(
                self.business_days_after,
                days=self.nudge_after_business_days,
                zone=interview.sender.zone,
                holidays=holidays,
            )
            found += rules.nudges(interview, existing, now, count=self.nudges, due=wait)
            found += rules.scheduling(
                interview,
                now,
                confirm=(self.invite_after, self.invite_overdue),
                remind_before=self.reminder_before,
                workday=partial(self.workday, holidays=holidays, back=True),
            )
            found += rules.after_interview(
                interview,
                now,
                thank_you=(self.thank_you_within, self.thank_you_overdue),
                progress_update=(self.progress_update_after, self.progress_update_overdue),
                close_loop=(self.close_loop_after, self.close_loop_overdue),
                intro_check_back=(self.intro_check_back, self.intro_check_back_overdue),
            )
            found += rules.intro_replies(interview, now, within=self.intro_reply_within)
        found += rules.check_ins(
            group,
            existing,
            now,
            every=self.check_in_every,
            workday=lambda at, interview: self.workday(at, self.holidays_for(interview)),
        )
        return found

    def card(self, interview: Interview, *, now: datetime | None = None) -> str:
        """Return the interview's HTML card with the follow-up this policy says is due next.

        ``interview._repr_html_()`` shows the same card without that row (the
        model knows no policy).
        """
        found = next_follow_up(interview, now=now, policy=self)
        return interview.card(next_follow_up=_show.follow_up(found))

    def __repr__(self) -> str:
        """Return a short repr of the timings that differ from the defaults (``Policy()``)."""
        return _show.short_repr("Policy", **{k: v for k, v, changed in self._timings() if changed})

    def _repr_html_(self) -> str:
        """Show every timing in a notebook; those you changed are marked."""
        rows = [(f"{k} (changed)" if changed else k, v) for k, v, changed in self._timings()]
        return _show.card("Follow-up policy", rows)

    _DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

    def _timings(self) -> list[tuple[str, str | int, bool]]:
        """Each field, its value as read (``7 days``, ``2 holidays``) and whether it was changed."""
        found: list[tuple[str, str | int, bool]] = []
        for field in attrs.fields(Policy):
            value = getattr(self, field.name)
            if isinstance(value, timedelta):
                shown: str | int = _show.span(value)
            elif field.name == "holidays":
                shown = f"{len(value)} date{'s' * (len(value) != 1)}" if value else "none"
            elif field.name == "weekend":
                shown = ", ".join(self._DAYS[day] for day in sorted(value)) or "none"
            elif field.name == "tiers":
                shown = ", ".join(f"{k} {_show.span(v)}" for k, v in value.items())
            elif field.name == "tag_tiers":
                shown = ", ".join(f"{k} → {v}" for k, v in value.items()) or "none"

            else:
                shown = value
            found.append((field.name, shown, value != field.default))
        return found


def _merge(result: list[FollowUp], wanted: list[FollowUp]) -> None:
    """Add to ``result`` what it lacks of ``wanted``; bring its pending ones up to date.

    A wanted follow-up already in ``result`` (see :meth:`FollowUp.same_as`)
    keeps its state; if still pending it takes the new due times, interview
    and contact (the latest record of the person, say with an email added).
    """
    index: dict[tuple[str, str, int, str], list[FollowUp]] = {}
    for follow_up in result:
        index.setdefault(follow_up.key, []).append(follow_up)
    for candidate in wanted:
        same = index.setdefault(candidate.key, [])
        old = next((f for f in reversed(same) if f.same_as(candidate)), None)
        if old is None:
            same.append(candidate)
            result.append(candidate)
        elif old.status is FollowUpStatus.PENDING:
            old.due, old.overdue_at = candidate.due, candidate.overdue_at
            old.interview, old.contact = candidate.interview, candidate.contact


def next_follow_up(
    interview: Interview, *, now: datetime | None = None, policy: Policy | None = None
) -> FollowUp | None:
    """Return the open follow-up a policy (the default one) has due first for ``interview``."""
    policy = policy if policy is not None else Policy()
    pending = [f for f in policy.plan(interview, now=now or datetime.now(UTC)) if f.open]
    return min(pending, key=lambda f: f.due.astimezone(UTC), default=None)
