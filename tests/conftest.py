"""Shared fixtures: sample people and interviews."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest

from infoview import Contact, Interview, Medium, QuestionBank, Register, Source
from infoview.model import samples
from tests._keyring import MemoryKeyring

if TYPE_CHECKING:
    from tests._imapserver import Dovecot

CHICAGO = ZoneInfo("America/Chicago")


@pytest.fixture(autouse=True, scope="session")
def no_template_cache_of_yours(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """No test reads or writes the compiled-template cache of whoever runs the tests."""
    folder = tmp_path_factory.mktemp("template-cache")
    previous = os.environ.get("INFOVIEW_CACHE_DIR")
    os.environ["INFOVIEW_CACHE_DIR"] = str(folder)
    yield folder
    if previous is None:
        del os.environ["INFOVIEW_CACHE_DIR"]
    else:
        os.environ["INFOVIEW_CACHE_DIR"] = previous


@pytest.fixture(autouse=True)
def no_tracker_of_yours(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """No test reads or writes the tracker of whoever runs the tests: INFOVIEW_DB names none."""
    path = tmp_path_factory.mktemp("no-tracker") / "tracker.sqlite"
    monkeypatch.setenv("INFOVIEW_DB", str(path))
    monkeypatch.delenv("INFOVIEW_NOW", raising=False)
    return path


@pytest.fixture(autouse=True)
def keyring_of_the_test() -> Iterator[MemoryKeyring]:
    """No test reads or writes the keyring of whoever runs the tests: each has its own."""
    import keyring

    previous = keyring.get_keyring()
    own = MemoryKeyring()
    keyring.set_keyring(own)
    yield own
    keyring.set_keyring(previous)


@pytest.fixture
def sender() -> Contact:
    """The person reaching out (the built-in sample sender)."""
    return samples.sender()


@pytest.fixture
def ana() -> Contact:
    """An alumna in Mexico City, addressed formally."""
    return Contact(
        name="Ana García",
        email="ana@example.com",
        title="Product Manager",
        organization="Acme Health",
        school="State University",
        source=Source.ALUMNI,
        locale="es_MX",
        timezone="America/Mexico_City",
        register=Register.FORMAL,
    )


@pytest.fixture
def interview(ana: Contact, sender: Contact) -> Interview:
    """A 20-minute video interview with a planned agenda, not yet requested."""
    return Interview(
        contact=ana,
        sender=sender,
        duration=timedelta(minutes=20),
        medium=Medium.VIDEO,
        scheduled_at=datetime(2026, 12, 3, 15, 0, tzinfo=CHICAGO),
        questions=QuestionBank.default().plan(minutes=20),
    )


# ------------------------------------------------------------------ the mailbox tests' server


@pytest.fixture(scope="module")
def server() -> Iterator[Dovecot]:
    """One Dovecot for a test module (the mailbox tests); a module may start its own."""
    from tests import _imapserver

    with _imapserver.dovecot() as running:
        yield running


@pytest.fixture
def dovecot(server: Dovecot, monkeypatch: pytest.MonkeyPatch) -> Dovecot:
    """The server, every folder empty, its password in IMAP_PASSWORD."""
    from tests import _imapserver

    _imapserver.empty(server)
    monkeypatch.setenv("IMAP_PASSWORD", server.password)
    return server
