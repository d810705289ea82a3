"""Where your mailbox is and how to sign in: the IMAP settings and one checked connection.

The shape is :class:`~infoview.SMTPSettings`'s — host, port, security, user,
the variable holding the password, timeout — so a provider reads the same in
both; :meth:`MailboxSettings.like` takes the login from SMTP settings. The
certificate is always checked: ``cafile`` adds a CA to the system's, and
nothing switches checking off. A password is only ever sent over TLS.
"""

from __future__ import annotations

import contextlib
import json
import socket
import ssl
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Literal

import attrs

from infoview.errors import InfoviewError, MailboxError, SignInError, ValidationError
from infoview.sending.oauth import TokenProvider, provider
from infoview.sending.signin import find_password
from infoview.tracker.store import Store

if TYPE_CHECKING:
    from imapclient import IMAPClient

    from infoview.sending.delivery import SMTPSettings
    from infoview.tracker.tracker import Tracker

__all__ = [
    "MailboxSettings",
    "Security",
    "connect",
    "remember",
    "remembered",
    "special_folder",
]

Security = Literal["tls", "starttls"]
SignIn = Literal["password", "microsoft", "google"]
_SIGNIN = ("password", "microsoft", "google")
_PORTS: dict[str, int] = {"tls": 993, "starttls": 143}


def _port(instance: MailboxSettings, attribute: attrs.Attribute[int | None], value: object) -> None:
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 65535
    ):
        raise ValidationError(
            "MailboxSettings", "port", value, "is not a port", "give a number from 1 to 65535"
        )


def _security(instance: MailboxSettings, attribute: attrs.Attribute[str], value: object) -> None:
    if value not in _PORTS:
        raise ValidationError(
            "MailboxSettings",
            "security",
            value,
            "is not one infoview knows",
            "give 'tls' (port 993, TLS from the first byte) or 'starttls' (port 143, "
            "upgraded at once)",
        )


@attrs.frozen
class MailboxSettings:
    """Where your IMAP mailbox is, and how to sign in. The password is never kept here.

    Args:
        host: The IMAP server, e.g. ``"imap.example.com"``.
        port: Its port; by default 993 for ``"tls"``, 143 for ``"starttls"``.
        security: ``"tls"`` (the default: TLS from the first byte) or
            ``"starttls"`` (a plain connection upgraded before anything else;
            a server that does not offer it is refused).
        user: The login, usually your address.
        password_env: The environment variable holding the password.
        cafile: A PEM file of CA certificates to trust as well as the system's
            (your company's own CA); the certificate is always checked.
        timeout: Seconds to wait for the server at each step.
        drafts: The folder drafts go to, where the server marks none as
            Drafts and none has a usual name.
        signin: ``"password"`` (the default), or sign in with OAuth 2
            (XOAUTH2) through ``"microsoft"`` or ``"google"``
            (:class:`~infoview.sending.oauth.TokenProvider`; ``infoview login``
            signs in once).
        client: For OAuth: Microsoft's application (client) ID, or the path
            of Google's client file.
    """

    host: str = attrs.field(validator=attrs.validators.min_len(1))
    port: int | None = attrs.field(default=None, validator=_port)
    security: Security = attrs.field(default="tls", validator=_security)
    user: str | None = None
    password_env: str | None = None
    cafile: str | None = None
    timeout: float = 30.0
    drafts: str | None = None
    signin: SignIn = attrs.field(default="password", validator=attrs.validators.in_(_SIGNIN))
    client: str | None = None

    @classmethod
    def like(cls, smtp: SMTPSettings, host: str, *, port: int | None = None) -> MailboxSettings:
        """Return IMAP settings with the same login as ``smtp``, on the IMAP ``host``.

        SMTP's ``"tls"`` stays TLS; ``"starttls"`` and ``"none"`` become TLS on
        993, which every provider offers for IMAP.
        """
        return cls(
            host=host,
            port=port,
            security="tls",
            user=smtp.user,
            password_env=smtp.password_env,
            timeout=smtp.timeout,
        )

    @property
    def effective_port(self) -> int:
        """The port used, ``port`` or else the usual one for ``security``."""
        return self.port or _PORTS[self.security]

    @property
    def account(self) -> str:
        """The mailbox's name in the tracker, ``user@host:port``."""
        return f"{self.user or ''}@{self.host}:{self.effective_port}"

    def context(self) -> ssl.SSLContext:
        """Return the TLS settings: the system's CAs (and ``cafile``), host name checked."""
        context = ssl.create_default_context()
        if self.cafile:
            try:
                context.load_verify_locations(cafile=self.cafile)
            except (OSError, ssl.SSLError) as error:
                raise MailboxError(
                    self.host,
                    f"cafile {self.cafile} cannot be read as PEM certificates ({error}); "
                    "give the CA's certificate file",
                ) from None
        return context

    def provider(self) -> TokenProvider | None:
        """Return the OAuth token provider ``signin`` names, or ``None`` for a password."""
        if self.signin == "password":
            return None
        if not self.client:
            raise MailboxError(
                self.host,
                f"signing in with {self.signin} needs the client (--client-id, or "
                "--client-secrets for Google); see docs/mailbox.md",
            )
        try:
            return provider(self.signin, self.user or "", self.client)
        except SignInError as error:
            raise MailboxError(self.host, str(error)) from None

    def password(self) -> str:
        """Read the password: ``password_env``, else the system keyring.

        Raises:
            MailboxError: Neither the variable nor the keyring has it (see
                :func:`~infoview.sending.signin.find_password`).
        """
        try:
            return find_password(self.user or "", self.password_env)
        except SignInError as error:
            raise MailboxError(self.host, str(error)) from None


def remember(tracker: Tracker, settings: MailboxSettings) -> None:
    """Keep the settings in the tracker's file (never a password: only its variable's name)."""
    data = json.dumps(attrs.asdict(settings), sort_keys=True)
    with contextlib.closing(Store(tracker.path)) as store, store.write() as db:
        db.execute(
            "INSERT INTO settings (key, value) VALUES ('mailbox', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (data,),
        )


def remembered(tracker: Tracker) -> MailboxSettings | None:
    """Return the settings kept in the tracker's file, or ``None``."""
    with contextlib.closing(Store(tracker.path)) as store:
        stored = store.setting("mailbox")
    if stored is None:
        return None
    data = json.loads(stored)
    fields = {f.name for f in attrs.fields(MailboxSettings)}
    return MailboxSettings(**{k: v for k, v in data.items() if k in fields})


@contextlib.contextmanager
def connect(
    settings: MailboxSettings,
    *,
    password: str | None = None,
    token: TokenProvider | None = None,
) -> Iterator[IMAPClient]:
    """Open the mailbox: TLS checked, signed in; logged out at the end.

    Args:
        settings: Where and who.
        password: The password; by default ``settings.password_env``'s, else
            the keyring's.
        token: Sign in over XOAUTH2 with this provider's token (by default
            the provider ``settings.signin`` names, if not ``"password"``).

    Raises:
        MailboxError: The server cannot be reached, TLS or the login failed,
            or the server does not offer STARTTLS.
    """
    from imapclient import IMAPClient  # noqa: PLC0415 - only when a mailbox is used
    from imapclient.exceptions import IMAPClientError, LoginError  # noqa: PLC0415

    if settings.user is None:
        raise MailboxError(settings.host, "no user: give the login (--user), usually your address")
    token = token if token is not None else settings.provider()
    secret = password if password is not None or token is not None else settings.password()
    context = settings.context()
    where = f"{settings.host}:{settings.effective_port}"
    try:
        client = IMAPClient(
            settings.host,
            port=settings.effective_port,
            ssl=settings.security == "tls",
            ssl_context=context,
            timeout=settings.timeout,
        )
    except ssl.SSLError as error:
        raise MailboxError(
            settings.host,
            f"TLS failed ({error.reason or error}); check the host name and port, "
            "or that the server's certificate is trusted (--cafile)",
        ) from None
    except (OSError, IMAPClientError) as error:
        raise MailboxError(settings.host, f"cannot reach {where}: {error}") from None
    try:
        if settings.security == "starttls":
            if not client.has_capability("STARTTLS"):
                raise MailboxError(
                    settings.host,
                    "does not offer STARTTLS, and the password is never sent in clear; "
                    "use security 'tls' (port 993)",
                )
            try:
                client.starttls(context)
            except ssl.SSLError as error:
                raise MailboxError(
                    settings.host,
                    f"TLS failed ({error.reason or error}); check the host name, "
                    "or that the server's certificate is trusted (--cafile)",
                ) from None
        try:
            if token is not None:
                _oauth2(client, settings, token)
            else:
                client.login(settings.user, secret)
        except LoginError:
            raise MailboxError(
                settings.host,
                f"login refused for {settings.user}; check the user and password "
                "(many providers want an app password)",
            ) from None
        yield client
    except InfoviewError:
        raise
    except (OSError, IMAPClientError) as error:
        raise MailboxError(
            settings.host, f"the connection failed ({type(error).__name__}: {error})"
        ) from None
    finally:
        with contextlib.suppress(OSError, IMAPClientError, socket.error, ValueError):
            client.logout()
        with contextlib.suppress(OSError, ValueError):
            client.shutdown()


def _oauth2(client: IMAPClient, settings: MailboxSettings, token: TokenProvider) -> None:
    """Sign in over XOAUTH2; a refused token is refreshed and tried once more."""
    from imapclient.exceptions import LoginError  # noqa: PLC0415

    user = settings.user or token.user
    for fresh in (False, True):
        try:
            secret = token.token(fresh=fresh)
        except SignInError as error:
            raise MailboxError(settings.host, str(error)) from None
        try:
            client.oauth2_login(user, secret)
        except LoginError:
            if fresh:
                raise MailboxError(
                    settings.host,
                    f"the OAuth token for {user} was refused; sign in again "
                    f"(infoview login --provider {settings.signin})",
                ) from None
        else:
            return


def special_folder(
    client: IMAPClient, use: str, usual: Sequence[str], host: str, option: str
) -> str:
    """Return the folder marked with the special use ``use`` (RFC 6154), else a usual name.

    Args:
        client: A logged-in connection.
        use: ``"Drafts"`` or ``"Sent"``.
        usual: The names to look for when no folder is marked, first found wins
            (compared without case).
        host: The server, for the error.
        option: The command-line option that names the folder, for the error.

    Raises:
        MailboxError: The server marks none, and none of ``usual`` exists.
    """
    folders = client.list_folders()
    wanted = b"\\" + use.casefold().encode()
    for flags, _, name in folders:
        if wanted in {bytes(f).lower() for f in flags}:
            return str(name)
    names = {str(name).casefold(): str(name) for _, _, name in folders}
    for each in usual:
        if each.casefold() in names:
            return names[each.casefold()]
    raise MailboxError(
        host,
        f"has no folder marked as {use} and none named {', '.join(usual)}; "
        f"name the folder ({option})",
    )
