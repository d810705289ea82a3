"""Public holidays from the holidays package: nudges and reminders skip the contact's."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays
import pytest
from click.testing import CliRunner

from infoview import Contact, Interview, Policy, ValidationError
from infoview.cli import main
from infoview.followups.calendars import Holidays, public_holidays
from infoview.followups.followup import FollowUpKind
from infoview.model.serialize import converter
from infoview.tracker import Tracker

CHICAGO = ZoneInfo("America/Chicago")
YEAR = 2026
SENDER = Contact(
    name="Sam Rivera", email="sam@example.org", locale="en_US", timezone="America/Chicago"
)
#: One contact per country: by locale, by field, by field with a subdivision, by locale.
PEOPLE = {
    "US": Contact(
        name="Jo Park", email="jo@example.com", locale="en_US", timezone="America/New_York"
    ),
    "DE": Contact(
        name="Anna Müller",
        email="anna@example.de",
        locale="de",
        country="DE",
        subdivision="BY",
        timezone="Europe/Berlin",
    ),
    "FR": Contact(
        name="Luc Martin", email="luc@example.fr", locale="fr_FR", timezone="Europe/Paris"
    ),
    "MX": Contact(
        name="Ana García",
        email="ana@example.com",
        locale="es_MX",
        timezone="America/Mexico_City",
    ),
}


def days_off(country: str, subdivision: str | None = None) -> holidays.HolidayBase:
    """The package's own calendar for the country, over the year and the next."""
    return holidays.country_holidays(country, subdiv=subdivision, years=[YEAR, YEAR + 1])


def every_day() -> list[date]:
    """Every day of the year."""
    return [date(YEAR, 1, 1) + timedelta(days=n) for n in range(365)]


def nudges_over_a_year(policy: Policy, contact: Contact) -> list[datetime]:
    """The nudge's due time for a request sent at 10:00 on each day of the year."""
    found = []
    for day in every_day():
        interview = Interview(contact=contact, sender=SENDER)
        sent = datetime.combine(day, time(10), tzinfo=CHICAGO)
        interview.request(at=sent)
        (nudge,) = [f for f in policy.plan(interview, now=sent) if f.kind is FollowUpKind.NUDGE]
        found.append(nudge.due)
    return found


@pytest.mark.parametrize("country", sorted(PEOPLE))
def test_no_nudge_lands_on_a_public_holiday_in_a_year(country: str) -> None:
    """A request sent on any day of the year is nudged on a working day of the contact's."""
    contact = PEOPLE[country]
    region = contact.region
    assert region is not None
    off = days_off(*region)
    dues = nudges_over_a_year(Policy(), contact)
    landed = [due for due in dues if due.date() in off or due.weekday() >= 5]
    assert [] == landed
    # The same year without the calendar does land on holidays: the sweep reaches them.
    naive = nudges_over_a_year(Policy(country_holidays=False), contact)
    assert [d for d in naive if d.date() in off]
    assert {d.date() for d in dues} != {d.date() for d in naive}


@pytest.mark.parametrize("country", sorted(PEOPLE))
def test_no_reminder_lands_on_a_public_holiday_in_a_year(country: str) -> None:
    """An interview on any day of the year is reminded on the working day before it."""
    contact = PEOPLE[country]
    region = contact.region
    assert region is not None
    off = days_off(*region)
    policy = Policy()
    landed, reminded = [], 0
    for day in every_day():
        interview = Interview(contact=contact, sender=SENDER)
        start = datetime.combine(day, time(11), tzinfo=CHICAGO)
        agreed = start - timedelta(days=10)
        interview.request(at=agreed - timedelta(days=1))
        interview.schedule(start, when=agreed)
        plan = policy.plan(interview, now=agreed)
        for reminder in [f for f in plan if f.kind is FollowUpKind.REMINDER]:
            reminded += 1
            if reminder.due.date() in off or reminder.due.weekday() >= 5:
                landed.append(reminder.due)
            assert reminder.due < start
    assert [] == landed
    assert reminded == 365


def test_mexican_independence_day_moves_a_nudge() -> None:
    """Seven business days from 7 September 2026 skip 16 September in Mexico, not in the US."""
    sent = datetime(2026, 9, 7, 10, 0, tzinfo=CHICAGO)
    policy = Policy()

    def nudge(contact: Contact) -> datetime:
        interview = Interview(contact=contact, sender=SENDER)
        interview.request(at=sent)
        return next(f.due for f in policy.plan(interview, now=sent) if f.kind == "nudge")

    assert datetime(2026, 9, 17, 10, 0, tzinfo=CHICAGO) == nudge(PEOPLE["MX"])
    assert datetime(2026, 9, 16, 10, 0, tzinfo=CHICAGO) == nudge(PEOPLE["US"])


def test_senders_own_holidays_can_be_added() -> None:
    """With sender_holidays, the sender's Independence Day is skipped for a German contact."""
    contact = PEOPLE["DE"]
    sent = datetime(2026, 6, 25, 10, 0, tzinfo=CHICAGO)  # a Thursday; 7 days on is 6 July

    def nudge(policy: Policy) -> datetime:
        interview = Interview(contact=contact, sender=SENDER)
        interview.request(at=sent)
        return next(f.due for f in policy.plan(interview, now=sent) if f.kind == "nudge")

    assert datetime(2026, 7, 6, 10, 0, tzinfo=CHICAGO) == nudge(Policy())
    # 3 July is the observed Independence Day in the US (the 4th is a Saturday).
    assert datetime(2026, 7, 7, 10, 0, tzinfo=CHICAGO) == nudge(Policy(sender_holidays=True))


def test_the_country_comes_from_the_field_else_the_locale() -> None:
    """country wins over the locale's territory; a bare language names no country."""
    assert ("MX", None) == Contact(name="Ana García", locale="es_MX").region
    assert ("US", None) == Contact(name="Jo Park", locale="en_US").region
    assert ("FR", None) == Contact(name="Luc Martin", locale="fr_FR").region
    assert ("DE", None) == Contact(name="Anna Müller", locale="de_DE").region
    assert ("AT", None) == Contact(name="Anna Müller", locale="de_DE", country="at").region
    assert None is Contact(name="Anna Müller", locale="de").region
    assert ("DE", "BY") == Contact(name="Anna Müller", country="DE", subdivision="DE-BY").region


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"country": "XX"}, r"Contact\.country: 'XX' is not an ISO 3166-1 alpha-2 country code"),
        ({"country": "DEU"}, r"Contact\.country: 'DEU' is not an ISO 3166-1"),
        ({"country": "EU"}, r"Contact\.country: 'EU' is not an ISO 3166-1"),
        (
            {"country": "DE", "subdivision": "ZZ"},
            r"Contact\.subdivision: 'ZZ' is not a subdivision of DE",
        ),
        ({"subdivision": "B-Y"}, r"Contact\.subdivision: 'B-Y' is not an ISO 3166-2 code"),
        ({"country": 49}, r"Contact\.country: "),
    ],
)
def test_a_bad_country_or_subdivision_is_refused_naming_the_field(
    fields: dict[str, object], message: str
) -> None:
    """Country and subdivision are checked as ISO 3166 codes; the error names the field."""
    with pytest.raises(ValidationError, match=message):
        Contact(name="Anna Müller", **fields)  # type: ignore[arg-type]


def test_old_contact_json_loads_and_new_fields_round_trip() -> None:
    """JSON written before these fields existed still loads; the new ones come back."""
    old = '{"name": "Ana García", "email": "ana@example.com", "locale": "es_MX"}'
    assert None is converter.loads(old, Contact).country
    contact = Contact(name="Anna Müller", country="DE", subdivision="BY", tier="A")
    assert contact == converter.loads(converter.dumps(contact), Contact)


def test_holiday_lookup_is_cached_per_country_and_year() -> None:
    """Asking for a year of days asks the package once per region and year."""
    public_holidays.cache_clear()
    calendar = Holidays(regions=[("MX", None), ("DE", "BY")])
    assert [date(2026, 9, 16)] == [d for d in every_day() if d in calendar and d.month == 9]
    assert date(2026, 1, 6) in calendar  # Epiphany: Bavaria, not all of Germany
    assert date(2026, 1, 6) not in Holidays(regions=[("DE", None)])
    info = public_holidays.cache_info()
    assert 3 == info.misses  # MX, DE-BY and DE, each once for 2026
    assert info.hits >= 365


def test_a_country_the_package_does_not_know_has_no_public_holidays() -> None:
    """Tristan da Cunha has no calendar in the package: only weekends count there."""
    assert frozenset() == public_holidays("TA", None, YEAR)
    assert ("TA", None) == Contact(name="Jo Park", country="TA").region


def test_your_own_holidays_on_the_command_line(tmp_path: Path) -> None:
    """infoview me --country US --my-holidays: the tracker's policy skips US holidays too."""
    db = tmp_path / "journey.sqlite"
    result = CliRunner().invoke(
        main,
        ["me", "--name", "Sam Rivera", "--email", "sam@example.org", "--country", "us",
         "--timezone", "America/Chicago", "--my-holidays", "--db", str(db)],
        prog_name="infoview",
    )  # fmt: skip
    assert 0 == result.exit_code, result.output
    assert "Your own public holidays count too: US." in result.output
    with Tracker(db) as tracker:
        assert tracker.sender_holidays
        sender = tracker.sender
        assert sender is not None
        interview = Interview(contact=PEOPLE["DE"], sender=sender)
        assert (("DE", "BY"), ("US", None)) == tracker.policy.holidays_for(interview).regions
        tracker.sender_holidays = False
    with Tracker(db) as tracker:
        assert not tracker.sender_holidays


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("Germany", "DE"), ("Deutschland", "DE"), ("Allemagne", "DE"), ("alemania", "DE"),
        ("México", "MX"), ("Mexico", "MX"), ("USA", "US"), ("U.S.", "US"),
        ("Estados Unidos", "US"), ("Vereinigte Staaten", "US"), ("France", "FR"), ("fr", "FR"),
    ],
)  # fmt: skip
def test_a_country_may_be_given_by_its_name_in_the_four_languages(given: str, code: str) -> None:
    """A spreadsheet's Country column of names fills the field: the code is kept."""
    assert code == Contact(name="Ana García", country=given).country


def test_a_region_or_a_made_up_country_is_refused_naming_the_field() -> None:
    """Bavaria is no country: the error names the field and what to give."""
    for given in ("Bavaria", "Narnia", "EU"):
        with pytest.raises(ValidationError, match=r"Contact\.country: .* country's name"):
            Contact(name="Ana García", country=given)
