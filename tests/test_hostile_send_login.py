"""A server that wants a login stops the run at the first message, saying to add --user."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import infoview
from infoview import SMTPSettings, bulk
from infoview.sending import SendError
from infoview.sending.journal import Journal, State
from tests._mailserver import mail_server, outreach


def test_a_server_wanting_a_login_stops_at_the_first_message(tmp_path: Path) -> None:
    """530 "authentication required": one SendError, nothing sent, every message left to send."""
    drafts = [draft for _, draft in outreach(4)]
    with mail_server(password="s3cret") as (server, port):  # noqa: S106 - a test password
        settings = SMTPSettings("127.0.0.1", port, security="none", timeout=5)
        with pytest.raises(SendError) as info:
            infoview.send(drafts, smtp=settings, journal=tmp_path / "j")
    report = info.value.report
    assert "this server wants a login" in str(info.value)
    assert "530" in str(info.value)
    assert [] == server.received
    assert [infoview.sending.Result.NOT_SENT] * 4 == [o.result for o in report.outcomes]
    with Journal(tmp_path / "j") as journal:
        first = journal.get(drafts[0].message_id)
    assert first is not None
    assert State.PENDING == first.state


def test_the_command_line_says_add_user(tmp_path: Path) -> None:
    """Through the console script: one Error line naming --user, exit 2."""
    bulk.write_folder([draft for _, draft in outreach(3)], tmp_path / "outbox")
    command = Path(sys.executable).parent / "infoview"
    with mail_server(password="s3cret") as (server, port):  # noqa: S106 - a test password
        done = subprocess.run(
            [
                command,
                "send",
                tmp_path / "outbox",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--security",
                "none",
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
    lines = done.stderr.strip().splitlines()
    assert 2 == done.returncode, done.stderr
    assert "Traceback" not in done.stderr
    assert lines[-1].startswith("Error: 127.0.0.1: this server wants a login: add --user NAME")
    assert 1 == sum(line.startswith("Error:") for line in lines)
    assert [] == server.received


def test_no_starttls_says_the_flags_to_use(tmp_path: Path) -> None:
    """A password that would go in clear: the error names --security tls --port 465."""
    bulk.write_folder([draft for _, draft in outreach(1)], tmp_path / "outbox")
    command = Path(sys.executable).parent / "infoview"
    with mail_server() as (server, port):
        done = subprocess.run(
            [command, "send", tmp_path / "outbox", "--host", "127.0.0.1", "--port", str(port),
             "--user", "sam", "--password-env", "TEST_SMTP_PASSWORD"],
            capture_output=True, text=True, check=False, timeout=120,
            env={**os.environ, "TEST_SMTP_PASSWORD": "s3cret"},
        )  # fmt: skip
    line = done.stderr.strip().splitlines()[-1]
    assert 2 == done.returncode, done.stderr
    assert "use --security tls --port 465" in line
    assert "security='tls'" not in line
    assert [] == server.received
