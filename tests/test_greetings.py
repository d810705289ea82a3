"""Greetings and names: names taken apart, the salutation per language, German after the comma."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import infoview
from infoview import Contact, Honorific, Register, ValidationError
from infoview.language.wording import (
    after_greeting,
    closing,
    format_day,
    format_meeting_time,
    salutation,
)
from infoview.model.names import UnreadableNameError, parse_name
from tests._drafting import BUILTIN_NAMES, sample_interview

# -- names -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "given", "family"),
    [
        ("Ana García", "Ana", "García"),
        ("García, Ana", "Ana", "García"),
        ("Garcia, Ana", "Ana", "Garcia"),
        ("Ana Lopez, PhD", "Ana", "Lopez"),
        ("López, Ana, PhD", "Ana", "López"),
        ("John Smith Jr.", "John", "Smith"),
        ("John Smith, Jr., MD", "John", "Smith"),
        ("Juan de la Cruz", "Juan", "de la Cruz"),
        ("de la Cruz, Juan", "Juan", "de la Cruz"),
        ("Richard von Weizsäcker", "Richard", "von Weizsäcker"),
        ("Ludwig van Beethoven", "Ludwig", "van Beethoven"),
        ("Leonardo da Vinci", "Leonardo", "da Vinci"),
        ("Dr. Ana García", "Ana", "García"),
        ("Prof. Dr. Hans Weber", "Hans", "Weber"),
        ("Mr. Smith", None, "Smith"),
        ("Frau Müller", None, "Müller"),
        ("Madonna", "Madonna", "Madonna"),
        ("Yo-Yo Ma", "Yo-Yo", "Ma"),
        ("李雷", "李雷", "李雷"),
    ],
)
def test_name_parts(name: str, given: str | None, family: str) -> None:
    """Comma form, suffixes, particles and titles are read; the rest is given and family."""
    parts = parse_name(name)
    assert (given, family) == (parts.given, parts.family)


def test_name_titles_and_courtesy() -> None:
    """Titles before the name are noted apart, with the address a courtesy title states."""
    weber, garcia = parse_name("Prof. Dr. Hans Weber"), parse_name("Dra. Ana García")
    assert (("Prof", "Dr"), None) == (weber.titles, weber.courtesy)
    assert (("Dr",), "ms") == (garcia.titles, garcia.courtesy)
    assert "mr" == parse_name("Mr. Smith").courtesy
    assert "Ana García" == parse_name("García, Dr. Ana, PhD").full


@pytest.mark.parametrize(
    "name", ["Dr.", "Mr.", "PhD", "de la", "von der", "García, Ana, María", ","]
)
def test_unreadable_name_is_refused(name: str) -> None:
    """A name with no given or family name to find is refused, saying what to set."""
    with pytest.raises(UnreadableNameError):
        parse_name(name)
    with pytest.raises(ValidationError) as caught:
        Contact(name=name)
    assert ("Contact", "name") == (caught.value.owner, caught.value.field)
    assert "given_name" in str(caught.value)
    assert "family_name" in str(caught.value)


def test_unreadable_name_with_both_parts_set() -> None:
    """With given_name and family_name set, any name is kept as written."""
    contact = Contact(name="Dr.", given_name="Ana", family_name="García")
    assert ("Ana", "García") == (contact.first_name, contact.last_name)
    assert "Dear Ana," == salutation(contact, "formal", "en_US")


def test_explicit_parts_win_over_the_name() -> None:
    """given_name and family_name override what the name gives; its titles stay."""
    contact = Contact(name="Dr. María José Carrasco Pérez", family_name="Carrasco Pérez")
    assert ("María", "Carrasco Pérez") == (contact.first_name, contact.last_name)
    assert "Sehr geehrte Frau Dr. Carrasco Pérez," == salutation(
        contact.with_changes(honorific=Honorific.MS), "formal", "de"
    )


# -- salutations ---------------------------------------------------------------

F, I = "formal", "informal"  # noqa: E741 - the two registers, short for the table


@pytest.mark.parametrize(
    ("name", "honorific", "register", "locale", "expected"),
    [
        # English: the first name, or the honorific (a title in the name wins) and family name.
        ("Ana García", None, F, "en_US", "Dear Ana,"),
        ("Ana García", "ms", F, "en_US", "Dear Ms. García,"),
        ("Ana García", "ms", F, "en_GB", "Dear Ms García,"),
        ("Ana García", None, I, "en_US", "Hi Ana,"),
        ("Garcia, Ana", None, I, "en_US", "Hi Ana,"),
        ("Garcia, Ana", None, F, "en_US", "Dear Ana,"),
        ("Ana Lopez, PhD", None, I, "en_US", "Hi Ana,"),
        ("Ana Lopez, PhD", "ms", F, "en_US", "Dear Ms. Lopez,"),
        ("Juan de la Cruz", None, I, "en_US", "Hi Juan,"),
        ("Juan de la Cruz", "mr", F, "en_US", "Dear Mr. de la Cruz,"),
        ("Mr. Smith", None, F, "en_US", "Dear Mr. Smith,"),
        ("Mr. Smith", None, I, "en_US", "Dear Mr. Smith,"),
        ("Dr. Ana García", "ms", F, "en_US", "Dear Dr. García,"),
        ("Dr. Ana García", None, F, "en_GB", "Dear Dr García,"),
        ("Dr. Ana García", "ms", I, "en_US", "Hi Ana,"),
        ("Prof. Dr. Hans Weber", "mr", F, "en_US", "Dear Professor Weber,"),
        ("Ana García", "mx", F, "en_US", "Dear Mx. García,"),
        ("Ana García", "dr", F, "en_US", "Dear Dr. García,"),
        ("李雷", None, F, "en_US", "Dear 李雷,"),
        # German: neutral with the full name, gendered only when stated.
        ("Anna Schäfer", None, F, "de_DE", "Guten Tag Anna Schäfer,"),
        ("Anna Schäfer", "ms", F, "de_DE", "Sehr geehrte Frau Schäfer,"),
        ("Schäfer, Anna", None, F, "de_AT", "Guten Tag Anna Schäfer,"),
        ("Richard von Weizsäcker", "mr", F, "de_DE", "Sehr geehrter Herr von Weizsäcker,"),
        ("Dr. Anna Schäfer", "ms", F, "de_DE", "Sehr geehrte Frau Dr. Schäfer,"),
        ("Dr. Anna Schäfer", None, F, "de_DE", "Guten Tag Dr. Anna Schäfer,"),
        ("Prof. Dr. Hans Weber", "mr", F, "de_DE", "Sehr geehrter Herr Prof. Dr. Weber,"),
        ("Frau Anna Schäfer", None, F, "de_DE", "Sehr geehrte Frau Schäfer,"),
        ("Ana Lopez, PhD", None, F, "de_DE", "Guten Tag Ana Lopez,"),
        ("Anna Schäfer", None, I, "de_DE", "Hallo Anna,"),
        ("Anna Schäfer", "ms", I, "de_DE", "Liebe Anna,"),
        ("Juan de la Cruz", None, I, "de_DE", "Hallo Juan,"),
        # French: no academic titles in address.
        ("Anna Müller", None, F, "fr_FR", "Bonjour Anna Müller,"),
        ("Müller, Anna", None, F, "fr_FR", "Bonjour Anna Müller,"),
        ("Anna Müller", "ms", F, "fr_FR", "Madame,"),
        ("Dr. Anna Müller", None, F, "fr_FR", "Bonjour Anna Müller,"),
        ("Mr. Smith", None, F, "fr_FR", "Monsieur,"),
        ("Juan de la Cruz", None, I, "fr_FR", "Bonjour Juan,"),
        # Spanish: the colon; Dr./Dra. only with a stated gender; "Sr. De la Cruz".
        ("Ana García", None, F, "es_ES", "Buenos días, Ana García:"),
        ("García, Ana", None, F, "es_MX", "Buenos días, Ana García:"),
        ("Ana García", "ms", F, "es_ES", "Estimada Sra. García:"),
        ("Dr. Ana García", "ms", F, "es_ES", "Estimada Dra. García:"),
        ("Dra. Ana García", None, F, "es_ES", "Estimada Dra. García:"),
        ("Dr. Ana García", None, F, "es_ES", "Buenos días, Ana García:"),
        ("Juan de la Cruz", "mr", F, "es_ES", "Estimado Sr. De la Cruz:"),
        ("Juan de la Cruz", None, I, "es_ES", "Hola, Juan:"),
        ("Ana Lopez, PhD", None, I, "es_MX", "Hola, Ana:"),
    ],
)
def test_salutation(
    name: str, honorific: str | None, register: str, locale: str, expected: str
) -> None:
    """Each language greets as DOMAIN.md says, from names as people write them."""
    assert expected == salutation(Contact(name=name, honorific=honorific), register, locale)


@pytest.mark.parametrize(
    ("locale", "formal", "informal"),
    [
        ("en_US", "Best regards,", "Best,"),
        ("de_DE", "Mit freundlichen Grüßen", "Viele Grüße"),
        ("fr_FR", "Cordialement,", "Bien à toi,"),
        ("es_ES", "Saludos cordiales,", "Un saludo,"),
    ],
)
def test_closing_fits_a_first_message(locale: str, formal: str, informal: str) -> None:
    """Sign-offs suit a first message to a stranger in both registers ("Un abrazo" does not)."""
    assert (formal, informal) == (closing(F, locale), closing(I, locale))


# -- German after the greeting's comma ----------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("\nIch bin über …", "\nich bin über …"),
        ("Vielen Dank, dass Sie …", "vielen Dank, dass Sie …"),
        ("Sie haben mir …", "Sie haben mir …"),
        ("Ihr Vortrag hat …", "Ihr Vortrag hat …"),
        ("Lin Okafor hat mir …", "Lin Okafor hat mir …"),
        ("Gespräche wie unseres …", "Gespräche wie unseres …"),
    ],
)
def test_after_greeting_german(body: str, expected: str) -> None:
    """German goes on in lower case, except nouns, names and the polite Sie/Ihr."""
    assert expected == after_greeting(body, "de_AT")


def test_after_greeting_other_languages() -> None:
    """English, French and Spanish start the body with a capital."""
    for locale in ("en_US", "fr_FR", "es_ES"):
        assert "I am" == after_greeting("I am", locale)


# The polite address keeps its capital; so do the data's names and nouns.
CAPITALIZED = {"Sie", "Ihr", "Ihre", "Ihnen", "Ihren"}


@pytest.mark.parametrize("register", [Register.FORMAL, Register.INFORMAL])
@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_german_body_starts_in_lower_case(name: str, register: Register) -> None:
    """Every built-in template continues its German greeting in lower case."""
    interview = sample_interview(locale="de_AT")
    interview.contact = interview.contact.with_changes(register=register)
    extra: dict[str, Any] = {}
    if name == "outreach/nudge":
        extra["original"] = infoview.render("outreach/alumni", interview=interview)
    text = infoview.render(name, interview=interview, **extra).text
    greeting, _, rest = text.partition("\n")
    if not greeting.endswith(","):  # no greeting (the question list)
        return
    first = re.match(r"\s*([^\W\d_]+)", rest)
    assert first is not None
    people = (interview.contact, interview.sender, *(r.person for r in interview.referrals))
    data = " ".join(p.name for p in (*people, interview.contact.introduced_by) if p)
    word = first.group(1)
    assert word[0].islower() or word in CAPITALIZED or word in data, rest[:60]


# -- times and dates ------------------------------------------------------------

AT = datetime(2026, 12, 3, 15, tzinfo=ZoneInfo("America/Chicago"))


@pytest.mark.parametrize(
    ("locale", "contact", "sender"),
    [
        (
            "en_US",
            "3:00\u202fPM CST (9:00\u202fPM London time for me)",
            "(9:00\u202fPM London time for you)",
        ),
        ("en_GB", "15:00 Chicago time (21:00 GMT for me)", "(21:00 GMT for you)"),
        (
            "de_DE",
            "15:00 Ortszeit Chicago (bei mir 21:00 Ortszeit London)",
            "(für Sie 21:00 Ortszeit London)",
        ),
        (
            "fr_FR",
            "15:00 heure de Chicago (soit 21:00 heure de Londres pour moi)",
            "(soit 21:00 heure de Londres pour vous)",
        ),
        (
            "es_ES",
            "15:00 hora de Chicago (para mí, 21:00 hora de Londres)",
            "(para usted, 21:00 hora de Londres)",
        ),
    ],
)
def test_two_zones_read_as_one_phrase(locale: str, contact: str, sender: str) -> None:
    """The second zone is one natural phrase: "Chicago time for me", never "time my time"."""
    london = "Europe/London"
    mine = format_meeting_time(AT, locale, "America/Chicago", london, with_date=False)
    yours = format_meeting_time(
        AT, locale, "America/Chicago", london, reader="sender", with_date=False
    )
    assert contact == mine
    assert yours.endswith(sender)
    assert "time my time" not in mine


def test_en_gb_says_time_once() -> None:
    """The issue's case: a city's time in the second zone is not followed by another "time"."""
    text = format_meeting_time(AT, "en_GB", "Europe/London", "America/Chicago", with_date=False)
    assert "21:00 GMT (15:00 Chicago time for me)" == text


def test_spanish_date_has_no_comma_after_the_weekday() -> None:
    """ "el jueves 3 de diciembre": Spanish writes no comma between weekday and day."""
    assert "jueves 3 de diciembre de 2026" == format_day(AT, "full", "es_ES")
    assert "Thursday, December 3, 2026" == format_day(AT, "full", "en_US")
    interview = sample_interview(locale="es_MX")
    text = infoview.render("scheduling/reminder", interview=interview).text
    assert " el jueves 3 de diciembre de 2026" in text
