"""Notebook views: short reprs and escaped HTML cards for the model's objects."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from infoview import (
    Agenda,
    Category,
    Contact,
    FollowUp,
    FollowUpKind,
    Interview,
    Policy,
    Question,
)
from tests._drafting import sample_interview

HOSTILE = "<script>alert(1)</script>"


def follow_up(interview: Interview) -> FollowUp:
    """The thank-you due a day after the sample interview."""
    assert interview.scheduled_at is not None
    due = interview.scheduled_at + timedelta(days=1)
    return FollowUp(FollowUpKind.THANK_YOU, interview.contact, due, interview=interview)


def test_sample_reprs_are_short_and_say_what_matters() -> None:
    """The sample's reprs name the essentials in one short line each."""
    interview = sample_interview()
    assert (
        "Interview(contact='Ana García', status='identified', "
        "scheduled_at='2026-12-03 15:00 CST', minutes=20, questions=7)"
    ) == repr(interview)
    assert (
        "Contact(name='Ana García', email='ana@example.com', organization='Acme Health', "
        "locale='en_US')"
    ) == repr(interview.contact)
    assert "Agenda(questions=7, minutes=20, slot=20)" == repr(interview.questions)
    assert (
        "FollowUp(kind='thank_you', to='Ana García', due='2026-12-04 15:00 CST', "
        "status='pending', attempt=1)"
    ) == repr(follow_up(interview))
    assert "Policy()" == repr(Policy())
    assert "Policy(nudge_after_business_days=5, thank_you_within='12 h')" == repr(
        Policy(nudge_after_business_days=5, thank_you_within=timedelta(hours=12))
    )


def test_reprs_stay_under_400_characters() -> None:
    """Long values and many changed fields still give a repr under 400 characters."""
    long = "x" * 2_000
    contact = Contact(name="N " + long, email="a@example.org", organization=long, locale="de")
    interview = sample_interview()
    interview.contact = contact
    every = Policy(
        nudge_after_business_days=3,
        nudges=2,
        give_up_after_business_days=3,
        holidays=[date(2026, 12, d) for d in range(1, 25)],
        weekend=[4],
        reach_out_after_event=timedelta(days=3),
        reach_out_after_conference=timedelta(days=9),
        invite_overdue=timedelta(hours=30),
        reminder_before=timedelta(hours=3),
        thank_you_within=timedelta(hours=12),
        intro_check_back=timedelta(days=5),
        intro_reply_within=timedelta(hours=12),
        close_loop_after=timedelta(days=2),
        progress_update_after=timedelta(weeks=3),
        keep_in_touch_every=timedelta(days=90),
    )
    for value in (contact, interview, interview.questions, follow_up(interview), every):
        assert len(repr(value)) < 400, repr(value)
    assert repr(every).endswith(" more)")


@pytest.mark.parametrize("view", ["interview", "contact", "agenda", "follow_up", "policy"])
def test_html_views_escape_what_they_show(view: str) -> None:
    """Every card escapes the values it shows (a name with <script> stays text)."""
    interview = sample_interview()
    interview.contact = interview.contact.with_changes(name=f"Ana {HOSTILE}")
    interview.promise(f"send {HOSTILE}")
    objects: dict[str, object] = {
        "interview": interview,
        "contact": interview.contact,
        "agenda": Agenda(questions=[Question(f"Why {HOSTILE}?", Category.ADVICE)]),
        "follow_up": follow_up(interview),
        "policy": Policy(),
    }
    html = objects[view]._repr_html_()  # type: ignore[attr-defined]
    assert "<script>" not in html
    if view != "policy":  # no text of yours
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_interview_card_shows_who_when_status_agenda_and_what_is_open() -> None:
    """The card has the person, the time, the status, the questions and open promises."""
    interview = sample_interview()
    interview.request(at=datetime.fromisoformat("2026-11-20T09:00-06:00"))
    html = interview._repr_html_()
    assert "Interview with Ana García" in html
    assert "Product Manager, Acme Health" in html
    assert "2026-12-03 15:00 CST; 20 min, video" in html
    assert "requested since 2026-11-20 09:00 UTC-06:00" in html
    assert "7 questions, 20 min" in html
    assert "<li>Who else do you think I should talk to? (2 min)</li>" in html
    assert "introduce me to Priya Nair (by them)" in html


def test_agenda_and_policy_cards() -> None:
    """The agenda lists its questions; the policy marks the timings you changed."""
    agenda = Agenda()
    assert "Agenda(questions=0, minutes=0)" == repr(agenda)
    assert "Agenda: 0 questions, 0 minutes" in agenda._repr_html_()
    html = Policy(nudges=2)._repr_html_()
    assert "nudges (changed)</th><td>2</td>" in html
    assert "weekend</th><td>Sat, Sun</td>" in html


def test_interview_card_names_the_next_follow_up() -> None:
    """The policy's card of a requested interview says which follow-up is due next."""
    interview = sample_interview()
    interview.request(at=datetime(2026, 11, 23, 15, 0, tzinfo=UTC))
    card = Policy().card(interview, now=datetime(2026, 11, 24, tzinfo=UTC))
    assert "Next follow-up" in card
    # Seven business days in the US (the contact's locale is en_US): Thanksgiving is skipped.
    assert "nudge, due 2026-12-03" in card
    assert "Next follow-up" not in interview._repr_html_()  # the model alone knows no policy
