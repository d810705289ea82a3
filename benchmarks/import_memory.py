"""Peak memory of importing a large CSV: ``read_csv`` and ``infoview import csv … -o``.

Writes a CSV of 100,000 and of 1,000,000 rows (four columns, about 70 bytes
a row) in a temporary folder, then runs each import in a fresh child
process and prints the child's peak resident memory (its ``ru_maxrss``),
its time, and the same for a process that only imports infoview (the floor
no import can go below). Issue #24 asks for a 1M-row CSV to import under
200 MB with ``infoview import csv big.csv -o out.json``: the figures are
printed for a person to read, never checked.

Run: ``python benchmarks/import_memory.py [--rows 100000 …]``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

# Each measurement runs in a child of a small wrapper, which reports the
# child's peak RSS (Linux: KiB) and wall time as JSON on its stdout.
_WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"kib": peak, "seconds": seconds, "code": done.returncode,
                  "stderr": done.stderr.decode(errors="replace")[-2000:]}))
"""

_READ_CSV = """
import sys
from infoview.importers import read_csv
result = read_csv(sys.argv[1])
print(result.summary(), file=sys.stderr)
"""

_FLOOR = "import infoview.cli, infoview.importers.spreadsheet"


def write_csv(path: Path, rows: int) -> int:
    """Write a CSV of ``rows`` distinct contacts; return its size in bytes."""
    with path.open("w", encoding="utf-8", newline="") as file:
        file.write("Name,Email,Company,Title\n")
        for start in range(0, rows, 10_000):
            file.writelines(
                f"Ana García {i},ana{i}@example.com,Acme Health {i % 100},Product Manager\n"
                for i in range(start, min(rows, start + 10_000))
            )
    return path.stat().st_size


def measure(*command: str) -> tuple[float, float]:
    """Run ``command`` in a fresh process; return its peak RSS in MB and its seconds."""
    done = subprocess.run(  # noqa: S603 - our own commands
        [sys.executable, "-c", _WRAPPER, *command],
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(done.stdout)
    if figures["code"] not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed:\n{figures['stderr']}")
    return figures["kib"] / 1024, figures["seconds"]


def main() -> None:
    """Print peak memory and time of each import, per size."""
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--rows", type=int, nargs="+", default=[100_000, 1_000_000], help="sizes to import"
    )
    args = parser.parse_args()
    console = str(Path(sys.executable).with_name("infoview"))
    floor, _ = measure(sys.executable, "-c", _FLOOR)
    print(f"floor (python + import infoview): {floor:7.1f} MB")
    with tempfile.TemporaryDirectory(prefix="infoview-import-") as tmp:
        for rows in args.rows:
            table = Path(tmp) / f"big-{rows}.csv"
            size = write_csv(table, rows)
            print(f"{rows:>9,} rows, {size / 2**20:5.1f} MiB of CSV:")
            peak, seconds = measure(sys.executable, "-c", _READ_CSV, str(table))
            print(f"  read_csv                  {peak:7.1f} MB peak  {seconds:6.1f} s")
            out = Path(tmp) / "out.json"
            peak, seconds = measure(console, "import", "csv", str(table), "-o", str(out))
            print(
                f"  infoview import csv -o    {peak:7.1f} MB peak  {seconds:6.1f} s"
                f"  ({peak / (size / 2**20):.1f} MB per MiB of CSV)"
            )
            out.unlink()
            table.unlink()


if __name__ == "__main__":
    main()
