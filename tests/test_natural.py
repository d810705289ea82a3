"""Values templates print (issue 10): objects as natural text, shapes, per-language text.

Also promise kinds, the invite's language and the language lint rules.
"""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar
import pytest

import infoview
from infoview import (
    Contact,
    Interview,
    LocalizedText,
    Party,
    Promise,
    PromiseKind,
    Register,
    Templates,
    ValidationError,
    calendar_invite,
    converter,
    lint,
)
from infoview.language.natural import as_sentence
from infoview.mail.calendar import describe, title
from infoview.model import samples
from infoview.model.texts import other_language

HEADLINE = {
    "en": "a nurse exploring health-tech product roles",
    "es": "enfermero en transición hacia roles de producto en salud digital",
}


def one_line(text: str) -> str:
    return " ".join(text.split())


# -- Objects print as natural text ------------------------------------------------


def test_a_contact_passed_as_a_value_prints_its_name() -> None:
    """mutual=Contact(...) gives the name in subject and body, never a repr."""
    interview = samples.interview()
    draft = infoview.render(
        "outreach/warm", interview=interview, mutual=Contact(name="Rosa Alvarez")
    )
    assert "Rosa Alvarez suggested I reach out" == draft.subject
    assert "Rosa suggested" not in draft.text  # the full name where the name is said first
    assert "Rosa Alvarez suggested I reach out to you." in one_line(draft.text)
    assert "Rosa thought you would be the right person to ask" in one_line(draft.text)
    for part in (draft.subject, draft.text):
        assert "Contact(" not in part


def test_every_model_object_prints_as_text_in_the_drafts_language() -> None:
    """Contact, Referral, Question, Promise, Interview, Agenda: words, translated."""
    source = (
        "{{ contact }}|{{ interview.referrals[0] }}|{{ interview.questions.questions[0] }}|"
        "{{ interview.promises[0] }}|{{ interview }}|"
        "{% trans who=contact %}To {{ who }}{% endtrans %}|"
        "{{ interview.referrals|map(attribute='person')|join_list }}\n{{ interview.questions }}"
    )
    templates = Templates.from_strings({"mine/objects": source})
    draft = templates.render("mine/objects", interview=samples.interview(locale="de_DE"))
    head, agenda = draft.text.split("\n", 1)
    assert [
        "Ana García",
        "Priya Nair",
        "Welche Rolle spielt Ihr Studium oder Ihre Ausbildung heute in Ihrer Arbeit?",
        "mich Priya Nair vorzustellen",
        "Informationsgespräch: Sam Rivera / Ana García",
        "To Ana García",
        "Priya Nair",
    ] == head.split("|")
    assert agenda.startswith("1. Welche Rolle spielt Ihr Studium")
    assert "Contact(" not in draft.text


def test_objects_in_html_are_escaped_text() -> None:
    """In an autoescaped part an object is its (escaped) text."""
    templates = Templates.from_strings({"mine/n.html": "<p>{{ contact }}</p>", "mine/n": "x"})
    ana = samples.contact(name="Ana <García>")
    draft = templates.render("mine/n", contact=ana, sender=samples.sender())
    assert "<p>Ana &lt;García&gt;</p>" == draft.html


# -- Shapes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "printed"),
    [
        ("we talked for 20 minutes", "We talked for 20 minutes."),
        ("We talked.", "We talked."),
        ("did it help?", "Did it help?"),
        ("¿qué tal?", "¿Qué tal?"),
        ('she said "yes."', 'She said "yes."'),
        ("  two\n lines  ", "Two lines."),
        ("20 minutes was plenty", "20 minutes was plenty."),
    ],
)
def test_sentence(given: str, printed: str) -> None:
    """|sentence: first letter capitalized, final punctuation added when missing."""
    assert printed == as_sentence(given)


def test_sentence_shaped_inputs_are_printed_as_sentences() -> None:
    """outcome and update are sentences: capital and final period in the draft."""
    interview = samples.interview()
    close = infoview.render(
        "referral/close_loop", interview=interview, outcome="we talked for 20 minutes"
    )
    assert "We talked for 20 minutes." in close.text
    check_in = infoview.render("follow_up/check_in", interview=interview, update="new role")
    assert "New role." in check_in.text


@pytest.mark.parametrize(
    "reason", ["your talk on skills-based learning paths", "you moved from nursing into product"]
)
def test_reason_reads_as_a_noun_phrase_or_a_clause(reason: str) -> None:
    """The cold outreach is written so both common shapes of reason read well."""
    draft = infoview.render("outreach/cold", interview=samples.interview(), reason=reason + ".")
    assert f"What made me write to you in particular: {reason}." in one_line(draft.text)
    assert "because" not in draft.text


@pytest.mark.parametrize("title", ["Student", "Intern", "Product Manager"])
def test_a_title_is_a_label_not_a_job(title: str) -> None:
    """Neither 'your work as Student' nor '(Student)': the title stays out of the sentence."""
    interview = samples.interview()
    interview.contact = interview.contact.with_changes(title=title, school=None)
    text = one_line(infoview.render("outreach/cold", interview=interview).text)
    assert "What you do at Acme Health is close to what I want to do" in text
    assert title not in text


def test_warm_outreach_names_what_they_know() -> None:
    """No "you know this world well": it names their work."""
    text = one_line(infoview.render("outreach/warm", interview=samples.interview()).text)
    assert "this world" not in text
    assert "ask about what you do at Acme Health" in text


def test_registry_shapes_match_the_templates() -> None:
    """The inputs say the shapes the templates are written for."""
    inputs = {
        (t.name, i.name): i
        for t in infoview.rendering.registry.TEMPLATES.values()
        for i in t.describe().inputs
    }
    assert "noun phrase or clause" == inputs["outreach/cold", "reason"].shape
    assert "sentences" == inputs["referral/close_loop", "outcome"].shape
    assert "Contact or str" == inputs["outreach/warm", "mutual"].type


# -- Purpose and goals ------------------------------------------------------------------


def test_purpose_in_outreach_and_goals_in_the_question_list() -> None:
    """The why in outreach; what you hope to learn heads the question list."""
    interview = samples.interview(locale="fr_FR")
    before = infoview.render("outreach/alumni", interview=interview).text
    listed = infoview.render("questions/list", interview=interview)
    assert "Ce que j’aimerais apprendre" not in listed.text
    interview.purpose = {"en": "how nurses move into product", "fr": "comment passer au produit"}
    interview.goals = ("quelles certifications comptent",)
    after = infoview.render("outreach/alumni", interview=interview).text
    assert "Je cherche à comprendre comment passer au produit." in one_line(after)
    assert before != after
    listed = infoview.render("questions/list", interview=interview)
    for part in (listed.text, listed.markdown or "", listed.html or ""):
        assert "Ce que j’aimerais apprendre\u00a0:" in part
        assert "comment passer au produit" in part
        assert "quelles certifications comptent" in part


# -- Promises -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "register", "sentence"),
    [
        ("en_US", Register.FORMAL, "Thank you also for offering to introduce me to Priya Nair."),
        ("de_DE", Register.INFORMAL, "Danke auch für dein Angebot, mich Priya Nair vorzustellen."),
        (
            "fr_FR",
            Register.INFORMAL,
            "Merci aussi pour ta proposition de me présenter à Priya Nair.",
        ),
        ("es_MX", Register.INFORMAL, "Gracias también por ofrecerte a presentarme a Priya Nair."),
    ],
)
def test_an_introduction_is_worded_by_the_draft(
    locale: str, register: Register, sentence: str
) -> None:
    """suggest(introduce=True) stores a kind and the person; the draft words it."""
    interview = samples.interview(locale=locale, register=register)
    (promise,) = [p for p in interview.promises if p.by is Party.THEM]
    assert PromiseKind.INTRODUCTION is promise.kind
    assert "Priya Nair" == promise.introduction.name  # type: ignore[union-attr]
    assert sentence in one_line(infoview.render("thank_you", interview=interview).text)


def test_promise_text_in_your_words_is_quoted() -> None:
    """A promise you word yourself stays as written."""
    interview = samples.interview(locale="de_DE")
    interview.promises.clear()
    interview.suggest(samples.introducer(), introduce=True, promise_text="mich Lin vorzustellen")
    (promise,) = interview.promises
    assert PromiseKind.TEXT is promise.kind
    text = one_line(infoview.render("thank_you", interview=interview).text)
    assert "Danke auch für Ihr Angebot: mich Lin vorzustellen." in text
    assert "Ich schicke Ihnen ein paar Zeilen" in text  # still an introduction


def test_promise_kinds_round_trip_and_old_documents_load() -> None:
    """kind is stored; a document from before kinds gets it from the default wording."""
    interview = samples.interview()
    data = converter.unstructure(interview)
    assert "introduction" == data["promises"][0]["kind"]
    assert interview == converter.structure(data, Interview)
    del data["promises"][0]["kind"]
    del data["promises"][1]["kind"]
    old = converter.structure(data, Interview)
    assert [PromiseKind.INTRODUCTION, PromiseKind.TEXT] == [p.kind for p in old.promises]


def test_promise_fields() -> None:
    """An introduction needs no text; text needs its words; kind needs its person."""
    priya = samples.referral()
    promise = Promise(by="them", introduction=priya)
    assert ("introduce me to Priya Nair", PromiseKind.INTRODUCTION) == (promise.text, promise.kind)
    assert PromiseKind.TEXT is Promise("send notes").kind
    with pytest.raises(ValidationError, match=r"Promise\.text"):
        Promise()
    with pytest.raises(ValidationError, match=r"Promise\.introduction"):
        Promise("x", kind="introduction")


# -- Free text per language -----------------------------------------------------------------


def test_localized_text() -> None:
    """A mapping of locale to one line; picks by language with fallbacks; immutable."""
    text = LocalizedText({"en": "a", "es-MX": "b ", "de_AT": "c"})
    assert {"en": "a", "es_MX": "b", "de_AT": "c"} == dict(text)
    assert ("es_MX", "b") == text.pick("es_ES")
    assert ("de_AT", "c") == text.pick("de")
    assert ("en", "a") == text.pick("fr", None, "en")
    assert ("en", "a") == text.pick("fr")
    # Another region of the language: the bare language wins, wherever it is listed.
    regions = LocalizedText({"es_MX": "mx", "es_ES": "es-es", "es": "es"})
    assert ("es", "es") == regions.pick("es_AR")
    assert ("es_ES", "es-es") == regions.pick("es_ES")
    assert ("es_MX", "mx") == LocalizedText({"es_MX": "mx", "es_ES": "x"}).pick("es_AR")
    assert hash(text) == hash(LocalizedText({"de_AT": "c", "en": "a", "es_MX": "b"}))
    assert "a" == str(text)
    with pytest.raises(AttributeError):
        text._items = ()  # type: ignore[misc]
    for bad in ({"en": "a\nb"}, {"xx-yy-zz": "a"}, {"en": " "}, {"en": 3}):
        with pytest.raises(ValidationError):
            LocalizedText(bad)  # type: ignore[arg-type]


def test_model_fields_take_text_per_language_and_round_trip() -> None:
    """headline, purpose, goals and takeaways; contacts stay hashable."""
    interview = samples.interview()
    interview.sender = interview.sender.with_changes(headline=HEADLINE)
    interview.purpose = {"en": "x", "de": "y"}
    interview.goals = ("plain", {"en": "g", "fr": "h"})
    interview.takeaways = {"en": "t", "es": "u"}  # type: ignore[assignment]
    assert isinstance(interview.sender.headline, LocalizedText)
    assert isinstance(interview.goals[1], LocalizedText)
    assert 1 == len(interview.takeaways)
    hash(interview.sender)
    assert interview == converter.loads(converter.dumps(interview), Interview)
    with pytest.raises(ValidationError, match=r"Contact\.headline"):
        interview.sender.with_changes(headline=["a"])


def test_the_drafts_language_is_picked() -> None:
    """Spanish draft, Spanish headline; German draft without one falls back and is flagged."""
    interview = samples.interview(locale="es_MX")
    interview.sender = interview.sender.with_changes(headline=HEADLINE)
    spanish = infoview.render("outreach/alumni", interview=interview)
    assert "soy enfermero en transición hacia roles" in one_line(spanish.text)
    assert [] == lint(spanish)
    interview.contact = interview.contact.with_changes(locale="de_DE")
    german = infoview.render("outreach/alumni", interview=interview)
    assert "a nurse exploring" in german.text  # the sender's language (en_US)
    (finding,) = [f for f in lint(german) if "language" in f.code]
    assert "free-text-language" == finding.code
    assert "sender.headline has no text in 'de'" in finding.message


def test_lint_flags_text_in_another_language() -> None:
    """A headline in English in a Spanish draft: text-language (a guess, so advice)."""
    interview = samples.interview(locale="es_MX")
    interview.sender = interview.sender.with_changes(
        headline="a nurse exploring health-tech product roles"
    )
    draft = infoview.render("outreach/alumni", interview=interview)
    (finding,) = [f for f in lint(draft) if "language" in f.code]
    assert "text-language" == finding.code
    assert finding.severity is infoview.Severity.INFO
    assert "headline={'en': '…', 'es': '…'}" in finding.message
    english = infoview.render("outreach/alumni", interview=samples.interview())
    assert [] == [f for f in lint(english) if "language" in f.code]


@pytest.mark.parametrize(
    ("text", "language", "other"),
    [
        ("a nurse exploring health-tech product roles", "es", "en"),
        ("a nurse exploring health-tech product roles", "en", None),
        ("enfermero en transición hacia puestos de producto", "es", None),
        ("Pflegekraft auf dem Weg in Produktrollen", "de", None),
        ("infirmier en reconversion vers les métiers du produit", "fr", None),
        ("Acme Health", "de", None),
        ("Produktmanagerin bei der Acme", "en", "de"),
    ],
)
def test_language_guess(text: str, language: str, other: str | None) -> None:
    """The cheap guess: frequent words of each shipped language."""
    assert other == other_language(text, language)


# -- The invite -----------------------------------------------------------------------------------


def test_invite_follows_the_contacts_locale_and_register() -> None:
    """Summary and description in Spanish, tú, with the translated questions."""
    interview = samples.interview(locale="es_MX", register=Register.INFORMAL)
    interview.purpose = {"en": "how", "es": "cómo pasar a producto"}
    assert "Entrevista informativa: Sam Rivera / Ana García" == title(interview)
    text = describe(interview)
    assert text.startswith("Lo que me gustaría entender: cómo pasar a producto.")
    assert "¿Cómo es un día o una semana típica para ti?" in text
    assert describe(interview, "en").startswith("I'm hoping to learn how.")


def test_invite_questions_unfold_whole() -> None:
    """Folded at 75 octets, the description unfolds to the exact text ("today?", no space)."""
    interview = samples.interview()
    interview.request(at=datetime(2026, 11, 1, tzinfo=UTC))
    data = calendar_invite(interview, stamp=datetime(2026, 11, 2, tzinfo=UTC))
    (event,) = icalendar.Calendar.from_ical(data).events
    description = str(event["description"])
    assert "show up in your work today?" in description
    assert " ?" not in description
    assert describe(interview) == description
