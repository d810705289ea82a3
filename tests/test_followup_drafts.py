"""Each planned follow-up renders to its Draft through its template; confirmations carry invites."""

from __future__ import annotations

import email
import email.policy
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from infoview import (
    Contact,
    FollowUp,
    FollowUpKind,
    Interview,
    Party,
    Policy,
    ReferralStatus,
    Templates,
    invite_email,
    render,
)

CHICAGO = ZoneInfo("America/Chicago")
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=CHICAGO)


@pytest.fixture
def every_kind(interview: Interview) -> list[FollowUp]:
    """One follow-up of every kind, planned along a full timeline with a referral."""
    policy = Policy()
    interview.takeaways = ("clinical workflow knowledge is the edge in health-tech",)
    interview.request(at=T0)
    plan = policy.plan(interview, now=T0)
    interview.schedule(T0 + timedelta(days=10), when=T0 + timedelta(days=1))
    plan = policy.plan(interview, now=T0 + timedelta(days=1), existing=plan)
    held = T0 + timedelta(days=10, minutes=20)
    interview.complete(at=held)
    interview.promise("read the HL7 FHIR primer", by=Party.ME).done_at = held
    referral = interview.suggest(
        Contact(name="Lin Okafor", email="lin@example.net"), introduce=True
    )
    plan = policy.plan(interview, now=held, existing=plan)
    referral.advance(ReferralStatus.INTRODUCED, at=held + timedelta(days=2))
    plan = policy.plan(interview, now=held + timedelta(days=2), existing=plan)

    with_lin = Interview.from_referral(referral, interview.sender)
    with_lin.takeaways = ("start with the nursing informatics community",)
    with_lin.request(at=held)
    with_lin.schedule(held + timedelta(days=5), when=held)
    with_lin.complete(at=held + timedelta(days=5))
    plan += policy.plan(with_lin, now=held + timedelta(days=5))

    chosen = {f.kind: f for f in reversed(plan)}
    chosen[FollowUpKind.INTRO_REQUEST] = next(
        f for f in plan if f.kind is FollowUpKind.INTRO_REQUEST
    )
    assert set(FollowUpKind) == set(chosen)
    return list(chosen.values())


def test_every_follow_up_renders_through_its_template(every_kind: list[FollowUp]) -> None:
    """Each kind's draft comes from its template and goes to the follow-up's contact."""
    templates = Templates()
    for follow_up in every_kind:
        draft = templates.render_follow_up(follow_up)
        assert follow_up.template == draft.template
        assert follow_up.contact == draft.recipient
        assert draft.subject.strip()
        assert draft.text.strip()
        assert draft == render(follow_up.template, **follow_up.context()).with_changes(
            cc=draft.cc, message_id=draft.message_id
        )


def test_intro_reply_and_close_loop_name_the_right_people(every_kind: list[FollowUp]) -> None:
    """The reply to an introduction names the introducer; the loop closes about the person met."""
    templates = Templates()
    by_kind = {f.kind: f for f in every_kind}
    reply = templates.render_follow_up(by_kind[FollowUpKind.INTRO_REPLY])
    assert "Ana García" in reply.subject
    assert "Lin Okafor" == reply.recipient.name
    assert ["Ana García"] == [person.name for person in reply.cc]
    close_loop = templates.render_follow_up(by_kind[FollowUpKind.CLOSE_LOOP])
    assert "Ana García" == close_loop.recipient.name
    assert "Lin Okafor" in close_loop.subject + close_loop.text
    check_back = templates.render_follow_up(by_kind[FollowUpKind.INTRO_REQUEST])
    assert "Lin Okafor" in check_back.subject + check_back.text


def test_confirmation_carries_the_invite(interview: Interview) -> None:
    """scheduling/confirm plus its invite: a text/calendar; method=REQUEST alternative."""
    interview.request(at=T0)
    interview.schedule(T0 + timedelta(days=10), when=T0)
    draft = render("scheduling/confirm", interview=interview).attach(
        b"my notes", filename="notes.txt"
    )
    message = email.message_from_bytes(
        invite_email(draft, stamp=T0).as_bytes(), policy=email.policy.default
    )
    types = [part.get_content_type() for part in message.walk()]
    assert [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "text/calendar",
        "text/plain",
    ] == types
    invite = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    assert "REQUEST" == invite.get_param("method")
    calendar = icalendar.Calendar.from_ical(invite.get_payload(decode=True))
    (event,) = calendar.events
    assert f"{interview.id}@infoview" == event["uid"]
    assert interview.scheduled_at == event.start
