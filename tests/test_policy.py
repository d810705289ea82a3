"""The follow-up policy: the lifecycle drives follow-ups, due times, no duplicates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given, settings, strategies as st

from infoview import (
    Contact,
    DueFollowUp,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    Interview,
    Policy,
    ReferralStatus,
    Source,
    Status,
    ValidationError,
    converter,
    due,
)

CHICAGO = ZoneInfo("America/Chicago")
BERLIN = ZoneInfo("Europe/Berlin")
FRIDAY = datetime(2026, 11, 20, 10, 0, tzinfo=CHICAGO)


def kinds(follow_ups: list[FollowUp]) -> list[str]:
    """The kinds of the open follow-ups, in order."""
    return [f.kind.value for f in follow_ups if f.open]


def only(follow_ups: list[FollowUp], kind: FollowUpKind) -> FollowUp:
    """The one follow-up of ``kind``."""
    (found,) = [f for f in follow_ups if f.kind is kind]
    return found


def completed(interview: Interview, at: datetime) -> Interview:
    """``interview`` requested, scheduled and held, ending at ``at``."""
    interview.request(at=at - timedelta(days=10))
    interview.schedule(at - timedelta(minutes=20), when=at - timedelta(days=9))
    interview.complete(at=at)
    return interview


def test_defaults_follow_the_design() -> None:
    """The defaults are the design's follow-up table."""
    policy = Policy()
    assert timedelta(days=2) == policy.reach_out_after_event
    assert timedelta(days=7) == policy.reach_out_after_conference
    assert (7, 1) == (policy.nudge_after_business_days, policy.nudges)
    assert timedelta(0) == policy.invite_after
    assert timedelta(days=1) == policy.reminder_before
    assert (timedelta(hours=24), timedelta(hours=48)) == (
        policy.thank_you_within,
        policy.thank_you_overdue,
    )
    assert (timedelta(days=7), timedelta(days=10)) == (
        policy.intro_check_back,
        policy.intro_check_back_overdue,
    )
    assert timedelta(hours=24) == policy.intro_reply_within
    assert (timedelta(weeks=4), timedelta(weeks=6)) == (
        policy.progress_update_after,
        policy.progress_update_overdue,
    )
    assert timedelta(days=120) == policy.keep_in_touch_every
    assert frozenset({5, 6}) == policy.weekend


@pytest.mark.parametrize(
    ("field", "value", "hint"),
    [
        ("thank_you_within", timedelta(hours=-1), "timedelta(days=7)"),
        ("nudges", -1, "e.g. 7"),
        ("weekend", range(7), "Monday=0"),
        ("holidays", [datetime(2026, 12, 25, tzinfo=UTC)], "date(2026, 12, 25)"),
        ("thank_you_overdue", timedelta(hours=12), "at least 1 day"),
    ],
)
def test_policy_refuses_bad_timings(field: str, value: object, hint: str) -> None:
    """A bad timing names the field and says what to pass."""
    with pytest.raises(ValidationError, match=field) as info:
        Policy(**{field: value})  # type: ignore[arg-type]
    assert field == info.value.field
    assert hint in str(info.value)


def test_policy_round_trips() -> None:
    """A policy saved as JSON loads back equal (durations as ISO 8601, holidays as dates)."""
    policy = Policy(holidays=[date(2026, 12, 25)], keep_in_touch_every=timedelta(days=90))
    data = converter.unstructure(policy)
    assert "P90D" == data["keep_in_touch_every"]
    assert ["2026-12-25"] == data["holidays"]
    assert policy == converter.loads(converter.dumps(policy), Policy)


def test_naive_now_is_refused(interview: Interview) -> None:
    """``now`` must carry a time zone, for planning and for the due view."""
    with pytest.raises(
        ValidationError, match=r"Policy\.plan\.now: .* is not a datetime with a time zone"
    ):
        Policy().plan(interview, now=datetime(2026, 11, 20))
    with pytest.raises(ValidationError, match="aware datetime"):
        due([], datetime(2026, 11, 20))


def test_reach_out_after_event_and_conference() -> None:
    """Write within 2 days of an event, 7 of a conference."""
    met = datetime(2026, 5, 4, 18, 0, tzinfo=BERLIN)
    assert datetime(2026, 5, 6, 18, 0, tzinfo=BERLIN) == Policy().reach_out_by(met)
    assert datetime(2026, 5, 11, 18, 0, tzinfo=BERLIN) == Policy().reach_out_by(
        met, Source.CONFERENCE
    )


# -- nudges ------------------------------------------------------------------------------


def test_nudge_for_a_friday_request_is_seven_business_days_later(interview: Interview) -> None:
    """A request sent Friday 10:00 gets its nudge on the Tuesday of the week after next."""
    assert 4 == FRIDAY.weekday()
    interview.request(at=FRIDAY)
    plan = Policy().plan(interview, now=FRIDAY)
    nudge = only(plan, FollowUpKind.NUDGE)
    assert datetime(2026, 12, 1, 10, 0, tzinfo=CHICAGO) == nudge.due
    assert 1 == nudge.attempt
    assert "outreach/nudge" == nudge.template
    assert interview.contact == nudge.contact


def test_nudge_skips_holidays() -> None:
    """Listed holidays are not business days (Thanksgiving and the day after)."""
    policy = Policy(holidays=[date(2026, 11, 26), date(2026, 11, 27)])
    assert datetime(2026, 12, 3, 10, 0, tzinfo=CHICAGO) == policy.business_days_after(FRIDAY, 7)


def test_nudge_keeps_local_time_across_dst() -> None:
    """Counting over the November DST change keeps 10:00 local in the sender's zone."""
    sent = datetime(2026, 10, 30, 15, 0, tzinfo=UTC)  # Friday 10:00 CDT
    nudge_at = Policy().business_days_after(sent, 7, zone=CHICAGO)
    assert datetime(2026, 11, 10, 10, 0, tzinfo=CHICAGO) == nudge_at
    assert datetime(2026, 11, 10, 16, 0, tzinfo=UTC) == nudge_at


def test_saturday_request_counts_from_monday() -> None:
    """A weekend request starts counting on Monday."""
    saturday = datetime(2026, 11, 21, 9, 0, tzinfo=BERLIN)
    assert datetime(2026, 12, 1, 9, 0, tzinfo=BERLIN) == Policy().business_days_after(saturday, 7)


def test_one_nudge_then_no_response(interview: Interview) -> None:
    """After the one nudge, no second one; giving up is due 7 business days later."""
    policy = Policy()
    interview.request(at=FRIDAY)
    plan = policy.plan(interview, now=FRIDAY)
    assert policy.no_response_due(interview, plan) is None
    nudge = only(plan, FollowUpKind.NUDGE)
    nudge.mark_done(at=nudge.due)
    later = nudge.due + timedelta(days=30)
    plan = policy.plan(interview, now=later, existing=plan)
    assert [nudge] == plan
    give_up = policy.no_response_due(interview, plan)
    assert datetime(2026, 12, 10, 10, 0, tzinfo=CHICAGO) == give_up
    interview.mark_no_response(at=later)
    assert [nudge] == policy.plan(interview, now=later, existing=plan)
    assert policy.no_response_due(interview, plan) is None


def test_two_nudges_when_configured(interview: Interview) -> None:
    """With nudges=2 the second follows the first one sent."""
    policy = Policy(nudges=2, nudge_after_business_days=3)
    interview.request(at=FRIDAY)
    plan = policy.plan(interview, now=FRIDAY)
    first = only(plan, FollowUpKind.NUDGE)
    first.mark_done(at=first.due)
    plan = policy.plan(interview, now=first.due, existing=plan)
    second = next(f for f in plan if f.attempt == 2)
    assert policy.business_days_after(first.due, 3) == second.due
    assert policy.no_response_due(interview, plan) is None


def test_skipped_nudge_ends_the_nudging(interview: Interview) -> None:
    """Skipping the first of two nudges: no second one; giving up counts from the skip."""
    policy = Policy(nudges=2)
    interview.request(at=FRIDAY)
    plan = policy.plan(interview, now=FRIDAY)
    only(plan, FollowUpKind.NUDGE).skip(at=FRIDAY + timedelta(days=1))
    plan = policy.plan(interview, now=FRIDAY + timedelta(days=20), existing=plan)
    assert 1 == len(plan)
    # Skipped on Saturday: counting starts Monday.
    assert datetime(2026, 12, 1, 10, 0, tzinfo=CHICAGO) == policy.no_response_due(interview, plan)


def test_no_nudges_gives_up_when_the_nudge_would_be_due(interview: Interview) -> None:
    """With nudges=0 nothing is planned; no_response is due after 7 business days."""
    policy = Policy(nudges=0)
    interview.request(at=FRIDAY)
    assert [] == policy.plan(interview, now=FRIDAY)
    assert datetime(2026, 12, 1, 10, 0, tzinfo=CHICAGO) == policy.no_response_due(interview)


def test_reply_before_the_nudge_skips_it(interview: Interview) -> None:
    """A pending nudge is skipped once the contact replies and a time is agreed."""
    policy = Policy()
    interview.request(at=FRIDAY)
    plan = policy.plan(interview, now=FRIDAY)
    reply = FRIDAY + timedelta(days=2)
    interview.schedule(FRIDAY + timedelta(days=10), when=reply)
    plan = policy.plan(interview, now=reply, existing=plan)
    nudge = only(plan, FollowUpKind.NUDGE)
    assert FollowUpStatus.SKIPPED is nudge.status
    assert reply == nudge.done_at
    assert ["confirm", "reminder"] == kinds(plan)


# -- scheduling --------------------------------------------------------------------------


def test_agreed_time_gives_invite_at_once_and_reminder_the_day_before(
    interview: Interview,
) -> None:
    """Confirm (with the invite) when agreed; remind a day before."""
    agreed = FRIDAY + timedelta(days=1)
    meeting = datetime(2026, 12, 3, 15, 0, tzinfo=CHICAGO)
    interview.request(at=FRIDAY)
    interview.schedule(meeting, when=agreed)
    plan = Policy().plan(interview, now=agreed)
    confirm = only(plan, FollowUpKind.CONFIRM)
    reminder = only(plan, FollowUpKind.REMINDER)
    assert agreed == confirm.due
    assert agreed + timedelta(hours=24) == confirm.overdue_at
    assert datetime(2026, 12, 2, 15, 0, tzinfo=CHICAGO) == reminder.due
    assert "scheduling/reminder" == reminder.template
    assert (1, 1) == (confirm.attempt, reminder.attempt)


def test_reschedule_confirms_again_and_moves_the_reminder(interview: Interview) -> None:
    """A new time: a second confirmation; the old reminder is skipped, a new one planned."""
    policy = Policy()
    interview.request(at=FRIDAY)
    interview.schedule(datetime(2026, 12, 3, 15, 0, tzinfo=CHICAGO), when=FRIDAY)
    plan = policy.plan(interview, now=FRIDAY)
    only(plan, FollowUpKind.CONFIRM).mark_done(at=FRIDAY)
    moved = FRIDAY + timedelta(days=3)
    interview.schedule(datetime(2026, 12, 8, 9, 0, tzinfo=CHICAGO), when=moved)
    plan = policy.plan(interview, now=moved, existing=plan)
    confirms = [f for f in plan if f.kind is FollowUpKind.CONFIRM]
    assert [(1, "done"), (2, "pending")] == [(f.attempt, f.status.value) for f in confirms]
    reminders = [f for f in plan if f.kind is FollowUpKind.REMINDER]
    assert [(1, "skipped"), (2, "pending")] == [(f.attempt, f.status.value) for f in reminders]
    assert datetime(2026, 12, 7, 9, 0, tzinfo=CHICAGO) == reminders[1].due


def test_short_notice_needs_no_reminder(interview: Interview) -> None:
    """Agreed less than a day ahead: the confirmation is the reminder."""
    interview.request(at=FRIDAY)
    interview.schedule(FRIDAY + timedelta(hours=5), when=FRIDAY)
    assert ["confirm"] == kinds(Policy().plan(interview, now=FRIDAY))


def test_cancel_skips_pending_scheduling_follow_ups(interview: Interview) -> None:
    """A cancelled interview needs no reminder."""
    policy = Policy()
    interview.request(at=FRIDAY)
    interview.schedule(FRIDAY + timedelta(days=5), when=FRIDAY)
    plan = policy.plan(interview, now=FRIDAY)
    interview.cancel(at=FRIDAY + timedelta(days=1))
    plan = policy.plan(interview, now=FRIDAY + timedelta(days=1), existing=plan)
    assert [] == kinds(plan)
    assert {FollowUpStatus.SKIPPED} == {f.status for f in plan}


# -- after the interview -----------------------------------------------------------------


def test_thank_you_for_a_friday_evening_interview_is_due_saturday(
    interview: Interview,
) -> None:
    """Completed Friday 17:30: thank-you due Saturday 17:30, overdue Sunday 17:30."""
    held = datetime(2026, 11, 20, 17, 30, tzinfo=CHICAGO)
    completed(interview, held)
    plan = Policy().plan(interview, now=held)
    thank_you = only(plan, FollowUpKind.THANK_YOU)
    assert datetime(2026, 11, 21, 17, 30, tzinfo=CHICAGO) == thank_you.due
    assert datetime(2026, 11, 22, 17, 30, tzinfo=CHICAGO) == thank_you.overdue_at
    assert "thank_you" == thank_you.template
    assert not thank_you.is_overdue(thank_you.due + timedelta(hours=1))
    assert thank_you.is_overdue(thank_you.overdue_at + timedelta(minutes=1))


def test_completed_interview_prompts_progress_update_and_check_in(
    interview: Interview,
) -> None:
    """A progress update after 4–6 weeks; a check-in 120 days after the last contact."""
    held = datetime(2026, 11, 20, 17, 30, tzinfo=CHICAGO)
    completed(interview, held)
    plan = Policy().plan(interview, now=held)
    assert ["thank_you", "progress_update", "check_in"] == kinds(plan)
    progress = only(plan, FollowUpKind.PROGRESS_UPDATE)
    assert (held + timedelta(weeks=4), held + timedelta(weeks=6)) == (
        progress.due,
        progress.overdue_at,
    )
    # 120 days on is Saturday 20 March: the check-in moves to the next working day.
    assert datetime(2027, 3, 22, 17, 30, tzinfo=CHICAGO) == only(plan, FollowUpKind.CHECK_IN).due


def test_due_times_keep_the_senders_wall_clock_across_dst(sender: Contact, ana: Contact) -> None:
    """Held 17:30 the evening before the clocks go back: thank-you due 17:30 next day."""
    interview = Interview(contact=ana, sender=sender.with_changes(timezone="Europe/Berlin"))
    held = datetime(2026, 10, 24, 15, 30, tzinfo=UTC)  # 17:30 in Berlin
    completed(interview, held)
    thank_you = only(Policy().plan(interview, now=held), FollowUpKind.THANK_YOU)
    assert datetime(2026, 10, 25, 17, 30, tzinfo=BERLIN) == thank_you.due
    assert "Europe/Berlin" == str(thank_you.due.tzinfo)
    assert held.astimezone(UTC) + timedelta(hours=25) == thank_you.due


def test_logged_interaction_resets_the_keep_in_touch_clock(interview: Interview) -> None:
    """Any logged interaction moves the next check-in; a done one starts the next cycle."""
    policy = Policy()
    held = datetime(2026, 11, 20, 17, 30, tzinfo=CHICAGO)
    completed(interview, held)
    plan = policy.plan(interview, now=held)
    check_in = only(plan, FollowUpKind.CHECK_IN)
    coffee = held + timedelta(days=50)
    interview.log("coffee at the conference", at=coffee)
    plan = policy.plan(interview, now=coffee, existing=plan)
    assert [check_in] == [f for f in plan if f.kind is FollowUpKind.CHECK_IN]
    # 120 days after the coffee is Sunday 9 May: the check-in moves to Monday.
    assert datetime(2027, 5, 10, 17, 30, tzinfo=CHICAGO) == check_in.due
    check_in.mark_done(at=check_in.due)
    plan = policy.plan(interview, now=check_in.due, existing=plan)
    second = [f for f in plan if f.kind is FollowUpKind.CHECK_IN and f.open]
    assert [(2, check_in.due + timedelta(days=120))] == [(f.attempt, f.due) for f in second]


def test_sent_thank_you_resets_the_clock(interview: Interview) -> None:
    """A follow-up you sent is an interaction too."""
    policy = Policy()
    held = datetime(2026, 11, 20, 17, 30, tzinfo=CHICAGO)
    completed(interview, held)
    plan = policy.plan(interview, now=held)
    sent = held + timedelta(hours=3)
    only(plan, FollowUpKind.THANK_YOU).mark_done(at=sent)
    plan = policy.plan(interview, now=sent, existing=plan)
    # 120 days on is Saturday 20 March: the check-in moves to the next working day.
    assert datetime(2027, 3, 22, 20, 30, tzinfo=CHICAGO) == only(plan, FollowUpKind.CHECK_IN).due


def test_check_in_spans_every_interview_with_a_person(sender: Contact, ana: Contact) -> None:
    """Planned over a person's interviews, there is one check-in, from the latest contact."""
    first = completed(Interview(contact=ana, sender=sender), FRIDAY)
    second = completed(Interview(contact=ana, sender=sender), FRIDAY + timedelta(days=60))
    now = FRIDAY + timedelta(days=60)
    plan = Policy().plan([first, second], now=now)
    check_ins = [f for f in plan if f.kind is FollowUpKind.CHECK_IN]
    assert [now + timedelta(days=120)] == [f.due for f in check_ins]
    assert second is check_ins[0].interview
    assert 2 == len([f for f in plan if f.kind is FollowUpKind.THANK_YOU])


def test_contact_gaining_an_email_keeps_its_check_in(ana: Contact, sender: Contact) -> None:
    """A contact who gains an email address is the same person: the check-in goes on."""
    policy = Policy()
    no_email = ana.with_changes(email=None)
    interview = completed(Interview(contact=no_email, sender=sender), FRIDAY)
    plan = policy.plan(interview, now=FRIDAY)
    check_in = only(plan, FollowUpKind.CHECK_IN)
    interview.contact = no_email.with_changes(email="ana@example.com")
    plan = policy.plan(interview, now=FRIDAY + timedelta(days=3), existing=plan)
    assert [check_in] == [f for f in plan if f.kind is FollowUpKind.CHECK_IN]
    assert (FollowUpStatus.PENDING, 1) == (check_in.status, check_in.attempt)
    assert "ana@example.com" == check_in.contact.email  # it goes to the current record
    check_in.mark_done(at=check_in.due)
    plan = policy.plan(interview, now=check_in.due, existing=plan)
    assert [2] == [f.attempt for f in plan if f.kind is FollowUpKind.CHECK_IN and f.open]


def test_a_changed_email_is_another_person(ana: Contact, sender: Contact) -> None:
    """Two different addresses are two people, whatever the names say."""
    interview = completed(Interview(contact=ana, sender=sender), FRIDAY)
    plan = Policy().plan(interview, now=FRIDAY)
    check_in = only(plan, FollowUpKind.CHECK_IN)
    moved = check_in.contact.with_changes(email="ana@elsewhere.example")
    assert not attrs.evolve(check_in, contact=moved).same_as(check_in)
    assert attrs.evolve(check_in, contact=ana.with_changes(email=None)).same_as(check_in)


def test_snoozed_follow_up_keeps_its_new_time(interview: Interview) -> None:
    """Snoozing is respected by later plans."""
    policy = Policy()
    held = datetime(2026, 11, 20, 17, 30, tzinfo=CHICAGO)
    completed(interview, held)
    plan = policy.plan(interview, now=held)
    thank_you = only(plan, FollowUpKind.THANK_YOU)
    later = held + timedelta(days=3)
    thank_you.snooze(later)
    plan = policy.plan(interview, now=held + timedelta(hours=1), existing=plan)
    assert (FollowUpStatus.SNOOZED, later) == (thank_you.status, thank_you.due)
    assert 1 == len([f for f in plan if f.kind is FollowUpKind.THANK_YOU])


def test_planning_again_never_duplicates(interview: Interview) -> None:
    """Recomputing the plan returns the same follow-ups, however often."""
    policy = Policy()
    held = datetime(2026, 11, 20, 17, 30, tzinfo=CHICAGO)
    completed(interview, held)
    plan = policy.plan(interview, now=held)
    again = plan
    for hours in range(5):
        again = policy.plan(interview, now=held + timedelta(hours=hours), existing=again)
    assert [id(f) for f in plan] == [id(f) for f in again]


def test_plan_survives_a_round_trip_through_json(interview: Interview) -> None:
    """Follow-ups saved as JSON and loaded again are recognized, not planned twice."""
    policy = Policy()
    held = datetime(2026, 11, 20, 17, 30, tzinfo=CHICAGO)
    completed(interview, held)
    interview.log("replied to my thank-you", at=held + timedelta(days=1))
    plan = policy.plan(interview, now=held)
    only(plan, FollowUpKind.THANK_YOU).mark_done(at=held + timedelta(hours=2))
    data = converter.dumps(plan)
    loaded = converter.loads(data, list[FollowUp])
    assert plan == loaded
    assert interview == converter.loads(converter.dumps(interview), Interview)
    again = policy.plan(interview, now=held + timedelta(days=2), existing=loaded)
    assert len(plan) == len(again)


# -- the due view ------------------------------------------------------------------------


def test_due_view_lists_the_window_overdue_first(interview: Interview) -> None:
    """Open follow-ups due within the window, overdue ones first and flagged."""
    policy = Policy()
    held = datetime(2026, 11, 20, 17, 30, tzinfo=CHICAGO)
    completed(interview, held)
    interview.suggest(Contact(name="Lin Okafor"), introduce=True)
    plan = policy.plan(interview, now=held)
    now = held + timedelta(days=8)
    lines = due(plan, now, within=timedelta(days=7))
    assert all(isinstance(line, DueFollowUp) for line in lines)
    assert [("thank_you", True), ("intro_request", False)] == [
        (line.follow_up.kind.value, line.overdue) for line in lines
    ]
    assert [] == due(plan, held, within=timedelta(hours=1))
    only(plan, FollowUpKind.THANK_YOU).mark_done(at=now)
    assert ["intro_request"] == [line.follow_up.kind.value for line in due(plan, now)]
    wide = due(plan, now, within=timedelta(days=365))
    assert ["intro_request", "progress_update", "check_in"] == [
        line.follow_up.kind.value for line in wide
    ]


# -- random timelines --------------------------------------------------------------------

ENDINGS = {
    "identified": [],
    "requested": ["request"],
    "no_response": ["request", "mark_no_response"],
    "declined": ["request", "decline"],
    "scheduled": ["request", "schedule"],
    "cancelled": ["request", "schedule", "cancel"],
    "completed": ["request", "schedule", "complete"],
}
EVENTS = st.sampled_from(("log", "suggest", "introduce", "send", "send", "skip", "wait"))


@st.composite
def timelines(draw: st.DrawFn) -> list[tuple[str, int, int]]:
    """A lifecycle to some ending, with other events and waits in between: (action, hours, pick)."""
    moves = list(ENDINGS[draw(st.sampled_from([*sorted(ENDINGS), "completed", "completed"]))])
    if "schedule" in moves:
        at = moves.index("schedule")
        moves[at:at] = ["schedule"] * draw(st.integers(0, 2))  # reschedules
    steps = []
    for move in [*moves, None]:
        for event in draw(st.lists(EVENTS, max_size=3 if move else 6)):
            steps.append((event, draw(st.integers(1, 24 * 40)), draw(st.integers(0, 5))))
        if move is not None:
            steps.append((move, draw(st.integers(1, 24 * 20)), 0))
    return steps


def _trigger(interview: Interview, follow_up: FollowUp) -> datetime:
    """The event that calls for ``follow_up``."""
    if follow_up.kind is FollowUpKind.NUDGE:
        assert interview.requested_at is not None
        return interview.requested_at
    if follow_up.kind in (FollowUpKind.CONFIRM, FollowUpKind.REMINDER):
        rounds = [c.at for c in interview.history if c.status == "scheduled"]
        return rounds[follow_up.attempt - 1]
    if follow_up.kind is FollowUpKind.INTRO_REPLY:
        referral = next(r for r in interview.referrals if r.person.name == follow_up.about)
        return referral.history[0].at
    held = interview.changed_at(Status.COMPLETED)
    assert held is not None
    return held


@settings(max_examples=60, deadline=None)
@given(
    start=st.datetimes(
        min_value=datetime(2024, 1, 1),
        max_value=datetime(2030, 1, 1),
        timezones=st.sampled_from([CHICAGO, BERLIN, UTC]),
        allow_imaginary=False,
    ),
    zone=st.sampled_from([None, "America/New_York", "Europe/Berlin"]),
    steps=timelines(),
    policy=st.builds(
        Policy,
        nudge_after_business_days=st.integers(0, 10),
        nudges=st.integers(0, 2),
        reminder_before=st.timedeltas(timedelta(0), timedelta(days=3)),
        keep_in_touch_every=st.timedeltas(timedelta(0), timedelta(days=200)),
        holidays=st.sets(st.dates(date(2024, 1, 1), date(2031, 1, 1)), max_size=20),
        weekend=st.sampled_from([{5, 6}, {4, 5}, set()]),
    ),
)
def test_random_timelines(
    start: datetime, zone: str | None, steps: list[tuple[str, int, int]], policy: Policy
) -> None:
    """Nothing due before its trigger, nothing planned twice, one thank-you per interview."""
    sender = Contact(name="Sam Rivera", email="sam@example.org", timezone=zone)
    introducer = Contact(name="Kim Lee", email="kim@example.org")
    interview = Interview(
        contact=Contact(name="Ana García", introduced_by=introducer), sender=sender
    )
    now = start
    plan: list[FollowUp] = []
    for n, (action, hours, pick) in enumerate(steps):
        # Elapsed hours: a wall-clock sum could land in a spring-forward gap.
        now = (now.astimezone(UTC) + timedelta(hours=hours)).astimezone(now.tzinfo)
        open_ones = [f for f in plan if f.open]
        if action == "schedule":
            interview.schedule(now + timedelta(hours=hours), when=now)
        elif action in ENDINGS["completed"] + ["cancel", "decline", "mark_no_response"]:
            getattr(interview, action)(at=now)
        elif action == "log":
            interview.log(at=now)
        elif action == "suggest":
            interview.suggest(Contact(name=f"Person {n}"), introduce=True)
        elif action == "introduce" and interview.referrals:
            referral = interview.referrals[-1]
            if referral.status is ReferralStatus.SUGGESTED:
                referral.advance(ReferralStatus.INTRODUCED, at=now)
        elif action in ("send", "skip") and open_ones:
            chosen = open_ones[pick % len(open_ones)]
            getattr(chosen, "mark_done" if action == "send" else "skip")(at=now)

        plan = policy.plan(interview, now=now, existing=plan)
        again = policy.plan(interview, now=now, existing=list(plan))
        assert [id(f) for f in plan] == [id(f) for f in again]

        identities = [(f.kind, f.attempt, f.about) for f in plan]
        assert len(identities) == len(set(identities)), identities
        for follow_up in plan:
            trigger = _trigger(interview, follow_up)
            assert trigger.astimezone(UTC) <= now.astimezone(UTC)
            assert follow_up.due.astimezone(UTC) >= trigger.astimezone(UTC)
            assert follow_up.overdue_at is None or (
                follow_up.overdue_at.astimezone(UTC) >= follow_up.due.astimezone(UTC)
            )
        thank_yous = [f for f in plan if f.kind is FollowUpKind.THANK_YOU]
        assert (1 if interview.status is Status.COMPLETED else 0) == len(thank_yous)
        closing = [f for f in plan if f.kind is FollowUpKind.CLOSE_LOOP]
        assert [introducer] * len(thank_yous) == [f.contact for f in closing]

    # Saved and loaded, the plan and the interview are unchanged and plan the same.
    loaded = converter.loads(converter.dumps(plan), list[FollowUp])
    assert plan == loaded
    assert interview == converter.loads(converter.dumps(interview), Interview)
    assert len(plan) == len(policy.plan(interview, now=now, existing=loaded))
