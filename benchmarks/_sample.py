"""Sample data and timing shared by the benchmarks.

Timings are medians of several runs, ours and the baseline's interleaved, so
a busy machine slows both alike. Each benchmark ends with one line
``RESULT {json}`` that ``run.py`` collects for its table.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import attrs

from infoview import Interview
from infoview.model import samples


def sample_interviews(count: int) -> list[Interview]:
    """Return ``count`` distinct interviews with the same shape."""
    base = samples.interview()
    return [
        attrs.evolve(base, contact=base.contact.with_changes(name=f"Ana García {i}"))
        for i in range(count)
    ]


def scheduled_interviews(count: int) -> list[Interview]:
    """Return ``count`` distinct interviews with a time and a length (for dates and durations)."""
    interviews = sample_interviews(count)
    at = interviews[0].scheduled_at or datetime(2026, 12, 3, 15, tzinfo=UTC)
    return [
        attrs.evolve(
            iv,
            scheduled_at=at + timedelta(days=i % 60),
            duration=timedelta(minutes=20 + 5 * (i % 5)),
        )
        for i, iv in enumerate(interviews)
    ]


def installed_env(folder: Path, *, cache: bool = True) -> dict[str, str]:
    """The environment for a new process that starts as an installed program does.

    From cached bytecode: pip compiled jinja2's and attrs' when it installed
    them, while infoview installed from a checkout under
    ``PYTHONDONTWRITEBYTECODE`` would compile every module again on every
    run; so every process gets a bytecode cache in ``folder``, which the
    caller fills with one untimed run. ``cache`` False turns infoview's
    compiled-template cache off (``INFOVIEW_CACHE_DIR=""``); else it is kept
    in ``folder`` too, filled by the same run.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(folder / "bytecode")
    env["INFOVIEW_CACHE_DIR"] = str(folder / "templates") if cache else ""
    return env


def wall(command: list[str], env: dict[str, str]) -> float:
    """Run a command to the end, its output dropped; return its wall time in seconds."""
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)  # noqa: S603 - ours
    return time.perf_counter() - start


def interleaved(runs: int, **funcs: Callable[[], object]) -> dict[str, float]:
    """Time each function ``runs`` times, taking turns; return each one's median in seconds."""
    return {name: statistics.median(found) for name, found in turns(runs, **funcs).items()}


def turns(runs: int, **funcs: Callable[[], object]) -> dict[str, list[float]]:
    """Time each function ``runs`` times, taking turns; return every timing in seconds."""
    timings: dict[str, list[float]] = {name: [] for name in funcs}
    for _ in range(runs):
        for name, func in funcs.items():
            start = time.perf_counter()
            func()
            timings[name].append(time.perf_counter() - start)
    return timings


def best_of(runs: int, func: Callable[[], object]) -> float:
    """Return the fastest of ``runs`` timings of ``func()``, in seconds."""
    return min(interleaved(runs, func=func).values())


def report(
    name: str,
    ours: float,
    baseline: float,
    *,
    unit: str,
    target: str,
    met: bool | None,
    baseline_is: str,
    ratio: float | None = None,
    note: str = "",
    faster: bool = False,
) -> None:
    """Print the result line, then the ``RESULT`` line run.py reads.

    ``baseline_is`` says what the baseline is (the table states it);
    ``faster`` marks a ratio given as baseline / ours ("2.5× faster").
    """
    ratio = ours / baseline if ratio is None else ratio
    verdict = "reported" if met is None else "met" if met else "missed"
    print(
        f"{name}: ours {ours:.4g} {unit}, baseline ({baseline_is}) {baseline:.4g} {unit}, "
        f"ratio {ratio:.2f} (target {target}) — {verdict}" + (f"; {note}" if note else "")
    )
    fields = {
        "name": name,
        "ours": ours,
        "baseline": baseline,
        "unit": unit,
        "ratio": ratio,
        "target": target,
        "met": met,
        "note": note,
        "baseline_is": baseline_is,
        "faster": faster,
    }
    print("RESULT " + json.dumps(fields, ensure_ascii=False))
