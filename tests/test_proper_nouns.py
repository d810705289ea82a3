"""A school, event or company name never needs an article or a case ending (issue 23).

"über das Alumni-Netzwerk von Universidad de Guadalajara", "bei HIMSS Europe
2026", "réseau des anciens de Universidad de Guadalajara" and "à HIMSS Europe
2026" are wrong: the name would need an article ("der", "de l'", "au") that
depends on a gender the templates cannot know. Every built-in is rendered in
every language and register with names of every gender and shape, and the word
before each name is checked: a name stands after a colon, at the start, or in
apposition to a noun that carries the article ("bei der Veranstaltung HIMSS
Europe 2026", "lors de l'événement HIMSS Europe 2026", "en el evento …").
"""

from __future__ import annotations

import re

import pytest

import infoview
from infoview import Interview, Register, Source
from infoview.model import samples
from tests._drafting import BUILTIN_NAMES

LOCALES = ("en_US", "de_DE", "fr_FR", "es_MX")
REGISTERS = (Register.FORMAL, Register.INFORMAL)

# Feminine, masculine and neuter in German, French and Spanish; with and
# without a place; one that starts with an article-like word.
SCHOOLS = (
    "Universidad de Guadalajara",
    "Imperial College London",
    "Technische Universität München",
)
EVENTS = ("HIMSS Europe 2026", "Web Summit", "Barcamp Berlin")
COMPANIES = ("Doctolib", "Charité", "Northwind Health")

# Words that, right before a school's or an event's name, mean the name itself
# needs an article or a contraction of one.
BEFORE_NAME = {
    "en": "",
    "de": "von vom bei beim an am auf in im zu zum zur der die das dem den des über aus",
    "fr": "de du des à au aux le la les l d lors en dans sur chez",
    "es": "de del en el la los las al a con sobre",
}
# Right before a company's name, a preposition is how each language says it
# ("bei Doctolib", "chez Doctolib", "en Doctolib"); an article never is.
BEFORE_COMPANY = {
    "en": "the",
    "de": "der die das dem den des",
    "fr": "le la les l",
    "es": "el la los las",
}


def interview_for(
    locale: str, register: Register, source: Source, *, school: str, event: str, company: str
) -> Interview:
    """The sample interview, the contact's school, event and company replaced."""
    interview = samples.interview(locale=locale, register=register)
    interview.contact = interview.contact.with_changes(
        school=school, source_detail=event, organization=company, source=source
    )
    return interview


def render_all(name: str, interview: Interview) -> str:
    """Subject and text of a built-in; a nudge replies to the alumni outreach."""
    context: dict[str, object] = {}
    if name == "outreach/nudge":
        context["original"] = infoview.render("outreach/alumni", interview=interview)
    draft = infoview.render(name, interview=interview, **context)
    return f"{draft.subject}\n{draft.text}"


def wrong_before(text: str, value: str, words: str) -> list[str]:
    """The places where ``value`` follows one of ``words``, or takes an ending."""
    found = []
    for match in re.finditer(re.escape(value), text):
        before = re.findall(r"[^\W\d_]+", text[: match.start()][-30:])
        if (
            before
            and before[-1].casefold() in words.split()
            and not text[: match.start()].rstrip().endswith((":", ","))
        ):
            found.append(text[max(0, match.start() - 40) : match.end()])
        if re.match(r"[^\W\d_]", text[match.end() : match.end() + 1]):
            found.append(text[match.start() : match.end() + 3])
    return found


@pytest.mark.parametrize("register", REGISTERS)
@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_names_need_no_article(name: str, locale: str, register: Register) -> None:
    """No school, event or company name stands where it would need an article or ending."""
    language = locale[:2]
    problems = []
    for source in (Source.ALUMNI, Source.EVENT):
        for school, event, company in zip(SCHOOLS, EVENTS, COMPANIES, strict=True):
            text = render_all(
                name,
                interview_for(
                    locale, register, source, school=school, event=event, company=company
                ),
            )
            for value in (school, event):
                problems += wrong_before(text, value, BEFORE_NAME[language])
            problems += wrong_before(text, company, BEFORE_COMPANY[language])
    assert [] == problems


@pytest.mark.parametrize(
    ("language", "text", "value", "expected"),
    [
        (
            "de",
            "über das Alumni-Netzwerk von Web Summit",
            "Web Summit",
            ["über das Alumni-Netzwerk von Web Summit"],
        ),
        ("de", "bei der Veranstaltung Web Summit", "Web Summit", []),
        ("fr", "notre rencontre à Web Summit", "Web Summit", ["notre rencontre à Web Summit"]),
        ("fr", "réseau des anciens Web Summit", "Web Summit", []),
        (
            "de",
            "die Absolventen der Web Summits",
            "Web Summit",
            ["die Absolventen der Web Summit", "Web Summits"],
        ),
    ],
)
def test_the_check_finds_articles(
    language: str, text: str, value: str, expected: list[str]
) -> None:
    """The check itself: an article or preposition before a name, or an ending after it."""
    assert expected == wrong_before(text, value, BEFORE_NAME[language])
