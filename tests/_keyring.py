"""A keyring of the tests' own: a real keyring backend that keeps passwords in memory.

keyring's documented extension point is a :class:`keyring.backend.KeyringBackend`
subclass set with :func:`keyring.set_keyring`; the tests set a fresh one for
each test (tests/conftest.py), so no test reads or writes the keyring of
whoever runs them.
"""

from __future__ import annotations

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    """Passwords in a dictionary, by service and user; gone when the test ends."""

    priority = 1  # type: ignore[assignment]  # keyring reads it as a class property

    def __init__(self) -> None:
        super().__init__()
        self.kept: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        """Return the password kept, or ``None``."""
        return self.kept.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        """Keep a password."""
        self.kept[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        """Remove a password, or say there was none."""
        if self.kept.pop((service, username), None) is None:
            raise PasswordDeleteError(f"no password for {username} at {service}")
