"""Replies noticed: what arrived in your mailbox since the last sync, matched to tracked threads.

:func:`sync` selects each folder read-only, asks the server (SEARCH) for the
UIDs after the last one read — and, on a first sync, only for mail since
your first tracked message — and fetches the headers of those alone. A
message is someone's reply when it answers (In-Reply-To, References) a
message the tracker holds for them *and* comes from their address, or, not
threaded, comes from their address after your first message to them. Then:

- an automatic message (``Auto-Submitted`` other than ``no``, ``X-Autoreply``,
  ``Precedence: auto_reply``/``bulk``/``junk``, a delivery report, an
  absence note's subject) is logged on their timeline as such
  (:meth:`Tracker.log <infoview.Tracker.log>`), and the nudge stays due;
- anything else is recorded as their reply
  (:meth:`Tracker.reply <infoview.Tracker.reply>`, at the time it arrived,
  with its subject and the start of its new text), and the nudge drops out.

Your own messages (from your address or your login) are never replies. A
message on a tracked thread from another address is reported, not recorded.
Each incoming Message-ID is recorded once per person, and per folder the
UIDVALIDITY and last UID read are kept in the tracker's file: when the
server's UIDVALIDITY changes, the folder is read again from the start of
your outreach, and what was recorded before is not recorded again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import attrs

from infoview.errors import MailboxError, ValidationError
from infoview.mailbox import incoming
from infoview.mailbox.settings import MailboxSettings, connect
from infoview.sending.oauth import TokenProvider
from infoview.tracker.store import Store, stamp

if TYPE_CHECKING:
    from imapclient import IMAPClient

    from infoview.tracker.tracker import Tracker

__all__ = ["BATCH", "BOUNCE_BYTES", "EXCERPT_BYTES", "SKEW", "Noticed", "SyncReport", "sync"]

#: How many messages' headers are fetched in one command.
BATCH = 500
#: How much of a reply is fetched for its excerpt (the start of the message).
EXCERPT_BYTES = 64 * 1024
#: How much of a delivery report is fetched to read it (the report and the
#: original's headers come first).
BOUNCE_BYTES = 256 * 1024
#: How much earlier than your first message a reply may seem to arrive: the
#: server's clock is not yours, and INTERNALDATE has whole seconds.
SKEW = timedelta(minutes=10)
_HEADER_ITEM = "BODY.PEEK[HEADER.FIELDS (" + " ".join(incoming.HEADER_FIELDS) + ")]"


@attrs.frozen
class Noticed:
    """A message sync took for a person's reply or automatic answer, or reports.

    Attributes:
        kind: ``reply``, ``automatic``, ``bounce`` (a delivery report: their
            address failed), or ``other address`` (on their thread, from an
            address that is not theirs: not recorded).
        name: The person's name.
        email: The person's address.
        sender: The address it came from.
        at: When it arrived.
        subject: Its subject.
        message_id: Its Message-ID.
        note: What was recorded: the excerpt, or why it is automatic.
    """

    kind: str
    name: str
    email: str
    sender: str
    at: datetime
    subject: str
    message_id: str
    note: str = ""

    def line(self) -> str:
        """Return one line for the command line."""
        when = self.at.isoformat(timespec="minutes")
        if self.kind == "reply":
            return f"reply from {self.name} <{self.email}> ({when}): {self.subject}"
        if self.kind == "bounce":
            return f"bounce for {self.name} <{self.email}> ({when}): {self.subject}"
        if self.kind == "automatic":
            return f"automatic answer for {self.name} ({when}, {self.note}): {self.subject}"
        return (
            f"on the thread with {self.name}, from {self.sender} ({when}): {self.subject} — "
            f"not taken as their reply (record it with: infoview reply {self.email})"
        )


@attrs.frozen
class SyncReport:
    """What :func:`sync` read and recorded.

    Attributes:
        noticed: Replies, automatic answers and messages from other
            addresses on tracked threads, in the order they arrived.
        read: How many messages' headers were fetched.
        restarted: Folders whose UIDVALIDITY changed (read again from the start).
        folders: The folders read.

    ``replies``, ``automatic`` and ``bounces`` are the noticed messages of each kind.
    """

    noticed: tuple[Noticed, ...] = ()
    read: int = 0
    restarted: tuple[str, ...] = ()
    folders: tuple[str, ...] = ()

    @property
    def replies(self) -> tuple[Noticed, ...]:
        """The replies recorded."""
        return tuple(n for n in self.noticed if n.kind == "reply")

    @property
    def bounces(self) -> tuple[Noticed, ...]:
        """The bounces recorded."""
        return tuple(n for n in self.noticed if n.kind == "bounce")

    @property
    def automatic(self) -> tuple[Noticed, ...]:
        """The automatic answers logged."""
        return tuple(n for n in self.noticed if n.kind == "automatic")

    def summary(self) -> str:
        """Return the last line for the command line."""
        others = len(self.noticed) - len(self.replies) - len(self.automatic) - len(self.bounces)
        parts = [
            f"{len(self.replies)} {'reply' if len(self.replies) == 1 else 'replies'}",
            f"{len(self.automatic)} automatic",
        ]
        if self.bounces:
            parts.append(f"{len(self.bounces)} bounced")
        if others:
            parts.append(f"{others} from other addresses")
        return ", ".join(parts) + f" ({self.read} new messages read)"


@attrs.frozen
class _Person:
    name: str
    email: str
    since: datetime  # your first message to them


def _tracked(tracker: Tracker) -> tuple[dict[str, _Person], dict[str, _Person]]:
    """Each tracked person written to, by address; and by every Message-ID of their threads."""
    people: dict[str, _Person] = {}
    threads: dict[str, _Person] = {}
    for contact in tracker.contacts():
        if not contact.email:
            continue
        messages = tracker.messages(contact)
        if not messages:
            continue
        since = min((m.sent_at or m.drafted_at) for m in messages)
        person = _Person(contact.name, contact.email.casefold(), since)
        people[person.email] = person
        for message in messages:
            threads[message.message_id] = person
            threads[message.thread] = person
    return people, threads


def _own(tracker: Tracker, settings: MailboxSettings) -> set[str]:
    own = set()
    sender = tracker.sender
    if sender is not None and sender.email:
        own.add(sender.email.casefold())
    if settings.user and "@" in settings.user:
        own.add(settings.user.casefold())
    return own


class _State:
    """The sync state in the tracker's file: folders read, and messages recorded."""

    def __init__(self, tracker: Tracker, account: str) -> None:
        self.store = Store(tracker.path)
        self.account = account

    def folder(self, name: str) -> tuple[int, int] | None:
        rows = self.store.read(
            "SELECT uidvalidity, last_uid FROM mailbox_folders WHERE account = ? AND folder = ?",
            (self.account, name),
        )
        return (int(rows[0]["uidvalidity"]), int(rows[0]["last_uid"])) if rows else None

    def advance(self, name: str, validity: int, last_uid: int, now: datetime) -> None:
        with self.store.write() as db:
            db.execute(
                "INSERT INTO mailbox_folders (account, folder, uidvalidity, last_uid, synced_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (account, folder) DO UPDATE SET "
                "uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid, "
                "synced_at = excluded.synced_at",
                (self.account, name, validity, last_uid, stamp(now)),
            )

    def person(self, email: str) -> int | None:
        rows = self.store.read("SELECT id FROM people WHERE email = ?", (email,))
        return int(rows[0]["id"]) if rows else None

    def seen(self, message_id: str, person: int) -> bool:
        rows = self.store.read(
            "SELECT 1 FROM mailbox_seen WHERE message_id = ? AND person = ?", (message_id, person)
        )
        return bool(rows)

    def keep(self, message_id: str, person: int, kind: str, at: datetime) -> None:
        with self.store.write() as db:
            db.execute(
                "INSERT OR IGNORE INTO mailbox_seen (message_id, person, kind, at) "
                "VALUES (?, ?, ?, ?)",
                (message_id, person, kind, stamp(at)),
            )

    def close(self) -> None:
        self.store.close()


def sync(
    tracker: Tracker,
    settings: MailboxSettings,
    *,
    folders: Sequence[str] = ("INBOX",),
    password: str | None = None,
    token: TokenProvider | None = None,
) -> SyncReport:
    """Read what arrived since the last sync, and record each reply to your outreach.

    Args:
        tracker: The tracker to record into (its sender is you).
        settings: Where your mailbox is.
        folders: The folders to read (``INBOX`` by default).
        password: The password; by default ``settings.password_env``'s, else
            the keyring's.
        token: Sign in over XOAUTH2 with this OAuth token provider instead.

    Returns:
        What was read and recorded.

    Raises:
        MailboxError: The mailbox cannot be used, or a folder does not exist.
            What was recorded before the error stays, and the next sync goes
            on after it.
    """
    from imapclient.exceptions import IMAPClientError  # noqa: PLC0415 - see settings

    people, threads = _tracked(tracker)
    own = _own(tracker, settings)
    state = _State(tracker, settings.account)
    noticed: list[Noticed] = []
    read = 0
    restarted: list[str] = []
    try:
        with connect(settings, password=password, token=token) as client:
            client.normalise_times = False  # INTERNALDATE with its zone
            for name in folders:
                try:
                    status = client.select_folder(name, readonly=True)
                except IMAPClientError:
                    raise MailboxError(
                        settings.host, f"has no folder {name!r}; name one that exists"
                    ) from None
                validity = int(status[b"UIDVALIDITY"])
                uidnext = int(status.get(b"UIDNEXT", 1))
                known = state.folder(name)
                last = 0
                if known is not None and known[0] == validity:
                    last = known[1]
                elif known is not None:
                    restarted.append(name)
                start = min((p.since for p in people.values()), default=None)
                uids: list[int] = []
                if start is not None:
                    criteria: list[Any] = ["UID", f"{last + 1}:*"]
                    criteria += ["SINCE", (start - timedelta(days=2)).date()]
                    uids = sorted(u for u in client.search(criteria) if u > last)
                for n in range(0, len(uids), BATCH):
                    batch = uids[n : n + BATCH]
                    found = _read(client, batch)
                    read += len(found)
                    for message in found:
                        if message.report and message.sender not in own:
                            bounced = _bounce(client, tracker, state, message, people, threads)
                            if bounced:
                                noticed.extend(bounced)
                                continue
                        seen = _match(message, people, threads, own)
                        if seen is not None:
                            noticed.extend(_record(client, tracker, state, message, *seen))
                    state.advance(name, validity, batch[-1], tracker.now())
                state.advance(name, validity, max([last, uidnext - 1, *uids]), tracker.now())
    finally:
        state.close()
    return SyncReport(tuple(noticed), read, tuple(restarted), tuple(folders))


def _read(client: IMAPClient, uids: list[int]) -> list[incoming.Incoming]:
    """Fetch the headers (only) of the messages ``uids``."""
    fetched = client.fetch(uids, [_HEADER_ITEM, "INTERNALDATE"])
    found: list[incoming.Incoming] = []
    for uid in uids:
        data = fetched.get(uid)
        if data is None:  # expunged meanwhile
            continue
        header = next(
            (v for k, v in data.items() if k.upper().startswith(b"BODY[HEADER.FIELDS")), b""
        )
        arrived = data.get(b"INTERNALDATE")
        if not isinstance(arrived, datetime):
            arrived = datetime.now(UTC)
        found.append(incoming.read(uid, bytes(header or b""), arrived))
    return found


def _match(
    message: incoming.Incoming,
    people: dict[str, _Person],
    threads: dict[str, _Person],
    own: set[str],
) -> tuple[_Person, str] | None:
    """Whose answer the message is, and what kind; ``None`` for everyone else's mail."""
    if message.sender is None or message.sender in own:
        return None
    threaded = [threads[i] for i in message.answers if i in threads]
    if threaded:
        person = threaded[0]
        if message.sender != person.email:
            return person, "other address"
    else:
        found = people.get(message.sender)
        if found is None:
            return None
        person = found
    if message.arrived < person.since - SKEW:
        return None
    return person, "automatic" if message.automatic else "reply"


def _record(  # noqa: PLR0917 - the message, whose it is, and where to record it
    client: IMAPClient,
    tracker: Tracker,
    state: _State,
    message: incoming.Incoming,
    person: _Person,
    kind: str,
) -> Iterable[Noticed]:
    """Record one matched message in the tracker, once; return what to report."""
    noticed = Noticed(
        kind=kind,
        name=person.name,
        email=person.email,
        sender=message.sender or "",
        at=message.arrived,
        subject=message.subject,
        message_id=message.message_id,
        note=message.automatic or "",
    )
    if kind == "other address":
        return [noticed]
    key = state.person(person.email)
    if key is None or state.seen(message.message_id, key):
        return []
    if kind == "automatic":
        note = incoming.clean(f"automatic answer ({message.automatic}): {message.subject}", 300)

        def log(text: str | None) -> object:
            return tracker.log(person.email, text or "automatic answer", at=message.arrived)

        _safely(log, note)
    else:
        text = incoming.excerpt(_body(client, message.uid, EXCERPT_BYTES))
        noticed = attrs.evolve(noticed, note=text)
        note = incoming.clean(f"{message.subject} — {text}" if text else message.subject, 300)

        def reply(text: str | None) -> object:
            return tracker.reply(person.email, at=message.arrived, note=text)

        _safely(reply, note)
    state.keep(message.message_id, key, kind, message.arrived)
    return [noticed]


def _bounce(  # noqa: PLR0917 - the message, and what it is matched against
    client: IMAPClient,
    tracker: Tracker,
    state: _State,
    message: incoming.Incoming,
    people: dict[str, _Person],
    threads: dict[str, _Person],
) -> list[Noticed]:
    """Record a delivery report about a tracked person's address; return what to report.

    The report must name the person's address as failed for good (flufl.bounce
    reads it), arrive after your first message to them, and, when it quotes
    the original message, be about one of their threads.
    """
    data = _body(client, message.uid, BOUNCE_BYTES)
    found = incoming.bounce(data)
    if found is None:
        return []
    noticed = []
    for address in sorted(found.permanent):
        person = people.get(address)
        if person is None or message.arrived < person.since - SKEW:
            continue
        if found.about and not any(threads.get(i) == person for i in found.about):
            continue
        key = state.person(person.email)
        if key is None or state.seen(message.message_id, key):
            continue
        note = incoming.clean(f"{address} bounced: {message.subject}", 300)
        try:
            tracker.bounced(person.email, at=message.arrived, note=note)
        except ValidationError:
            tracker.bounced(person.email, at=message.arrived)
        state.keep(message.message_id, key, "bounce", message.arrived)
        noticed.append(
            Noticed(
                kind="bounce",
                name=person.name,
                email=person.email,
                sender=message.sender or "",
                at=message.arrived,
                subject=message.subject,
                message_id=message.message_id,
                note=note,
            )
        )
    return noticed


def _body(client: IMAPClient, uid: int, size: int) -> bytes:
    """Fetch the start of one message, at most ``size`` bytes, without marking it read."""
    fetched = client.fetch([uid], [f"BODY.PEEK[]<0.{size}>"])
    data = next(
        (v for k, v in fetched.get(uid, {}).items() if k.upper().startswith(b"BODY[")),
        b"",
    )
    return bytes(data or b"")


def _safely(record: Callable[[str | None], object], note: str) -> None:
    """Record with the note; without it if the model refuses its text."""
    try:
        record(note)
    except ValidationError:
        record(None)
