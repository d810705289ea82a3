"""Target 5: 100,000 drafts streamed to an mbox with peak memory growth under 50 MB.

Contacts come from a generator and drafts go straight into the mbox writer
(``bulk.drafts`` → ``bulk.write_mbox``), as the command line does. The
growth is the process's peak resident memory at the end less its peak after
a warm-up of 200 drafts (imports, compiled templates and caches are not
growth). ``--quick`` drafts 10,000.

Run: ``python benchmarks/bench_memory.py [--quick]``.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _sample import report

from infoview import Contact, Source, bulk
from infoview.model import samples

BUDGET_MB = 50.0


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


def main() -> None:
    """Stream the drafts into an mbox; print the peak growth against the budget."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="10,000 drafts instead of 100,000")
    args = parser.parse_args()
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
