"""Sandboxed mode: templates cannot change infoview's objects, and every bound is a SandboxError."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

import infoview
from infoview import FollowUp, InfoviewError, Interview, SandboxError, Templates
from infoview.language.i18n import LANGUAGES
from infoview.sandbox import SAFE_METHODS
from tests._drafting import BUILTIN_NAMES, sample_interview

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)

#: Calls that would change the interview, its lists, or make new model objects.
HOSTILE_INTERVIEW = [
    "{% set _ = interview.request() %}",
    "{% set _ = interview.schedule(interview.scheduled_at) %}",
    "{% set _ = interview.complete() %}",
    "{% set _ = interview.decline() %}",
    "{% set _ = interview.cancel() %}",
    "{% set _ = interview.mark_no_response() %}",
    "{% set _ = interview.log('hostile') %}",
    "{% set _ = interview.promise('hostile') %}",
    "{% set _ = interview.suggest(contact) %}",
    "{% set _ = interview.referrals[0].advance('introduced') %}",
    "{% set _ = interview.from_referral(interview.referrals[0], contact) %}",
    "{% set _ = (interview|attr('cancel'))() %}",
    "{% set ns = namespace(i=interview) %}{% set _ = ns.i.cancel() %}",
    "{% for r in interview.referrals %}{% set _ = r.advance('closed') %}{% endfor %}",
    "{% macro m(f) %}{{ f() }}{% endmacro %}{{ m(interview.cancel) }}",
    "{% set _ = interview.history.append(interview.history[0]) %}",
    "{% set _ = interview.history.clear() %}",
    "{% set _ = interview.promises.clear() %}",
    "{% set _ = interview.promises.pop() %}",
    "{% set _ = interview.referrals.pop() %}",
    "{% set _ = interview.referrals.extend(interview.referrals) %}",
    "{% set _ = interview.interactions.append(1) %}",
    "{% set _ = interview.interactions.insert(0, 1) %}",
    "{% set _ = interview.history.sort() %}",
    "{% set _ = interview.history.reverse() %}",
    "{% set _ = contact.with_changes(name='Mallory') %}",
    "{% set _ = interview.contact.with_changes(name='Mallory') %}",
    "{% set _ = original.write_eml('hostile.eml') %}",
    "{% set _ = original.attach('x.txt', 'x') %}",
]

HOSTILE_FOLLOW_UP = [
    "{% set _ = follow_up.mark_done() %}",
    "{% set _ = follow_up.skip() %}",
    "{% set _ = follow_up.snooze(follow_up.due) %}",
    "{% set _ = follow_up.interview.cancel() %}",
    "{% set _ = interview.log('hostile') %}",
]


def _state(*objects: Any) -> list[Any]:
    return [infoview.converter.unstructure(o) for o in objects]


@pytest.mark.parametrize("template", HOSTILE_INTERVIEW)
def test_hostile_calls_change_nothing(template: str) -> None:
    """A sandboxed template cannot call a mutating method or change a list on the interview."""
    interview = sample_interview()
    original = Templates().render("outreach/alumni", interview=interview)
    before = _state(interview)
    templates = Templates.from_strings({"hostile": template}, sandboxed=True)
    with pytest.raises(SandboxError) as info:
        templates.render("hostile", interview=interview, original=original)
    assert before == _state(interview)
    assert "hostile" == info.value.template


def test_refusal_says_what_may_be_called() -> None:
    """The reason names the method, says why, and lists what a template may call."""
    templates = Templates.from_strings({"t": "{{ interview.cancel() }}"}, sandboxed=True)
    with pytest.raises(SandboxError, match=r"Interview\.cancel\(\) may change") as info:
        templates.render("t", interview=sample_interview())
    assert "Interview.changed_at" in info.value.reason


def test_setting_attributes_changes_nothing() -> None:
    """{% set obj.attr %} only works on a namespace: an interview is refused unchanged."""
    interview = sample_interview()
    before = _state(interview)
    templates = Templates.from_strings(
        {"t": "{% set interview.status = 'cancelled' %}"}, sandboxed=True
    )
    with pytest.raises(InfoviewError, match="non-namespace"):
        templates.render("t", interview=interview)
    assert before == _state(interview)


def _follow_up() -> tuple[Interview, FollowUp]:
    interview = sample_interview()
    interview.request(at=NOW)
    return interview, infoview.Policy().plan(interview, now=NOW)[0]


@pytest.mark.parametrize("template", HOSTILE_FOLLOW_UP)
def test_hostile_follow_up_changes_nothing(template: str) -> None:
    """Rendering a follow-up's draft cannot mark it done, skip or snooze it."""
    interview, follow_up = _follow_up()
    before = _state(interview, follow_up)
    templates = Templates.from_strings({follow_up.template: template}, sandboxed=True)
    with pytest.raises(SandboxError):
        templates.render_follow_up(follow_up)
    assert before == _state(interview, follow_up)


def test_safe_methods_still_work() -> None:
    """The reading methods stay callable, and give the same answers as in Python."""
    interview = sample_interview()
    templates = Templates.from_strings(
        {
            "t": "{{ interview.changed_at('identified') is none }} "
            "{{ interview.questions.by_category()|length }}"
        },
        sandboxed=True,
    )
    expected = f"{interview.changed_at('identified') is None} "
    expected += f"{len(interview.questions.by_category())}\n"
    assert expected == templates.render("t", interview=interview).text
    assert "Interview.changed_at" in SAFE_METHODS


@pytest.mark.parametrize("name", BUILTIN_NAMES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_builtins_fit_a_twentieth_of_the_budget(name: str, language: str) -> None:
    """Every built-in renders sandboxed, identically, within 5% of the default bounds."""
    interview = sample_interview()
    small = Templates(sandboxed=True, max_work=5_000, max_depth=10)
    plain = Templates().render(name, interview=interview, locale=language)
    sandboxed = small.render(name, interview=interview, locale=language)
    assert (plain.subject, plain.text, plain.html, plain.markdown) == (
        sandboxed.subject,
        sandboxed.text,
        sandboxed.html,
        sandboxed.markdown,
    )


@pytest.mark.parametrize(
    ("source", "options", "reason"),
    [
        ("{% for i in range(50) %}{% endfor %}", {"max_work": 40}, "limit 40 steps: max_work"),
        ("{% macro r() %}{{ r() }}{% endmacro %}{{ r() }}", {"max_depth": 5}, "limit 5: max_depth"),
        ("{% include 't' %}", {"max_depth": 3}, "limit 3: max_depth"),
        ("{{ range(11) }}", {"max_range": 10}, "limit 10: max_range"),
        ("{{ 'x' * 41 }}", {"max_output": 40}, "limit 40: max_output"),
        ("{{ [['x'] * 30] * 2 }}", {"max_output": 40}, "limit 40: max_output"),
        ("{% set x %}{{ 'x' * 30 }}{{ 'x' * 30 }}{% endset %}", {"max_output": 40}, "max_output"),
        ("{{ 2 ** 4097 }}", {}, "limit 4,096: max_int_bits"),
    ],
)
def test_each_bound_names_itself(source: str, options: dict[str, int], reason: str) -> None:
    """Each bound is configurable and its refusal names the bound and its limit."""
    templates = Templates.from_strings({"t": source}, sandboxed=True, **options)
    with pytest.raises(SandboxError) as info:
        templates.render("t")
    assert reason in info.value.reason


def test_python_recursion_is_a_sandbox_error() -> None:
    """With max_depth out of the way, Python's own RecursionError becomes a SandboxError."""
    templates = Templates.from_strings(
        {"t": "{% macro r() %}{{ r() }}{% endmacro %}{{ r() }}"},
        sandboxed=True,
        max_depth=100_000,
    )
    with pytest.raises(SandboxError, match="recursed too deep for Python"):
        templates.render("t")


def test_values_up_to_the_bounds_still_work() -> None:
    """The bounds refuse only what passes them: the largest allowed values still render."""
    templates = Templates.from_strings(
        {
            "t": "{{ ('x' * 99999)|length }} {{ range(1000)|join(',')|length }} "
            "{{ ((2 ** 4095 - 1) * 2 + 1)|string|length }} {{ ['ab'] * 3 }} "
            "{{ 10 ** 10 ** 10 == 10 ** 100 }}"
        },
        sandboxed=True,
    )
    assert "99999 3889 1234 ['ab', 'ab', 'ab'] True\n" == templates.render("t").text


def test_budget_is_per_render() -> None:
    """Work spent in one render does not carry over to the next."""
    templates = Templates.from_strings(
        {"t": "{% for i in range(100) %}{% endfor %}done"}, sandboxed=True, max_work=300
    )
    for _ in range(5):
        assert "done\n" == templates.render("t").text
