"""Calendar invites (.ics, RFC 5545/5546) for scheduled interviews, built with icalendar.

:func:`calendar_invite` gives the bytes of a ``METHOD:REQUEST`` invite: one
event whose UID is stable per interview (``<interview.id>@infoview``), whose
start carries its time zone (with a VTIMEZONE) and which names you as
ORGANIZER and the contact as ATTENDEE (RSVP requested). Rescheduling bumps
SEQUENCE, derived from the interview's history (how often it was scheduled),
so calendars update the same event. :func:`calendar_cancellation` gives the
``METHOD:CANCEL`` counterpart. :func:`attach_invite` adds an invite to an
email message as a ``text/calendar; method=REQUEST`` part, which mail clients
show with Accept/Decline buttons.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage, MIMEPart
from gettext import NullTranslations  # Babel's catalogs are instances of its subclasses
from typing import Protocol
from zoneinfo import ZoneInfo

import icalendar

from infoview._version import __version__
from infoview.errors import MissingEmailError, ValidationError
from infoview.language import natural
from infoview.language.locales import ResolvedLocale, resolve_locale, translations
from infoview.mail.draft import Draft
from infoview.mail.message import Invite, invite_part
from infoview.model import _fields, _times
from infoview.model.contact import Contact
from infoview.model.interview import Interview, Medium, Status

__all__ = [
    "attach_invite",
    "calendar_cancellation",
    "calendar_invite",
    "describe",
    "invite_draft",
    "invite_email",
    "sequence",
    "title",
    "uid",
]

PRODID = f"-//infoview//infoview {__version__}//EN"


def uid(interview: Interview) -> str:
    """Return the calendar UID of an interview: the same for every invite, update and cancel."""
    return f"{interview.id}@infoview"


def sequence(interview: Interview) -> int:
    """Return the SEQUENCE of the interview's current invite, derived from its history.

    The first scheduling is 0; every reschedule adds one, and so does a
    cancellation or a decline after it was scheduled (the ``METHOD:CANCEL``
    that withdraws the invite must be newer than it).
    """
    withdrawn = (Status.CANCELLED.value, Status.DECLINED.value)
    count = 0
    for change in interview.history:
        if change.status == Status.SCHEDULED.value or (change.status in withdrawn and count):
            count += 1
    return max(count - 1, 0)


def _address(contact: Contact, role: str) -> icalendar.vCalAddress:
    if not contact.email:
        raise MissingEmailError(
            contact,
            f"the invite's {role}",
            "give the contact an email address before building a calendar invite",
        )
    address = icalendar.vCalAddress(f"mailto:{contact.email}")
    address.params["CN"] = contact.name
    return address


def _start(interview: Interview) -> datetime:
    if interview.scheduled_at is None:
        raise ValidationError(
            "Interview",
            "scheduled_at",
            None,
            "the interview has no agreed time",
            "call interview.schedule(at=...) before building a calendar invite",
        )
    start = interview.scheduled_at
    # A named IANA zone travels as TZID + VTIMEZONE; any other offset as UTC. So
    # does the second 01:30 of a fall-back night (fold=1): RFC 5545 reads an
    # ambiguous local time as its first occurrence, an hour early.
    if isinstance(start.tzinfo, ZoneInfo) and start.tzinfo.key and not _second_of_two(start):
        return start
    return start.astimezone(UTC)


def _second_of_two(start: datetime) -> bool:
    """Whether ``start`` is the later of two instants its wall-clock time names."""
    return start.fold == 1 and start.replace(fold=0).utcoffset() != start.utcoffset()


def _is_link(text: str | None) -> bool:
    return text is not None and text.startswith(("https://", "http://"))


def _language(interview: Interview, locale: str | None) -> tuple[ResolvedLocale, NullTranslations]:
    """The invite's language, chosen as a render chooses it: ``locale``, the contact's, yours."""
    resolved = resolve_locale(locale, interview.contact, interview.sender)
    return resolved, translations(resolved.language)


def describe(interview: Interview, locale: str | None = None) -> str:
    """Write the event description in the contact's language (or ``locale``).

    It holds the purpose ("I'm hoping to learn …"), the video link and the
    agenda's questions, numbered, worded for the contact's register.
    """
    resolved, catalog = _language(interview, locale)
    lines: list[str] = []
    purpose = natural.purpose_sentence(interview, catalog, resolved.locale, resolved.id)
    if purpose:
        lines.append(purpose)
    if interview.medium is Medium.VIDEO and _is_link(interview.location):
        lines += ["", str(interview.location)]
    if interview.questions:
        register = interview.contact.register.value
        lines.append("")
        lines += [
            f"{n}. {natural.question_text(q.text, catalog, register)}"
            for n, q in enumerate(interview.questions, 1)
        ]
    return "\n".join(lines).strip()


def title(interview: Interview, locale: str | None = None) -> str:
    """The event's title in the contact's language: "Informationsgespräch: Sam Rivera / Ana García".

    ``locale`` overrides the contact's, as for :func:`calendar_invite`.
    """
    resolved, catalog = _language(interview, locale)
    return natural.summary(interview, catalog, resolved.locale)


_LONGEST_ALARM = timedelta(days=7)


def _calendar(
    interview: Interview,
    *,
    where: str,
    method: str,
    summary: str | None,
    description: str | None,
    alarm: timedelta | None,
    stamp: datetime | None,
    locale: str | None,
) -> bytes:
    start = _start(interview)
    stamp = _times.when(stamp, where, "stamp")
    if alarm is not None and (
        not isinstance(alarm, timedelta) or not timedelta(0) <= alarm <= _LONGEST_ALARM
    ):
        raise ValidationError(
            where,
            "alarm",
            alarm,
            f"{_fields.show(alarm)} is not a time before the start from 0 to 7 days",
            "pass e.g. alarm=timedelta(minutes=15), or alarm=None for no reminder",
        )
    _fields.check_text(summary, where, "summary")
    _fields.check_text(description, where, "description", multiline=True)
    organizer = _address(interview.sender, "organizer")
    attendee = _address(interview.contact, "attendee")
    attendee.params.update(
        {"CUTYPE": "INDIVIDUAL", "ROLE": "REQ-PARTICIPANT", "PARTSTAT": "NEEDS-ACTION"}
    )
    attendee.params["RSVP"] = "TRUE"

    event = icalendar.Event()
    event.add("uid", uid(interview))
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", start)
    event.add("duration", interview.duration)
    event.add("sequence", sequence(interview))
    event.add("summary", summary or title(interview, locale))
    text = describe(interview, locale) if description is None else description
    if text:
        event.add("description", text)
    if interview.location:
        event.add("location", interview.location)
        if _is_link(interview.location):
            event.add("url", interview.location)
    event.add("organizer", organizer)
    event.add("attendee", attendee)
    cancel = method == "CANCEL"
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    if alarm is not None and not cancel:
        reminder = icalendar.Alarm()
        reminder.add("action", "DISPLAY")
        reminder.add("trigger", -alarm)
        reminder.add("description", event["summary"])
        event.add_component(reminder)

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add_component(event)
    day = start.date()
    # Only the transitions around the event: a small VTIMEZONE, quickly built.
    calendar.add_missing_timezones(
        first_date=date(day.year - 1, 1, 1), last_date=date(day.year + 2, 1, 1)
    )
    data: bytes = calendar.to_ical()
    return data


def _check_interview(interview: object, where: str) -> None:
    _fields.check_instance(interview, Interview, where, "interview", "pass the scheduled Interview")


def _refuse_request(interview: Interview, where: str) -> None:
    """Refuse a ``METHOD:REQUEST`` for an interview that will not (or did) take place."""
    status = interview.status
    if status in (Status.CANCELLED, Status.DECLINED):
        raise ValidationError(
            where,
            "interview",
            status,
            f"the interview is {status.value}; an invite would put it back in calendars",
            "send calendar_cancellation(interview) to withdraw the invite",
        )
    if status is Status.COMPLETED:
        raise ValidationError(
            where,
            "interview",
            status,
            "the interview is completed; there is no meeting left to invite to",
            "send the message without an invite (draft.to_email())",
        )


def calendar_invite(
    interview: Interview,
    *,
    summary: str | None = None,
    description: str | None = None,
    alarm: timedelta | None = timedelta(minutes=15),
    stamp: datetime | None = None,
    locale: str | None = None,
) -> bytes:
    """Build the .ics invite (``METHOD:REQUEST``) for a scheduled interview.

    Args:
        interview: The interview; it needs ``scheduled_at`` and email
            addresses for both sender and contact.
        summary: The event title (default: "Informational interview: <you> /
            <them>", in the contact's language).
        description: The event text (default: the purpose, the video link
            and the agenda's questions, in the contact's language and register).
        alarm: How long before the start a reminder alarm fires; ``None`` for none.
        stamp: The DTSTAMP, when the invite was made (default now).
        locale: Write title and description in this locale instead of the
            contact's (chosen as ``render`` chooses: yours next, then English).

    Returns:
        The calendar as bytes (CRLF line endings), ready to attach or write
        to a ``.ics`` file.

    Raises:
        ValidationError: When the interview has no time or is cancelled,
            declined (send :func:`calendar_cancellation` instead) or completed.
        MissingEmailError: When you or the contact has no email address
            (also a ValidationError).
    """
    _check_interview(interview, "calendar_invite")
    _refuse_request(interview, "calendar_invite")
    return _calendar(
        interview,
        where="calendar_invite",
        method="REQUEST",
        summary=summary,
        description=description,
        alarm=alarm,
        stamp=stamp,
        locale=locale,
    )


def calendar_cancellation(
    interview: Interview,
    *,
    summary: str | None = None,
    description: str | None = None,
    stamp: datetime | None = None,
    locale: str | None = None,
) -> bytes:
    """Build the .ics cancellation (``METHOD:CANCEL``, ``STATUS:CANCELLED``) of an invite.

    It has the invite's UID and a higher SEQUENCE when the interview was
    cancelled with :meth:`~infoview.Interview.cancel`, so calendars remove
    the event.

    Args:
        interview: The interview whose invite is withdrawn.
        summary: The event title (default: as in the invite).
        description: The event text (default: as in the invite).
        stamp: The DTSTAMP (default now).
        locale: As for :func:`calendar_invite`.

    Raises:
        ValidationError: When the interview has no time.
        MissingEmailError: When you or the contact has no email address
            (also a ValidationError).
    """
    _check_interview(interview, "calendar_cancellation")
    return _calendar(
        interview,
        where="calendar_cancellation",
        method="CANCEL",
        summary=summary,
        description=description,
        alarm=None,
        stamp=stamp,
        locale=locale,
    )


def attach_invite(
    message: EmailMessage, ics: bytes | str, *, method: str = "REQUEST"
) -> EmailMessage:
    """Add an .ics to a message as a ``text/calendar; method=…`` alternative; return it.

    The calendar goes next to the plain-text (and HTML) body in the
    ``multipart/alternative`` part, the form mail clients turn into an
    Accept/Decline invitation. A convenience for an
    :class:`~email.message.EmailMessage` you have: the calendar part is the
    one infoview's message writer writes, and the email package makes room
    for it. For a :class:`~infoview.Draft`, give the draft its invite
    instead (:func:`~infoview.mail.calendar.invite_draft`), so the whole message is written at once.

    Args:
        message: A message, e.g. from ``Draft.to_email()``; changed in place.
        ics: The calendar, from :func:`calendar_invite` or
            :func:`calendar_cancellation` (bytes, or the same as text).
        method: ``"REQUEST"`` or ``"CANCEL"``; must match the calendar's METHOD.

    Raises:
        ValidationError: When ``message`` is no email message, ``ics`` is not
            one calendar with an event, or ``method`` does not match it.
    """
    if not isinstance(message, MIMEPart):
        hint = "pass the EmailMessage of Draft.to_email()"
        raise ValidationError("attach_invite", "message", message, "is not an email message", hint)
    try:
        invite = Invite(ics, method)
    except ValidationError as error:
        raise ValidationError(
            "attach_invite", error.field, error.value, error.problem, error.hint
        ) from None
    body: MIMEPart = message
    if message.get_content_type() == "multipart/mixed":
        # Attachments already: the invite joins the body, the first part.
        body = next(message.iter_parts())
    if body.get_content_type() != "multipart/alternative":
        body.make_alternative()
    body.attach(invite_part(invite))
    return message


class _Mailable(Protocol):
    """Anything that builds an email message, such as :class:`infoview.Draft`."""

    @property
    def interview(self) -> Interview | None: ...  # pragma: no cover - a protocol

    def to_email(self) -> EmailMessage: ...  # pragma: no cover - a protocol


def _invite(
    interview: Interview | None,
    where: str,
    *,
    alarm: timedelta | None,
    stamp: datetime | None,
    locale: str | None,
) -> Invite:
    """The invite a message about ``interview`` carries: a REQUEST, or the CANCEL."""
    if interview is None:
        raise ValidationError(
            where,
            "interview",
            None,
            "the draft is about no interview",
            "pass interview= or render the draft with interview=...",
        )
    _check_interview(interview, where)
    if interview.status in (Status.CANCELLED, Status.DECLINED):
        if interview.scheduled_at is None:
            raise ValidationError(
                where,
                "interview",
                interview.status,
                f"the interview is {interview.status.value} and never had a time, "
                "so there is no invite to withdraw",
                "send the message without an invite (draft.to_email())",
            )
        return Invite(calendar_cancellation(interview, stamp=stamp, locale=locale), "CANCEL")
    _refuse_request(interview, where)
    return Invite(calendar_invite(interview, alarm=alarm, stamp=stamp, locale=locale))


def invite_draft(
    draft: Draft,
    interview: Interview | None = None,
    *,
    alarm: timedelta | None = timedelta(minutes=15),
    stamp: datetime | None = None,
    locale: str | None = None,
) -> Draft:
    """Return the draft carrying the interview's invite, ready to write or send.

    Use it for a ``scheduling/confirm`` draft: its message carries a
    ``text/calendar; method=REQUEST`` part, so mail clients offer
    Accept/Decline. For a cancelled or declined interview it carries the
    ``METHOD:CANCEL`` cancellation instead, which removes the event from
    calendars. A completed interview has no invite: that is refused.

    Args:
        draft: The rendered draft.
        interview: The interview to invite to (default: the draft's own).
        alarm: As for :func:`~infoview.calendar_invite`.
        stamp: As for :func:`~infoview.calendar_invite`.
        locale: As for :func:`~infoview.calendar_invite` (pass the draft's ``locale``
            to match a draft written in another language).

    Raises:
        ValidationError: When there is no interview, it has no time, or it
            is completed.
    """
    invite = _invite(
        draft.interview if interview is None else interview,
        "invite_draft",
        alarm=alarm,
        stamp=stamp,
        locale=locale,
    )
    return draft.with_changes(invite=invite)


def invite_email(
    draft: Draft | _Mailable,
    interview: Interview | None = None,
    *,
    alarm: timedelta | None = timedelta(minutes=15),
    stamp: datetime | None = None,
    locale: str | None = None,
) -> EmailMessage:
    """Build a draft's message with the interview's invite in it, ready to send.

    The message of :func:`~infoview.mail.calendar.invite_draft`, as an
    :class:`~email.message.EmailMessage` (``invite_draft(...).to_email()``).
    Anything else with ``to_email()`` and ``interview`` gets the invite
    added with :func:`attach_invite`.

    Args:
        draft: The rendered draft (or anything with ``to_email()``).
        interview: The interview to invite to (default: the draft's own).
        alarm: As for :func:`calendar_invite`.
        stamp: As for :func:`calendar_invite`.
        locale: As for :func:`calendar_invite` (pass the draft's ``locale``
            to match a draft written in another language).

    Raises:
        ValidationError: When there is no interview, it has no time, or it
            is completed.
    """
    invite = _invite(
        draft.interview if interview is None else interview,
        "invite_email",
        alarm=alarm,
        stamp=stamp,
        locale=locale,
    )
    if isinstance(draft, Draft):
        return draft.with_changes(invite=invite).to_email()
    return attach_invite(draft.to_email(), invite.ics, method=invite.method)
