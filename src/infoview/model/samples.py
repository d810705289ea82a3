"""Built-in sample data: people and an interview to try templates with.

Every built-in template renders for :func:`interview`::

    import infoview
    from infoview import samples

    draft = infoview.render("thank_you", interview=samples.interview())
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from infoview.model.contact import Contact, Register, Source
from infoview.model.interview import Interview, Medium, Party
from infoview.model.questions import QuestionBank
from infoview.model.texts import LocalizedText

# The sample's own words, in every shipped language, so a sample draft in
# German holds no English that infoview wrote.
_HEADLINE = LocalizedText(
    {
        "en": "a nurse exploring health-tech product roles",
        "de": "Pflegefachkraft und auf dem Weg ins Produktmanagement für Gesundheits-Apps",
        "fr": "infirmier et je m’intéresse aux métiers du produit dans la santé numérique",
        "es": "enfermero y estoy explorando roles de producto en salud digital",
    }
)
_TAKEAWAY = LocalizedText(
    {
        "en": "shadowing a product team for a week teaches more than any course",
        "de": "eine Woche bei einem Produktteam mitzulaufen lehrt mehr als jeder Kurs",
        "fr": "suivre une équipe produit pendant une semaine apprend plus que n’importe quel cours",
        "es": "acompañar a un equipo de producto durante una semana enseña más que cualquier curso",
    }
)
_KEPT = {
    "en": "read Inspired by Marty Cagan",
    "de": "„Inspired“ von Marty Cagan lesen",
    "fr": "lire « Inspired » de Marty Cagan",
    "es": "leer «Inspired», de Marty Cagan",
}

__all__ = ["contact", "interview", "introducer", "referral", "sender"]


def sender(name: str = "Sam Rivera") -> Contact:
    """Return the person reaching out: a nurse exploring health-tech product roles."""
    return Contact(
        name=name,
        email="sam@example.org",
        headline=_HEADLINE,
        school="State University",
        locale="en_US",
        timezone="America/Chicago",
    )


def introducer() -> Contact:
    """Return Lin Okafor, who introduced the sender to the contact."""
    return Contact(
        name="Lin Okafor",
        email="lin@example.net",
        title="Data Engineer",
        organization="Northwind",
    )


def referral() -> Contact:
    """Return Priya Nair, whom the contact offers to introduce the sender to."""
    return Contact(
        name="Priya Nair",
        email="priya@example.net",
        title="Clinical Informatics Lead",
        organization="Northwind Health",
    )


def contact(
    name: str = "Ana García",
    *,
    locale: str = "en_US",
    register: Register = Register.FORMAL,
) -> Contact:
    """Return an alumna product manager in Mexico City, met at a summit, introduced by Lin."""
    return Contact(
        name=name,
        email="ana@example.com",
        title="Product Manager",
        organization="Acme Health",
        school="State University",
        source=Source.ALUMNI,
        source_detail="HealthTech Summit 2026",
        introduced_by=introducer(),
        locale=locale,
        timezone="America/Mexico_City",
        register=register,
    )


def interview(
    *,
    locale: str = "en_US",
    register: Register = Register.FORMAL,
    name: str = "Ana García",
    sender_name: str = "Sam Rivera",
) -> Interview:
    """Return a 20-minute video interview with everything every built-in template can use.

    It has an agenda, a time (3 December 2026, 15:00 in Chicago), a takeaway,
    an introduction to Priya Nair on offer and one of your promises kept.

    Args:
        locale: The contact's locale (the language the drafts are written in).
        register: Formal or informal address.
        name: The contact's name.
        sender_name: Your name.
    """
    result = Interview(
        contact=contact(name, locale=locale, register=register),
        sender=sender(sender_name),
        duration=timedelta(minutes=20),
        medium=Medium.VIDEO,
        scheduled_at=datetime(2026, 12, 3, 15, 0, tzinfo=ZoneInfo("America/Chicago")),
        questions=QuestionBank.default().plan(minutes=20),
        takeaways=[_TAKEAWAY],
    )
    result.suggest(referral(), introduce=True)
    kept = result.promise(_KEPT.get(locale.partition("_")[0], _KEPT["en"]), by=Party.ME)
    kept.done_at = datetime(2026, 12, 20, tzinfo=UTC)
    return result
