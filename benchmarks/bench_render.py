"""Target 1: rendering 2,000 outreach drafts against one flat Jinja2 template (reported; 3.5×).

infoview renders ``outreach/alumni`` (subject and text) for 2,000 contacts.
The baseline is the same text written by hand as one flat Jinja2 template
that gives the subject, a blank line and the text (split apart after the
render, inside the timing), compiled once, rendered with the same values
worked out beforehand: one ``Template.render`` call a draft, as infoview
makes. The script checks that both give the same text, prints the ratio
and, with ``--profile``, a cProfile summary of infoview's side.

Run: ``python benchmarks/bench_render.py [--quick] [--profile]``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
from pathlib import Path
from typing import Any

import jinja2

sys.path.insert(0, str(Path(__file__).parent))

from _sample import interleaved, report, sample_interviews

from infoview import Interview, Templates

TEMPLATE = "outreach/alumni"
SUBJECT = "Fellow {{ school }} alum curious about your work at {{ organization }}"
BODY = """\
Dear {{ first_name }},

I found you through the {{ school }} alumni network. I'm {{ sender }}, a fellow alum and \
{{ headline }}.

What you do at {{ organization }} is close to what I want to do, and I'd love \
to hear how you got there. Would you have {{ minutes }} minutes for a {{ medium }} call in \
the next few weeks? I'm happy to work around your schedule, and if now isn't a good time, no \
worries at all.

Best regards,
{{ sender }}
"""


def values(interview: Interview) -> dict[str, Any]:
    """The values the flat template needs, worked out before timing."""
    contact, sender = interview.contact, interview.sender or interview.contact
    return {
        "first_name": contact.name.split()[0],
        "school": contact.school,
        "organization": contact.organization,
        "title": contact.title,
        "sender": sender.name,
        "headline": str(sender.headline or "").strip(" ."),
        "minutes": int(interview.duration.total_seconds() // 60),
        "medium": str(getattr(interview.medium, "value", interview.medium)),
    }


def main() -> None:
    """Check both give the same text, time them interleaved, print the ratio."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    parser.add_argument("--profile", action="store_true", help="print where infoview's time goes")
    args = parser.parse_args()
    count, runs = 2_000, 3 if args.quick else 5
    interviews = sample_interviews(count)
    templates = Templates()
    env = jinja2.Environment(autoescape=False, keep_trailing_newline=True)  # noqa: S701 - mail text
    both = env.from_string(SUBJECT + "\n\n" + BODY)
    contexts = [values(iv) for iv in interviews]

    def ours() -> None:
        for iv in interviews:
            templates.render(TEMPLATE, interview=iv)

    def flat() -> None:
        for ctx in contexts:
            both.render(ctx).split("\n\n", 1)

    differ = 0
    for iv, ctx in zip(interviews, contexts, strict=True):
        draft = templates.render(TEMPLATE, interview=iv)
        differ += [draft.subject, draft.text] != both.render(ctx).split("\n\n", 1)
    found = interleaved(runs, ours=ours, flat=flat)
    note = "same text" if not differ else f"the flat template differs for {differ} drafts"
    report(
        "1 rendering `outreach/alumni`, subject and text",
        found["ours"] * 1e6 / count,
        found["flat"] * 1e6 / count,
        unit="µs/draft",
        target="reported (goal ≤ 3.5×)",
        baseline_is="one flat Jinja2 template of the same text, values worked out beforehand",
        met=found["ours"] <= 3.5 * found["flat"],
        note=f"{note}; {count:,} drafts, median of {runs}",
    )
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(ours)
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(30)
        print(out.getvalue())


if __name__ == "__main__":
    main()
