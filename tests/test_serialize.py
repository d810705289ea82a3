"""Serialization: lossless round trips and errors that name the path."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings

import infoview
from infoview import (
    Agenda,
    Contact,
    FollowUp,
    Interview,
    Question,
    Referral,
    StructureError,
)
from infoview.model.serialize import structure_timedelta, unstructure_timedelta

from . import strategies as s

converter = infoview.converter
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(s.contacts(max_depth=2))
def test_contact_round_trip(contact: Contact) -> None:
    """Any valid contact survives the JSON round trip unchanged."""
    assert contact == converter.loads(converter.dumps(contact), Contact)


@SETTINGS
@given(s.interviews())
def test_interview_round_trip(interview: Interview) -> None:
    """Any valid interview survives the JSON round trip unchanged, zones included."""
    back = converter.loads(converter.dumps(interview), Interview)
    assert interview == back
    if interview.scheduled_at is not None:
        assert back.scheduled_at is not None
        assert str(interview.scheduled_at.tzinfo) == str(back.scheduled_at.tzinfo)
        assert interview.scheduled_at.utcoffset() == back.scheduled_at.utcoffset()


@SETTINGS
@given(s.questions)
def test_question_round_trip(question: Question) -> None:
    """Questions round-trip, keys included."""
    assert question == converter.loads(converter.dumps(question), Question)


@SETTINGS
@given(s.agendas)
def test_agenda_round_trip(agenda: Agenda) -> None:
    """Agendas round-trip."""
    assert agenda == converter.structure(converter.unstructure(agenda), Agenda)


@SETTINGS
@given(s.follow_ups)
def test_follow_up_round_trip(follow_up: FollowUp) -> None:
    """Follow-ups round-trip with their interview."""
    assert follow_up == converter.loads(converter.dumps(follow_up), FollowUp)


@SETTINGS
@given(s.referrals)
def test_referral_round_trip(referral: Referral) -> None:
    """Referrals round-trip."""
    assert referral == converter.loads(converter.dumps(referral), Referral)


def test_document_shape(interview: Interview) -> None:
    """Enums are stored by value, datetimes with offset and zone name, durations in ISO 8601."""
    data = converter.unstructure(interview)
    assert "alumni" == data["contact"]["source"]
    assert "video" == data["medium"]
    assert "identified" == data["status"]
    assert "2026-12-03T15:00:00-06:00[America/Chicago]" == data["scheduled_at"]
    assert "PT20M" == data["duration"]
    json.dumps(data)  # plain JSON types only


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(minutes=20), "PT20M"),
        (timedelta(days=7), "P7D"),
        (timedelta(days=1, hours=2, seconds=5), "P1DT2H5S"),
        (timedelta(0), "PT0S"),
        (timedelta(hours=-1), "-PT1H"),
        (timedelta(seconds=1.5), "PT1.5S"),
    ],
)
def test_durations(delta: timedelta, text: str) -> None:
    """Durations are written and read as ISO 8601."""
    assert text == unstructure_timedelta(delta)
    assert delta == structure_timedelta(text, timedelta)


def test_utc_and_fixed_offsets_round_trip(ana: Contact, sender: Contact) -> None:
    """Datetimes in UTC or a fixed offset keep their offset."""
    for when in (
        datetime(2026, 12, 3, 15, tzinfo=UTC),
        datetime(2026, 12, 3, 15, tzinfo=ZoneInfo("Asia/Kolkata")),
    ):
        interview = Interview(contact=ana, sender=sender, scheduled_at=when)
        back = converter.loads(converter.dumps(interview), Interview)
        assert when.utcoffset() == back.scheduled_at.utcoffset()  # type: ignore[union-attr]


def test_bad_zone_names_the_path(interview: Interview) -> None:
    """A bad nested value fails with the path to it."""
    data = converter.unstructure(interview)
    data["contact"]["timezone"] = "Mars/Base"
    with pytest.raises(StructureError) as info:
        converter.structure(data, Interview)
    assert isinstance(info.value, infoview.InfoviewError)
    assert "interview.contact.timezone" == info.value.path
    assert str(info.value).startswith(
        "interview.contact.timezone: 'Mars/Base' is not an IANA time zone"
    )


@pytest.mark.parametrize(
    ("change", "path", "says"),
    [
        (lambda d: d.update(duration="PT5M"), "interview.duration", "outside 10–60"),
        (lambda d: d.update(scheduled_at="tomorrow"), "interview.scheduled_at", "ISO 8601"),
        (lambda d: d.update(status="maybe"), "interview.status", "maybe"),
        (lambda d: d["contact"].pop("name"), "interview.contact.name", "required field missing"),
        (lambda d: d["sender"].update(email="nope"), "interview.sender.email", "valid email"),
        (
            lambda d: d["questions"]["questions"][0].update(priority=9),
            "interview.questions.questions[0].priority",
            "from 1 to 5",
        ),
    ],
)
def test_bad_documents(interview: Interview, change: object, path: str, says: str) -> None:
    """Each bad document raises StructureError naming where the bad value sits."""
    data = converter.unstructure(interview)
    change(data)  # type: ignore[operator]
    with pytest.raises(StructureError) as info:
        converter.structure(data, Interview)
    assert path == info.value.path
    assert says in str(info.value)


def test_structure_errors_say_what_to_do(interview: Interview) -> None:
    """A bad top-level or nested field keeps the validator's hint; a missing one says to add it."""
    data = converter.unstructure(interview)
    data["duration"] = "PT5M"
    with pytest.raises(StructureError, match="20 is the usual ask"):
        converter.structure(data, Interview)
    data = converter.unstructure(interview)
    del data["contact"]["name"]
    with pytest.raises(StructureError, match="add it to the document"):
        converter.structure(data, Interview)


def test_naive_datetime_in_document_refused(interview: Interview) -> None:
    """A datetime without offset or zone in a document is refused, naming the field."""
    data = converter.unstructure(interview)
    data["scheduled_at"] = "2026-12-03T15:00:00"
    with pytest.raises(StructureError, match=r"interview\.scheduled_at: .*has no time zone"):
        converter.structure(data, Interview)


def test_readme_snippet_round_trip(interview: Interview) -> None:
    """The README snippet: unstructure then structure gives an equal interview."""
    interview.request(at=datetime(2026, 11, 25, 9, tzinfo=UTC))
    interview.schedule(at=datetime(2026, 12, 3, 15, 0, tzinfo=ZoneInfo("America/Chicago")))
    data = converter.unstructure(interview)
    assert converter.structure(data, Interview) == interview
