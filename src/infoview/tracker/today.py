"""What the tracker shows: today's to-do list, the pipeline, one person's card, the export.

Each reads the plans :mod:`infoview.tracker.plans` keeps, worked out again
first for the people whose journey changed.
"""

from __future__ import annotations

import html
import json
import shlex
import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

import attrs

from infoview.model import _formats, _times
from infoview.model.contact import Contact
from infoview.model.interview import Interview
from infoview.model.serialize import converter
from infoview.tracker import companies, plans
from infoview.tracker.store import Store

if TYPE_CHECKING:
    from infoview.followups.policy import Policy

__all__ = ["Attention", "Card", "Row", "Today", "Todo", "card", "export", "pipeline", "today"]

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
class Attention:
    """Someone who needs you: a reply with nothing sent after it, or an address that bounced.

    Attributes:
        kind: ``answer`` (they replied, you have not written since) or
            ``bounced`` (mail to them bounced, and nothing was sent since).
        at: When the reply arrived, or the bounce.
        name: Whom it is about.
        who: How the command line names them.
        text: The reply's subject and excerpt, or what bounced.
    """

    kind: str
    at: datetime
    name: str
    who: str
    text: str | None = None

    def __str__(self) -> str:
        when = self.at.strftime("%Y-%m-%d")
        said = f": {self.text}" if self.text else ""
        if self.kind == "bounced":
            return (
                f"bounced: mail to {self.name} ({when}){said} → check the address: "
                f"infoview show {shlex.quote(self.who)}"
            )
        return f"answer: {self.name} replied ({when}){said} → infoview show {shlex.quote(self.who)}"


def attention(store: Store, zone: tzinfo | None = None) -> tuple[Attention, ...]:
    """Replies with nothing sent after them, and bounces with nothing sent since, oldest first.

    A reply counts while its interview is still a request (nothing scheduled,
    declined or given up on yet); its time is when it arrived.
    """
    sent = _last_sent(store)
    found: dict[int, Attention] = {}
    for row in store.read(
        "SELECT p.id, p.name, p.email, json_extract(i.interview, '$.replied_at') AS replied, "
        "(SELECT s.text FROM steps s WHERE s.person = p.id AND s.kind = 'replied' "
        "ORDER BY s.id DESC LIMIT 1) AS text FROM interviews i JOIN people p ON p.id = i.person "
        "WHERE i.status IN ('identified', 'requested') AND replied IS NOT NULL "
        "ORDER BY i.created_at, i.rowid"
    ):
        at = _formats.structure_datetime(row["replied"], datetime)  # may name its zone
        last = sent.get(row["id"])
        if last is None or _times.utc(last) <= _times.utc(at):
            found[row["id"]] = _attention("answer", at, row, zone)
    items = list(found.values())
    for row in _bounced(store, sent):
        items.append(_attention("bounced", datetime.fromisoformat(row["at"]), row, zone))
    return tuple(sorted(items, key=lambda a: _times.utc(a.at)))


def _last_sent(store: Store) -> dict[int, datetime]:
    """When each person was last sent something."""
    return {
        row["person"]: datetime.fromisoformat(row["at"])
        for row in store.read(
            "SELECT person, max(sent_at) AS at FROM mail WHERE sent_at IS NOT NULL GROUP BY person"
        )
    }


def _bounced(store: Store, sent: dict[int, datetime]) -> list[Any]:
    """The people whose mail last bounced with nothing sent to them since."""
    rows = store.read(
        "SELECT p.id, p.name, p.email, s.at, s.text FROM steps s JOIN people p ON p.id = s.person "
        "WHERE s.kind = 'bounced' AND s.id = (SELECT max(t.id) FROM steps t "
        "WHERE t.person = s.person AND t.kind = 'bounced')"
    )
    return [
        row
        for row in rows
        if (last := sent.get(row["id"])) is None
        or _times.utc(last) <= _times.utc(datetime.fromisoformat(row["at"]))
    ]


def _attention(kind: str, at: datetime, row: Any, zone: tzinfo | None) -> Attention:
    return Attention(
        kind=kind,
        at=at.astimezone(zone) if zone is not None else at,
        name=row["name"],
        who=str(row["email"] or row["name"]),
        text=row["text"],
    )


@attrs.frozen
class Today:
    """Today's list, overdue first, and what comes next when nothing is due.

    Attributes:
        now: The time it was made for.
        lines: What is due, overdue first, then by due time.
        next: The first thing due after the window, when there is one.
        not_written: How many people with an email address have no outreach drafted yet.
        doors: Whom to write to next where outreach went unanswered after its
            nudge ("try another door"): at most one a company.
    """

    now: datetime
    lines: tuple[Todo, ...]
    next: Todo | None
    not_written: int
    doors: tuple[companies.Door, ...] = ()
    attention: tuple[Attention, ...] = ()

    def __iter__(self) -> Any:
        return iter(self.lines)

    def __len__(self) -> int:
        return len(self.lines)

    def __str__(self) -> str:
        out = [str(item) for item in self.attention] + [str(line) for line in self.lines]
        if not self.lines:
            if not self.attention:
                out.append("Nothing is due.")
            if self.next is not None:
                out.append(f"Next: {self.next}")
        out += [str(door) for door in self.doors]
        if self.not_written:
            people = "1 person has" if self.not_written == 1 else f"{self.not_written} people have"
            out.append(f"{people} no outreach yet → infoview outreach --new --out DIR")
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
        rows += "".join(
            f"<tr><td>another door</td><td>{html.escape(f'{d.name} ({d.company})')}</td>"
            f"<td>{d.due:%Y-%m-%d %H:%M}</td><td><code>{html.escape(d.command)}</code></td></tr>"
            for d in self.doors
        )
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
            # One line a step: a note's own line breaks cannot pass for steps of their own.
            said = " ⏎ ".join(text.splitlines()) if text else ""
            lines.append(f"  {at:%Y-%m-%d %H:%M} {kind}" + (f": {said}" if said else ""))
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


def _command(kind: str, who: str) -> str:
    """The command that does it, safe to paste into a shell whatever the person's name holds."""
    quoted = shlex.quote(who)
    if kind == "nudge":
        return f"infoview nudge {quoted} --out DIR"
    if kind == plans.GIVE_UP:
        return f"infoview no-response {quoted}"
    return f"infoview follow-up {quoted} {kind} --out DIR"


def _line(row: Any, now: datetime, zone: tzinfo | None = None) -> Todo:
    """A kept plan row as a to-do line, its time shown in ``zone`` (yours)."""
    due_at = datetime.fromisoformat(row["due"])
    if zone is not None:
        due_at = due_at.astimezone(zone)
    overdue_at = datetime.fromisoformat(row["overdue"]) if row["overdue"] else due_at
    who = str(row["email"] or row["name"])
    return Todo(
        due=due_at,
        overdue=_times.utc(now) > _times.utc(overdue_at),
        kind=row["kind"],
        name=row["name"],
        who=who,
        command=_command(row["kind"], who),
    )


#: The follow-up kinds in lifecycle order (``FollowUpKind``'s), to sort lines due together.
_KIND_ORDER = {
    kind: n
    for n, kind in enumerate(
        (
            "nudge", "intro_reply", "confirm", "reminder", "thank_you", "intro_request",
            "close_loop", "progress_update", "check_in",
        )
    )
}  # fmt: skip
_GOING = ("identified", "requested", "scheduled")


def today(
    store: Store,
    policy: Callable[[], Policy],
    now: datetime,
    within: timedelta,
    zone: tzinfo | None = None,
) -> Today:
    """List what is due by ``now + within``, overdue first, from the kept plans."""
    horizon = _times.utc(now) + within
    lines: list[Todo] = []
    upcoming: list[Todo] = []
    # Mail to an address that bounced would bounce again: only giving up is left to do
    # until something is sent to them anew (a corrected address); attention says so.
    held = {row["id"] for row in _bounced(store, _last_sent(store))}
    rows = [
        row
        for row in plans.open_rows(store, policy, now)
        if row["person"] not in held or row["kind"] == plans.GIVE_UP
    ]
    for row in rows:
        todo = _line(row, now, zone)
        (lines if _times.utc(todo.due) <= horizon else upcoming).append(todo)
    lines.sort(key=lambda t: (not t.overdue, _times.utc(t.due), _KIND_ORDER.get(t.kind, 99)))
    waiting = store.read(
        "SELECT count(*) AS n FROM people p WHERE p.email IS NOT NULL AND NOT EXISTS "
        "(SELECT 1 FROM mail m WHERE m.person = p.id AND m.kind = 'outreach')"
    )[0]["n"]
    following = min(upcoming, key=lambda t: _times.utc(t.due), default=None)
    doors = tuple(companies.another_door(store, rows, now))
    return Today(now, tuple(lines), following, int(waiting), doors, attention(store, zone))


def pipeline(store: Store, policy: Callable[[], Policy], now: datetime) -> list[Row]:
    """One row per person, in the order they were added, from the kept plans."""
    open_rows = plans.open_rows(store, policy, now)
    statuses: dict[int, list[str]] = {}
    for row in store.read("SELECT person, status FROM interviews ORDER BY created_at, rowid"):
        statuses.setdefault(row["person"], []).append(row["status"])
    last = {
        row["person"]: datetime.fromisoformat(row["at"])
        for row in store.read(
            "SELECT person, max(at) AS at FROM steps WHERE kind NOT IN ('added', 'updated') "
            "GROUP BY person"
        )
    }
    following: dict[int, Any] = {}
    for row in sorted(open_rows, key=lambda r: _times.utc(datetime.fromisoformat(r["due"]))):
        if row["kind"] != plans.GIVE_UP and row["person"] not in following:
            following[row["person"]] = row
    rows = []
    for person in store.read("SELECT * FROM people ORDER BY id"):
        data = json.loads(person["contact"])
        found = statuses.get(person["id"], [])
        going = [s for s in found if s in _GOING]
        status = (going or found or [_NEW])[-1]
        step = following.get(person["id"])
        rows.append(
            Row(
                name=person["name"],
                email=person["email"],
                organization=data.get("organization"),
                origin=person["origin"],
                source=data.get("source", "other"),
                status=status,
                last_contact=last.get(person["id"]),
                next_step=step["kind"] if step is not None else None,
                next_due=datetime.fromisoformat(step["due"]) if step is not None else None,
            )
        )
    return rows


def card(
    store: Store,
    policy: Callable[[], Policy],
    person: sqlite3.Row,
    now: datetime,
    zone: tzinfo | None = None,
) -> Card:
    """Everything about one person."""
    kept = [
        row
        for row in plans.open_rows(store, policy, now, person["id"])
        if row["kind"] != plans.GIVE_UP
    ]
    interviews = plans.interviews_of(store, person)
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
        next=_line(kept[0], now, zone) if kept else None,
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
                "interviews": [
                    converter.unstructure(i) for i in plans.interviews_of(store, person)
                ],
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
