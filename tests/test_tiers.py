"""Keep-in-touch by tier: each tier's check-ins at its cadence, on working days, for a year."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays
import pytest
from click.testing import CliRunner, Result

from infoview import Contact, Interview, Policy, ValidationError
from infoview.cli import main
from infoview.followups.followup import FollowUpKind
from infoview.followups.policy import DEFAULT_TIERS
from infoview.model.serialize import converter
from infoview.tracker import Tracker

CHICAGO = ZoneInfo("America/Chicago")
START = datetime(2026, 1, 5, 12, 0, tzinfo=CHICAGO)  # a Monday
SENDER = Contact(
    name="Sam Rivera", email="sam@example.org", locale="en_US", timezone="America/Chicago"
)
PLACES = {
    "US": ("en_US", "America/New_York"),
    "DE": ("de_DE", "Europe/Berlin"),
    "FR": ("fr_FR", "Europe/Paris"),
    "MX": ("es_MX", "America/Mexico_City"),
}


def people() -> list[Contact]:
    """One contact per country and tier: twelve."""
    return [
        Contact(
            name=f"Person {country} {tier}",
            email=f"{country.lower()}.{tier.lower()}@example.com",
            locale=locale,
            timezone=zone,
            tier=tier,
        )
        for country, (locale, zone) in PLACES.items()
        for tier in "ABC"
    ]


def test_the_default_cadences_follow_the_guides() -> None:
    """A every 6 weeks, B every 3 months, C every 6 months; no tier: keep_in_touch_every."""
    policy = Policy()
    assert {"A": 42, "B": 91, "C": 183} == {k: v.days for k, v in DEFAULT_TIERS.items()}
    assert timedelta(weeks=6) == policy.check_in_every(Contact(name="Ana García", tier="a"))
    assert timedelta(days=120) == policy.check_in_every(Contact(name="Ana García"))


def test_tiers_given_add_to_the_defaults_and_tags_set_a_tier() -> None:
    """A named tier, a changed cadence, and a tag that puts people in a tier."""
    policy = Policy(tiers={"A": timedelta(weeks=4), "mentors": timedelta(days=30)},
                    tag_tiers={"mentor": "mentors"})  # fmt: skip
    assert ["A", "B", "C", "mentors"] == list(policy.tiers)
    assert timedelta(weeks=4) == policy.check_in_every(Contact(name="Ana García", tier="A"))
    assert timedelta(days=91) == policy.check_in_every(Contact(name="Ana García", tier="B"))
    mentor = Contact(name="Ana García", tags=["alumni", "mentor"])
    assert ("mentors", timedelta(days=30)) == (
        policy.tier_of(mentor),
        policy.check_in_every(mentor),
    )
    assert policy == converter.loads(converter.dumps(policy), Policy)


def test_an_unknown_tier_is_refused_naming_the_field() -> None:
    """A tier with no cadence says how to give it one."""
    with pytest.raises(ValidationError, match=r"Contact\.tier: .*'gold' has no cadence"):
        Policy().check_in_every(Contact(name="Ana García", tier="gold"))
    with pytest.raises(ValidationError, match=r"Policy\.tiers\['A'\]: .* is not a cadence"):
        Policy(tiers={"A": timedelta(0)})
    with pytest.raises(ValidationError, match=r"Contact\.tier: '!!' is not a tier name"):
        Contact(name="Ana García", tier="!!")


def first_working_day(day: date, country: str) -> date:
    """The first day on or after ``day`` that is no weekend day and no holiday in ``country``."""
    off = holidays.country_holidays(country, years=[day.year, day.year + 1])
    while day.weekday() >= 5 or day in off:
        day += timedelta(days=1)
    return day


def test_a_year_of_today_brings_each_tiers_check_ins_at_its_cadence(tmp_path: Path) -> None:
    """Twelve people, four countries, three tiers: every check-in on time, none on a holiday."""
    clock = [START - timedelta(days=1)]
    with Tracker(tmp_path / "year.sqlite", clock=lambda: clock[0]) as tracker:
        tracker.sender = SENDER
        tracker.add(people())
        for contact in people():
            tracker.schedule(contact, START - timedelta(hours=3))
            tracker.complete(contact, takeaway="a lot", at=START - timedelta(hours=2))
        last = {c.email: START.date() for c in people()}
        arrived: dict[str, list[date]] = {c.email: [] for c in people()}
        for n in range(365):
            clock[0] = START + timedelta(days=n)
            for line in tracker.today():
                if line.kind == "check_in":
                    # Done the day it is due: each is due at noon, when the day is looked at.
                    assert clock[0].date() == line.due.date()
                    arrived[line.who].append(line.due.date())
                    tracker.log(line.who, "checked in", at=clock[0])
    moved = 0
    for contact in people():
        country, every = contact.region[0], Policy().check_in_every(contact)  # type: ignore[index]
        before = last[contact.email]
        for due in arrived[contact.email]:
            assert first_working_day(before + every, country) == due, (contact.name, before)
            moved += due != before + every
            before = due
        expected = {"A": range(7, 9), "B": range(3, 5), "C": range(1, 3)}[contact.tier or ""]
        assert len(arrived[contact.email]) in expected, (contact.name, arrived[contact.email])
    assert moved >= 2  # off a weekend or a holiday (Presidents' Day, 16 September, ...)


def test_a_check_in_due_on_a_holiday_moves_to_the_next_working_day() -> None:
    """42 days after 4 August 2026 is 15 September; a day later is Mexico's Independence Day."""
    ana = Contact(name="Ana García", email="ana@example.com", locale="es_MX", tier="A",
                  timezone="America/Mexico_City")  # fmt: skip
    interview = Interview(contact=ana, sender=SENDER)
    held = datetime(2026, 8, 5, 11, 0, tzinfo=CHICAGO)
    interview.schedule(held, when=held - timedelta(days=3))
    interview.complete(at=held)
    plan = Policy().plan(interview, now=held)
    (check_in,) = [f for f in plan if f.kind is FollowUpKind.CHECK_IN]
    assert datetime.combine(date(2026, 9, 17), time(11), tzinfo=CHICAGO) == check_in.due
    off = Policy(country_holidays=False).plan(interview, now=held)
    assert date(2026, 9, 16) == next(f.due.date() for f in off if f.kind == "check_in")


def run(*args: str | Path, db: Path) -> Result:
    """Run ``infoview ARGS --db DB`` in-process at START."""
    return CliRunner().invoke(
        main,
        [*(str(a) for a in args), "--db", str(db)],
        prog_name="infoview",
        env={"INFOVIEW_NOW": START.isoformat()},
    )


def test_tier_and_cadence_on_the_command_line(tmp_path: Path) -> None:
    """infoview tier puts someone in a tier; infoview cadence changes it; the plan follows."""
    db = tmp_path / "journey.sqlite"
    with Tracker(db, clock=lambda: START - timedelta(days=1)) as tracker:
        tracker.sender = SENDER
        tracker.add(people()[:1])
        tracker.schedule("Person US A", START - timedelta(hours=3))
        tracker.complete("Person US A", takeaway="a lot", at=START - timedelta(hours=2))
        tracker.set_tier("Person US A", None)
    result = run("tier", "Person US A", "B", db=db)
    assert (0, "Person US A: tier B.\n") == (result.exit_code, result.output)
    result = run("cadence", "B=4w", "mentors=2m", db=db)
    assert 0 == result.exit_code, result.output
    assert "A: every 42 days\nB: every 28 days\nC: every 183 days\nmentors: every 61 days\n" == (
        result.output
    )
    with Tracker(db, clock=lambda: START) as tracker:
        ahead = tracker.today(within=timedelta(days=90))
        # Held 5 January: B every 4 weeks now, so the check-in is due 2 February.
        assert [date(2026, 2, 2)] == [t.due.date() for t in ahead if t.kind == "check_in"]
    result = run("tier", "Person US A", "gold", db=db)
    assert 2 == result.exit_code
    assert "Error: tier 'gold' has no cadence" in result.output
    assert "infoview cadence gold=8w" in result.output
    result = run("cadence", "A=soon", db=db)
    assert (2, "Error: 'A=soon': 'soon' is not a span such as 6w, 3m (months) or 90d\n") == (
        result.exit_code,
        result.output,
    )
    result = run("cadence", "!!=4w", db=db)
    assert 2 == result.exit_code
    assert result.output.startswith("Error: '!!=4w': '!!' is not a tier name; use A, B, C")
    result = run("tier", "Person US A", "none", db=db)
    assert (0, "Person US A: no tier.\n") == (result.exit_code, result.output)


def test_a_contact_in_a_tier_with_no_cadence_is_refused_when_added(tmp_path: Path) -> None:
    """An imported tier with no cadence is refused at add (naming it), so today plans for all."""
    with Tracker(tmp_path / "journey.sqlite", clock=lambda: START) as tracker:
        tracker.sender = SENDER
        gold = Contact(name="Gil Gold", email="gil@example.com", tier="gold")
        with pytest.raises(ValidationError, match=r"contacts\[1\]\.tier") as refused:
            tracker.add([people()[0], gold])
        assert "infoview cadence gold=8w" in str(refused.value)
        assert [] == tracker.contacts()
        tracker.set_cadence("gold", timedelta(weeks=8))
        assert 2 == len(tracker.add([people()[0], gold]).added)
        assert not tracker.today().lines
