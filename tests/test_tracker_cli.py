"""The tracker's commands: the journey on the command line, with no JSON written by hand."""

from __future__ import annotations

import csv
import email
import json
from datetime import UTC, datetime, timedelta
from email import policy
from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner, Result

from infoview.cli import main

MONDAY = "2026-12-07T09:00-06:00"


def run(*args: str | Path, now: str = MONDAY, **env: str) -> Result:
    """Run ``infoview ARGS`` in-process at the time ``now``."""
    return CliRunner().invoke(
        main, [str(a) for a in args], prog_name="infoview", env={"INFOVIEW_NOW": now, **env}
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A tracker with you set and three alumni added from a CSV file."""
    path = tmp_path / "journey.sqlite"
    rows = [
        ("Name", "Email", "Company", "School", "Source"),
        ("Ana García", "ana@example.com", "Acme Health", "State University", "alumni"),
        ("Bob Li", "bob@example.com", "Beta Care", "State University", "alumni"),
        ("Carla Díaz", "carla@example.com", "Delta Labs", "State University", "alumni"),
    ]
    people = tmp_path / "people.csv"
    with people.open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows(rows)
    result = run(
        "me", "--name", "Sam Rivera", "--email", "sam@example.org", "--school",
        "State University", "--headline", "a nurse exploring product roles",
        "--timezone", "America/Chicago", "--db", path,
    )  # fmt: skip
    assert 0 == result.exit_code, result.output
    result = run("add", "csv", people, "--db", path)
    assert 0 == result.exit_code, result.output
    assert "3 added, 0 already known" in result.stdout
    return path


def test_add_twice_knows_everyone(db: Path, tmp_path: Path) -> None:
    """Adding the same file again adds no one and says so."""
    result = run("add", "csv", tmp_path / "people.csv", "--db", db)
    assert 0 == result.exit_code
    assert "0 added, 3 already known" in result.stdout


def test_list_in_three_formats(db: Path) -> None:
    """The pipeline as a table, CSV and JSON, with the same people."""
    table = run("list", "--db", db)
    assert "Ana García" in table.stdout
    assert "new" in table.stdout
    rows = list(csv.DictReader(run("list", "--format", "csv", "--db", db).stdout.splitlines()))
    assert ["Ana García", "Bob Li", "Carla Díaz"] == [r["name"] for r in rows]
    data = json.loads(run("list", "--format", "json", "--db", db).stdout)
    assert {"alumni"} == {r["source"] for r in data}
    assert [] == json.loads(
        run("list", "--status", "scheduled", "--format", "json", "--db", db).stdout
    )


def test_journey_on_the_command_line(db: Path, tmp_path: Path) -> None:
    """Outreach, reply, schedule, done: each step recorded, each draft real mail."""
    outbox = tmp_path / "outbox"
    result = run("outreach", "--new", "--out", outbox, "--db", db)
    assert 0 == result.exit_code, result.output
    assert 3 == len(list(outbox.glob("*.eml")))
    for path in outbox.glob("*.eml"):
        parsed = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        assert parsed["Message-ID"]
    again = run("outreach", "--new", "--db", db)
    assert "nothing drafted" in again.stdout

    assert 0 == run("reply", "garcia", "--note", "Yes!", "--db", db).exit_code
    scheduled = run(
        "schedule", "ana", "--at", "2026-12-10 15:00", "--minutes", "20",
        "--where", "https://meet.example/abc", "--out", outbox, "--db", db,
    )  # fmt: skip
    assert 0 == scheduled.exit_code, scheduled.output
    assert "as America/Chicago, your zone" in scheduled.stdout
    (confirm,) = outbox.glob("scheduling-confirm-*.eml")
    parsed = email.message_from_bytes(confirm.read_bytes(), policy=policy.default)
    kinds = [part.get_content_type() for part in parsed.walk()]
    assert "text/calendar" in kinds  # the invite travels inside the confirmation
    (ics,) = outbox.glob("*.ics")
    event = next(iter(icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")))
    start = event.decoded("dtstart")
    assert datetime(2026, 12, 10, 21, 0, tzinfo=UTC) == start.astimezone(UTC)

    done = run(
        "done", "ana", "--takeaway", "start with a product analytics course",
        "--introduce", "Priya Nair", "--out", outbox, "--db", db,
        now="2026-12-10T16:00-06:00",
    )  # fmt: skip
    assert 0 == done.exit_code, done.output
    thanks = [p for p in outbox.glob("*.eml") if "thank" in p.name]
    assert 1 == len(thanks)
    body = email.message_from_bytes(thanks[0].read_bytes(), policy=policy.default)
    assert "product analytics course" in body.get_body().get_content()

    shown = run("show", "ana@example.com", "--db", db, now="2026-12-10T16:00-06:00")
    for step in ("added", "drafted outreach", "replied: Yes!", "scheduled", "completed"):
        assert step in shown.stdout
    assert "introduce me to Priya Nair" in shown.stdout

    exported = json.loads(run("export", "--db", db).stdout)
    ana = next(p for p in exported if p["contact"]["name"] == "Ana García")
    assert ["outreach", "confirm", "thank_you"] == [m["kind"] for m in ana["messages"]]
    assert "completed" == ana["interviews"][0]["status"]


def test_today_lists_nudges_with_their_command(db: Path, tmp_path: Path) -> None:
    """Outreach drafted but not answered: nudges are due on day 7 (business), with the command."""
    run("outreach", "--new", "--out", tmp_path / "o", "--db", db)
    # Drafted outreach is not yet sent: nothing requested, nothing to nudge.
    assert "Nothing is due." in run("today", "--db", db, now="2026-12-20T09:00-06:00").stdout


def test_who_errors_list_the_matches(db: Path) -> None:
    """An ambiguous or unknown WHO exits 2 and lists who matched."""
    result = run("show", "example.com", "--db", db)
    assert 2 == result.exit_code
    assert "matches 3 people" in result.stderr
    assert "Bob Li <bob@example.com>" in result.stderr
    assert 2 == run("reply", "nobody", "--db", db).exit_code


def test_refused_moves_exit_2_and_change_nothing(db: Path) -> None:
    """A past time or an illegal move is refused with the reason."""
    past = run("schedule", "bob", "--at", "2026-12-01 10:00", "--db", db)
    assert 2 == past.exit_code
    assert "in the past" in past.stderr
    early = run("decline", "bob", "--db", db)  # no request yet: nothing to decline
    assert 2 == early.exit_code
    assert "decline() is allowed only when it is requested or scheduled" in early.stderr
    assert 0 == run("cancel", "bob", "--db", db).exit_code
    illegal = run("schedule", "bob", "--at", "2026-12-20 10:00", "--db", db)
    assert 2 == illegal.exit_code
    assert "cancelled" in illegal.stderr
    assert "interview: cancelled" in run("show", "bob", "--db", db).stdout


def test_bad_times_name_the_flag(db: Path) -> None:
    """A time that is no time names its flag; a bad INFOVIEW_NOW says so."""
    result = run("schedule", "bob", "--at", "next tuesday", "--db", db)
    assert 2 == result.exit_code
    assert "--at 'next tuesday' is not a time" in result.stderr
    bad_now = run("today", "--db", db, now="yesterday")
    assert 2 == bad_now.exit_code
    assert "INFOVIEW_NOW" in bad_now.stderr
    span = run("today", "--within", "99999999999w", "--db", db)
    assert 2 == span.exit_code


def test_forget_needs_confirmation(db: Path) -> None:
    """forget asks first; --yes erases."""
    refused = CliRunner().invoke(main, ["forget", "carla", "--db", str(db)], input="n\n")
    assert 2 == refused.exit_code
    assert "Carla" in run("list", "--db", db).stdout
    assert 0 == run("forget", "carla", "--yes", "--db", db).exit_code
    assert "Carla" not in run("list", "--db", db).stdout


def test_where_names_the_file(tmp_path: Path) -> None:
    """where prints --db, else INFOVIEW_DB."""
    assert str(tmp_path / "a.sqlite") == run("where", "--db", tmp_path / "a.sqlite").stdout.strip()
    env = {"INFOVIEW_DB": str(tmp_path / "b.sqlite")}
    assert str(tmp_path / "b.sqlite") == run("where", **env).stdout.strip()


def test_a_damaged_tracker_is_an_error_line(tmp_path: Path) -> None:
    """A damaged file gives one Error line and exit 2, and is left as it was."""
    path = tmp_path / "bad.sqlite"
    path.write_bytes(b"garbage" * 1000)
    result = run("list", "--db", path)
    assert 2 == result.exit_code
    assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.output
    assert b"garbage" * 1000 == path.read_bytes()


def test_send_records_in_the_tracker_and_keeps_its_journal_there(db: Path, tmp_path: Path) -> None:
    """infoview send of the tracker's outbox marks each interview requested; one file, no other."""
    from tests._mailserver import mail_server

    outbox = tmp_path / "outbox"
    assert 0 == run("outreach", "--new", "--out", outbox, "--db", db).exit_code
    with mail_server() as (server, port):
        sent = run(
            "send", outbox, "--host", "127.0.0.1", "--port", str(port), "--security", "none",
            "--db", db,
        )  # fmt: skip
        assert 0 == sent.exit_code, sent.output
        assert "Recorded 3 sent messages in the tracker" in sent.stdout
        again = run(
            "send", outbox, "--host", "127.0.0.1", "--port", str(port), "--security", "none",
            "--db", db,
        )  # fmt: skip
        assert 0 == again.exit_code, again.output
    assert 3 == len(server.received)  # the rerun sent nothing: the journal is in the tracker
    assert not (tmp_path / "outbox.journal").exists()
    rows = json.loads(run("list", "--format", "json", "--db", db).stdout)
    assert {"requested"} == {r["status"] for r in rows}
    later = (datetime.now(UTC) + timedelta(days=20)).isoformat()  # the server took them now
    nudges = run("today", "--db", db, now=later)
    assert 3 == nudges.stdout.count("nudge: ")
    shown = run("show", "bob", "--db", db)
    assert "sent outreach" in shown.stdout
    assert 1 == shown.stdout.count("sent outreach")
