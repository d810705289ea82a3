"""Where the time of a bulk run goes: each step's cost a row, and the fixed cost before the first.

Measured in one process on the CSV file of 2,000 rows bench_bulk.py writes
(``outreach/alumni``, one process): reading and checking the rows
(``stream_csv``), building each ``Interview`` (``bulk.drafting.default_interview``),
rendering, the message bytes (``Draft.as_bytes()``) and writing them to an
mbox, each step alone over all the rows, and then all of them as a run takes
them (``bulk.drafts`` into an mbox: a few rows at a time through each step,
so the sum of the steps alone and the run differ); then, in new processes
started as installed programs are (``_sample.installed_env``; medians of 5),
the time ``python -c pass`` takes, importing what ``infoview drafts``
imports, and the first render with its code read from the compiled-template
cache and with that cache off. Each line is printed as ``PROFILE {json}``
for run.py's page; nothing here is a target.

Run: ``python benchmarks/profile_bulk.py [--quick]``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _sample import installed_env, interleaved, wall
from bench_bulk import files

from infoview import Contact, Templates, bulk, converter
from infoview.bulk.drafting import default_interview
from infoview.importers import stream_csv

COUNT = 2_000
TEMPLATE = "outreach/alumni"
# What `infoview drafts` loads, the collector paused as the command line pauses it.
IMPORTS = (
    "import gc; gc.disable(); "
    "import infoview.cli, infoview.cli._contacts, infoview.bulk.drafting, infoview.importers"
)
FIRST = """
import time
from infoview import Templates
from infoview.model import samples
iv = samples.interview()
start = time.perf_counter()
Templates().render("outreach/alumni", interview=iv)
print(time.perf_counter() - start)
"""


def say(step: str, value: float, unit: str) -> None:
    """Print one step, then its ``PROFILE`` line."""
    print(f"{step}: {value:.4g} {unit}")
    print("PROFILE " + json.dumps({"step": step, "value": value, "unit": unit}, ensure_ascii=False))


def main() -> None:
    """Time each step over the rows, then the fixed costs; print them."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    args = parser.parse_args()
    runs = 3 if args.quick else 5
    with tempfile.TemporaryDirectory(prefix="infoview-bench-") as tmp:
        paths = files(Path(tmp), COUNT)
        sender = converter.structure(json.loads(paths["sender"].read_text()), Contact)
        templates = Templates()
        with stream_csv(paths["csv"]) as stream:
            contacts = [record.contact for record in stream]
        interviews = [default_interview(c, sender) for c in contacts]
        drafts = [templates.render(TEMPLATE, interview=iv) for iv in interviews]
        messages = [d.as_bytes() for d in drafts]
        out = Path(tmp) / "out.mbox"

        def read() -> None:
            with stream_csv(paths["csv"]) as stream:
                for _ in stream:
                    pass

        def write() -> None:
            with out.open("wb") as file:
                for raw in messages:
                    file.write(b"From MAILER-DAEMON Thu Jan  1 00:00:00 1970\n")
                    file.write(raw.replace(b"\r\n", b"\n").replace(b"\nFrom ", b"\n>From "))
                    file.write(b"\n")

        def run() -> None:
            out.unlink(missing_ok=True)
            with stream_csv(paths["csv"]) as stream:
                bulk.write_drafts_mbox(
                    bulk.drafts(stream, sender, template=TEMPLATE, workers=1), out
                )

        found = interleaved(
            runs,
            run=run,
            read=read,
            interview=lambda: [default_interview(c, sender) for c in contacts],
            render=lambda: [templates.render(TEMPLATE, interview=iv) for iv in interviews],
            bytes=lambda: [d.as_bytes() for d in drafts],
            write=write,
        )
    labels = {
        "read": "reading and checking a row (`stream_csv`)",
        "interview": "building its `Interview`",
        "render": "rendering `outreach/alumni`",
        "bytes": "the message bytes (`Draft.as_bytes()`)",
        "write": "writing them to an mbox (an estimate: a plain loop of file writes)",
    }
    whole = found.pop("run")
    for key, label in labels.items():
        say(f"per row: {label}", found[key] * 1e6 / COUNT, "µs")
    say("per row: all of the above, each step alone", sum(found.values()) * 1e6 / COUNT, "µs")
    say(
        "per row: the same steps as a run takes them (`bulk.drafts` of the CSV file into "
        "an mbox, one process, in this process)",
        whole * 1e6 / COUNT,
        "µs",
    )
    python = sys.executable
    fixed: dict[str, list[float]] = {"bare": [], "imports": [], "first": [], "cold": []}
    with tempfile.TemporaryDirectory(prefix="infoview-bench-") as tmp:
        env, cold = installed_env(Path(tmp)), installed_env(Path(tmp), cache=False)
        for _ in range(runs + 1):  # the first, untimed, fills the caches
            fixed["bare"].append(wall([python, "-c", "pass"], env))
            fixed["imports"].append(wall([python, "-c", IMPORTS], env))
            for key, where in (("first", env), ("cold", cold)):
                done = subprocess.run(  # noqa: S603 - our own script
                    [python, "-c", FIRST], check=True, capture_output=True, text=True, env=where
                )
                fixed[key].append(float(done.stdout))
    fixed = {key: found[1:] for key, found in fixed.items()}
    median = {k: sorted(v)[len(v) // 2] for k, v in fixed.items()}
    say("fixed: `python -c pass`", median["bare"], "s")
    say("fixed: importing what `infoview drafts` imports, less `python -c pass`",
        median["imports"] - median["bare"], "s")  # fmt: skip
    say(
        "fixed: the first render, its code read from the compiled-template cache",
        median["first"],
        "s",
    )
    say(
        "fixed: the first render with that cache off (compiling the template for the language)",
        median["cold"],
        "s",
    )


if __name__ == "__main__":
    main()
