"""Interview: fields, the status lifecycle, referrals and promises."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import attrs
import pytest

from infoview import (
    Contact,
    Interview,
    Medium,
    Party,
    ReferralStatus,
    Status,
    TransitionError,
    ValidationError,
)

BERLIN = ZoneInfo("Europe/Berlin")
T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def test_defaults(ana: Contact, sender: Contact) -> None:
    """A new interview is identified, 20 minutes, by video, with an empty agenda."""
    interview = Interview(contact=ana, sender=sender)
    assert Status.IDENTIFIED is interview.status
    assert timedelta(minutes=20) == interview.duration
    assert 20 == interview.minutes
    assert Medium.VIDEO is interview.medium
    assert () == interview.questions.questions
    assert 32 == len(interview.id)


def test_full_lifecycle_records_when(interview: Interview) -> None:
    """Each verb moves the status and records when it happened."""
    meeting = datetime(2026, 12, 3, 15, 0, tzinfo=BERLIN)
    interview.request(at=T0)
    interview.schedule(at=meeting, when=T0 + timedelta(days=1))
    interview.complete(at=meeting + timedelta(minutes=20))
    assert Status.COMPLETED is interview.status
    assert T0 == interview.requested_at
    assert meeting == interview.scheduled_at
    assert meeting + timedelta(minutes=20) == interview.ends_at
    assert ["requested", "scheduled", "completed"] == [c.status for c in interview.history]
    assert T0 + timedelta(days=1) == interview.changed_at(Status.SCHEDULED)
    assert interview.changed_at(Status.DECLINED) is None


def test_verbs_default_to_now(interview: Interview) -> None:
    """Without at=, a verb records the current time, timezone-aware."""
    before = datetime.now(UTC)
    interview.request()
    assert interview.requested_at is not None
    assert before <= interview.requested_at <= datetime.now(UTC)


@pytest.mark.parametrize(
    ("moves", "verb"),
    [
        ([], "complete"),
        ([], "mark_no_response"),
        (["request"], "complete"),
        (["request"], "request"),
        (["request", "decline"], "cancel"),
        (["cancel"], "request"),
        (["request", "mark_no_response"], "decline"),
    ],
)
def test_illegal_moves_raise(interview: Interview, moves: list[str], verb: str) -> None:
    """An illegal move raises TransitionError naming the status and the allowed ones."""
    for move in moves:
        getattr(interview, move)(at=T0)
    before = interview.status
    with pytest.raises(TransitionError) as info:
        getattr(interview, verb)(at=T0)
    assert isinstance(info.value, ValueError)
    assert str(info.value).startswith("Interview.status: ")
    assert f"cannot {verb}()" in str(info.value)
    assert before is interview.status, "a refused move changes nothing"


def test_complete_before_schedule_raises(interview: Interview) -> None:
    """complete() before schedule() is refused with a message saying when it is allowed."""
    interview.request(at=T0)
    with pytest.raises(TransitionError, match="allowed only when it is scheduled"):
        interview.complete()


def test_schedule_refused_leaves_time_alone(interview: Interview) -> None:
    """A refused schedule() does not change scheduled_at."""
    original = interview.scheduled_at
    interview.cancel(at=T0)
    with pytest.raises(TransitionError):
        interview.schedule(at=T0 + timedelta(days=3))
    assert original == interview.scheduled_at


def test_reschedule_and_late_reply(interview: Interview) -> None:
    """A scheduled interview can move; a late reply after no_response can still be scheduled."""
    interview.request(at=T0)
    interview.mark_no_response(at=T0 + timedelta(days=14))
    interview.schedule(at=T0 + timedelta(days=20), when=T0 + timedelta(days=15))
    interview.schedule(at=T0 + timedelta(days=21), when=T0 + timedelta(days=16))
    assert 2 == sum(c.status == "scheduled" for c in interview.history)
    assert T0 + timedelta(days=21) == interview.scheduled_at


def test_naive_datetime_refused(interview: Interview) -> None:
    """A naive datetime is refused, with a message saying to attach a zone."""
    interview.request(at=T0)
    with pytest.raises(ValidationError) as info:
        interview.schedule(at=datetime(2026, 12, 3, 15, 0))
    assert "scheduled_at" == info.value.field
    assert "attach one" in str(info.value)
    with pytest.raises(ValidationError, match="scheduled_at"):
        Interview(
            contact=interview.contact,
            sender=interview.sender,
            scheduled_at=datetime(2026, 12, 3, 15, 0),
        )


@pytest.mark.parametrize("minutes", [5, 9, 61, 120])
def test_duration_out_of_range(ana: Contact, sender: Contact, minutes: int) -> None:
    """Durations outside 10–60 minutes are refused, naming the field."""
    with pytest.raises(ValidationError) as info:
        Interview(contact=ana, sender=sender, duration=timedelta(minutes=minutes))
    assert "duration" == info.value.field
    assert f"{minutes} minutes" in str(info.value)


def test_duration_in_minutes(ana: Contact, sender: Contact) -> None:
    """A plain number of minutes is accepted as the duration."""
    assert timedelta(minutes=30) == Interview(contact=ana, sender=sender, duration=30).duration


def test_suggest_records_referral(interview: Interview) -> None:
    """A suggested person becomes a referral introduced by the contact."""
    lin = Contact(name="Lin Okafor", title="Data Engineer")
    referral = interview.suggest(lin, note="runs the data team")
    assert [referral] == interview.referrals
    assert interview.contact == referral.person.introduced_by
    assert interview.contact == referral.by
    assert interview.id == referral.interview_id
    referral.advance(ReferralStatus.INTRODUCED, at=T0)
    referral.advance(ReferralStatus.INTERVIEWED, at=T0)
    with pytest.raises(TransitionError, match="cannot go back from interviewed to contacted"):
        referral.advance(ReferralStatus.CONTACTED)
    assert ["introduced", "interviewed"] == [c.status for c in referral.history]


def test_promises(interview: Interview) -> None:
    """Promises in both directions are recorded."""
    theirs = interview.promise("introduce me to Lin Okafor", by=Party.THEM)
    mine = interview.promise("send my notes on the pilot", by="me")
    assert [theirs, mine] == interview.promises
    assert Party.THEM is theirs.by
    assert not mine.done


def test_time_in_spring_forward_gap_becomes_real(interview: Interview) -> None:
    """A wall time that does not exist (02:30 as clocks jump to 03:00) is stored as the real one."""
    chicago = ZoneInfo("America/Chicago")
    interview.scheduled_at = datetime(2028, 3, 12, 2, 30, tzinfo=chicago)
    assert datetime(2028, 3, 12, 3, 30, tzinfo=chicago) == interview.scheduled_at
    assert timedelta(hours=-5) == interview.scheduled_at.utcoffset()
    assert datetime(2028, 3, 12, 8, 30, tzinfo=UTC) == interview.scheduled_at


def test_naive_verb_time_refused(interview: Interview) -> None:
    """A verb given a naive time refuses it and leaves the status alone."""
    with pytest.raises(ValidationError, match="has no time zone; pass an aware datetime"):
        interview.request(at=datetime(2026, 11, 20, 9, 0))
    assert Status.IDENTIFIED is interview.status
    assert [] == interview.history


def test_schedule_after_an_in_person_yes(ana: Contact, sender: Contact) -> None:
    """An identified interview may be scheduled at once: the yes in person implies the request."""
    interview = Interview(contact=ana, sender=sender, medium=Medium.IN_PERSON)
    meeting = T0 + timedelta(days=3)
    interview.schedule(at=meeting, when=T0)
    assert Status.SCHEDULED is interview.status
    assert meeting == interview.scheduled_at
    assert interview.requested_at is None
    assert ["scheduled"] == [c.status for c in interview.history]


def test_between_gives_what_the_checked_constructor_gives() -> None:
    """Interview.between: equal to Interview(contact=, sender=) but its id; nothing shared."""
    ana = Contact(name="Ana García", email="ana@example.com", headline={"en": "a nurse"})
    me = Contact(name="Sam Rivera", email="sam@example.org")
    quick, checked = Interview.between(ana, me), Interview(contact=ana, sender=me)
    assert quick.id != checked.id
    assert attrs.evolve(quick, id=checked.id) == checked
    other = Interview.between(ana, me)
    other.log("a call")
    other.suggest(Contact(name="Bo Li"))
    assert ([], []) == (quick.interactions, quick.referrals)
    assert other.id != quick.id
    with pytest.raises(ValidationError, match="contact"):
        Interview.between("Ana", me)  # type: ignore[arg-type]


def test_between_makes_a_subclass_with_its_own_fields() -> None:
    """A subclass of Interview gets its own defaults from between, checked as usual."""

    @attrs.define
    class Mine(Interview):
        channel: str = "email"

    ana = Contact(name="Ana García", email="ana@example.com")
    me = Contact(name="Sam Rivera", email="sam@example.org")
    Interview.between(ana, me)  # Interview's defaults worked out first
    mine = Mine.between(ana, me)
    assert Mine is type(mine)
    assert "email" == mine.channel
    assert Interview is type(Interview.between(ana, me))
