"""Calendar invites: every .ics is parsed back with icalendar and its fields checked."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import icalendar
import pytest

from infoview import (
    Contact,
    Draft,
    Interview,
    Medium,
    MissingEmailError,
    MissingValueError,
    ValidationError,
    attach_invite,
    calendar_cancellation,
    calendar_invite,
    invite_email,
    mail,
)
from infoview.mail.calendar import invite_draft, sequence, uid

NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
STAMP = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)


def parse(data: bytes) -> tuple[icalendar.Calendar, icalendar.Event]:
    """The calendar and its one event."""
    calendar = icalendar.Calendar.from_ical(data)
    (event,) = calendar.events
    return calendar, event


def scheduled(interview: Interview, at: datetime) -> Interview:
    """``interview`` requested and scheduled for ``at``."""
    interview.request(at=STAMP)
    interview.schedule(at, when=STAMP + timedelta(hours=1))
    return interview


def test_invite_fields(interview: Interview) -> None:
    """METHOD:REQUEST, UID, zoned start, duration, organizer, attendee, alarm, agenda."""
    interview.purpose = "how nurses move into health-tech product roles"
    interview.location = "https://meet.example.com/abc-defg"
    scheduled(interview, datetime(2026, 12, 3, 15, 0, tzinfo=ZoneInfo("America/Chicago")))
    calendar, event = parse(calendar_invite(interview, stamp=STAMP))

    assert "REQUEST" == calendar["method"]
    assert "2.0" == calendar["version"]
    assert f"{interview.id}@infoview" == event["uid"] == uid(interview)
    assert 0 == event["sequence"]
    assert "CONFIRMED" == event["status"]
    assert datetime(2026, 12, 3, 21, 0, tzinfo=UTC) == event.start
    assert "America/Chicago" == event["dtstart"].params["TZID"]
    assert ["America/Chicago"] == [tz.tz_name for tz in calendar.timezones]
    assert timedelta(minutes=20) == event.duration
    assert STAMP == event["dtstamp"].dt

    organizer, attendee = event["organizer"], event["attendee"]
    assert "mailto:sam@example.org" == str(organizer)
    assert "Sam Rivera" == organizer.params["CN"]
    assert "mailto:ana@example.com" == str(attendee)
    assert "Ana García" == attendee.params["CN"]
    assert "TRUE" == attendee.params["RSVP"]
    assert "REQ-PARTICIPANT" == attendee.params["ROLE"]

    assert "https://meet.example.com/abc-defg" == event["location"] == event["url"]
    # Ana writes Spanish: the invite is in Spanish, her register (usted).
    assert "Entrevista informativa: Sam Rivera / Ana García" == event["summary"]
    description = str(event["description"])
    assert description.startswith(
        "Lo que me gustaría entender: how nurses move into health-tech product roles."
    )
    assert "https://meet.example.com/abc-defg" in description
    assert (
        "1. ¿De qué manera se refleja su carrera o formación en su trabajo actual?" in description
    )
    english = str(parse(calendar_invite(interview, stamp=STAMP, locale="en"))[1]["description"])
    assert english.startswith("I'm hoping to learn how nurses move into health-tech product roles.")
    for question in interview.questions.questions:
        assert question.text in english
    (alarm,) = event.walk("VALARM")
    assert "DISPLAY" == alarm["action"]
    assert timedelta(minutes=-15) == alarm["trigger"].dt


def test_in_person_place_and_options(interview: Interview) -> None:
    """A place goes to LOCATION (no URL); summary, description and alarm are configurable."""
    interview.medium = Medium.IN_PERSON
    interview.location = "Café Einstein, Kurfürstenstraße 58, Berlin"
    scheduled(interview, datetime(2026, 12, 3, 9, 0, tzinfo=BERLIN))
    data = calendar_invite(
        interview, summary="Coffee with Ana", description="Bring questions", alarm=None
    )
    _, event = parse(data)
    assert "Café Einstein, Kurfürstenstraße 58, Berlin" == event["location"]
    assert "url" not in event
    assert ("Coffee with Ana", "Bring questions") == (event["summary"], event["description"])
    assert [] == event.walk("VALARM")


@pytest.mark.parametrize(
    ("local", "utc"),
    [
        # The day after the November 2026 change in New York: EST, UTC-5.
        (datetime(2026, 11, 2, 9, 0, tzinfo=NEW_YORK), datetime(2026, 11, 2, 14, 0, tzinfo=UTC)),
        # The day before it: still EDT, UTC-4.
        (datetime(2026, 10, 31, 9, 0, tzinfo=NEW_YORK), datetime(2026, 10, 31, 13, 0, tzinfo=UTC)),
        # New York in March, after its change, while Berlin still has winter time.
        (datetime(2026, 3, 9, 9, 0, tzinfo=NEW_YORK), datetime(2026, 3, 9, 13, 0, tzinfo=UTC)),
        # Berlin the day after its October change (CET, UTC+1) and after March's (CEST).
        (datetime(2026, 10, 26, 9, 0, tzinfo=BERLIN), datetime(2026, 10, 26, 8, 0, tzinfo=UTC)),
        (datetime(2026, 3, 30, 9, 0, tzinfo=BERLIN), datetime(2026, 3, 30, 7, 0, tzinfo=UTC)),
    ],
)
def test_start_across_daylight_saving_changes(
    interview: Interview, local: datetime, utc: datetime
) -> None:
    """The parsed start is the right instant on both sides of each DST change."""
    scheduled(interview, local)
    calendar, event = parse(calendar_invite(interview, stamp=STAMP))
    assert utc == event.start.astimezone(UTC)
    assert (local.hour, local.minute) == (event.start.hour, event.start.minute)
    (zone,) = calendar.timezones
    assert str(local.tzinfo) == zone.tz_name
    assert 1 <= len(zone.standard)
    assert 1 <= len(zone.daylight)


def test_fixed_offset_start_is_written_in_utc(interview: Interview) -> None:
    """A start without an IANA zone is written in UTC, with no VTIMEZONE."""
    from datetime import timezone

    scheduled(interview, datetime(2026, 11, 2, 9, 0, tzinfo=timezone(timedelta(hours=-5))))
    data = calendar_invite(interview, stamp=STAMP)
    calendar, event = parse(data)
    assert b"DTSTART:20261102T140000Z" in data
    assert [] == calendar.timezones
    assert datetime(2026, 11, 2, 14, 0, tzinfo=UTC) == event.start


def test_reschedule_bumps_sequence_with_the_same_uid(interview: Interview) -> None:
    """Each reschedule is the same event with a higher SEQUENCE; the history says how many."""
    scheduled(interview, datetime(2026, 11, 2, 9, 0, tzinfo=NEW_YORK))
    _, first = parse(calendar_invite(interview, stamp=STAMP))
    interview.schedule(datetime(2026, 11, 4, 9, 0, tzinfo=NEW_YORK), when=STAMP)
    _, second = parse(calendar_invite(interview, stamp=STAMP))
    interview.schedule(datetime(2026, 11, 5, 9, 0, tzinfo=NEW_YORK), when=STAMP)
    _, third = parse(calendar_invite(interview, stamp=STAMP))
    assert first["uid"] == second["uid"] == third["uid"]
    assert [0, 1, 2] == [first["sequence"], second["sequence"], third["sequence"]]
    assert datetime(2026, 11, 5, 14, 0, tzinfo=UTC) == third.start


def test_cancel_sends_method_cancel(interview: Interview) -> None:
    """A cancellation: METHOD:CANCEL, STATUS:CANCELLED, same UID, higher SEQUENCE, no alarm."""
    scheduled(interview, datetime(2026, 11, 2, 9, 0, tzinfo=NEW_YORK))
    _, invite = parse(calendar_invite(interview, stamp=STAMP))
    interview.cancel(at=STAMP + timedelta(days=1))
    calendar, event = parse(calendar_cancellation(interview, stamp=STAMP))
    assert "CANCEL" == calendar["method"]
    assert "CANCELLED" == event["status"]
    assert invite["uid"] == event["uid"]
    assert invite["sequence"] + 1 == event["sequence"] == sequence(interview)
    assert [] == event.walk("VALARM")


def test_unscheduled_interview_is_refused(ana: Contact, sender: Contact) -> None:
    """No agreed time, no invite; the error names the field and the fix."""
    with pytest.raises(ValidationError, match=r"scheduled_at.*interview\.schedule"):
        calendar_invite(Interview(contact=ana, sender=sender))


def test_contact_without_email_is_refused(interview: Interview) -> None:
    """The attendee needs an address."""
    interview.contact = interview.contact.with_changes(email=None)
    with pytest.raises(ValidationError, match="Ana García has no email") as info:
        calendar_invite(interview)
    assert ("Contact", "email") == (info.value.owner, info.value.field)


def test_missing_email_is_one_error_for_invites_and_mail(interview: Interview) -> None:
    """An invite and a message refuse a contact without an address with the same error."""
    interview.contact = interview.contact.with_changes(email=None)
    with pytest.raises(MissingEmailError) as invite:
        calendar_invite(interview)
    with pytest.raises(MissingEmailError) as message:
        mail.address(interview.contact)
    for error in (invite.value, message.value):
        assert isinstance(error, MissingValueError)
        assert (interview.contact, "email") == (error.contact, error.field)


def test_attach_invite_makes_an_accept_decline_message(interview: Interview) -> None:
    """The invite rides as text/calendar; method=REQUEST next to the text body."""
    scheduled(interview, datetime(2026, 11, 2, 9, 0, tzinfo=NEW_YORK))
    message = EmailMessage()
    message["Subject"] = "Confirmed: Monday 9:00"
    message.set_content("See you on Monday.")
    ics = calendar_invite(interview, stamp=STAMP)
    attach_invite(message, ics)

    parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    assert "multipart/alternative" == parsed.get_content_type()
    text, calendar_part = parsed.iter_parts()  # type: ignore[attr-defined]
    assert "text/plain" == text.get_content_type()
    assert "text/calendar" == calendar_part.get_content_type()
    assert "REQUEST" == calendar_part.get_param("method")
    assert "utf-8" == calendar_part.get_content_charset()
    assert ics == calendar_part.get_payload(decode=True)
    calendar, _ = parse(calendar_part.get_payload(decode=True))
    assert "REQUEST" == calendar["method"]


def test_attach_invite_to_a_message_with_attachments(interview: Interview) -> None:
    """With attachments already there, the invite joins the body part."""
    scheduled(interview, datetime(2026, 11, 2, 9, 0, tzinfo=NEW_YORK))
    message = EmailMessage()
    message.set_content("See you on Monday.")
    message.add_attachment(b"notes", maintype="application", subtype="octet-stream")
    attach_invite(message, calendar_invite(interview, stamp=STAMP))
    body, _ = message.iter_parts()
    assert ["text/plain", "text/calendar"] == [p.get_content_type() for p in body.iter_parts()]


def test_attach_invite_refuses_a_mismatched_method(interview: Interview) -> None:
    """A cancellation cannot be attached as a REQUEST."""
    scheduled(interview, datetime(2026, 11, 2, 9, 0, tzinfo=NEW_YORK))
    with pytest.raises(ValidationError, match="METHOD:CANCEL"):
        attach_invite(EmailMessage(), calendar_cancellation(interview, stamp=STAMP))


class Note:
    """A stand-in for a rendered draft: anything with ``to_email()`` and ``interview``."""

    def __init__(self, interview: Interview | None) -> None:
        self.interview = interview

    def to_email(self) -> EmailMessage:
        """A one-part plain-text message."""
        message = EmailMessage()
        message["Subject"] = "See you Monday"
        message.set_content("See you on Monday.")
        return message


def test_invite_email_carries_request_then_cancel(interview: Interview) -> None:
    """The confirmation carries the REQUEST; once cancelled, the CANCEL."""
    scheduled(interview, datetime(2026, 11, 2, 9, 0, tzinfo=NEW_YORK))
    parts = list(invite_email(Note(interview), stamp=STAMP).iter_parts())
    assert "REQUEST" == parts[-1].get_param("method")
    interview.cancel(at=STAMP)
    message = invite_email(Note(None), interview, stamp=STAMP)
    calendar_part = list(message.iter_parts())[-1]
    assert "CANCEL" == calendar_part.get_param("method")
    calendar, _ = parse(calendar_part.get_payload(decode=True))
    assert "CANCEL" == calendar["method"]


def test_invite_email_needs_an_interview() -> None:
    """A draft about no interview cannot carry an invite."""
    with pytest.raises(ValidationError, match="pass interview="):
        invite_email(Note(None))


def _leaves(message: EmailMessage) -> list[tuple[str, object, object]]:
    """Each part that is no multipart: its type, method and decoded content."""
    return [
        (p.get_content_type(), p.get_param("method"), p.get_payload(decode=True))
        for p in message.walk()
        if not p.is_multipart()
    ]


def test_a_draft_carries_its_invite_as_attach_invite_adds_it(interview: Interview) -> None:
    """Draft.invite is written where attach_invite puts a calendar: same parts, same order."""
    scheduled(interview, datetime(2026, 11, 2, 9, 0, tzinfo=NEW_YORK))
    ics = calendar_invite(interview, stamp=STAMP)
    plain = Draft(
        subject="Monday",
        text="See you.\n",
        recipient=interview.contact,
        sender=interview.sender,
        interview=interview,
    )
    for draft in (
        plain,
        plain.with_changes(html="<p>See you.</p>"),
        plain.attach(b"notes", filename="notes.txt"),
        plain.with_changes(html="<p>See you.</p>").attach(b"notes", filename="notes.txt"),
    ):
        carried = draft.with_changes(invite=ics)
        assert mail.Invite(ics) == carried.invite
        added = attach_invite(draft.to_email(), ics)
        assert _leaves(added) == _leaves(carried.to_email())
        assert _leaves(invite_draft(draft, stamp=STAMP).to_email()) == _leaves(carried.to_email())
        assert [t for t, _, _ in _leaves(added)][-1 - len(draft.attachments)] == "text/calendar"


def test_an_invite_is_checked_when_the_draft_is_made(interview: Interview) -> None:
    """Not a calendar, or a method it does not say: refused by Invite, naming the field."""
    scheduled(interview, datetime(2026, 11, 2, 9, 0, tzinfo=NEW_YORK))
    cancel = calendar_cancellation(interview, stamp=STAMP)
    with pytest.raises(ValidationError, match="METHOD:CANCEL, not REQUEST") as info:
        Draft(subject="Hi", text="Hi", invite=cancel)
    assert ("Invite", "method") == (info.value.owner, info.value.field)
    assert "CANCEL" == mail.Invite(cancel, method="cancel").method
    with pytest.raises(ValidationError, match="not a VCALENDAR") as info:
        Draft(subject="Hi", text="Hi", invite=b"BEGIN:VCARD\r\nEND:VCARD\r\n")
    assert ("Invite", "ics") == (info.value.owner, info.value.field)
    forged = cancel.replace(b"METHOD:CANCEL", b'METHOD:"CANCEL"; x=y')
    with pytest.raises(ValidationError):
        mail.Invite(forged, method='"CANCEL"; x=y')
