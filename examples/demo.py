"""Demo: plan a 20-minute informational interview from built-in sample data."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from infoview import Contact, Interview, Medium, QuestionBank, Register, Source


def main() -> None:
    """Print the agenda planned for a sample interview."""
    me = Contact(
        name="Sam Rivera",
        email="sam@example.org",
        headline="a nurse exploring health-tech product roles",
        school="State University",
        locale="en_US",
        timezone="America/Chicago",
    )
    ana = Contact(
        name="Ana García",
        email="ana@example.com",
        title="Product Manager",
        organization="Acme Health",
        school="State University",
        source=Source.ALUMNI,
        locale="es_MX",
        timezone="America/Mexico_City",
        register=Register.FORMAL,
    )
    interview = Interview(
        contact=ana,
        sender=me,
        medium=Medium.VIDEO,
        scheduled_at=datetime(2026, 12, 3, 15, 0, tzinfo=ZoneInfo("America/Chicago")),
        questions=QuestionBank.default().plan(minutes=20),
    )
    agenda = interview.questions
    print(
        f"Agenda for {interview.minutes} minutes with {ana.name} ({ana.title}, {ana.organization})"
    )
    print(
        f"Estimated: {agenda.minutes} minutes, including {agenda.opening} to open "
        f"and {agenda.closing} to close\n"
    )
    for number, question in enumerate(agenda, start=1):
        print(f"{number}. {question.text}  (~{question.minutes} min)")


if __name__ == "__main__":
    main()
