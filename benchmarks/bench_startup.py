"""Target 6: start-up, as time to the first draft's bytes, and the command line's fixed cost.

Each is a new process, run in turns (medians of 7, 5 with ``--quick``),
started as an installed program starts (``_sample.installed_env``: from
cached bytecode, after one untimed run of each):

- 6, time to the first draft's bytes: ``import infoview``, render
  ``outreach/alumni`` for the sample interview, ``Draft.as_bytes()``; against
  ``import jinja2, attrs`` plus the same text as one flat Jinja2 template
  (bench_render's), rendered into one ``EmailMessage`` serialized with
  ``as_bytes()`` (at most 1.5×). The note
  gives where our time goes, measured inside one process: the imports, the
  first render (the imports it makes on first use, then compiling the template) and the bytes.
- 6b ``import infoview`` against ``import jinja2, attrs`` (at most 1.3×).
- 6c ``infoview --help`` (under 0.3 s).
- 6d ``infoview drafts --csv`` of one row to an mbox against ``mailmerge
  --no-limit --dry-run --output-format raw`` of the same row (reported).

Run: ``python benchmarks/bench_startup.py [--quick] [--env DIR]``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _sample import installed_env, report, wall
from bench_bulk import files, mailmerge
from bench_render import BODY, SUBJECT

FIRST_DRAFT = """
import infoview
from infoview.model import samples
infoview.Templates().render("outreach/alumni", interview=samples.interview()).as_bytes()
"""
_FLAT = SUBJECT + "\n\n" + BODY
# The same text as one flat template (bench_render's), values given, into one EmailMessage.
BASELINE = f"""
import jinja2, attrs
from email.message import EmailMessage
template = jinja2.Template({_FLAT!r}, keep_trailing_newline=True)
values = dict(first_name="Ana", school="State University", organization="Acme Health",
              title="Product Manager", sender="Sam Rivera", headline="a nurse", minutes=20,
              medium="video")
subject, text = template.render(values).split("\\n\\n", 1)
message = EmailMessage()
message["From"] = "Sam Rivera <sam@example.org>"
message["To"] = "Ana García <ana@example.com>"
message["Subject"] = subject
message.set_content(text)
message.as_bytes()
"""
# The same as FIRST_DRAFT, timing its three steps.
STEPS = """
import json, time
start = time.perf_counter()
import infoview
from infoview.model import samples
imported = time.perf_counter()
draft = infoview.Templates().render("outreach/alumni", interview=samples.interview())
rendered = time.perf_counter()
draft.as_bytes()
done = time.perf_counter()
print(json.dumps([imported - start, rendered - imported, done - rendered]))
"""


def main() -> None:
    """Time the commands in turns; print the results."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    parser.add_argument(
        "--env", type=Path, default=Path(tempfile.gettempdir()) / "infoview-bench-mailmerge"
    )
    args = parser.parse_args()
    python, runs = sys.executable, 5 if args.quick else 7
    merge = mailmerge(args.env)
    with tempfile.TemporaryDirectory(prefix="infoview-bench-") as tmp:
        folder = Path(tmp)
        paths = files(folder, 1)
        mbox = folder / "one.mbox"
        commands = {
            "first": [python, "-c", FIRST_DRAFT],
            "baseline": [python, "-c", BASELINE],
            "import": [python, "-c", "import infoview"],
            "jinja2": [python, "-c", "import jinja2, attrs"],
            "help": [str(Path(python).parent / "infoview"), "--help"],
            "one row": [
                str(Path(python).parent / "infoview"), "drafts", "--csv", str(paths["csv"]),
                "--sender", str(paths["sender"]), "--template", "outreach/alumni",
                "--out", str(mbox),
            ],
            "mailmerge": [
                str(merge), "--no-limit", "--dry-run", "--output-format", "raw",
                "--template", str(paths["template"]), "--database", str(paths["csv"]),
                "--config", str(paths["config"]),
            ],
        }  # fmt: skip
        commands["first, cache off"] = commands["first"]
        env = installed_env(folder)
        envs = dict.fromkeys(commands, env)
        envs["first, cache off"] = installed_env(folder, cache=False)
        times: dict[str, list[float]] = {name: [] for name in commands}
        steps: list[list[float]] = []
        for name, command in commands.items():  # untimed: fills the file and bytecode caches
            mbox.unlink(missing_ok=True)
            wall(command, envs[name])
        for _ in range(runs):
            for name, command in commands.items():
                mbox.unlink(missing_ok=True)
                times[name].append(wall(command, envs[name]))
            done = subprocess.run(  # noqa: S603 - our own script
                [python, "-c", STEPS], check=True, capture_output=True, text=True, env=env
            )
            steps.append(json.loads(done.stdout))
    median = {k: sorted(v)[len(v) // 2] for k, v in times.items()}
    imports, render, raw = (sorted(column)[len(column) // 2] for column in zip(*steps, strict=True))
    report(
        "6 start-up: time to the first draft's bytes",
        median["first"],
        median["baseline"],
        unit="s",
        target="≤ 1.5×",
        baseline_is="`import jinja2, attrs`, the flat template into one `EmailMessage`, its bytes",
        met=median["first"] <= 1.5 * median["baseline"],
        note=f"new processes, median of {runs}; inside the process: imports {imports:.3f} s, "
        f"first render (the imports it makes on first use, then `outreach/alumni`'s code "
        f"for English, read from the template cache) {render:.3f} s, "
        f"bytes {raw:.4f} s; the compiled-template cache filled by an earlier run "
        "(as for every run after the first)",
    )
    report(
        "6 start-up: time to the first draft's bytes, compiled-template cache off",
        median["first, cache off"],
        median["baseline"],
        unit="s",
        target="reported (the first run ever, or INFOVIEW_CACHE_DIR empty)",
        baseline_is="`import jinja2, attrs`, the flat template into one `EmailMessage`, its bytes",
        met=None,
        note=f"new processes, median of {runs}",
    )
    report(
        "6b start-up: `import infoview`",
        median["import"],
        median["jinja2"],
        unit="s",
        target="≤ 1.3×",
        baseline_is="`import jinja2, attrs`",
        met=median["import"] <= 1.3 * median["jinja2"],
        note=f"median of {runs}",
    )
    report(
        "6c start-up: `infoview --help`",
        median["help"],
        0.3,
        unit="s",
        target="< 0.3 s",
        baseline_is="the limit",
        met=median["help"] < 0.3,
        note=f"median of {runs}",
    )
    report(
        "6d start-up: `infoview drafts --csv` of one row to an mbox",
        median["one row"],
        median["mailmerge"],
        unit="s",
        target="reported",
        baseline_is="`mailmerge --no-limit --dry-run --output-format raw` of the same row",
        ratio=median["mailmerge"] / median["one row"],
        faster=True,
        met=None,
        note=f"median of {runs}",
    )


if __name__ == "__main__":
    main()
