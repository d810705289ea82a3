"""XOAUTH2 to IMAP against Dovecot, which asks an introspection endpoint of the test's own."""

from __future__ import annotations

import json
import logging
import threading
import urllib.parse
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from infoview.errors import MailboxError
from infoview.mailbox import sync
from tests import _imapserver
from tests._imapserver import START, Dovecot, append, journey, message, outreach_id, settings
from tests.test_mailbox_signin import Issuer


class Authority:
    """An OAuth 2 introspection endpoint (RFC 7662) that asks the issuer about each token."""

    def __init__(self, issuer: Issuer) -> None:
        self.issuer = issuer
        self.asked: list[str] = []
        authority = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                size = int(self.headers.get("Content-Length", "0"))
                form = urllib.parse.parse_qs(self.rfile.read(size).decode())
                token = (form.get("token") or [""])[0]
                authority.asked.append(token)
                valid = authority.issuer.valid(token)
                answer = {"active": "true", "username": authority.issuer.user} if valid else {
                    "active": "false"}  # fmt: skip
                body = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                """Quiet."""

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}/introspect"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def close(self) -> None:
        """Stop answering."""
        self.http.shutdown()
        self.http.server_close()


@pytest.fixture(scope="module")
def issuer() -> Issuer:
    """The token issuer for the module."""
    return Issuer()


@pytest.fixture(scope="module")
def authority(issuer: Issuer) -> Iterator[Authority]:
    """The introspection endpoint Dovecot asks."""
    running = Authority(issuer)
    yield running
    running.close()


@pytest.fixture(scope="module")
def server(authority: Authority) -> Iterator[Dovecot]:
    """A Dovecot that takes XOAUTH2 logins, checked with the authority."""
    with _imapserver.dovecot(introspection=authority.url) as running:
        yield running


def test_sync_signs_in_with_an_oauth_token_refreshed_when_refused(
    server: Dovecot,
    issuer: Issuer,
    authority: Authority,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A token the server refuses is renewed once; the reply is then recorded; no password used."""
    caplog.set_level(logging.DEBUG)
    _imapserver.empty(server)
    with journey(tmp_path / "t.sqlite") as tracker:
        append(
            server, [message(in_reply_to=outreach_id(tracker, "ana"))], START + timedelta(days=2)
        )
        issuer.withdrawn.add(issuer.token())
        report = sync(tracker, settings(server, password_env=None), token=issuer)
        assert ["Ana García"] == [n.name for n in report.replies]
        assert [issuer.issued[0], issuer.issued[1]] == authority.asked[:2]
        broken = Issuer(broken=True)
        refused = r"OAuth token for sam@example\.org was refused"
        with pytest.raises(MailboxError, match=refused) as info:
            sync(tracker, settings(server, password_env=None), token=broken)
        assert "broken-token" not in str(info.value)
        kept = tracker.path.read_bytes() + caplog.text.encode()
    assert b"AUTHENTICATE" in kept  # the IMAP conversation was logged
    assert b"ya29" not in kept
    assert b"broken-token" not in kept
