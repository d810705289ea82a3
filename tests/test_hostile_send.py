"""Hostile input against sending: a journal named twice, Bcc in every place, bad journals, no TLS.

Each case is sent to a real SMTP server (aiosmtpd on 127.0.0.1) and checked
by what the server received: who got each message (the envelope) and the
bytes of it (the data).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from click.testing import CliRunner

import infoview
from infoview import SMTPSettings, bulk
from infoview.cli import main
from infoview.errors import ValidationError
from infoview.mail.outbox import MessageError, Outgoing
from infoview.sending import Backoff, SendError
from infoview.sending.journal import Journal, JournalError, State
from tests._mailserver import Recorder, free_port, mail_server, outreach

FAST = Backoff(attempts=2, initial=0.01, maximum=0.02, jitter=0)
CONSOLE = Path(sys.executable).with_name("infoview")  # the console script, installed


def plain(port: int) -> SMTPSettings:
    """Settings for the test server without TLS or login."""
    return SMTPSettings("127.0.0.1", port, "none", timeout=10)


def infoview_cli(*args: object) -> tuple[int, str, str]:
    """Run the command line in-process; return its exit code, stdout and stderr."""
    result = CliRunner().invoke(main, [str(a) for a in args], prog_name="infoview")
    return result.exit_code, result.stdout, result.stderr


def console(*args: object) -> list[str]:
    """The console script's command line."""
    return [str(CONSOLE), *(str(a) for a in args)]


def sending(source: Path, port: int, *more: object) -> list[str]:
    """``infoview send`` of ``source`` to the test server."""
    return console("send", source, "--host=127.0.0.1", f"--port={port}", "--security=none", *more)


def one_error_line(stderr: str) -> str:
    """Return the one ``Error:`` line of stderr (and check there is nothing else, no traceback)."""
    lines = stderr.strip().splitlines()
    assert 1 == len(lines), stderr
    assert lines[0].startswith("Error: "), stderr
    return lines[0]


# ---------------------------------------------------------------- one journal, two names


class Gated(Recorder):
    """A recorder that holds its reply to the first message until ``gate`` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.first = threading.Event()
        self.gate = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        reply = await super().handle_DATA(server, session, envelope)
        self.first.set()
        while not self.gate.is_set():
            await asyncio.sleep(0.01)
        return reply


@contextlib.contextmanager
def gated_server() -> Iterator[tuple[Gated, int]]:
    """Run an SMTP server that holds the first message's reply; yield it and its port."""
    recorder, port = Gated(), free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield recorder, port
    finally:
        recorder.gate.set()
        controller.stop()


def other_name(journal: Path, how: str) -> Path:
    """Make another name for ``journal`` (which exists): a symlink, a hard link, a detour."""
    if how == "symlink":
        (journal.parent / "link.sqlite").symlink_to(journal.name)
        return journal.parent / "link.sqlite"
    if how == "hard link":
        os.link(journal, journal.parent / "hard.sqlite")
        return journal.parent / "hard.sqlite"
    (journal.parent / "x").mkdir()
    return journal.parent / "x" / ".." / journal.name


@pytest.mark.parametrize("how", ["symlink", "hard link", "x/.."])
@pytest.mark.parametrize("first_by_alias", [False, True])
def test_two_runs_on_one_journal_by_two_names_send_each_message_once(
    tmp_path: Path, how: str, first_by_alias: bool
) -> None:
    """Whatever names the journal, a second run is refused (exit 2); each message arrives once."""
    drafts = [d for _, d in outreach(20)]
    bulk.write_folder(drafts, tmp_path / "outbox")
    journal = tmp_path / "j.sqlite"
    Journal(journal).close()  # it exists, so it can be linked
    alias = other_name(journal, how)
    names = (alias, journal) if first_by_alias else (journal, alias)
    with gated_server() as (server, port):
        first = subprocess.Popen(
            sending(tmp_path / "outbox", port, f"--journal={names[0]}"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.first.wait(60), "the first run never sent"
            second = subprocess.run(
                sending(tmp_path / "outbox", port, f"--journal={names[1]}"),
                capture_output=True,
                text=True,
                check=False,
                timeout=60,
            )
            assert first.poll() is None  # the two runs overlapped
        finally:
            server.gate.set()
            out, err = first.communicate(timeout=120)
    assert (0, "20 sent, 0 skipped, 0 failed, 0 unknown") == (
        first.returncode,
        out.splitlines()[-1],
    ), err
    assert 2 == second.returncode
    assert "another run (or program) is using this journal" in one_error_line(second.stderr)
    assert "" == second.stdout
    assert dict.fromkeys((d.message_id for d in drafts), 1) == dict(server.counts)
    assert 20 == len(server.received)


def test_a_journal_named_twice_in_one_process_is_refused(tmp_path: Path) -> None:
    """The library too: a journal open by one name cannot be opened by a symlink or hard link."""
    journal = tmp_path / "j.sqlite"
    with Journal(journal):
        (tmp_path / "s").symlink_to(journal)
        os.link(journal, tmp_path / "h")
        for name in (tmp_path / "s", tmp_path / "h", tmp_path / "." / "j.sqlite"):
            with pytest.raises(JournalError, match="another run"):
                Journal(name)
            with pytest.raises(JournalError, match="another run"):
                Journal(name, read_only=True)
    with Journal(tmp_path / "h") as again:
        assert 0 == sum(again.counts().values())


def test_the_journal_still_works_on_its_own(tmp_path: Path) -> None:
    """``infoview send SOURCE``: the journal beside it; a rerun skips all; no file left over."""
    drafts = [d for _, d in outreach(3)]
    bulk.write_folder(drafts, tmp_path / "outbox")
    with mail_server() as (server, port):
        runs = [
            subprocess.run(
                sending(tmp_path / "outbox", port),
                capture_output=True,
                text=True,
                check=False,
                timeout=60,
            )
            for _ in range(2)
        ]
    assert [0, 0] == [r.returncode for r in runs], runs[0].stderr
    assert runs[0].stdout.endswith("3 sent, 0 skipped, 0 failed, 0 unknown\n")
    assert runs[1].stdout.endswith("0 sent, 3 skipped, 0 failed, 0 unknown\n")
    assert dict.fromkeys((d.message_id for d in drafts), 1) == dict(server.counts)
    assert ["outbox", "outbox.journal"] == sorted(p.name for p in tmp_path.iterdir())
    with Journal(tmp_path / "outbox.journal", read_only=True) as book:
        assert 3 == book.counts()[State.SENT]


CRASH = """
import os, sys
from infoview.sending.journal import Journal
book = Journal(sys.argv[1])
book.add("<m@example.org>", sha256="0" * 64, fingerprint="f", sender="a@example.org",
         recipients=("b@example.org",))
book.sending("<m@example.org>")
os._exit(0)  # killed after "sending" was committed, before DATA
"""


def test_a_crash_leaves_nothing_that_only_one_name_of_the_journal_sees(tmp_path: Path) -> None:
    """A run killed mid-way: its last state is seen through a hard link, and stays seen after."""
    journal = tmp_path / "j.sqlite"
    crash = subprocess.run(
        [sys.executable, "-c", CRASH, str(journal)], capture_output=True, check=False, timeout=60
    )
    assert 0 == crash.returncode, crash.stderr
    os.link(journal, tmp_path / "hard.sqlite")
    with Journal(tmp_path / "hard.sqlite") as book:
        entry = book.get("<m@example.org>")
        assert entry is not None
        assert State.SENDING is entry.state
        book.unknown("<m@example.org>", "a run stopped")
    with Journal(journal, read_only=True) as book:  # by the first name again: no stale log
        entry = book.get("<m@example.org>")
    assert entry is not None
    assert State.UNKNOWN is entry.state


# ---------------------------------------------------------------- Bcc wherever it is

ENDINGS = {"LF": [b"\n"], "CRLF": [b"\r\n"], "CR": [b"\r"], "mixed": [b"\n", b"\r\n", b"\r"]}
HIDDEN = ("hidden1@bcc.example", "hidden2@bcc.example", "hidden3@bcc.example")

# Each case: header lines (a list item with several lines is one folded field), whether a
# body follows, and the blind addresses it names. "{n}" is replaced by a unique number.
BASE = [
    "From: Sam Rivera <sam@example.org>",
    "To: Alex <alex@example.com>",
    "Subject: A question",
    "Message-ID: <{n}@example.org>",
]
BCC = "Bcc: Hidden One <hidden1@bcc.example>"
CASES: dict[str, tuple[list[str | list[str]], bool, tuple[str, ...]]] = {
    "first": ([BCC, *BASE], True, HIDDEN[:1]),
    "middle": ([*BASE[:2], BCC, *BASE[2:]], True, HIDDEN[:1]),
    "last": ([*BASE, BCC], True, HIDDEN[:1]),
    "last, headers only": ([*BASE, BCC], False, HIDDEN[:1]),
    "folded": (
        [
            *BASE[:2],
            ["Bcc: hidden1@bcc.example,", " hidden2@bcc.example,", "\thidden3@bcc.example"],
            *BASE[2:],
        ],
        True,
        HIDDEN,
    ),
    "folded last": (
        [*BASE, ["Bcc: hidden1@bcc.example,", " Two <hidden2@bcc.example>"]],
        False,
        HIDDEN[:2],
    ),
    "BCC": ([*BASE[:3], "BCC: hidden1@bcc.example", BASE[3]], True, HIDDEN[:1]),
    "bcc": ([*BASE, "bcc:hidden1@bcc.example"], False, HIDDEN[:1]),
    "two Bcc": (
        ["Bcc: hidden1@bcc.example", *BASE, "bCc: hidden2@bcc.example"],
        False,
        HIDDEN[:2],
    ),
    "Resent-Bcc": ([*BASE, "Resent-Bcc: hidden1@bcc.example"], False, HIDDEN[:1]),
    "empty Bcc": ([*BASE[:1], "Bcc:", *BASE[1:]], True, ()),
}


def build(case: str, ending: str, number: int, *, final_newline: bool) -> bytes:
    """Write the case's message with the ending style (mixed: LF, CRLF, CR in turn)."""
    fields, body, _ = CASES[case]
    lines = [
        line.format(n=number)
        for field in fields
        for line in ([field] if isinstance(field, str) else field)
    ]
    if body:
        lines += ["", "Hello Alex,", "Bcc: not a header, a line of the body", "Sam"]
    ends = ENDINGS[ending]
    data = b"".join(line.encode() + ends[index % len(ends)] for index, line in enumerate(lines))
    if not final_newline:
        data = data.rstrip(b"\r\n")
    return data


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[Recorder, int]]:
    """One SMTP server for the module's Bcc cases (each message has its own Message-ID)."""
    with mail_server() as running:
        yield running


def received(recorder: Recorder, message_id: str) -> tuple[list[str], bytes]:
    """Return the envelope recipients and data the server received for a Message-ID."""
    found = [(r, d) for _, r, d in list(recorder.received) if message_id.encode() in d]
    assert 1 == len(found)
    return found[0]


COUNTER = iter(range(1, 1_000_000))


@pytest.mark.parametrize("final_newline", [True, False], ids=["final newline", "none"])
@pytest.mark.parametrize("ending", list(ENDINGS))
@pytest.mark.parametrize("case", list(CASES))
def test_a_bcc_is_in_the_envelope_and_never_in_the_data(
    tmp_path: Path, server: tuple[Recorder, int], case: str, ending: str, final_newline: bool
) -> None:
    """Every header position × line-ending style: the blind address is a recipient, unseen."""
    recorder, port = server
    number = next(COUNTER)
    raw = build(case, ending, number, final_newline=final_newline)
    (tmp_path / "outbox").mkdir()
    (tmp_path / "outbox" / "m.eml").write_bytes(raw)
    code, out, err = infoview_cli(
        "send", tmp_path / "outbox", "--host=127.0.0.1", f"--port={port}", "--security=none"
    )
    assert 0 == code, out + err
    recipients, data = received(recorder, f"<{number}@example.org>")
    blind = CASES[case][2]
    assert ["alex@example.com", *blind] == recipients
    assert b"bcc.example" not in data
    parsed = message_from_bytes(data, policy=policy.compat32)
    assert (None, None) == (parsed.get_all("Bcc"), parsed.get_all("Resent-Bcc"))
    assert ["From", "To", "Subject", "Message-ID"] == parsed.keys()
    if CASES[case][1]:  # the body is sent as it was, its own "Bcc:" line too
        expected = b"Hello Alex,\r\nBcc: not a header, a line of the body\r\nSam\r\n"
        assert expected == data.split(b"\r\n\r\n", 1)[1]


@pytest.mark.parametrize("ending", list(ENDINGS))
def test_the_outgoing_data_matches_what_the_standard_library_reads(ending: str) -> None:
    """Stripping Bcc changes nothing else: the headers parse the same but for the blind ones."""
    for number, case in enumerate(CASES):
        raw = build(case, ending, number, final_newline=False)
        message = Outgoing.from_bytes(raw, "m.eml")
        before = message_from_bytes(raw, policy=policy.compat32)
        after = message_from_bytes(message.data, policy=policy.compat32)
        kept = [(k, " ".join(v.split())) for k, v in before.items() if "bcc" not in k.lower()]
        assert kept == [(k, " ".join(v.split())) for k, v in after.items()]
        assert set(CASES[case][2]) <= set(message.recipients)


@pytest.mark.parametrize("ending", list(ENDINGS))
def test_a_message_with_only_a_bcc_header_is_refused(ending: str) -> None:
    """A Bcc alone, no final newline: no sender, no Message-ID; refused, not sent to the Bcc."""
    raw = b"Bcc: hidden1@bcc.example"
    with pytest.raises(MessageError, match="Message-ID"):
        Outgoing.from_bytes(raw + ENDINGS[ending][0], "m.eml")
    with pytest.raises(MessageError, match="Message-ID"):
        Outgoing.from_bytes(raw, "m.eml")


@pytest.mark.parametrize(
    "line",
    [
        b"Bcc : hidden1@bcc.example",
        b"bcc\t: hidden1@bcc.example",
        b"Resent-Bcc : hidden1@bcc.example",
    ],
)
@pytest.mark.parametrize("ending", list(ENDINGS))
def test_a_bcc_with_a_space_before_the_colon_is_refused(
    tmp_path: Path, server: tuple[Recorder, int], line: bytes, ending: str
) -> None:
    """ "Bcc :" ends the header block for the parser: refused with exit 2, nothing sent."""
    recorder, port = server
    eol = ENDINGS[ending][0]
    head = [field.format(n="loose").encode() for field in BASE]
    raw = eol.join([*head, line, b"", b"Hello"])
    (tmp_path / "outbox").mkdir()
    (tmp_path / "outbox" / "m.eml").write_bytes(raw)
    before = len(recorder.received)
    code, _, err = infoview_cli(
        "send", tmp_path / "outbox", "--host=127.0.0.1", f"--port={port}", "--security=none"
    )
    assert 2 == code
    assert "m.eml: has a 'Bcc :' header with a space before the colon" in one_error_line(err)
    assert before == len(recorder.received)


def test_a_from_line_among_the_headers_is_refused() -> None:
    """A "From " line ending the header block is put back in the body by the parser: refused."""
    raw = "\r\n".join([*BASE, "Bcc: hidden1@bcc.example", "From somewhere", "", "Hi"])
    with pytest.raises(MessageError, match="a line starting 'From ' among the headers"):
        Outgoing.from_bytes(raw.format(n=1).encode(), "m.eml")


def test_the_reported_case_an_eml_ending_in_bcc(tmp_path: Path) -> None:
    """The issue's case: an .eml whose last line is a Bcc, no final line break, by the console."""
    raw = "\n".join([*BASE, "Bcc: hidden1@bcc.example"]).format(n="last").encode()
    (tmp_path / "outbox").mkdir()
    (tmp_path / "outbox" / "m.eml").write_bytes(raw)
    with mail_server() as (recorder, port):
        run = subprocess.run(
            sending(tmp_path / "outbox", port),
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
    assert 0 == run.returncode, run.stderr
    ((_, recipients, data),) = recorder.received
    assert ["alex@example.com", "hidden1@bcc.example"] == recipients
    assert b"bcc:" not in data.lower()  # "bcc" alone may turn up in a hex Message-ID
    assert b"hidden1" not in data


# ---------------------------------------------------------------- journals that cannot be used


def corrupt_journals(folder: Path) -> dict[str, Path]:
    """Write journals that are not sound: random bytes, text, two truncated journals."""
    good = folder / "good.sqlite"
    with Journal(good) as book:
        for number in range(300):
            book.add(
                f"<{number}@example.org>",
                sha256="0" * 64,
                fingerprint=f"f{number}" * 20,
                sender="sam@example.org",
                recipients=(f"r{number}@example.com",),
            )
    data = good.read_bytes()
    files = {
        "random bytes": os.urandom(64 * 1024),
        "text": b"Message-ID,state\n<1@example.org>,sent\n" * 50,
        "truncated in half": data[: len(data) // 2],
        "truncated header": data[:100],
    }
    paths = {}
    for name, content in files.items():
        paths[name] = folder / f"{name.replace(' ', '-')}.sqlite"
        paths[name].write_bytes(content)
    good.unlink()
    return paths


@pytest.mark.parametrize("dry_run", [False, True], ids=["send", "dry run"])
def test_a_corrupt_journal_is_an_error_and_left_as_it_is(tmp_path: Path, dry_run: bool) -> None:
    """Random bytes, text, a truncated journal: one Error line, exit 2, nothing sent or written."""
    bulk.write_folder([d for _, d in outreach(2)], tmp_path / "outbox")
    journals = corrupt_journals(tmp_path)
    with mail_server() as (server, port):
        for name, path in journals.items():
            before = path.read_bytes()
            run = subprocess.run(
                sending(tmp_path / "outbox", port, f"--journal={path}", *["--dry-run"] * dry_run),
                capture_output=True,
                text=True,
                check=False,
                timeout=60,
            )
            assert 2 == run.returncode, name
            line = one_error_line(run.stderr)
            assert f"{path}: is damaged or not an SQLite file" in line, name
            assert "it is left as it is" in line
            assert before == path.read_bytes(), name
        assert [] == server.received


def test_a_corrupt_journal_is_a_journal_error_in_the_library(tmp_path: Path) -> None:
    """The library raises JournalError (an OSError) for each, and sends nothing."""
    journals = corrupt_journals(tmp_path)
    with mail_server() as (server, port):
        for path in journals.values():
            with pytest.raises(JournalError, match="damaged") as raised:
                infoview.send(
                    [d for _, d in outreach(1)], smtp=plain(port), journal=path, backoff=FAST
                )
            assert isinstance(raised.value, OSError)
        assert [] == server.received


HOLD = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("holding", flush=True)
time.sleep(60)
"""


def test_a_journal_another_program_holds_is_an_error(tmp_path: Path) -> None:
    """Another process writes the file (sqlite3, not infoview): Error, exit 2, no wait.

    A dry run only reads: SQLite lets it read beside that writer.
    """
    bulk.write_folder([d for _, d in outreach(2)], tmp_path / "outbox")
    journal = tmp_path / "j.sqlite"
    Journal(journal).close()
    with subprocess.Popen(
        [sys.executable, "-c", HOLD, str(journal)], stdout=subprocess.PIPE, text=True
    ) as holder:
        try:
            assert "holding\n" == holder.stdout.readline()  # type: ignore[union-attr]
            with mail_server() as (server, port):
                runs = [
                    subprocess.run(
                        sending(tmp_path / "outbox", port, f"--journal={journal}", *dry_run),
                        capture_output=True,
                        text=True,
                        check=False,
                        timeout=30,
                    )
                    for dry_run in ([], ["--dry-run"])
                ]
        finally:
            holder.kill()
    assert [2, 0] == [r.returncode for r in runs]
    assert "another run (or program) is using this journal" in one_error_line(runs[0].stderr)
    assert runs[1].stdout.endswith(
        "2 would send, 0 skipped, 0 failed, 0 unknown; nothing sent (dry run)\n"
    )
    assert [] == server.received


DROP_OVERRIDE = """
import ctypes, os, sys
if os.geteuid() == 0:  # root ignores file modes: drop that power for what runs next
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, from the bounding set
        if libc.prctl(24, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")
os.execv(sys.argv[1], sys.argv[1:])
"""


def as_a_user(command: list[str]) -> subprocess.CompletedProcess[str]:
    """Run a command that file modes apply to (when the tests run as root too)."""
    return subprocess.run(
        [sys.executable, "-c", DROP_OVERRIDE, *command],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


@pytest.mark.parametrize("dry_run", [False, True], ids=["send", "dry run"])
def test_a_read_only_journal_is_an_error(tmp_path: Path, dry_run: bool) -> None:
    """A journal file without write permission: one Error line, exit 2, nothing sent."""
    bulk.write_folder([d for _, d in outreach(2)], tmp_path / "outbox")
    journal = tmp_path / "j.sqlite"
    Journal(journal).close()
    journal.chmod(0o444)
    with mail_server() as (server, port):
        run = as_a_user(
            sending(tmp_path / "outbox", port, f"--journal={journal}", *["--dry-run"] * dry_run)
        )
    if dry_run:  # reading needs no write permission on the file
        assert 0 == run.returncode, run.stderr
        assert "2 would send" in run.stdout
    else:
        assert 2 == run.returncode, run.stdout
        assert f"{journal}: cannot be written" in one_error_line(run.stderr)
        assert "the file is read-only" in run.stderr
    assert [] == server.received


@pytest.mark.parametrize("exists", [True, False], ids=["journal", "no journal yet"])
def test_a_journal_in_a_read_only_folder_is_an_error(tmp_path: Path, exists: bool) -> None:
    """A folder without write permission (SQLite writes its log there): Error, exit 2."""
    bulk.write_folder([d for _, d in outreach(2)], tmp_path / "outbox")
    folder = tmp_path / "locked"
    folder.mkdir()
    if exists:
        Journal(folder / "j.sqlite").close()
    folder.chmod(0o555)
    try:
        with mail_server() as (server, port):
            run = as_a_user(sending(tmp_path / "outbox", port, f"--journal={folder / 'j.sqlite'}"))
    finally:
        folder.chmod(0o755)
    assert 2 == run.returncode, run.stdout
    assert "its folder is read-only" in one_error_line(run.stderr)
    assert [] == server.received
    assert (["j.sqlite"] if exists else []) == [p.name for p in folder.iterdir()]


def test_a_journal_that_is_a_folder_is_an_error(tmp_path: Path) -> None:
    """SOURCE.journal is a folder: one Error line, exit 2; the library says so too."""
    bulk.write_folder([d for _, d in outreach(1)], tmp_path / "outbox")
    (tmp_path / "outbox.journal").mkdir()
    with mail_server() as (server, port):
        for dry_run in ([], ["--dry-run"]):
            run = subprocess.run(
                sending(tmp_path / "outbox", port, *dry_run),
                capture_output=True,
                text=True,
                check=False,
                timeout=60,
            )
            assert 2 == run.returncode
            line = one_error_line(run.stderr)
            assert f"{tmp_path / 'outbox.journal'}: is a folder" in line
        assert [] == server.received
    with pytest.raises(JournalError, match="is a folder"):
        Journal(tmp_path / "outbox.journal")
    (tmp_path / "link").symlink_to(tmp_path / "outbox.journal")
    with pytest.raises(JournalError, match="is a folder"):
        Journal(tmp_path / "link", read_only=True)


def test_a_journal_in_a_missing_folder_is_an_error(tmp_path: Path) -> None:
    """--journal in a folder that does not exist: Error, exit 2, naming the folder."""
    bulk.write_folder([d for _, d in outreach(1)], tmp_path / "outbox")
    with mail_server() as (server, port):
        code, _, err = infoview_cli(
            "send",
            tmp_path / "outbox",
            "--host=127.0.0.1",
            f"--port={port}",
            "--security=none",
            f"--journal={tmp_path / 'nowhere' / 'j.sqlite'}",
        )
    assert 2 == code
    assert f"its folder {tmp_path / 'nowhere'} does not exist" in one_error_line(err)
    assert [] == server.received


# ---------------------------------------------------------------- --require-tls


def test_require_tls_refuses_a_server_without_starttls(tmp_path: Path) -> None:
    """No STARTTLS offered: exit 2, one Error line, and the server receives nothing."""
    bulk.write_folder([d for _, d in outreach(2)], tmp_path / "outbox")
    with mail_server() as (server, port):
        run = subprocess.run(
            console(
                "send", tmp_path / "outbox", "--host=127.0.0.1", f"--port={port}", "--require-tls"
            ),
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        without = subprocess.run(  # the default: opportunistic, so it goes in clear
            console("send", tmp_path / "outbox", "--host=127.0.0.1", f"--port={port}"),
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
    assert 2 == run.returncode
    line = one_error_line(run.stderr)
    assert "does not offer STARTTLS, and TLS is required (--require-tls" in line
    assert 0 == without.returncode, without.stderr
    assert 2 == len(server.received)  # the second run's: the first sent nothing


def test_require_tls_in_the_library(tmp_path: Path) -> None:
    """SMTPSettings(require_tls=True): SendError before MAIL FROM; with security='none' refused."""
    with mail_server() as (server, port):
        settings = SMTPSettings("127.0.0.1", port, require_tls=True, timeout=10)
        with pytest.raises(SendError, match="does not offer STARTTLS") as raised:
            infoview.send([d for _, d in outreach(1)], smtp=settings, journal=tmp_path / "j")
        assert [] == server.received
    assert raised.value.report is not None
    assert () == raised.value.report.outcomes
    with pytest.raises(ValidationError, match="require_tls: cannot be met with security='none'"):
        SMTPSettings("127.0.0.1", security="none", require_tls=True)
    code, _, err = infoview_cli("send", ".", "--host=x", "--security=none", "--require-tls")
    assert 2 == code
    assert "--require-tls needs --security starttls or tls" in err


def test_require_tls_is_met_by_starttls_and_by_implicit_tls(tmp_path: Path) -> None:
    """A server offering STARTTLS, or TLS from the first byte: the messages go, encrypted."""
    ca = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_context)
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    bulk.write_folder([d for _, d in outreach(2)], tmp_path / "outbox")
    common = ["--host=127.0.0.1", f"--cafile={tmp_path / 'ca.pem'}", "--require-tls"]
    with mail_server(tls_context=server_context) as (server, port):
        code, out, err = infoview_cli(
            "send", tmp_path / "outbox", *common, f"--port={port}", f"--journal={tmp_path / 'a'}"
        )
    assert (0, 2) == (code, len(server.received)), out + err
    recorder, port = Recorder(), free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port, ssl_context=server_context)
    controller.start()
    try:
        code, out, err = infoview_cli(
            "send",
            tmp_path / "outbox",
            *common,
            f"--port={port}",
            "--security=tls",
            f"--journal={tmp_path / 'b'}",
        )
    finally:
        controller.stop()
    assert (0, 2) == (code, len(recorder.received)), out + err
