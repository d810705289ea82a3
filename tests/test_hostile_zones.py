"""Misleading time zones: abbreviations refused with the place to use, aliases made canonical."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import icalendar
import pytest

import infoview
from infoview import Contact, Interview, ValidationError, calendar_invite, converter


@pytest.mark.parametrize(
    ("abbreviation", "use"),
    [
        ("EST", "America/New_York"),
        ("est", "America/New_York"),
        ("MST", "America/Denver"),
        ("HST", "Pacific/Honolulu"),
        ("EET", "Europe/Athens"),
        ("CET", "Europe/Berlin"),
        ("PST", "America/Los_Angeles"),
        ("EST5EDT", "America/New_York"),
    ],
)
def test_an_abbreviation_is_refused_with_the_place_to_use(abbreviation: str, use: str) -> None:
    """ "EST" and the like are refused, naming the IANA zone to use."""
    with pytest.raises(ValidationError) as info:
        Contact(name="Ana García", timezone=abbreviation)
    assert ("Contact", "timezone") == (info.value.owner, info.value.field)
    assert use in str(info.value)


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("US/Eastern", "America/New_York"),
        ("US/Pacific", "America/Los_Angeles"),
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("Europe/Kiev", "Europe/Kyiv"),
    ],
)
def test_an_alias_is_taken_as_its_canonical_name(alias: str, canonical: str) -> None:
    """ "US/Eastern" becomes "America/New_York"."""
    assert canonical == Contact(name="Ana García", timezone=alias).timezone


def test_an_abbreviated_zone_in_a_datetime_is_refused() -> None:
    """A datetime in ZoneInfo("EST") is refused where the model takes a time."""
    interview = Interview(contact=Contact(name="Ana García"), sender=Contact(name="Sam Rivera"))
    with pytest.raises(ValidationError) as info:
        interview.schedule(datetime(2026, 7, 14, 9, tzinfo=ZoneInfo("EST")))
    assert "America/New_York" in str(info.value)


def test_an_aliased_zone_in_a_datetime_is_canonical() -> None:
    """A datetime in ZoneInfo("US/Eastern") is kept in America/New_York, the same instant."""
    interview = Interview(contact=Contact(name="Ana García"), sender=Contact(name="Sam Rivera"))
    at = datetime(2026, 7, 14, 9, tzinfo=ZoneInfo("US/Eastern"))
    interview.schedule(at)
    assert interview.scheduled_at is not None
    assert ("America/New_York", at) == (str(interview.scheduled_at.tzinfo), interview.scheduled_at)


def _july_in_new_york(offset_only: bool) -> Interview:
    ana = Contact(name="Ana García", email="ana@example.com", timezone="America/New_York")
    sam = Contact(name="Sam Rivera", email="sam@example.org", timezone="America/Chicago")
    interview = Interview(contact=ana, sender=sam)
    zone = timezone(timedelta(hours=-4)) if offset_only else ZoneInfo("America/New_York")
    interview.schedule(datetime(2026, 7, 14, 9, tzinfo=zone), when=datetime(2026, 7, 1, tzinfo=UTC))
    return interview


@pytest.mark.parametrize("offset_only", [False, True])
def test_a_july_confirmation_for_new_york_says_edt(offset_only: bool) -> None:
    """July in New York is EDT in the confirmation, and the invite carries the zone."""
    interview = _july_in_new_york(offset_only)
    draft = infoview.render("scheduling/confirm", interview=interview, locale="en_US")
    assert "9:00\u202fAM EDT" in draft.text
    calendar = icalendar.Calendar.from_ical(calendar_invite(interview))
    zones = [str(c["TZID"]) for c in calendar.walk("VTIMEZONE")]
    start = calendar.walk("VEVENT")[0].decoded("DTSTART")
    assert (["America/New_York"], "America/New_York") == (zones, str(start.tzinfo))
    assert datetime(2026, 7, 14, 13, tzinfo=UTC) == start


def test_a_time_with_only_an_offset_keeps_the_zone_meant_when_loaded() -> None:
    """An interview file whose time has only an offset gets the person's zone back."""
    data = converter.unstructure(_july_in_new_york(offset_only=False))
    data["scheduled_at"] = "2026-07-14T09:00:00-04:00"
    loaded = converter.structure(data, Interview)
    assert loaded.scheduled_at is not None
    assert "America/New_York" == str(loaded.scheduled_at.tzinfo)
