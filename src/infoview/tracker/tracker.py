"""The tracker: every person, interview, message and step of the journey, in one file.

:class:`Tracker` is what a script, a notebook and the command line share.
People are added once (the library's one identity rule,
:func:`~infoview.same_person`); each step — outreach drafted, sent, a reply,
a time agreed, the conversation held, a note — moves the person's interview
through its lifecycle and is kept on their timeline; :meth:`Tracker.today`
says what is due, with the command that does it.
"""

from __future__ import annotations

import json
import os
import sqlite3
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import attrs

from infoview.errors import UnknownPersonError, ValidationError
from infoview.model import _times
from infoview.model.contact import Contact, Source
from infoview.model.interview import Interview, Medium, Status
from infoview.model.serialize import converter
from infoview.tracker import companies, plans, schedule as timing, today as planning
from infoview.tracker.store import Store, default_path, stamp

if TYPE_CHECKING:
    from infoview.followups.followup import FollowUpKind
    from infoview.followups.policy import Policy
    from infoview.mail.draft import Draft
    from infoview.rendering.templating import Templates

# Drafting loads Jinja2, Babel and the mail writer, and planning the follow-up
# policy: each is imported when first used, so today and list answer quickly.

__all__ = ["AddReport", "Message", "Step", "Tracker", "fold", "outreach_for"]

#: The interview statuses that are still going somewhere.
_OPEN = (Status.IDENTIFIED, Status.REQUESTED, Status.SCHEDULED)


@attrs.frozen
class AddReport:
    """What :meth:`Tracker.add <infoview.Tracker.add>` did with each contact it was given.

    Attributes:
        added: People who were new.
        known: People already in the tracker (matched by identity), unchanged.
        updated: People already there whose new details were taken (``update=True``).
        differs: Of ``known``, those whose record has details the tracker's
            lacks or states otherwise (add them with ``update=True``).
    """

    added: tuple[Contact, ...] = ()
    known: tuple[Contact, ...] = ()
    updated: tuple[Contact, ...] = ()
    differs: tuple[Contact, ...] = ()


@attrs.frozen
class Message:
    """A message the tracker knows: drafted by infoview, and perhaps sent.

    Attributes:
        message_id: Its Message-ID.
        kind: ``outreach`` or a follow-up kind (``nudge``, ``thank_you``, …).
        template: The template it was rendered from.
        subject: Its subject.
        to: Whom it went to (addresses).
        thread: The Message-ID its thread began with.
        state: ``drafted``, ``sent`` or ``failed``.
        drafted_at: When it was drafted.
        sent_at: When the server accepted it, if it was sent.
        written_to: The file it was written to, if any.
        send_at: When ``infoview send --due`` sends it: a working-day
            morning in the recipient's zone (see :meth:`infoview.Tracker.schedule_send`).
    """

    message_id: str
    kind: str
    template: str | None
    subject: str
    to: tuple[str, ...]
    thread: str
    state: str
    drafted_at: datetime
    sent_at: datetime | None
    written_to: str | None
    send_at: datetime | None = None


@attrs.frozen
class Step:
    """One line of a person's timeline: when, what, and the words that go with it."""

    at: datetime
    kind: str
    text: str | None = None


def fold(text: str) -> str:
    """Return text as WHO lookups compare it: accents removed, case folded."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


class Tracker:
    """One person's journey of informational interviews, kept in one private SQLite file.

    Open it as a context manager::

        with infoview.Tracker("journey.sqlite") as tracker:
            tracker.add(contacts)
            for line in tracker.today():
                print(line)

    Args:
        path: The file; by default ``INFOVIEW_DB``, else the per-user data
            folder (``infoview where`` prints it). Created when missing,
            readable by its owner only.
        policy: The follow-up timings (the defaults when not given).
        templates: The template set drafts are rendered from.
        clock: What "now" is (a function returning an aware datetime); the
            real clock by default.
        read_only: Open an existing file without changing it.

    Raises:
        TrackerError: The file is damaged, not a tracker, from a newer
            infoview, read-only when writing, or busy.
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        policy: Policy | None = None,
        templates: Templates | None = None,
        clock: Callable[[], datetime] | None = None,
        read_only: bool = False,
    ) -> None:
        self.path = Path(path) if path is not None else default_path()
        self._policy = policy
        self._templates = templates
        self._clock = clock or (lambda: datetime.now(UTC))
        self._store = Store(self.path, read_only=read_only)

    # -- the file ---------------------------------------------------------------------

    def close(self) -> None:
        """Close the file."""
        self._store.close()

    def __enter__(self) -> Tracker:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Tracker({str(self.path)!r})"

    def now(self) -> datetime:
        """Return the tracker's clock reading (aware)."""
        return _times.moment(self._clock(), "Tracker", "clock")

    @property
    def policy(self) -> Policy:
        """The follow-up timings (the defaults unless given)."""
        if self._policy is None:
            from infoview.followups.policy import Policy  # noqa: PLC0415 - see the imports

            self._policy = Policy(
                tiers=self._stored_cadences(),
                sender_holidays=self._store.setting("sender_holidays") == "yes",
            )
        return self._policy

    @property
    def templates(self) -> Templates:
        """The template set drafts are rendered from."""
        if self._templates is None:
            from infoview.rendering.templating import default_templates  # noqa: PLC0415

            self._templates = default_templates()
        return self._templates

    # -- you ----------------------------------------------------------------------------

    @property
    def sender(self) -> Contact | None:
        """You, the sender of every draft; ``None`` until set."""
        stored = self._store.setting("sender")
        return None if stored is None else converter.loads(stored, Contact)

    @sender.setter
    def sender(self, contact: Contact) -> None:
        if not isinstance(contact, Contact):
            raise ValidationError(
                "Tracker", "sender", contact, "is no Contact", "pass Contact(name=..., email=...)"
            )
        data = converter.dumps(contact)
        with self._store.write() as db:
            db.execute(
                "INSERT INTO settings (key, value) VALUES ('sender', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (data,),
            )

    def _zone(self) -> tzinfo:
        """The zone times are shown in: yours, else UTC."""
        sender = self.sender
        zone = sender.zone if sender is not None else None
        return zone or UTC

    def _need_sender(self) -> Contact:
        sender = self.sender
        if sender is None:
            raise ValidationError(
                "Tracker",
                "sender",
                None,
                "is not set",
                'set it once: infoview me --name "Your Name" --email you@example.org '
                "(or tracker.sender = Contact(...))",
            )
        return sender

    # -- people -------------------------------------------------------------------------

    def add(
        self,
        contacts: Contact | Iterable[Contact],
        *,
        origin: str | None = None,
        origins: Mapping[int, str] | None = None,
        update: bool = False,
    ) -> AddReport:
        """Add people; one already there (the same person) is reported, never added twice.

        Args:
            contacts: One contact or many (e.g. ``read_linkedin(...).contacts``).
            origin: Where they came from, e.g. ``"Connections.csv"``.
            origins: Per contact (by position), where it came from, e.g. the
                file and line; overrides ``origin``.
            update: Take the new details of people already there (fields the
                new record fills replace the old ones).

        Returns:
            Who was added, who was known, and who was updated.
        """
        items = [contacts] if isinstance(contacts, Contact) else list(contacts)
        for n, contact in enumerate(items):
            if not isinstance(contact, Contact):
                raise ValidationError(
                    "Tracker.add",
                    f"contacts[{n}]",
                    contact,
                    "is no Contact",
                    "pass Contact objects",
                )
            self._check_tier(contact, f"contacts[{n}]", (origins or {}).get(n, origin))
        added: list[Contact] = []
        known: list[Contact] = []
        updated: list[Contact] = []
        differs: list[Contact] = []
        now = stamp(self.now())
        with self._store.write() as db:
            for n, contact in enumerate(items):
                where = (origins or {}).get(n, origin)
                row = self._match(db, contact)
                if row is None:
                    self._insert(db, contact, where, now)
                    added.append(contact)
                    continue
                old = converter.loads(row["contact"], Contact)
                merged = _merge(old, contact)
                if merged == old:
                    known.append(old)
                elif update:
                    self._rewrite(db, row["id"], merged, now)
                    updated.append(merged)
                else:
                    known.append(old)
                    differs.append(contact)
        return AddReport(tuple(added), tuple(known), tuple(updated), tuple(differs))

    def _match(self, db: sqlite3.Connection, contact: Contact) -> sqlite3.Row | None:
        """The row of the same person (by email, else by name where no email is on record)."""
        if contact.email:
            row = db.execute(
                "SELECT * FROM people WHERE email = ?", (contact.email.casefold(),)
            ).fetchone()
            if row is not None:
                return row  # type: ignore[no-any-return]
            return db.execute(  # type: ignore[no-any-return]
                "SELECT * FROM people WHERE email IS NULL AND name = ? ORDER BY id LIMIT 1",
                (contact.name,),
            ).fetchone()
        return db.execute(  # type: ignore[no-any-return]
            "SELECT * FROM people WHERE name = ? ORDER BY id LIMIT 1", (contact.name,)
        ).fetchone()

    def _insert(
        self, db: sqlite3.Connection, contact: Contact, origin: str | None, now: str
    ) -> int:
        cursor = db.execute(
            "INSERT INTO people (email, name, search, contact, origin, added_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                contact.email.casefold() if contact.email else None,
                contact.name,
                fold(f"{contact.name} {contact.email or ''}"),
                converter.dumps(contact),
                origin,
                now,
                now,
            ),
        )
        person = int(cursor.lastrowid or 0)
        self._step(db, person, None, "added", f"from {origin}" if origin else None, now)
        return person

    def _rewrite(self, db: sqlite3.Connection, person: int, contact: Contact, now: str) -> None:
        db.execute(
            "UPDATE people SET email = ?, name = ?, search = ?, contact = ?, updated_at = ? "
            "WHERE id = ?",
            (
                contact.email.casefold() if contact.email else None,
                contact.name,
                fold(f"{contact.name} {contact.email or ''}"),
                converter.dumps(contact),
                now,
                person,
            ),
        )
        for row in db.execute("SELECT id, interview FROM interviews WHERE person = ?", (person,)):
            data = json.loads(row["interview"])
            data["contact"] = converter.unstructure(contact)
            db.execute(
                "UPDATE interviews SET interview = ? WHERE id = ?", (json.dumps(data), row["id"])
            )
        self._step(db, person, None, "updated", None, now)

    def contacts(self) -> list[Contact]:
        """Return everyone in the tracker, in the order they were added."""
        rows = self._store.read("SELECT contact FROM people ORDER BY id")
        return [converter.loads(row["contact"], Contact) for row in rows]

    def find(self, who: str | Contact) -> Contact:
        """Return the one person ``who`` names: an email address, or any unique part of a name.

        Accents and case are ignored ("garcia" finds Ana García).

        Raises:
            UnknownPersonError: No one matches, or several do (they are listed).
        """
        return converter.loads(self._person(who)["contact"], Contact)

    def _person(self, who: str | Contact) -> sqlite3.Row:
        if isinstance(who, Contact):
            row = self._match(self._store.db, who)
            if row is None:
                raise UnknownPersonError(who.name, [])
            return row
        if not isinstance(who, str) or not who.strip():
            raise UnknownPersonError(str(who), [])
        text = who.strip()
        if "@" in text:
            rows = self._store.read("SELECT * FROM people WHERE email = ?", (text.casefold(),))
        else:
            wanted = fold(text)
            rows = [
                row
                for row in self._store.read("SELECT * FROM people ORDER BY id")
                if wanted in row["search"]
            ]
            exact = [row for row in rows if fold(row["name"]) == wanted]
            rows = exact if len(exact) == 1 else rows
        if len(rows) != 1:
            raise UnknownPersonError(
                text,
                [
                    f"{row['name']} <{row['email']}>" if row["email"] else row["name"]
                    for row in rows
                ],
            )
        return rows[0]

    def forget(self, who: str | Contact) -> Contact:
        """Erase a person and every message, step and follow-up about them; return who it was.

        The rows are overwritten in the file, not only unlinked; the send
        journal's rows for messages to them go too.
        """
        row = self._person(who)
        contact = converter.loads(row["contact"], Contact)
        with self._store.write() as db:
            ids = [
                r["message_id"]
                for r in db.execute("SELECT message_id FROM mail WHERE person = ?", (row["id"],))
            ]
            journal = db.execute(
                "SELECT count(*) FROM sqlite_master WHERE name = 'messages'"
            ).fetchone()[0]
            if journal:
                for message_id in ids:
                    db.execute("DELETE FROM events WHERE message_id = ?", (message_id,))
                    db.execute("DELETE FROM messages WHERE message_id = ?", (message_id,))
            db.execute("DELETE FROM people WHERE id = ?", (row["id"],))
        self._store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return contact

    # -- interviews ---------------------------------------------------------------------

    def interviews(self, who: str | Contact | None = None) -> list[Interview]:
        """Return every interview (or one person's), oldest first."""
        if who is None:
            rows = self._store.read(
                "SELECT i.interview, p.contact FROM interviews i JOIN people p ON p.id = i.person "
                "ORDER BY i.created_at, i.rowid"
            )
        else:
            person = self._person(who)
            rows = self._store.read(
                "SELECT i.interview, p.contact FROM interviews i JOIN people p ON p.id = i.person "
                "WHERE i.person = ? ORDER BY i.created_at, i.rowid",
                (person["id"],),
            )
        return [_interview(row) for row in rows]

    def interview(self, who: str | Contact) -> Interview:
        """Return the person's current interview: the latest still going, else the latest.

        A person without one gets a new interview (identified), from you.
        """
        person = self._person(who)
        found = self._current(self._store.db, person)
        if found is not None:
            return found
        interview = Interview(
            contact=converter.loads(person["contact"], Contact), sender=self._need_sender()
        )
        with self._store.write() as db:
            self._save(db, person["id"], interview, new=True)
        return interview

    def _current(self, db: sqlite3.Connection, person: sqlite3.Row) -> Interview | None:
        rows = db.execute(
            "SELECT i.interview, p.contact FROM interviews i JOIN people p ON p.id = i.person "
            "WHERE i.person = ? ORDER BY i.created_at, i.rowid",
            (person["id"],),
        ).fetchall()
        interviews = [_interview(row) for row in rows]
        going = [i for i in interviews if i.status in _OPEN]
        chosen = going or interviews
        return chosen[-1] if chosen else None

    def _save(
        self, db: sqlite3.Connection, person: int, interview: Interview, *, new: bool = False
    ) -> None:
        data = converter.unstructure(interview)
        data.pop("contact", None)  # the person's one record is in people
        db.execute("UPDATE people SET version = version + 1 WHERE id = ?", (person,))
        now = stamp(self.now())
        if new:
            db.execute(
                "INSERT INTO interviews (id, person, status, interview, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (interview.id, person, interview.status.value, json.dumps(data), now, now),
            )
        else:
            db.execute(
                "UPDATE interviews SET status = ?, interview = ?, updated_at = ? WHERE id = ?",
                (interview.status.value, json.dumps(data), now, interview.id),
            )

    def _change(
        self,
        who: str | Contact,
        change: Callable[[Interview], str | None],
        kind: str,
    ) -> Interview:
        """Apply ``change`` to the person's current interview and keep it, with a step.

        ``change`` raises (changing nothing) when the move is not allowed; what
        it returns is the step's text.
        """
        person = self._person(who)
        interview = self.interview(who)
        text = change(interview)
        with self._store.write() as db:
            self._save(db, person["id"], interview)
            self._step(db, person["id"], interview.id, kind, text, stamp(self.now()))
        return interview

    # -- steps --------------------------------------------------------------------------

    def _step(  # noqa: PLR0917 - one row's columns, in the table's order
        self,
        db: sqlite3.Connection,
        person: int,
        interview: str | None,
        kind: str,
        text: str | None,
        at: str,
    ) -> None:
        db.execute(
            "INSERT INTO steps (person, interview, at, kind, text) VALUES (?, ?, ?, ?, ?)",
            (person, interview, at, kind, text),
        )
        db.execute("UPDATE people SET version = version + 1 WHERE id = ?", (person,))

    def _when(self, at: datetime | None, field: str) -> datetime:
        return self.now() if at is None else _times.moment(at, "Tracker", field)

    def reply(
        self, who: str | Contact, *, at: datetime | None = None, note: str | None = None
    ) -> Interview:
        """Record that the person answered: no nudge follows."""
        when = self._when(at, "at")
        return self._change(who, lambda i: _text(i.reply(note, at=when)), "replied")

    def log(self, who: str | Contact, note: str, *, at: datetime | None = None) -> Interview:
        """Record a contact outside the lifecycle (it resets the keep-in-touch clock)."""
        when = self._when(at, "at")
        return self._change(who, lambda i: _text(i.log(note, at=when)), "note")

    def bounced(self, who: str | Contact, *, at: datetime | None = None, note: str = "") -> None:
        """Record that mail to the person bounced: today lists their address until you write again.

        The interview is not moved; a message sent to them later (a new
        address) ends the warning.
        """
        person = self._person(who)
        when = self._when(at, "at")
        found = self.interviews(who)
        with self._store.write() as db:
            interview = found[-1].id if found else None
            self._step(db, person["id"], interview, "bounced", note or None, stamp(when))

    def schedule(
        self,
        who: str | Contact,
        at: datetime,
        *,
        minutes: int | None = None,
        medium: Medium | str | None = None,
        where: str | None = None,
    ) -> Interview:
        """Record the agreed time (a time in the past is refused, changing nothing)."""
        start = _times.moment(at, "Tracker.schedule", "at")
        now = self.now()
        if _times.utc(start) < _times.utc(now):
            raise ValidationError(
                "Tracker.schedule",
                "at",
                start,
                "is in the past",
                "give the time you agreed for the conversation, which is still to come",
            )

        def move(interview: Interview) -> str:
            changes: dict[str, Any] = {}
            if minutes is not None:
                changes["duration"] = timedelta(minutes=minutes)
            if medium is not None:
                changes["medium"] = medium
            if where is not None:
                changes["location"] = where
            trial = attrs.evolve(interview, **changes)  # checks every value first
            trial.schedule(start, when=now)
            interview.duration, interview.medium = trial.duration, trial.medium
            interview.location = trial.location
            interview.schedule(start, when=now)
            return f"for {start.isoformat(timespec='minutes')}, {interview.minutes} min"

        return self._change(who, move, "scheduled")

    def complete(
        self,
        who: str | Contact,
        *,
        takeaway: str | None = None,
        action: str | None = None,
        introduce: Iterable[str] = (),
        at: datetime | None = None,
    ) -> Interview:
        """Record that the conversation took place, with what you took away and will do."""
        when = self._when(at, "at")
        people = [Contact(name=name) for name in introduce]

        def move(interview: Interview) -> str | None:
            interview.complete(at=when)
            if takeaway:
                interview.takeaways = (*interview.takeaways, takeaway)
            if action:
                interview.promise(action)
            for person in people:
                interview.suggest(person, introduce=True)
            return takeaway

        return self._change(who, move, "completed")

    def decline(self, who: str | Contact, *, at: datetime | None = None) -> Interview:
        """Record that the person said no."""
        when = self._when(at, "at")
        return self._change(who, lambda i: i.decline(at=when), "declined")

    def cancel(self, who: str | Contact, *, at: datetime | None = None) -> Interview:
        """Record that the interview was called off."""
        when = self._when(at, "at")
        return self._change(who, lambda i: i.cancel(at=when), "cancelled")

    def no_response(self, who: str | Contact, *, at: datetime | None = None) -> Interview:
        """Record that the person never answered (after the nudge)."""
        when = self._when(at, "at")
        return self._change(who, lambda i: i.mark_no_response(at=when), "no response")

    # -- messages -----------------------------------------------------------------------

    def record(
        self,
        draft: Draft,
        *,
        kind: str | None = None,
        written_to: str | os.PathLike[str] | None = None,
    ) -> Message:
        """Keep a drafted message on its person's timeline; the follow-up it answers is done.

        Args:
            draft: The draft (its recipient must be in the tracker).
            kind: ``outreach`` or a follow-up kind; by default the one the
                draft's template renders (``outreach`` for outreach templates).
            written_to: Where it was written (a file or mbox).
        """
        if draft.recipient is None:
            raise ValidationError(
                "Tracker.record", "draft", draft, "has no recipient", "render it for a contact"
            )
        person = self._person(draft.recipient)
        kind = kind or _kind(draft.template)
        interview = draft.interview if isinstance(draft.interview, Interview) else None
        interview_id = interview.id if interview is not None else self.interview(draft.recipient).id
        now = self.now()
        thread = (
            draft.references[0] if draft.references else (draft.in_reply_to or draft.message_id)
        )
        recipient = converter.loads(person["contact"], Contact)
        # A recipient whose zone is unknown (nor their country's one clock) gets your morning.
        send_at = self.policy.send_time(
            recipient, now.astimezone(self._zone()), key=draft.message_id
        )
        with self._store.write() as db:
            db.execute(
                "INSERT INTO mail (message_id, person, interview, kind, template, subject, "
                "recipients, in_reply_to, thread, state, written_to, drafted_at, body, send_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'drafted', ?, ?, ?, ?) "
                "ON CONFLICT (message_id) DO UPDATE SET written_to = excluded.written_to",
                (
                    draft.message_id,
                    person["id"],
                    interview_id,
                    kind,
                    draft.template,
                    draft.subject,
                    json.dumps(draft.envelope_recipients),
                    draft.in_reply_to,
                    thread,
                    str(written_to) if written_to is not None else None,
                    stamp(now),
                    draft.text,
                    stamp(send_at),
                ),
            )
            self._step(db, person["id"], interview_id, f"drafted {kind}", draft.subject, stamp(now))
            if kind != "outreach":
                plans.mark_done(db, person["id"], interview_id, kind, now)
        return self.message(draft.message_id)

    def message(self, message_id: str) -> Message:
        """Return a recorded message by its Message-ID."""
        rows = self._store.read("SELECT * FROM mail WHERE message_id = ?", (message_id,))
        if not rows:
            raise UnknownPersonError(message_id, [])
        return _message(rows[0])

    def messages(self, who: str | Contact | None = None) -> list[Message]:
        """Return every recorded message (or one person's), oldest first."""
        if who is None:
            rows = self._store.read("SELECT * FROM mail ORDER BY drafted_at, rowid")
        else:
            person = self._person(who)
            rows = self._store.read(
                "SELECT * FROM mail WHERE person = ? ORDER BY drafted_at, rowid", (person["id"],)
            )
        return [_message(row) for row in rows]

    def schedule_send(self, message_id: str, at: datetime | None = None) -> Message:
        """Set when a drafted message goes out with ``infoview send --due``; return it.

        Without ``at``, the time is chosen again from now: the first
        working-day morning in the recipient's zone (:meth:`Policy.send_time
        <infoview.Policy.send_time>`). A message already sent is refused.
        """
        rows = self._store.read(
            "SELECT m.*, p.contact FROM mail m JOIN people p ON p.id = m.person "
            "WHERE m.message_id = ?",
            (message_id,),
        )
        if not rows:
            raise UnknownPersonError(message_id, [])
        if rows[0]["state"] == "sent":
            raise ValidationError(
                "Tracker.schedule_send",
                "message_id",
                message_id,
                "was sent already",
                "schedule a message that is still a draft",
            )
        if at is None:
            recipient = converter.loads(rows[0]["contact"], Contact)
            at = self.policy.send_time(
                recipient, self.now().astimezone(self._zone()), key=message_id
            )
        when = _times.moment(at, "Tracker.schedule_send", "at")
        with self._store.write() as db:
            db.execute(
                "UPDATE mail SET send_at = ? WHERE message_id = ?", (stamp(when), message_id)
            )
        return self.message(message_id)

    def due_to_send(self, *, now: datetime | None = None) -> timing.Due:
        """Return the drafted messages whose send time has come, read back from their files.

        Send them with ``infoview.send`` (its journal keeps each to
        one send), then record each accepted one with :meth:`sent`; this is
        what ``infoview send --due`` does.
        """
        moment = self._when(now, "now")
        return timing.read_due(timing.due_rows(self._store, stamp(moment)), moment)

    def waiting_to_send(self, *, now: datetime | None = None) -> list[Message]:
        """Return the drafted messages whose send time is still to come, soonest first."""
        moment = self._when(now, "now")
        return [
            _message(row)
            for row in timing.due_rows(self._store)
            if _times.utc(datetime.fromisoformat(row["send_at"])) > _times.utc(moment)
        ]

    # -- tiers --------------------------------------------------------------------------

    def set_tier(self, who: str | Contact, tier: str | None) -> Contact:
        """Put a person in a tier (``None``: in none); the check-ins follow its cadence."""
        row = self._person(who)
        contact = converter.loads(row["contact"], Contact).with_changes(tier=tier)
        with self._store.write() as db:
            self._rewrite(db, row["id"], contact, stamp(self.now()))
        return contact

    def _check_tier(self, contact: Contact, field: str, where: str | None) -> None:
        """Refuse a contact in a tier with no cadence: today could not plan their check-ins."""
        if contact.tier is None:
            return
        if contact.tier.casefold() not in {name.casefold() for name in self.cadences}:
            raise ValidationError(
                "Tracker.add",
                f"{field}.tier",
                contact.tier,
                f"{contact.name}'s tier {contact.tier!r}{f' ({where})' if where else ''} "
                f"has no cadence (known: {', '.join(self.cadences)})",
                f"give it one first (infoview cadence {contact.tier}=8w, or "
                "Tracker.set_cadence), or put them in a known tier",
            )

    @property
    def cadences(self) -> dict[str, timedelta]:
        """How often to check in with each tier (the policy's, with those set here)."""
        return dict(self.policy.tiers)

    def set_cadence(self, tier: str, every: timedelta) -> None:
        """Check in with ``tier`` every ``every`` (kept in the file); the plans follow.

        A policy given to the tracker is changed for this tracker only.
        """
        from infoview.followups.policy import Policy  # noqa: PLC0415 - see the imports

        stored = self._stored_cadences()
        stored[tier] = every
        checked = Policy(tiers=stored)  # checks the name and the span first
        data = json.dumps({name: every.days for name, every in stored.items()})
        with self._store.write() as db:
            db.execute(
                "INSERT INTO settings (key, value) VALUES ('tiers', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (data,),
            )
            db.execute("UPDATE people SET planned = -1")  # every plan is worked out again
        self._policy = attrs.evolve(self.policy, tiers={**self.policy.tiers, **checked.tiers})

    @property
    def sender_holidays(self) -> bool:
        """Whether your own country's public holidays are skipped too (``me --my-holidays``)."""
        return self.policy.sender_holidays

    @sender_holidays.setter
    def sender_holidays(self, value: bool) -> None:
        if not isinstance(value, bool):
            raise ValidationError(
                "Tracker", "sender_holidays", value, "is not True or False", "pass True or False"
            )
        with self._store.write() as db:
            db.execute(
                "INSERT INTO settings (key, value) VALUES ('sender_holidays', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                ("yes" if value else "no",),
            )
            db.execute("UPDATE people SET planned = -1")  # every plan is worked out again
        self._policy = attrs.evolve(self.policy, sender_holidays=value)

    def _stored_cadences(self) -> dict[str, timedelta]:
        stored = self._store.setting("tiers")
        return {k: timedelta(days=v) for k, v in json.loads(stored).items()} if stored else {}

    def sent(self, message_id: str, at: datetime) -> bool:
        """Record that the server accepted a message at ``at``; return whether it is tracked.

        Sent outreach moves its interview to requested, at that time.
        """
        rows = self._store.read(
            "SELECT m.*, p.contact FROM mail m JOIN people p ON p.id = m.person "
            "WHERE m.message_id = ?",
            (message_id,),
        )
        if not rows:
            return False
        row = rows[0]
        if row["state"] == "sent":
            return True  # recorded before (a rerun skipped it)
        when = _times.moment(at, "Tracker.sent", "at")
        with self._store.write() as db:
            db.execute(
                "UPDATE mail SET state = 'sent', sent_at = ? WHERE message_id = ?",
                (stamp(when), message_id),
            )
            self._step(
                db,
                row["person"],
                row["interview"],
                f"sent {row['kind']}",
                row["subject"],
                stamp(when),
            )
            if row["kind"] == "outreach" and row["interview"]:
                found = db.execute(
                    "SELECT i.interview, p.contact FROM interviews i JOIN people p "
                    "ON p.id = i.person WHERE i.id = ?",
                    (row["interview"],),
                ).fetchone()
                interview = _interview(found)
                if interview.status is Status.IDENTIFIED:
                    interview.request(at=when)
                    self._save(db, row["person"], interview)
        return True

    def original(self, who: str | Contact) -> Draft | None:
        """Return the outreach sent to the person, as a Draft to reply on (for a nudge)."""
        person = self._person(who)
        rows = self._store.read(
            "SELECT * FROM mail WHERE person = ? AND kind = 'outreach' "
            "ORDER BY (state = 'sent') DESC, drafted_at DESC LIMIT 1",
            (person["id"],),
        )
        if not rows:
            return None
        row = rows[0]
        sender = self._need_sender()
        from infoview.mail.draft import Draft  # noqa: PLC0415 - see the imports

        return Draft(
            subject=row["subject"],
            text=row["body"] or "",
            recipient=converter.loads(person["contact"], Contact),
            sender=sender,
            template=row["template"],
            message_id=row["message_id"],
        )

    # -- drafting -----------------------------------------------------------------------

    def outreach(
        self,
        people: Iterable[str | Contact] | None = None,
        *,
        template: str | None = None,
        values: Mapping[str, Any] | None = None,
    ) -> list[Draft]:
        """Draft outreach for people not yet written to (or the ones named); record each.

        Args:
            people: Whom to write to; by default everyone not written to yet.
            template: The template; by default the one that fits each
                contact's source (:func:`~infoview.outreach_template`), and
                ``outreach/connection`` for a LinkedIn connection.
            values: More template variables, e.g. ``{"reason": "..."}``.
        """
        sender = self._need_sender()
        if people is not None:
            chosen = [self.find(who) for who in people]
        else:  # everyone not written to who can be written to
            chosen = [c for c in self.not_written_to() if c.email]
        drafts: list[Draft] = []
        for contact in chosen:
            interview = self.interview(contact)
            name = template or outreach_for(contact, self._store, self._person(contact))
            draft = self.templates.render(
                name, interview=interview, sender=sender, **dict(values or {})
            )
            drafts.append(draft)
        return drafts

    def not_written_to(self) -> list[Contact]:
        """Return the people no outreach has been drafted for, in the order they were added."""
        rows = self._store.read(
            "SELECT contact FROM people p WHERE NOT EXISTS "
            "(SELECT 1 FROM mail m WHERE m.person = p.id AND m.kind = 'outreach') ORDER BY id"
        )
        return [converter.loads(row["contact"], Contact) for row in rows]

    def follow_up(self, who: str | Contact, kind: FollowUpKind | str) -> Draft:
        """Draft the follow-up of ``kind`` the person's interview calls for (not yet recorded).

        A nudge threads onto the recorded outreach.
        """
        from infoview.followups.followup import FollowUp, FollowUpKind  # noqa: PLC0415

        kind = FollowUpKind(kind)
        interview = self.interview(who)
        context: dict[str, Any] = {}
        if kind is FollowUpKind.NUDGE:
            original = self.original(who)
            if original is not None:
                context["original"] = original
        due = self.now()
        follow_up = FollowUp(kind=kind, contact=interview.contact, due=due, interview=interview)
        return self.templates.render_follow_up(follow_up, **context)

    # -- views --------------------------------------------------------------------------

    def timeline(self, who: str | Contact) -> list[Step]:
        """Return every step with the person, oldest first."""
        person = self._person(who)
        rows = self._store.read(
            "SELECT at, kind, text FROM steps WHERE person = ? ORDER BY at, id", (person["id"],)
        )
        return [Step(datetime.fromisoformat(r["at"]), r["kind"], r["text"]) for r in rows]

    def today(
        self, *, now: datetime | None = None, within: timedelta = timedelta(0)
    ) -> planning.Today:
        """Say what to do now: every follow-up due by ``now + within``, overdue first.

        Each line carries the command that does it. The plan is kept, so a
        follow-up done or skipped stays so.
        """
        moment = self._when(now, "now")
        return planning.today(self._store, lambda: self.policy, moment, within, self._zone())

    def pipeline(self) -> list[planning.Row]:
        """Return one row per person: where they came from, status, last contact, next step."""
        return planning.pipeline(self._store, lambda: self.policy, self.now())

    def show(self, who: str | Contact) -> planning.Card:
        """Return everything about one person: details, timeline, promises, next follow-up."""
        person = self._person(who)
        return planning.card(self._store, lambda: self.policy, person, self.now(), self._zone())

    def export(self) -> list[dict[str, Any]]:
        """Return the whole pipeline as data: one dict per person, with interviews and messages."""
        return planning.export(self._store)

    def at(self, company: str) -> list[companies.WarmPath]:
        """Return everyone you know at ``company``, warmest path first.

        Company names are matched loosely ("Acme Health" finds "ACME Health
        Inc." and "Acme Health, S.A."; see docs/tracker.md):
        the people who work there, who introduced them or offered to, each
        with how warm the path is and the spelling matched.

        Raises:
            ValidationError: ``company`` is empty, or not one line.
        """
        return companies.paths(self._store, company)

    def targets(self, names: Iterable[str]) -> dict[str, list[companies.WarmPath]]:
        """Return :meth:`at` for each target company, by the name given (the file read once)."""
        wanted = list(names)
        return dict(zip(wanted, companies.paths_each(self._store, wanted), strict=True))


def _text(found: Any) -> str | None:
    note = getattr(found, "note", None)
    return note if isinstance(note, str) else None


def _kind(template: str | None) -> str:
    if template is None or (template.startswith("outreach/") and template != "outreach/nudge"):
        return "outreach"
    from infoview.rendering import registry  # noqa: PLC0415 - see the imports

    try:
        kind = registry.info(template).follow_up
    except LookupError:
        kind = None
    return kind or "outreach"


def outreach_for(contact: Contact, store: Store, person: sqlite3.Row) -> str:
    """Return the outreach template for a tracked contact (``outreach/connection`` on LinkedIn)."""
    if contact.source is Source.SOCIAL and (person["origin"] or "").startswith("linkedin"):
        return "outreach/connection"
    from infoview.rendering import registry  # noqa: PLC0415 - see the imports

    name = registry.outreach_template(contact)
    return "outreach/connection" if name == "outreach/social" else name


def _merge(old: Contact, new: Contact) -> Contact:
    """The old record with every field the new one fills taken from it."""
    changes = {
        field.name: getattr(new, field.name)
        for field in attrs.fields(Contact)
        if field.init
        and getattr(new, field.name) not in (None, (), "", [])
        and getattr(new, field.name) != field.default
    }
    return attrs.evolve(old, **changes)  # each value was checked in ``new`` already


def _interview(row: sqlite3.Row | Any) -> Interview:
    data = json.loads(row["interview"])
    data["contact"] = json.loads(row["contact"])
    interview: Interview = converter.structure(data, Interview)
    return interview


def _message(row: sqlite3.Row) -> Message:
    return Message(
        message_id=row["message_id"],
        kind=row["kind"],
        template=row["template"],
        subject=row["subject"],
        to=tuple(json.loads(row["recipients"])),
        thread=row["thread"],
        state=row["state"],
        drafted_at=datetime.fromisoformat(row["drafted_at"]),
        sent_at=_time(row["sent_at"]),
        written_to=row["written_to"],
        send_at=_time(row["send_at"]),
    )
