"""Sending when things go wrong: 4xx, 5xx, dropped connections, and a process killed mid-run.

After every fault and a rerun, each message was accepted by the server
exactly once (counted by Message-ID at the server), or is reported as
failed or unknown, and the journal says the same as the server.
"""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import infoview
from infoview import Contact, SMTPSettings, bulk
from infoview.sending import Backoff, Result
from infoview.sending.journal import Journal, State
from tests._mailserver import Recorder, free_port, mail_server, outreach

FAST = Backoff(attempts=3, initial=0.01, maximum=0.02, jitter=0)


def plain(port: int) -> SMTPSettings:
    """Settings for the test server without TLS or login."""
    return SMTPSettings("127.0.0.1", port, "none", timeout=5)


def outbox(folder: Path, count: int) -> list[str]:
    """Write ``count`` outreach drafts as .eml files; return their Message-IDs in order."""
    drafts = [d for _, d in outreach(count)]
    bulk.write_folder(drafts, folder)
    return [d.message_id for d in drafts]


def cli(source: Path, journal: Path, port: int) -> list[str]:
    """The command line that sends ``source`` to the test server, quick to retry."""
    return [
        sys.executable,
        "-m",
        "infoview",
        "send",
        str(source),
        "--host=127.0.0.1",
        f"--port={port}",
        "--security=none",
        f"--journal={journal}",
        "--retry-wait=0.01",
    ]


def wait_for(condition: object, seconds: float = 20) -> None:
    """Wait until ``condition()`` is true."""
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.002)


def states(journal: Path) -> dict[str, State]:
    """Every Message-ID in the journal → its state (opened read-only, as after a crash)."""
    with Journal(journal, read_only=True) as book:
        return {e.message_id: e.state for e in book.entries()}


def agree(journal: Path, server: Recorder) -> dict[str, State]:
    """Check that the journal and the server tell one story; return the journal's states.

    Nothing arrived twice; whatever the journal calls sent arrived; whatever
    arrived is sent, or was being sent when the run stopped (sending/unknown).
    """
    found = states(journal)
    counts = server.counts
    assert {1} >= set(counts.values())
    assert {m for m, s in found.items() if s is State.SENT} <= set(counts)
    assert {State.SENT, State.SENDING, State.UNKNOWN} >= {found[m] for m in counts}
    return found


def test_421_is_retried_on_a_new_connection(tmp_path: Path) -> None:
    """A 421 to a message's DATA: retried after a backoff, then accepted once."""
    drafts = [d for _, d in outreach(5)]
    with mail_server() as (server, port):
        server.faults[drafts[2].message_id] = ["421"]
        report = infoview.send(drafts, smtp=plain(port), journal=tmp_path / "j", backoff=FAST)
    assert (5, True) == (report.sent, report.ok)
    assert {d.message_id: 1 for d in drafts} == dict(server.counts)
    with Journal(tmp_path / "j") as journal:
        entry = journal.get(drafts[2].message_id)
        history = [state for _, state, _ in journal.events(drafts[2].message_id)]
    assert entry is not None
    assert 2 == entry.attempts
    assert [State.SENDING, State.PENDING, State.SENDING, State.SENT] == history


def test_temporary_failures_until_retries_run_out(tmp_path: Path) -> None:
    """451 every time: failed with the server's text; a later run sends it, once."""
    drafts = [d for _, d in outreach(2)]
    with mail_server() as (server, port):
        server.faults[drafts[0].message_id] = ["451"] * 3
        first = infoview.send(drafts, smtp=plain(port), journal=tmp_path / "j", backoff=FAST)
        second = infoview.send(drafts, smtp=plain(port), journal=tmp_path / "j", backoff=FAST)
    assert [Result.FAILED, Result.SENT] == [o.result for o in first.outcomes]
    assert "451 4.3.2 Try again later (gave up after 3 attempts)" == first.outcomes[0].detail
    assert [Result.SENT, Result.SKIPPED] == [o.result for o in second.outcomes]
    assert {1} == set(server.counts.values())


def test_a_connection_dropped_after_the_message_went_out_is_unknown(tmp_path: Path) -> None:
    """No reply after DATA: "unknown", not resent by a rerun; sent again only when asked."""
    drafts = [d for _, d in outreach(3)]
    dropped = drafts[1].message_id
    with mail_server() as (server, port):
        server.faults[dropped] = ["drop"]
        first = infoview.send(drafts, smtp=plain(port), journal=tmp_path / "j", backoff=FAST)
        again = infoview.send(drafts, smtp=plain(port), journal=tmp_path / "j", backoff=FAST)
        assert 1 == server.counts[dropped]
        forced = infoview.send(
            drafts, smtp=plain(port), journal=tmp_path / "j", resend_unknown=True
        )
    assert [Result.SENT, Result.UNKNOWN, Result.SENT] == [o.result for o in first.outcomes]
    assert "2 sent, 0 skipped, 0 failed, 1 unknown" == first.summary()
    assert not first.ok
    assert [Result.SKIPPED, Result.UNKNOWN, Result.SKIPPED] == [o.result for o in again.outcomes]
    assert [Result.SKIPPED, Result.SENT, Result.SKIPPED] == [o.result for o in forced.outcomes]
    assert 2 == server.counts[dropped]  # what --resend-unknown risks, and why it is not the default


def test_a_refused_recipient_fails_that_message_and_the_run_goes_on(tmp_path: Path) -> None:
    """550 for the only recipient: failed with the server's text; the others are sent."""
    drafts = [d for _, d in outreach(3)]
    with mail_server() as (server, port):
        server.refuse.add("alex2@example.com")
        report = infoview.send(drafts, smtp=plain(port), journal=tmp_path / "j", backoff=FAST)
    assert [Result.SENT, Result.FAILED, Result.SENT] == [o.result for o in report.outcomes]
    assert "User unknown" in report.outcomes[1].detail
    assert "2 sent, 0 skipped, 1 failed, 0 unknown" == report.summary()
    assert 2 == len(server.received)
    with Journal(tmp_path / "j") as journal:
        entry = journal.get(drafts[1].message_id)
    assert entry is not None
    assert State.FAILED is entry.state
    assert "550 5.1.1" in (entry.reply or "")


def test_one_refused_copy_does_not_stop_the_message(tmp_path: Path) -> None:
    """550 for a Cc: the others get it; the refusal is reported and the run is not ok."""
    _, draft = outreach(1)[0]
    draft = draft.with_changes(cc=[Contact(name="Gone", email="gone@example.com")])
    with mail_server() as (server, port):
        server.refuse.add("gone@example.com")
        report = infoview.send([draft], smtp=plain(port), journal=tmp_path / "j")
    ((outcome,),) = (report.outcomes,)
    assert Result.SENT is outcome.result
    assert ["gone@example.com"] == list(outcome.refused)
    assert (False, "1 sent, 0 skipped, 0 failed, 0 unknown; 1 recipient refused") == (
        report.ok,
        report.summary(),
    )
    assert [["alex1@example.com"]] == [r for _, r, _ in server.received]


def test_a_5xx_to_the_message_fails_it(tmp_path: Path) -> None:
    """554 after DATA: failed with the server's text, not retried."""
    drafts = [d for _, d in outreach(2)]
    with mail_server() as (server, port):
        server.faults[drafts[0].message_id] = ["554"]
        report = infoview.send(drafts, smtp=plain(port), journal=tmp_path / "j", backoff=FAST)
    assert [Result.FAILED, Result.SENT] == [o.result for o in report.outcomes]
    assert "554 5.7.1 No" == report.outcomes[0].detail
    assert 1 == len(server.received)


def test_no_server_means_nothing_sent_and_everything_left_pending(tmp_path: Path) -> None:
    """A server that cannot be reached: the run stops; every message waits for the next run."""
    drafts = [d for _, d in outreach(3)]
    report = infoview.send(drafts, smtp=plain(free_port()), journal=tmp_path / "j", backoff=FAST)
    assert [Result.NOT_SENT] * 3 == [o.result for o in report.outcomes]
    assert "0 sent, 0 skipped, 0 failed, 0 unknown, 3 not sent" == report.summary()
    assert {State.PENDING} == set(states(tmp_path / "j").values())


def test_fifty_drafts_with_a_421_and_a_kill_arrive_exactly_once(tmp_path: Path) -> None:
    """The issue's test: 421 at message 20, the process killed at 35; a rerun completes the rest."""
    ids = outbox(tmp_path / "outbox", 50)
    journal = tmp_path / "outbox.journal"
    with mail_server() as (server, port):
        server.faults[ids[19]] = ["421"]
        server.hold_mail_after = 35  # the 36th MAIL waits; the sender is killed there
        run = subprocess.Popen(cli(tmp_path / "outbox", journal, port), stdout=subprocess.DEVNULL)
        assert server.holding.wait(30)
        run.kill()
        run.wait(10)
        assert -9 == run.returncode
        after_kill = agree(journal, server)
        assert 35 == len(server.counts)
        assert 35 == sum(s is State.SENT for s in after_kill.values())
        server.hold_mail_after = None
        rerun = subprocess.run(
            cli(tmp_path / "outbox", journal, port),
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
    assert 0 == rerun.returncode, rerun.stdout + rerun.stderr
    assert "15 sent, 35 skipped, 0 failed, 0 unknown" in rerun.stdout
    assert dict.fromkeys(ids, 1) == dict(server.counts)
    final = agree(journal, server)
    assert len(server.counts) == sum(s is State.SENT for s in final.values())
    with Journal(journal, read_only=True) as book:
        entry = book.get(ids[19])
    assert entry is not None
    assert 2 == entry.attempts  # the 421, then the retry


def test_a_kill_while_the_server_holds_the_reply_leaves_unknown(tmp_path: Path) -> None:
    """Killed after the message went out, before the 250: "unknown", and never sent twice."""
    ids = outbox(tmp_path / "outbox", 5)
    journal = tmp_path / "j"
    with mail_server() as (server, port):
        server.hold_data = ids[2]  # taken, but the reply never comes
        run = subprocess.Popen(cli(tmp_path / "outbox", journal, port), stdout=subprocess.DEVNULL)
        assert server.holding.wait(30)
        run.kill()
        run.wait(10)
        assert State.SENDING is agree(journal, server)[ids[2]]
        rerun = subprocess.run(
            cli(tmp_path / "outbox", journal, port),
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
    assert 1 == rerun.returncode
    assert "2 sent, 2 skipped, 0 failed, 1 unknown" in rerun.stdout
    assert "unknown     0003-" in rerun.stdout
    assert dict.fromkeys(ids, 1) == dict(server.counts)
    assert State.UNKNOWN is agree(journal, server)[ids[2]]


def test_the_journal_survives_a_kill_at_any_point(tmp_path: Path) -> None:
    """Kill -9 the sender at several points; each time the journal opens, whole and agreeing."""
    ids = outbox(tmp_path / "outbox", 20)
    journal = tmp_path / "j"
    with mail_server() as (server, port):
        for received in (2, 7, 13):
            command = cli(tmp_path / "outbox", journal, port)
            run = subprocess.Popen(command, stdout=subprocess.DEVNULL)
            wait_for(lambda n=received, p=run: len(server.received) >= n or p.poll() is not None)
            run.kill()
            run.wait(10)
            with contextlib.closing(sqlite3.connect(journal)) as db:
                assert [("ok",)] == db.execute("PRAGMA integrity_check").fetchall()
            with Journal(journal, read_only=True) as first:
                counts = first.counts()
            with Journal(journal) as second:  # one at a time: the writer holds it alone
                assert counts == second.counts()
            agree(journal, server)
        final = subprocess.run(
            cli(tmp_path / "outbox", journal, port),
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
    found = agree(journal, server)
    assert set(found) == set(ids)
    unknown = {m for m, s in found.items() if s is State.UNKNOWN}
    assert {State.SENT} == {found[m] for m in set(ids) - unknown}
    assert set(ids) - unknown <= set(server.counts)
    assert (1 if unknown else 0) == final.returncode, final.stdout
    assert f"{len(unknown)} unknown" in final.stdout


@pytest.mark.parametrize("fault", ["421", "drop"])
def test_faults_through_the_command_line(tmp_path: Path, fault: str) -> None:
    """The command line reports the same: exit 0 after a retried 421, exit 1 for an unknown."""
    ids = outbox(tmp_path / "outbox", 3)
    with mail_server() as (server, port):
        server.faults[ids[0]] = [fault]
        result = subprocess.run(
            cli(tmp_path / "outbox", tmp_path / "j", port),
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
    assert (0 if fault == "421" else 1) == result.returncode, result.stderr
    assert {1} == set(server.counts.values())
    if fault == "421":
        assert "retry 1 in" in result.stderr
