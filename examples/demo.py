"""Demo: the messages around one informational interview, from built-in sample data.

Renders the outreach email, the question list for the call (as text, Markdown
and HTML) and the thank-you note with infoview's built-in templates, and prints
them as they would be sent.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import infoview
from infoview import Draft, Interview, Medium, Party, QuestionBank
from infoview.model import samples

RULE = "─" * 72


def show(title: str, draft: Draft) -> None:
    """Print a draft the way a mail program would show it."""
    message = draft.to_email()
    print(RULE)
    print(f"{title}  ({draft.template}, {draft.locale})")
    print(RULE)
    for header in ("From", "To", "Subject"):
        print(f"{header}: {message[header]}")
    print()
    print(draft.text)
    findings = infoview.lint(draft)
    print("lint:", "; ".join(str(f) for f in findings) if findings else "no findings")
    print()


def main() -> None:
    """Render an outreach email, a question list and a thank-you note."""
    chicago = ZoneInfo("America/Chicago")
    # Built-in sample people; samples.contact(locale="es_MX") writes every message in Spanish.
    interview = Interview(
        contact=samples.contact(),
        sender=samples.sender(),
        duration=timedelta(minutes=20),
        medium=Medium.VIDEO,
        questions=QuestionBank.default().plan(minutes=20),
    )

    show("1. Outreach", infoview.render("outreach/alumni", interview=interview))

    interview.request(at=datetime(2026, 11, 23, 9, 0, tzinfo=chicago))
    interview.schedule(at=datetime(2026, 12, 3, 15, 0, tzinfo=chicago))
    print(repr(interview))  # a short repr; in a notebook the interview shows as a card
    questions = infoview.render("questions/list", interview=interview)
    print(RULE)
    print(f"2. Question list  ({questions.template}; as text, Markdown and HTML)")
    print(RULE)
    print(questions.text)
    print("── the same as Markdown (draft.markdown) ──")
    print(questions.markdown)
    html = questions.html or ""
    print(f"── and as HTML (draft.html, {len(html):,} characters; sent as an alternative) ──")
    print("\n".join(html.strip().splitlines()[:6]), "…", sep="\n")
    print()

    interview.complete(at=datetime(2026, 12, 3, 15, 25, tzinfo=chicago))
    interview.takeaways = ("shadowing a product team for a week teaches more than any course",)
    interview.suggest(samples.referral(), introduce=True)
    interview.promise("ask my hospital's product team whether I can shadow them", by=Party.ME)
    show("3. Thank-you", infoview.render("thank_you", interview=interview))


if __name__ == "__main__":
    main()
