"""Hostile templates: no filter or expression prints a missing or empty value (#24, item 6).

Each expression below turns a value into text some way other than ``{{ x }}``
(a filter that prints objects, a collection printed whole, concatenation,
formatting, a variable, a translation, a macro, a filter block, an include, a
layout). Given a blank of any kind, rendered normally (compiled per language)
or in the sandbox, it raises MissingValueError naming the template, the
variable and the contact, and never prints "Undefined", "None", a repr or
nothing where the value would be.
"""

from __future__ import annotations

from typing import Any

import pytest

from infoview import Contact, MissingValueError, Register, Templates
from tests._drafting import BUILTIN_NAMES, sample_interview

#: Expressions in the value X, and what each prints for X = "MIT".
EXPRESSIONS: dict[str, str] = {
    "{{ X|pprint }}": "'MIT'",
    "{{ {'a': X}|dictsort|join }}": "('a', 'MIT')",
    "{{ X|items }}": "",  # a string has no items: checked for blanks only
    "{{ {'a': X}|items }}": "[('a', 'MIT')]",
    "{{ {'a': X}|items|list }}": "[('a', 'MIT')]",
    "{{ X|string }}": "MIT",
    "{{ X|list }}": "['M', 'I', 'T']",
    "{{ [X]|list }}": "['MIT']",
    "{{ X|tojson }}": '"MIT"',
    "{{ [X]|tojson }}": '["MIT"]',
    "{{ {'a': X}|tojson }}": '{"a": "MIT"}',
    "{{ '%s'|format(X) }}": "MIT",
    "{{ '%(v)s'|format(v=X) }}": "MIT",
    "{{ X|attr('upper') is defined }}": "True",
    "{{ X|attr('nothing') is defined }}": "False",
    "{{ [X]|map('upper')|join }}": "MIT",
    "{{ [X]|map('pprint')|join }}": "'MIT'",
    "{{ X|map('upper')|join }}": "MIT",
    "{{ X|select|join }}": "MIT",
    "{{ X|reject|list }}": "",
    "{{ [X, 'b']|join(', ') }}": "MIT, b",
    "{{ [X]|join_list }}": "MIT",
    "{{ X|upper }}": "MIT",
    "{{ X|safe }}": "MIT",
    "{{ X|e }}": "MIT",
    "{{ X|md }}": "MIT",
    "{{ X|sentence }}": "MIT.",
    "{{ X|xmlattr }}": "",
    "{{ {'a': X}|xmlattr }}": 'a="MIT"',  # a draft's lines lose their leading space
    "{{ X|urlencode }}": "MIT",
    "{{ X|abs }}": "",
    "{{ X|round }}": "",
    "{{ X|first }}": "M",
    "{{ X|length }}": "3",
    "{{ 'a' ~ X }}": "aMIT",
    "{{ X ~ 'a' }}": "MITa",
    "{{ '%s' % X }}": "MIT",
    "{{ '%r' % (X,) }}": "'MIT'",
    "{{ '{}'.format(X) }}": "MIT",
    "{{ '[{:>4}]'.format(X) }}": "[ MIT]",
    "{{ [X] }}": "['MIT']",
    "{{ (X,) }}": "('MIT',)",
    "{{ {'a': X} }}": "{'a': 'MIT'}",
    "{{ {X: 1} }}": "{'MIT': 1}",
    "{{ dict(a=X) }}": "{'a': 'MIT'}",
    "{{ X.__class__ }}": "",
    "{{ X.__doc__ }}": "",
    "{{ X.upper() }}": "MIT",
    "{{ X() }}": "",
    "{{ X + 1 }}": "",
    "{{ X - 1 }}": "",
    "{{ -X }}": "",
    "{{ X|int }}": "",
    "{{ range(X)|list }}": "",
    "{% set x = X %}{{ x|pprint }}": "'MIT'",
    "{% set x = X %}{{ [x] }}": "['MIT']",
    "{% set ns = namespace(v=X) %}{{ ns }}": "",
    "{% trans v=X %}At {{ v }}.{% endtrans %}": "At MIT.",
    "{% macro m(v) %}{{ v|pprint }}{% endmacro %}{{ m(X) }}": "'MIT'",
    "{% macro m(v) %}[{{ v }}]{% endmacro %}{{ m(X) }}": "[MIT]",
    "{% filter upper %}{{ X|pprint }}{% endfilter %}": "'MIT'",
    "{% filter upper %}{{ [X] }}{% endfilter %}": "['MIT']",
    "{% for k, v in {'a': X}|items %}{{ k }}={{ v|pprint }}{% endfor %}": "a='MIT'",
}

#: Blank kinds: the expression in place of X, the context, the variable the error names.
KINDS: dict[str, tuple[str, dict[str, Any], str]] = {
    "unset optional field": ("contact.school", {}, "school"),
    "empty text field": ("person.nickname", {"person": {"nickname": ""}}, "nickname"),
    "white-space field": ("person.nickname", {"person": {"nickname": " \t"}}, "nickname"),
    "none field": ("person.nickname", {"person": {"nickname": None}}, "nickname"),
    "missing key": ("person.nick", {"person": {"nickname": "Bo"}}, "nick"),
    "undefined name": ("nope", {}, "nope"),
}

#: What never shows where a value should be.
REPRS = ("Undefined", "None", "<infoview", "<generator", "<class", "object at 0x")

CONTACT = Contact(name="Ana García", email="ana@example.org", school=None)
_SETS: dict[bool, Templates] = {}


def templates(sandboxed: bool) -> Templates:
    """One set per mode holding every expression with every blank kind, compiled once."""
    if sandboxed not in _SETS:
        sources = {
            f"{n}/{kind}": expression.replace("X", KINDS[kind][0])
            for n, expression in enumerate(EXPRESSIONS)
            for kind in KINDS
        }
        sources |= {f"{n}/value": e.replace("X", "value") for n, e in enumerate(EXPRESSIONS)}
        _SETS[sandboxed] = Templates.from_strings(sources, builtins=False, sandboxed=sandboxed)
    return _SETS[sandboxed]


def refused(
    templates: Templates, name: str, variable: str | None, **context: Any
) -> MissingValueError:
    """Render and return the MissingValueError, after checking whom it names."""
    with pytest.raises(MissingValueError) as info:
        templates.render(name, contact=CONTACT, **context)
    error = info.value
    assert (name, variable, CONTACT) == (error.template, error.variable, error.contact)
    assert "Ana García" in str(error)
    return error


@pytest.mark.parametrize("sandboxed", [False, True], ids=["compiled", "sandboxed"])
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("n", range(len(EXPRESSIONS)), ids=list(EXPRESSIONS))
def test_blank_never_printed(n: int, kind: str, sandboxed: bool) -> None:
    """Every expression given every kind of blank raises MissingValueError naming it."""
    _, context, variable = KINDS[kind]
    refused(templates(sandboxed), f"{n}/{kind}", variable, **context)


@pytest.mark.parametrize("sandboxed", [False, True], ids=["compiled", "sandboxed"])
@pytest.mark.parametrize("n", range(len(EXPRESSIONS)), ids=list(EXPRESSIONS))
def test_expression_prints_a_value(n: int, sandboxed: bool) -> None:
    """The same expressions given a value print it (or fail for the value's type, not a blank)."""
    expected = list(EXPRESSIONS.values())[n]
    if not expected:
        return
    draft = templates(sandboxed).render(f"{n}/value", value="MIT")
    assert expected + "\n" == draft.text


@pytest.mark.parametrize("sandboxed", [False, True], ids=["compiled", "sandboxed"])
@pytest.mark.parametrize(
    ("source", "variable", "context"),
    [
        ("{{ items|join(', ') }}", None, {"items": ["a", None]}),
        ("{{ items|join(', ') }}", None, {"items": ["a", ""]}),
        ("{{ items }}", None, {"items": ["a", None]}),
        ("{{ items|pprint }}", None, {"items": ("a", " ")}),
        ("{{ d }}", None, {"d": {"a": None}}),
        ("{{ d|dictsort|join }}", None, {"d": {"a": None}}),
        ("{{ d|tojson }}", None, {"d": {"a": [None]}}),
        ("{{ d|urlencode }}", None, {"d": {"a": None}}),
        ("{% for k, v in d|items %}{{ v }}{% endfor %}", None, {"d": {"a": None}}),
        ("{{ none|string }}", None, {}),
        ("{{ none|upper }}", None, {}),
        ("{{ none|tojson }}", None, {}),
        ("{{ '%s'|format(none) }}", None, {}),
        ("{{ items|map(attribute='school')|join }}", "school", {"items": [CONTACT]}),
        ("{{ items|map(attribute='school')|list }}", "school", {"items": [CONTACT]}),
        ("{{ [contact.school]|select|list }}", None, {}),
        ("{{ contact.school|default('') }}", None, {}),
    ],
)
def test_none_inside_values_never_printed(
    source: str, variable: str | None, context: dict[str, Any], sandboxed: bool
) -> None:
    """None or blank text inside a list or dict, or given to a filter, is refused too."""
    refused(Templates.from_strings({"t": source}, sandboxed=sandboxed), "t", variable, **context)


@pytest.mark.parametrize("sandboxed", [False, True], ids=["compiled", "sandboxed"])
def test_fallbacks_still_work(sandboxed: bool) -> None:
    """|default, or, if, is none, is defined, select and xmlattr's none give templates fallbacks."""
    source = (
        "{{ contact.school|default('a') }}|{{ nope|default('b') }}"
        "|{{ contact.school|d('c', true) }}"
        "|{{ contact.school or 'd' }}|{% if contact.school %}x{% else %}e{% endif %}"
        "|{{ contact.school is none }}|{{ contact.school is defined }}|{{ nope is defined }}"
        "|{{ ['f', contact.school]|select|join }}|{{ [contact.school]|length }}"
        "|{{ {'g': 'h', 'i': none}|xmlattr }}|{{ contact.school == none }}"
        "|{{ {'j': 1}|items }}|{{ [1, 2]|map('string')|join('-') }}"
        "|{{ (contact.school or ' ')|trim or 'k' }}|{{ items|selectattr('school')|list|length }}"
    )
    draft = Templates.from_strings({"t": source}, sandboxed=sandboxed).render(
        "t", contact=CONTACT, items=[CONTACT]
    )
    expected = "a|b|c|d|e|True|False|False|f|1| g=\"h\"|True|[('j', 1)]|1-2|k|0\n"
    assert expected == draft.text


@pytest.mark.parametrize("sandboxed", [False, True], ids=["compiled", "sandboxed"])
@pytest.mark.parametrize(
    "expression", ["contact.school|pprint", "[contact.school]", "{'a': contact.school}|items"]
)
def test_blank_never_printed_through_builtins(expression: str, sandboxed: bool) -> None:
    """A layout written around the blocks, an include and an imported macro refuse it as well."""
    interview = sample_interview()
    interview.contact = interview.contact.with_changes(school=None)
    sources = {
        "layout": '{% extends "_base/message" %}{% block subject %}Hi{% endblock %}'
        f"{{% block body %}}{{{{ {expression} }}}}{{% endblock %}}",
        "extends": '{% extends "outreach/alumni" %}'
        f"{{% block body %}}{{{{ {expression} }}}}{{% endblock %}}",
        "part": f"At {{{{ {expression} }}}}.",
        "include": '{% include "part" %}',
        "phrases": f"{{% macro school() %}}{{{{ {expression} }}}}{{% endmacro %}}",
        "import": '{% import "phrases" as say with context %}Hi {{ say.school() }}',
    }
    set_ = Templates.from_strings(sources, sandboxed=sandboxed)
    for name in ("layout", "extends", "include", "import"):
        with pytest.raises(MissingValueError) as info:
            set_.render(name, interview=interview)
        error = info.value
        assert (name, "school", "contact.school") == (error.template, error.variable, error.path)
        assert interview.contact == error.contact


@pytest.mark.parametrize("sandboxed", [False, True], ids=["compiled", "sandboxed"])
@pytest.mark.parametrize("locale", ["en_US", "de_AT", "fr_FR", "es_MX"])
def test_builtins_print_no_repr(locale: str, sandboxed: bool) -> None:
    """Every built-in renders in every shipped locale and register, printing no repr or None."""
    set_ = Templates(sandboxed=sandboxed)
    for register in (Register.FORMAL, Register.INFORMAL):
        interview = sample_interview(locale=locale)
        interview.contact = interview.contact.with_changes(register=register)
        for name in BUILTIN_NAMES:
            extra = {}
            if name == "outreach/nudge":
                extra["original"] = set_.render("outreach/alumni", interview=interview)
            draft = set_.render(name, interview=interview, **extra)
            assert locale == draft.locale
            for part in (draft.subject, draft.text, draft.html or "", draft.markdown or ""):
                assert [] == [r for r in REPRS if r in part], (name, part)
