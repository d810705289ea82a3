"""The tracker: ``infoview today`` and ``infoview list`` on 5,000 people and 20,000 messages
(each under 0.5 s from a cold start), and ``infoview add`` of 10,000 contacts against
``infoview import`` of the same file to JSON (at most 1.5×).

Every command is a new process of the installed ``infoview`` script. ``today``
and ``list`` are timed twice: right after every person's journey changed (the
plans are all worked out again), and in the steady state (the kept plans are
read). Medians of 5 (3 with ``--quick``).

Run: ``python benchmarks/bench_tracker.py [--quick]``.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _sample import report, wall

from infoview import Contact, Draft, Source, Tracker

START = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
PEOPLE = 5_000
ADDED = 10_000


def build(path: Path, people: int) -> None:
    """A tracker of ``people`` alumni, four messages each, in every stage of the journey."""
    clock = [START]
    me = Contact(name="Sam Rivera", email="sam@example.org", timezone="America/Chicago")
    with Tracker(path, clock=lambda: clock[0]) as tracker:
        tracker.sender = me
        contacts = [
            Contact(
                name=f"Person {n} Example",
                email=f"p{n}@example.com",
                organization=f"Org {n % 400}",
                source=Source.ALUMNI,
            )
            for n in range(people)
        ]
        tracker.add(contacts, origin="benchmark")
        for n, contact in enumerate(contacts):
            outreach = Draft(
                subject="Fellow alum", text="Hello", recipient=contact, sender=me,
                template="outreach/alumni",
            )  # fmt: skip
            tracker.record(outreach)
            tracker.sent(outreach.message_id, START)
            for kind in ("nudge", "confirm", "thank_you"):
                tracker.record(
                    Draft(subject=f"Re: {kind}", text="Hello", recipient=contact, sender=me),
                    kind=kind,
                )
            if n % 3 == 0:
                tracker.reply(contact, at=START + timedelta(days=2))
            if n % 5 == 0:
                tracker.schedule(contact, START + timedelta(days=20))


def touch_everyone(path: Path) -> None:
    """Mark every person's journey changed, so the next command plans everyone again."""
    import sqlite3  # noqa: PLC0415

    db = sqlite3.connect(path)
    db.execute("UPDATE people SET version = version + 1")
    db.commit()
    db.close()


def main() -> None:
    """Build the tracker, time the commands, print the results."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    args = parser.parse_args()
    runs = 3 if args.quick else 5
    script = str(Path(sys.executable).parent / "infoview")
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        db = base / "tracker.sqlite"
        build(db, PEOPLE)
        env = {**os.environ, "INFOVIEW_DB": str(db), "INFOVIEW_NOW": "2026-12-21T09:00-06:00"}
        results: dict[str, list[float]] = {}
        for name in ("today", "list"):
            wall([script, name], env)  # warm the file cache
            for _ in range(runs):
                touch_everyone(db)
                results.setdefault(f"{name} after changes", []).append(wall([script, name], env))
                results.setdefault(name, []).append(wall([script, name], env))
        median = {k: sorted(v)[len(v) // 2] for k, v in results.items()}
        for name in ("today", "list"):
            for label in (name, f"{name} after changes"):
                report(
                    f"tracker: infoview {label}",
                    median[label],
                    0.5,
                    unit="s",
                    target="< 0.5 s",
                    baseline_is="the limit",
                    met=median[label] < 0.5,
                    note=f"{PEOPLE:,} people, {4 * PEOPLE:,} messages; baseline is the limit",
                )

        people = base / "people.csv"
        with people.open("w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file)
            writer.writerow(["Name", "Email", "Company", "Source"])
            writer.writerows(
                [f"Added {n} Person", f"a{n}@example.com", f"Org {n % 400}", "alumni"]
                for n in range(ADDED)
            )
        adds: list[float] = []
        imports: list[float] = []
        for n in range(runs):
            fresh = {**env, "INFOVIEW_DB": str(base / f"add{n}.sqlite")}
            imports.append(
                wall([script, "import", "csv", str(people), "-o", str(base / f"o{n}.json")], env)
            )
            adds.append(wall([script, "add", "csv", str(people)], fresh))
        ours, baseline = sorted(adds)[runs // 2], sorted(imports)[runs // 2]
        report(
            "tracker: infoview add vs import to JSON",
            ours,
            baseline,
            unit="s",
            target="≤ 1.5×",
            baseline_is="`infoview import csv` of the same file to JSON",
            met=ours <= 1.5 * baseline,
            note=f"{ADDED:,} contacts from one CSV file",
        )


if __name__ == "__main__":
    main()
