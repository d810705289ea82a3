"""The rules of the follow-up policy: which follow-ups an interview's lifecycle calls for.

Each rule looks at one interview (or, for check-ins, every interview with a
person) at ``now`` and returns the follow-ups that exist by then: a follow-up
exists once its trigger has happened, even if it is due later. Due times are
on the sender's wall clock (their zone, else the trigger's). The timings come
from :class:`~infoview.Policy`, which applies every rule in :meth:`~infoview.Policy.plan`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from infoview.followups.followup import FollowUp, FollowUpKind, FollowUpStatus
from infoview.model._times import later, utc
from infoview.model.contact import Contact, same_person
from infoview.model.interview import Interview, Party, ReferralStatus, Status

__all__ = ["Window", "after_interview", "check_ins", "intro_replies", "nudges", "scheduling"]

#: How long after its trigger a follow-up is due, and how long after it is overdue.
Window = tuple[timedelta, timedelta]


def _local(value: datetime, interview: Interview) -> datetime:
    """Show ``value`` in the sender's zone (who acts on it), or leave it in its own."""
    zone = interview.sender.zone
    return value if zone is None else value.astimezone(zone)


def nudges(
    interview: Interview,
    existing: list[FollowUp],
    now: datetime,
    *,
    count: int,
    due: Callable[[datetime], datetime],
) -> list[FollowUp]:
    """Nudge a request that has no reply: the first ``due(requested)``, each next after a sent one.

    Args:
        interview: The interview.
        existing: The follow-ups planned before (which nudges were sent, and when).
        now: The current time.
        count: How many nudges at most.
        due: When a nudge is due, given when the request or the last nudge was sent.
    """
    if interview.status is not Status.REQUESTED or interview.requested_at is None:
        return []
    replied = interview.replied_at
    if replied is not None and utc(replied) >= utc(interview.requested_at):
        return []  # they answered: no nudge, and a pending one is skipped
    sent = {
        f.attempt: f
        for f in existing
        if f.kind is FollowUpKind.NUDGE
        and f.interview is not None
        and f.interview.id == interview.id
    }
    found = []
    trigger: datetime | None = interview.requested_at
    for attempt in range(1, count + 1):
        if trigger is None or utc(trigger) > utc(now):
            break
        found.append(
            FollowUp(
                kind=FollowUpKind.NUDGE,
                contact=interview.contact,
                due=due(trigger),
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


def scheduling(
    interview: Interview,
    now: datetime,
    *,
    confirm: Window,
    remind_before: timedelta,
    workday: Callable[[datetime], datetime] | None = None,
) -> list[FollowUp]:
    """Confirm an agreed time (with the invite) and remind the day before; again on reschedule.

    ``workday`` moves the reminder back to a working day (off a weekend or
    a holiday of the contact's); it is dropped if that is before the time
    was agreed.
    """
    if interview.status is not Status.SCHEDULED or interview.scheduled_at is None:
        return []
    rounds = [c.at for c in interview.history if c.status == Status.SCHEDULED.value]
    if not rounds or utc(rounds[-1]) > utc(now):
        return []
    agreed, attempt = rounds[-1], len(rounds)
    confirm_due = later(_local(agreed, interview), confirm[0])
    found = [
        FollowUp(
            kind=FollowUpKind.CONFIRM,
            contact=interview.contact,
            due=confirm_due,
            interview=interview,
            attempt=attempt,
            overdue_at=later(confirm_due, confirm[1]),
        )
    ]
    remind_at = later(_local(interview.scheduled_at, interview), -remind_before)
    if workday is not None:
        remind_at = workday(remind_at)
    # Agreed less than a day ahead: the confirmation already is the reminder.
    if utc(remind_at) >= utc(agreed):
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


def after_interview(
    interview: Interview,
    now: datetime,
    *,
    thank_you: Window,
    progress_update: Window,
    close_loop: Window,
    intro_check_back: Window,
) -> list[FollowUp]:
    """After the interview: thank-you, progress update, closing the loop, promised introductions."""
    held = interview.changed_at(Status.COMPLETED)
    if interview.status is not Status.COMPLETED or held is None or utc(held) > utc(now):
        return []
    held = _local(held, interview)

    def make(kind: FollowUpKind, window: Window, **kw: Any) -> FollowUp:
        return FollowUp(
            kind=kind,
            contact=kw.pop("contact", interview.contact),
            due=later(held, window[0]),
            interview=interview,
            overdue_at=later(held, window[1]),
            **kw,
        )

    found = [
        make(FollowUpKind.THANK_YOU, thank_you),
        make(FollowUpKind.PROGRESS_UPDATE, progress_update),
    ]
    introducer = interview.contact.introduced_by
    if introducer is not None:
        found.append(
            make(
                FollowUpKind.CLOSE_LOOP,
                close_loop,
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
            found.append(make(FollowUpKind.INTRO_REQUEST, intro_check_back, about=person.name))
    return found


def intro_replies(interview: Interview, now: datetime, *, within: timedelta) -> list[FollowUp]:
    """Reply to each introduction made (copying the introducer) ``within`` of it."""
    found = []
    for referral in interview.referrals:
        if referral.status is not ReferralStatus.INTRODUCED:
            continue
        introduced = [c.at for c in referral.history if c.status == ReferralStatus.INTRODUCED.value]
        if not introduced or utc(introduced[-1]) > utc(now):
            continue
        found.append(
            FollowUp(
                kind=FollowUpKind.INTRO_REPLY,
                contact=referral.person,
                due=later(_local(introduced[-1], interview), within),
                interview=interview,
                about=referral.person.name,
            )
        )
    return found


def check_ins(
    group: list[Interview],
    existing: list[FollowUp],
    now: datetime,
    *,
    every: timedelta | Callable[[Contact], timedelta],
    workday: Callable[[datetime, Interview], datetime] | None = None,
) -> list[FollowUp]:
    """Check in with each person ``every`` after the last contact with them, over all interviews.

    The people are told apart by :func:`~infoview.same_person`, and so
    are their follow-ups: a check-in belongs to the person, not to one interview.
    ``every`` is one cadence, or the cadence of a person (their tier's);
    ``workday`` moves a check-in off a weekend or a holiday of theirs.
    """
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
        held = [(at, i) for at, i in held if utc(at) <= utc(now)]
        if not held:
            continue
        anchor = max(held, key=lambda pair: utc(pair[0]))[1]
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
        last = max((t for t in times if utc(t) <= utc(now)), key=utc)
        cadence = every if isinstance(every, timedelta) else every(person)
        due = later(_local(last, anchor), cadence)
        if workday is not None:
            due = workday(due, anchor)
        found.append(
            FollowUp(
                kind=FollowUpKind.CHECK_IN,
                contact=person,
                due=due,
                interview=anchor,
                attempt=len(closed_check_ins) + 1,
            )
        )
    return found
