"""A doctor is greeted by each language's norm, the same way in every built-in (issue 23).

English names the title with the family name; German puts it after "Frau"/"Herr"
when the contact stated the address, and before the full name when not;
French does not use academic titles in address; Spanish writes "Dra."/"Dr."
only with a stated address, since the abbreviation shows a gender. A
connection note greets informal-politely, never like a letter.
"""

from __future__ import annotations

import pytest

import infoview
from infoview import Honorific, Interview, Register
from infoview.model import samples
from tests._drafting import BUILTIN_NAMES

NAME = "Dr. Helga Schmidt-Weber"
F, I = Register.FORMAL, Register.INFORMAL  # noqa: E741 - the two registers, short for the table
# (language, register, stated address) -> (letter, connection note)
EXPECTED = {
    ("en", F, Honorific.MS): ("Dear Dr. Schmidt-Weber,", "Hello Dr. Schmidt-Weber,"),
    ("en", F, None): ("Dear Dr. Schmidt-Weber,", "Hello Dr. Schmidt-Weber,"),
    ("en", I, Honorific.MS): ("Hi Helga,", "Hi Helga,"),
    ("en", I, None): ("Hi Helga,", "Hi Helga,"),
    ("de", F, Honorific.MS): (
        "Sehr geehrte Frau Dr. Schmidt-Weber,",
        "Guten Tag Frau Dr. Schmidt-Weber,",
    ),
    ("de", F, None): ("Guten Tag Dr. Helga Schmidt-Weber,", "Guten Tag Dr. Helga Schmidt-Weber,"),
    ("de", I, Honorific.MS): ("Liebe Helga,", "Liebe Helga,"),
    ("de", I, None): ("Hallo Helga,", "Hallo Helga,"),
    ("fr", F, Honorific.MS): ("Madame,", "Bonjour Madame Schmidt-Weber,"),
    ("fr", F, None): ("Bonjour Helga Schmidt-Weber,", "Bonjour Helga Schmidt-Weber,"),
    ("fr", I, Honorific.MS): ("Bonjour Helga,", "Bonjour Helga,"),
    ("fr", I, None): ("Bonjour Helga,", "Bonjour Helga,"),
    ("es", F, Honorific.MS): ("Estimada Dra. Schmidt-Weber:", "Buenos días, Dra. Schmidt-Weber:"),
    ("es", F, None): ("Buenos días, Helga Schmidt-Weber:", "Buenos días, Helga Schmidt-Weber:"),
    ("es", I, Honorific.MS): ("Hola, Helga:", "Hola, Helga:"),
    ("es", I, None): ("Hola, Helga:", "Hola, Helga:"),
}
LOCALES = {"en": "en_US", "de": "de_DE", "fr": "fr_FR", "es": "es_MX"}
# The question lists are notes for you, not messages: they greet no one.
MESSAGES = tuple(name for name in BUILTIN_NAMES if not name.startswith("questions/"))


def interview_for(language: str, register: Register, honorific: Honorific | None) -> Interview:
    """The sample interview with a doctor as the contact."""
    interview = samples.interview(locale=LOCALES[language], register=register, name=NAME)
    interview.contact = interview.contact.with_changes(honorific=honorific)
    return interview


def greeting(name: str, interview: Interview) -> str:
    """The first line of a built-in's draft."""
    context: dict[str, object] = {}
    if name == "outreach/nudge":
        context["original"] = infoview.render("outreach/alumni", interview=interview)
    return infoview.render(name, interview=interview, **context).text.splitlines()[0]


@pytest.mark.parametrize(("language", "register", "honorific"), sorted(EXPECTED, key=str))
def test_a_doctor_is_greeted_the_same_in_every_template(
    language: str, register: Register, honorific: Honorific | None
) -> None:
    """Every message opens with the language's form for a doctor; a note with the note's."""
    letter, note = EXPECTED[language, register, honorific]
    interview = interview_for(language, register, honorific)
    greetings = {name: greeting(name, interview) for name in MESSAGES}
    expected = {name: note if name == "outreach/social" else letter for name in MESSAGES}
    assert expected == greetings
