"""Referrals: chains traced back to the first interview, introductions, closing the loop."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from infoview import (
    Contact,
    FollowUpKind,
    FollowUpStatus,
    Interaction,
    Interview,
    Party,
    Policy,
    ReferralStatus,
    Source,
    converter,
    referral_chain,
)

CHICAGO = ZoneInfo("America/Chicago")
T0 = datetime(2026, 9, 1, 9, 0, tzinfo=CHICAGO)


def hold(interview: Interview, at: datetime) -> Interview:
    """Request, schedule and complete ``interview``, completing at ``at``."""
    interview.request(at=at - timedelta(days=7))
    interview.schedule(at - timedelta(minutes=20), when=at - timedelta(days=6))
    interview.complete(at=at)
    return interview


@pytest.fixture
def chain(ana: Contact, sender: Contact) -> list[Interview]:
    """Three interviews: Ana suggests Lin, Lin suggests Mo; each is held."""
    first = hold(Interview(contact=ana, sender=sender), T0)
    lin = first.suggest(Contact(name="Lin Okafor", email="lin@example.net"), introduce=True)
    second = hold(Interview.from_referral(lin, sender), T0 + timedelta(days=14))
    mo = second.suggest(Contact(name="Mo Haddad", email="mo@example.net"))
    third = hold(Interview.from_referral(mo, sender), T0 + timedelta(days=30))
    return [first, second, third]


def test_suggested_person_is_introduced_by_the_contact(chain: list[Interview]) -> None:
    """Each suggested person becomes a Contact with introduced_by and a Referral with a status."""
    first, second, _ = chain
    (referral,) = first.referrals
    assert first.contact == referral.by == referral.person.introduced_by
    assert first.id == referral.interview_id
    assert ReferralStatus.SUGGESTED is referral.status
    assert Source.REFERRAL is second.contact.source
    assert first.contact == second.contact.introduced_by


def test_introduce_records_the_promise(chain: list[Interview]) -> None:
    """suggest(introduce=True) records their promise to introduce, naming the person."""
    (promise,) = chain[0].promises
    assert Party.THEM is promise.by
    assert "introduce me to Lin Okafor" == promise.text
    assert chain[0].referrals[0].person == promise.introduction
    assert [] == chain[1].promises


def test_introduction_promise_in_your_words(ana: Contact, sender: Contact) -> None:
    """The promise text can be given, e.g. in the language the mail is written in."""
    interview = Interview(contact=ana, sender=sender)
    lin = Contact(name="Lin Okafor")
    interview.suggest(lin, introduce=True, promise_text="mich Lin Okafor vorzustellen")
    (promise,) = interview.promises
    assert ("mich Lin Okafor vorzustellen", lin.name) == (promise.text, promise.introduction.name)


def test_chain_of_three_traces_back_to_the_first_contact(
    chain: list[Interview], ana: Contact
) -> None:
    """The third contact's chain leads back through Lin to Ana's interview."""
    first, second, third = chain
    assert [first, second] == referral_chain(chain, third.contact)
    assert ana == referral_chain(reversed(chain), third.contact)[0].contact
    assert [first] == referral_chain(chain, second.contact)
    assert [] == referral_chain(chain, first.contact)


def test_chain_follows_introduced_by_without_referral_records(
    ana: Contact, sender: Contact
) -> None:
    """Without recorded referrals, introduced_by still links the interviews."""
    first = Interview(contact=ana, sender=sender)
    lin = Contact(name="Lin Okafor", introduced_by=ana)
    second = Interview(contact=lin, sender=sender)
    mo = Contact(name="Mo Haddad", introduced_by=lin)
    assert [first, second] == referral_chain([second, first], mo)


def test_chain_matches_an_edited_contact_by_email(chain: list[Interview]) -> None:
    """A contact edited since the referral (say, a new title) is still found."""
    third = chain[2]
    edited = third.contact.with_changes(title="Staff Engineer")
    assert chain[:2] == referral_chain(chain, edited)


def test_chain_stops_at_a_cycle(ana: Contact, sender: Contact) -> None:
    """Two people who suggested each other do not loop forever."""
    lin = Contact(name="Lin Okafor")
    with_ana = Interview(contact=ana, sender=sender)
    with_lin = Interview(contact=lin, sender=sender)
    with_ana.suggest(lin)
    with_lin.suggest(ana)
    assert [with_lin, with_ana] == referral_chain([with_ana, with_lin], lin)


def test_introducer_gets_a_close_loop(chain: list[Interview]) -> None:
    """After the referred interview, the introducer is told how it went."""
    _, second, third = chain
    held = third.changed_at("completed")
    assert held is not None
    plan = Policy().plan(third, now=held)
    (close_loop,) = [f for f in plan if f.kind is FollowUpKind.CLOSE_LOOP]
    assert second.contact == close_loop.contact
    assert "Mo Haddad" == close_loop.about
    assert "referral/close_loop" == close_loop.template
    assert held + timedelta(days=1) == close_loop.due
    assert held + timedelta(days=7) == close_loop.overdue_at
    assert third is close_loop.interview


def test_no_close_loop_without_an_introducer(chain: list[Interview]) -> None:
    """The first interview was nobody's referral."""
    first = chain[0]
    held = first.changed_at("completed")
    assert held is not None
    plan = Policy().plan(first, now=held)
    assert FollowUpKind.CLOSE_LOOP not in {f.kind for f in plan}


def test_promised_introduction_is_checked_back_after_7_to_10_days(
    chain: list[Interview],
) -> None:
    """A promised introduction: check back after 7 days, overdue after 10; kept, it goes."""
    first = chain[0]
    held = first.changed_at("completed")
    assert held is not None
    policy = Policy()
    plan = policy.plan(first, now=held)
    (check_back,) = [f for f in plan if f.kind is FollowUpKind.INTRO_REQUEST]
    assert ("Lin Okafor", "referral/intro_request") == (check_back.about, check_back.template)
    assert (held + timedelta(days=7), held + timedelta(days=10)) == (
        check_back.due,
        check_back.overdue_at,
    )
    introduced = held + timedelta(days=3)
    first.referrals[0].advance(ReferralStatus.INTRODUCED, at=introduced)
    plan = policy.plan(first, now=introduced, existing=plan)
    assert FollowUpStatus.SKIPPED is check_back.status
    (reply,) = [f for f in plan if f.kind is FollowUpKind.INTRO_REPLY]
    assert first.referrals[0].person == reply.contact
    assert introduced + timedelta(hours=24) == reply.due
    assert "outreach/referral" == reply.template


def test_outreach_to_a_referral_names_the_introducer(chain: list[Interview]) -> None:
    """The referred interview's contact carries the introducer the outreach names."""
    second = chain[1]
    introducer = second.contact.introduced_by
    assert introducer is not None
    assert "Ana García" == introducer.name


def test_logged_interactions_round_trip(chain: list[Interview]) -> None:
    """Interactions and introductions serialize losslessly."""
    first = chain[0]
    logged = first.log("liked my post", at=T0 + timedelta(days=40))
    assert Interaction(at=T0 + timedelta(days=40), note="liked my post") == logged
    assert T0 + timedelta(days=40) == first.last_interaction
    for interview in chain:
        assert interview == converter.loads(converter.dumps(interview), Interview)


def test_follow_up_context_names_who_it_is_about(chain: list[Interview]) -> None:
    """Template variables: the promised person, the introducer, the person met."""
    first, second, third = chain
    policy = Policy()
    held = first.changed_at("completed")
    assert held is not None
    (check_back,) = [
        f for f in policy.plan(first, now=held) if f.kind is FollowUpKind.INTRO_REQUEST
    ]
    lin = first.referrals[0].person
    assert {"follow_up": check_back, "recipient": first.contact, "interview": first} | {
        "person": lin
    } == check_back.context()

    first.referrals[0].advance(ReferralStatus.INTRODUCED, at=held)
    (reply,) = [f for f in policy.plan(first, now=held) if f.kind is FollowUpKind.INTRO_REPLY]
    context = reply.context()
    assert (lin, lin, first.contact) == (
        context["recipient"],
        context["contact"],
        context["referrer"],
    )

    done = third.changed_at("completed")
    assert done is not None
    (close_loop,) = [f for f in policy.plan(third, now=done) if f.kind is FollowUpKind.CLOSE_LOOP]
    assert (second.contact, third.contact) == (
        close_loop.context()["recipient"],
        close_loop.context()["person"],
    )
