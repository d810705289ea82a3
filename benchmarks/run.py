"""Run the benchmarks of docs/performance.md, print every row, and write the page.

Each benchmark runs in a process of its own, one after the other (each times
itself against its baseline in the same run, ours and the baseline's runs
taking turns). At the end comes the table: what is measured, ours, the
baseline and what it is, the ratio, the target and whether it is met; then
the profile of a bulk run (``profile_bulk.py``). A full run (no ``--quick``,
no ``--only``) writes docs/performance.md: the fixed prose of
``performance_header.md``, then this run's machine, table and profile; the
page is never edited by hand. ``--write PATH`` writes the page after any run.

The default set takes about four minutes on a 2-core machine; ``--quick``
about two. ``bench_tracker.py`` and ``import_scaling.py`` take several
minutes each: they run with ``--all`` or ``--only``.

Run: ``python benchmarks/run.py [--quick] [--only NAME ...] [--all] [--write PATH]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
PAGE = HERE.parent / "docs" / "performance.md"
HEADER = HERE / "performance_header.md"
VERDICT = {True: "met", False: "missed", None: "reported"}
SCRIPTS = {
    "render": "bench_render.py",
    "bytes": "bench_bytes.py",
    "locale": "bench_locale.py",
    "bulk": "bench_bulk.py",
    "memory": "bench_memory.py",
    "startup": "bench_startup.py",
    "profile": "profile_bulk.py",
    "tracker": "bench_tracker.py",
    "import": "import_scaling.py",  # reported, no target: 4× the time for 4× the contacts
}
SLOW = ("tracker", "import")


def machine() -> str:
    """Describe the machine: CPU, cores, Python."""
    cpu = platform.processor() or platform.machine()
    info = Path("/proc/cpuinfo")
    if info.exists():
        names = [
            line.split(":", 1)[1].strip()
            for line in info.read_text().splitlines()
            if line.startswith("model name")
        ]
        cpu = names[0] if names else cpu
    return f"{cpu}, {os.cpu_count()} cores, {platform.system()}, Python {platform.python_version()}"


def ratio(row: dict[str, Any]) -> str:
    """The ratio as the target states it: "× faster" for baseline / ours."""
    return f"{row['ratio']:.2f}× faster" if row.get("faster") else f"{row['ratio']:.2f}×"


def table(results: list[dict[str, Any]]) -> list[str]:
    """The Markdown table of the results."""
    lines = [
        "| benchmark | ours | baseline | ratio | target | |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        unit = r["unit"]
        lines.append(
            f"| {r['name']} | {r['ours']:.4g} {unit} | {r['baseline']:.4g} {unit}: "
            f"{r['baseline_is']} | {ratio(r)} | {r['target']} | {VERDICT[r['met']]} |"
        )
    return lines


def page(results: list[dict[str, Any]], profile: list[dict[str, Any]], command: str) -> str:
    """docs/performance.md: the fixed prose, then this run's table, notes and profile."""
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        HEADER.read_text(encoding="utf-8").rstrip("\n"),
        "",
        "## Benchmarks",
        "",
        "The scripts in `benchmarks/` print ratios measured in one run, ours and the",
        "baseline's runs taking turns, medians of several; they are not timed tests.",
        "Every row states its baseline. Ratios are ours / baseline, except where the",
        'target says "faster" (baseline / ours). This page is the output of',
        f"`{command}` ({when}) on: {machine()}.",
        "The machine is shared, so absolute times move from run to run, and the",
        "ratios with them.",
        "",
        *table(results),
        "",
        "Notes, row by row:",
        "",
        *(f"- {r['name']}: {r['note']}" for r in results if r.get("note")),
    ]
    if profile:
        parts += [
            "",
            "## Where the time of a bulk run goes",
            "",
            "Measured by `benchmarks/profile_bulk.py` in the same run (2,000 rows of",
            "`outreach/alumni`, one process; nothing here is a target):",
            "",
            "| step | time |",
            "|---|---|",
            *(f"| {p['step']} | {p['value']:.4g} {p['unit']} |" for p in profile),
        ]
    return "\n".join(parts) + "\n"


def main() -> None:
    """Run the scripts, echo their output, print the table, write the page."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer runs, smaller files")
    parser.add_argument("--only", nargs="+", choices=SCRIPTS, help="run only these")
    parser.add_argument("--all", action="store_true", help="the tracker and import scaling too")
    parser.add_argument("--write", type=Path, help="write the page here (full runs: docs/…)")
    args = parser.parse_args()
    names = args.only or [n for n in SCRIPTS if args.all or n not in SLOW]
    results: list[dict[str, Any]] = []
    profile: list[dict[str, Any]] = []
    failed = []
    start = time.perf_counter()
    for name in names:
        script = SCRIPTS[name]
        command = [sys.executable, str(HERE / script)] + ["--quick"] * args.quick
        print(f"$ python benchmarks/{script}" + " --quick" * args.quick, flush=True)
        done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 - our own scripts
        for line in done.stdout.splitlines():
            if line.startswith("RESULT "):
                results.append(json.loads(line[7:]))
            elif line.startswith("PROFILE "):
                profile.append(json.loads(line[8:]))
            else:
                print(line, flush=True)
        if done.returncode:
            print(done.stderr, file=sys.stderr)
            print(f"{script} failed (exit {done.returncode})")
            failed.append(script)
    print(f"\n{len(results)} rows in {time.perf_counter() - start:.0f} s on {machine()}\n")
    print("\n".join(table(results)))
    said = "python benchmarks/run.py" + " --quick" * args.quick + " --all" * args.all
    if args.only:
        said += " --only " + " ".join(args.only)
    target = args.write or (PAGE if not (args.quick or args.only) else None)
    if failed:
        raise SystemExit(f"not written: {', '.join(failed)} failed")
    if target is not None:
        target.write_text(page(results, profile, said), encoding="utf-8")
        print(f"\nwrote {target}")


if __name__ == "__main__":
    main()
