"""The send journal: what was sent, to whom, and when, in one SQLite file.

Sending reads and writes it (see :func:`infoview.send`) so that a message
goes out once, whatever happens to the run. Each message is one row, keyed
by its Message-ID, moving through these states::

    pending ──► sending ──► sent
       ▲           │  ╲
       └───────────┘   ╲──► unknown      (no reply after the message went out)
      (a clean 4xx)     ╲─► failed       (a 5xx, or retries given up)

``sending`` is committed *before* the DATA command and ``sent`` only after
the server's 250 to the message, each in its own transaction (WAL mode,
``synchronous=FULL``), so a run killed at any point leaves every row in a
state that says what may have happened. A row still at ``sending`` when a
run starts was interrupted there: it is read as ``unknown``, never resent on
its own. Every move is also appended to an ``events`` table, the history.

The password is never written here; neither is the message itself, only its
SHA-256.
"""

from __future__ import annotations

import enum
import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import attrs

from infoview.errors import InfoviewError

__all__ = ["Entry", "Journal", "JournalError", "State"]

#: ``PRAGMA application_id`` of a journal: "infv".
APPLICATION_ID = 0x696E6676
#: ``PRAGMA user_version``: the schema's version.
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    message_id   TEXT PRIMARY KEY,
    sha256       TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    sender       TEXT NOT NULL,
    recipients   TEXT NOT NULL,
    source       TEXT,
    state        TEXT NOT NULL
                 CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'unknown')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    attempted_at TEXT,
    accepted_at  TEXT,
    reply        TEXT,
    updated_at   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_fingerprint ON messages (fingerprint);
CREATE TABLE IF NOT EXISTS events (
    id         INTEGER PRIMARY KEY,
    message_id TEXT NOT NULL REFERENCES messages (message_id),
    at         TEXT NOT NULL,
    state      TEXT NOT NULL,
    reply      TEXT
);
"""


class JournalError(InfoviewError, OSError):
    """The journal cannot be used: not an infoview journal, newer, or in use.

    Attributes:
        path: The journal file.
    """

    def __init__(self, path: Path, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}")


class State(enum.StrEnum):
    """Where a message stands in the journal."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    UNKNOWN = "unknown"


def _now() -> datetime:
    return datetime.now(UTC)


def _time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _text(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


@attrs.frozen
class Entry:
    """One message as the journal knows it.

    Attributes:
        message_id: Its Message-ID, the key.
        sha256: The SHA-256 of the bytes sent (hex).
        fingerprint: A hash of who it goes to and what it says, without the
            Date and Message-ID, to notice the same message drafted again.
        sender: The envelope sender (MAIL FROM).
        recipients: The envelope recipients (RCPT TO), blind copies included.
        source: Where it was read from (a file name), if known.
        state: Where it stands.
        attempts: How often DATA was begun for it.
        attempted_at: When DATA was last begun.
        accepted_at: When the server accepted it (state ``sent``).
        reply: The server's last reply about it, e.g. ``"250 2.0.0 Ok: queued"``.
        updated_at: When the row last changed.
    """

    message_id: str
    sha256: str
    fingerprint: str
    sender: str
    recipients: tuple[str, ...]
    source: str | None
    state: State
    attempts: int
    attempted_at: datetime | None
    accepted_at: datetime | None
    reply: str | None
    updated_at: datetime

    @classmethod
    def _from_row(cls, row: sqlite3.Row) -> Entry:
        return cls(
            message_id=row["message_id"],
            sha256=row["sha256"],
            fingerprint=row["fingerprint"],
            sender=row["sender"],
            recipients=tuple(json.loads(row["recipients"])),
            source=row["source"],
            state=State(row["state"]),
            attempts=row["attempts"],
            attempted_at=_time(row["attempted_at"]),
            accepted_at=_time(row["accepted_at"]),
            reply=row["reply"],
            updated_at=datetime.fromisoformat(row["updated_at"]),
        )


class Journal:
    """An open send journal (an SQLite file, created if needed).

    Use it as a context manager, or call :meth:`close`. Only one run may
    write a journal at a time: a second one is refused while the first holds
    it (on systems with ``fcntl``).

    Args:
        path: The journal file, e.g. ``outbox.journal``.
        read_only: Open an existing journal for reading only (a dry run);
            nothing is created or changed.

    Raises:
        JournalError: The file is not an infoview journal, was written by a
            newer infoview, or another run is writing it.
        FileNotFoundError: ``read_only`` and the file does not exist.
    """

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._lock: Any = None
        if read_only:
            if not self.path.is_file():
                raise FileNotFoundError(2, "No such journal", str(self.path))
            uri = f"{self.path.resolve().as_uri()}?mode=ro"
            self._db = sqlite3.connect(uri, uri=True)
        else:
            self._take_lock()
            self._db = sqlite3.connect(self.path, timeout=10)
        self._db.row_factory = sqlite3.Row
        try:
            self._prepare()
        except BaseException:
            self.close()
            raise

    def _take_lock(self) -> None:
        try:
            import fcntl  # noqa: PLC0415 - POSIX only; elsewhere runs are not serialized
        except ImportError:  # pragma: no cover - Windows
            return
        lock = self.path.with_name(self.path.name + ".lock").open("a")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            raise JournalError(
                self.path, "another run is sending with this journal; wait for it to end"
            ) from None
        self._lock = lock

    def _prepare(self) -> None:
        db = self._db
        app = db.execute("PRAGMA application_id").fetchone()[0]
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if app != APPLICATION_ID and (app or tables):
            raise JournalError(self.path, "is not an infoview send journal; give another file")
        if version > SCHEMA_VERSION:
            raise JournalError(
                self.path, f"was written by a newer infoview (schema {version}); upgrade infoview"
            )
        if self.read_only:
            return
        mode = db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if mode != "wal":  # pragma: no cover - e.g. a file system without shared memory
            raise JournalError(self.path, f"cannot use WAL mode here (got {mode})")
        db.execute("PRAGMA synchronous=FULL")  # a committed "sent" survives a power cut too
        db.execute("PRAGMA foreign_keys=ON")
        with db:
            db.executescript(_SCHEMA)
            db.execute(f"PRAGMA application_id={APPLICATION_ID}")
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def close(self) -> None:
        """Close the file and let another run use it."""
        self._db.close()
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def __enter__(self) -> Journal:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Journal({str(self.path)!r})"

    # ------------------------------------------------------------ reading

    def get(self, message_id: str) -> Entry | None:
        """Return the entry of a Message-ID, or ``None`` if it was never seen."""
        row = self._db.execute(
            "SELECT * FROM messages WHERE message_id = ?", (message_id,)
        ).fetchone()
        return None if row is None else Entry._from_row(row)

    def same_content(self, fingerprint: str, message_id: str) -> Entry | None:
        """Return a message under another Message-ID with this fingerprint that may have gone out.

        That is one ``sent``, ``sending`` or ``unknown``: the same message
        drafted again (a new Message-ID, a new Date) is not sent twice.
        """
        row = self._db.execute(
            "SELECT * FROM messages WHERE fingerprint = ? AND message_id != ? "
            "AND state IN ('sent', 'sending', 'unknown') ORDER BY updated_at LIMIT 1",
            (fingerprint, message_id),
        ).fetchone()
        return None if row is None else Entry._from_row(row)

    def entries(self) -> Iterator[Entry]:
        """Yield every entry, oldest first."""
        for row in self._db.execute("SELECT * FROM messages ORDER BY rowid"):
            yield Entry._from_row(row)

    def counts(self) -> dict[State, int]:
        """Return how many messages are in each state (every state, zeros too)."""
        found = dict(self._db.execute("SELECT state, count(*) FROM messages GROUP BY state"))
        return {state: found.get(state.value, 0) for state in State}

    def events(self, message_id: str) -> list[tuple[datetime, State, str | None]]:
        """Return the history of one message: when it moved, to which state, the reply."""
        rows = self._db.execute(
            "SELECT at, state, reply FROM events WHERE message_id = ? ORDER BY id", (message_id,)
        )
        return [(datetime.fromisoformat(at), State(state), reply) for at, state, reply in rows]

    # ------------------------------------------------------------ writing

    def add(
        self,
        message_id: str,
        *,
        sha256: str,
        fingerprint: str,
        sender: str,
        recipients: tuple[str, ...],
        source: str | None = None,
    ) -> Entry:
        """Record a message as ``pending`` (or refresh a pending or failed one); return it.

        A message that is ``sent``, ``sending`` or ``unknown`` is left as it
        is: what went out, or may have, stays on record.
        """
        now = _text(_now())
        values = (sha256, fingerprint, sender, json.dumps(list(recipients)), source, now)
        with self._db:
            self._db.execute(
                "INSERT INTO messages (sha256, fingerprint, sender, recipients, source, "
                "updated_at, message_id, state) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending') "
                "ON CONFLICT (message_id) DO UPDATE SET sha256 = excluded.sha256, "
                "fingerprint = excluded.fingerprint, sender = excluded.sender, "
                "recipients = excluded.recipients, source = excluded.source, "
                "updated_at = excluded.updated_at "
                "WHERE messages.state IN ('pending', 'failed')",
                (*values, message_id),
            )
        entry = self.get(message_id)
        assert entry is not None  # noqa: S101 - written just above
        return entry

    def _move(self, message_id: str, state: State, reply: str | None, **times: datetime) -> None:
        at = _now()
        sets = ["state = ?", "reply = ?", "updated_at = ?"]
        values: list[Any] = [state.value, reply, _text(at)]
        for column, value in times.items():
            sets.append(f"{column} = ?")
            values.append(_text(value))
        if state is State.SENDING:
            sets.append("attempts = attempts + 1")
        with self._db:
            changed = self._db.execute(
                f"UPDATE messages SET {', '.join(sets)} WHERE message_id = ?",  # noqa: S608 - column names are ours
                (*values, message_id),
            ).rowcount
            if changed != 1:
                raise KeyError(message_id)
            self._db.execute(
                "INSERT INTO events (message_id, at, state, reply) VALUES (?, ?, ?, ?)",
                (message_id, _text(at), state.value, reply),
            )

    def sending(self, message_id: str) -> None:
        """Record that DATA is about to begin (committed before it does)."""
        self._move(message_id, State.SENDING, None, attempted_at=_now())

    def sent(self, message_id: str, reply: str, at: datetime) -> None:
        """Record that the server accepted the message at ``at``, with its reply."""
        self._move(message_id, State.SENT, reply, accepted_at=at)

    def failed(self, message_id: str, reply: str) -> None:
        """Record that the server refused the message for good (a 5xx), or retries ran out."""
        self._move(message_id, State.FAILED, reply)

    def unknown(self, message_id: str, reply: str) -> None:
        """Record that the message went out but no reply came: it may have been accepted."""
        self._move(message_id, State.UNKNOWN, reply)

    def pending(self, message_id: str, reply: str | None = None) -> None:
        """Put a message back to ``pending``: the server surely did not accept it (a 4xx)."""
        self._move(message_id, State.PENDING, reply)
