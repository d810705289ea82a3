"""Every built-in template in every shipped language and register, rendered for real."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import infoview
from infoview import Contact, Draft, Honorific, Interview, Register, Status
from infoview.language.i18n import UnsupportedLocaleError, closing, resolve_locale, salutation
from tests import strategies
from tests._drafting import BUILTIN_NAMES, sample_interview

#: One regional locale per translated language: text from the language's
#: catalog, dates in the region's format.
TRANSLATED = ("de_AT", "fr_FR", "es_MX")
REGISTERS = (Register.FORMAL, Register.INFORMAL)


def interview_for(locale: str, register: Register, **changes: object) -> Interview:
    """The sample interview with the contact in ``locale`` and ``register``."""
    interview = sample_interview(locale=locale)
    interview.contact = interview.contact.with_changes(register=register, **changes)
    return interview


def draft(name: str, interview: Interview, locale: str | None = None) -> Draft:
    """Render a built-in; a nudge gets the original outreach to reply to."""
    extra = {}
    if name == "outreach/nudge":
        extra["original"] = infoview.render("outreach/alumni", interview=interview, locale=locale)
    return infoview.render(name, interview=interview, locale=locale, **extra)


def user_values(interview: Interview) -> list[str]:
    """Text that comes from the data, not the templates: it stays as written."""
    people = (interview.contact, interview.sender, *(r.person for r in interview.referrals))
    values: list[str] = []
    for person in people:
        values += [person.name, person.first_name, person.email or "", *texts(person.headline)]
        values += [person.title or "", person.organization or "", person.school or ""]
        values += [person.source_detail or "", person.linkedin or ""]
    for takeaway in interview.takeaways:
        values += texts(takeaway)
    values += [p.text for p in interview.promises]
    return sorted((v for v in values if v), key=len, reverse=True)


def texts(value: object) -> list[str]:
    """Every language's text of a free-text value (plain text, or text per language)."""
    if value is None:
        return []
    return list(value.values()) if isinstance(value, Mapping) else [str(value)]


def prose(line: str, interview: Interview) -> bool:
    """Whether a line holds template prose (two or more words not from the data)."""
    for value in user_values(interview):
        line = line.replace(value, " ")
    return len(re.findall(r"[^\W\d_]{2,}", line)) >= 2


def lines(text: str) -> set[str]:
    """The non-empty lines of a draft, quoted replies included."""
    return {line.strip("> ").strip() for line in text.splitlines() if line.strip("> ").strip()}


@pytest.mark.parametrize("register", REGISTERS)
@pytest.mark.parametrize("locale", TRANSLATED)
@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_no_english_left(name: str, locale: str, register: Register) -> None:
    """Every template renders, and no line of prose is still the English one."""
    interview = interview_for(locale, register)
    translated = draft(name, interview)
    english = draft(name, interview, locale="en_US")
    assert locale == translated.locale
    assert "en_US" == english.locale
    assert translated.subject != english.subject
    left = {line for line in lines(english.text) & lines(translated.text) if prose(line, interview)}
    assert set() == left
    for part in ("html", "markdown"):
        mine, theirs = getattr(translated, part), getattr(english, part)
        if mine is not None:
            assert mine != theirs


# Words of the other register, per language.
WRONG_ADDRESS = {
    ("de", Register.FORMAL): re.compile(r"\b(du|dich|dir|dein\w*)\b", re.IGNORECASE),
    ("de", Register.INFORMAL): re.compile(r"\b(Sie|Ihnen|Ihr|Ihre\w*)\b"),
    ("fr", Register.FORMAL): re.compile(r"\b(tu|toi|ton|ta|tes|te)\b|\bt’", re.IGNORECASE),
    ("fr", Register.INFORMAL): re.compile(r"\b(vous|votre|vos)\b", re.IGNORECASE),
    ("es", Register.FORMAL): re.compile(r"\b(tú|tu|tus|ti|te|contigo)\b", re.IGNORECASE),
    ("es", Register.INFORMAL): re.compile(r"\b(usted|ustedes)\b", re.IGNORECASE),
}
# Words that show the register is really used.
RIGHT_ADDRESS = {
    ("de", Register.FORMAL): re.compile(r"\b(Sie|Ihnen|Ihr\w*)\b"),
    ("de", Register.INFORMAL): re.compile(r"\b(du|dich|dir|dein\w*)\b", re.IGNORECASE),
    ("fr", Register.FORMAL): re.compile(r"\b(vous|votre|vos)\b", re.IGNORECASE),
    ("fr", Register.INFORMAL): re.compile(r"\b(tu|toi|ton|ta|tes|te)\b|\bt’", re.IGNORECASE),
    ("es", Register.FORMAL): re.compile(r"\b(usted|su|sus|le)\b", re.IGNORECASE),
    ("es", Register.INFORMAL): re.compile(r"\b(tú|tu|tus|ti|te|contigo)\b", re.IGNORECASE),
}


@pytest.mark.parametrize("register", REGISTERS)
@pytest.mark.parametrize("locale", TRANSLATED)
def test_register_is_kept(locale: str, register: Register) -> None:
    """Informal drafts use du/tu/tú and never Sie/vous/usted; formal ones the reverse."""
    language = locale.split("_", maxsplit=1)[0]
    wrong, right = WRONG_ADDRESS[(language, register)], RIGHT_ADDRESS[(language, register)]
    interview = interview_for(locale, register)
    used = 0
    for name in BUILTIN_NAMES:
        rendered = draft(name, interview)
        for text in (rendered.subject, rendered.text):
            assert wrong.search(text) is None, (name, wrong.search(text), text)
        used += bool(right.search(rendered.text))
    assert used >= len(BUILTIN_NAMES) - 2


def test_design_example_informal_austrian() -> None:
    """Contact(locale="de_AT", register=INFORMAL) gets German with du; draft.locale says so."""
    interview = interview_for("de_AT", Register.INFORMAL, name="Anna Müller")
    rendered = infoview.render("outreach/alumni", interview=interview)
    assert "de_AT" == rendered.locale
    assert rendered.text.startswith("Hallo Anna,\n")
    assert "Hättest du in den nächsten Wochen 20 Minuten Zeit" in rendered.text
    assert rendered.text.rstrip().endswith("Viele Grüße\nSam Rivera")


@pytest.mark.parametrize(
    ("locale", "honorific", "greeting"),
    [
        ("de_AT", None, "Guten Tag Ana García,"),
        ("de_AT", Honorific.MS, "Sehr geehrte Frau García,"),
        ("fr_FR", None, "Bonjour Ana García,"),
        ("fr_FR", Honorific.MS, "Madame,"),
        ("es_MX", None, "Buenos días, Ana García:"),
        ("es_MX", Honorific.MS, "Estimada Sra. García:"),
        ("en_US", None, "Dear Ana,"),
    ],
)
def test_formal_greeting(locale: str, honorific: Honorific | None, greeting: str) -> None:
    """Formal drafts open neutrally, or in the form the contact asked for."""
    interview = interview_for(locale, Register.FORMAL, honorific=honorific)
    assert greeting == draft("thank_you", interview).text.splitlines()[0]


@pytest.mark.parametrize(
    ("locale", "when", "length"),
    [
        (
            "de_AT",
            "Wann: Donnerstag, 3. Dezember 2026, 22:00 MEZ (bei mir 15:00 Ortszeit Chicago)",
            "Dauer: 20 Minuten",
        ),
        (
            "fr_FR",
            (
                "Quand\u00a0: jeudi 3 décembre 2026, 22:00 heure de Vienne "
                "(soit 15:00 heure de Chicago pour moi)"
            ),
            "Durée\u00a0: 20 minutes",
        ),
        (
            "es_MX",
            (
                "Cuándo: jueves 3 de diciembre de 2026, 10:00\u202fp.m. hora de Viena "
                "(para mí, 3:00\u202fp.m. hora de Chicago)"
            ),
            "Duración: 20 minutos",
        ),
    ],
)
def test_scheduled_time_in_the_contacts_zone(locale: str, when: str, length: str) -> None:
    """The confirmation shows the time where the contact is, in the locale's format."""
    interview = interview_for(locale, Register.FORMAL, timezone="Europe/Vienna")
    text = draft("scheduling/confirm", interview).text
    assert when in text
    assert length in text


def test_unshipped_language_renders_english_and_records_it() -> None:
    """A contact writing Japanese gets English, and the draft says "en"."""
    interview = interview_for("ja_JP", Register.FORMAL)
    rendered = infoview.render("outreach/alumni", interview=interview)
    assert "en" == rendered.locale
    assert rendered.text.startswith("Dear Ana,")


def test_explicit_locale_wins() -> None:
    """An explicit locale overrides the contact's, keeping the region for dates."""
    interview = interview_for("es_MX", Register.FORMAL)
    rendered = infoview.render("scheduling/reminder", interview=interview, locale="fr_CA")
    assert "fr_CA" == rendered.locale
    assert "jeudi 3 décembre 2026" in rendered.text
    assert "15 h 00" in rendered.text


def test_questions_are_translated_in_the_register() -> None:
    """The question list asks the bank's questions in the contact's language and register."""
    formal = draft("questions/list", interview_for("de_AT", Register.FORMAL)).text
    informal = draft("questions/list", interview_for("de_AT", Register.INFORMAL)).text
    assert "Mit wem sollte ich Ihrer Meinung nach noch sprechen?" in formal
    assert "Mit wem sollte ich deiner Meinung nach noch sprechen?" in informal


def test_sender_contact_in_same_language() -> None:
    """Without a contact locale the sender's is used."""
    sender = Contact(name="Lea Brun", locale="fr_CH", timezone="Europe/Zurich")
    interview = interview_for("en", Register.FORMAL)
    interview.contact = interview.contact.with_changes(locale=None)
    interview.sender = sender
    rendered = infoview.render("scheduling/reminder", interview=interview)
    assert "fr_CH" == rendered.locale
    assert rendered.text.startswith("Bonjour Ana García,")
    # The contact's zone comes first, then the sender's (Zurich) where it differs.
    assert "15:00 heure de Mexico (soit 22:00 heure de Zurich pour moi)" in rendered.text


def test_strict_locale_passed_to_render() -> None:
    """A locale resolved in strict mode can be passed to render as it is."""
    interview = interview_for("fr_CA", Register.INFORMAL)
    chosen = resolve_locale(None, interview.contact, interview.sender, strict=True)
    rendered = infoview.render("thank_you", interview=interview, locale=chosen)  # type: ignore[arg-type]
    assert "fr_CA" == rendered.locale
    assert rendered.text.startswith("Bonjour Ana,")
    with pytest.raises(UnsupportedLocaleError):
        resolve_locale(None, interview.contact.with_changes(locale="pt_BR"), strict=True)


ALL_LOCALES = ("en_US", *TRANSLATED)
NO_GREETING = {"questions/list"}
NO_CLOSING = {"questions/list", "outreach/social"}


@pytest.mark.parametrize("register", REGISTERS)
@pytest.mark.parametrize("locale", ALL_LOCALES)
@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_every_template_greets_and_closes(name: str, locale: str, register: Register) -> None:
    """Every template renders in every locale and register, with its greeting and sign-off."""
    interview = interview_for(locale, register)
    rendered = draft(name, interview)
    assert locale == rendered.locale
    lines = rendered.text.splitlines()
    if name not in NO_GREETING:
        note = name == "outreach/social"  # a connection note greets as a note
        assert salutation(interview.contact, register, locale, note=note) == lines[0]
    if name not in NO_CLOSING:
        assert closing(register, locale) in lines


@pytest.mark.parametrize("register", REGISTERS)
@pytest.mark.parametrize("locale", TRANSLATED)
def test_translations_pass_lint(locale: str, register: Register) -> None:
    """Translated drafts keep to outreach practice as the English ones do (no lint warning)."""
    from infoview.rendering.quality import Severity, lint

    interview = interview_for(locale, register)
    found = [
        (name, str(finding))
        for name in BUILTIN_NAMES
        for finding in lint(draft(name, interview))
        if finding.severity >= Severity.WARNING
    ]
    assert [] == found


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(interview=strategies.complete_interviews(), locale=st.sampled_from(ALL_LOCALES))
def test_any_interview_renders_in_any_locale(interview: Interview, locale: str) -> None:
    """Any valid interview renders every template in every shipped locale and register."""
    register = interview.contact.register
    ahead = interview.status is Status.SCHEDULED and interview.scheduled_at is not None
    ahead = ahead and interview.scheduled_at > datetime.now(UTC)
    for name in BUILTIN_NAMES:
        if name == "thank_you" and ahead:  # refused: it has not taken place
            continue
        extra = {"update": "Done."} if "update" in infoview.Templates().variables(name) else {}
        rendered = infoview.render(name, interview=interview, locale=locale, **extra)
        assert locale == rendered.locale
        assert rendered.subject.strip()
        if name not in NO_GREETING:
            note = name == "outreach/social"  # a connection note greets as a note
            expected = salutation(interview.contact, register, locale, note=note)
            assert expected == rendered.text.splitlines()[0]
