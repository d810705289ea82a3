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

import contextlib
import enum
import json
import os
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import attrs

from infoview.errors import JournalError

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


_DAMAGED = (
    "is damaged or not an SQLite file ({error}); it is left as it is. It may hold "
    "the only record of what was sent: restore it from a backup, or check the "
    "Sent folder before you send with a new journal (--journal)"
)


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
    use a journal at a time: SQLite's exclusive lock on the file itself is
    taken before anything is read and held until :meth:`close`, so a second
    run is refused whatever name it gives the file (a symbolic or hard link,
    another path to it). A dry run (``read_only``) reads no journal another
    run holds.

    Args:
        path: The journal file, e.g. ``outbox.journal``.
        within: The ``PRAGMA application_id`` of another infoview file the
            journal may live inside (the tracker's): there it adds its two
            tables and leaves the file's own id and version alone.
        read_only: Open an existing journal for reading only (a dry run);
            nothing is created or changed.

    Raises:
        JournalError: The file is not an infoview journal, was written by a
            newer infoview, is damaged, cannot be written or created (a
            read-only file or folder, a folder), or another run is using it.
            A file that is not a sound journal is never written to.
        FileNotFoundError: ``read_only`` and the file does not exist.
    """

    def __init__(
        self, path: str | Path, *, read_only: bool = False, within: int | None = None
    ) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self.within = within
        real = self.path.resolve()  # SQLite keeps its write-ahead log beside the real name
        if real.is_dir():
            raise JournalError(self.path, "is a folder; give the journal a file name (--journal)")
        if read_only and not real.is_file():
            raise FileNotFoundError(2, "No such journal", str(self.path))
        try:
            if read_only:
                self._db = sqlite3.connect(f"{real.as_uri()}?mode=ro", uri=True, timeout=0)
            else:
                self._db = sqlite3.connect(real, timeout=0)
        except sqlite3.Error as error:
            raise self._refusal(error) from error
        self._db.row_factory = sqlite3.Row
        try:
            with self._guard():
                self._prepare()
        except BaseException:
            self._db.close()
            raise

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        """Turn SQLite's errors into a :class:`JournalError` that says what to do."""
        try:
            yield
        except sqlite3.Error as error:
            raise self._refusal(error) from error

    def _refusal(self, error: sqlite3.Error) -> JournalError:
        code = getattr(error, "sqlite_errorcode", 0) & 0xFF  # the primary result code
        real = self.path.resolve()
        if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            reason = (
                "another run (or program) is using this journal; wait for it to end. "
                "Two runs on one journal could send a message twice"
            )
        elif code in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
            reason = _DAMAGED.format(error=error)
        elif not real.parent.is_dir():
            reason = (
                f"cannot be created ({error}): its folder {real.parent} does not exist; "
                "create it, or give another journal with --journal"
            )
        elif not os.access(real.parent, os.W_OK | os.X_OK):
            reason = (
                f"cannot be used ({error}): its folder is read-only, and SQLite writes "
                "its log beside the journal (even to read it); make the folder writable, "
                "or give a journal in another folder with --journal"
            )
        elif code == sqlite3.SQLITE_READONLY or (
            real.exists() and not self.read_only and not os.access(real, os.W_OK)
        ):
            reason = (
                f"cannot be written ({error}): the file is read-only; make it writable, "
                "or give another journal with --journal"
            )
        else:
            reason = f"cannot be used ({error}); check the disk and the file's permissions"
        return JournalError(self.path, reason)

    def _prepare(self) -> None:
        db = self._db
        if not self.read_only:
            # Lock first, before anything is read: held until close (WAL without shared memory).
            db.execute("PRAGMA locking_mode=EXCLUSIVE")
            db.execute("BEGIN EXCLUSIVE")
        app = db.execute("PRAGMA application_id").fetchone()[0]
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        hosted = self.within is not None and app == self.within
        if not hosted and app != APPLICATION_ID and (app or tables):
            raise JournalError(self.path, "is not an infoview send journal; give another file")
        if not hosted and version > SCHEMA_VERSION:
            raise JournalError(
                self.path, f"was written by a newer infoview (schema {version}); upgrade infoview"
            )
        problems = [row[0] for row in db.execute("PRAGMA quick_check")]
        if problems != ["ok"]:
            raise JournalError(self.path, _DAMAGED.format(error="; ".join(problems[:3])))
        if self.read_only:
            return
        db.execute("COMMIT")  # nothing written; the exclusive lock stays
        mode = db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if mode != "wal":  # pragma: no cover - e.g. a file system without locking
            raise JournalError(self.path, f"cannot use WAL mode here (got {mode})")
        db.execute("PRAGMA synchronous=FULL")  # a committed "sent" survives a power cut too
        db.execute("PRAGMA foreign_keys=ON")
        with self._writing():
            db.executescript(_SCHEMA)
            if not hosted:
                db.execute(f"PRAGMA application_id={APPLICATION_ID}")
                db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """Commit a transaction, then move it into the file itself.

        The write-ahead log goes by the file's name: a run that opens the
        journal by another name (a hard link) after a crash would not see
        it. Checkpointing each commit leaves at most the last one there,
        and a run killed before its checkpoint had not yet begun the DATA
        that commit was for.
        """
        with self._guard():
            with self._db:
                yield
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        """Close the file and let another run use it."""
        self._db.close()

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
        with self._guard():
            row = self._db.execute(
                "SELECT * FROM messages WHERE message_id = ?", (message_id,)
            ).fetchone()
        return None if row is None else Entry._from_row(row)

    def same_content(self, fingerprint: str, message_id: str) -> Entry | None:
        """Return a message under another Message-ID with this fingerprint that may have gone out.

        That is one ``sent``, ``sending`` or ``unknown``: the same message
        drafted again (a new Message-ID, a new Date) is not sent twice.
        """
        with self._guard():
            row = self._db.execute(
                "SELECT * FROM messages WHERE fingerprint = ? AND message_id != ? "
                "AND state IN ('sent', 'sending', 'unknown') ORDER BY updated_at LIMIT 1",
                (fingerprint, message_id),
            ).fetchone()
        return None if row is None else Entry._from_row(row)

    def entries(self) -> Iterator[Entry]:
        """Yield every entry, oldest first."""
        with self._guard():
            rows = self._db.execute("SELECT * FROM messages ORDER BY rowid").fetchall()
        for row in rows:
            yield Entry._from_row(row)

    def counts(self) -> dict[State, int]:
        """Return how many messages are in each state (every state, zeros too)."""
        with self._guard():
            found = dict(
                self._db.execute("SELECT state, count(*) FROM messages GROUP BY state").fetchall()
            )
        return {state: found.get(state.value, 0) for state in State}

    def events(self, message_id: str) -> list[tuple[datetime, State, str | None]]:
        """Return the history of one message: when it moved, to which state, the reply."""
        with self._guard():
            rows = self._db.execute(
                "SELECT at, state, reply FROM events WHERE message_id = ? ORDER BY id",
                (message_id,),
            ).fetchall()
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
        with self._writing():
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
        with self._writing():
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
