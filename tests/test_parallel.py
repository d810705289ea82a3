"""Worker processes: chunks worked out in a process pool come back in order, errors and all."""

from __future__ import annotations

import itertools
import os
import re
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from infoview.bulk import drafting
from infoview.errors import SandboxError, WorkerError

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def _square(state: int, chunk: list[int]) -> list[int]:
    return [state + n * n for n in chunk]


def _children() -> set[int]:
    """The processes whose parent is this one (from /proc)."""
    me = os.getpid()
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == me:
            found.add(int(stat.parent.name))
    return found


# Forked where this process runs one thread; a threaded one (a notebook) gets the forkserver.
METHODS = ["fork", "forkserver"]


@pytest.mark.parametrize("count", [0, 1, 5, 49, 50, 51, 230])
@pytest.mark.parametrize("workers", [1, 2, 3, 7])
def test_results_in_order(count: int, workers: int) -> None:
    """Items from an iterator: each chunk's results, in order, never more than a chunk each."""
    items = [(f"kept {n}", n) for n in range(count)]
    done = list(drafting.ordered(iter(items), _square, 10, workers=workers, chunk=7))
    assert [k for k, _ in items] == [k for kept, _ in done for k in kept]
    assert [10 + n * n for n in range(count)] == [r for _, results in done for r in results]
    assert all(len(kept) == len(results) <= 7 for kept, results in done)


@pytest.mark.parametrize("method", METHODS)
def test_results_in_order_whatever_the_start(method: str) -> None:
    """Forked or from the forkserver (state pickled): the same results in the same order."""
    items = ((n, n) for n in range(230))
    done = list(drafting.ordered(items, _square, 3, workers=2, chunk=7, method=method))
    assert list(range(230)) == [k for kept, _ in done for k in kept]
    assert [3 + n * n for n in range(230)] == [r for _, results in done for r in results]


def _pull(count: int, seen: list[int]) -> Iterator[tuple[int, int]]:
    for n in range(count):
        seen.append(n)
        yield n, n


def test_items_are_taken_a_few_chunks_ahead() -> None:
    """An iterator is read at most two chunks a worker ahead of what was yielded: never listed."""
    seen: list[int] = []
    done = drafting.ordered(_pull(100_000, seen), _square, 0, workers=2, chunk=10)
    for _ in range(3):
        next(done)
    done.close()
    assert len(seen) <= (3 + 2 * 2) * 10 + 1


def test_the_start_method_is_fork_only_when_one_thread_runs() -> None:
    """A second thread running (as in a notebook's kernel) means no fork."""
    assert "fork" == drafting.start_method()
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert "forkserver" == drafting.start_method()
    finally:
        stop.set()
        thread.join()
    assert "fork" == drafting.start_method()


def _fails_at_13(state: None, chunk: list[int]) -> list[int]:
    if 13 in chunk:
        raise ValueError("thirteen")
    return chunk


def _unpicklable_error(state: None, chunk: list[int]) -> list[int]:
    if 13 in chunk:
        error = ValueError("thirteen")
        error.lock = __import__("threading").Lock()  # type: ignore[attr-defined]
        raise error
    return chunk


def _dies_at_13(state: None, chunk: list[int]) -> list[int]:
    if 13 in chunk:
        os._exit(3)
    return chunk


@pytest.mark.parametrize(
    ("work", "error", "says"),
    [
        (_fails_at_13, ValueError, "thirteen"),
        (_unpicklable_error, RuntimeError, "in a worker: ValueError('thirteen')"),
    ],
)
def test_a_worker_error_is_raised_here_in_turn(work: Any, error: type, says: str) -> None:
    """Chunks before the failing one arrive; then its error (or the worker's end) is raised."""
    before = _children()
    done = drafting.ordered(((n, n) for n in range(40)), work, None, workers=2, chunk=5)
    got = [kept for kept, _ in itertools.islice(done, 2)]
    with pytest.raises(error, match=re.escape(says)):
        next(done)
    assert [list(range(5)), list(range(5, 10))] == got
    assert before == _children()


def test_stopping_early_leaves_no_worker_behind() -> None:
    """A run stopped after one chunk (a limit) waits for its workers to end."""
    before = _children()
    done = drafting.ordered(((n, n) for n in range(5000)), _square, 0, workers=3, chunk=10)
    first = next(done)
    assert list(range(10)) == first[0]
    assert _children() - before
    done.close()
    assert before == _children()


def _killed_at_13(state: None, chunk: list[int]) -> list[int]:
    if 13 in chunk:
        os.kill(os.getpid(), signal.SIGKILL)
    return chunk


def _refused_at_13(state: None, chunk: list[int]) -> list[int]:
    if 13 in chunk:
        raise SandboxError("outreach/mine", "too much work")
    return chunk


def _drain(done: Iterator[tuple[list[Any], list[Any]]], got: list[list[Any]]) -> None:
    for kept, _ in done:
        got.append(kept)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    ("work", "ended"),
    [
        (
            _killed_at_13,
            "was killed by signal 9 (SIGKILL), perhaps by the system for lack of memory",
        ),
        (_dies_at_13, "exited with status 3"),
    ],
)
def test_a_dead_worker_is_a_worker_error(method: str, work: Any, ended: str) -> None:
    """A worker killed or gone: WorkerError naming it and how, not BrokenProcessPool.

    The chunks that arrive before it are the first ones, in order (a chunk
    another worker was still drafting is lost with the pool).
    """
    before = _children()
    done = drafting.ordered(
        ((n, n) for n in range(40)), work, None, workers=2, chunk=5, method=method
    )
    got: list[list[Any]] = []
    with pytest.raises(WorkerError) as info:
        _drain(done, got)
    assert [list(range(n, n + 5)) for n in range(0, 5 * len(got), 5)] == got
    assert len(got) <= 2
    found = re.match(r"worker process (\d+) drafting the contacts (.*?);", str(info.value))
    assert found is not None, str(info.value)
    assert (int(found[1]), ended, ended) == (info.value.pid, info.value.ended, found[2])
    if method == "fork":
        assert before == _children()


@pytest.mark.parametrize("method", METHODS)
def test_an_infoview_error_arrives_whole(method: str) -> None:
    """An error whose __init__ takes other arguments arrives as itself, attributes and all."""
    items = ((n, n) for n in range(40))
    done = drafting.ordered(items, _refused_at_13, None, workers=2, chunk=5, method=method)
    with pytest.raises(SandboxError) as info:
        list(done)
    assert ("outreach/mine", "too much work") == (info.value.template, info.value.reason)
    assert str(SandboxError("outreach/mine", "too much work")) == str(info.value)
