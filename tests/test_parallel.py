"""Worker processes: chunks worked out elsewhere come back in order, errors and all."""

from __future__ import annotations

import itertools
import os
import re
import signal
import sys
from pathlib import Path
from typing import Any

import pytest

from infoview.bulk import _parallel
from infoview.errors import SandboxError, WorkerError

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks on Linux")


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


@pytest.mark.parametrize("count", [0, 1, 5, 49, 50, 51, 230])
@pytest.mark.parametrize("workers", [1, 2, 3, 7])
@pytest.mark.parametrize("listed", [True, False])
def test_results_in_order(count: int, workers: int, listed: bool) -> None:
    """A list (forked workers) or any iterable (a pool): each chunk's results, in order."""
    items = [(f"kept {n}", n) for n in range(count)]
    given = items if listed else iter(items)
    done = list(_parallel.ordered(given, _square, 10, workers=workers, chunk=7))
    assert [k for k, _ in items] == [k for kept, _ in done for k in kept]
    assert [10 + n * n for n in range(count)] == [r for _, results in done for r in results]
    assert all(len(kept) == len(results) <= 7 for kept, results in done)


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
        (_dies_at_13, WorkerError, "drafting the contacts exited with status 3"),
    ],
)
def test_a_worker_error_is_raised_here_in_turn(work: Any, error: type, says: str) -> None:
    """Chunks before the failing one arrive; then its error (or the worker's end) is raised."""
    before = _children()
    done = _parallel.ordered([(n, n) for n in range(40)], work, None, workers=2, chunk=5)
    got = [kept for kept, _ in itertools.islice(done, 2)]
    with pytest.raises(error, match=re.escape(says)):
        next(done)
    assert [list(range(5)), list(range(5, 10))] == got
    assert before == _children()


def test_stopping_early_leaves_no_worker_behind() -> None:
    """A run stopped after one chunk (a limit) waits for its workers to end."""
    before = _children()
    done = _parallel.ordered([(n, n) for n in range(5000)], _square, 0, workers=3, chunk=10)
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


def test_a_killed_worker_is_a_worker_error() -> None:
    """A worker killed by SIGKILL: WorkerError naming it and the signal; no worker left."""
    before = _children()
    done = _parallel.ordered([(n, n) for n in range(40)], _killed_at_13, None, workers=2, chunk=5)
    got = [kept for kept, _ in itertools.islice(done, 2)]
    with pytest.raises(WorkerError, match=r"worker process \d+ .*killed by signal 9 \(SIGKILL\)"):
        next(done)
    assert [list(range(5)), list(range(5, 10))] == got
    assert before == _children()


def test_a_killed_pool_worker_is_a_worker_error() -> None:
    """Items from an iterator (a pool): a killed worker is a WorkerError, not BrokenProcessPool."""
    items = iter([(n, n) for n in range(40)])
    done = _parallel.ordered(items, _killed_at_13, None, workers=2, chunk=5)
    with pytest.raises(WorkerError, match="ended abruptly"):
        list(done)


@pytest.mark.parametrize("listed", [True, False])
def test_an_infoview_error_arrives_whole(listed: bool) -> None:
    """An error whose __init__ takes other arguments arrives as itself, attributes and all."""
    items = [(n, n) for n in range(40)]
    done = _parallel.ordered(
        items if listed else iter(items), _refused_at_13, None, workers=2, chunk=5
    )
    with pytest.raises(SandboxError) as info:
        list(done)
    assert ("outreach/mine", "too much work") == (info.value.template, info.value.reason)
    assert str(SandboxError("outreach/mine", "too much work")) == str(info.value)
