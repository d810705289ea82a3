"""Target 3: every shipped language against English, on two templates (at most 1.2× each).

``outreach/alumni`` (greeting, the ask, a paragraph joined by ``|paragraph``)
and ``scheduling/confirm`` (the agreed date, time, time zone and length: Babel's
date, time, zone and unit data) are rendered for the same 300 interviews,
each with its own day and length, in every language infoview ships; the
languages take turns (21 times, short turns, so that a burst of other work on a
shared machine falls on one turn), and each one's median is set against English's.

Run: ``python benchmarks/bench_locale.py [--quick]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


from _sample import report, scheduled_interviews, turns

from infoview import Interview, Templates
from infoview.language.locales import LANGUAGES

COUNT = 300
TEMPLATES = ("outreach/alumni", "scheduling/confirm")


def renders(
    templates: Templates, name: str, locale: str, interviews: list[Interview]
) -> Callable[[], None]:
    """A function rendering ``name`` in ``locale`` for every interview."""

    def run() -> None:
        for iv in interviews:
            templates.render(name, locale=locale, interview=iv)

    return run


def main() -> None:
    """Time every language interleaved with English; print each ratio."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    args = parser.parse_args()
    runs = 9 if args.quick else 21
    interviews = scheduled_interviews(COUNT)
    templates = Templates()
    for name in TEMPLATES:
        for locale in LANGUAGES:  # compile, parse each Locale and catalog before timing
            templates.render(name, locale=locale, interview=interviews[0])
        timings = turns(
            runs, **{locale: renders(templates, name, locale, interviews) for locale in LANGUAGES}
        )
        found = {locale: statistics.median(times) for locale, times in timings.items()}
        fastest = {locale: min(times) for locale, times in timings.items()}
        for locale in LANGUAGES:
            if locale == "en":
                continue
            report(
                f"3 `{name}` in {locale}",
                found[locale] * 1e6 / COUNT,
                found["en"] * 1e6 / COUNT,
                unit="µs/draft",
                target="≤ 1.2×",
                baseline_is="the same in English",
                met=found[locale] <= 1.2 * found["en"],
                note=f"{COUNT:,} drafts, median of {runs} turns; the fastest turns' ratio "
                f"{fastest[locale] / fastest['en']:.2f}×",
            )


if __name__ == "__main__":
    main()
