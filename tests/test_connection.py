"""outreach/connection: an email to someone you are already connected with on LinkedIn (#18)."""

from __future__ import annotations

import email
import email.policy
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest

import infoview
from infoview import Contact, Draft, Interview, Medium, Register, Source, outreach_template
from infoview.importers import read_linkedin
from infoview.model import samples
from infoview.rendering.quality import OUTREACH_WORD_LIMIT
from infoview.rendering.registry import TEMPLATES
from tests.test_no_english import english_words

NAME = "outreach/connection"
CONNECTIONS = Path(__file__).parent / "data" / "import" / "linkedin_connections.csv"
LOCALES = ("en_US", "de_DE", "fr_FR", "es_MX")
REGISTERS = (Register.FORMAL, Register.INFORMAL)

#: How each draft opens after the greeting: the LinkedIn connection, first.
_EN = "We're connected on LinkedIn, and I hope you don't mind a note by email."
OPENING = {
    ("en", Register.FORMAL): _EN,
    ("en", Register.INFORMAL): _EN,
    ("de", Register.FORMAL): (
        "wir sind auf LinkedIn vernetzt, und ich hoffe, eine kurze E-Mail ist Ihnen recht."
    ),
    ("de", Register.INFORMAL): (
        "wir sind auf LinkedIn vernetzt, und ich hoffe, eine kurze E-Mail ist dir recht."
    ),
    ("fr", Register.FORMAL): (
        "Nous sommes en relation sur LinkedIn, et j’espère qu’un petit message par e-mail"
        " ne vous dérange pas."
    ),
    ("fr", Register.INFORMAL): (
        "Nous sommes en relation sur LinkedIn, et j’espère qu’un petit message par e-mail"
        " ne te dérange pas."
    ),
    ("es", Register.FORMAL): (
        "Somos contactos en LinkedIn y espero que no le moleste que le escriba por correo."
    ),
    ("es", Register.INFORMAL): (
        "Somos contactos en LinkedIn y espero que no te moleste que te escriba por correo."
    ),
}
#: The interview's 20 minutes, as each language writes them.
TWENTY_MINUTES = {"en": "20 minutes", "de": "20 Minuten", "fr": "20 minutes", "es": "20 minutos"}


def connection(locale: str, register: Register) -> Contact:
    """A LinkedIn connection who shared an email: Lei Wang, read from a real export."""
    contact = read_linkedin(CONNECTIONS).contacts[1]
    assert (Source.SOCIAL, "lei@example.cn") == (contact.source, contact.email)
    return contact.with_changes(locale=locale, register=register)


def interview_for(locale: str, register: Register, **changes: object) -> Interview:
    """A 20-minute video interview with the connection; the sample sender writes."""
    return Interview(
        contact=connection(locale, register),
        sender=samples.sender(),
        duration=timedelta(minutes=20),
        **changes,  # type: ignore[arg-type]
    )


def parse(draft: Draft) -> EmailMessage:
    """Build the message and parse it back with the standard library."""
    parsed = email.message_from_bytes(draft.as_bytes(), policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


@pytest.mark.parametrize("register", REGISTERS)
@pytest.mark.parametrize("locale", LOCALES)
def test_renders_as_an_email_to_the_connection(locale: str, register: Register) -> None:
    """A plain-text email in the contact's language and register, opening with LinkedIn."""
    interview = interview_for(locale, register)
    draft = infoview.render(NAME, interview=interview)
    language = locale[:2]
    assert locale == draft.locale
    parsed = parse(draft)
    assert "Lei Wang <lei@example.cn>" == parsed["To"]
    assert "text/plain" == parsed.get_content_type()
    assert draft.subject == parsed["Subject"]
    paragraphs = draft.text.split("\n\n")
    assert paragraphs[1].startswith(OPENING[language, register])
    assert "LinkedIn" in draft.subject
    assert TWENTY_MINUTES[language] in draft.subject
    assert TWENTY_MINUTES[language] in paragraphs[2]
    assert [] == infoview.lint(draft)


@pytest.mark.parametrize("register", REGISTERS)
@pytest.mark.parametrize("locale", LOCALES)
def test_is_not_the_connection_request(locale: str, register: Register) -> None:
    """Neither the subject nor the body is the connection note's."""
    interview = interview_for(locale, register)
    draft = infoview.render(NAME, interview=interview)
    note = infoview.render("outreach/social", interview=interview)
    assert note.subject != draft.subject
    assert note.text.split("\n\n")[1] not in draft.text
    assert "connection request" not in draft.subject.casefold()
    assert len(draft.text) > 200  # an email, not a note of 200 characters


@pytest.mark.parametrize("register", REGISTERS)
@pytest.mark.parametrize("locale", LOCALES)
def test_under_the_word_limit(locale: str, register: Register) -> None:
    """Under 150 words, with a purpose and a reason as well."""
    interview = interview_for(locale, register, purpose="how engineers move into robotics product")
    reason = "your posts on warehouse robots"
    draft = infoview.render(NAME, interview=interview, reason=reason)
    assert 150 == OUTREACH_WORD_LIMIT
    assert len(draft.text.split()) < OUTREACH_WORD_LIMIT
    assert reason in draft.text


@pytest.mark.parametrize("register", REGISTERS)
@pytest.mark.parametrize("locale", LOCALES[1:])
def test_no_english_left(locale: str, register: Register) -> None:
    """In German, French and Spanish no English that infoview wrote is left."""
    interview = interview_for(locale, register)
    draft = infoview.render(NAME, interview=interview)
    for part in (draft.subject, draft.text):
        assert set() == english_words(part, interview), part


@pytest.mark.parametrize(
    ("locale", "formal", "informal"),
    [("de_DE", "Ihnen", "dir"), ("fr_FR", "vous", "te"), ("es_MX", "le moleste", "te moleste")],
)
def test_registers_differ(locale: str, formal: str, informal: str) -> None:
    """Sie/du, vous/tu, usted/tú follow Contact.register."""
    texts = {
        register: infoview.render(NAME, interview=interview_for(locale, register)).text
        for register in REGISTERS
    }
    assert formal in texts[Register.FORMAL].split("\n\n")[1]
    assert informal in texts[Register.INFORMAL].split("\n\n")[1]


def test_why_them_from_their_role_organization_or_headline() -> None:
    """The reason is their role at their organization, else their headline, else given."""
    interview = interview_for("en_US", Register.FORMAL)
    text = " ".join(infoview.render(NAME, interview=interview).text.split())
    assert "What you do at Shenzhen Robotics is close to what I want to do" in text
    assert "(Engineer)" not in text
    interview.contact = interview.contact.with_changes(
        title=None, organization=None, headline="Robotics PM | warehouse automation"
    )
    draft = infoview.render(NAME, interview=interview)
    expected = (
        "Your profile sums up your work as “Robotics PM | warehouse automation”,"
        " which is close to what I want to do"
    )
    assert expected in " ".join(draft.text.split())
    assert "We're connected on LinkedIn: 20 minutes to learn about your career path?" == (
        draft.subject
    )
    draft = infoview.render(NAME, interview=interview, reason="your talk on robot safety")
    text = " ".join(draft.text.split())
    assert "What made me write to you in particular: your talk on robot safety." in text
    assert "Your profile sums up" not in text


def test_the_ask_is_the_interviews_duration_and_medium() -> None:
    """A 30-minute phone interview asks for 30 minutes on the phone."""
    interview = interview_for("de_DE", Register.FORMAL)
    interview.duration = timedelta(minutes=30)
    interview.medium = Medium.PHONE
    draft = infoview.render(NAME, interview=interview)
    assert "Auf LinkedIn vernetzt: 30 Minuten für ein paar Fragen zu Ihrer Arbeit" in draft.subject
    assert "30 Minuten Zeit für ein kurzes Telefonat" in " ".join(draft.text.split())


def test_social_contacts_still_get_the_note() -> None:
    """outreach_template keeps Source.SOCIAL on the note; the email is chosen by name."""
    assert "outreach/social" == outreach_template(Source.SOCIAL)
    assert "outreach/social" == outreach_template(connection("en_US", Register.FORMAL))
    template = TEMPLATES[NAME]
    assert (True, ()) == (template.first_outreach, template.sources)
    assert "no-time-bound-ask" in template.lint
    assert "never an email" in TEMPLATES["outreach/social"].purpose
