"""Every built-in template renders, for sample and generated interviews, as real email."""

from __future__ import annotations

import email
import email.header
import email.policy
import json
import os
import re
import subprocess
import sys
import textwrap
import venv
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import infoview
from infoview import Contact, Draft, Interview, Status, Templates
from infoview.mail._headers import display_name
from tests import strategies
from tests._drafting import BUILTIN_NAMES, sample_interview

TEMPLATES = Templates()


def parse(draft: Draft) -> EmailMessage:
    """Build the message and parse it back with the standard library."""
    parsed = email.message_from_bytes(draft.to_email().as_bytes(), policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


_ODD_SPACE = re.compile(r"[^\S ]| {2}")


def _decoded(value: str) -> str:
    """An RFC 2047 header decoded as the RFC says (adjacent encoded words joined)."""
    return str(email.header.make_header(email.header.decode_header(value)))


def _same_name(name: str, raw: bytes, header: str, parsed: EmailMessage) -> bool:
    # Python's address parser puts a space between adjacent encoded words of a
    # long display name (RFC 2047 says to join them), so non-ASCII names are
    # checked by decoding the raw header the way the RFC describes.
    if name == parsed[header].addresses[0].display_name:
        return True
    if name.isascii():
        return False
    old = email.message_from_bytes(raw, policy=email.policy.compat32)
    return " ".join(name.split()) in " ".join(_decoded(str(old[header])).split())


def assert_headers_intact(draft: Draft) -> None:
    """Subject, From, To, Date and Message-ID survive the round trip."""
    raw = draft.to_email().as_bytes()
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    # Where a long non-ASCII subject is folded into several encoded words, one
    # of Python's two decoders can add or drop a space at a fold; the other
    # gives the subject exactly (less the folding white space before it).
    old = email.message_from_bytes(raw, policy=email.policy.compat32)
    decoded = {parsed["Subject"].strip(), _decoded(str(old["Subject"])).strip()}
    if _ODD_SPACE.search(draft.subject):
        # Runs of white space other than single spaces (no-break spaces next to
        # spaces, say) can lose a space where CPython folds: compare the rest.
        assert "".join(draft.subject.split()) in {"".join(d.split()) for d in decoded}
    else:
        assert draft.subject in decoded
    if draft.subject.isascii():
        assert draft.subject == parsed["Subject"].strip()
    assert draft.recipient is not None
    assert draft.sender is not None
    assert 1 == len(parsed["To"].addresses)
    # A header shows a name without its emoji ("Zoë 🌻 Park" is sent as "Zoë Park").
    assert _same_name(display_name(draft.recipient.name), raw, "To", parsed)
    assert _same_name(display_name(draft.sender.name), raw, "From", parsed)
    assert parsed["Date"] is not None
    assert draft.message_id == parsed["Message-ID"]
    assert parsed["Bcc"] is None


@pytest.mark.parametrize("name", BUILTIN_NAMES)
@pytest.mark.parametrize(
    ("contact_name", "sender_name"),
    [("Ana García", "Sam Rivera"), ("José Müller", "李雷"), ("Zoë 🌻 Park", "Ørjan Nilsen")],
)
def test_builtin_renders_and_parses(name: str, contact_name: str, sender_name: str) -> None:
    """Each of the 16 names renders for a sample interview and parses as email."""
    interview = sample_interview(name=contact_name, sender_name=sender_name)
    draft = TEMPLATES.render(name, interview=interview)
    assert name == draft.template
    assert draft.subject.strip()
    assert draft.text.strip()
    assert "None" not in draft.text
    assert "{{" not in draft.text
    assert_headers_intact(draft)


def test_emoji_subjects_parse() -> None:
    """Emoji and CJK in template-made subjects survive."""
    interview = sample_interview(name="李雷")
    interview.contact = interview.contact.with_changes(organization="🌻 Sunflower Labs")
    draft = TEMPLATES.render("outreach/alumni", interview=interview)
    assert "🌻 Sunflower Labs" in draft.subject
    assert_headers_intact(draft)


def test_outreach_practice() -> None:
    """Outreach: under 150 words, a time-bound ask from the duration, an easy out."""
    interview = sample_interview()
    interview.duration = 15  # type: ignore[assignment]  # the converter takes minutes
    for name in BUILTIN_NAMES:
        if not name.startswith("outreach/") or name == "outreach/social":
            continue
        draft = TEMPLATES.render(name, interview=interview)
        assert len(draft.text.split()) < 150, name
        assert "15 minutes" in draft.text, name
        if name != "outreach/nudge":
            assert "no worries" in draft.text, name
        assert "job" not in draft.text.lower(), name


def test_referral_event_and_thank_you_specifics() -> None:
    """The referrer leads subject and first line; events say where; thanks cite a takeaway."""
    interview = sample_interview()
    referral = TEMPLATES.render("outreach/referral", interview=interview)
    assert referral.subject.startswith("Referred by Lin Okafor")
    assert referral.text.splitlines()[2].startswith("Lin Okafor suggested")
    event = TEMPLATES.render("outreach/event", interview=interview, topic="patient-facing apps")
    assert "HealthTech Summit 2026" in event.subject
    assert "our conversation about patient-facing apps" in event.text
    thanks = TEMPLATES.render("thank_you", interview=interview)
    assert str(interview.takeaways[0]) in thanks.text
    assert "offering to introduce me to Priya Nair" in thanks.text


def test_confirm_states_the_time_in_the_contacts_zone() -> None:
    """scheduling/confirm gives the time where the contact is, and the sender's if it differs."""
    interview = sample_interview()
    interview.contact = interview.contact.with_changes(timezone="Europe/Berlin")
    draft = TEMPLATES.render("scheduling/confirm", interview=interview)
    text = draft.text.replace("\u202f", " ")  # Babel puts a narrow space before PM
    assert "When: Thursday, December 3, 2026, 10:00 PM" in text
    assert "3:00 PM" in text
    assert "Length: 20 minutes" in draft.text


def test_questions_list_in_three_formats() -> None:
    """questions/list renders the agenda with its time budget as text, Markdown and HTML."""
    interview = sample_interview()
    draft = TEMPLATES.render("questions/list", interview=interview)
    agenda = interview.questions
    assert draft.markdown is not None
    assert draft.html is not None
    for question in agenda.questions:
        assert question.text in draft.text
        assert question.text in draft.html
    assert f"Planned: {agenda.minutes} of 20 minutes" in draft.text
    assert "0:02  1. " in draft.text
    assert "1. **0:02**" in draft.markdown
    assert "<ol>" in draft.html
    assert "multipart/alternative" == parse(draft).get_content_type()


def test_missing_extras_name_themselves() -> None:
    """Templates that need more than a bare interview say what is missing."""
    bare = Interview(contact=Contact(name="Bo", email="bo@example.com"), sender=Contact(name="Me"))
    expected = {
        "outreach/alumni": "school",
        "outreach/event": "source_detail",
        "outreach/referral": "introduced_by",
        "outreach/warm": "introduced_by",
        "scheduling/confirm": "scheduled_at",
        "scheduling/reminder": "scheduled_at",
        "questions/list": "questions",
        "thank_you": "takeaways",
        "referral/intro_request": "referral",
        "referral/forwardable_blurb": "referral",
        "referral/close_loop": "referral",
        "follow_up/progress_update": "update",
    }
    for name in BUILTIN_NAMES:
        if name in expected:
            with pytest.raises(infoview.MissingValueError) as info:
                TEMPLATES.render(name, interview=bare)
            assert expected[name] == info.value.variable, name
        else:
            greeting = "Hello Bo," if name == "outreach/social" else "Dear Bo,"  # a note
            assert TEMPLATES.render(name, interview=bare).text.startswith(greeting)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(interview=strategies.complete_interviews())
def test_every_template_renders_for_generated_interviews(interview: Interview) -> None:
    """Any valid interview renders every template, without blanks, as a parseable email."""
    ahead = interview.status is Status.SCHEDULED and interview.scheduled_at is not None
    ahead = ahead and interview.scheduled_at > datetime.now(UTC)
    for name in BUILTIN_NAMES:
        if name == "thank_you" and ahead:  # refused: it has not taken place
            continue
        update = "update" in TEMPLATES.variables(name)
        extra = {"update": "I applied to a course."} if update else {}
        draft = TEMPLATES.render(name, interview=interview, **extra)
        assert draft.subject.strip()
        assert draft.text.strip()
        first_line = draft.text.splitlines()[0]
        assert first_line.strip(" ,:")
        assert_headers_intact(draft)


# A script run by an installed infoview, outside the source tree.
_WHEEL_SCRIPT = textwrap.dedent(
    """
    import email, email.policy, json, sys
    from pathlib import Path
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo
    import infoview
    from infoview import Contact, Interview, QuestionBank, Source, Register, Medium, Party
    from infoview.rendering.templating import builtin_templates_path

    me = Contact(name="Sam Rivera", email="sam@example.org",
                 headline="a nurse exploring health-tech product roles",
                 school="State University", locale="en_US", timezone="America/Chicago")
    ana = Contact(name="Ana García", email="ana@example.com", title="Product Manager",
                  organization="Acme Health", school="State University",
                  source=Source.ALUMNI, locale="es_MX", timezone="America/Mexico_City",
                  register=Register.FORMAL)
    chicago = ZoneInfo("America/Chicago")
    interview = Interview(contact=ana, sender=me, duration=timedelta(minutes=20),
                          medium=Medium.VIDEO,
                          scheduled_at=datetime(2026, 12, 3, 15, 0, tzinfo=chicago),
                          questions=QuestionBank.default().plan(minutes=20))
    draft = infoview.render("outreach/alumni", interview=interview)
    print(draft.locale, draft.subject, draft.text, sep="\\n", file=sys.stderr)
    message = draft.to_email()

    lin = Contact(name="Lin Okafor", email="lin@example.net")
    ana = ana.with_changes(source_detail="HealthTech Summit", introduced_by=lin)
    interview.contact = ana
    interview.takeaways = ("shadow a product team first",)
    interview.suggest(lin, introduce=True)
    subjects = {}
    for name in infoview.Templates().names():
        extra = {"update": "I applied."} if "update" in infoview.Templates().variables(name) else {}
        draft = infoview.render(name, interview=interview, **extra)
        parsed = email.message_from_bytes(draft.to_email().as_bytes(), policy=email.policy.default)
        assert parsed["Subject"] == draft.subject, name
        subjects[name] = draft.subject
    print(json.dumps({"templates": str(builtin_templates_path()),
                      "package": str(Path(infoview.__file__).parent),
                      "subjects": subjects}))
    """
)


def _run_installed(python: str, cwd: Path) -> dict[str, object]:
    result = subprocess.run(
        [python, "-c", _WHEEL_SCRIPT],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert 0 == result.returncode, result.stderr
    found: dict[str, object] = json.loads(result.stdout)
    return found


def test_wheel_in_fresh_venv_renders_every_template(tmp_path: Path) -> None:
    """The built wheel, installed in a fresh virtual environment, renders all 17 templates.

    In CI's wheel run the suite already runs in such an environment; otherwise
    the wheel is built from the source tree and installed here.
    """
    if os.environ.get("INFOVIEW_EXPECT_INSTALL") == "wheel":
        python = sys.executable
    else:
        root = Path(infoview.__file__).resolve().parents[2]
        dist = tmp_path / "dist"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "build",
                "--wheel",
                "--no-isolation",
                "--outdir",
                str(dist),
                str(root),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        (wheel,) = dist.glob("infoview-*.whl")
        env_dir = tmp_path / "venv"
        venv.EnvBuilder(with_pip=True).create(env_dir)
        python = str(env_dir / "bin" / "python")
        subprocess.run(
            [python, "-m", "pip", "install", "-q", str(wheel)],
            check=True,
            capture_output=True,
            timeout=300,
        )
    found = _run_installed(python, tmp_path)
    package = Path(str(found["package"]))
    assert "site-packages" in package.parts
    assert str(package / "templates") == found["templates"]
    subjects = found["subjects"]
    assert isinstance(subjects, dict)
    assert sorted(BUILTIN_NAMES) == sorted(subjects)
