"""A whole journey through the installed ``infoview`` script, with a clock you set.

30 LinkedIn connections are added, written to and sent to a local SMTP
server; 10 reply, 6 agree a time, 5 talk. ``infoview today`` is checked at
day 0, 3, 11, 30 and 90 (7 business days from a Saturday end on day 10)
against the follow-up policy's defaults: a nudge 7 business days after the
request unless they answered, a reminder the day before a meeting, a
thank-you at once (``done`` writes it), a progress update 4 weeks after the
conversation.
"""

from __future__ import annotations

import csv
import email
import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from email import policy
from pathlib import Path

import pytest

from tests._mailserver import mail_server

# Day 0 is now: the server stamps when it accepted each message with the real clock.
DAY0 = datetime.now(UTC).replace(second=0, microsecond=0)
NAMES = [f"Person{n:02d} Lastname" for n in range(30)]
LINE = re.compile(r"^(?:overdue )?([a-z ]+): (.+?) \(due ", re.MULTILINE)


def at(days: float) -> str:
    """The clock ``days`` after day 0, as INFOVIEW_NOW takes it."""
    return (DAY0 + timedelta(days=days)).isoformat()


class Journey:
    """Runs the installed console script on one tracker, at a time set per command."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.db = folder / "journey.sqlite"
        self.script = Path(sys.executable).parent / "infoview"

    def __call__(self, *args: str | Path, day: float = 0, code: int = 0) -> str:
        env = {**os.environ, "INFOVIEW_DB": str(self.db), "INFOVIEW_NOW": at(day)}
        done = subprocess.run(
            [self.script, *map(str, args)],
            capture_output=True,
            text=True,
            env=env,
            cwd=self.folder,
            check=False,
            timeout=120,
        )
        assert code == done.returncode, done.stdout + done.stderr
        assert "Traceback" not in done.stderr
        return done.stdout

    def today(self, day: float) -> set[tuple[str, str]]:
        """What ``infoview today`` lists at ``day``: (kind, name) pairs."""
        return {(kind, name) for kind, name in LINE.findall(self("today", day=day))}


@pytest.fixture(scope="module")
def journey(tmp_path_factory: pytest.TempPathFactory) -> Journey:
    """The journey up to day 12, recorded with the command line alone."""
    folder = tmp_path_factory.mktemp("journey")
    run = Journey(folder)
    export = folder / "Connections.csv"
    with export.open("w", newline="", encoding="utf-8") as file:
        file.write('Notes:\n"Some connections hide their email address."\n\n')
        writer = csv.writer(file)
        writer.writerow(
            ["First Name", "Last Name", "URL", "Email Address", "Company", "Position",
             "Connected On"]
        )  # fmt: skip
        for n, name in enumerate(NAMES):
            first, last = name.split()
            writer.writerow(
                [first, last, f"https://www.linkedin.com/in/p{n}", f"p{n}@example.com",
                 f"Company {n}", "Product Manager", "15 Jun 2026"]
            )  # fmt: skip
    run(
        "me", "--name", "Sam Rivera", "--email", "sam@example.org", "--headline",
        "a nurse exploring health-tech product roles", "--timezone", "UTC",
    )  # fmt: skip
    assert "30 added, 0 already known" in run("add", "linkedin", export)
    assert "0 added, 30 already known" in run("add", "linkedin", export)
    assert "Drafted 30 outreach drafts" in run("outreach", "--new", "--out", "outbox")
    with mail_server() as (server, port):
        out = run("send", "outbox", "--host", "127.0.0.1", "--port", port, "--security", "none")
        assert "Recorded 30 sent messages in the tracker" in out
    run.received = server.received  # type: ignore[attr-defined]
    run.day0 = run.today(0)  # type: ignore[attr-defined]
    for name in NAMES[:10]:
        run("reply", name.split()[0], "--note", "Happy to talk", day=3)
    for name in NAMES[:6]:
        meeting = (DAY0 + timedelta(days=12)).strftime("%Y-%m-%d %H:%M")
        run("schedule", name.split()[0], "--at", meeting, "--out", "outbox", day=3)
    run.day3 = run.today(3)  # type: ignore[attr-defined]
    run.day11 = run.today(11)  # type: ignore[attr-defined]
    for name in NAMES[:5]:
        run(
            "done", name.split()[0], "--takeaway", "start with a product analytics course",
            "--out", "outbox", day=12.1,
        )  # fmt: skip
    return run


def test_every_connection_gets_the_connection_email(journey: Journey) -> None:
    """Each LinkedIn connection was written the outreach/connection email, once."""
    received = journey.received  # type: ignore[attr-defined]
    assert 30 == len(received)
    for _, _, data in received:
        parsed = email.message_from_bytes(data, policy=policy.default)
        body = parsed.get_body(("plain",)).get_content()
        assert "LinkedIn" in body
        assert "Connection request" not in parsed["Subject"]


def test_today_at_day_0_and_3(journey: Journey) -> None:
    """Right after sending, and after replies and meetings agreed, nothing is due yet."""
    assert set() == journey.day0  # type: ignore[attr-defined]
    assert set() == journey.day3  # type: ignore[attr-defined]


def test_today_at_day_11(journey: Journey) -> None:
    """Everyone who did not answer is nudged; a meeting tomorrow has its reminder due."""
    expected = {("nudge", name) for name in NAMES[10:]} | {("reminder", n) for n in NAMES[:6]}
    assert expected == journey.day11  # type: ignore[attr-defined]


def test_today_at_day_30(journey: Journey) -> None:
    """The nudges are still owed, and so is the reminder of the meeting never held."""
    expected = {("nudge", name) for name in NAMES[10:]} | {("reminder", NAMES[5])}
    assert expected == journey.today(30)


def test_today_at_day_90(journey: Journey) -> None:
    """Four weeks after each conversation, a progress update is due; thank-yous were written."""
    expected = (
        {("nudge", name) for name in NAMES[10:]}
        | {("reminder", NAMES[5])}
        | {("progress update", name) for name in NAMES[:5]}
    )
    assert expected == journey.today(90)


def test_show_and_export_agree_with_what_was_done(journey: Journey) -> None:
    """Statuses, messages and steps are what the commands did."""
    people = {p["contact"]["name"]: p for p in json.loads(journey("export"))}
    assert 30 == len(people)
    status = {name: p["interviews"][0]["status"] for name, p in people.items()}
    assert ["completed"] * 5 + ["scheduled"] + ["requested"] * 24 == [status[n] for n in NAMES]
    kinds = {name: [m["kind"] for m in p["messages"]] for name, p in people.items()}
    assert ["outreach", "confirm", "thank_you"] == kinds[NAMES[0]]
    assert ["outreach", "confirm"] == kinds[NAMES[5]]
    assert ["outreach"] == kinds[NAMES[20]]
    assert {"sent"} == {m["state"] for m in people[NAMES[20]]["messages"]}
    shown = journey("show", NAMES[0].split()[0], day=13)
    for step in ("added", "drafted outreach", "sent outreach", "replied", "scheduled",
                 "completed", "drafted thank_you"):  # fmt: skip
        assert step in shown
    rows = list(csv.DictReader(journey("export", "--format", "csv").splitlines()))
    assert status == {r["name"]: r["status"] for r in rows}
