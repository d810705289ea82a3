"""``infoview send`` on the command line, and examples/send_outbox.py against a local server."""

from __future__ import annotations

import json
import ssl
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import trustme
from click.testing import CliRunner

from infoview import Interview, bulk, converter
from infoview.cli import main
from infoview.sending.journal import Journal
from tests._mailserver import mail_server, outreach

EXAMPLES = Path(__file__).parent.parent / "examples"


def infoview(*args: object) -> tuple[int, str, str]:
    """Run the command line in-process; return its exit code, stdout and stderr."""
    result = CliRunner().invoke(main, [str(a) for a in args], prog_name="infoview")
    return result.exit_code, result.stdout, result.stderr


def test_dry_run_prints_one_line_per_message_and_sends_nothing(tmp_path: Path) -> None:
    """No --host, no server, no journal made: one "would send" line per message, exit 0."""
    bulk.write_folder([d for _, d in outreach(3)], tmp_path / "outbox")
    code, out, _ = infoview("send", tmp_path / "outbox", "--dry-run")
    lines = out.splitlines()
    assert 0 == code
    assert 4 == len(lines)
    assert lines[0].startswith("would send  0001-outreach-alumni-Alex-Garcia-1.eml  → alex1@")
    assert "3 would send, 0 skipped, 0 failed, 0 unknown; nothing sent (dry run)" == lines[-1]
    assert [tmp_path / "outbox"] == list(tmp_path.iterdir())


def test_a_dry_run_after_a_run_shows_what_is_left(tmp_path: Path) -> None:
    """With the journal of an earlier run, the dry run says what would be skipped."""
    bulk.write_folder([d for _, d in outreach(2)], tmp_path / "outbox")
    with mail_server() as (server, port):
        server.refuse.add("alex2@example.com")
        code, out, _ = infoview(
            "send", tmp_path / "outbox", "--host", "127.0.0.1", "--port", port, "--security=none"
        )
    assert 1 == code
    assert out.splitlines()[1].startswith("failed      0002-")
    assert (tmp_path / "outbox.journal").is_file()
    code, out, _ = infoview("send", tmp_path / "outbox", "--dry-run")
    results = [line[:10].strip() for line in out.splitlines()[:2]]
    assert (0, ["skipped", "would send"]) == (code, results)


def test_sending_needs_a_host() -> None:
    """Without --host (and not a dry run) it is a usage error, exit 2."""
    code, _, err = infoview("send", ".")
    assert 2 == code
    assert "--host" in err


def test_a_message_without_message_id_stops_everything(tmp_path: Path) -> None:
    """One bad file: exit 2, its name and what to do, and nothing sent."""
    bulk.write_folder([d for _, d in outreach(1)], tmp_path / "outbox")
    (tmp_path / "outbox" / "9999-mine.eml").write_bytes(
        b"From: sam@example.org\r\nTo: ana@example.com\r\nSubject: hi\r\n\r\nHello\r\n"
    )
    with mail_server() as (server, port):
        code, _, err = infoview(
            "send", tmp_path / "outbox", "--host", "127.0.0.1", "--port", port, "--security=none"
        )
    assert 2 == code
    assert "9999-mine.eml: has no Message-ID" in err
    assert [] == server.received


def test_password_from_the_environment_never_in_clear(tmp_path: Path) -> None:
    """--user over a connection without TLS: refused before the password leaves (exit 2)."""
    bulk.write_folder([d for _, d in outreach(1)], tmp_path / "outbox")
    with mail_server() as (server, port):
        result = CliRunner(env={"SMTP_PASSWORD": "hunter2"}).invoke(
            main,
            [
                "send",
                str(tmp_path / "outbox"),
                "--host=127.0.0.1",
                f"--port={port}",
                "--user=sam",
                "--password-env=SMTP_PASSWORD",
                "--retries=0",
            ],
        )
    assert 2 == result.exit_code
    assert "never sends a password in clear" in result.stderr
    assert "hunter2" not in result.output
    assert ([], []) == (server.received, server.logins)


def test_sent_outreach_marks_the_interviews_file(tmp_path: Path) -> None:
    """--interviews: each interview whose outreach went out is requested at the accept time."""
    pairs = outreach(3)
    bulk.write_folder([d for _, d in pairs[:2]], tmp_path / "outbox")
    file = tmp_path / "interviews.json"
    file.write_text(json.dumps(converter.unstructure([i for i, _ in pairs])), encoding="utf-8")
    with mail_server() as (_, port):
        code, out, _ = infoview(
            "send",
            tmp_path / "outbox",
            "--host=127.0.0.1",
            f"--port={port}",
            "--security=none",
            f"--interviews={file}",
        )
    assert 0 == code
    assert "Marked 2 interviews requested in" in out
    written = converter.loads(file.read_bytes(), list[Interview])
    assert ["requested", "requested", "identified"] == [i.status for i in written]
    with Journal(tmp_path / "outbox.journal", read_only=True) as journal:
        entries = [journal.get(d.message_id) for _, d in pairs[:2]]
    accepted = [e.accepted_at for e in entries if e is not None]
    assert accepted == [i.requested_at for i in written[:2]]
    assert 2 == sum(isinstance(t, datetime) for t in accepted)
    assert [] == [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"]


def test_the_example_sends_each_message_once(tmp_path: Path) -> None:
    """examples/send_outbox.py sends three drafts to its own server; run again, it sends none."""
    runs = [
        subprocess.run(
            [sys.executable, str(EXAMPLES / "send_outbox.py")],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
            cwd=tmp_path,
        )
        for _ in range(2)
    ]
    assert [0, 0] == [r.returncode for r in runs], runs[0].stderr + runs[1].stderr
    assert "3 sent, 0 skipped, 0 failed, 0 unknown" in runs[0].stdout
    assert "The server received 3 messages." in runs[0].stdout
    assert "0 sent, 3 skipped, 0 failed, 0 unknown" in runs[1].stdout
    assert "The server received 0 messages." in runs[1].stdout
    assert 3 == runs[0].stdout.count("would send")


def test_starttls_with_a_cafile_and_the_password_asked_for(tmp_path: Path) -> None:
    """--cafile trusts the test CA; --user without --password-env prompts, hiding the answer."""
    ca = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_context)
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    bulk.write_folder([d for _, d in outreach(2)], tmp_path / "outbox")
    secret = "typed in"  # noqa: S105 - a test password
    with mail_server(tls_context=server_context, password=secret) as (server, port):
        result = CliRunner().invoke(
            main,
            [
                "send",
                str(tmp_path / "outbox"),
                "--host=127.0.0.1",
                f"--port={port}",
                "--user=sam",
                f"--cafile={tmp_path / 'ca.pem'}",
            ],
            input="typed in\n",
        )
    assert 0 == result.exit_code, result.output
    assert "Password for sam" in result.stderr
    assert "typed in" not in result.output
    assert 2 == len(server.received)
    assert {("sam", "typed in")} == set(server.logins)
