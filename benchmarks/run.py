"""Run the six benchmarks of docs/performance.md and the import scaling; print each ratio.

Each benchmark runs in a process of its own, one after the other (they time
themselves against their baselines in the same run). At the end comes the
summary, and the table for docs/performance.md with the machine it ran on.

Run: ``python benchmarks/run.py [--quick] [--only NAME ...]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
VERDICT = {True: "met", False: "missed", None: "reported"}
SCRIPTS = {
    "render": "bench_render.py",
    "bytes": "bench_bytes.py",
    "locale": "bench_locale.py",
    "bulk": "bench_bulk.py",
    "memory": "bench_memory.py",
    "startup": "bench_startup.py",
    "import": "import_scaling.py",  # reported, no target: 4× the time for 4× the contacts
    "tracker": "bench_tracker.py",
}


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


def main() -> None:
    """Run the scripts, echo their output, print the summary and the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer runs; 10,000 drafts for memory")
    parser.add_argument("--only", nargs="+", choices=SCRIPTS, help="run only these")
    args = parser.parse_args()
    results = []
    for name in args.only or SCRIPTS:
        script = SCRIPTS[name]
        command = [sys.executable, str(HERE / script)] + ["--quick"] * args.quick
        print(f"$ python benchmarks/{script}" + " --quick" * args.quick, flush=True)
        done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 - our own scripts
        for line in done.stdout.splitlines():
            if line.startswith("RESULT "):
                results.append(json.loads(line[7:]))
            else:
                print(line)
        if done.returncode:
            print(done.stderr, file=sys.stderr)
            print(f"{script} failed (exit {done.returncode})")
    print("\nSummary")
    for r in results:
        verdict = "reported" if r["met"] is None else "met" if r["met"] else "missed"
        print(
            f"{r['name']}: ours {r['ours']:.4g} {r['unit']}, baseline {r['baseline']:.4g} "
            f"{r['unit']}, ratio {r['ratio']:.2f} (target {r['target']}) — {verdict}"
        )
    print(f"\nMachine: {machine()}\n")
    print("| benchmark | ours | baseline | ratio | target | |")
    print("|---|---|---|---|---|---|")
    for r in results:
        unit = r["unit"]
        print(
            f"| {r['name']} | {r['ours']:.4g} {unit} | {r['baseline']:.4g} {unit} | "
            f"{r['ratio']:.2f} | {r['target']} | {VERDICT[r['met']]} |"
        )


if __name__ == "__main__":
    main()
