"""Rendering many drafts with infoview against raw Jinja2 on the same template and data.

The baseline renders the same compiled template with the same context through
Jinja2's own ``Template.render``; infoview adds locale resolution, blank checks,
the subject block and building the Draft. Prints the ratio (lower is better;
1.0 would mean no overhead). Run: ``python benchmarks/bench_render.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _sample import best_of, sample_interviews

from infoview import Templates

COUNT = 1_000
NAMES = ("outreach/alumni", "thank_you", "questions/list")


def main() -> None:
    """Time both ways and print one line per template plus the overall ratio."""
    interviews = sample_interviews(COUNT)
    templates = Templates()
    total_ours = total_raw = 0.0
    print(f"{COUNT} drafts per template, best of 5 runs")
    for name in NAMES:
        # The same templates infoview renders: the text and any HTML/Markdown siblings.
        parts = [templates.get_template(name)] + [
            templates.get_template(name + ext)
            for ext in (".html", ".md")
            if name + ext in templates.environment.list_templates()
        ]
        contexts = [templates._context({"interview": iv}, None) for iv in interviews]
        templates.render(name, interview=interviews[0])  # warm the caches

        def ours(name: str = name) -> None:
            for iv in interviews:
                templates.render(name, interview=iv)

        def raw(parts: list[object] = parts, contexts: list[dict[str, object]] = contexts) -> None:
            for ctx in contexts:
                for part in parts:
                    part.render(ctx)  # type: ignore[attr-defined]

        t_ours, t_raw = best_of(5, ours), best_of(5, raw)
        total_ours += t_ours
        total_raw += t_raw
        print(
            f"{name:20} infoview {t_ours * 1e6 / COUNT:7.1f} µs/draft   "
            f"raw Jinja2 {t_raw * 1e6 / COUNT:7.1f} µs/draft   ratio {t_ours / t_raw:.2f}"
        )
    print(f"overall ratio infoview / raw Jinja2: {total_ours / total_raw:.2f}")


if __name__ == "__main__":
    main()
