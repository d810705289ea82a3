"""Signing in with OAuth 2 (XOAUTH2): token providers for Microsoft and Google, tokens kept safe.

A :class:`TokenProvider` hands out a valid access token for one login,
refreshing it when it has expired; SMTP (:class:`~infoview.SMTPSettings`'s
``token``) and IMAP (``token=`` of the mailbox functions) sign in with it
over XOAUTH2 (:func:`xoauth2`). Two providers come with infoview, each
behind an optional extra:

- :class:`Microsoft` (``pip install "infoview[microsoft]"``, msal): the
  device-code flow, for Microsoft 365 and Outlook.com;
- :class:`Google` (``pip install "infoview[google]"``, google-auth-oauthlib):
  the installed-app flow, for Gmail and Google Workspace.

``sign_in()`` runs the flow once (``infoview login --provider ...``); after
that ``token()`` refreshes silently. What a provider keeps (its refresh
token) goes to the system keyring, or, where there is none, to a file only
its owner may read (0600, in a 0700 folder). A token never appears in an
error's text, a log line or the tracker.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import attrs

from infoview.errors import SignInError

__all__ = [
    "SERVICE",
    "Google",
    "Microsoft",
    "TokenProvider",
    "TokenStore",
    "provider",
    "xoauth2",
]

#: The keyring's service name for what OAuth providers keep.
SERVICE = "infoview-oauth"


@runtime_checkable
class TokenProvider(Protocol):
    """Whatever hands out OAuth 2 access tokens for one login."""

    @property
    def user(self) -> str:
        """The login (your address) the tokens are for."""
        ...

    def token(self, *, fresh: bool = False) -> str:
        """Return a valid access token; with ``fresh``, a new one even if the last is valid.

        Raises:
            SignInError: No token can be had (not signed in, refused); the
                text says what to do and holds no secret.
        """
        ...


def xoauth2(user: str, token: str) -> str:
    """Return the XOAUTH2 initial response (before base64): ``user=…^Aauth=Bearer …^A^A``."""
    if any(c in user for c in "\x01\r\n"):
        raise SignInError(user.replace("\x01", " "), "the login holds a control character")
    return f"user={user}\x01auth=Bearer {token}\x01\x01"


def xoauth2_base64(user: str, token: str) -> str:
    """Return :func:`xoauth2`'s string in base64, as IMAP's AUTHENTICATE sends it."""
    return base64.b64encode(xoauth2(user, token).encode()).decode("ascii")


def _default_folder() -> Path:
    import platformdirs  # noqa: PLC0415 - only where no keyring exists

    return Path(platformdirs.user_config_dir("infoview", appauthor=False)) / "tokens"


@attrs.define
class TokenStore:
    """Where a provider keeps what lets it refresh: the keyring, else an owner-only file.

    Args:
        folder: The folder for token files where the system has no keyring
            (default: infoview's per-user configuration folder).
    """

    folder: Path | None = None

    def _file(self, key: str) -> Path:
        name = hashlib.sha256(key.encode()).hexdigest()[:32] + ".json"
        return (self.folder or _default_folder()) / name

    def load(self, key: str) -> str | None:
        """Return what is kept under ``key``, or ``None``."""
        import keyring  # noqa: PLC0415 - only when signing in
        from keyring.errors import KeyringError, NoKeyringError  # noqa: PLC0415

        try:
            return keyring.get_password(SERVICE, key) or None
        except NoKeyringError:
            pass
        except KeyringError as error:
            raise SignInError(
                key, f"the system keyring cannot be used ({type(error).__name__})"
            ) from None
        path = self._file(key)
        try:
            return path.read_text(encoding="utf-8") or None
        except FileNotFoundError:
            return None
        except OSError as error:
            raise SignInError(
                key, f"the token file {path} cannot be read ({error.strerror})"
            ) from None

    def save(self, key: str, text: str) -> None:
        """Keep ``text`` under ``key``: in the keyring, else in a file only you can read."""
        import keyring  # noqa: PLC0415 - only when signing in
        from keyring.errors import KeyringError, NoKeyringError  # noqa: PLC0415

        try:
            keyring.set_password(SERVICE, key, text)
        except NoKeyringError:
            pass
        except KeyringError as error:
            raise SignInError(
                key, f"the system keyring cannot be used ({type(error).__name__})"
            ) from None
        else:
            return
        path = self._file(key)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.parent.chmod(0o700)
        fresh = path.with_suffix(".tmp")
        fresh.unlink(missing_ok=True)
        descriptor = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
        fresh.replace(path)

    def forget(self, key: str) -> None:
        """Remove what is kept under ``key``, wherever it is."""
        import keyring  # noqa: PLC0415 - only when signing out
        from keyring.errors import KeyringError  # noqa: PLC0415

        with contextlib.suppress(KeyringError):
            keyring.delete_password(SERVICE, key)
        self._file(key).unlink(missing_ok=True)


def _extra(module: str, extra: str, user: str) -> Any:
    """Import an optional dependency, or say which extra installs it."""
    import importlib  # noqa: PLC0415

    try:
        return importlib.import_module(module)
    except ImportError:
        raise SignInError(
            user,
            f"signing in with {extra.title()} needs the {extra!r} extra: "
            f'pip install "infoview[{extra}]"',
        ) from None


def _refused(user: str, who: str, result: dict[str, Any], again: str) -> SignInError:
    code = str(result.get("error") or "no token")
    return SignInError(user, f"{who} gave no token ({code}); sign in again: {again}")


@attrs.define
class Microsoft:
    """Microsoft 365 and Outlook.com over msal: the device-code flow, then silent refreshes.

    Args:
        user: Your address.
        client_id: The application (client) ID of the app you registered
            once in Microsoft Entra (docs/mailbox.md says how).
        tenant: ``"common"``, ``"organizations"``, ``"consumers"`` or your
            directory's ID.
        show: Shows the sign-in instructions (the code and where to enter it).
        store: Where the token cache is kept.
    """

    #: What infoview asks for, sending (SMTP) and reading (IMAP) mail.
    SCOPES = (
        "https://outlook.office.com/SMTP.Send",
        "https://outlook.office.com/IMAP.AccessAsUser.All",
    )

    user: str
    client_id: str
    tenant: str = "common"
    show: Callable[[str], None] = attrs.field(default=print, repr=False)
    store: TokenStore = attrs.field(factory=TokenStore, repr=False)

    @property
    def key(self) -> str:
        """The name it is kept under."""
        return f"microsoft:{self.client_id}:{self.user}"

    def _app(self) -> tuple[Any, Any]:
        msal = _extra("msal", "microsoft", self.user)
        cache = msal.SerializableTokenCache()
        kept = self.store.load(self.key)
        if kept:
            cache.deserialize(kept)
        app = msal.PublicClientApplication(
            self.client_id,
            authority=f"https://login.microsoftonline.com/{self.tenant}",
            token_cache=cache,
        )
        return app, cache

    def _keep(self, cache: Any) -> None:
        if cache.has_state_changed:
            self.store.save(self.key, cache.serialize())

    def sign_in(self) -> None:
        """Run the device-code flow once: show where to enter the code, wait, keep the tokens."""
        app, cache = self._app()
        flow = app.initiate_device_flow(scopes=list(self.SCOPES))
        if "user_code" not in flow:
            raise _refused(self.user, "Microsoft", flow, "check the client ID and tenant")
        self.show(str(flow["message"]))
        result = app.acquire_token_by_device_flow(flow)
        if "access_token" not in result:
            raise _refused(self.user, "Microsoft", result, self._again)
        self._keep(cache)

    @property
    def _again(self) -> str:
        return (
            f"infoview login --provider microsoft --user {self.user} --client-id {self.client_id}"
        )

    def token(self, *, fresh: bool = False) -> str:
        """Return an access token, refreshed by msal when needed (never asks you)."""
        if not self.store.load(self.key):
            raise SignInError(self.user, f"not signed in to Microsoft yet: {self._again}")
        app, cache = self._app()
        accounts = app.get_accounts(username=self.user)
        if not accounts:
            raise SignInError(self.user, f"not signed in to Microsoft yet: {self._again}")
        result = app.acquire_token_silent(
            list(self.SCOPES), account=accounts[0], force_refresh=fresh
        )
        if not result or "access_token" not in result:
            raise _refused(self.user, "Microsoft", result or {}, self._again)
        self._keep(cache)
        return str(result["access_token"])


@attrs.define
class Google:
    """Gmail and Google Workspace over google-auth-oauthlib: the installed-app flow.

    Args:
        user: Your address.
        client_secrets: The OAuth client file (``client_secret_….json``,
            type "Desktop app") you downloaded once from Google Cloud.
        store: Where the credentials are kept.
    """

    #: The one scope Gmail has for IMAP and SMTP.
    SCOPES = ("https://mail.google.com/",)

    user: str
    client_secrets: str
    store: TokenStore = attrs.field(factory=TokenStore, repr=False)

    @property
    def key(self) -> str:
        """The name it is kept under."""
        return f"google:{self.user}"

    @property
    def _again(self) -> str:
        return (
            f"infoview login --provider google --user {self.user} "
            f"--client-secrets {self.client_secrets}"
        )

    def sign_in(self) -> None:
        """Run the installed-app flow once (a browser opens), and keep the credentials."""
        flow_module = _extra("google_auth_oauthlib.flow", "google", self.user)
        try:
            flow = flow_module.InstalledAppFlow.from_client_secrets_file(
                self.client_secrets, scopes=list(self.SCOPES)
            )
        except (OSError, ValueError) as error:
            raise SignInError(
                self.user,
                f"the client file {self.client_secrets} cannot be read ({type(error).__name__}); "
                "download it from Google Cloud (an OAuth client of type Desktop app)",
            ) from None
        credentials = flow.run_local_server(port=0, login_hint=self.user)
        self.store.save(self.key, credentials.to_json())

    def token(self, *, fresh: bool = False) -> str:
        """Return an access token, refreshed when it has expired (never asks you)."""
        kept = self.store.load(self.key)
        if not kept:
            raise SignInError(self.user, f"not signed in to Google yet: {self._again}")
        _extra("google_auth_oauthlib", "google", self.user)
        from google.auth.exceptions import GoogleAuthError  # noqa: PLC0415
        from google.auth.transport.requests import Request  # noqa: PLC0415
        from google.oauth2.credentials import Credentials  # noqa: PLC0415

        try:
            credentials = Credentials.from_authorized_user_info(json.loads(kept), list(self.SCOPES))
            if fresh or not credentials.valid:
                credentials.refresh(Request())
                self.store.save(self.key, credentials.to_json())
        except (GoogleAuthError, ValueError, KeyError) as error:
            raise SignInError(
                self.user, f"Google gave no token ({type(error).__name__}); {self._again}"
            ) from None
        return str(credentials.token)


def provider(kind: str, user: str, client: str, *, tenant: str = "common") -> TokenProvider:
    """Return the provider ``kind`` (``"microsoft"`` or ``"google"``) for ``user``.

    ``client`` is Microsoft's client ID, or the path of Google's client file.
    """
    if kind == "microsoft":
        return Microsoft(user=user, client_id=client, tenant=tenant)
    if kind == "google":
        return Google(user=user, client_secrets=client)
    raise SignInError(user, f"no sign-in provider {kind!r}; give 'microsoft' or 'google'")
