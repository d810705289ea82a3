"""Target 5: the command line's memory is flat in the number of rows (≤ 60 MiB at 100,000).

``infoview drafts --csv`` from CSV files of 2,000, 20,000 and 100,000 rows
to an mbox, with its default workers, each in a new process: the peak
resident memory of the largest process of the run (the command or a worker:
``ru_maxrss`` of the children of a process started only to run it). The
target: at most 60 MiB at the largest size, and flat: the largest file's
peak at most 10% above the smallest's.

``--library`` also streams drafts from a generator straight into the mbox
writer (``bulk.drafts`` → ``bulk.write_mbox``) in this process and reports
the growth of its peak after a warm-up of 200 drafts.

``--quick`` stops at 20,000 rows.

Run: ``python benchmarks/bench_memory.py [--quick] [--library]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _sample import installed_env, report

from infoview import Contact, Source, bulk, converter
from infoview.model import samples

BUDGET_MB = 50.0
CLI_BUDGET_MIB = 60.0
# Run in a process of its own, so that its children are the command and its workers only.
_PEAK = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
"""


def contacts(count: int) -> Iterator[Contact]:
    """Yield ``count`` distinct alumni, made as they are needed."""
    for i in range(count):
        yield Contact(
            name=f"Ana García {i}",
            email=f"ana{i}@example.com",
            title="Product Manager",
            organization=f"Acme Health {i % 100}",
            school="State University",
            source=Source.ALUMNI,
        )


def peak_mb() -> float:
    """The process's peak resident memory so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_csv(path: Path, count: int) -> None:
    """Write ``count`` alumni rows, as bench_bulk.py does."""
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["name", "email", "title", "organization", "school", "source"])
        for i in range(count):
            writer.writerow(
                [f"Ana García {i}", f"contact{i}@example.com", "Product Manager",
                 f"Acme Health {i % 50}", "State University", "alumni"]
            )  # fmt: skip


def command_line_peak(count: int, folder: Path) -> float:
    """Peak RSS in MiB of ``infoview drafts --csv`` on ``count`` rows, to an mbox."""
    table, sender, out = folder / f"c{count}.csv", folder / "me.json", folder / f"o{count}.mbox"
    write_csv(table, count)
    sender.write_text(json.dumps(converter.unstructure(samples.sender())), encoding="utf-8")
    program = Path(sys.executable).parent / "infoview"
    command = [
        sys.executable, "-c", _PEAK, str(program), "drafts", "--csv", str(table),
        "--sender", str(sender), "--template", "outreach/alumni", "--out", str(out),
    ]  # fmt: skip
    env = installed_env(folder)  # as an installed program starts: no module compiled on the way
    for _ in range(2):  # the first fills the bytecode and template caches
        out.unlink(missing_ok=True)
        done = subprocess.run(command, check=True, capture_output=True, text=True, env=env)  # noqa: S603
    return float(done.stdout)


def command_line(quick: bool) -> None:
    """Report the command line's peak RSS at each size: under the budget, and flat."""
    sizes = (2_000, 20_000) if quick else (2_000, 20_000, 100_000)
    with tempfile.TemporaryDirectory(prefix="infoview-bench-") as tmp:
        peaks = {count: command_line_peak(count, Path(tmp)) for count in sizes}
    small, large = sizes[0], sizes[-1]
    report(
        f"5 memory: `infoview drafts --csv`, {large:,} rows to an mbox, peak RSS",
        peaks[large],
        CLI_BUDGET_MIB,
        unit="MiB",
        target="≤ 60 MiB, flat (≤ 1.1× the smallest file's)",
        baseline_is="the budget",
        met=peaks[large] <= CLI_BUDGET_MIB and peaks[large] <= 1.1 * peaks[small],
        note="peak RSS of the largest process (the command or a worker): "
        + ", ".join(f"{count:,} rows {peak:.1f} MiB" for count, peak in peaks.items())
        + f"; {large:,} against {small:,} rows: {peaks[large] / peaks[small]:.2f}, "
        f"{(peaks[large] - peaks[small]) * 2**20 / (large - small):.0f} bytes a row more "
        "(what finds duplicate rows keeps an 8-byte hash and a 4-byte line number a row)",
    )


def library(quick: bool) -> None:
    """Stream drafts from a generator into an mbox in this process; report the peak's growth."""
    count = 10_000 if quick else 100_000
    sender = samples.sender()
    with tempfile.TemporaryDirectory(prefix="infoview-bench-") as tmp:
        warm = bulk.drafts(contacts(200), sender, template="outreach/alumni")
        bulk.write_mbox(warm, Path(tmp) / "warm.mbox")
        before = peak_mb()
        start = time.perf_counter()
        run = bulk.drafts(contacts(count), sender, template="outreach/alumni")
        written = bulk.write_mbox(run, Path(tmp) / "outbox.mbox")
        seconds = time.perf_counter() - start
        size = (Path(tmp) / "outbox.mbox").stat().st_size
    if written != count:
        raise SystemExit(run.report.summary())
    growth = peak_mb() - before
    report(
        f"5b memory, library: {count:,} drafts streamed from a generator, peak growth",
        growth,
        BUDGET_MB,
        unit="MB",
        target="< 50 MB",
        baseline_is="the budget",
        met=growth < BUDGET_MB,
        note=f"{count:,} drafts ({size / 1e6:.0f} MB of mbox) in {seconds:.0f} s; "
        "baseline is the budget",
    )


def main() -> None:
    """Measure the command line's peak at each size (and, asked, the library's growth)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="up to 20,000 rows")
    parser.add_argument("--library", action="store_true", help="also the library's growth")
    args = parser.parse_args()
    command_line(args.quick)
    if args.library:
        library(args.quick)


if __name__ == "__main__":
    main()
