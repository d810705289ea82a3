"""The tracker: one file that keeps people, interviews, messages and steps, and says what is due."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest

import infoview
from infoview import Contact, Source, Status, Tracker, TrackerError, UnknownPersonError
from infoview.tracker import store

START = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)  # a Monday


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **span: float) -> None:
        self.now += timedelta(**span)


def me() -> Contact:
    return Contact(
        name="Sam Rivera",
        email="sam@example.org",
        headline="a nurse exploring health-tech product roles",
        school="State University",
        locale="en_US",
        timezone="America/Chicago",
    )


def alumni() -> list[Contact]:
    return [
        Contact(
            name="Ana García",
            email="ana@example.com",
            organization="Acme Health",
            title="Product Manager",
            school="State University",
            source=Source.ALUMNI,
            locale="es_MX",
            timezone="America/Mexico_City",
        ),
        Contact(
            name="Bob Li",
            email="bob@example.com",
            organization="Beta Care",
            school="State University",
            source=Source.ALUMNI,
        ),
    ]


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def tracker(tmp_path: Path, clock: Clock) -> Iterator[Tracker]:
    with Tracker(tmp_path / "journey.sqlite", clock=clock) as opened:
        opened.sender = me()
        yield opened


def written(tracker: Tracker, clock: Clock) -> list[infoview.Draft]:
    """Add the two alumni, draft their outreach, record it, and mark it sent now."""
    tracker.add(alumni(), origin="test")
    drafts = tracker.outreach()
    for draft in drafts:
        tracker.record(draft)
        tracker.sent(draft.message_id, clock())
    return drafts


def kinds(tracker: Tracker, **options: object) -> list[tuple[str, str]]:
    return [(line.kind, line.name) for line in tracker.today(**options)]  # type: ignore[arg-type]


def test_file_is_private_and_versioned(tmp_path: Path) -> None:
    """A new tracker file is readable by its owner only, and carries its schema version."""
    path = tmp_path / "deep" / "folder" / "t.sqlite"
    with Tracker(path) as tracker:
        tracker.sender = me()
    assert 0o600 == stat.S_IMODE(path.stat().st_mode)
    assert 0o700 == stat.S_IMODE(path.parent.stat().st_mode)
    for extra in path.parent.glob("t.sqlite-*"):
        assert 0o600 == stat.S_IMODE(extra.stat().st_mode)
    db = sqlite3.connect(path)
    assert store.SCHEMA_VERSION == db.execute("PRAGMA user_version").fetchone()[0]
    assert store.APPLICATION_ID == db.execute("PRAGMA application_id").fetchone()[0]


def test_where_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """INFOVIEW_DB names the file; without it, the per-user data folder."""
    monkeypatch.setenv("INFOVIEW_DB", str(tmp_path / "x.sqlite"))
    assert tmp_path / "x.sqlite" == infoview.tracker.where()
    monkeypatch.delenv("INFOVIEW_DB")
    assert "infoview" in str(infoview.tracker.where())


def test_a_person_is_added_once(tracker: Tracker) -> None:
    """The same person (by email, any case) is reported as known; new details need update."""
    first = tracker.add(alumni())
    assert 2 == len(first.added)
    again = tracker.add(Contact(name="Ana García", email="ANA@EXAMPLE.COM", title="Director"))
    assert () == again.added
    assert 1 == len(again.differs)
    assert "Product Manager" == tracker.find("ana@example.com").title
    updated = tracker.add(
        Contact(name="Ana García", email="ana@example.com", title="Director"), update=True
    )
    assert 1 == len(updated.updated)
    assert "Director" == tracker.find("garcia").title
    assert "Acme Health" == tracker.find("garcia").organization  # kept
    assert 2 == len(tracker.contacts())


def test_a_person_without_email_gains_one(tracker: Tracker) -> None:
    """Someone known by name only is the same person once an address is known."""
    tracker.add(Contact(name="Lei Wang", organization="Shenzhen Robotics"))
    report = tracker.add(Contact(name="Lei Wang", email="lei@example.cn"), update=True)
    assert 1 == len(report.updated)
    assert "lei@example.cn" == tracker.find("lei").email
    assert 1 == len(tracker.contacts())


def test_who_finds_by_address_or_any_part_of_a_name(tracker: Tracker) -> None:
    """Accents and case are ignored; an ambiguous or unknown WHO lists the matches."""
    tracker.add(alumni())
    assert "Ana García" == tracker.find("GARCIA").name
    assert "Ana García" == tracker.find("ana@example.com").name
    with pytest.raises(UnknownPersonError, match="matches 2 people") as found:
        tracker.find("example.com")
    assert 2 == len(found.value.matches)
    with pytest.raises(UnknownPersonError, match="no one in the tracker matches 'zed'"):
        tracker.find("zed")


def test_outreach_is_recorded_and_sending_requests(tracker: Tracker, clock: Clock) -> None:
    """Drafted outreach is kept with its Message-ID; sent outreach marks the interview requested."""
    drafts = written(tracker, clock)
    assert 2 == len(drafts)
    assert [] == tracker.not_written_to()
    message = tracker.message(drafts[0].message_id)
    assert ("outreach", "sent") == (message.kind, message.state)
    assert START == message.sent_at
    interview = tracker.interview("ana")
    assert Status.REQUESTED == interview.status
    assert START == interview.requested_at
    assert [] == tracker.outreach()  # nobody is written to twice


def test_nudge_is_due_after_seven_business_days_and_threads(tracker: Tracker, clock: Clock) -> None:
    """No nudge before its day; on it, a nudge for each; the nudge replies on the outreach."""
    drafts = written(tracker, clock)
    assert [] == kinds(tracker)
    clock.advance(days=8)
    assert [] == kinds(tracker)  # 7 business days from Monday 7th is Wednesday 16th
    clock.advance(days=2)
    assert [("nudge", "Ana García"), ("nudge", "Bob Li")] == kinds(tracker)
    nudge = tracker.follow_up("bob", "nudge")
    outreach = next(d for d in drafts if d.recipient and d.recipient.name == "Bob Li")
    assert outreach.message_id == nudge.in_reply_to
    assert nudge.subject.startswith("Re: ")
    tracker.record(nudge)
    assert [("nudge", "Ana García")] == kinds(tracker)


def test_a_reply_drops_the_nudge(tracker: Tracker, clock: Clock) -> None:
    """Once someone answered, no nudge is listed for them, even when it was due."""
    written(tracker, clock)
    clock.advance(days=10)
    tracker.reply("ana", note="Happy to talk next week")
    assert [("nudge", "Bob Li")] == kinds(tracker)
    assert "replied" in [step.kind for step in tracker.timeline("ana")]


def test_schedule_complete_and_thank(tracker: Tracker, clock: Clock) -> None:
    """A time agreed gets a confirmation and a reminder; the conversation, a thank-you."""
    written(tracker, clock)
    clock.advance(days=2)
    tracker.reply("ana")
    tracker.schedule("ana", START + timedelta(days=5), minutes=25, where="https://meet.example/x")
    assert [("confirm", "Ana García")] == kinds(tracker, within=timedelta(hours=1))
    tracker.record(tracker.follow_up("ana", "confirm"))
    clock.advance(days=2, hours=2)
    assert [("reminder", "Ana García")] == kinds(tracker)
    clock.advance(days=1)
    interview = tracker.complete(
        "ana", takeaway="start with the product analytics course", introduce=["Priya Nair"]
    )
    assert Status.COMPLETED == interview.status
    assert 25 == interview.minutes
    due_now = kinds(tracker, within=timedelta(days=1))
    assert ("thank_you", "Ana García") in due_now
    thanks = tracker.follow_up("ana", "thank_you")
    assert "product analytics course" in thanks.text
    tracker.record(thanks)
    assert ("thank_you", "Ana García") not in kinds(tracker, within=timedelta(days=1))


def test_illegal_moves_change_nothing(tracker: Tracker, clock: Clock) -> None:
    """Scheduling a declined interview or a time in the past is refused, and nothing moves."""
    written(tracker, clock)
    tracker.decline("bob")
    with pytest.raises(infoview.TransitionError):
        tracker.schedule("bob", START + timedelta(days=3))
    with pytest.raises(infoview.ValidationError, match="in the past"):
        tracker.schedule("ana", START - timedelta(days=1))
    assert Status.REQUESTED == tracker.interview("ana").status
    assert Status.DECLINED == tracker.interview("bob").status
    assert ["added", "drafted outreach", "sent outreach", "declined"] == [
        step.kind for step in tracker.timeline("bob")
    ]


def test_nothing_due_says_what_comes_next(tracker: Tracker, clock: Clock) -> None:
    """With nothing due, today names the next thing and when."""
    written(tracker, clock)
    today = tracker.today()
    assert 0 == len(today)
    assert today.next is not None
    assert "nudge" == today.next.kind
    assert "Nothing is due." in str(today)


def test_pipeline_show_and_export_agree(tracker: Tracker, clock: Clock) -> None:
    """list, show and export tell the same story."""
    written(tracker, clock)
    tracker.log("bob", "commented on their post")
    rows = {row.name: row for row in tracker.pipeline()}
    assert "requested" == rows["Bob Li"].status
    assert "nudge" == rows["Bob Li"].next_step
    card = tracker.show("bob")
    assert "commented on their post" in str(card)
    data = {item["contact"]["name"]: item for item in tracker.export()}
    assert ["outreach"] == [m["kind"] for m in data["Bob Li"]["messages"]]
    assert "requested" == data["Bob Li"]["interviews"][0]["status"]
    json.dumps(data)  # plain data throughout


def test_forget_erases_everything(tracker: Tracker, clock: Clock, tmp_path: Path) -> None:
    """A forgotten person leaves no row and no trace of their name or address in the file."""
    written(tracker, clock)
    tracker.log("ana", "met at the conference dinner")
    tracker.forget("ana")
    with pytest.raises(UnknownPersonError):
        tracker.find("ana")
    tracker.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("journey.sqlite*"))
    assert b"ana@example.com" not in raw
    assert "García".encode() not in raw
    assert b"conference dinner" not in raw


def test_hostile_values_are_stored_as_text(tracker: Tracker, clock: Clock) -> None:
    """Quotes, SQL, line breaks and huge notes are kept and shown as text, never run."""
    hostile = "Robert'); DROP TABLE people;--"
    tracker.add(Contact(name=hostile, email="bobby@example.com"))
    tracker.log("bobby@example.com", "line one\nline two; DELETE FROM steps; '\" x" + "y" * 100_000)
    assert hostile == tracker.find("bobby@example.com").name
    assert hostile == tracker.find("DROP TABLE").name
    note = tracker.timeline("bobby@example.com")[-1].text
    assert note is not None
    assert note.startswith("line one\nline two; DELETE FROM steps;")
    assert 100_000 < len(note)
    assert 1 == len(tracker.contacts())


def test_a_damaged_file_is_refused_and_kept(tmp_path: Path) -> None:
    """A file that is not a tracker, or is damaged, is refused and never overwritten."""
    for content in (b"not a database at all" * 100, b"SQLite format 3\x00" + os.urandom(4000)):
        path = tmp_path / "bad.sqlite"
        path.write_bytes(content)
        with pytest.raises(TrackerError, match=r"damaged|not an infoview tracker"):
            Tracker(path)
        assert content == path.read_bytes()


def test_another_sqlite_file_is_refused(tmp_path: Path) -> None:
    """Someone else's SQLite database is not taken for a tracker."""
    path = tmp_path / "other.sqlite"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE t (x)")
    db.commit()
    db.close()
    with pytest.raises(TrackerError, match="not an infoview tracker"):
        Tracker(path)


def test_a_newer_file_says_to_upgrade(tmp_path: Path) -> None:
    """A file from a newer infoview is refused with the version and what to do."""
    path = tmp_path / "new.sqlite"
    Tracker(path).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version={store.SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    with pytest.raises(TrackerError, match=r"newer infoview.*upgrade infoview"):
        Tracker(path)


def test_migrates_from_every_earlier_version(tmp_path: Path) -> None:
    """An empty file, and a file at each earlier schema version, open at the newest."""
    for version in range(store.SCHEMA_VERSION):
        path = tmp_path / f"v{version}.sqlite"
        db = sqlite3.connect(path)
        for step in range(1, version + 1):
            db.executescript(store.MIGRATIONS[step])
        db.execute(f"PRAGMA application_id={store.APPLICATION_ID if version else 0}")
        db.execute(f"PRAGMA user_version={version}")
        db.commit()
        db.close()
        with Tracker(path) as tracker:
            tracker.add(alumni())
        check = sqlite3.connect(path)
        assert store.SCHEMA_VERSION == check.execute("PRAGMA user_version").fetchone()[0]


def test_a_read_only_file_is_refused_for_writing(tmp_path: Path) -> None:
    """A file that cannot be written gives a clear error (immutable, since root writes any file)."""
    path = tmp_path / "ro.sqlite"
    with Tracker(path) as tracker:
        tracker.sender = me()
    for extra in tmp_path.glob("ro.sqlite-*"):
        extra.unlink()
    root = os.geteuid() == 0
    if root:
        subprocess.run(["chattr", "+i", str(path)], check=True)
    else:
        path.chmod(0o444)
    try:
        with pytest.raises(TrackerError, match="read-only"):
            Tracker(path).add(alumni())
    finally:
        if root:
            subprocess.run(["chattr", "-i", str(path)], check=True)


def test_read_only_opening_changes_nothing(tmp_path: Path, clock: Clock) -> None:
    """Opened for reading, the tracker answers and refuses to change."""
    path = tmp_path / "r.sqlite"
    with Tracker(path, clock=clock) as tracker:
        tracker.sender = me()
        written(tracker, clock)
    before = path.read_bytes()
    with Tracker(path, read_only=True, clock=clock) as tracker:
        assert 2 == len(tracker.pipeline())
        with pytest.raises(TrackerError, match="reading only"):
            tracker.log("ana", "x")
    assert before == path.read_bytes()


def test_a_second_writer_waits_then_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """While another process holds a write, a writer waits briefly, then says the file is busy."""
    path = tmp_path / "busy.sqlite"
    with Tracker(path) as tracker:
        tracker.sender = me()
    monkeypatch.setattr(store, "BUSY_SECONDS", 0.2)
    holder = sqlite3.connect(path)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with Tracker(path) as tracker, pytest.raises(TrackerError, match="another infoview"):
            tracker.add(alumni())
    finally:
        holder.rollback()
        holder.close()
    with Tracker(path) as tracker:
        assert 2 == len(tracker.add(alumni()).added)


def test_drafts_parse_back(tracker: Tracker, clock: Clock) -> None:
    """Outreach from the tracker is real mail: the standard parser reads it back."""
    tracker.add(alumni())
    (draft, *_) = tracker.outreach(["ana"])
    parsed = message_from_bytes(draft.as_bytes(), policy=policy.default)
    assert "ana@example.com" in str(parsed["To"])
    assert draft.message_id == parsed["Message-ID"]


KILLED_WRITER = """
import sys
from datetime import UTC, datetime
from infoview import Contact, Tracker
with Tracker(sys.argv[1], clock=lambda: datetime(2026, 12, 7, tzinfo=UTC)) as tracker:
    tracker.sender = Contact(name="Sam Rivera", email="sam@example.org")
    tracker.add(Contact(name="Ana García", email="ana@example.com"))
    for n in range(100_000):
        tracker.log("ana@example.com", f"note {n}")
        print(n, flush=True)
"""


@pytest.mark.parametrize("after", [1, 17, 60])
def test_a_killed_writer_loses_no_committed_step(tmp_path: Path, after: int) -> None:
    """Killed mid-write: every step reported committed is there, and the file is whole."""
    path = tmp_path / "killed.sqlite"
    committed = -1
    with subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(path)], stdout=subprocess.PIPE, text=True
    ) as child:
        assert child.stdout is not None
        for line in child.stdout:
            committed = int(line)
            if committed >= after:
                break
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert committed >= after
    db = sqlite3.connect(path)
    assert "ok" == db.execute("PRAGMA integrity_check").fetchone()[0]
    db.close()
    with Tracker(path) as tracker:
        notes = [step.text for step in tracker.timeline("ana") if step.kind == "note"]
        assert [f"note {n}" for n in range(len(notes))] == notes
        assert committed < len(notes)
        tracker.log("ana", "after the kill")  # the file is writable again


def test_the_kind_order_is_the_enum_order() -> None:
    """Lines due at once sort by kind in FollowUpKind's order, which the tracker copies."""
    from infoview.tracker import today

    assert [kind.value for kind in infoview.FollowUpKind] == list(today._KIND_ORDER)


def test_suggested_commands_are_safe_to_paste() -> None:
    """A name holding shell syntax is quoted in today's commands, never run if pasted."""
    import shlex

    from infoview.tracker import today

    for name in ("Bob $(touch pwned) Li", "Ann `id`", "O'Brien; rm -rf ~", "plain"):
        command = today._command("nudge", name)
        assert ["infoview", "nudge", name, "--out", "DIR"] == shlex.split(command)
        command = today._command("no_response", name)
        assert ["infoview", "no-response", name] == shlex.split(command)


def test_a_note_cannot_forge_a_step_in_show(tracker: Tracker, clock: Clock) -> None:
    """A note's line breaks stay inside its one line of the timeline."""
    tracker.add(Contact(name="Ana García", email="ana@example.com"))
    tracker.log("ana", "fine\n  2026-12-08 10:00 completed: forged")
    shown = str(tracker.show("ana")).splitlines()
    assert not any(line.startswith("  2026-12-08 10:00 completed") for line in shown)
    assert any(line.endswith("note: fine ⏎   2026-12-08 10:00 completed: forged") for line in shown)
