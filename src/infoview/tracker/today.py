"""What the tracker says: today's to-do list, the pipeline, one person's card, the export.

The follow-ups are planned by the :class:`~infoview.Policy` over each
person's interviews and kept in the file, so one done, skipped or snoozed
stays so. A follow-up is done once a message of its kind was drafted for
its interview (the n-th nudge once n nudges were), whoever wrote it.
"""

from __future__ import annotations

import html
import json
import sqlite3
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

import attrs

from infoview.followups.followup import FollowUp, FollowUpKind, FollowUpStatus
from infoview.followups.policy import Policy
from infoview.followups.todo import due
from infoview.model import _times
from infoview.model.contact import Contact
from infoview.model.interview import Interview, Status
from infoview.model.serialize import converter
from infoview.tracker.store import Store, stamp

__all__ = ["Card", "Row", "Today", "Todo", "card", "export", "pipeline", "today"]

#: What a person's status reads as when no interview has begun.
_NEW = "new"


@attrs.frozen
class Todo:
    """One line of today's list: what to do, for whom, by when, and the command that does it.

    Attributes:
        due: When it is (or was) due.
        overdue: Whether it is past its overdue time.
        kind: The follow-up kind, or ``no_response`` (give up on a request).
        name: Whom it is for.
        who: How the command line names them (their email, else their name).
        command: The ``infoview`` command that does it.
    """

    due: datetime
    overdue: bool
    kind: str
    name: str
    who: str
    command: str

    def __str__(self) -> str:
        flag = "overdue " if self.overdue else ""
        when = self.due.strftime("%Y-%m-%d %H:%M %Z").strip()
        return f"{flag}{self.kind.replace('_', ' ')}: {self.name} (due {when}) → {self.command}"


@attrs.frozen
class Today:
    """Today's list, overdue first, and what comes next when nothing is due.

    Attributes:
        now: The time it was made for.
        lines: What is due, overdue first, then by due time.
        next: The first thing due after the window, when there is one.
        not_written: How many people have no outreach drafted yet.
    """

    now: datetime
    lines: tuple[Todo, ...]
    next: Todo | None
    not_written: int

    def __iter__(self) -> Any:
        return iter(self.lines)

    def __len__(self) -> int:
        return len(self.lines)

    def __str__(self) -> str:
        out = [str(line) for line in self.lines]
        if not out:
            out.append("Nothing is due.")
            if self.next is not None:
                out.append(f"Next: {self.next}")
        if self.not_written:
            out.append(
                f"{self.not_written} people have no outreach yet "
                "→ infoview outreach --new --out DIR"
            )
        return "\n".join(out)

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{'⚠ ' if t.overdue else ''}{html.escape(t.kind.replace('_', ' '))}</td>"
            f"<td>{html.escape(t.name)}</td><td>{t.due:%Y-%m-%d %H:%M}</td>"
            f"<td><code>{html.escape(t.command)}</code></td></tr>"
            for t in self.lines
        )
        if not rows:
            rows = "<tr><td colspan=4>Nothing is due.</td></tr>"
        return (
            f"<table><tr><th>what</th><th>who</th><th>due</th><th>command</th></tr>{rows}</table>"
        )


@attrs.frozen
class Row:
    """One person in the pipeline.

    Attributes:
        name: Their name.
        email: Their address, if known.
        organization: Where they work.
        origin: Where they came from (the file and line, or what you said).
        source: How you know them (``alumni``, ``social``, …).
        status: Their interview's status, or ``new``.
        last_contact: When you were last in touch.
        next_step: The follow-up due next, if any.
        next_due: When it is due.
    """

    name: str
    email: str | None
    organization: str | None
    origin: str | None
    source: str
    status: str
    last_contact: datetime | None
    next_step: str | None
    next_due: datetime | None

    def values(self) -> dict[str, str]:
        """The row as text, column by column (for tables and CSV)."""
        return {
            "name": self.name,
            "email": self.email or "",
            "organization": self.organization or "",
            "source": self.source,
            "origin": self.origin or "",
            "status": self.status,
            "last contact": _day(self.last_contact),
            "next step": (self.next_step or "").replace("_", " "),
            "due": _day(self.next_due),
        }


@attrs.frozen
class Card:
    """Everything about one person.

    Attributes:
        contact: Their record.
        origin: Where they came from.
        interviews: Their interviews, oldest first.
        steps: Their timeline: (when, what, words).
        promised: What is promised and not yet done, by whom.
        next: The follow-up due next, if any.
    """

    contact: Contact
    origin: str | None
    interviews: tuple[Interview, ...]
    steps: tuple[tuple[datetime, str, str | None], ...]
    promised: tuple[str, ...]
    next: Todo | None

    def __str__(self) -> str:
        c = self.contact
        work = ", ".join(str(p) for p in (c.title, c.organization) if p)
        lines = [
            f"{c.name}" + (f" <{c.email}>" if c.email else "") + (f" — {work}" if work else "")
        ]
        lines.append(f"source: {c.source.value}" + (f" ({self.origin})" if self.origin else ""))
        for interview in self.interviews:
            lines.append(f"interview: {interview.status.value}")
        lines.append("timeline:")
        for at, kind, text in self.steps:
            lines.append(f"  {at:%Y-%m-%d %H:%M} {kind}" + (f": {text}" if text else ""))
        for promise in self.promised:
            lines.append(f"promised: {promise}")
        lines.append(f"next: {self.next}" if self.next else "next: nothing planned")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return "<pre>" + html.escape(str(self)) + "</pre>"


def _day(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value is not None else ""


def _who(person: sqlite3.Row) -> str:
    return str(person["email"] or person["name"])


def _interviews(store: Store, person: sqlite3.Row) -> list[Interview]:
    rows = store.read(
        "SELECT interview FROM interviews WHERE person = ? ORDER BY created_at, rowid",
        (person["id"],),
    )
    contact = json.loads(person["contact"])
    found = []
    for row in rows:
        data = json.loads(row["interview"])
        data["contact"] = contact
        found.append(converter.structure(data, Interview))
    return found


def _stored(
    store: Store, person: sqlite3.Row, contact: Contact, interviews: list[Interview]
) -> list[FollowUp]:
    """The follow-ups planned before for a person, as the policy gave them."""
    by_id = {i.id: i for i in interviews}
    found = []
    for row in store.read("SELECT * FROM follow_ups WHERE person = ?", (person["id"],)):
        interview = by_id.get(row["interview"])
        found.append(
            FollowUp(
                kind=row["kind"],
                contact=interview.contact if interview is not None else contact,
                due=datetime.fromisoformat(row["due"]),
                interview=interview,
                status=row["status"],
                attempt=row["attempt"],
                overdue_at=datetime.fromisoformat(row["overdue"]) if row["overdue"] else None,
                done_at=datetime.fromisoformat(row["done_at"]) if row["done_at"] else None,
                about=row["about"] or None,
            )
        )
    return found


def _drafted(store: Store, person: sqlite3.Row) -> dict[tuple[str, str], list[datetime]]:
    """When each kind of message was drafted, per interview: (interview, kind) → times."""
    found: dict[tuple[str, str], list[datetime]] = {}
    for row in store.read(
        "SELECT interview, kind, drafted_at FROM mail WHERE person = ? ORDER BY drafted_at",
        (person["id"],),
    ):
        found.setdefault((row["interview"] or "", row["kind"]), []).append(
            datetime.fromisoformat(row["drafted_at"])
        )
    return found


def plan(store: Store, policy: Policy, person: sqlite3.Row, now: datetime) -> list[FollowUp]:
    """Plan a person's follow-ups at ``now``, mark those already drafted done, and keep them."""
    interviews = _interviews(store, person)
    if not interviews:
        return []
    contact = interviews[-1].contact
    existing = _stored(store, person, contact, interviews)
    result = policy.plan(interviews, now=now, existing=existing)
    drafted = _drafted(store, person)
    counts: Counter[tuple[str, str]] = Counter()
    for follow_up in sorted(result, key=lambda f: (f.kind.value, f.attempt)):
        owner = follow_up.interview.id if follow_up.interview is not None else ""
        kind = follow_up.kind.value
        times = drafted.get((owner, kind), [])
        if follow_up.kind is FollowUpKind.CHECK_IN:
            times = sorted(t for (_, k), ts in drafted.items() if k == kind for t in ts)
        counts[owner, kind] += 1
        if follow_up.open and len(times) >= counts[owner, kind]:
            follow_up.mark_done(times[counts[owner, kind] - 1])
    if not store.read_only:
        _keep(store, person, result)
    return result


def _keep(store: Store, person: sqlite3.Row, follow_ups: list[FollowUp]) -> None:
    with store.write() as db:
        db.execute("DELETE FROM follow_ups WHERE person = ?", (person["id"],))
        db.executemany(
            "INSERT OR REPLACE INTO follow_ups (person, interview, kind, attempt, about, due, "
            "overdue, status, done_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    person["id"],
                    f.interview.id if f.interview is not None else "",
                    f.kind.value,
                    f.attempt,
                    f.about or "",
                    f.due.isoformat(),
                    f.overdue_at.isoformat() if f.overdue_at else None,
                    f.status.value,
                    f.done_at.isoformat() if f.done_at else None,
                )
                for f in follow_ups
            ],
        )


def _command(kind: str, who: str) -> str:
    quoted = f'"{who}"' if any(c in who for c in " '\"") else who
    if kind == FollowUpKind.NUDGE.value:
        return f"infoview nudge {quoted} --out DIR"
    if kind == "no_response":
        return f"infoview no-response {quoted}"
    return f"infoview follow-up {quoted} {kind} --out DIR"


def _todo(follow_up: FollowUp, overdue: bool, person: sqlite3.Row) -> Todo:
    kind = follow_up.kind.value
    return Todo(
        due=follow_up.due,
        overdue=overdue,
        kind=kind,
        name=person["name"],
        who=_who(person),
        command=_command(kind, _who(person)),
    )


def today(store: Store, policy: Policy, now: datetime, within: timedelta) -> Today:
    """Plan every person's follow-ups and list what is due by ``now + within``."""
    horizon = _times.utc(now) + within
    lines: list[tuple[bool, datetime, int, Todo]] = []
    upcoming: list[Todo] = []
    for person in store.read("SELECT * FROM people ORDER BY id"):
        result = plan(store, policy, person, now)
        for line in due(result, now, within=within):
            todo = _todo(line.follow_up, line.overdue, person)
            lines.append((not todo.overdue, _times.utc(todo.due), len(lines), todo))
        upcoming += [
            _todo(f, False, person) for f in result if f.open and _times.utc(f.due) > horizon
        ]
        for interview in _interviews(store, person):
            give_up = policy.no_response_due(interview, result)
            if give_up is None:
                continue
            todo = Todo(
                due=give_up,
                overdue=_times.utc(give_up) < _times.utc(now),
                kind="no_response",
                name=person["name"],
                who=_who(person),
                command=_command("no_response", _who(person)),
            )
            if _times.utc(give_up) <= horizon:
                lines.append((not todo.overdue, _times.utc(give_up), len(lines), todo))
            else:
                upcoming.append(todo)
    lines.sort(key=lambda item: item[:3])
    waiting = store.read(
        "SELECT count(*) AS n FROM people p WHERE NOT EXISTS "
        "(SELECT 1 FROM mail m WHERE m.person = p.id AND m.kind = 'outreach')"
    )[0]["n"]
    following = min(upcoming, key=lambda t: _times.utc(t.due), default=None)
    return Today(now, tuple(t for *_, t in lines), following, int(waiting))


def _status(interviews: list[Interview]) -> str:
    going = [
        i for i in interviews if i.status in (Status.IDENTIFIED, Status.REQUESTED, Status.SCHEDULED)
    ]
    chosen = going or interviews
    return chosen[-1].status.value if chosen else _NEW


def pipeline(store: Store, policy: Policy, now: datetime) -> list[Row]:
    """One row per person, in the order they were added."""
    rows = []
    for person in store.read("SELECT * FROM people ORDER BY id"):
        interviews = _interviews(store, person)
        contact = converter.loads(person["contact"], Contact)
        result = plan(store, policy, person, now) if interviews else []
        following = min(
            (f for f in result if f.open), key=lambda f: _times.utc(f.due), default=None
        )
        last = max(
            (i.last_interaction for i in interviews if i.last_interaction is not None),
            key=_times.utc,
            default=None,
        )
        sent = store.read(
            "SELECT max(coalesce(sent_at, drafted_at)) AS at FROM mail WHERE person = ?",
            (person["id"],),
        )[0]["at"]
        if sent is not None:
            at = datetime.fromisoformat(sent)
            last = at if last is None or _times.utc(at) > _times.utc(last) else last
        rows.append(
            Row(
                name=contact.name,
                email=contact.email,
                organization=contact.organization,
                origin=person["origin"],
                source=contact.source.value,
                status=_status(interviews),
                last_contact=last,
                next_step=following.kind.value if following is not None else None,
                next_due=following.due if following is not None else None,
            )
        )
    return rows


def card(store: Store, policy: Policy, person: sqlite3.Row, now: datetime) -> Card:
    """Everything about one person."""
    interviews = _interviews(store, person)
    result = plan(store, policy, person, now) if interviews else []
    following = min((f for f in result if f.open), key=lambda f: _times.utc(f.due), default=None)
    steps = tuple(
        (datetime.fromisoformat(r["at"]), r["kind"], r["text"])
        for r in store.read(
            "SELECT at, kind, text FROM steps WHERE person = ? ORDER BY at, id", (person["id"],)
        )
    )
    promised = tuple(
        f"{p.text} (by {p.by.value})" for i in interviews for p in i.promises if p.done_at is None
    )
    return Card(
        contact=converter.loads(person["contact"], Contact),
        origin=person["origin"],
        interviews=tuple(interviews),
        steps=steps,
        promised=promised,
        next=_todo(following, following.is_overdue(now), person) if following else None,
    )


def export(store: Store) -> list[dict[str, Any]]:
    """The whole tracker as data: one dict per person."""
    found = []
    for person in store.read("SELECT * FROM people ORDER BY id"):
        found.append(
            {
                "contact": json.loads(person["contact"]),
                "origin": person["origin"],
                "added_at": person["added_at"],
                "interviews": [converter.unstructure(i) for i in _interviews(store, person)],
                "messages": [
                    {
                        k: row[k]
                        for k in (
                            "message_id",
                            "kind",
                            "template",
                            "subject",
                            "thread",
                            "state",
                            "drafted_at",
                            "sent_at",
                            "written_to",
                        )
                    }
                    for row in store.read(
                        "SELECT * FROM mail WHERE person = ? ORDER BY drafted_at", (person["id"],)
                    )
                ],
                "steps": [
                    {"at": r["at"], "kind": r["kind"], "text": r["text"]}
                    for r in store.read(
                        "SELECT * FROM steps WHERE person = ? ORDER BY at, id", (person["id"],)
                    )
                ],
            }
        )
    return found


def mark_done(db: sqlite3.Connection, person: int, interview: str, kind: str, at: datetime) -> None:
    """Mark the first open follow-up of ``kind`` for an interview done (when it was planned)."""
    row = db.execute(
        "SELECT rowid FROM follow_ups WHERE person = ? AND interview IN (?, '') AND kind = ? "
        "AND status IN ('pending', 'snoozed') ORDER BY attempt LIMIT 1",
        (person, interview, kind),
    ).fetchone()
    if row is not None:
        db.execute(
            "UPDATE follow_ups SET status = ?, done_at = ? WHERE rowid = ?",
            (FollowUpStatus.DONE.value, stamp(at), row[0]),
        )
