"""The ``send`` command: a folder of .eml files or an mbox to an SMTP server, each once."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING

import click

from infoview.cli._app import DATA_PROBLEM, Failure, load, main, spoken, stderr_is_terminal

if TYPE_CHECKING:
    from infoview.mail.outbox import Outgoing
    from infoview.model.interview import Interview
    from infoview.sending import Outcome, Rate, Report
    from infoview.sending.journal import Journal
    from infoview.sending.oauth import TokenProvider

__all__ = ["send"]


def _rate(ctx: click.Context, param: click.Parameter, value: str | None) -> Rate | None:
    from infoview.sending import Rate  # noqa: PLC0415

    if value is None:
        return None
    try:
        return Rate.parse(value)
    except ValueError as error:
        raise click.BadParameter(str(error), ctx, param) from None


@main.command(short_help="Send a folder of .eml files or an mbox, each message once.")
@click.argument("source", type=click.Path(exists=True, path_type=Path), required=False)
@click.option(
    "--due",
    is_flag=True,
    help="Send only what the tracker has scheduled by now (a working-day morning in each "
    "recipient's zone), read from where each draft was written (or from SOURCE).",
)
@click.option("--host", help="The SMTP server, e.g. smtp.example.com (not needed for --dry-run).")
@click.option(
    "--port", type=click.IntRange(1, 65535), help="Its port [default: 587, 465 with tls, 25 none]."
)
@click.option(
    "--security",
    type=click.Choice(["starttls", "tls", "none"]),
    default="starttls",
    show_default=True,
    help="STARTTLS when offered; TLS from the start; or none. A password only goes over TLS.",
)
@click.option(
    "--require-tls",
    is_flag=True,
    help="Send nothing unless the connection is encrypted (STARTTLS offered, or --security tls).",
)
@click.option(
    "--user",
    help="Log in as this user (password: --password-env, else the keyring, else asked).",
)
@click.option(
    "--password-env",
    metavar="NAME",
    help="Read the password from this environment variable (never give it on the command line).",
)
@click.option(
    "--signin",
    type=click.Choice(["password", "microsoft", "google"]),
    default="password",
    show_default=True,
    help="Sign in with a password, or with OAuth 2 (XOAUTH2) once signed in with infoview login.",
)
@click.option(
    "--client",
    metavar="ID|FILE",
    help="For OAuth: Microsoft's application (client) ID, or Google's client file.",
)
@click.option(
    "--cafile",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Trust the server's certificate if this CA file signed it (besides the system's).",
)
@click.option(
    "--journal",
    "journal_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The journal of what was sent [default: SOURCE.journal beside SOURCE].",
)
@click.option(
    "--rate", metavar="N/min", callback=_rate, help="At most N messages a minute (or N/s, N/hour)."
)
@click.option("--dry-run", is_flag=True, help="Connect nowhere: show what would go to whom.")
@click.option(
    "--resend-unknown",
    is_flag=True,
    help="Send again the messages a stopped run may or may not have sent.",
)
@click.option(
    "--save-sent",
    is_flag=True,
    help="Then file a copy of each message sent in your Sent folder over IMAP (the mailbox "
    "infoview mailbox set up), for providers that keep none; Gmail keeps its own.",
)
@click.option(
    "--db",
    "db",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The tracker to record each sent message in, and to keep the journal in "
    "[default: $INFOVIEW_DB, else the per-user tracker if there is one].",
)
@click.option(
    "--interviews",
    "interviews_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A JSON list of interviews: each whose outreach is sent is marked requested.",
)
@click.option(
    "--retries",
    type=click.IntRange(0, 20),
    default=4,
    show_default=True,
    help="How often a temporary failure (4xx, dropped connection) is retried.",
)
@click.option(
    "--retry-wait",
    type=click.FloatRange(0, 600),
    default=2.0,
    show_default=True,
    help="Seconds before the first retry; each next one waits about twice as long.",
)
def send(
    *,
    source: Path | None,
    due: bool,
    host: str | None,
    port: int | None,
    security: str,
    require_tls: bool,
    user: str | None,
    password_env: str | None,
    signin: str,
    client: str | None,
    cafile: Path | None,
    journal_file: Path | None,
    rate: Rate | None,
    dry_run: bool,
    resend_unknown: bool,
    save_sent: bool,
    interviews_file: Path | None,
    db: Path | None,
    retries: int,
    retry_wait: float,
) -> None:
    """Send the messages in SOURCE (a folder of .eml files or an mbox), each once.

    Every message is journalled (an SQLite file) before and after the server
    accepts it, so a rerun skips what was sent. A message a stopped run may
    or may not have sent is reported "unknown" and is not sent again without
    --resend-unknown; one whose content changed after it was sent is
    reported "changed". Temporary failures are retried with backoff; a
    refused message is reported with the server's reply and the run goes on.

    Exit status: 0 every message sent (now or before); 1 a message failed,
    is unknown or changed; 2 nothing sent (usage, unreadable input, TLS or
    login failure).
    """
    import ssl  # noqa: PLC0415

    from infoview.model.interview import Interview  # noqa: PLC0415
    from infoview.sending import (  # noqa: PLC0415
        Backoff,
        SendError,
        SMTPSettings,
        send as send_messages,
    )

    if host is None and not dry_run:
        raise click.UsageError("give the SMTP server with --host (or use --dry-run)")
    if require_tls and security == "none":
        raise click.UsageError("--require-tls needs --security starttls or tls, not none")
    if password_env and not user:
        raise click.UsageError("--password-env needs --user: whom the password is for")
    interviews = load(interviews_file, list[Interview], "interviews") if interviews_file else None
    tracked = _tracker_file(db)
    messages = _due(tracked, source) if due else _read(source)
    journal = _journal(source, journal_file, tracked, dry_run=dry_run)
    context = None
    if cafile is not None:
        context = ssl.create_default_context()
        context.load_verify_locations(cafile=str(cafile))
    smtp = SMTPSettings(
        host or "localhost",
        port,
        security,  # type: ignore[arg-type]  # click.Choice checked it
        user=user,
        password_env=password_env,
        ssl_context=context,
        require_tls=require_tls,
        token=_token(signin, user, client),
    )
    password = None
    if user and not password_env and not dry_run and smtp.token is None:  # keyring, else asked
        from infoview.sending.signin import stored_password  # noqa: PLC0415

        password = stored_password(user) or click.prompt(
            f"Password for {user}", hide_input=True, err=True
        )

    def run(progress: Callable[[Outcome], None]) -> Report:
        return send_messages(
            messages,
            smtp=smtp,
            journal=journal,
            rate=rate,
            dry_run=dry_run,
            resend_unknown=resend_unknown,
            password=password,
            backoff=Backoff(attempts=retries + 1, initial=retry_wait),
            progress=progress,
        )

    _report_retries()
    try:
        if stderr_is_terminal() and not dry_run:
            with click.progressbar(length=len(messages), label="Sending", file=sys.stderr) as bar:
                report = run(lambda outcome: bar.update(1))
            _lines(report)
        else:
            report = run(_echo)
    except SendError as error:
        if error.report is not None and stderr_is_terminal():
            _lines(error.report)
        raise Failure(spoken(str(error))) from error
    click.echo(report.summary() + ("; nothing sent (dry run)" if dry_run else ""))
    if not dry_run:
        _record(report, interviews, interviews_file, tracked, journal)
    if save_sent and not dry_run:
        from infoview.cli._mailbox import to_sent  # noqa: PLC0415

        to_sent(tracked, report)
    if not report.ok:
        click.get_current_context().exit(DATA_PROBLEM)


def _token(signin: str, user: str | None, client: str | None) -> TokenProvider | None:
    """The OAuth token provider --signin names (``None`` for a password)."""
    from infoview.sending.oauth import provider  # noqa: PLC0415

    if signin == "password":
        return None
    if not user or not client:
        raise click.UsageError(f"--signin {signin} needs --user and --client")
    return provider(signin, user, client)


def _read(source: Path | None) -> list[Outgoing]:
    """Every message in SOURCE: one that cannot be sent stops us before any is."""
    from infoview.mail.outbox import read  # noqa: PLC0415

    if source is None:
        raise click.UsageError("give SOURCE, a folder of .eml files or an mbox (or --due)")
    return list(read(source))


def _due(tracked: Path | None, source: Path | None) -> list[Outgoing]:
    """The messages the tracker has scheduled by now (``INFOVIEW_NOW`` sets the clock)."""
    from infoview.cli._tracker import clock  # noqa: PLC0415
    from infoview.mail.outbox import read  # noqa: PLC0415
    from infoview.tracker import Tracker  # noqa: PLC0415

    if tracked is None:
        raise Failure("--due needs the tracker that scheduled the messages: give --db")
    with Tracker(tracked, clock=clock()) as tracker:
        due = tracker.due_to_send()
        waiting = tracker.waiting_to_send()
        sender = tracker.sender
    for message_id, why in due.missing:
        click.echo(f"{message_id}: {why}", err=True)
    if waiting:
        first = waiting[0]
        at = ""
        if first.send_at is not None:  # in your zone, which the docs' crontab line runs in
            zone = sender.zone if sender is not None and sender.zone is not None else UTC
            at = first.send_at.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")
        click.echo(f"{len(waiting)} not due yet; the next goes at {at} ({first.subject})")
    if source is None:
        return list(due.messages)
    wanted = {m.message_id for m in due.messages}
    return [m for m in read(source) if m.message_id in wanted]


def _journal(
    source: Path | None, journal_file: Path | None, tracked: Path | None, *, dry_run: bool
) -> Path | Journal:
    """The journal: --journal, else SOURCE.journal if there is one, else the tracker, else new."""
    from infoview.sending.journal import Journal  # noqa: PLC0415
    from infoview.tracker.store import APPLICATION_ID  # noqa: PLC0415

    if journal_file is not None:
        return journal_file
    if source is None:
        if tracked is None:  # pragma: no cover - --due has a tracker
            raise Failure("give the journal with --journal")
        return Journal(tracked, within=APPLICATION_ID)
    beside = source.with_name(source.name + ".journal")
    if tracked is not None and not dry_run and not beside.exists():
        # A journal already beside SOURCE stays in use: it knows what went out before.
        return Journal(tracked, within=APPLICATION_ID)
    return beside


def _record(
    report: Report,
    interviews: list[Interview] | None,
    interviews_file: Path | None,
    tracked: Path | None,
    journal: Path | Journal,
) -> None:
    """Mark what was sent: in the interviews file, and in the tracker."""
    from infoview.sending import mark_requested  # noqa: PLC0415

    if interviews is not None and interviews_file is not None:
        marked = mark_requested(interviews, report)
        if marked:
            _write_interviews(interviews, interviews_file)
            noun = "interview" if len(marked) == 1 else "interviews"
            click.echo(f"Marked {len(marked)} {noun} requested in {interviews_file}")
    if tracked is not None:
        if not isinstance(journal, Path):
            journal.close()  # let the tracker have its file back
        _record_sent(tracked, report)


def _tracker_file(db: Path | None) -> Path | None:
    """The tracker a send records in: --db, else $INFOVIEW_DB, else the per-user one."""
    from infoview.tracker import where  # noqa: PLC0415

    if db is not None:
        if not db.is_file():
            raise Failure(f"--db {db}: no tracker there; give the file infoview add wrote")
        return db
    found = where()
    return found if found.is_file() else None


def _record_sent(path: Path, report: Report) -> None:
    """Record in the tracker when the server accepted each message it knows."""
    from infoview.sending import Result  # noqa: PLC0415
    from infoview.tracker import Tracker  # noqa: PLC0415

    recorded = 0
    with Tracker(path) as tracker:
        for outcome in report.outcomes:
            accepted = outcome.accepted_at
            if accepted is not None and outcome.result in (Result.SENT, Result.SKIPPED):
                recorded += tracker.sent(outcome.message.message_id, accepted)
    if recorded:
        noun = "message" if recorded == 1 else "messages"
        click.echo(f"Recorded {recorded} sent {noun} in the tracker ({path})")


def _report_retries() -> None:
    """Say on stderr when a temporary failure is retried (instead of stamina's log line)."""
    from stamina.instrumentation import RetryDetails, set_on_retry_hooks  # noqa: PLC0415

    def hook(details: RetryDetails) -> None:
        click.echo(
            f"  retry {details.retry_num} in {details.wait_for:.1f} s: {details.caused_by}",
            err=True,
        )

    set_on_retry_hooks([hook])


def _echo(outcome: Outcome) -> None:
    click.echo(outcome.line())


def _lines(report: Report) -> None:
    for outcome in report.outcomes:
        click.echo(outcome.line())


def _write_interviews(interviews: list[Interview], path: Path) -> None:
    """Write the interviews back atomically: a temporary file beside it, then a rename."""
    from infoview.model.serialize import converter  # noqa: PLC0415

    text = json.dumps(converter.unstructure(interviews), ensure_ascii=False, indent=2) + "\n"
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
