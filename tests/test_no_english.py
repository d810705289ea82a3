"""No English that infoview wrote in a translated draft or invite (issue 10).

The sample interview — with the introduction Ana offered (``suggest(introduce=True)``),
a purpose, goals, a headline and a takeaway given per language — is rendered
with every built-in template and as a calendar invite, in German, French and
Spanish, formally and informally. Once the values the user gave (names,
organizations, titles, addresses) are taken out, no frequent English word is left.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import icalendar
import pytest

import infoview
from infoview import Draft, Interview, Party, Register, calendar_invite
from infoview.model import samples
from tests._drafting import BUILTIN_NAMES

LOCALES = ("de_DE", "fr_FR", "es_MX")
REGISTERS = (Register.FORMAL, Register.INFORMAL)

# Frequent English words that are not also words of German, French or Spanish
# ("me", "a", "in", "die", "also", "update", "minutes", "questions", "note" are).
ENGLISH = frozenset(
    str.split(
        """the and you your yours introduce introduction today with for thank
    thanks what hope hoping learn would how about of my are this that our we at from fellow
    alum curious work career path looking forward time call next step offering forward posted
    keep informational interview dear hi regards best schedule confirmed when where length
    planned to is it be have who which more i'm i'd i'll it's let know send short easy again
    suggested reach out great meet met since checking well while still think told
    shadowing teaches course any than read"""
    )
)

PER_LANGUAGE = {
    "headline": {
        "en": "a nurse exploring health-tech product roles",
        "de": "Pflegekraft auf dem Weg in Produktrollen im Gesundheitswesen",
        "fr": "infirmier en reconversion vers les métiers du produit en e-santé",
        "es": "enfermero en transición hacia roles de producto en salud digital",
    },
    "purpose": {
        "en": "how nurses move into health-tech product roles",
        "de": "wie Pflegekräfte in Produktrollen wechseln",
        "fr": "comment les infirmiers passent aux métiers du produit",
        "es": "cómo pasan los enfermeros a roles de producto",
    },
    "goal": {
        "en": "which certificates matter",
        "de": "welche Zertifikate zählen",
        "fr": "quelles certifications comptent",
        "es": "qué certificados cuentan",
    },
    "takeaway": {
        "en": "shadowing a product team for a week teaches more than any course",
        "de": "eine Woche im Produktteam lehrt mehr als jeder Kurs",
        "fr": "une semaine dans une équipe produit apprend plus qu’un cours",
        "es": "una semana con un equipo de producto enseña más que cualquier curso",
    },
}
# What you promised, in the language you write to Ana in (your words are quoted).
ACTION = {
    "de": "Inspired von Marty Cagan lesen",
    "fr": "lire Inspired de Marty Cagan",
    "es": "leer Inspired de Marty Cagan",
}


def interview_for(locale: str, register: Register) -> Interview:
    """The sample interview (with the promised introduction), free text per language."""
    interview = samples.interview(locale=locale, register=register)
    assert any(p.introduction is not None for p in interview.promises)
    interview.sender = interview.sender.with_changes(headline=PER_LANGUAGE["headline"])
    interview.purpose = PER_LANGUAGE["purpose"]
    interview.goals = (PER_LANGUAGE["goal"],)
    interview.takeaways = (PER_LANGUAGE["takeaway"],)
    kept = interview.promise(ACTION[locale[:2]], by=Party.ME)
    kept.done_at = datetime(2026, 12, 20, tzinfo=UTC)
    interview.promises = [p for p in interview.promises if p.by is Party.THEM] + [kept]
    return interview


def user_values(interview: Interview) -> list[str]:
    """What the user wrote that stays as written: names, places, addresses."""
    people = [interview.contact, interview.sender, *(r.person for r in interview.referrals)]
    people += [p.introduced_by for p in people if p.introduced_by is not None]
    values = ["Inspired", "Marty Cagan", interview.location or ""]
    for person in people:
        values += [person.name, person.first_name, person.email or ""]
        values += [person.title or "", person.organization or "", person.school or ""]
        values += [person.source_detail or ""]
    return sorted((v for v in values if v), key=len, reverse=True)


def english_words(text: str, interview: Interview) -> set[str]:
    """The frequent English words left in ``text`` once the user's values are taken out."""
    text = re.sub(r"<[^>]+>", " ", text)  # HTML markup is not prose
    for value in user_values(interview):
        text = text.replace(value, " ")
    words = re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", text.casefold())
    return {w.replace("’", "'") for w in words} & ENGLISH


def render(name: str, interview: Interview) -> Draft:
    extra = {}
    if name == "outreach/nudge":
        extra["original"] = infoview.render("outreach/alumni", interview=interview)
    return infoview.render(name, interview=interview, **extra)


def test_the_english_word_list_catches_english() -> None:
    """The check is not vacuous: the English drafts are full of these words."""
    interview = interview_for("de_DE", Register.FORMAL)
    draft = infoview.render("thank_you", interview=interview, locale="en_US")
    assert {"thank", "introduce", "you", "for"} <= english_words(draft.text, interview)


@pytest.mark.parametrize("register", REGISTERS)
@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_no_english_in_drafts(name: str, locale: str, register: Register) -> None:
    """Subject, text, Markdown and HTML of every built-in hold no English infoview wrote."""
    interview = interview_for(locale, register)
    draft = render(name, interview)
    assert locale == draft.locale
    for part in (draft.subject, draft.text, draft.markdown or "", draft.html or ""):
        assert set() == english_words(part, interview), part
    assert [] == [f for f in infoview.lint(draft) if "language" in f.code]


@pytest.mark.parametrize("register", REGISTERS)
@pytest.mark.parametrize("locale", LOCALES)
def test_no_english_in_the_invite(locale: str, register: Register) -> None:
    """The invite's summary, description and alarm are in the contact's language."""
    interview = interview_for(locale, register)
    interview.location = "https://meet.example.com/abc-defg"
    (event,) = icalendar.Calendar.from_ical(calendar_invite(interview)).events
    texts = [str(event["summary"]), str(event["description"])]
    texts += [str(alarm["description"]) for alarm in event.walk("VALARM")]
    for text in texts:
        assert set() == english_words(text, interview), text
    assert PER_LANGUAGE["purpose"][locale[:2]] in texts[1]


@pytest.mark.parametrize("locale", LOCALES)
def test_the_promised_introduction_in_every_language(locale: str) -> None:
    """The thank-you words the introduction itself; nothing of "introduce me to"."""
    expected = {
        "de": "Danke auch für Ihr Angebot, mich Priya Nair vorzustellen.",
        "fr": "Merci aussi pour votre proposition de me présenter à Priya Nair.",
        "es": "Gracias también por ofrecerse a presentarme a Priya Nair.",
    }[locale[:2]]
    text = infoview.render("thank_you", interview=interview_for(locale, Register.FORMAL)).text
    assert expected in " ".join(text.split())
    assert "introduce" not in text
