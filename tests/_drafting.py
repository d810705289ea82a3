"""Sample data for the template, draft, mail and lint tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from infoview import Contact, Interview, Medium, Party, QuestionBank, Register, Source

#: The 16 built-in template names pinned in DESIGN.md.
BUILTIN_NAMES = (
    "follow_up/check_in",
    "follow_up/progress_update",
    "outreach/alumni",
    "outreach/cold",
    "outreach/event",
    "outreach/nudge",
    "outreach/referral",
    "outreach/social",
    "outreach/warm",
    "questions/list",
    "referral/close_loop",
    "referral/forwardable_blurb",
    "referral/intro_request",
    "scheduling/confirm",
    "scheduling/reminder",
    "thank_you",
)


def sample_interview(
    *, locale: str = "en_US", name: str = "Ana García", sender_name: str = "Sam Rivera"
) -> Interview:
    """An interview with everything every built-in template can use."""
    me = Contact(
        name=sender_name,
        email="sam@example.org",
        headline="a nurse exploring health-tech product roles",
        school="State University",
        locale="en_US",
        timezone="America/Chicago",
    )
    lin = Contact(
        name="Lin Okafor",
        email="lin@example.net",
        title="Data Engineer",
        organization="Northwind",
    )
    ana = Contact(
        name=name,
        email="ana@example.com",
        title="Product Manager",
        organization="Acme Health",
        school="State University",
        source=Source.ALUMNI,
        source_detail="HealthTech Summit 2026",
        introduced_by=lin,
        locale=locale,
        timezone="America/Mexico_City",
        register=Register.FORMAL,
    )
    interview = Interview(
        contact=ana,
        sender=me,
        duration=timedelta(minutes=20),
        medium=Medium.VIDEO,
        scheduled_at=datetime(2026, 12, 3, 15, 0, tzinfo=ZoneInfo("America/Chicago")),
        questions=QuestionBank.default().plan(minutes=20),
        takeaways=["shadowing a product team for a week teaches more than any course"],
    )
    interview.suggest(lin, introduce=True)
    done = interview.promise("read Inspired by Marty Cagan", by=Party.ME)
    done.done_at = datetime(2026, 12, 20, tzinfo=ZoneInfo("UTC"))
    return interview
