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
    from infoview.sending import Report
    from infoview.tracker import Tracker

__all__ = ["login", "mailbox", "sync", "to_drafts", "to_sent"]


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
    """The password: the variable's, else the keyring's, else asked; ``None`` with OAuth."""
    from infoview.sending.signin import find_password  # noqa: PLC0415

    if settings.signin != "password":
        return None

    def ask() -> str:
        where = f"{settings.user} at {settings.host}"
        return str(click.prompt(f"Password for {where}", hide_input=True))

    if settings.password_env:
        return None  # read (variable, else keyring) when connecting, with its own error
    return find_password(settings.user or "", None, ask)


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


def to_sent(tracked: Path | None, report: Report) -> None:
    """File a copy of each message the run sent in the Sent folder (``send --save-sent``)."""
    from infoview.errors import MailboxError  # noqa: PLC0415
    from infoview.mailbox import save_sent  # noqa: PLC0415
    from infoview.tracker import Tracker  # noqa: PLC0415

    if tracked is None:
        raise Failure(
            "--save-sent needs the tracker where your mailbox is set up: give --db "
            "(and set the mailbox up once: infoview mailbox --host ...)"
        )
    with Tracker(tracked) as tracker:
        settings = _settings(tracker)
    try:
        filed = save_sent(report, settings, password=_password(settings))
    except MailboxError as error:
        raise Failure(f"sent, but not copied to the Sent folder: {error}") from error
    for item in filed:
        click.echo(item.line())


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
@click.option(
    "--signin",
    type=click.Choice(["password", "microsoft", "google"]),
    default="password",
    show_default=True,
    help="Sign in with a password, or with OAuth 2 at Microsoft or Google (see infoview login).",
)
@click.option(
    "--client",
    metavar="ID|FILE",
    help="For OAuth: Microsoft's application (client) ID, or Google's client file.",
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
    signin: str,
    client: str | None,
    db: Path | None,
) -> None:
    """Keep where your mailbox is, for sync and outreach --to-drafts; without --host, show it.

    The password is never kept here: name the variable holding it
    (--password-env), store it once in the system keyring (infoview login),
    or you are asked for it each time. With --signin microsoft or google,
    sign in once with infoview login --provider.
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
                signin=signin,  # type: ignore[arg-type]  # click.Choice checked it
                client=client,
            )
            remember(tracker, settings)
    password = (
        f"OAuth 2 with {settings.signin}"
        if settings.signin != "password"
        else f"from ${settings.password_env}"
        if settings.password_env
        else "from the keyring, else asked"
    )
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


@main.command(short_help="Sign in once: a password into the system keyring, or OAuth 2.")
@click.option("--user", help="Your login [default: the mailbox's, else your email].")
@click.option(
    "--provider",
    type=click.Choice(["password", "microsoft", "google"]),
    default="password",
    show_default=True,
    help="Keep a password, or sign in at Microsoft (device code) or Google (browser).",
)
@click.option("--client-id", help="Microsoft: the application (client) ID you registered.")
@click.option(
    "--client-secrets",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Google: the OAuth client file (Desktop app) you downloaded.",
)
@click.option("--tenant", default="common", show_default=True, help="Microsoft: the tenant.")
@click.option("--forget", is_flag=True, help="Remove what is kept for the user instead.")
@db_option
def login(
    *,
    user: str | None,
    provider: str,
    client_id: str | None,
    client_secrets: Path | None,
    tenant: str,
    forget: bool,
    db: Path | None,
) -> None:
    """Keep your password in the system keyring (asked once), or sign in with OAuth 2.

    SMTP (infoview send) and IMAP (infoview sync, outreach --to-drafts) look
    the password up there when no --password-env variable is set. infoview
    never writes a password or a token anywhere else; where the system has
    no keyring, OAuth tokens go to a file only you can read.
    """
    from infoview.sending import oauth, signin  # noqa: PLC0415

    if user is None:
        from infoview.mailbox.settings import remembered  # noqa: PLC0415

        with opened(db) as tracker:
            settings = remembered(tracker)
            sender = tracker.sender
        user = (settings.user if settings else None) or (sender.email if sender else None)
        if user is None:
            raise Failure("give --user: the login to sign in as")
    if provider == "password":
        if forget:
            gone = signin.forget_password(user)
            click.echo(f"Password for {user} removed from the keyring" if gone else "none kept")
            return
        secret = str(click.prompt(f"Password for {user}", hide_input=True))
        signin.store_password(user, secret)
        click.echo(f"Password for {user} kept in the system keyring")
        return
    if provider == "microsoft":
        if not client_id:
            raise Failure("give --client-id: the application ID of the app you registered")
        chosen: oauth.Microsoft | oauth.Google = oauth.Microsoft(
            user=user, client_id=client_id, tenant=tenant, show=click.echo
        )
    else:
        if client_secrets is None:
            raise Failure("give --client-secrets: the OAuth client file from Google Cloud")
        chosen = oauth.Google(user=user, client_secrets=str(client_secrets))
    if forget:
        chosen.store.forget(chosen.key)
        click.echo(f"Sign-in for {user} at {provider} forgotten")
        return
    chosen.sign_in()
    click.echo(f"Signed in as {user} at {provider}; tokens are refreshed from now on")
