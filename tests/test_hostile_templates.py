"""Broken or hostile template text fails with an infoview error naming the template and line."""

from __future__ import annotations

import pytest

from infoview import InfoviewError, TemplateError, Templates, UnknownTemplateError
from infoview.model import samples

# name → (source, the line the error must name, words the reason must hold)
FAULTS = {
    "zero": ("one\ntwo\n{{ 1 / 0 }}", 3, "ZeroDivisionError"),
    "date": ("{{ 'x'|date }}", 1, "|date needs a datetime"),
    "naive": ("\n{{ interview.scheduled_at.replace(tzinfo=none)|time }}", 2, "time zone"),
    "zone": ("{{ interview.scheduled_at|datetime(zone='Mars/Base') }}", 1, "IANA time zone"),
    "duration": ("{{ 'x'|duration }}", 1, "|duration needs a timedelta"),
    "relative": ("{{ 'x'|relative }}", 1, "|relative needs"),
    "types": ("{{ 1 + 'a' }}", 1, "TypeError"),
    "syntax": ("fine\n{{ x ", 2, "syntax error"),
    "macro": ("{% macro f() %}{{ f() }}{% endmacro %}\n{{ f() }}", 1, "without end"),
    "itself": ("{% include 'itself' %}", 1, "without end"),
}


@pytest.fixture(params=[False, True], ids=["plain", "sandboxed"])
def templates(request: pytest.FixtureRequest) -> Templates:
    """The fault corpus, plain and sandboxed."""
    sources = {name: source for name, (source, _, _) in FAULTS.items()}
    return Templates.from_strings(sources, sandboxed=request.param)


@pytest.mark.parametrize("name", sorted(FAULTS))
def test_fault_names_template_and_line(templates: Templates, name: str) -> None:
    """A template's own runtime or syntax error is a TemplateError with its name and line."""
    _, line, words = FAULTS[name]
    with pytest.raises(InfoviewError) as info:
        templates.render(name, interview=samples.interview())
    error = info.value
    if templates.sandboxed and name in {"macro", "itself"}:
        # The sandbox bounds recursion itself, and says so.
        assert "SandboxError" == type(error).__name__
        return
    assert isinstance(error, TemplateError)
    assert isinstance(error, ValueError)
    assert name == error.template
    assert line == error.line
    assert words in str(error)
    assert f"{name}, line {line}: " in str(error)
    assert "fix the template there" in str(error)


@pytest.mark.parametrize(
    ("source", "missing"),
    [
        ("{% include 'nope' %}", "nope"),
        ("{% extends 'outreach/nope' %}", "outreach/nope"),
        ("{% import 'nope/macros' as m %}{{ m.x() }}", "nope/macros"),
        ("{% from 'nope' import x %}{{ x() }}", "nope"),
    ],
)
def test_missing_include_is_unknown_template(source: str, missing: str) -> None:
    """An include, extends or import of a template that does not exist says which one."""
    templates = Templates.from_strings({"mine": source})
    with pytest.raises(UnknownTemplateError) as info:
        templates.render("mine", interview=samples.interview())
    assert missing == info.value.name
    assert "templates given as strings" in info.value.searched


def test_variables_of_broken_template() -> None:
    """Asking what a template needs reports a syntax error the same way rendering does."""
    templates = Templates.from_strings({"broken": "a\nb\n{% if %}"})
    with pytest.raises(TemplateError) as info:
        templates.variables("broken")
    assert ("broken", 3) == (info.value.template, info.value.line)


def test_blank_is_none() -> None:
    """``is none`` holds for an attribute that is None, as a template author expects."""
    templates = Templates.from_strings(
        {"t": "{{ contact.school is none }} {{ contact.name is none }} {{ x is none }}"}
    )
    contact = samples.interview().contact.with_changes(school=None)
    assert "True False False\n" == templates.render("t", contact=contact, x=3).text
