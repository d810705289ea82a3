"""Sync under stress: a connection dropped midway, a 25 MB message, broken MIME, hostile reply text.

The connection to Dovecot goes through a small TCP proxy of the test's own,
which counts the bytes the server sends and can cut every connection at
once (TLS stays end to end: the proxy only forwards bytes).
"""

from __future__ import annotations

import contextlib
import importlib
import socket
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from infoview import Tracker
from infoview.errors import MailboxError
from infoview.mailbox import sync
from infoview.mailbox.incoming import excerpt
from tests._imapserver import START, Dovecot, append, journey, message, outreach_id, settings

ARRIVED = START + timedelta(days=2)
sync_module = importlib.import_module("infoview.mailbox.sync")  # the module, not the function


class Proxy:
    """Forward 127.0.0.1:port to the server's TLS port; count what comes back; cut on demand."""

    def __init__(self, upstream: int) -> None:
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.received = 0  # bytes from the server to the client
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._accept, daemon=True)]
        self.threads[0].start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.upstream))
            with self.lock:
                self.sockets += [client, server]
            pumps = [
                threading.Thread(target=self._pump, args=(client, server, False), daemon=True),
                threading.Thread(target=self._pump, args=(server, client, True), daemon=True),
            ]
            self.threads += pumps
            for pump in pumps:
                pump.start()

    def _pump(self, source: socket.socket, sink: socket.socket, counted: bool) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                if counted:
                    with self.lock:
                        self.received += len(data)
                sink.sendall(data)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)

    def cut(self) -> None:
        """Drop every connection at once, as a network that fails does."""
        with self.lock:
            for each in self.sockets:
                with contextlib.suppress(OSError):
                    each.shutdown(socket.SHUT_RDWR)
                each.close()
            self.sockets.clear()

    def close(self) -> None:
        """Stop listening, drop what is open, and wait for every thread to end.

        Threads left running would make later tests' workers start by another
        method than fork (bulk drafting forks only while one thread runs).
        """
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        self.listener.close()
        self.cut()
        for thread in self.threads:
            thread.join(10)
        assert not any(t.is_alive() for t in self.threads)


@pytest.fixture
def proxy(dovecot: Dovecot) -> Iterator[Proxy]:
    """A proxy in front of the server's TLS port."""
    running = Proxy(dovecot.tls_port)
    yield running
    running.close()


def replied(tracker: Tracker, who: str) -> list[str | None]:
    """The notes of the replies recorded for ``who``."""
    return [step.text for step in tracker.timeline(who) if step.kind == "replied"]


def test_a_connection_dropped_midway_resumes_without_counting_twice(
    dovecot: Dovecot, proxy: Proxy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The network fails after the first batch; the next sync records the rest, each once."""
    path = tmp_path / "t.sqlite"
    journey(path).close()
    with Tracker(path) as tracker:
        ana, bob = outreach_id(tracker, "ana"), outreach_id(tracker, "bob")
    replies = [
        message(in_reply_to=ana, subject=f"Re: note {n}", body=f"Ana, note {n}.")
        for n in range(3)
    ] + [
        message(
            sender="Bob Li <bob@example.com>", in_reply_to=bob, subject=f"Re: note {n}",
            body=f"Bob, note {n}.",
        )
        for n in range(3)
    ]  # fmt: skip
    append(dovecot, replies, ARRIVED)
    monkeypatch.setattr(sync_module, "BATCH", 2)
    later = START + timedelta(days=20)
    calls = [0]

    def clock() -> datetime:
        """The tracker's clock; when sync notes the first batch read, the network fails."""
        calls[0] += 1
        if calls[0] == 1:
            proxy.cut()
        return later

    chosen = settings(dovecot, port=proxy.port)
    with Tracker(path, clock=clock) as tracker, pytest.raises(MailboxError, match="connection"):
        sync(tracker, chosen)
    with Tracker(path, clock=lambda: later) as tracker:
        first = len(replied(tracker, "ana")) + len(replied(tracker, "bob"))
        assert 0 < first < 6
        report = sync(tracker, chosen)
        assert 6 - first == len(report.replies)
        assert ["Re: note 0 — Ana, note 0.", "Re: note 1 — Ana, note 1.",
                "Re: note 2 — Ana, note 2."] == sorted(replied(tracker, "ana"))  # fmt: skip
        assert 3 == len(replied(tracker, "bob"))
        assert (0, ()) == (sync(tracker, chosen).read, ())


def test_a_25_mb_reply_is_recorded_without_downloading_it(
    dovecot: Dovecot, proxy: Proxy, tmp_path: Path
) -> None:
    """Sync reads headers and the first 64 KB of a reply: under 1 MB of 25 MB crosses the wire."""
    with journey(tmp_path / "t.sqlite") as tracker:
        big = message(
            in_reply_to=outreach_id(tracker, "ana"),
            body="Here is my CV, attached.\r\n-- \r\nAna\r\n" + ("x" * 998 + "\r\n") * 25_000,
        )
        stranger = message(sender="news@example.net", subject="Newsletter", body="y" * 25_000_000)
        append(dovecot, [big, stranger], ARRIVED)
        began = time.monotonic()
        report = sync(tracker, settings(dovecot, port=proxy.port))
        took = time.monotonic() - began
    assert ["Here is my CV, attached."] == [n.note for n in report.replies]
    assert 2 == report.read
    assert proxy.received < 1_000_000
    assert took < 30


def test_broken_mime_is_recorded_or_passed_over_never_crashes(
    dovecot: Dovecot, tracker_path: Path
) -> None:
    """A reply with a broken multipart is recorded; a broken delivery report marks nothing."""
    with journey(tracker_path) as tracker:
        ana = outreach_id(tracker, "ana")
        broken_reply = (
            "From: Ana García <ana@example.com>\r\nSubject: Re: 20 minutes?\r\n"
            f"Message-ID: <broken-1@example.com>\r\nIn-Reply-To: {ana}\r\nMIME-Version: 1.0\r\n"
            'Content-Type: multipart/alternative; boundary="never-closed"\r\n\r\n'
            "--never-closed\r\nContent-Type: text/plain; charset=x-unknown-8\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\n!!! not base64 ===\r\n"
        ).encode()
        broken_report = (
            "From: MAILER-DAEMON@mx.example.com\r\nReturn-Path: <>\r\nSubject: Failure\r\n"
            "Message-ID: <broken-2@mx.example.com>\r\nMIME-Version: 1.0\r\n"
            "Content-Type: multipart/report; report-type=delivery-status; boundary=\r\n\r\n"
            "Final-Recipient: rfc822; ana@example.com\r\nAction: failed\r\n\x00\xff\r\n"
        ).encode("latin-1")
        append(dovecot, [broken_reply, broken_report], ARRIVED)
        report = sync(tracker, settings(dovecot))
        assert ["reply"] == [n.kind for n in report.noticed]
        assert [] == [s for s in tracker.timeline("ana") if s.kind == "bounced"]


@pytest.fixture
def tracker_path(tmp_path: Path) -> Path:
    """Where the test's tracker goes."""
    return tmp_path / "t.sqlite"


@pytest.mark.parametrize(
    "body",
    [
        "On " * 22_000,
        "\n" * 64_000,
        " \n" * 32_000,
        ("> " * 100 + "\n") * 300,
        "El " + "a, " * 21_000,
        ("On Mon, Sam wrote:\n" + "\n" * 50) * 1_000,
    ],
    ids=["on-repeated", "newlines", "blank-lines", "deep-quotes", "el-commas", "headers"],
)
def test_hostile_reply_text_gives_its_excerpt_quickly(body: str) -> None:
    """64 KB of text made to slow the quote finder down: cut to its window first, it does not."""
    data = (
        b"From: ana@example.com\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body.encode()
    )[: sync_module.EXCERPT_BYTES]
    began = time.monotonic()
    text = excerpt(data)
    assert time.monotonic() - began < 10  # without the window: minutes
    assert len(text) <= 200
