"""Errors that point at the user's real mistake, in the API's words and in the command line's."""

from __future__ import annotations

import json
import subprocess
import sys
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
