"""Sample data shared by the benchmarks."""

from __future__ import annotations

import time

import attrs

from infoview import Interview, samples


def sample_interviews(count: int) -> list[Interview]:
    """Return ``count`` distinct interviews with the same shape."""
    base = samples.interview()
    return [
        attrs.evolve(base, contact=base.contact.with_changes(name=f"Ana García {i}"))
        for i in range(count)
    ]


def best_of(runs: int, func: object) -> float:
    """Return the fastest of ``runs`` timings of ``func()``, in seconds."""
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        func()  # type: ignore[operator]
        timings.append(time.perf_counter() - start)
    return min(timings)
