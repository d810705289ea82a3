"""Commands over the tracker: add people, draft and record each step, and see what is due.

Every command opens the tracker file named by ``--db``, else ``INFOVIEW_DB``,
else the one in the per-user data folder (``infoview where``). Times without
a zone are read in your own zone (the sender's), and the output says so.
``INFOVIEW_NOW`` (an ISO time with an offset) sets the clock, for replaying a
journey or testing one.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from infoview.cli._app import DATA_PROBLEM, Failure, main, pairs

if TYPE_CHECKING:
    from infoview.mail.draft import Draft
    from infoview.model.contact import Contact
    from infoview.tracker import Tracker

__all__ = ["add", "today"]

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
_SPAN = re.compile(r"(\d{1,5})\s*([dhw])")
_UNITS = {"d": "days", "h": "hours", "w": "weeks"}

db_option = click.option(
    "--db",
    "db",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The tracker file [default: $INFOVIEW_DB, else the per-user one; see infoview where].",
)
out_option = click.option(
    "--out",
    "output",
    type=click.Path(path_type=Path),
    help="Write the drafts into this folder (.eml files) or, ending in .mbox, an mbox "
    "[default: print them].",
)


def clock() -> Callable[[], datetime] | None:
    """The clock ``INFOVIEW_NOW`` sets, if it does."""
    value = os.environ.get("INFOVIEW_NOW")
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise Failure(f"INFOVIEW_NOW={value!r} is not an ISO time with an offset")
    return lambda: moment


@contextmanager
def opened(db: Path | None, *, read_only: bool = False) -> Iterator[Tracker]:
    """Open the tracker the options name."""
    from infoview.tracker import Tracker  # noqa: PLC0415

    with Tracker(db, clock=clock(), read_only=read_only) as tracker:
        yield tracker


def _zone(tracker: Tracker, name: str | None) -> tuple[Any, str]:
    """The zone a time without one is read in, and how to say so."""
    if name:
        try:
            return ZoneInfo(name), name
        except (ZoneInfoNotFoundError, ValueError):
            raise Failure(
                f"--tz {name!r} is no IANA time zone; give e.g. America/New_York"
            ) from None
    sender = tracker.sender
    if sender is not None and sender.timezone:
        return sender.zone, f"{sender.timezone}, your zone"
    return tracker.now().tzinfo, "UTC"


def _time(tracker: Tracker, text: str, zone_name: str | None, flag: str) -> datetime:
    """Read a time given on the command line; one without a zone is in the sender's zone."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise Failure(
            f'{flag} {text!r} is not a time such as "2026-12-10 15:00" (or with an offset, '
            '"2026-12-10T15:00-06:00")'
        ) from None
    if moment.tzinfo is None:
        zone, said = _zone(tracker, zone_name)
        moment = moment.replace(tzinfo=zone)
        click.echo(f"(read {text.strip()} as {said}: {moment.isoformat(timespec='minutes')})")
    return moment


def _span(ctx: click.Context, param: click.Parameter, value: str) -> timedelta:
    text = value.strip().lower()
    if text == "0":
        return timedelta(0)
    found = _SPAN.fullmatch(text)
    if found is None:
        raise click.BadParameter(f"{value!r} is not a span such as 3d, 36h or 2w", ctx, param)
    span = timedelta(**{_UNITS[found[2]]: int(found[1])})
    if span > timedelta(days=3660):
        raise click.BadParameter(f"{value!r} is more than ten years ahead", ctx, param)
    return span


def _who(contact: Contact) -> str:
    return contact.email or contact.name


def write_drafts(drafts: list[Draft], output: Path | None) -> list[str | None]:
    """Write drafts to a folder or an mbox (or print them); return where each went."""
    from infoview import mail  # noqa: PLC0415

    if output is None:
        for draft in drafts:
            click.echo(f"To: {draft.recipient.email if draft.recipient else ''}")
            click.echo(f"Subject: {draft.subject}\n\n{draft.text}\n")
        return [None] * len(drafts)
    if output.suffix == ".mbox":
        mail.write_mbox((d.as_bytes() for d in drafts), output)
        return [str(output)] * len(drafts)
    output.mkdir(parents=True, exist_ok=True)
    return [str(draft.write_eml(output)) for draft in drafts]


# -- you and the file ------------------------------------------------------------------


@main.command(short_help="Print where the tracker file is.")
@db_option
def where(db: Path | None) -> None:
    """Print the tracker file the other commands use (--db, $INFOVIEW_DB, or the per-user one)."""
    from infoview.tracker import where as default  # noqa: PLC0415

    click.echo(str(db or default()))


@main.command(short_help="Say who you are: the sender of every draft.")
@click.option("--name", required=True, help="Your name as it signs the drafts.")
@click.option("--email", required=True, help="Your email address.")
@click.option("--headline", help='One line about you, e.g. "a nurse exploring product roles".')
@click.option("--school", help="Your school (alumni outreach names it).")
@click.option("--locale", help="Your language, e.g. en_US.")
@click.option("--timezone", "zone", help="Your time zone (IANA), e.g. America/Chicago.")
@click.option("--country", help="Your country (ISO 3166 code), e.g. US [default: your locale's].")
@click.option(
    "--my-holidays/--no-my-holidays",
    "my_holidays",
    default=None,
    help="Skip your own country's public holidays too when counting business days.",
)
@db_option
def me(**options: Any) -> None:
    """Store you as the sender of every draft in the tracker."""
    from infoview.model.contact import Contact  # noqa: PLC0415

    db = options.pop("db")
    my_holidays = options.pop("my_holidays")
    fields = {k: v for k, v in options.items() if v is not None}
    if "zone" in fields:
        fields["timezone"] = fields.pop("zone")
    with opened(db) as tracker:
        you = Contact(**fields)
        tracker.sender = you
        if my_holidays is not None:
            tracker.sender_holidays = my_holidays
    zone = you.timezone or "UTC (give --timezone to read times in yours)"
    click.echo(f"You are {you.name} <{you.email}>; times without a zone are read in {zone}.")
    if my_holidays:
        where = you.region[0] if you.region else "none (give --country)"
        click.echo(f"Your own public holidays count too: {where}.")


# -- people ----------------------------------------------------------------------------


@main.command(short_help="Add contacts from a file to the tracker.")
@click.argument(
    "form",
    metavar="linkedin|csv|vcard|json",
    type=click.Choice(["linkedin", "csv", "vcard", "json"]),
)
@click.argument("path", type=_FILE)
@click.option("--update", is_flag=True, help="Take new details of people already there.")
@click.option("--encoding", help="The file's encoding (default: UTF-8, else detected).")
@click.option(
    "--map",
    "mapping",
    multiple=True,
    metavar="COLUMN=FIELD",
    callback=pairs,
    help="CSV only: read COLUMN as contact FIELD (repeatable).",
)
@click.option("--source", help="CSV only: the source of rows without a Source cell.")
@db_option
def add(
    *,
    form: str,
    path: Path,
    update: bool,
    encoding: str | None,
    mapping: dict[str, str],
    source: str | None,
    db: Path | None,
) -> None:
    """Add the people in PATH; each already there is reported, never added twice.

    The same problems are reported as by infoview import, each with its line.
    """
    from infoview.cli._contacts import read_contacts  # noqa: PLC0415

    result = read_contacts(form, path, encoding, mapping, source)
    origins = {n: f"{form} {path.name}:{item.line}" for n, item in enumerate(result.records)}
    with opened(db) as tracker:
        report = tracker.add(result.contacts, origins=origins, update=update)
    for problem in result.problems:
        click.echo(str(problem), err=True)
    for contact in report.differs:
        click.echo(f"{contact.name}: already known, with other details (use --update)")
    parts = [f"{len(report.added)} added", f"{len(report.known)} already known"]
    if report.updated:
        parts.append(f"{len(report.updated)} updated")
    if result.rejected:
        rows = "row" if len(result.rejected) == 1 else "rows"
        parts.append(f"{len(result.rejected)} {rows} not taken (see above)")
    click.echo(", ".join(parts) + f" ({tracker.path})")
    if result.rejected:
        click.get_current_context().exit(DATA_PROBLEM)


def _table(rows: list[dict[str, str]]) -> str:
    if not rows:
        return "No one yet: add people with infoview add linkedin|csv|vcard|json FILE"
    columns = list(rows[0])
    widths = {c: min(40, max(len(c), *(len(r[c]) for r in rows))) for c in columns}
    line = "  ".join(c.ljust(widths[c]) for c in columns)
    out = [line.rstrip(), "  ".join("-" * widths[c] for c in columns)]
    for row in rows:
        cells = [
            (row[c][: widths[c] - 1] + "…") if len(row[c]) > widths[c] else row[c] for c in columns
        ]
        out.append(
            "  ".join(
                cell.ljust(widths[c]) for cell, c in zip(cells, columns, strict=True)
            ).rstrip()
        )
    return "\n".join(out)


@main.command("list", short_help="The pipeline: who, where from, status, next step.")
@click.option("--status", help="Only people whose interview has this status (or new).")
@click.option("--source", help="Only people with this source (alumni, social, …).")
@click.option("--tag", help="Only people with this tag.")
@click.option(
    "--format",
    "form",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
@db_option
def list_people(
    *, status: str | None, source: str | None, tag: str | None, form: str, db: Path | None
) -> None:
    """List everyone in the tracker, one line each."""
    with opened(db) as tracker:
        rows = tracker.pipeline()
        tags = {c.name: set(c.tags) for c in tracker.contacts()} if tag else {}
    chosen = [
        r
        for r in rows
        if (status is None or r.status == status)
        and (source is None or r.source == source)
        and (tag is None or tag in tags.get(r.name, set()))
    ]
    values = [r.values() for r in chosen]
    if form == "json":
        click.echo(json.dumps(values, ensure_ascii=False, indent=2))
    elif form == "csv":
        click.echo(_csv(values), nl=False)
    else:
        click.echo(_table(values))


@main.command(short_help="Everything about one person.")
@click.argument("who")
@db_option
def show(who: str, db: Path | None) -> None:
    """Show WHO: details, the timeline of every message and step, promises, the next follow-up.

    WHO is an email address, or any unique part of a name (accents and case ignored).
    """
    with opened(db) as tracker:
        click.echo(str(tracker.show(who)))


@main.command(short_help="Erase a person and everything about them.")
@click.argument("who")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@db_option
def forget(who: str, yes: bool, db: Path | None) -> None:
    """Erase WHO and every message, step and follow-up about them (the right to be forgotten)."""
    with opened(db) as tracker:
        contact = tracker.find(who)
        if not yes and not click.confirm(
            f"Erase {contact.name} and everything about them from {tracker.path}?", err=True
        ):
            raise Failure("nothing was erased")
        tracker.forget(contact)
    click.echo(f"Erased {contact.name}.")


@main.command(short_help="The whole pipeline as CSV or JSON.")
@click.option(
    "--format", "form", type=click.Choice(["csv", "json"]), default="json", show_default=True
)
@db_option
def export(form: str, db: Path | None) -> None:
    """Write the whole tracker: JSON with every interview, message and step; or CSV rows."""
    with opened(db) as tracker:
        if form == "json":
            click.echo(json.dumps(tracker.export(), ensure_ascii=False, indent=2))
            return
        rows = [r.values() for r in tracker.pipeline()]
    click.echo(_csv(rows), nl=False)


def _csv(rows: list[dict[str, str]]) -> str:
    """The pipeline's rows as CSV text, with a header row."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else ["name"])
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


# -- drafting --------------------------------------------------------------------------


@main.command(short_help="Draft outreach for people not yet written to.")
@click.argument("people", nargs=-1, metavar="[WHO]...")
@click.option("--new", is_flag=True, help="Everyone not written to yet.")
@click.option("--template", help="The template [default: by each contact's source].")
@click.option(
    "--set",
    "values",
    multiple=True,
    metavar="KEY=VALUE",
    callback=pairs,
    help="A template variable, e.g. --set reason=... (repeatable).",
)
@out_option
@click.option("--to-drafts", is_flag=True, help="Append them to your mailbox's Drafts folder.")
@db_option
def outreach(
    *,
    people: tuple[str, ...],
    new: bool,
    template: str | None,
    values: dict[str, str],
    output: Path | None,
    to_drafts: bool,
    db: Path | None,
) -> None:
    """Draft outreach for WHO (or, with --new, everyone not yet written to), and record it.

    Each draft is kept with its Message-ID; infoview send of the outbox then
    marks each interview requested when the server accepts its message.
    """
    if bool(people) == new:
        raise click.UsageError("name people (WHO...) or give --new, not both")
    with opened(db) as tracker:
        drafts = tracker.outreach(
            list(people) if people else None, template=template, values=values
        )
        unreachable = [c.name for c in tracker.not_written_to() if not c.email] if new else []
        if unreachable:
            click.echo(
                f"No email address for {len(unreachable)}: {', '.join(unreachable[:5])}"
                + (", …" if len(unreachable) > 5 else "")
                + " (add one with infoview add ... --update, or write to them on LinkedIn)",
                err=True,
            )
        if not drafts:
            click.echo("No one left to write to; nothing drafted.")
            return
        if to_drafts:  # infoview.cli._mailbox: appended to the Drafts folder over IMAP
            from infoview.cli._mailbox import to_drafts as save  # noqa: PLC0415

            places = save(tracker, drafts)
        else:
            places = write_drafts(drafts, output)
        for draft, place in zip(drafts, places, strict=True):
            tracker.record(draft, kind="outreach", written_to=place)
    noun = "draft" if len(drafts) == 1 else "drafts"
    click.echo(f"Drafted {len(drafts)} outreach {noun}" + (f" in {output}" if output else ""))


def _follow_up(tracker: Tracker, who: str, kind: str, output: Path | None) -> None:
    draft = tracker.follow_up(who, kind)
    (place,) = write_drafts([draft], output)
    tracker.record(draft, kind=kind, written_to=place)
    if output is not None:
        name = draft.recipient.name if draft.recipient else who
        click.echo(f"Drafted the {kind.replace('_', ' ')} for {name}: {place}")


@main.command(short_help="Draft the one polite nudge, on the outreach's thread.")
@click.argument("who")
@out_option
@db_option
def nudge(who: str, output: Path | None, db: Path | None) -> None:
    """Draft the nudge to WHO, threaded onto the recorded outreach."""
    with opened(db) as tracker:
        _follow_up(tracker, who, "nudge", output)


_KINDS = [
    "confirm",
    "reminder",
    "thank_you",
    "intro_request",
    "close_loop",
    "progress_update",
    "check_in",
    "intro_reply",
    "nudge",
]


@main.command("follow-up", short_help="Draft a follow-up that is due (today lists them).")
@click.argument("who")
@click.argument("kind", type=click.Choice(_KINDS))
@out_option
@db_option
def follow_up(who: str, kind: str, output: Path | None, db: Path | None) -> None:
    """Draft the follow-up KIND for WHO's interview, and record it (it is then done)."""
    with opened(db) as tracker:
        _follow_up(tracker, who, kind, output)


# -- steps -----------------------------------------------------------------------------


@main.command(short_help="Record that someone answered (no nudge follows).")
@click.argument("who")
@click.option("--at", "at_text", help='When [default: now], e.g. "2026-12-08 10:00".')
@click.option("--tz", "zone", help="The zone of --at [default: yours].")
@click.option("--note", help="What they said, in a few words.")
@db_option
def reply(
    *, who: str, at_text: str | None, zone: str | None, note: str | None, db: Path | None
) -> None:
    """Record that WHO replied."""
    with opened(db) as tracker:
        at = _time(tracker, at_text, zone, "--at") if at_text else None
        interview = tracker.reply(who, at=at, note=note)
    click.echo(f"Recorded the reply of {interview.contact.name}.")


@main.command(short_help="Record the agreed time; write the confirmation and the invite.")
@click.argument("who")
@click.option("--at", "at_text", required=True, help='The time agreed, e.g. "2026-12-10 15:00".')
@click.option("--tz", "zone", help="The zone of --at [default: yours].")
@click.option("--minutes", type=click.IntRange(10, 60), help="How long [default: 20].")
@click.option("--medium", type=click.Choice(["video", "phone", "in_person"]), help="How.")
@click.option("--where", "place", help="The video link, phone number or place.")
@out_option
@db_option
def schedule(
    *,
    who: str,
    at_text: str,
    zone: str | None,
    minutes: int | None,
    medium: str | None,
    place: str | None,
    output: Path | None,
    db: Path | None,
) -> None:
    """Record the time agreed with WHO, and draft the confirmation with its .ics invite."""
    from infoview.mail.calendar import calendar_invite, invite_draft  # noqa: PLC0415

    with opened(db) as tracker:
        at = _time(tracker, at_text, zone, "--at")
        interview = tracker.schedule(who, at, minutes=minutes, medium=medium, where=place)
        draft = invite_draft(tracker.follow_up(who, "confirm"), interview)  # invite inside
        (where_to,) = write_drafts([draft], output)
        tracker.record(draft, kind="confirm", written_to=where_to)
        ics = calendar_invite(interview)
        if output is not None:
            folder = output.parent if output.suffix == ".mbox" else output
            invite = folder / f"{draft.file_stem}.ics"
            invite.write_bytes(ics)
            click.echo(f"Wrote the confirmation and the invite: {where_to}, {invite}")
    click.echo(f"Scheduled {interview.contact.name} for {interview.scheduled_at}.")


@main.command(short_help="Record the conversation; write the thank-you.")
@click.argument("who")
@click.option(
    "--takeaway", required=True, help="One specific thing you learned (the thank-you cites it)."
)
@click.option("--action", help="What you will do with their advice.")
@click.option(
    "--introduce", multiple=True, metavar="NAME", help="Someone they offered to introduce you to."
)
@out_option
@db_option
def done(
    *,
    who: str,
    takeaway: str,
    action: str | None,
    introduce: tuple[str, ...],
    output: Path | None,
    db: Path | None,
) -> None:
    """Record that the conversation with WHO took place, and draft the thank-you."""
    with opened(db) as tracker:
        interview = tracker.complete(who, takeaway=takeaway, action=action, introduce=introduce)
        _follow_up(tracker, who, "thank_you", output)
    click.echo(f"Recorded the conversation with {interview.contact.name}.")


def _move(name: str, verb: str, help_text: str) -> None:
    @main.command(name, short_help=help_text)
    @click.argument("who")
    @click.option("--at", "at_text", help="When [default: now].")
    @click.option("--tz", "zone", help="The zone of --at [default: yours].")
    @db_option
    def command(who: str, at_text: str | None, zone: str | None, db: Path | None) -> None:
        with opened(db) as tracker:
            at = _time(tracker, at_text, zone, "--at") if at_text else None
            interview = getattr(tracker, verb)(who, at=at)
        click.echo(f"{interview.contact.name}: {interview.status.value}.")

    command.__doc__ = f"{help_text[:-1]} (WHO: an email address or part of a name)."


_move("decline", "decline", "Record that someone said no.")
_move("cancel", "cancel", "Record that an interview was called off.")
_move("no-response", "no_response", "Record that someone never answered.")


@main.command(short_help="Note a contact with someone (resets the keep-in-touch clock).")
@click.argument("who")
@click.option("--note", required=True, help="What happened, in a few words.")
@click.option("--at", "at_text", help="When [default: now].")
@click.option("--tz", "zone", help="The zone of --at [default: yours].")
@db_option
def log(who: str, note: str, at_text: str | None, zone: str | None, db: Path | None) -> None:
    """Note a contact with WHO outside the interview itself."""
    with opened(db) as tracker:
        at = _time(tracker, at_text, zone, "--at") if at_text else None
        interview = tracker.log(who, note, at=at)
    click.echo(f"Noted for {interview.contact.name}.")


@main.command(short_help="What to do now, overdue first, each with its command.")
@click.option(
    "--within",
    default="0",
    callback=_span,
    help="Also what is due this far ahead: 3d, 36h, 2w [default: only what is due now].",
)
@click.option("--now", "now_text", help="The time to look from (ISO) [default: now].")
@click.option(
    "--mail-me",
    is_flag=True,
    help="Also send the list to yourself (infoview me's address) over SMTP (--host ...).",
)
@click.option("--host", help="With --mail-me: the SMTP server, e.g. smtp.example.com.")
@click.option("--port", type=click.IntRange(1, 65535), help="Its port [default: by --security].")
@click.option(
    "--security",
    type=click.Choice(["starttls", "tls", "none"]),
    default="starttls",
    show_default=True,
    help="With --mail-me: STARTTLS when offered; TLS from the start; or none.",
)
@click.option("--user", help="With --mail-me: log in as this user.")
@click.option(
    "--password-env", metavar="NAME", help="With --mail-me: the variable holding the password."
)
@db_option
def today(
    *,
    within: timedelta,
    now_text: str | None,
    mail_me: bool,
    host: str | None,
    port: int | None,
    security: str,
    user: str | None,
    password_env: str | None,
    db: Path | None,
) -> None:
    """List what is due: nudges, thank-yous, reminders, close-the-loop notes, check-ins.

    With --mail-me the same list also goes to your own address, as a digest
    (run infoview today --mail-me --host ... from a morning cron job).
    """
    if mail_me and host is None:
        raise click.UsageError("--mail-me needs the SMTP server: give --host")
    with opened(db) as tracker:
        now = _time(tracker, now_text, None, "--now") if now_text else None
        listed = tracker.today(now=now, within=within)
        click.echo(str(listed))
        you = tracker.sender
        path = tracker.path
    if mail_me:
        from infoview.sending import SMTPSettings  # noqa: PLC0415

        smtp = SMTPSettings(
            host or "localhost",
            port,
            security,  # type: ignore[arg-type]  # click.Choice checked it
            user=user,
            password_env=password_env,
        )
        _mail_digest(listed, you, smtp, path)


def _mail_digest(listed: Any, you: Contact | None, smtp: Any, path: Path) -> None:
    """Send today's list to you, journalled in the tracker."""
    from infoview.mail.message import build_message  # noqa: PLC0415
    from infoview.sending import send  # noqa: PLC0415
    from infoview.sending.journal import Journal  # noqa: PLC0415
    from infoview.tracker.store import APPLICATION_ID  # noqa: PLC0415

    if you is None or not you.email:
        raise Failure('--mail-me needs your address: infoview me --name "..." --email ...')
    count = len(listed)
    things = "1 thing" if count == 1 else f"{count} things"
    message = build_message(
        subject=f"infoview: {things} to do today ({listed.now:%Y-%m-%d})",
        text=str(listed) + "\n",
        sender=you,
        to=[you],
        date=listed.now,
    )
    journal = Journal(path, within=APPLICATION_ID)
    try:
        report = send([message], smtp=smtp, journal=journal)
    finally:
        journal.close()
    if not report.ok:
        raise Failure(f"today's list was not sent: {report.summary()}")
    click.echo(f"Sent today's list to {you.email}.")


# -- tiers -----------------------------------------------------------------------------

_CADENCE = re.compile(r"(\d{1,4})\s*(d|w|mo|m)")


def _cadence(item: str, text: str) -> timedelta:
    """Read a cadence: 6w, 3m (months), 90d."""
    found = _CADENCE.fullmatch(text.strip().lower())
    if found is None or int(found[1]) == 0:
        raise Failure(f"{item!r}: {text!r} is not a span such as 6w, 3m (months) or 90d")
    count, unit = int(found[1]), found[2]
    days = {"d": count, "w": 7 * count}.get(unit, round(count * 365.25 / 12))
    return timedelta(days=days)


@main.command(short_help="Put someone in a tier: A, B, C or one you named.")
@click.argument("who")
@click.argument("tier")
@db_option
def tier(who: str, tier: str, db: Path | None) -> None:
    """Put WHO in TIER (A, B, C or a tier you named; "none" for none): check-ins follow its cadence.

    The cadences: A every 6 weeks, B every 3 months, C every 6 months, unless
    changed with infoview cadence.
    """
    with opened(db) as tracker:
        chosen = None if tier.strip().lower() == "none" else tier
        if chosen is not None:
            known = {name.casefold() for name in tracker.cadences}
            if chosen.strip().casefold() not in known:
                raise Failure(
                    f"tier {chosen!r} has no cadence (known: {', '.join(tracker.cadences)}); "
                    f"give it one first: infoview cadence {chosen}=8w"
                )
        contact = tracker.set_tier(who, chosen)
    said = f"tier {contact.tier}" if contact.tier else "no tier"
    click.echo(f"{contact.name}: {said}.")


@main.command(short_help="Show or change how often to check in with each tier.")
@click.argument("cadences", nargs=-1, metavar="[TIER=SPAN]...")
@db_option
def cadence(cadences: tuple[str, ...], db: Path | None) -> None:
    """Check in with TIER every SPAN: 6w, 3m (months), 90d; without arguments, show them.

    The cadences are kept in the tracker; every plan follows them at once.
    """
    from infoview.errors import ValidationError  # noqa: PLC0415

    with opened(db) as tracker:
        for item in cadences:
            name, sep, span = item.partition("=")
            if not sep or not name.strip():
                raise Failure(f"{item!r} is not TIER=SPAN, e.g. A=6w")
            try:
                tracker.set_cadence(name.strip(), _cadence(item, span))
            except ValidationError as error:
                raise Failure(f"{item!r}: {error.problem}; {error.hint}") from None
        shown = tracker.cadences
    for name, every in shown.items():
        click.echo(f"{name}: every {every.days} days")
