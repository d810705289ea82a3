"""Sandboxed mode: untrusted template text is refused clearly, built-ins still render."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from infoview import InfoviewError, SandboxError, Templates
from tests._drafting import BUILTIN_NAMES, sample_interview

PAYLOADS = [
    line
    for line in (Path(__file__).parent / "data" / "sandbox_payloads.txt")
    .read_text(encoding="utf-8")
    .splitlines()
    if line.strip() and not line.startswith("#")
]


@pytest.fixture(scope="module")
def sandbox() -> Templates:
    """A sandboxed template set (one environment for the whole module)."""
    return Templates(sandboxed=True)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_refused(sandbox: Templates, payload: str) -> None:
    """Every known escape or resource bomb raises SandboxError, quickly."""
    sandbox.add("untrusted", payload)
    started = time.perf_counter()
    with pytest.raises(SandboxError) as info:
        sandbox.render("untrusted", contact=sample_interview().contact)
    assert time.perf_counter() - started < 5
    error = info.value
    assert isinstance(error, InfoviewError)
    assert isinstance(error, RuntimeError)
    assert "untrusted" == error.template
    assert "refused by the sandbox" in str(error)


def test_payloads_would_work_unsandboxed() -> None:
    """The corpus is real: the first escapes do reach Python internals without the sandbox."""
    plain = Templates.from_strings({"t": "{{ ''.__class__.__mro__[1].__name__ }}"})
    assert "object\n" == plain.render("t").text


@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_builtins_render_sandboxed(sandbox: Templates, name: str) -> None:
    """The built-in templates stay within the sandbox's rules and bounds."""
    interview = sample_interview()
    assert Templates().render(name, interview=interview).text == (
        sandbox.render(name, interview=interview).text
    )


def test_sandbox_still_refuses_blanks(sandbox: Templates) -> None:
    """StrictUndefined and the no-blanks rule hold in the sandbox too."""
    sandbox.add("blank", "Hi {{ contact.school }}")
    interview = sample_interview()
    interview.contact = interview.contact.with_changes(school=None)
    with pytest.raises(LookupError, match="school"):
        sandbox.render("blank", interview=interview)


def test_bounds_are_configurable() -> None:
    """max_output and max_range can be set per Templates."""
    small = Templates.from_strings(
        {"big": "{{ 'x' * 50 }}", "loop": "{% for i in range(20) %}.{% endfor %}"},
        sandboxed=True,
        max_output=40,
        max_range=10,
    )
    with pytest.raises(SandboxError, match="limit 40"):
        small.render("big")
    with pytest.raises(SandboxError, match="limit 10"):
        small.render("loop")
