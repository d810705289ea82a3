"""Hostile input to the model: every refusal is an infoview error naming the field.

Values that could forge a header, wrong types, unknown enum values, absurd
times and durations, and verbs called wrongly. A refused verb leaves its
object exactly as it was (compared through ``infoview.converter``).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest

import infoview
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
    Policy,
    Promise,
    Question,
    QuestionBank,
    Referral,
    ReferralStatus,
    Register,
    Source,
    Status,
    StatusChange,
    calendar_cancellation,
    calendar_invite,
    invite_email,
)
from infoview.errors import TransitionError, ValidationError
from infoview.model import samples

DATA = Path(__file__).parent / "data"
CHICAGO = ZoneInfo("America/Chicago")
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=CHICAGO)
NAIVE = datetime(2026, 11, 2, 9, 0)


def hostile_lines() -> list[str]:
    """The hostile values in tests/data/hostile_fields.txt, escapes decoded."""
    text = (DATA / "hostile_fields.txt").read_text(encoding="ascii")
    return [
        codecs.decode(line, "unicode_escape")
        for line in text.splitlines()
        if line.strip() and not line.startswith("# ")
    ]


HOSTILE = hostile_lines()

# (class, the other required arguments) for every one-line text field.
ANA = Contact(name="Ana García", email="ana@example.com")
SAM = Contact(name="Sam Rivera", email="sam@example.org")
SINGLE_LINE_FIELDS: list[tuple[type, str, dict[str, Any]]] = [
    *[
        (Contact, field, {"name": "Ana"})
        for field in (
            "name",
            "given_name",
            "family_name",
            "title",
            "organization",
            "industry",
            "school",
            "headline",
            "source_detail",
            "phone",
            "pronouns",
        )
    ],
    *[(Interview, field, {"contact": ANA, "sender": SAM}) for field in ("purpose", "location")],
    (Question, "text", {"category": Category.ADVICE}),
    (Question, "key", {"text": "Why?", "category": Category.ADVICE}),
    (Promise, "text", {}),
    (FollowUp, "about", {"kind": FollowUpKind.NUDGE, "contact": ANA, "due": T0}),
]
ITEM_FIELDS: list[tuple[type, str, dict[str, Any]]] = [
    (Contact, "tags", {"name": "Ana"}),
    (Interview, "goals", {"contact": ANA, "sender": SAM}),
    (Interview, "takeaways", {"contact": ANA, "sender": SAM}),
    (Question, "probes", {"text": "Why?", "category": Category.ADVICE}),
]
MULTILINE_FIELDS: list[tuple[type, str, dict[str, Any]]] = [
    (Contact, "notes", {"name": "Ana"}),
    (Interview, "notes", {"contact": ANA, "sender": SAM}),
    (Referral, "note", {"person": ANA, "by": SAM}),
]


def refused(
    make: Callable[[], object], owner: str, field: str, error: type[Exception] = ValidationError
) -> ValidationError:
    """Call ``make``; check it raises ``error`` naming ``owner.field`` and saying what to do."""
    with pytest.raises(error) as info:
        make()
    assert error is type(info.value)
    assert isinstance(info.value, infoview.InfoviewError)
    if isinstance(info.value, ValidationError):
        assert owner == info.value.owner
        assert field == info.value.field
        assert info.value.hint, "every error says what to do"
    assert str(info.value).startswith(f"{owner}.{field}: "), str(info.value)
    return info.value


# -- text ----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", HOSTILE, ids=repr)
@pytest.mark.parametrize(
    ("cls", "field", "others"), SINGLE_LINE_FIELDS, ids=lambda x: getattr(x, "__name__", x)
)
def test_single_line_fields_refuse_hostile_text(
    cls: type, field: str, others: dict[str, Any], value: str
) -> None:
    """Line breaks, tabs, control and bidi characters, lone joiners, '=?…?=': all refused."""
    refused(lambda: cls(**{**others, field: value}), cls.__name__, field)


@pytest.mark.parametrize("value", HOSTILE, ids=repr)
@pytest.mark.parametrize(
    ("cls", "field", "others"), ITEM_FIELDS, ids=lambda x: getattr(x, "__name__", x)
)
def test_list_items_refuse_hostile_text(
    cls: type, field: str, others: dict[str, Any], value: str
) -> None:
    """Each tag, goal, takeaway and probe is one line of plain text; the error names the item."""
    refused(lambda: cls(**others, **{field: ["fine", value]}), cls.__name__, f"{field}[1]")


@pytest.mark.parametrize(
    "value", ["a\x00b", "a\u202eb", "a\x1bb", "a\u200bb", "\u200dnote"], ids=repr
)
@pytest.mark.parametrize(
    ("cls", "field", "others"), MULTILINE_FIELDS, ids=lambda x: getattr(x, "__name__", x)
)
def test_free_text_refuses_control_characters(
    cls: type, field: str, others: dict[str, Any], value: str
) -> None:
    """Notes may span lines but never hold invisible control characters."""
    refused(lambda: cls(**{**others, field: value}), cls.__name__, field)


@pytest.mark.parametrize(
    ("cls", "field", "others"), MULTILINE_FIELDS, ids=lambda x: getattr(x, "__name__", x)
)
def test_free_text_keeps_lines_and_tabs(cls: type, field: str, others: dict[str, Any]) -> None:
    """Line breaks and tabs in notes are kept as written."""
    note = "first line\n\tindented\r\nand =?not?= a header"
    assert note == getattr(cls(**others, **{field: note}), field)


@pytest.mark.parametrize(
    "name",
    [
        "محمد علي",
        "שרה כהן",
        "\u200fשרה\u200f Cohen",  # right-to-left marks stay allowed
        "李雷",
        "山田 太郎",
        "김민준",
        "می\u200cخواهم",  # ZWNJ between letters (Persian)
        "👩\u200d💻 Ana",  # ZWJ emoji sequence
        "Zoë O'Brien-Nguyễn",
    ],
)
def test_ordinary_scripts_are_kept(name: str) -> None:
    """Right-to-left text, CJK, joiners between letters and accents stay allowed."""
    contact = Contact(name=name, organization=name, tags=[name])
    assert name == contact.name == contact.organization
    assert (name,) == contact.tags


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", 123),
        ("name", None),
        ("title", True),
        ("organization", 4.5),
        ("headline", b"bytes"),
        ("notes", ["a list"]),
        ("email", 42),
        ("timezone", 7),
        ("locale", 1.0),
        ("linkedin", 3),
        ("tags", 123),
        ("tags", b"abc"),
        ("tags", {"a": 1}),
        ("tags", ["ok", 5]),
    ],
)
def test_contact_refuses_non_text(field: str, value: object) -> None:
    """Non-text is refused ("expected text"), never turned into text with str()."""
    kwargs = {"name": "Ana", field: value}
    named = "tags[1]" if isinstance(value, list) and field == "tags" else field
    error = refused(lambda: Contact(**kwargs), "Contact", named)
    assert "expected" in error.problem


# -- wrong types ---------------------------------------------------------------------------


WRONG_TYPES: list[tuple[str, Callable[[], object], str, str]] = [
    ("contact str", lambda: Interview(contact="Ana", sender=SAM), "Interview", "contact"),
    ("sender None", lambda: Interview(contact=ANA, sender=None), "Interview", "sender"),
    (
        "questions str",
        lambda: Interview(contact=ANA, sender=SAM, questions="abc"),
        "Interview",
        "questions",
    ),
    (
        "promises str",
        lambda: Interview(contact=ANA, sender=SAM, promises=["x"]),
        "Interview",
        "promises[0]",
    ),
    (
        "history int",
        lambda: Interview(contact=ANA, sender=SAM, history=[1]),
        "Interview",
        "history[0]",
    ),
    (
        "referrals",
        lambda: Interview(contact=ANA, sender=SAM, referrals="Lin"),
        "Interview",
        "referrals",
    ),
    (
        "interactions",
        lambda: Interview(contact=ANA, sender=SAM, interactions=[None]),
        "Interview",
        "interactions[0]",
    ),
    ("id spaces", lambda: Interview(contact=ANA, sender=SAM, id="a b"), "Interview", "id"),
    ("id header", lambda: Interview(contact=ANA, sender=SAM, id="x\r\nBcc: y"), "Interview", "id"),
    ("person str", lambda: Referral(person="x", by=ANA), "Referral", "person"),
    ("by None", lambda: Referral(person=ANA, by=None), "Referral", "by"),
    (
        "referral history",
        lambda: Referral(person=ANA, by=SAM, history=["x"]),
        "Referral",
        "history[0]",
    ),
    (
        "introduced_by str",
        lambda: Contact(name="Ana", introduced_by="Lin"),
        "Contact",
        "introduced_by",
    ),
    ("introduction str", lambda: Promise(text="x", introduction="Lin"), "Promise", "introduction"),
    (
        "follow-up contact",
        lambda: FollowUp(kind="nudge", contact="Ana", due=T0),
        "FollowUp",
        "contact",
    ),
    (
        "follow-up interview",
        lambda: FollowUp(kind="nudge", contact=ANA, due=T0, interview="x"),
        "FollowUp",
        "interview",
    ),
    (
        "attempt 0",
        lambda: FollowUp(kind="nudge", contact=ANA, due=T0, attempt=0),
        "FollowUp",
        "attempt",
    ),
    (
        "attempt str",
        lambda: FollowUp(kind="nudge", contact=ANA, due=T0, attempt="1"),
        "FollowUp",
        "attempt",
    ),
    ("due str", lambda: FollowUp(kind="nudge", contact=ANA, due="tomorrow"), "FollowUp", "due"),
    ("status change", lambda: StatusChange("done", T0), "StatusChange", "status"),
    ("agenda items", lambda: infoview.Agenda(questions=["Why?"]), "Agenda", "questions[0]"),
    ("agenda opening", lambda: infoview.Agenda(opening=-1), "Agenda", "opening"),
    ("bank items", lambda: QuestionBank(questions=[1]), "QuestionBank", "questions[0]"),
    (
        "priority",
        lambda: Question(text="Why?", category="advice", priority=9),
        "Question",
        "priority",
    ),
    ("policy holidays", lambda: Policy(holidays=123), "Policy", "holidays"),
    ("policy weekend", lambda: Policy(weekend=5), "Policy", "weekend"),
    (
        "policy huge",
        lambda: Policy(keep_in_touch_every=timedelta(days=10**6)),
        "Policy",
        "keep_in_touch_every",
    ),
    ("policy int for timedelta", lambda: Policy(thank_you_within=24), "Policy", "thank_you_within"),
    ("policy nudges", lambda: Policy(nudges=10**9), "Policy", "nudges"),
]


@pytest.mark.parametrize(
    ("make", "owner", "field"), [w[1:] for w in WRONG_TYPES], ids=[w[0] for w in WRONG_TYPES]
)
def test_wrong_types_are_refused(make: Callable[[], object], owner: str, field: str) -> None:
    """A value of the wrong type is a ValidationError naming the field, not a crash later."""
    refused(make, owner, field)


# -- enums ---------------------------------------------------------------------------------


ENUM_FIELDS: list[tuple[type, str, dict[str, Any], type]] = [
    (Contact, "source", {"name": "Ana"}, Source),
    (Contact, "register", {"name": "Ana"}, Register),
    (Contact, "honorific", {"name": "Ana"}, Honorific),
    (Interview, "medium", {"contact": ANA, "sender": SAM}, Medium),
    (Interview, "status", {"contact": ANA, "sender": SAM}, Status),
    (Promise, "by", {"text": "x"}, Party),
    (Referral, "status", {"person": ANA, "by": SAM}, ReferralStatus),
    (Question, "category", {"text": "Why?"}, Category),
    (FollowUp, "kind", {"contact": ANA, "due": T0}, FollowUpKind),
    (FollowUp, "status", {"kind": "nudge", "contact": ANA, "due": T0}, FollowUpStatus),
]


@pytest.mark.parametrize("value", ["linkedin", "", 3, None, ["alumni"], Register.INFORMAL])
@pytest.mark.parametrize(
    ("cls", "field", "others", "enum"), ENUM_FIELDS, ids=lambda x: getattr(x, "__name__", x)
)
def test_enum_fields_list_the_allowed_values(
    cls: type, field: str, others: dict[str, Any], enum: type, value: object
) -> None:
    """An unknown value is a ValidationError listing every allowed value."""
    if value is None and enum is Honorific:
        return  # no honorific is the default
    if value == "informal" and enum is Register:
        return  # that one is allowed
    error = refused(lambda: cls(**{**others, field: value}), cls.__name__, field)
    assert "use one of: " + ", ".join(m.value for m in enum) in str(error)


def test_enum_suggests_the_closest_value() -> None:
    """A near miss names the value meant."""
    error = refused(lambda: Contact(name="Ana", source="Alumni"), "Contact", "source")
    assert "'Alumni' is not a source; did you mean 'alumni'?" in str(error)
    assert Source.ALUMNI is Contact(name="Ana", source="alumni").source


# -- times, zones, durations, locales ------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "A" * 10_000,
        "America",
        "../../etc/passwd",
        "/etc/localtime",
        "Europe/Berlin\x00",
        "Mars/Base",
        "Europe/ Berlin",
    ],
    ids=lambda v: repr(v)[:20],
)
def test_time_zone_refused_before_zoneinfo(value: str) -> None:
    """Overlong and odd zone names are ValidationErrors, never OSError."""
    refused(lambda: Contact(name="Ana", timezone=value), "Contact", "timezone")


def test_zoneinfo_object_is_taken_by_name() -> None:
    """A ZoneInfo is stored as its IANA name."""
    assert "Europe/Berlin" == Contact(name="Ana", timezone=ZoneInfo("Europe/Berlin")).timezone


@pytest.mark.parametrize(
    "value", [10**20, -(10**20), float("nan"), float("inf"), 1e300, timedelta.max, "20", True]
)
def test_absurd_durations_refused(value: object) -> None:
    """Huge, infinite and not-a-number durations name the field."""
    refused(lambda: Interview(contact=ANA, sender=SAM, duration=value), "Interview", "duration")


@pytest.mark.parametrize(
    "value",
    [
        datetime(9998, 6, 1, tzinfo=UTC),
        datetime(9999, 12, 31, 23, tzinfo=CHICAGO),
        datetime(1, 1, 1, tzinfo=ZoneInfo("Europe/Berlin")),
        datetime(1899, 12, 31, tzinfo=UTC),
        NAIVE,
        "2026-11-02T09:00:00-06:00",
        1700000000,
    ],
    ids=repr,
)
def test_bad_times_refused(value: object) -> None:
    """Non-datetimes, naive ones and years outside 1900–9000 name the field."""
    error = refused(
        lambda: Interview(contact=ANA, sender=SAM, scheduled_at=value), "Interview", "scheduled_at"
    )
    if isinstance(value, datetime) and value.tzinfo is not None:
        assert "from 1900 to 9000" in str(error)


@pytest.mark.parametrize("year", [1900, 9000])
def test_calendar_works_at_the_edges_of_the_supported_years(year: int) -> None:
    """The first and last supported years give an invite that means the same instant."""
    interview = samples.interview()
    interview.request(at=T0)
    start = datetime(year, 6, 3, 15, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    interview.schedule(start, when=T0)
    (event,) = icalendar.Calendar.from_ical(calendar_invite(interview, stamp=T0)).events
    assert start.astimezone(UTC) == event.start.astimezone(UTC)


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("de-DE-u-co-phonebk", "de_DE"),
        ("sr-Latn-RS", "sr_Latn_RS"),
        ("en-US-x-twain", "en_US"),
        ("ca-ES-valencia", "ca_ES_VALENCIA"),
        ("zh-Hant-TW", "zh_Hant_TW"),
        ("es-419", "es_419"),
        ("EN-us", "en_US"),
        ("en_US.UTF-8", "en_US"),
    ],
)
def test_bcp47_tags_with_extensions(given: str, stored: str) -> None:
    """Extensions and private use are dropped; language, script, territory, variant kept."""
    assert stored == Contact(name="Ana", locale=given).locale


@pytest.mark.parametrize(
    "value", ["x-twain", "i-klingon", "und", "klingon", "en--US", "en-US-" + "a" * 20, "q" * 200]
)
def test_junk_locales_refused(value: str) -> None:
    """Tags naming no known language are refused with the field and an example."""
    error = refused(lambda: Contact(name="Ana", locale=value), "Contact", "locale")
    assert "BCP 47" in error.hint


# -- verbs change nothing when refused ----------------------------------------------------


def _requested() -> Interview:
    interview = samples.interview()
    interview.request(at=T0)
    return interview


def _scheduled() -> Interview:
    interview = _requested()
    interview.schedule(T0 + timedelta(days=7), when=T0 + timedelta(hours=1))
    return interview


def _cancelled() -> Interview:
    interview = _scheduled()
    interview.cancel(at=T0 + timedelta(days=1))
    return interview


LIN = Contact(name="Lin Okafor", email="lin@example.net")
INTERVIEW_VERBS: list[tuple[str, Callable[[], Interview], Callable[[Interview], object], type]] = [
    ("request str", samples.interview, lambda i: i.request(at="yesterday"), ValidationError),
    ("request naive", samples.interview, lambda i: i.request(at=NAIVE), ValidationError),
    ("request twice", _requested, lambda i: i.request(at=T0), TransitionError),
    ("schedule naive at", _requested, lambda i: i.schedule(NAIVE, when=T0), ValidationError),
    ("schedule bad when", _requested, lambda i: i.schedule(T0, when="now"), ValidationError),
    (
        "schedule naive when",
        _scheduled,
        lambda i: i.schedule(T0 + timedelta(days=9), when=NAIVE),
        ValidationError,
    ),
    (
        "schedule year 9998",
        _scheduled,
        lambda i: i.schedule(datetime(9998, 1, 1, tzinfo=UTC), when=T0),
        ValidationError,
    ),
    ("schedule cancelled", _cancelled, lambda i: i.schedule(T0), TransitionError),
    ("complete unscheduled", _requested, lambda i: i.complete(at=T0), TransitionError),
    ("complete str", _scheduled, lambda i: i.complete(at="today"), ValidationError),
    ("decline naive", _scheduled, lambda i: i.decline(at=NAIVE), ValidationError),
    (
        "cancel year 1",
        _scheduled,
        lambda i: i.cancel(at=datetime(1, 1, 2, tzinfo=UTC)),
        ValidationError,
    ),
    ("no_response int", _requested, lambda i: i.mark_no_response(at=5), ValidationError),
    ("no_response scheduled", _scheduled, lambda i: i.mark_no_response(at=T0), TransitionError),
    ("suggest str", _scheduled, lambda i: i.suggest("Lin"), ValidationError),
    ("suggest note", _scheduled, lambda i: i.suggest(LIN, note="a\x00b"), ValidationError),
    (
        "suggest promise",
        _scheduled,
        lambda i: i.suggest(LIN, introduce=True, promise_text="a\r\nBcc: x"),
        ValidationError,
    ),
    ("suggest introduce", _scheduled, lambda i: i.suggest(LIN, introduce="yes"), ValidationError),
    ("log note", _scheduled, lambda i: i.log("\u202eevil"), ValidationError),
    ("log at", _scheduled, lambda i: i.log("coffee", at="yesterday"), ValidationError),
    ("promise text", _scheduled, lambda i: i.promise("a\nb"), ValidationError),
    ("promise by", _scheduled, lambda i: i.promise("send notes", by="nobody"), ValidationError),
    ("promise due", _scheduled, lambda i: i.promise("send notes", due=NAIVE), ValidationError),
    ("assign status", _scheduled, lambda i: setattr(i, "status", "done"), ValidationError),
    (
        "assign duration",
        _scheduled,
        lambda i: setattr(i, "duration", float("inf")),
        ValidationError,
    ),
    ("assign contact", _scheduled, lambda i: setattr(i, "contact", "Ana"), ValidationError),
]


@pytest.mark.parametrize(
    ("make", "call", "error"),
    [v[1:] for v in INTERVIEW_VERBS],
    ids=[v[0] for v in INTERVIEW_VERBS],
)
def test_refused_interview_verb_changes_nothing(
    make: Callable[[], Interview], call: Callable[[Interview], object], error: type[Exception]
) -> None:
    """Every verb checks everything first: a refused call leaves the interview as it was."""
    interview = make()
    before = infoview.converter.unstructure(interview)
    with pytest.raises(error) as info:
        call(interview)
    assert type(info.value) is error
    assert isinstance(info.value, infoview.InfoviewError)
    assert before == infoview.converter.unstructure(interview)


def test_refused_reschedule_keeps_uid_sequence_and_time() -> None:
    """A reschedule refused for its ``when`` keeps the old time: the next invite still updates."""
    interview = _scheduled()
    old = interview.scheduled_at
    with pytest.raises(ValidationError, match=r"Interview\.schedule\.at"):
        interview.schedule(T0 + timedelta(days=9), when=NAIVE)
    assert old == interview.scheduled_at
    assert 1 == sum(c.status == "scheduled" for c in interview.history)


REFERRAL_VERBS: list[tuple[str, Callable[[Referral], object], type]] = [
    ("unknown status", lambda r: r.advance("nowhere", at=T0), ValidationError),
    ("str at", lambda r: r.advance(ReferralStatus.CONTACTED, at="now"), ValidationError),
    ("naive at", lambda r: r.advance(ReferralStatus.CONTACTED, at=NAIVE), ValidationError),
    ("backwards", lambda r: r.advance(ReferralStatus.SUGGESTED, at=T0), TransitionError),
    ("same", lambda r: r.advance(ReferralStatus.INTRODUCED, at=T0), TransitionError),
]


@pytest.mark.parametrize(
    ("call", "error"), [v[1:] for v in REFERRAL_VERBS], ids=[v[0] for v in REFERRAL_VERBS]
)
def test_refused_referral_advance_changes_nothing(
    call: Callable[[Referral], object], error: type[Exception]
) -> None:
    """Referral.advance checks the status and the time before it changes anything."""
    referral = _scheduled().suggest(LIN)
    referral.advance(ReferralStatus.INTRODUCED, at=T0)
    before = infoview.converter.unstructure(referral)
    with pytest.raises(error) as info:
        call(referral)
    assert type(info.value) is error
    assert before == infoview.converter.unstructure(referral)


FOLLOW_UP_VERBS: list[tuple[str, Callable[[FollowUp], object], str]] = [
    ("mark_done str", lambda f: f.mark_done(at="now"), "FollowUp.mark_done.at"),
    ("mark_done naive", lambda f: f.mark_done(at=NAIVE), "FollowUp.mark_done.at"),
    ("skip int", lambda f: f.skip(at=3), "FollowUp.skip.at"),
    ("snooze naive", lambda f: f.snooze(NAIVE), "FollowUp.snooze.until"),
    ("snooze far", lambda f: f.snooze(datetime(9500, 1, 1, tzinfo=UTC)), "FollowUp.snooze.until"),
    ("assign status", lambda f: setattr(f, "status", "sent"), "FollowUp.status"),
    ("is_overdue naive", lambda f: f.is_overdue(NAIVE), "FollowUp.is_overdue.now"),
]


@pytest.mark.parametrize(
    ("call", "where"), [v[1:] for v in FOLLOW_UP_VERBS], ids=[v[0] for v in FOLLOW_UP_VERBS]
)
def test_refused_follow_up_verb_changes_nothing(
    call: Callable[[FollowUp], object], where: str
) -> None:
    """FollowUp verbs check their time before changing the status."""
    follow_up = FollowUp(kind=FollowUpKind.NUDGE, contact=ANA, due=T0)
    before = infoview.converter.unstructure(follow_up)
    with pytest.raises(ValidationError, match=f"^{re.escape(where)}: "):
        call(follow_up)
    assert before == infoview.converter.unstructure(follow_up)


def test_refused_plan_changes_no_existing_follow_up() -> None:
    """Policy.plan checks every argument before it touches the follow-ups it was given."""
    interview = _scheduled()
    policy = Policy()
    now = T0 + timedelta(days=2)
    existing = policy.plan(interview, now=now)
    interview.cancel(at=now)  # every pending follow-up would now be skipped
    before = [infoview.converter.unstructure(f) for f in existing]
    with pytest.raises(ValidationError, match=r"Policy\.plan\.existing\[\d+\]"):
        policy.plan(interview, now=now, existing=[*existing, "not a follow-up"])
    with pytest.raises(ValidationError, match=r"Policy\.plan\.interviews"):
        policy.plan([interview, "Ana"], now=now, existing=existing)
    with pytest.raises(ValidationError, match=r"Policy\.plan\.now"):
        policy.plan(interview, now=datetime(9999, 1, 1, tzinfo=UTC), existing=existing)
    assert before == [infoview.converter.unstructure(f) for f in existing]


@pytest.mark.parametrize(
    ("call", "where"),
    [
        (lambda p: p.business_days_after(T0, 10**9), "Policy.business_days_after.days"),
        (lambda p: p.business_days_after("monday", 3), "Policy.business_days_after.start"),
        (
            lambda p: p.business_days_after(T0, 3, zone="Europe/Berlin"),
            "Policy.business_days_after.zone",
        ),
        (lambda p: p.reach_out_by(NAIVE), "Policy.reach_out_by.met_at"),
        (lambda p: p.reach_out_by(T0, "meetup"), "Policy.reach_out_by.source"),
        (lambda p: infoview.due([], T0, within=timedelta(days=-1)), "due.within"),
        (lambda p: infoview.due(["x"], T0), "due.follow_ups[0]"),
    ],
    ids=["days", "start", "zone", "met_at", "source", "within", "follow_ups"],
)
def test_policy_arguments_are_checked(call: Callable[[Policy], object], where: str) -> None:
    """Policy's methods refuse bad arguments by name instead of looping or crashing."""
    with pytest.raises(ValidationError, match=f"^{re.escape(where)}: "):
        call(Policy())


# -- calendar ------------------------------------------------------------------------------


def _ics_event(data: bytes) -> tuple[icalendar.Calendar, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(data)
    (event,) = calendar.events
    return calendar, event


@pytest.mark.parametrize("fold", [0, 1])
def test_fall_back_start_means_the_same_instant(fold: int) -> None:
    """01:30 on a fall-back night: the second one is written in UTC, the first keeps its zone."""
    interview = _requested()
    start = datetime(2026, 11, 1, 1, 30, fold=fold, tzinfo=CHICAGO)
    interview.schedule(start, when=T0)
    data = calendar_invite(interview, stamp=T0)
    _, event = _ics_event(data)
    instant = start.astimezone(UTC)
    assert instant == event.start.astimezone(UTC)
    # DURATION is exact time: the end is 20 minutes after that instant, and so is ends_at.
    assert timedelta(minutes=20) == event.duration
    assert instant + timedelta(minutes=20) == event.start.astimezone(UTC) + event.duration
    assert instant + timedelta(minutes=20) == interview.ends_at.astimezone(UTC)
    (alarm,) = event.walk("VALARM")
    assert -timedelta(minutes=15) == alarm.decoded("trigger")
    if fold:
        assert b"DTSTART:20261101T073000Z" in data
    else:
        assert b"DTSTART;TZID=America/Chicago:20261101T013000" in data
        assert "America/Chicago" == event["dtstart"].params["TZID"]


def test_ends_at_counts_elapsed_time_across_a_clock_change() -> None:
    """A 20-minute meeting at the first 01:50 of a fall-back night ends at the second 01:10."""
    interview = _requested()
    interview.schedule(datetime(2026, 11, 1, 1, 50, tzinfo=CHICAGO), when=T0)
    end = interview.ends_at
    assert end is not None
    assert timedelta(minutes=20) == end.astimezone(UTC) - interview.scheduled_at.astimezone(UTC)
    assert (1, 10, 1) == (end.hour, end.minute, end.fold)


class Note:
    """A stand-in draft: anything with ``interview`` and ``to_email()``."""

    def __init__(self, interview: Interview | None) -> None:
        self.interview = interview

    def to_email(self) -> Any:
        """A one-part plain-text message."""
        from email.message import EmailMessage

        message = EmailMessage()
        message["Subject"] = "About our meeting"
        message.set_content("See you.")
        return message


def _method(message: Any) -> tuple[str, icalendar.Event]:
    part = list(message.iter_parts())[-1]
    calendar, event = _ics_event(part.get_payload(decode=True))
    assert str(calendar["method"]) == part.get_param("method")
    return str(calendar["method"]), event


def test_invite_email_per_status() -> None:
    """Scheduled: REQUEST; cancelled or declined: a newer CANCEL; completed: refused."""
    scheduled = _scheduled()
    method, invite = _method(invite_email(Note(scheduled), stamp=T0))
    assert ("REQUEST", "CONFIRMED") == (method, invite["status"])

    for verb in ("cancel", "decline"):
        interview = _scheduled()
        getattr(interview, verb)(at=T0 + timedelta(days=1))
        method, event = _method(invite_email(Note(interview), stamp=T0))
        assert ("CANCEL", "CANCELLED") == (method, event["status"])
        assert invite["uid"] == event["uid"].replace(interview.id, scheduled.id)
        assert event["sequence"] > invite["sequence"]
        assert not event.walk("VALARM")
        refused(lambda i=interview: calendar_invite(i), "calendar_invite", "interview")

    held = _scheduled()
    held.complete(at=T0 + timedelta(days=7, hours=1))
    error = refused(lambda: invite_email(Note(held), stamp=T0), "invite_email", "interview")
    assert "completed" in error.problem


def test_invite_email_for_a_decline_without_a_time_is_refused() -> None:
    """A request declined before any time was set has no invite to withdraw."""
    interview = Interview(contact=ANA, sender=SAM)
    interview.request(at=T0)
    interview.decline(at=T0 + timedelta(days=1))
    error = refused(lambda: invite_email(Note(interview)), "invite_email", "interview")
    assert "no invite to withdraw" in error.problem
    cancelled = _scheduled()
    cancelled.cancel(at=T0)
    assert calendar_cancellation(cancelled, stamp=T0)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"stamp": "now"}, "stamp"),
        ({"stamp": NAIVE}, "stamp"),
        ({"alarm": timedelta(minutes=-5)}, "alarm"),
        ({"alarm": 15}, "alarm"),
        ({"summary": "Hi\r\nX-Evil: 1"}, "summary"),
        ({"description": "a\x00b"}, "description"),
    ],
    ids=["stamp str", "stamp naive", "alarm negative", "alarm int", "summary", "description"],
)
def test_calendar_arguments_are_checked(kwargs: dict[str, Any], field: str) -> None:
    """calendar_invite's own arguments are ValidationErrors naming them."""
    refused(lambda: calendar_invite(_scheduled(), **kwargs), "calendar_invite", field)
