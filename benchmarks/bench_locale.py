"""Target 3: 2,000 German drafts with dates and durations against English ones (at most 1.2×).

``scheduling/confirm`` states the agreed date, time and length, so it reads
Babel's date, time, time-zone and unit data; the German and English runs
render the same 2,000 interviews, each with its own day and length.

Run: ``python benchmarks/bench_locale.py [--quick]``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _sample import interleaved, report, scheduled_interviews

from infoview import Templates

COUNT = 2_000
TEMPLATE = "scheduling/confirm"


def main() -> None:
    """Time German and English interleaved; print the ratio."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    args = parser.parse_args()
    interviews = scheduled_interviews(COUNT)
    templates = Templates()
    for locale in ("de", "en"):  # parse each Locale and catalog before timing
        templates.render(TEMPLATE, locale=locale, interview=interviews[0])

    def german() -> None:
        for iv in interviews:
            templates.render(TEMPLATE, locale="de", interview=iv)

    def english() -> None:
        for iv in interviews:
            templates.render(TEMPLATE, locale="en", interview=iv)

    found = interleaved(3 if args.quick else 7, german=german, english=english)
    report(
        "3 localized rendering",
        found["german"] * 1e6 / COUNT,
        found["english"] * 1e6 / COUNT,
        unit="µs/draft",
        target="≤ 1.2×",
        met=found["german"] <= 1.2 * found["english"],
        note="German against English, scheduling/confirm",
    )


if __name__ == "__main__":
    main()
