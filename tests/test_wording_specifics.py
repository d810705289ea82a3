"""The wording a careful reader checks: titles, "it", the connection note (issue 23)."""

from __future__ import annotations

import pytest

import infoview
from infoview import Interview, Register
from infoview.model import samples
from tests._drafting import BUILTIN_NAMES

LOCALES = ("en_US", "de_DE", "fr_FR", "es_MX")
REGISTERS = (Register.FORMAL, Register.INFORMAL)


def render(name: str, interview: Interview) -> str:
    """Subject and text of a built-in; a nudge replies to the alumni outreach."""
    context: dict[str, object] = {}
    if name == "outreach/nudge":
        context["original"] = infoview.render("outreach/alumni", interview=interview)
    draft = infoview.render(name, interview=interview, **context)
    return f"{draft.subject}\n{draft.text}"


@pytest.mark.parametrize("register", REGISTERS)
@pytest.mark.parametrize("locale", LOCALES)
def test_no_title_in_parentheses(locale: str, register: Register) -> None:
    """ "What you do at Doctolib (Senior Product Manager)" reads like a form: never written."""
    interview = samples.interview(locale=locale, register=register)
    interview.contact = interview.contact.with_changes(
        title="Senior Product Manager", organization="Doctolib"
    )
    titles = [interview.contact.title, *(r.person.title for r in interview.referrals)]
    for name in BUILTIN_NAMES:
        text = render(name, interview)
        assert [] == [t for t in titles if f"({t})" in text], name


@pytest.mark.parametrize("register", REGISTERS)
def test_the_thank_you_says_what_it_will_report_on(register: Register) -> None:
    """No "I'll keep you posted on how it goes": the advice is what "it" was."""
    text = render("thank_you", samples.interview(register=register))
    assert "I'll let you know what comes of your advice." in text
    assert "how it goes" not in text


@pytest.mark.parametrize(
    ("locale", "subject", "greeting"),
    [
        ("en_US", "Connection request from Sam Rivera", "Hello Ana,"),
        ("de_DE", "Kontaktanfrage von Sam Rivera", "Guten Tag Ana García,"),
        ("fr_FR", "Demande de mise en relation de la part de Sam Rivera", "Bonjour Ana García,"),
        ("es_MX", "Solicitud de conexión: Sam Rivera", "Buenos días, Ana García:"),
    ],
)
def test_the_connection_note_reads_as_a_note(locale: str, subject: str, greeting: str) -> None:
    """The note's subject reads naturally, it opens as a note and signs as every message does."""
    interview = samples.interview(locale=locale)
    note = infoview.render("outreach/social", interview=interview)
    letter = infoview.render("outreach/alumni", interview=interview)
    assert subject == note.subject
    assert greeting == note.text.splitlines()[0]
    assert not note.text.startswith("Dear")
    assert "Sam Rivera" == note.text.rstrip().splitlines()[-1]
    assert letter.text.rstrip().splitlines()[-1] == note.text.rstrip().splitlines()[-1]
