"""Lint reads the values you rendered with, and names with emoji (issue 23)."""

from __future__ import annotations

import email
import email.policy

import pytest

import infoview
from infoview import Finding, Severity, lint
from infoview.model import samples


def codes(findings: list[Finding]) -> list[str]:
    """The codes of some findings, in order."""
    return [f.code for f in findings]


@pytest.mark.parametrize("locale", ["de_DE", "fr_FR", "es_MX"])
def test_an_english_topic_in_another_language_is_reported(locale: str) -> None:
    """topic="remote patient monitoring" in a German, French or Spanish draft is found."""
    topic = "remote patient monitoring"
    draft = infoview.render(
        "outreach/event", interview=samples.interview(locale=locale), topic=topic
    )
    found = [f for f in lint(draft, values={"topic": topic}) if f.code == "text-language"]
    assert 1 == len(found)
    assert Severity.INFO == found[0].severity
    assert f"topic ({topic!r}) looks like 'en'" in found[0].message
    assert "render(..., topic='…')" in found[0].message


@pytest.mark.parametrize(
    ("locale", "topic"),
    [
        ("de_DE", "Fernüberwachung von Patienten"),
        ("de_DE", "Remote Monitoring"),
        ("fr_FR", "le monitoring des patients à distance"),
        ("es_MX", "el monitoreo remoto de pacientes"),
        ("fr_FR", "responsable marketing"),
        ("fr_FR", "coaching en entreprise"),
        ("en_US", "remote patient monitoring"),
    ],
)
def test_a_topic_in_the_drafts_language_is_not(locale: str, topic: str) -> None:
    """The draft's own language, loanwords included, gives no finding."""
    draft = infoview.render(
        "outreach/event", interview=samples.interview(locale=locale), topic=topic
    )
    assert [] == [f for f in lint(draft, values={"topic": topic}) if f.code == "text-language"]


def test_values_not_given_are_not_guessed() -> None:
    """Without values= the lint looks at what the interview holds, as before."""
    topic = "remote patient monitoring"
    draft = infoview.render(
        "outreach/event", interview=samples.interview(locale="de_DE"), topic=topic
    )
    assert "text-language" not in codes(lint(draft))


def test_emoji_in_a_name_or_title_is_a_finding_and_stays_out_of_the_headers() -> None:
    """ "Alex Kim 🚀" is a warning, and the To and From headers read "Alex Kim", "Sam Rivera"."""
    interview = samples.interview()
    interview.contact = interview.contact.with_changes(name="Alex Kim 🚀", title="PM 👩🏽‍💻")
    interview.sender = interview.sender.with_changes(name="Sam Rivera ✨")
    draft = infoview.render("outreach/alumni", interview=interview)
    found = [f for f in lint(draft) if f.code == "emoji-in-name"]
    assert [Severity.WARNING] * 3 == [f.severity for f in found]
    assert "recipient.name ('Alex Kim 🚀')" in found[0].message
    assert "write it as 'Alex Kim'" in found[0].message
    assert "write it as 'PM'" in found[1].message
    assert "sender.name ('Sam Rivera ✨')" in found[2].message
    message = email.message_from_bytes(draft.as_bytes(), policy=email.policy.default)
    assert "Alex Kim" == message["To"].addresses[0].display_name
    assert "Sam Rivera" == message["From"].addresses[0].display_name


def test_a_name_without_emoji_is_no_finding() -> None:
    """The sample people give no emoji finding, in any template."""
    interview = samples.interview()
    for name in ("outreach/alumni", "thank_you", "scheduling/confirm"):
        draft = infoview.render(name, interview=interview)
        assert "emoji-in-name" not in codes(lint(draft))
