"""Lint: findings and severities for drafts."""

from __future__ import annotations

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


@pytest.mark.parametrize("locale", ["en", "de", "fr", "es"])
def test_first_outreach_clean_in_every_language(locale: str) -> None:
    """Built-in outreach is clean in every shipped language ("su trabajo" is not a job ask)."""
    interview = sample_interview(locale=locale)
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
