"""The tracker's file: one private SQLite database, its schema, versions and locking.

The file holds other people's personal data, so it is created readable and
writable by its owner only (SQLite gives its ``-wal`` and ``-shm`` files the
same mode). Every change runs in one ``BEGIN IMMEDIATE`` transaction: a
second process that writes at the same time waits up to
:data:`BUSY_SECONDS`, then gets a :class:`~infoview.errors.TrackerError`;
a process killed mid-change loses only that change (WAL mode,
``synchronous=FULL``). Deleted rows are overwritten (``secure_delete``), so
:meth:`Tracker.forget <infoview.Tracker.forget>` leaves nothing behind.

The schema is versioned with ``PRAGMA user_version`` and migrated forward
one version at a time; a file from a newer infoview is refused with a
message to upgrade, and a file that is not a tracker (or is damaged) is
never written to.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from infoview.errors import TrackerError

__all__ = ["APPLICATION_ID", "BUSY_SECONDS", "SCHEMA_VERSION", "Store", "default_path", "stamp"]

#: ``PRAGMA application_id`` of a tracker: "infT".
APPLICATION_ID = 0x696E6654
#: ``PRAGMA user_version``: the newest schema this infoview writes.
SCHEMA_VERSION = 3
#: How long a write waits for another process's write to end.
BUSY_SECONDS = 5.0

# Each entry moves a file from the version before it to its own.
_V1 = """
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE people (
    id           INTEGER PRIMARY KEY,
    email        TEXT UNIQUE,
    name         TEXT NOT NULL,
    search       TEXT NOT NULL,
    contact      TEXT NOT NULL,
    origin       TEXT,
    connected_on TEXT,
    added_at     TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 0,
    planned      INTEGER NOT NULL DEFAULT -1,
    planned_at   TEXT,
    replan_at    TEXT
);
CREATE TABLE interviews (
    id         TEXT PRIMARY KEY,
    person     INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    status     TEXT NOT NULL,
    interview  TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX interviews_person ON interviews (person);
CREATE TABLE mail (
    message_id  TEXT PRIMARY KEY,
    person      INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    interview   TEXT REFERENCES interviews (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    template    TEXT,
    subject     TEXT NOT NULL,
    recipients  TEXT NOT NULL,
    in_reply_to TEXT,
    thread      TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('drafted', 'sent', 'failed')),
    written_to  TEXT,
    body        TEXT,
    drafted_at  TEXT NOT NULL,
    sent_at     TEXT
);
CREATE INDEX mail_person ON mail (person);
CREATE TABLE steps (
    id        INTEGER PRIMARY KEY,
    person    INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    interview TEXT REFERENCES interviews (id) ON DELETE CASCADE,
    at        TEXT NOT NULL,
    kind      TEXT NOT NULL,
    text      TEXT
);
CREATE INDEX steps_person ON steps (person);
CREATE TABLE follow_ups (
    person    INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    interview TEXT NOT NULL,
    kind      TEXT NOT NULL,
    attempt   INTEGER NOT NULL,
    about     TEXT NOT NULL,
    due       TEXT NOT NULL,
    overdue   TEXT,
    status    TEXT NOT NULL,
    done_at   TEXT,
    PRIMARY KEY (person, interview, kind, attempt, about)
);
"""
# 2: what infoview.mailbox's sync has read. Per account and folder, the
# folder's UIDVALIDITY and the last UID read; per incoming Message-ID and
# person, what it was taken for, so a second sync records it once.
_V2 = """
CREATE TABLE mailbox_folders (
    account     TEXT NOT NULL,
    folder      TEXT NOT NULL,
    uidvalidity INTEGER NOT NULL,
    last_uid    INTEGER NOT NULL,
    synced_at   TEXT NOT NULL,
    PRIMARY KEY (account, folder)
);
CREATE TABLE mailbox_seen (
    message_id TEXT NOT NULL,
    person     INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    at         TEXT NOT NULL,
    PRIMARY KEY (message_id, person)
);
CREATE INDEX mailbox_seen_person ON mailbox_seen (person);
"""
# 3: when each drafted message is to go out (infoview send --due): a
# working-day morning in the recipient's zone, chosen when it is recorded.
_V3 = """
ALTER TABLE mail ADD COLUMN send_at TEXT;
CREATE INDEX mail_send_at ON mail (state, send_at);
"""
MIGRATIONS: dict[int, str] = {1: _V1, 2: _V2, 3: _V3}


def stamp(at: datetime | None = None) -> str:
    """Return a time as the file stores it: UTC, ISO 8601, microseconds."""
    return (at or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="microseconds")


def default_path() -> Path:
    """Return where the tracker lives: ``INFOVIEW_DB``, else the per-user data folder."""
    named = os.environ.get("INFOVIEW_DB")
    if named:
        return Path(named).expanduser()
    import platformdirs  # noqa: PLC0415 - only when no file is named

    return Path(platformdirs.user_data_dir("infoview", appauthor=False)) / "tracker.sqlite"


class Store:
    """An open tracker file.

    Args:
        path: The file; created (with its folder) when missing.
        read_only: Open an existing file for reading only.

    Raises:
        TrackerError: The file is damaged, not a tracker, from a newer
            infoview, not writable, or busy beyond :data:`BUSY_SECONDS`.
    """

    def __init__(self, path: str | os.PathLike[str], *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        if self.path.is_dir():
            raise TrackerError(self.path, "is a folder; give the path of a tracker file")
        if read_only and not self.path.is_file():
            raise TrackerError(self.path, "does not exist; add people first (infoview add)")
        if not read_only:
            self._create_private()
        try:
            if read_only:
                uri = f"{self.path.resolve().as_uri()}?mode=ro"
                self.db = sqlite3.connect(uri, uri=True, timeout=BUSY_SECONDS)
            else:
                self.db = sqlite3.connect(self.path, timeout=BUSY_SECONDS)
        except sqlite3.Error as exc:
            raise TrackerError(self.path, f"cannot be opened ({exc})") from None
        self.db.row_factory = sqlite3.Row
        self.db.isolation_level = None  # transactions are begun explicitly
        try:
            self._prepare()
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise self._error(exc) from None
        except BaseException:
            self.db.close()
            raise

    def _create_private(self) -> None:
        """Create the file readable by its owner only, unless it exists."""
        folder = self.path.parent
        if not folder.exists():
            folder.mkdir(parents=True, mode=0o700)
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return
        except OSError as exc:
            raise TrackerError(self.path, f"cannot be created ({exc.strerror})") from None
        os.close(fd)

    def _error(self, exc: sqlite3.Error) -> TrackerError:
        """Say what an SQLite error means for the user."""
        text = str(exc)
        if "locked" in text or "busy" in text:
            return TrackerError(
                self.path,
                f"another infoview is writing it and did not finish within {BUSY_SECONDS:g} "
                "seconds; try again when it is done",
            )
        if "readonly" in text or "read-only" in text:
            return TrackerError(
                self.path, "is read-only; make it writable (or give another file with --db)"
            )
        if "not a database" in text or "malformed" in text or "corrupt" in text:
            return TrackerError(
                self.path,
                "is damaged or is not an infoview tracker; nothing was changed. "
                "Restore a backup, or give another file with --db",
            )
        return TrackerError(self.path, f"cannot be used ({text})")

    def _prepare(self) -> None:
        db = self.db
        app = db.execute("PRAGMA application_id").fetchone()[0]
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if app != APPLICATION_ID and (app or tables):
            raise TrackerError(self.path, "is not an infoview tracker; give another file with --db")
        if version > SCHEMA_VERSION:
            raise TrackerError(
                self.path,
                f"was written by a newer infoview (schema {version}, this one reads up to "
                f"{SCHEMA_VERSION}); upgrade infoview",
            )
        db.execute("PRAGMA foreign_keys=ON")
        if self.read_only:
            if version < SCHEMA_VERSION:
                raise TrackerError(
                    self.path, "was written by an older infoview; open it once to update it"
                )
            return
        mode = db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if mode != "wal":  # pragma: no cover - e.g. a file system without shared memory
            raise TrackerError(self.path, f"cannot use WAL mode here (got {mode})")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("PRAGMA secure_delete=ON")
        if version < SCHEMA_VERSION:
            self._migrate(version)

    def _migrate(self, version: int) -> None:
        """Move the schema forward from ``version``, one step per transaction."""
        for target in range(version + 1, SCHEMA_VERSION + 1):
            with self.write():
                for statement in MIGRATIONS[target].split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(f"PRAGMA application_id={APPLICATION_ID}")
                self.db.execute(f"PRAGMA user_version={target}")

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """Run the block as one transaction: all of it is committed, or none.

        Raises:
            TrackerError: Another process held the file too long, or the file
                cannot be written.
        """
        if self.read_only:
            raise TrackerError(self.path, "was opened for reading only")
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        try:
            yield self.db
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")
            raise self._error(exc) from None
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        try:
            self.db.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")
            raise self._error(exc) from None

    def read(self, sql: str, values: tuple[object, ...] = ()) -> list[sqlite3.Row]:
        """Run a query and return its rows."""
        try:
            return self.db.execute(sql, values).fetchall()
        except sqlite3.DatabaseError as exc:
            raise self._error(exc) from None

    def setting(self, key: str) -> str | None:
        """Return a stored setting, or ``None``."""
        rows = self.read("SELECT value FROM settings WHERE key = ?", (key,))
        return rows[0]["value"] if rows else None

    def close(self) -> None:
        """Close the file."""
        self.db.close()

    def run(self, change: Callable[[sqlite3.Connection], None]) -> None:
        """Run ``change`` in one transaction (see :meth:`write`)."""
        with self.write() as db:
            change(db)
