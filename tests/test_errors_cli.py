"""Errors that point at the user's real mistake, in the API's words and in the command line's."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import infoview
from infoview import Templates, converter
from infoview.errors import TemplateError, UnknownValueError, WrongTypeError
from infoview.model import samples


def script(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run the installed ``infoview`` console script."""
    command = Path(sys.executable).parent / "infoview"
    return subprocess.run(
        [command, *map(str, args)], capture_output=True, text=True, check=False, timeout=120
    )


def error_line(done: subprocess.CompletedProcess[str]) -> str:
    """The one ``Error:`` line, last on stderr, with no traceback before it."""
    lines = done.stderr.strip().splitlines()
    assert "Traceback" not in done.stderr, done.stderr
    assert [lines[-1]] == [line for line in lines if line.startswith("Error: ")], done.stderr
    return lines[-1]


@pytest.fixture
def interview_data() -> dict[str, Any]:
    """The sample interview, as converter writes it."""
    data: dict[str, Any] = converter.unstructure(samples.interview())
    return data


def _write(path: Path, value: Any) -> Path:
    path.write_text(json.dumps(value), encoding="utf-8")
    return path


# -- misspellings -------------------------------------------------------------------------


def test_render_refuses_a_value_no_template_reads() -> None:
    """render(..., takeway=…) names the input it looks like."""
    with pytest.raises(UnknownValueError) as info:
        infoview.render("thank_you", interview=samples.interview(), takeway="x")
    assert ("takeway", "takeaway") == (info.value.name, info.value.closest)
    assert "did you mean 'takeaway'?" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_render_still_takes_what_the_template_reads() -> None:
    """A value the template reads is printed."""
    draft = infoview.render("thank_you", interview=samples.interview(), takeaway="start small")
    assert "start small" in draft.text


def test_a_misspelled_variable_in_a_template_says_did_you_mean() -> None:
    """{{ sendr.name }} in your template names 'sender', when rendered and when described."""
    templates = Templates.from_strings(
        {"mine/x": "{% block subject %}Hi{% endblock %}\nFrom {{ sendr.name }}\n"}
    )
    with pytest.raises(TemplateError) as rendered:
        templates.render("mine/x", interview=samples.interview())
    with pytest.raises(TemplateError) as described:
        templates.describe("mine/x")
    assert "did you mean 'sender'?" in str(rendered.value)
    assert "did you mean 'sender'?" in str(described.value)


def test_a_new_input_of_your_template_is_still_an_input() -> None:
    """A name not like any render gives stays an input of describe()."""
    templates = Templates.from_strings(
        {"mine/x": "{% block subject %}Hi{% endblock %}\nAbout {{ topic }}\n"}
    )
    assert ["topic"] == [given.name for given in templates.describe("mine/x").inputs]


def test_set_misspelled_on_the_command_line(tmp_path: Path, interview_data: Any) -> None:
    """--set takeway=… names --set takeaway=…, exit 2."""
    interview = _write(tmp_path / "interview.json", interview_data)
    done = script("render", "thank_you", "--interview", interview, "--set", "takeway=x")
    line = error_line(done)
    assert 2 == done.returncode
    assert "did you mean --set takeaway=…?" in line


# -- the argument at fault ----------------------------------------------------------------


def test_a_dict_where_a_contact_belongs() -> None:
    """contact={"name": "Ana"} is a TypeError about the argument, not about a template."""
    with pytest.raises(WrongTypeError) as info:
        infoview.render("outreach/cold", interview=samples.interview(), contact={"name": "Ana"})
    assert isinstance(info.value, TypeError)
    assert str(info.value).startswith("render(contact=…): expected a Contact, got a dict")
    assert "fix the template" not in str(info.value)


def test_locale_on_the_command_line_names_the_flag(tmp_path: Path, interview_data: Any) -> None:
    """--locale german says --locale."""
    interview = _write(tmp_path / "interview.json", interview_data)
    done = script("render", "thank_you", "--interview", interview, "--locale", "german")
    assert 2 == done.returncode
    assert error_line(done).startswith("Error: --locale: 'german' is not a known locale")


def test_unknown_template_on_the_command_line(tmp_path: Path, interview_data: Any) -> None:
    """The places searched on the command line never include templates given as strings."""
    interview = _write(tmp_path / "interview.json", interview_data)
    done = script("render", "outreach/evnt", "--interview", interview)
    line = error_line(done)
    assert 2 == done.returncode
    assert "given as strings" not in line
    assert "did you mean 'outreach/event'" in line


def test_missing_event_names_set_event(tmp_path: Path, interview_data: Any) -> None:
    """outreach/event without contact.source_detail says --set event=…, exit 1."""
    interview_data["contact"]["source_detail"] = None
    interview = _write(tmp_path / "interview.json", interview_data)
    done = script("render", "outreach/event", "--interview", interview)
    assert 1 == done.returncode
    assert error_line(done).endswith("--set event=…")


# -- sources, columns and empty runs ------------------------------------------------------


def test_a_source_word_suggests_the_source() -> None:
    """Contact(source="LinkedIn") says social."""
    with pytest.raises(infoview.ValidationError) as info:
        infoview.Contact(name="Ana García", source="LinkedIn")
    assert "did you mean 'social'" in str(info.value)


def test_a_csv_without_an_email_column_warns(tmp_path: Path) -> None:
    """The import warns on the header line and names --map COLUMN=email on the command line."""
    path = tmp_path / "people.csv"
    path.write_text("Name,Reach\nAna García,ana@example.com\n", encoding="utf-8")
    result = infoview.importers.read_csv(path)
    assert [(1, "email")] == [(p.line, p.field) for p in result.warnings]
    done = script("import", "csv", path, "-o", tmp_path / "out.json")
    assert 0 == done.returncode, done.stderr
    assert "no column looks like an email address" in done.stdout
    assert "use --map COLUMN=email" in done.stdout


@pytest.mark.parametrize("out", ["drafts", "drafts.mbox"])
def test_drafts_that_write_nothing_exit_1_and_make_nothing(tmp_path: Path, out: str) -> None:
    """No contact drafted: exit 1, one Error line, no empty folder or mbox."""
    people = tmp_path / "people.csv"
    people.write_text("Name,Email,Source\nAna García,,alumni\n", encoding="utf-8")
    me = _write(tmp_path / "me.json", converter.unstructure(samples.sender()))
    done = script("drafts", "--csv", people, "--sender", me, "--out", tmp_path / out)
    assert 1 == done.returncode
    assert "nothing was written" in error_line(done)
    assert not (tmp_path / out).exists()


def test_a_template_without_subject_leaves_no_empty_folder(tmp_path: Path) -> None:
    """A template that renders no subject stops the run before the folder is made."""
    people = tmp_path / "people.csv"
    people.write_text("Name,Email,Source\nAna García,ana@example.com,alumni\n", encoding="utf-8")
    me = _write(tmp_path / "me.json", converter.unstructure(samples.sender()))
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "plain.txt").write_text("Hello {{ contact.name }}\n", encoding="utf-8")
    done = script(
        "drafts", "--csv", people, "--sender", me, "--template", "plain",
        "--templates", tmp_path / "mine", "--out", tmp_path / "out",
    )  # fmt: skip
    assert 1 <= done.returncode
    assert "subject" in error_line(done)
    assert not (tmp_path / "out").exists()


def test_dry_run_show_prints_the_first_drafts(tmp_path: Path) -> None:
    """--dry-run --show 1 prints the first draft's subject and text, and writes nothing."""
    people = tmp_path / "people.csv"
    people.write_text(
        "Name,Email,Source,School\nAna García,ana@example.com,alumni,State U\n"
        "Bo Li,bo@example.com,alumni,State U\n",
        encoding="utf-8",
    )
    me = _write(tmp_path / "me.json", converter.unstructure(samples.sender()))
    done = script("drafts", "--csv", people, "--sender", me, "--dry-run", "--show", "1")
    assert 0 == done.returncode, done.stderr
    assert 1 == done.stdout.count("Subject: ")
    assert "Dear Ana," in done.stdout
    assert "Bo" not in done.stdout.split("Dry run")[0].split("drafted")[0]
    assert {people, me} == set(tmp_path.iterdir())


def test_a_draft_repr_stays_short() -> None:
    """repr(Draft) leaves the text out and stays under 400 characters."""
    long = "x" * 5_000
    draft = infoview.render("outreach/alumni", interview=samples.interview())
    draft = draft.with_changes(subject="S" + long, text=long, html=long)
    assert len(repr(draft)) < 400
    assert "text=5,000 chars" in repr(draft)


# -- data that disagree with itself -------------------------------------------------------


@pytest.mark.parametrize(
    ("history", "says"),
    [
        ([], "its history has no entry saying when"),
        ([{"status": "scheduled", "at": "2027-01-01T10:00:00+00:00"}], "after --now"),
    ],
)
def test_followups_never_drops_a_scheduled_interview_silently(
    tmp_path: Path, interview_data: Any, history: list[Any], says: str
) -> None:
    """A scheduled interview the policy cannot time is named on stderr with the reason."""
    interview_data |= {
        "status": "scheduled",
        "scheduled_at": "2026-12-01T10:00:00-06:00[America/Chicago]",
        "history": history,
    }
    interviews = _write(tmp_path / "interviews.json", [interview_data])
    done = script("followups", "--interviews", interviews, "--now", "2026-12-02T10:00-06:00")
    assert 0 == done.returncode, done.stderr
    assert "Warning: Ana García: its" in done.stderr
    assert says in done.stderr


def test_an_invite_without_a_time_is_refused(tmp_path: Path, interview_data: Any) -> None:
    """The invite and the confirmation of an interview without a time say to schedule it."""
    interview_data["scheduled_at"] = None
    interview = _write(tmp_path / "interview.json", interview_data)
    invite = script("invite", "--interview", interview)
    confirm = script("render", "scheduling/confirm", "--interview", interview)
    assert (2, 1) == (invite.returncode, confirm.returncode)
    assert "schedule" in error_line(invite)
    assert "schedule the interview first" in error_line(confirm)


def test_drafts_set_misspelled_names_the_closest(tmp_path: Path) -> None:
    """drafts --set takeway=… says --set and the closest input."""
    people = tmp_path / "people.csv"
    people.write_text("Name,Email\nAna García,ana@example.com\n", encoding="utf-8")
    me = _write(tmp_path / "me.json", converter.unstructure(samples.sender()))
    done = script(
        "drafts", "--csv", people, "--sender", me, "--template", "thank_you",
        "--dry-run", "--set", "takeway=x",
    )  # fmt: skip
    line = error_line(done)
    assert 2 == done.returncode
    assert line.startswith("Error: --set: 'takeway'")
    assert "did you mean 'takeaway'?" in line


def test_a_linkedin_file_given_as_csv_names_the_command(tmp_path: Path) -> None:
    """The hint for LinkedIn's export names infoview import linkedin, not read_linkedin()."""
    path = tmp_path / "Connections.csv"
    path.write_text(
        'Notes:\n"When exporting your connection data, ..."\n\n'
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n",
        encoding="utf-8",
    )
    done = script("import", "csv", path)
    line = error_line(done)
    assert 2 == done.returncode
    assert "for LinkedIn's Connections.csv use infoview import linkedin FILE" in line
    assert "or use --map HEADER=name" in line
    assert "mapping=" not in line


def test_a_thank_you_before_the_interview_is_refused() -> None:
    """A thank-you for an interview still to come says why; after it, it renders."""
    interview = samples.interview()
    interview.schedule(datetime.now(UTC) + timedelta(days=3))
    with pytest.raises(infoview.ValidationError) as info:
        infoview.render("thank_you", interview=interview)
    assert "has not taken place" in str(info.value)
    interview.schedule(
        datetime.now(UTC) - timedelta(hours=2), when=datetime.now(UTC) - timedelta(days=1)
    )
    assert infoview.render("thank_you", interview=interview).subject
