"""Sending at the right time: send --due sends each message once, a working-day morning there."""

from __future__ import annotations

import email
import shutil
import sqlite3
from contextlib import closing
from datetime import date, datetime, time, timedelta
from email import policy
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays
import pytest
from click.testing import CliRunner, Result

from infoview import Contact, Policy, ValidationError
from infoview.cli import main
from infoview.tracker import Tracker
from infoview.tracker.store import SCHEMA_VERSION
from tests._mailserver import mail_server

CHICAGO = ZoneInfo("America/Chicago")
#: Tuesday 15 September 2026, noon in Chicago: the eve of Mexico's Independence Day.
DRAFTED = datetime(2026, 9, 15, 12, 0, tzinfo=CHICAGO)
DATA = Path(__file__).parent / "data"
PEOPLE = [
    Contact(
        name="Ana García", email="ana@example.com", locale="es_MX",
        timezone="America/Mexico_City", source="alumni", school="State University",
    ),
    Contact(
        name="Anna Müller", email="anna@example.de", locale="de_DE", timezone="Europe/Berlin",
        source="alumni", school="State University",
    ),
    Contact(
        name="Jo Park", email="jo@example.com", locale="en_US", timezone="America/New_York",
        source="alumni", school="State University",
    ),
    Contact(
        name="Luc Martin", email="luc@example.fr", locale="fr_FR", timezone="Europe/Paris",
        source="alumni", school="State University",
    ),
]  # fmt: skip


def run(*args: str | Path | int, now: datetime, **env: str) -> Result:
    """Run ``infoview ARGS`` in-process with the clock set to ``now``."""
    return CliRunner().invoke(
        main,
        [str(a) for a in args],
        prog_name="infoview",
        env={"INFOVIEW_NOW": now.isoformat(), **env},
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A tracker with outreach drafted to four people in four countries, written to a folder."""
    path = tmp_path / "journey.sqlite"
    with Tracker(path, clock=lambda: DRAFTED) as tracker:
        tracker.sender = Contact(
            name="Sam Rivera", email="sam@example.org", school="State University",
            headline="a nurse exploring product roles", locale="en_US",
            timezone="America/Chicago",
        )  # fmt: skip
        tracker.add(PEOPLE)
    result = run("outreach", "--new", "--out", tmp_path / "outbox", "--db", path, now=DRAFTED)
    assert 0 == result.exit_code, result.output
    return path


def scheduled(db: Path) -> dict[str, datetime]:
    """Each recipient's scheduled send time, in their own zone."""
    zones = {c.email: c.zone for c in PEOPLE}
    with Tracker(db) as tracker:
        found = {}
        for message in tracker.messages():
            assert message.send_at is not None
            (to,) = message.to
            found[to] = message.send_at.astimezone(zones[to])
    return found


def test_each_message_is_scheduled_for_a_working_morning_in_the_recipients_zone(db: Path) -> None:
    """09:00–10:00 local, on no weekend day and no public holiday of the recipient's country."""
    times = scheduled(db)
    assert {c.email for c in PEOPLE} == set(times)
    for contact in PEOPLE:
        at = times[contact.email]
        region = contact.region
        assert region is not None
        assert time(9) <= at.time() < time(10), (contact.name, at)
        assert at.weekday() < 5
        assert at.date() not in holidays.country_holidays(region[0], years=at.year)
        assert at > DRAFTED


def test_a_recipient_in_mexico_city_waits_past_independence_day(db: Path) -> None:
    """16 September is a holiday in Mexico: Ana's goes on the 17th, the others' on the 16th."""
    times = scheduled(db)
    assert "2026-09-17" == times["ana@example.com"].date().isoformat()
    assert {"2026-09-16"} == {
        at.date().isoformat() for to, at in times.items() if to != "ana@example.com"
    }


def test_send_due_sends_nothing_early_and_everything_once(db: Path) -> None:
    """Stepping the clock to each send time: the message goes then, not a minute before, once."""
    times = scheduled(db)
    order = sorted(times.items(), key=lambda item: item[1])
    with mail_server() as (server, port):

        def send_due(now: datetime) -> Result:
            result = run(
                "send", "--due", "--host", "127.0.0.1", "--port", port, "--security=none",
                "--db", db, now=now,
            )  # fmt: skip
            assert 0 == result.exit_code, result.output
            return result

        result = send_due(DRAFTED + timedelta(hours=1))
        assert [] == server.received
        assert "4 not due yet" in result.stdout
        sent: list[str] = []
        for to, at in order:
            send_due(at - timedelta(minutes=1))
            assert sent == [rcpt[0] for _, rcpt, _ in server.received]
            send_due(at)
            sent.append(to)
            assert sent == [rcpt[0] for _, rcpt, _ in server.received]
        send_due(order[-1][1] + timedelta(days=3))
        counts = server.counts
        dates = {
            rcpt[0]: email.message_from_bytes(data, policy=policy.default)["Date"].datetime
            for _, rcpt, data in server.received
        }
    # Each is dated the morning it went (their mail program shows that), not when drafted.
    assert times == dates
    assert [1, 1, 1, 1] == sorted(counts.values())
    with Tracker(db) as tracker:
        assert {"sent"} == {m.state for m in tracker.messages()}
        assert [] == tracker.waiting_to_send()
        assert "requested" == tracker.interview("Ana García").status.value


def test_the_library_call_lists_what_is_due(db: Path) -> None:
    """Tracker.due_to_send reads back the drafts due by then; none before the first morning."""
    times = scheduled(db)
    first = min(times.values())
    with Tracker(db) as tracker:
        assert () == tracker.due_to_send(now=first - timedelta(seconds=1)).messages
        due = tracker.due_to_send(now=max(times.values()))
        assert 4 == len(due.messages)
        assert () == due.missing
        assert 4 == len(tracker.waiting_to_send(now=first - timedelta(seconds=1)))


def test_a_message_can_be_scheduled_by_hand(db: Path) -> None:
    """schedule_send sets a time; a sent message cannot be scheduled again."""
    with Tracker(db, clock=lambda: DRAFTED) as tracker:
        message = tracker.messages()[0]
        moved = tracker.schedule_send(message.message_id, DRAFTED + timedelta(minutes=5))
        assert DRAFTED + timedelta(minutes=5) == moved.send_at
        assert [message.message_id] == [
            m.message_id for m in tracker.due_to_send(now=DRAFTED + timedelta(minutes=5)).messages
        ]


def test_send_needs_a_source_or_due(tmp_path: Path) -> None:
    """Without SOURCE and without --due, send says what to give."""
    result = run("send", "--host", "127.0.0.1", now=DRAFTED)
    assert 2 == result.exit_code
    assert "give SOURCE, a folder of .eml files or an mbox (or --due)" in result.output


def test_a_tracker_of_the_previous_version_is_updated(tmp_path: Path) -> None:
    """A file written by schema 2 opens at the new version; its draft has no send time yet."""
    path = tmp_path / "old.sqlite"
    shutil.copy(DATA / "tracker-v2.sqlite", path)
    with closing(sqlite3.connect(path)) as check:
        assert 2 == check.execute("PRAGMA user_version").fetchone()[0]
    with Tracker(path, clock=lambda: DRAFTED) as tracker:
        (message,) = tracker.messages()
        assert None is message.send_at
        assert () == tracker.due_to_send(now=DRAFTED + timedelta(days=30)).messages
        moved = tracker.schedule_send(message.message_id)
    with closing(sqlite3.connect(path)) as check:
        assert SCHEMA_VERSION == check.execute("PRAGMA user_version").fetchone()[0]
    assert moved.send_at is not None
    local = moved.send_at.astimezone(ZoneInfo("America/Mexico_City"))
    assert ("2026-09-17", 9) == (local.date().isoformat(), local.hour)


def test_today_mail_me_sends_the_digest_to_you(db: Path) -> None:
    """The list goes to the sender's own address, once a run, and reads as the list."""
    later = DRAFTED + timedelta(days=12)
    with Tracker(db) as tracker:
        for message in tracker.messages():
            tracker.sent(message.message_id, DRAFTED)
    with mail_server() as (server, port):
        result = run(
            "today", "--mail-me", "--host", "127.0.0.1", "--port", port, "--security=none",
            "--db", db, now=later,
        )  # fmt: skip
    assert 0 == result.exit_code, result.output
    assert "Sent today's list to sam@example.org." in result.stdout
    ((_, recipients, data),) = server.received
    assert ["sam@example.org"] == recipients
    digest = email.message_from_bytes(data, policy=policy.default)
    assert "Sam Rivera <sam@example.org>" == digest["To"]
    assert "infoview: 4 things to do today (2026-09-27)" == digest["Subject"]
    body = digest.get_content()
    assert 4 == body.count("nudge: ")
    assert "Ana García" in body


def test_send_time_is_a_morning_in_their_zone_else_yours() -> None:
    """Policy.send_time: the recipient's zone; without one, the zone of the time given."""
    policy = Policy()
    friday_evening = datetime(2026, 12, 4, 18, 0, tzinfo=CHICAGO)
    nobody = Contact(name="Jo Park")  # no zone, no country
    at = policy.send_time(nobody, friday_evening, key="<a@example.org>")
    assert (date(2026, 12, 7), CHICAGO) == (at.date(), at.tzinfo)  # Monday, in Chicago
    assert time(9) <= at.time() < time(10)
    assert at == policy.send_time(nobody, friday_evening, key="<a@example.org>")
    tokyo = Contact(name="Jo Park", timezone="Asia/Tokyo", country="JP")
    later = policy.send_time(tokyo, friday_evening, between=(time(14), time(15)))
    assert "2026-12-07T14:00:00+09:00" == later.isoformat()
    with pytest.raises(ValidationError, match=r"Policy\.send_time\.between: its end is not"):
        policy.send_time(tokyo, friday_evening, between=(time(10), time(9)))


def test_without_a_zone_the_countrys_one_clock_counts_else_yours() -> None:
    """A de_DE contact with no zone gets a Berlin morning; one in Mexico (many clocks), yours."""
    after = datetime(2026, 12, 7, 6, 0, tzinfo=CHICAGO)  # a Monday, before dawn in Chicago
    berlin = Policy().send_time(Contact(name="Helga Weber", locale="de_DE"), after)
    assert (8, ZoneInfo("Europe/Berlin")) == (berlin.day, berlin.tzinfo)  # past 10:00 there
    assert time(9) <= berlin.timetz().replace(tzinfo=None) < time(10)
    mexico = Policy().send_time(Contact(name="Ana García", locale="es_MX"), after)
    assert (7, CHICAGO) == (mexico.day, mexico.tzinfo)
    assert time(9) <= mexico.timetz().replace(tzinfo=None) < time(10)
