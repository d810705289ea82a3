"""Hypothesis strategies for infoview's model."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from infoview import (
    Category,
    Contact,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    Honorific,
    Interview,
    Medium,
    Party,
    Promise,
    Question,
    QuestionBank,
    Referral,
    ReferralStatus,
    Register,
    Source,
    Status,
    StatusChange,
)
from infoview.model._text import problem
from infoview.model.names import UnreadableNameError, parse_name

ZONES = (
    "UTC",
    "America/Chicago",
    "America/New_York",
    "America/Mexico_City",
    "Europe/Berlin",
    "Europe/Paris",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Australia/Adelaide",
)
LOCALES = ("en", "en_US", "en_GB", "de", "de_AT", "de_CH", "fr", "fr_CA", "es", "es_MX", "ja")

NAMES = st.sampled_from(
    (
        "Ana García",
        "José Müller",
        "李雷",
        "Ørjan Nilsen",
        "Siobhán O'Brien",
        "Anna-Lena Schmidt",
        "Madonna",
        "Nguyễn Thị Minh Khai",
        "محمد علي",
        "Zoë 🌻 Park",
    )
)

# Printable single-line text: letters, digits, punctuation and spaces in any script,
# without what the model refuses in a header-bound field (e.g. an '=?…?=' span).
line_text = (
    st.text(
        alphabet=st.characters(categories=("L", "N", "P", "Zs", "S"), exclude_characters="\x85"),
        min_size=1,
        max_size=40,
    )
    .filter(lambda s: s.strip() != "")
    .filter(lambda s: problem(s) is None)
)


def _readable_name(text: str) -> bool:
    try:
        parse_name(text)
    except UnreadableNameError:
        return False
    return True


# Names as people write them; Contact refuses one that has no given or family
# name to find ("Dr.", "de la", "a, b, c"): tests/test_greetings.py covers those.
names = NAMES | line_text.filter(_readable_name)

# Free text over several lines (notes): any printable text, line breaks and tabs.
free_text = st.text(
    alphabet=st.characters(categories=("L", "N", "P", "Z", "S"), include_characters="\n\t\r"),
    max_size=80,
).filter(lambda s: problem(s, multiline=True) is None)

emails = st.builds(
    "{}@{}".format,
    st.from_regex(r"[a-z][a-z0-9._-]{0,15}[a-z0-9]", fullmatch=True).filter(
        lambda s: ".." not in s
    ),
    st.sampled_from(("example.com", "example.org", "mail.example.de", "münchen.example")),
)

aware_datetimes = st.datetimes(
    min_value=datetime(2020, 1, 1),
    max_value=datetime(2035, 12, 31),
    timezones=st.sampled_from(ZONES).map(ZoneInfo),
)


def contacts(max_depth: int = 1) -> st.SearchStrategy[Contact]:
    """Valid contacts, optionally introduced by another contact."""
    introducer = st.none() if max_depth <= 0 else st.none() | contacts(max_depth - 1)
    return st.builds(
        Contact,
        name=names,
        email=st.none() | emails,
        given_name=st.none() | line_text,
        honorific=st.none() | st.sampled_from(Honorific),
        title=st.none() | line_text,
        organization=st.none() | line_text,
        school=st.none() | line_text,
        headline=st.none() | line_text,
        source=st.sampled_from(Source),
        source_detail=st.none() | line_text,
        introduced_by=introducer,
        locale=st.none() | st.sampled_from(LOCALES),
        timezone=st.none() | st.sampled_from(ZONES),
        register=st.sampled_from(Register),
        tags=st.lists(line_text, max_size=3),
        notes=st.none() | free_text,
    )


questions = st.builds(
    Question,
    text=line_text,
    category=st.sampled_from(Category),
    priority=st.integers(1, 5),
    minutes=st.integers(1, 15),
    probes=st.lists(line_text, max_size=2),
)

agendas = st.builds(
    lambda minutes, cats: QuestionBank.default().plan(minutes, categories=cats),
    st.integers(10, 60),
    st.none() | st.sets(st.sampled_from(Category), min_size=1),
)

status_changes = st.builds(
    StatusChange, status=st.sampled_from([s.value for s in Status]), at=aware_datetimes
)


@st.composite
def interviews(draw: st.DrawFn) -> Interview:
    """Valid interviews in any status, with referrals and promises."""
    interview = Interview(
        contact=draw(contacts()),
        sender=draw(contacts(max_depth=0)),
        purpose=draw(st.none() | line_text),
        goals=draw(st.lists(line_text, max_size=2)),
        status=draw(st.sampled_from(Status)),
        requested_at=draw(st.none() | aware_datetimes),
        scheduled_at=draw(st.none() | aware_datetimes),
        duration=timedelta(minutes=draw(st.integers(10, 60))),
        medium=draw(st.sampled_from(Medium)),
        location=draw(st.none() | line_text),
        questions=draw(st.none() | agendas),
        notes=draw(st.none() | free_text),
        takeaways=draw(st.lists(line_text, max_size=2)),
        history=draw(st.lists(status_changes, max_size=3)),
    )
    for person in draw(st.lists(contacts(max_depth=0), max_size=2)):
        referral = interview.suggest(person)
        referral.status = draw(st.sampled_from(ReferralStatus))
    for text in draw(st.lists(line_text, max_size=2)):
        interview.promises.append(
            Promise(
                text=text, by=draw(st.sampled_from(Party)), due=draw(st.none() | aware_datetimes)
            )
        )
    return interview


@st.composite
def complete_interviews(draw: st.DrawFn) -> Interview:
    """Generated interviews given what every built-in template needs.

    A school, an event, an introducer, emails, a time, a takeaway, an agenda and a referral.
    """
    interview = draw(interviews())
    contact = interview.contact
    interview.contact = contact.with_changes(
        email=contact.email or "contact@example.com",
        school=contact.school or "State University",
        source_detail=contact.source_detail or "the spring meetup",
        introduced_by=contact.introduced_by or Contact(name="Lin Okafor"),
    )
    interview.sender = interview.sender.with_changes(
        email=interview.sender.email or "sender@example.org"
    )
    if interview.scheduled_at is None:
        interview.scheduled_at = datetime(2026, 12, 3, 15, tzinfo=ZoneInfo("UTC"))
    if not interview.takeaways:
        interview.takeaways = ("talk to people on the team first",)
    if not interview.questions.questions:
        interview.questions = QuestionBank.default().plan(minutes=interview.minutes)
    if not interview.referrals:
        interview.suggest(draw(contacts(max_depth=0)))
    return interview


follow_ups = st.builds(
    FollowUp,
    kind=st.sampled_from(FollowUpKind),
    contact=contacts(max_depth=0),
    due=aware_datetimes,
    interview=st.none() | interviews(),
    status=st.sampled_from(FollowUpStatus),
    attempt=st.integers(1, 3),
    overdue_at=st.none() | aware_datetimes,
)

referrals = st.builds(
    Referral,
    person=contacts(max_depth=0),
    by=contacts(max_depth=0),
    interview_id=st.none() | st.uuids().map(lambda u: u.hex),
    status=st.sampled_from(ReferralStatus),
)

__all__ = [
    "agendas",
    "aware_datetimes",
    "complete_interviews",
    "contacts",
    "emails",
    "follow_ups",
    "free_text",
    "interviews",
    "line_text",
    "questions",
    "referrals",
]
