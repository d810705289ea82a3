"""Target 6: start-up. ``import infoview`` against ``import jinja2, attrs`` (at most 1.3×),
and ``infoview --help`` (under 0.3 s).

Each is a new ``python -c`` process (or the ``infoview`` script), run in
turns; medians of 15 (5 with ``--quick``).

Run: ``python benchmarks/bench_startup.py [--quick]``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _sample import report


def run(command: list[str]) -> float:
    """Run a command to the end; return its wall time in seconds."""
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)  # noqa: S603 - fixed commands
    return time.perf_counter() - start


def main() -> None:
    """Time the three commands in turns; print both results."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    args = parser.parse_args()
    python = sys.executable
    commands = {
        "ours": [python, "-c", "import infoview"],
        "baseline": [python, "-c", "import jinja2, attrs"],
        "bare": [python, "-c", "pass"],
        "help": [str(Path(python).parent / "infoview"), "--help"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for name, command in commands.items():  # warm the file cache and .pyc files
        times[name].append(run(command))
    for _ in range(5 if args.quick else 15):
        for name, command in commands.items():
            times[name].append(run(command))
    median = {k: sorted(v[1:])[len(v[1:]) // 2] for k, v in times.items()}
    report(
        "6 start-up, import",
        median["ours"],
        median["baseline"],
        unit="s",
        target="≤ 1.3×",
        met=median["ours"] <= 1.3 * median["baseline"],
        note=f"python -c pass takes {median['bare']:.3f} s",
    )
    report(
        "6b start-up, infoview --help",
        median["help"],
        0.3,
        unit="s",
        target="< 0.3 s",
        met=median["help"] < 0.3,
        note="baseline is the limit",
    )


if __name__ == "__main__":
    main()
