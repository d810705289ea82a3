"""Target 4: the bulk command line against mailmerge's full MIME output, end to end.

``infoview drafts --csv contacts.csv --sender me.json --template outreach/alumni
--out outbox.mbox`` against ``mailmerge --no-limit --dry-run --output-format
raw`` (every message in full MIME, the output comparable to an mbox) with a
template of the same text, on the same CSV of 2,000 and of 20,000 rows, each
a new process (start-up included); mailmerge's one stream goes to a file.
infoview runs with ``--workers 1`` (mailmerge uses one core) and with its
default (worker processes from ``PARALLEL_FROM`` rows on). Targets: one
process ≥ 2× faster at 2,000 rows and ≥ 3× at 20,000; the default ≥ 3× at
20,000; the default at 2,000 rows is reported.

mailmerge is installed from PyPI into a virtual environment of the
benchmark's own (``--env``, by default ``/tmp/infoview-bench-mailmerge``),
never into infoview's.

Both programs start as installed programs do, from cached bytecode: pip
compiled mailmerge's when it installed it, while infoview installed from a
source checkout (editable) under ``PYTHONDONTWRITEBYTECODE`` would compile
every one of its modules again on every run. So each runs with a bytecode
cache of the benchmark's own (``PYTHONPYCACHEPREFIX``) and once untimed
before the timed runs, which fills it.

``--threshold`` measures instead where worker processes start to pay:
``infoview drafts --csv`` with ``--workers 1`` and ``--workers 2`` taking
turns on 500, 2,000, 5,000 and 20,000 rows, each run in a process of its
own that runs the command line and reports its wall time, its own CPU time
and its workers' (``bulk.PARALLEL_FROM`` is set from it). On a busy machine
the wall times move; the CPU times say what two idle cores would give:
about ``max(parent, (parent + workers) / 2)``.

Run: ``python benchmarks/bench_bulk.py [--quick] [--env DIR] [--threshold]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _sample import report

from infoview import converter
from infoview.model import samples

SIZES = (2_000, 20_000)
THRESHOLD_COUNTS = (500, 2_000, 5_000, 20_000)
# Runs the command line in this process, then prints its wall and CPU times as JSON.
_CPU = """
import json, resource, sys, time
from infoview.cli import main
start = time.perf_counter()
main(sys.argv[1:], standalone_mode=False)
wall = time.perf_counter() - start
own, workers = (resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
print(json.dumps([wall, own.ru_utime + own.ru_stime, workers.ru_utime + workers.ru_stime]))
"""
MAILMERGE_TEMPLATE = """\
TO: {{ email }}
FROM: Sam Rivera <sam@example.org>
SUBJECT: Fellow {{ school }} alum curious about your work at {{ organization }}

Dear {{ name.split()[0] }},

I found you through the {{ school }} alumni network. I'm Sam Rivera, a fellow alum and a nurse \
exploring health-tech product roles.

What you do at {{ organization }} is close to what I want to do, and I'd love to \
hear how you got there. Would you have 20 minutes for a video call in the next few weeks? I'm \
happy to work around your schedule, and if now isn't a good time, no worries at all.

Best regards,
Sam Rivera
"""
SERVER = "[smtp_server]\nhost = localhost\nport = 25\nsecurity = Never\nusername = sam\n"


def mailmerge(env: Path) -> Path:
    """Return the mailmerge program, installing it into its own environment first if needed."""
    program = env / "bin" / "mailmerge"
    if not program.exists():
        print(f"installing mailmerge into {env} …", file=sys.stderr)
        pip = [str(env / "bin" / "python"), "-m", "pip", "install", "--quiet", "mailmerge"]
        for command in ([sys.executable, "-m", "venv", str(env)], pip):
            subprocess.run(command, check=True)  # noqa: S603 - fixed commands
    return program


def files(folder: Path, count: int) -> dict[str, Path]:
    """Write the CSV, the sender and mailmerge's template and server configuration."""
    first = ["Ana", "José", "Zoë", "Ørjan", "Li", "Amara", "Siobhán", "Dmitri"]
    rows = [
        {
            "name": f"{first[i % len(first)]} García {i}",
            "email": f"contact{i}@example.com",
            "title": "Product Manager",
            "organization": f"Acme Health {i % 50}",
            "school": "State University",
            "source": "alumni",
        }
        for i in range(count)
    ]
    paths = {
        "csv": folder / f"contacts{count}.csv",
        "sender": folder / "me.json",
        "template": folder / "mailmerge_template.txt",
        "config": folder / "mailmerge_server.conf",
    }
    with paths["csv"].open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    sender = converter.unstructure(samples.sender())
    paths["sender"].write_text(json.dumps(sender), encoding="utf-8")
    paths["template"].write_text(MAILMERGE_TEMPLATE, encoding="utf-8")
    paths["config"].write_text(SERVER, encoding="utf-8")
    return paths


def timed(command: list[str], out: Path, env: dict[str, str]) -> float:
    """Run a command to the end; return its wall time in seconds."""
    start = time.perf_counter()
    with out.open("wb") as file:
        subprocess.run(command, check=True, stdout=file, env=env)  # noqa: S603 - our commands
    return time.perf_counter() - start


def threshold(runs: int) -> None:
    """Print, for each size, the medians of one and of two workers: wall and CPU times."""
    with tempfile.TemporaryDirectory(prefix="infoview-bench-") as tmp:
        folder = Path(tmp)
        for count in THRESHOLD_COUNTS:
            paths = files(folder, count)
            found: dict[int, list[list[float]]] = {1: [], 2: []}
            for _ in range(runs):
                for workers in (1, 2):
                    out = folder / "out.mbox"
                    out.unlink(missing_ok=True)
                    command = [
                        sys.executable, "-c", _CPU, "drafts", "--csv", str(paths["csv"]),
                        "--sender", str(paths["sender"]), "--template", "outreach/alumni",
                        "--out", str(out), "--workers", str(workers),
                    ]  # fmt: skip
                    done = subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603
                    found[workers].append(json.loads(done.stdout.splitlines()[-1]))
            (w1, p1, _), (w2, p2, c2) = (
                [sorted(column)[len(column) // 2] for column in zip(*found[k], strict=True)]
                for k in (1, 2)
            )
            idle = max(p2, (p2 + c2) / 2)
            print(
                f"{count:>6,} rows: 1 worker {w1:.3f} s (CPU {p1:.3f} s); 2 workers {w2:.3f} s "
                f"(CPU here {p2:.3f} s, workers {c2:.3f} s); wall ratio {w1 / w2:.2f}, "
                f"on two idle cores about {p1 / idle:.2f}"
            )


def compare(folder: Path, merge: Path, count: int, runs: int) -> None:
    """Time infoview (one process, default workers) and mailmerge in turns on ``count`` rows."""
    paths = files(folder, count)
    infoview = Path(sys.executable).parent / "infoview"
    ours_cmd = [
        str(infoview), "drafts", "--csv", str(paths["csv"]), "--sender", str(paths["sender"]),
        "--template", "outreach/alumni", "--out",
    ]  # fmt: skip
    theirs_cmd = [
        str(merge), "--no-limit", "--dry-run", "--output-format", "raw",
        "--template", str(paths["template"]), "--database", str(paths["csv"]),
        "--config", str(paths["config"]),
    ]  # fmt: skip
    mbox, stream = folder / "outbox.mbox", folder / "mailmerge.out"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(folder / "bytecode")
    commands = {
        "one": [*ours_cmd, str(mbox), "--workers", "1"],
        "default": [*ours_cmd, str(mbox)],
        "mailmerge": theirs_cmd,
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for command in commands.values():  # untimed: fills the bytecode cache
        mbox.unlink(missing_ok=True)
        timed(command, stream, env)
    for _ in range(runs):
        for name, command in commands.items():
            mbox.unlink(missing_ok=True)
            times[name].append(timed(command, stream, env))
            if name != "mailmerge":
                written = mbox.read_bytes().count(b"\nFrom MAILER-DAEMON ") + 1
                if written != count:
                    raise SystemExit(f"expected {count} messages, found {written}")
    median = {k: sorted(v)[len(v) // 2] for k, v in times.items()}
    for key, label in (("one", "`--workers 1`"), ("default", "default workers")):
        factor = {(2_000, "one"): 2.0, (20_000, "one"): 3.0, (20_000, "default"): 3.0}.get(
            (count, key)
        )
        report(
            f"4 bulk: `infoview drafts --csv`, {count:,} rows to an mbox, {label}",
            median[key],
            median["mailmerge"],
            unit="s",
            target="reported" if factor is None else f"≥ {factor:g}× faster",
            baseline_is="`mailmerge --no-limit --dry-run --output-format raw` to a file",
            ratio=median["mailmerge"] / median[key],
            faster=True,
            met=None if factor is None else median["mailmerge"] >= factor * median[key],
            note=f"process start included, median of {runs}",
        )


def main() -> None:
    """Run both programs in turn at each size; print the medians and ratios."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    parser.add_argument(
        "--env", type=Path, default=Path(tempfile.gettempdir()) / "infoview-bench-mailmerge"
    )
    parser.add_argument("--threshold", action="store_true", help="1 against 2 workers by size")
    args = parser.parse_args()
    if args.threshold:
        threshold(3 if args.quick else 5)
        return
    merge = mailmerge(args.env)
    with tempfile.TemporaryDirectory(prefix="infoview-bench-") as tmp:
        for count in SIZES:
            runs = (3 if args.quick else 5) if count <= 2_000 else (1 if args.quick else 3)
            compare(Path(tmp), merge, count, runs)


if __name__ == "__main__":
    main()
