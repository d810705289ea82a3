"""Commands over your own mailbox: drafts into its Drafts folder, and sync of replies.

``infoview mailbox`` keeps where your IMAP mailbox is in the tracker file
(never a password: the name of the variable holding it, or nothing, and
then you are asked); ``infoview sync`` reads what arrived since the last
sync and records the replies; ``infoview outreach ... --to-drafts`` appends
the drafts to the Drafts folder (:func:`to_drafts`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from infoview.cli._app import Failure, main
from infoview.cli._tracker import db_option, opened

if TYPE_CHECKING:
    from infoview.mail.draft import Draft
    from infoview.mailbox import MailboxSettings
    from infoview.tracker import Tracker

__all__ = ["mailbox", "sync", "to_drafts"]


def _settings(tracker: Tracker) -> MailboxSettings:
    from infoview.mailbox.settings import remembered  # noqa: PLC0415

    settings = remembered(tracker)
    if settings is None:
        raise Failure(
            "no mailbox is set up in this tracker; say where it is once: infoview mailbox "
            "--host imap.example.com --user you@example.org --password-env IMAP_PASSWORD"
        )
    return settings


def _password(settings: MailboxSettings) -> str | None:
    """Ask for the password when no variable is named (the variable's is read later)."""
    if settings.password_env:
        return None
    return str(click.prompt(f"Password for {settings.user} at {settings.host}", hide_input=True))


def to_drafts(tracker: Tracker, drafts: list[Draft], folder: str | None = None) -> list[str | None]:
    """Append drafts to the Drafts folder of the mailbox kept in the tracker; return where each is.

    Used by ``infoview outreach --to-drafts``; each line says whether the
    draft was saved now or was there already.
    """
    from infoview.errors import MailboxError  # noqa: PLC0415
    from infoview.mailbox import save_drafts  # noqa: PLC0415

    settings = _settings(tracker)
    try:
        saved = save_drafts(drafts, settings, folder=folder, password=_password(settings))
    except MailboxError as error:
        raise Failure(str(error)) from error
    for item in saved:
        click.echo(item.line())
    return [f"imap://{settings.account}/{item.folder}" for item in saved]


@main.command(short_help="Say where your IMAP mailbox is (kept in the tracker).")
@click.option("--host", help="The IMAP server, e.g. imap.example.com.")
@click.option("--port", type=click.IntRange(1, 65535), help="Its port [default: 993, or 143].")
@click.option(
    "--security",
    type=click.Choice(["tls", "starttls"]),
    default="tls",
    show_default=True,
    help="TLS from the first byte, or STARTTLS; the certificate is always checked.",
)
@click.option("--user", help="Your login, usually your address [default: your email].")
@click.option(
    "--password-env",
    metavar="NAME",
    help="The environment variable holding the password [default: ask each time].",
)
@click.option(
    "--cafile",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Trust the CA certificates in this PEM file as well (your company's own CA).",
)
@click.option(
    "--folder", "drafts", help="The Drafts folder, where the server marks none [default: found]."
)
@db_option
def mailbox(
    *,
    host: str | None,
    port: int | None,
    security: str,
    user: str | None,
    password_env: str | None,
    cafile: Path | None,
    drafts: str | None,
    db: Path | None,
) -> None:
    """Keep where your mailbox is, for sync and outreach --to-drafts; without --host, show it.

    The password is never kept: name the variable holding it
    (--password-env), or you are asked for it each time.
    """
    from infoview.mailbox.settings import MailboxSettings, remember, remembered  # noqa: PLC0415

    with opened(db) as tracker:
        if host is None:
            settings = remembered(tracker)
            if settings is None:
                raise Failure("no mailbox is set up yet: give --host (and --user)")
        else:
            sender = tracker.sender
            login = user or (sender.email if sender is not None else None)
            if login is None:
                raise Failure("give --user (or say who you are first: infoview me)")
            settings = MailboxSettings(
                host=host,
                port=port,
                security="starttls" if security == "starttls" else "tls",
                user=login,
                password_env=password_env,
                cafile=str(cafile.resolve()) if cafile else None,
                drafts=drafts,
            )
            remember(tracker, settings)
    password = f"from ${settings.password_env}" if settings.password_env else "asked each time"
    click.echo(
        f"Mailbox: {settings.user} at {settings.host}:{settings.effective_port} "
        f"({settings.security}), password {password}"
        + (f", CA file {settings.cafile}" if settings.cafile else "")
        + (f", drafts in {settings.drafts}" if settings.drafts else "")
    )


@main.command(short_help="Notice replies: read what arrived since the last sync.")
@click.option(
    "--folder",
    "folders",
    multiple=True,
    help="A folder to read (repeatable) [default: INBOX].",
)
@db_option
def sync(folders: tuple[str, ...], db: Path | None) -> None:
    """Read the mail that arrived since the last sync and record each reply to your outreach.

    A reply (on the thread of a message you sent a person, or from their
    address after it) is recorded, and their nudge drops out of infoview
    today. Automatic answers (out of office) are noted and the nudge stays.
    Only the new messages' headers are read.
    """
    from infoview.errors import MailboxError  # noqa: PLC0415
    from infoview.mailbox import sync as read  # noqa: PLC0415

    with opened(db) as tracker:
        settings = _settings(tracker)
        try:
            report = read(
                tracker, settings, folders=folders or ("INBOX",), password=_password(settings)
            )
        except MailboxError as error:
            raise Failure(str(error)) from error
    for folder in report.restarted:
        click.echo(f"{folder}: the server renumbered it (UIDVALIDITY); read again from the start")
    for item in report.noticed:
        click.echo(item.line())
    click.echo(report.summary())
