"""Sending at the right time: each drafted message's send time, and the messages due by now.

A message is given its time when it is recorded: the first working-day
morning (09:00–10:00 by default) in the recipient's zone, never a weekend day
or a public holiday of their country (:meth:`Policy.send_time
<infoview.Policy.send_time>`). ``infoview send --due`` sends what is due by
now, read back from the file or mbox each draft was written to; the send
journal keeps each to one send.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import attrs

from infoview.errors import InfoviewError
from infoview.mail.outbox import Outgoing, read
from infoview.tracker.store import Store

__all__ = ["Due", "due_rows", "read_due"]


@attrs.frozen
class Due:
    """What is due to be sent: the messages read back, and those that could not be.

    Attributes:
        messages: Ready for :func:`infoview.sending.send`, by send time.
        missing: Each due message that could not be read, with why (its
            draft was printed, not written to a file; the file is gone).
    """

    messages: tuple[Outgoing, ...]
    missing: tuple[tuple[str, str], ...] = ()


def due_rows(store: Store, now: str | None = None) -> list[sqlite3.Row]:
    """The drafted messages whose send time has come by ``now`` (all scheduled ones: ``None``)."""
    if now is None:
        return store.read(
            "SELECT * FROM mail WHERE state = 'drafted' AND send_at IS NOT NULL "
            "ORDER BY send_at, rowid"
        )
    return store.read(
        "SELECT * FROM mail WHERE state = 'drafted' AND send_at IS NOT NULL AND send_at <= ? "
        "ORDER BY send_at, rowid",
        (now,),
    )


def read_due(rows: Iterable[sqlite3.Row], now: datetime) -> Due:
    """Read each due message back from where its draft was written, dated when it goes.

    The Date a draft got when it was written is replaced by its send time
    (or ``now``, if that has passed), so the recipient's mail program shows
    the morning it arrived, not the evening it was drafted.
    """
    found: list[Outgoing] = []
    missing: list[tuple[str, str]] = []
    boxes: dict[str, dict[str, Outgoing]] = {}
    for row in rows:
        message_id, place = str(row["message_id"]), row["written_to"]
        if not place:
            missing.append((message_id, "was printed, not written to a file; draft it with --out"))
            continue
        path = Path(place)
        try:
            if path.suffix == ".mbox":
                if str(path) not in boxes:
                    boxes[str(path)] = {m.message_id: m for m in read(path)}
                message = boxes[str(path)].get(message_id)
            else:
                message = Outgoing.from_bytes(path.read_bytes(), path.name)
        except (OSError, InfoviewError) as error:
            missing.append((message_id, f"cannot be read from {path} ({error})"))
            continue
        if message is None or message.message_id != message_id:
            missing.append((message_id, f"is no longer in {path}"))
            continue
        at = datetime.fromisoformat(row["send_at"])
        found.append(message.dated(max(at, now.astimezone(at.tzinfo))))
    return Due(tuple(found), tuple(missing))
