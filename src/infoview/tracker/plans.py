"""The tracker's follow-up plans: worked out by the policy, kept in the file, redone on change.

Each person's follow-ups are planned by the :class:`~infoview.Policy` over
their interviews and kept, so one done, skipped or snoozed stays so. A
follow-up is done once a message of its kind was drafted for its interview
(the n-th nudge once n nudges were), whoever wrote it. A kept plan is used
again until something about the person changes, time goes back before it,
or an event recorded for later comes to pass.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from infoview.model import _times
from infoview.model.contact import Contact
from infoview.model.interview import Interview
from infoview.model.serialize import converter
from infoview.tracker.store import Store, stamp

if TYPE_CHECKING:
    from infoview.followups.followup import FollowUp
    from infoview.followups.policy import Policy

# The follow-up policy loads only when a plan must be worked out again: reading
# the kept plans (today, list) needs none of it.

__all__ = ["GIVE_UP", "interviews_of", "mark_done", "open_rows", "plan", "refresh"]


def interviews_of(store: Store, person: sqlite3.Row) -> list[Interview]:
    rows = store.read(
        "SELECT interview FROM interviews WHERE person = ? ORDER BY created_at, rowid",
        (person["id"],),
    )
    contact = converter.loads(person["contact"], Contact)
    found = []
    for row in rows:
        data = json.loads(row["interview"])
        data["contact"] = contact  # structured once; the converter takes it as it is
        sender = data.get("sender")
        if isinstance(sender, dict):  # you, the same in every interview: read once
            data["sender"] = _contact(json.dumps(sender, sort_keys=True))
        found.append(converter.structure(data, Interview))
    return found


@functools.lru_cache(maxsize=8)
def _contact(text: str) -> Contact:
    """A contact read from its JSON (the sender, shared by every interview)."""
    return converter.loads(text, Contact)


def _stored(
    store: Store, person: sqlite3.Row, contact: Contact, interviews: list[Interview]
) -> list[FollowUp]:
    """The follow-ups planned before for a person, as the policy gave them."""
    from infoview.followups.followup import FollowUp  # noqa: PLC0415 - see the imports

    by_id = {i.id: i for i in interviews}
    found = []
    for row in store.read(
        "SELECT * FROM follow_ups WHERE person = ? AND kind != ?", (person["id"], GIVE_UP)
    ):
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


#: The kind a planned row has when it says to give up on a request (mark no response).
GIVE_UP = "no_response"


def _events(interviews: list[Interview]) -> list[datetime]:
    """Every time at which something happened (or will) that the policy plans from."""
    found: list[datetime] = []
    for interview in interviews:
        found += [c.at for c in interview.history] + [i.at for i in interview.interactions]
        found += [t for t in (interview.requested_at, interview.replied_at) if t is not None]
    return found


def plan(store: Store, policy: Policy, person: sqlite3.Row, now: datetime) -> list[FollowUp]:
    """Plan a person's follow-ups at ``now``, mark those already drafted done, and keep them.

    What is kept is used again until something about the person changes, time
    goes back before the plan, or an event recorded for later comes to pass.
    """
    from infoview.followups.followup import FollowUpKind  # noqa: PLC0415 - see the imports

    interviews = interviews_of(store, person)
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
    give_up = [
        (interview, when)
        for interview in interviews
        if (when := policy.no_response_due(interview, result)) is not None
    ]
    later = [t for t in _events(interviews) if _times.utc(t) > _times.utc(now)]
    replan = min(later, key=_times.utc, default=None)
    if not store.read_only:
        _keep(store.db, person, result, give_up, now, replan)
    return result


def _keep(  # noqa: PLR0917 - one person's plan, as plan() worked it out
    db: sqlite3.Connection,
    person: sqlite3.Row,
    follow_ups: list[FollowUp],
    give_up: list[tuple[Interview, datetime]],
    now: datetime,
    replan: datetime | None,
) -> None:
    """Keep a person's plan (inside the caller's transaction)."""
    db.execute("DELETE FROM follow_ups WHERE person = ?", (person["id"],))
    rows = [
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
    ]
    rows += [
        (person["id"], i.id, GIVE_UP, 1, "", when.isoformat(), None, "pending", None)
        for i, when in give_up
    ]
    db.executemany(
        "INSERT OR REPLACE INTO follow_ups (person, interview, kind, attempt, about, due, "
        "overdue, status, done_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    db.execute(
        "UPDATE people SET planned = version, planned_at = ?, replan_at = ? WHERE id = ?",
        (stamp(now), stamp(replan) if replan else None, person["id"]),
    )


def _stale(store: Store, now: datetime) -> list[sqlite3.Row]:
    """The people whose kept plan may no longer hold at ``now``."""
    at = stamp(now)
    return store.read(
        "SELECT * FROM people p WHERE EXISTS (SELECT 1 FROM interviews i WHERE i.person = p.id) "
        "AND (planned != version OR planned_at IS NULL OR planned_at > ? "
        "OR (replan_at IS NOT NULL AND replan_at <= ?)) ORDER BY id",
        (at, at),
    )


def refresh(
    store: Store, policy: Callable[[], Policy], now: datetime
) -> dict[int, list[dict[str, Any]]]:
    """Plan again everyone whose plan may have changed, in one transaction.

    A tracker opened for reading only keeps nothing: the new plans are
    returned instead, as open rows per person.
    """
    stale = _stale(store, now)
    if not stale:
        return {}
    if store.read_only:
        fresh: dict[int, list[dict[str, Any]]] = {}
        for person in stale:
            result = plan(store, policy(), person, now)
            fresh[person["id"]] = [
                {
                    "person": person["id"],
                    "kind": f.kind.value,
                    "due": f.due.isoformat(),
                    "overdue": f.overdue_at.isoformat() if f.overdue_at else None,
                    "name": person["name"],
                    "email": person["email"],
                }
                for f in result
                if f.open
            ]
        return fresh
    timings = policy()
    with store.write():
        for person in stale:
            plan(store, timings, person, now)
    return {}


_OPEN_ROWS = (
    "SELECT f.*, p.name, p.email FROM follow_ups f JOIN people p ON p.id = f.person "
    "WHERE f.status IN ('pending', 'snoozed') ORDER BY f.person, f.due"
)


_OPEN_ROWS_OF = (
    "SELECT f.*, p.name, p.email FROM follow_ups f JOIN people p ON p.id = f.person "
    "WHERE f.status IN ('pending', 'snoozed') AND f.person = ? ORDER BY f.due"
)


def open_rows(
    store: Store, policy: Callable[[], Policy], now: datetime, person: int | None = None
) -> list[Any]:
    """The open follow-ups of everyone (or one person), planned again where needed."""
    fresh = refresh(store, policy, now)
    if person is None:
        kept = [row for row in store.read(_OPEN_ROWS) if row["person"] not in fresh]
        return [*kept, *(row for rows in fresh.values() for row in rows)]
    if person in fresh:
        return fresh[person]
    return store.read(_OPEN_ROWS_OF, (person,))


def mark_done(db: sqlite3.Connection, person: int, interview: str, kind: str, at: datetime) -> None:
    """Mark the first open follow-up of ``kind`` for an interview done (when it was planned)."""
    row = db.execute(
        "SELECT rowid FROM follow_ups WHERE person = ? AND interview IN (?, '') AND kind = ? "
        "AND status IN ('pending', 'snoozed') ORDER BY attempt LIMIT 1",
        (person, interview, kind),
    ).fetchone()
    if row is not None:
        db.execute(
            "UPDATE follow_ups SET status = 'done', done_at = ? WHERE rowid = ?",
            (stamp(at), row[0]),
        )
