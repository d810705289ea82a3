"""Sample data shared by the benchmarks."""

from __future__ import annotations

import time
from datetime import datetime
from zoneinfo import ZoneInfo

from infoview import Contact, Interview, Medium, QuestionBank, Register, Source


def sample_interviews(count: int) -> list[Interview]:
    """Return ``count`` distinct interviews with the same shape."""
    me = Contact(
        name="Sam Rivera",
        email="sam@example.org",
        headline="a nurse exploring health-tech product roles",
        school="State University",
        locale="en_US",
        timezone="America/Chicago",
    )
    agenda = QuestionBank.default().plan(minutes=20)
    return [
        Interview(
            contact=Contact(
                name=f"Ana García {i}",
                email=f"ana{i}@example.com",
                title="Product Manager",
                organization="Acme Health",
                school="State University",
                source=Source.ALUMNI,
                locale="en_US",
                timezone="America/Mexico_City",
                register=Register.FORMAL,
            ),
            sender=me,
            medium=Medium.VIDEO,
            scheduled_at=datetime(2026, 12, 3, 15, 0, tzinfo=ZoneInfo("America/Chicago")),
            questions=agenda,
            takeaways=["shadowing a product trio for a sprint is the fastest way in"],
        )
        for i in range(count)
    ]


def best_of(runs: int, func: object) -> float:
    """Return the fastest of ``runs`` timings of ``func()``, in seconds."""
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        func()  # type: ignore[operator]
        timings.append(time.perf_counter() - start)
    return min(timings)
