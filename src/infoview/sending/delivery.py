"""Sending: drafts and written messages to an SMTP server, each exactly once.

:func:`send` reads the messages (drafts, a folder of ``.eml`` files or an
mbox; see :mod:`infoview.mail.outbox`), checks each against the journal
(:class:`~infoview.sending.journal.Journal`), and hands the rest to the server one
at a time, spaced by ``rate``. A temporary failure (a 4xx reply, a dropped
connection before the message went out) is retried with exponential backoff
on a new connection (stamina); a permanent one (5xx) marks the message
failed and the run goes on. See docs/sending.md.
"""

from __future__ import annotations

import enum
import re
import ssl
from collections.abc import Callable, Iterable
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Literal

import attrs
import stamina

from infoview.errors import SignInError, ValidationError
from infoview.mail.draft import Draft
from infoview.mail.outbox import Outgoing, outgoing
from infoview.model.interview import Interview
from infoview.model.lifecycle import Status
from infoview.sending._smtp import Connection, Rate, Retry, SendError, deliver
from infoview.sending.journal import Entry, Journal, State
from infoview.sending.oauth import TokenProvider
from infoview.sending.signin import find_password

__all__ = [
    "Backoff",
    "Outcome",
    "Rate",
    "Report",
    "Result",
    "SMTPSettings",
    "SendError",
    "mark_requested",
    "send",
]

Security = Literal["starttls", "tls", "none"]
_PORTS = {"starttls": 587, "tls": 465, "none": 25}


@attrs.frozen
class SMTPSettings:
    """Where and how to send. The password is never kept here: name its variable.

    Args:
        host: The SMTP server, e.g. ``"smtp.example.com"``.
        port: Its port; by default 587 for STARTTLS, 465 for TLS, 25 for none.
        security: ``"starttls"`` (the default: STARTTLS when the server
            offers it), ``"tls"`` (TLS from the first byte) or ``"none"``.
            A password is only ever sent over TLS.
        user: The login, if the server wants one.
        password_env: The environment variable holding the password.
        timeout: Seconds to wait for the server at each step.
        ssl_context: The TLS settings, e.g. to trust your own CA (default:
            the system's trusted certificates, host name checked).
        require_tls: Send nothing unless the connection is encrypted: with
            ``"starttls"``, refuse a server that does not offer STARTTLS
            (without it, and without a login, messages go in clear); TLS
            from the first byte (``"tls"``) always is. Not with ``"none"``.
        token: Sign in with OAuth 2 (XOAUTH2) instead of a password: a
            :class:`~infoview.sending.oauth.TokenProvider` such as
            :class:`~infoview.sending.oauth.Microsoft`; ``user`` defaults to its login.
    """

    host: str = attrs.field(validator=attrs.validators.min_len(1))
    port: int | None = attrs.field(
        default=None,
        validator=attrs.validators.optional([attrs.validators.ge(1), attrs.validators.le(65535)]),
    )
    security: Security = attrs.field(
        default="starttls", validator=attrs.validators.in_(tuple(_PORTS))
    )
    user: str | None = None
    password_env: str | None = None
    timeout: float = 30.0
    ssl_context: ssl.SSLContext | None = attrs.field(default=None, eq=False, repr=False)
    require_tls: bool = attrs.field(default=False, kw_only=True)
    token: TokenProvider | None = attrs.field(default=None, eq=False, repr=False, kw_only=True)

    @require_tls.validator
    def _tls_possible(self, attribute: attrs.Attribute[bool], value: bool) -> None:
        if value and self.security == "none":
            raise ValidationError(
                "SMTPSettings",
                "require_tls",
                value,
                "cannot be met with security='none'",
                "use security='starttls' or 'tls'",
            )

    @property
    def effective_port(self) -> int:
        """The port used: ``port``, or the usual one for ``security``."""
        return self.port or _PORTS[self.security]

    def password(self) -> str | None:
        """Read the password: ``password_env``, else the system keyring (``None`` without a user).

        Raises:
            SendError: A user is set, but neither the variable nor the keyring
                has the password (see :func:`~infoview.sending.signin.find_password`).
        """
        if self.user is None or self.token is not None:
            return None
        try:
            return find_password(self.user, self.password_env)
        except SignInError as error:
            raise SendError(self.host, str(error)) from None


@attrs.frozen
class Backoff:
    """How temporary failures are retried: exponential backoff with jitter (stamina).

    Args:
        attempts: How often a message is tried in all, the first time included.
        initial: Seconds to wait before the first retry.
        maximum: The longest wait between two tries.
        jitter: Up to so many seconds added at random to each wait.
    """

    attempts: int = attrs.field(default=5, validator=attrs.validators.ge(1))
    initial: float = 2.0
    maximum: float = 60.0
    jitter: float = 1.0


class Result(enum.StrEnum):
    """What a run did with one message."""

    SENT = "sent"  # accepted by the server in this run
    SKIPPED = "skipped"  # sent before (by its Message-ID, or the same message drafted again)
    FAILED = "failed"  # refused for good (5xx), or temporary failures until retries ran out
    UNKNOWN = "unknown"  # it went out, but no reply was recorded: it may have arrived
    CHANGED = "changed"  # sent before with other content; not sent again
    NOT_SENT = "not sent"  # the run stopped before it (the server could not be reached)
    WOULD_SEND = "would send"  # a dry run


@attrs.frozen
class Outcome:
    """One message's fate in a run.

    Attributes:
        message: The message.
        result: What happened.
        detail: The server's reply, or why it was not sent.
        accepted_at: When the server accepted it (in this run or before).
        refused: Recipients the server refused while taking it for the others.
    """

    message: Outgoing
    result: Result
    detail: str = ""
    accepted_at: datetime | None = None
    refused: dict[str, str] = attrs.Factory(dict)

    def line(self) -> str:
        """Say in one line what happened: ``sent  <id@x>  ana@example.com  (250 Ok)``."""
        who = ", ".join(self.message.recipients)
        text = f"{self.result.value:<10}  {self.message.source}  → {who}"
        return f"{text}  ({self.detail})" if self.detail else text


@attrs.frozen
class Report:
    """What a run did: one :class:`Outcome` per message, in order."""

    outcomes: tuple[Outcome, ...]
    dry_run: bool = False

    def count(self, result: Result) -> int:
        """How many messages had this result."""
        return sum(1 for o in self.outcomes if o.result is result)

    @property
    def sent(self) -> int:
        """Messages accepted in this run."""
        return self.count(Result.SENT)

    @property
    def ok(self) -> bool:
        """Every message is sent (now or before); no recipient was refused."""
        good = {Result.SENT, Result.SKIPPED, Result.WOULD_SEND}
        return all(o.result in good and not o.refused for o in self.outcomes)

    def summary(self) -> str:
        """``"48 sent, 0 skipped, 1 failed, 1 unknown"`` (and any other result there was)."""
        first = [Result.WOULD_SEND] if self.dry_run else [Result.SENT]
        shown = [*first, Result.SKIPPED, Result.FAILED, Result.UNKNOWN]
        shown += [r for r in (Result.CHANGED, Result.NOT_SENT) if self.count(r)]
        text = ", ".join(f"{self.count(r)} {r.value}" for r in shown)
        refused = sum(len(o.refused) for o in self.outcomes)
        if refused:
            text += f"; {refused} recipient{'s' * (refused > 1)} refused"
        return text


Messages = str | Path | Iterable[Draft | EmailMessage | bytes | Outgoing]


def send(
    messages: Messages,
    *,
    smtp: SMTPSettings,
    journal: str | Path | Journal,
    rate: str | Rate | None = None,
    dry_run: bool = False,
    resend_unknown: bool = False,
    password: str | None = None,
    backoff: Backoff | None = None,
    progress: Callable[[Outcome], None] | None = None,
) -> Report:
    """Send each message once, journalled; return what happened to each.

    Every message is read and checked before anything is sent. One whose
    Message-ID the journal holds as sent is skipped (reported ``changed`` if
    what it says differs: see :attr:`Outgoing.fingerprint
    <infoview.mail.outbox.Outgoing.fingerprint>`); so is the same message drafted
    again under a new Message-ID. One left ``unknown`` (or ``sending``, by a run that
    stopped) is not sent again unless ``resend_unknown``.

    Args:
        messages: Drafts (their Bcc in the envelope only), ``EmailMessage``
            objects, message bytes, or the path of a folder of ``.eml`` files
            or an mbox file.
        smtp: The server.
        journal: The journal file (created if needed), or an open journal.
        rate: At most so many messages per period, e.g. ``"20/min"``.
        dry_run: Connect nowhere and change nothing; report what would be sent
            (the journal, if it exists, is read).
        resend_unknown: Send again the messages that may or may not have arrived.
        password: The password, if you asked for it yourself; default:
            read from ``smtp.password_env``.
        backoff: How temporary failures are retried.
        progress: Called with each message's outcome as soon as it is known.

    Raises:
        MessageError: A message cannot be sent (no Message-ID, no sender, no
            recipient); nothing was sent.
        SendError: TLS or login failed, a password would go in clear, or
            ``smtp.require_tls`` and the server offers no STARTTLS; its
            ``report`` says what was done before.
        JournalError: The journal cannot be used.
    """
    pace = Rate.parse(rate) if isinstance(rate, str) else rate
    items = list(outgoing(messages))
    if dry_run:
        return _dry_run(items, journal, resend_unknown, progress)
    secret = password if password is not None or smtp.token else smtp.password()
    book = journal if isinstance(journal, Journal) else Journal(journal)
    connection = Connection(
        host=smtp.host,
        port=smtp.effective_port,
        security=smtp.security,
        user=smtp.user,
        password=secret,
        timeout=smtp.timeout,
        ssl_context=smtp.ssl_context,
        require_tls=smtp.require_tls,
        token=smtp.token,
    )
    outcomes: list[Outcome] = []
    try:
        for index, item in enumerate(items):
            outcome = _known(book, item, resend_unknown, write=True)
            if outcome is None:
                if pace is not None:
                    pace.wait()
                outcome = _send_one(connection, book, item, backoff or Backoff())
            if connection.user is None and _wants_login(outcome):
                # Every other message would be refused the same way: stop at the first.
                book.pending(item.message_id, outcome.detail)
                outcomes += [Outcome(m, Result.NOT_SENT, outcome.detail) for m in items[index:]]
                raise _login_wanted(smtp.host, outcome.detail)
            outcomes.append(outcome)
            if progress is not None:
                progress(outcome)
            if outcome.result is Result.NOT_SENT:
                rest = items[index + 1 :]
                outcomes += [Outcome(m, Result.NOT_SENT, "the run stopped") for m in rest]
                break
    except SendError as error:
        error.report = Report(tuple(outcomes))
        raise
    finally:
        connection.drop()
        if book is not journal:
            book.close()
    return Report(tuple(outcomes))


# "530 5.7.0 Authentication required" (RFC 4954), however the command was named.
_LOGIN_WANTED = re.compile(r"^(?:[A-Z ]+(?: \S+)?: )?530\b|\b5\.7\.0 authentication required", re.I)


def _wants_login(outcome: Outcome) -> bool:
    """Whether the server refused a message because it wants a login first (530)."""
    return outcome.result is Result.FAILED and bool(_LOGIN_WANTED.search(outcome.detail))


def _login_wanted(host: str, reply: str) -> SendError:
    return SendError(
        host,
        f"this server wants a login: give SMTPSettings(user=…) and its password (it answered "
        f"{reply}); nothing was sent, and the messages stay to send",
    )


def _send_one(connection: Connection, book: Journal, item: Outgoing, backoff: Backoff) -> Outcome:
    retries = stamina.retry_context(
        on=Retry,
        attempts=backoff.attempts,
        timeout=None,
        wait_initial=backoff.initial,
        wait_max=backoff.maximum,
        wait_jitter=backoff.jitter,
    )
    try:
        for attempt in retries:
            with attempt:
                accepted, reply, refused = deliver(connection, book, item)
    except Retry as error:
        tries = f"(gave up after {backoff.attempts} attempt{'s' * (backoff.attempts > 1)})"
        if error.connection:
            return Outcome(item, Result.NOT_SENT, f"{error.reply} {tries}")
        book.failed(item.message_id, f"{error.reply} {tries}")
        return Outcome(item, Result.FAILED, f"{error.reply} {tries}")
    if accepted is None:
        return Outcome(item, Result.UNKNOWN, reply)
    if not accepted:
        return Outcome(item, Result.FAILED, reply)
    entry = book.get(item.message_id)
    return Outcome(item, Result.SENT, reply, entry.accepted_at if entry else None, refused)


def _known(
    book: Journal | None, item: Outgoing, resend_unknown: bool, *, write: bool
) -> Outcome | None:
    """Return the outcome of a message the journal already settles, or ``None`` to send it."""
    entry = book.get(item.message_id) if book is not None else None
    if entry is not None and entry.state is State.SENT:
        if entry.fingerprint == item.fingerprint:  # a new Date alone changes nothing said
            return Outcome(item, Result.SKIPPED, _when(entry), entry.accepted_at)
        return Outcome(
            item,
            Result.CHANGED,
            f"{_when(entry)} with other content; not sent again (a new version "
            "needs a new Message-ID)",
            entry.accepted_at,
        )
    if entry is not None and entry.state in (State.SENDING, State.UNKNOWN):
        if entry.state is State.SENDING and write:
            assert book is not None  # noqa: S101 - entry came from it
            book.unknown(item.message_id, "a run stopped before the server's reply was recorded")
        if not resend_unknown:
            return Outcome(item, Result.UNKNOWN, _maybe(entry))
        if write:
            assert book is not None  # noqa: S101 - entry came from it
            book.pending(item.message_id, "sent again on request (resend_unknown)")
    twin = book.same_content(item.fingerprint, item.message_id) if book is not None else None
    if twin is not None and twin.state is State.SENT:
        return Outcome(item, Result.SKIPPED, f"same message as {twin.message_id}, {_when(twin)}")
    if twin is not None and not resend_unknown:
        return Outcome(item, Result.UNKNOWN, f"same message as {twin.message_id}: {_maybe(twin)}")
    if write:
        assert book is not None  # noqa: S101 - a writing run has a journal
        book.add(
            item.message_id,
            sha256=item.sha256,
            fingerprint=item.fingerprint,
            sender=item.sender,
            recipients=item.recipients,
            source=item.source,
        )
    return None


def _when(entry: Entry) -> str:
    at = entry.accepted_at
    return f"sent {at:%Y-%m-%d %H:%M:%S} UTC" if at is not None else "sent"


def _maybe(entry: Entry) -> str:
    return (
        f"may have been sent ({entry.reply or 'interrupted'}); check the Sent folder "
        "or ask the recipient, then resend with resend_unknown if it never arrived"
    )


def _dry_run(
    items: list[Outgoing],
    journal: str | Path | Journal,
    resend_unknown: bool,
    progress: Callable[[Outcome], None] | None,
) -> Report:
    book: Journal | None = journal if isinstance(journal, Journal) else None
    if book is None and Path(journal).exists():  # type: ignore[arg-type]  # a folder is refused
        book = Journal(journal, read_only=True)  # type: ignore[arg-type]
    outcomes = []
    try:
        for item in items:
            outcome = _known(book, item, resend_unknown, write=False) or Outcome(
                item, Result.WOULD_SEND, f"Subject: {item.subject}"
            )
            outcomes.append(outcome)
            if progress is not None:
                progress(outcome)
    finally:
        if book is not None and book is not journal:
            book.close()
    return Report(tuple(outcomes), dry_run=True)


def mark_requested(interviews: Iterable[Interview], report: Report) -> list[Interview]:
    """Mark as requested each interview whose outreach the server accepted; return them.

    An outreach is a message that answers none (no In-Reply-To), sent (in
    this run, or before: skipped) from the interview's sender to its contact
    (a To address). Only an interview still ``identified`` is moved, at the
    time the server accepted the message, so follow-ups count from the real
    send time. A contact with two identified interviews from the same sender
    is left alone: which one was meant cannot be told.
    """
    pending: dict[tuple[str, str], list[Interview]] = {}
    for interview in interviews:
        if interview.status is Status.IDENTIFIED and interview.contact.email:
            key = ((interview.sender.email or "").casefold(), interview.contact.email.casefold())
            pending.setdefault(key, []).append(interview)
    marked = []
    for outcome in report.outcomes:
        message = outcome.message
        if outcome.accepted_at is None or message.in_reply_to is not None:
            continue
        if outcome.result not in (Result.SENT, Result.SKIPPED):
            continue
        for address in message.to:
            found = pending.get((message.sender.casefold(), address.casefold()), [])
            if len(found) == 1 and found[0].status is Status.IDENTIFIED:
                found[0].request(at=outcome.accepted_at)
                marked.append(found[0])
    return marked
