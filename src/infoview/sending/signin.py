"""Signing in with a password: from an environment variable, else the system keyring, else asked.

A password is stored once, in the system's keyring (``infoview login``, or
:func:`store_password`), under the service ``infoview`` and your login; SMTP
and IMAP settings look it up there when their environment variable is not
set. infoview never writes a password anywhere else: not in the tracker,
the journal, a log or an error's text.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from infoview.errors import SignInError

__all__ = ["SERVICE", "find_password", "forget_password", "store_password", "stored_password"]

#: The keyring's service name for infoview's passwords.
SERVICE = "infoview"


def _keyring_failed(user: str, error: Exception) -> SignInError:
    return SignInError(
        user,
        f"the system keyring cannot be used ({type(error).__name__}); name an environment "
        "variable holding the password instead (--password-env)",
    )


def stored_password(user: str) -> str | None:
    """Return the password kept in the system keyring for ``user``, or ``None``.

    Where the system has no keyring, there is none kept.
    """
    import keyring  # noqa: PLC0415 - only when a password is looked up
    from keyring.errors import KeyringError, NoKeyringError  # noqa: PLC0415

    try:
        return keyring.get_password(SERVICE, user) or None
    except NoKeyringError:
        return None
    except KeyringError as error:
        raise _keyring_failed(user, error) from None


def store_password(user: str, password: str) -> None:
    """Keep the password for ``user`` in the system keyring (and nowhere else).

    Raises:
        SignInError: The password is empty, or the system has no usable keyring.
    """
    import keyring  # noqa: PLC0415 - only when a password is stored
    from keyring.errors import KeyringError  # noqa: PLC0415

    if not password:
        raise SignInError(user, "the password is empty; give the one your provider expects")
    try:
        keyring.set_password(SERVICE, user, password)
    except KeyringError as error:
        raise _keyring_failed(user, error) from None


def forget_password(user: str) -> bool:
    """Remove the password kept for ``user``; return whether there was one."""
    import keyring  # noqa: PLC0415 - only when a password is removed
    from keyring.errors import KeyringError, PasswordDeleteError  # noqa: PLC0415

    try:
        keyring.delete_password(SERVICE, user)
    except PasswordDeleteError:
        return False
    except KeyringError as error:
        raise _keyring_failed(user, error) from None
    return True


def find_password(
    user: str, env: str | None, ask: Callable[[], str] | None = None, *, where: str = ""
) -> str:
    """Return the password: from the variable ``env``, else the keyring, else ``ask()``.

    Args:
        user: The login.
        env: The environment variable holding the password, if one is named.
        ask: Asks you for it (the command line prompts); ``None`` to never ask.
        where: The server, for the error's text.

    Raises:
        SignInError: None of the three has it.
    """
    if env:
        value = os.environ.get(env)
        if value:
            return value
    kept = stored_password(user)
    if kept:
        return kept
    if ask is not None:
        return ask()
    server = f" at {where}" if where else ""
    if env:
        raise SignInError(
            user,
            f"the environment variable {env} holding the password{server} is not set, and "
            f"the keyring keeps none; export it first, or store it once: infoview login "
            f"--user {user}",
        )
    raise SignInError(
        user,
        f"no password{server}: the keyring keeps none; store it once (infoview login "
        f"--user {user}), name a variable holding it (password_env, --password-env), "
        "or pass password=",
    )
