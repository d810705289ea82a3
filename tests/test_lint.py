"""Lint: findings and severities for drafts."""

from __future__ import annotations

from datetime import timedelta

import pytest

import infoview
from infoview import Contact, Draft, Finding, Severity, Templates, lint
from tests._drafting import BUILTIN_NAMES, sample_interview

SAM = Contact(name="Sam Rivera", email="sam@example.org")
ASK = "Would you have 20 minutes for a call? No worries if not."


def codes(findings: list[Finding]) -> list[str]:
    """The codes of some findings, in order."""
    return [f.code for f in findings]


@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_builtins_are_clean(name: str) -> None:
    """Every built-in draft for the sample interview has no warning or error."""
    interview = sample_interview()
    original = infoview.render("outreach/alumni", interview=interview)
    draft = infoview.render(name, interview=interview, original=original)
    assert [] == [f for f in lint(draft) if f.severity >= Severity.WARNING]


def test_outreach_over_150_words() -> None:
    """Outreach over 150 words is a warning; other messages may be longer."""
    long = " ".join(["word"] * 151) + " " + ASK
    findings = lint(Draft(subject="Hi", text=long, template="outreach/cold"))
    assert ["outreach-too-long"] == codes(findings)
    assert Severity.WARNING == findings[0].severity
    assert "163 words" in findings[0].message
    assert [] == lint(Draft(subject="Hi", text=long, template="thank_you"))


def test_no_time_bound_ask() -> None:
    """First outreach without a number of minutes has no time-bound ask."""
    vague = "Could we chat sometime? Let me know."
    assert ["no-time-bound-ask"] == codes(
        lint(Draft(subject="Hi", text=vague, template="outreach/alumni"))
    )
    for ask in ("Would you have 15 minutes?", "¿Tendría 20 minutos?", "Hätten Sie 20 Minuten?"):
        assert [] == lint(Draft(subject="Hi", text=ask, template="outreach/alumni"))


@pytest.mark.parametrize(
    "leftover",
    ["[Company]", "{{ name }}", "{% if x %}", "TODO", "<Your Name>", "Lorem ipsum", "XXX"],
)
def test_placeholders_are_errors(leftover: str) -> None:
    """Text that still looks like a placeholder is an error, in subject or text."""
    for draft in (
        Draft(subject="Hi", text=f"{ASK} {leftover}", template="thank_you"),
        Draft(subject=f"About {leftover}", text=ASK, template="thank_you"),
    ):
        findings = lint(draft)
        assert ["placeholder"] == codes(findings)
        assert Severity.ERROR == findings[0].severity
        assert leftover.split(maxsplit=1)[0] in findings[0].message


def test_ordinary_brackets_are_not_placeholders() -> None:
    """Lower-case brackets, e-mail addresses in angle brackets and 'todo' in prose pass."""
    text = f"{ASK} [sic] see <sam@example.org>; my to-do list is long."
    assert [] == lint(Draft(subject="Hi", text=text, template="thank_you"))


def test_job_and_resume_in_first_outreach() -> None:
    """'job' or 'résumé' in first outreach is a warning; later messages may say it."""
    text = f"{ASK} I attached my resume in case there is a job open."
    findings = lint(Draft(subject="Hi", text=text, template="outreach/event"))
    assert ["job-ask"] == codes(findings)
    assert "'job'" in findings[0].message
    assert "'resume'" in findings[0].message
    assert [] == lint(Draft(subject="Hi", text=text, template="follow_up/progress_update"))


def test_work_words_are_not_job_asks() -> None:
    """'emploi du temps' (a schedule) is no job ask; 'un emploi' is."""
    schedule = f"{ASK} Je m'adapte à votre emploi du temps."
    assert [] == lint(Draft(subject="Bonjour", text=schedule, template="outreach/event"))
    ask = f"{ASK} Je cherche un emploi."
    assert ["job-ask"] == codes(lint(Draft(subject="Bonjour", text=ask, template="outreach/event")))


HEADLINES = {
    "en": "a nurse exploring health-tech product roles",
    "de": "Pflegekraft auf dem Weg in Produktrollen im Gesundheitswesen",
    "fr": "infirmier en reconversion vers les métiers du produit en e-santé",
    "es": "enfermero en transición hacia roles de producto en salud digital",
}


@pytest.mark.parametrize("locale", ["en", "de", "fr", "es"])
def test_first_outreach_clean_in_every_language(locale: str) -> None:
    """Built-in outreach is clean in every shipped language ("su trabajo" is not a job ask).

    The sender's headline is given in each language; the sample's English one
    in a German draft would be flagged (text-language).
    """
    interview = sample_interview(locale=locale)
    interview.sender = interview.sender.with_changes(headline=HEADLINES)
    for name in ("outreach/alumni", "outreach/cold", "outreach/event", "outreach/referral"):
        draft = infoview.render(name, interview=interview)
        assert [] == lint(draft), (name, draft.text)


def test_attachment_on_outreach() -> None:
    """An attachment on outreach is a warning."""
    draft = Draft(subject="Hi", text=ASK, template="outreach/cold").attach(
        b"%PDF", filename="resume.pdf"
    )
    findings = lint(draft)
    assert ["outreach-attachment"] == codes(findings)
    assert "resume.pdf" in findings[0].message


def test_social_note_over_limit() -> None:
    """A connection note over its limit is an error; the limit is configurable."""
    note = Draft(subject="Hi", text="x" * 250, template="outreach/social")
    assert ["social-too-long"] == codes(lint(note))
    assert Severity.ERROR == lint(note)[0].severity
    assert [] == lint(note, social_limit=300)


def test_social_template_fits_its_limit() -> None:
    """outreach/social picks the longest wording that fits the configured limit."""
    interview = sample_interview()
    interview.contact = interview.contact.with_changes(school="The University of " + "Y" * 60)
    for limit in (200, 300):
        draft = Templates(social_limit=limit).render("outreach/social", interview=interview)
        assert len(draft.text.strip()) <= limit
        assert [] == lint(draft, social_limit=limit)
    roomy = Templates(social_limit=300).render("outreach/social", interview=interview)
    tight = Templates(social_limit=200).render("outreach/social", interview=interview)
    assert len(tight.text) < len(roomy.text)


def test_unthreaded_nudge_is_info() -> None:
    """A nudge without the original is only advice."""
    draft = infoview.render("outreach/nudge", interview=sample_interview())
    findings = lint(draft)
    assert ["nudge-not-threaded"] == codes(findings)
    assert Severity.INFO == findings[0].severity
    assert "info: nudge-not-threaded:" in str(findings[0])


def test_findings_sorted_by_severity() -> None:
    """Errors come before warnings."""
    text = "TODO " + " ".join(["word"] * 160)
    findings = lint(Draft(subject="Hi", text=text, template="outreach/alumni"))
    assert ["placeholder", "outreach-too-long", "no-time-bound-ask"] == codes(findings)


@pytest.mark.parametrize(
    ("locale", "ask", "word"),
    [
        ("en", "Are there any internships on your team?", "internships"),
        ("en", "Do you have open positions?", "positions"),
        ("en", "Let me know about any openings.", "openings"),
        ("en", "Are there roles on your team for someone like me?", "roles on your team"),
        ("en", "Is your team hiring?", "is your team hiring"),
        ("de", "Bieten Sie ein Praktikum an?", "praktikum"),
        ("de", "Gibt es offene Stellen in Ihrem Team?", "offene stellen"),
        ("de", "Ist eine Position bei Ihnen frei?", "eine position bei ihnen"),
        ("fr", "Proposez-vous un stage ?", "stage"),
        ("fr", "Avez-vous des postes ouverts ?", "postes"),
        ("fr", "Avez-vous une offre d'emploi ?", "offre d'emploi"),
        ("es", "¿Ofrecen prácticas?", "prácticas"),
        ("es", "¿Hay algún puesto disponible?", "puesto"),
        ("es", "¿Tienen vacantes?", "vacantes"),
    ],
)
def test_job_asks_in_every_language(locale: str, ask: str, word: str) -> None:
    """Internships, positions, openings and roles on your team are job asks, in each language."""
    draft = Draft(subject="Hi", text=f"{ASK} {ask}", template="outreach/cold", locale=locale)
    findings = lint(draft)
    assert ["job-ask"] == codes(findings)
    assert repr(word) in findings[0].message


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("en", "I'd love to hear how competency-based hiring and hiring trends shape your field."),
        ("en", "What do you enjoy about your role on the team? If you are in a position to say."),
        ("en", "I'm a nurse exploring health-tech product roles."),
        ("de", "An dieser Stelle herzlichen Dank; wie sieht Ihre Position im Team aus?"),
        ("fr", "Je m'adapte à votre emploi du temps ; qu'aimez-vous dans votre poste ?"),
        ("es", "Me interesan las buenas prácticas, puesto que aprendo mucho de su puesto."),
    ],
)
def test_topics_are_not_job_asks(locale: str, text: str) -> None:
    """Hiring as a topic, their own role, and words that mean something else pass."""
    draft = Draft(subject="Hi", text=f"{ASK} {text}", template="outreach/cold", locale=locale)
    assert [] == lint(draft)


def test_agenda_longer_than_the_slot() -> None:
    """A question list planned for 30 minutes of a 15-minute slot is a warning."""
    interview = sample_interview()
    interview.questions = infoview.QuestionBank.default().plan(minutes=30)
    interview.duration = timedelta(minutes=15)
    draft = infoview.render("questions/list", interview=interview)
    assert "Planned: 30 of 15 minutes." in draft.text
    findings = lint(draft)
    assert ["agenda-over-slot"] == codes(findings)
    assert Severity.WARNING == findings[0].severity
    assert findings[0].message.startswith("the agenda plans 30 minutes for a 15-minute slot")
    for name in ("scheduling/confirm", "scheduling/reminder"):
        assert ["agenda-over-slot"] == codes(lint(infoview.render(name, interview=interview)))
    assert [] == lint(Draft(subject="Hi", text="x", template="questions/list"))
