"""Target 5: 100,000 drafts streamed to an mbox with peak memory growth under 50 MB.

5 (the library): contacts come from a generator and drafts go straight into
the mbox writer (``bulk.drafts`` → ``bulk.write_mbox``). The growth is the
process's peak resident memory at the end less its peak after a warm-up of
200 drafts (imports, compiled templates and caches are not growth).

5b (the command line): ``infoview drafts --csv`` from a CSV file of 20,000
and of 100,000 rows to an mbox, with its default workers, each in a new
process: the peak resident memory of the largest process of the run (the
command or a worker: ``ru_maxrss`` of the children of a process started
only to run it), against 60 MiB, and the larger file's peak over the
smaller's (flat: about 1).

``--quick`` drafts 10,000 in 5, and 2,000 and 20,000 rows in 5b.

Run: ``python benchmarks/bench_memory.py [--quick]``.
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

from _sample import report

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
    done = subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603
    return float(done.stdout)


def command_line(quick: bool) -> None:
    """Report the command line's peak RSS at two sizes: under the budget, and flat."""
    small, large = (2_000, 20_000) if quick else (20_000, 100_000)
    with tempfile.TemporaryDirectory(prefix="infoview-bench-") as tmp:
        peaks = {count: command_line_peak(count, Path(tmp)) for count in (small, large)}
    report(
        "5b memory, command line",
        peaks[large],
        CLI_BUDGET_MIB,
        unit="MiB",
        target="≤ 60 MiB, flat",
        met=max(peaks.values()) <= CLI_BUDGET_MIB and peaks[large] <= 1.1 * peaks[small],
        note=f"`infoview drafts --csv` peak RSS: {small:,} rows {peaks[small]:.1f} MiB, "
        f"{large:,} rows {peaks[large]:.1f} MiB (ratio {peaks[large] / peaks[small]:.2f}); "
        "baseline is the budget",
    )


def main() -> None:
    """Stream the drafts into an mbox; print the peak growth against the budget."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="10,000 drafts instead of 100,000")
    args = parser.parse_args()
    command_line(args.quick)
    count = 10_000 if args.quick else 100_000
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
        "5 memory",
        growth,
        BUDGET_MB,
        unit="MB",
        target="< 50 MB",
        met=growth < BUDGET_MB,
        note=f"{count:,} drafts ({size / 1e6:.0f} MB of mbox) in {seconds:.0f} s; "
        "baseline is the budget",
    )


if __name__ == "__main__":
    main()
