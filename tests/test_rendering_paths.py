"""A template of yours renders the same on every path: folded, sandboxed and as plain Jinja2.

``Templates`` folds ``{% trans %}`` while compiling (``infoview.rendering.specialize``);
the sandbox compiles as written; a plain ``jinja2.Environment`` wired the same
way (``templating.environment_options()`` and ``templating.wire()``) runs
Jinja2's own ``{% trans %}`` and the gettext call. Hypothesis writes template
sets using ``with``, ``filter``, ``include``, ``import … with context``,
macros, blocks over a layout and ``trans`` (with catalog messages and blank
values), and every path must give the same text, or fail the same way.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import jinja2
import pytest
from babel.messages.pofile import read_po
from hypothesis import given, settings, strategies as st

import infoview
from infoview import Register, Templates
from infoview.language import i18n
from infoview.language.locales import catalog_path
from infoview.model import samples
from infoview.rendering import blanks, filters, templating

LOCALES = ("en_US", "de_DE", "de_CH", "fr_FR", "es_MX")
# The values every generated template may read: text, a number, a blank, nothing.
VALUES: dict[str, Any] = {"word": "Ana & <Co>", "n": 7, "blank": "", "nothing": None}
EXPRESSIONS = ("word", "n", "blank", "nothing", "'lit'", "x", "word|upper")


@cache
def _messages() -> tuple[tuple[str | None, str], ...]:
    """Every singular message of the shipped catalogs with only ``%(name)s`` placeholders."""
    found: set[tuple[str | None, str]] = set()
    for language in ("de", "fr", "es"):
        with catalog_path(language).open("rb") as po:
            for message in read_po(po):
                text = message.id
                if not (isinstance(text, str) and text and message.string):
                    continue
                if re.sub(r"%\(\w+\)s|%%", "", text).count("%") or "{" in text:
                    continue
                found.add((message.context, text))
    return tuple(sorted(found, key=repr))


def _trans_source(context: str | None, message: str, values: list[str]) -> str:
    """``{% trans %}`` source whose message id is ``message``, each value bound to an expression."""
    names = list(dict.fromkeys(re.findall(r"%\((\w+)\)s", message)))
    body = re.sub(r"%\((\w+)\)s", r"{{ \1 }}", message).replace("%%", "%")
    bound = ", ".join(f"{name}={values[i % len(values)]}" for i, name in enumerate(names))
    head = ' "you"' if context in ("formal", "informal") else ""
    head += (" " + bound) if bound else ""
    return f"{{% trans{head} %}}{body}{{% endtrans %}}"


expressions = st.sampled_from(EXPRESSIONS)
words = st.sampled_from(("alpha", "beta", "100%", "ß-Straße", "<b>", " ", "\n"))


@st.composite
def trans_blocks(draw: st.DrawFn) -> str:
    """A ``{% trans %}`` block: a catalog message, or words of no catalog, with values."""
    values = draw(st.lists(expressions, min_size=1, max_size=3))
    if draw(st.booleans()):
        context, message = draw(st.sampled_from(_messages()))
        return _trans_source(context, message, values)
    you = ' "you"' if draw(st.booleans()) else ""
    text = draw(words)
    return f"{{% trans{you} v={values[0]} %}}{text} {{{{ v }}}}{{% endtrans %}}"


def _bodies(depth: int, *, partial: bool = False) -> st.SearchStrategy[str]:
    """Template text; a partial's (``partial``) includes and imports nothing."""
    simple = st.one_of(
        words,
        expressions.map(lambda e: f"{{{{ {e} }}}}"),
        expressions.map(lambda e: f"{{% set x = {e} %}}"),
        trans_blocks(),
        st.just("{{ x is defined }}"),
    )
    leaves = (
        simple
        if partial
        else st.one_of(
            simple,
            st.just('{% include "lib/part" %}'),
            st.just('{% include "lib/part.html" %}'),
            st.just('{% import "lib/macros" as m with context %}{{ m.hello() }}'),
            st.just('{% import "lib/macros" as m %}{{ m.greet(word) }}'),
            st.just('{% from "lib/macros" import greet %}{{ greet(n) }}'),
        )
    )
    if depth <= 0:
        return leaves

    def wrap(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.tuples(expressions, inner).map(
                lambda p: f"{{% with x = {p[0]} %}}{p[1]}{{% endwith %}}"
            ),
            inner.map(lambda b: f"{{% filter upper %}}{b}{{% endfilter %}}"),
            inner.map(lambda b: f"{{% macro inner() %}}{b}{{% endmacro %}}{{{{ inner() }}}}"),
            inner.map(lambda b: f"{{% if word %}}{b}{{% else %}}no{{% endif %}}"),
            inner.map(lambda b: f"{{% for i in [1, 2] %}}{b}{{% endfor %}}"),
        )

    inner = _bodies(depth - 1, partial=partial)
    return st.one_of(leaves, wrap(inner)).flatmap(
        lambda first: st.lists(st.one_of(leaves, wrap(inner)), max_size=3).map(
            lambda rest: first + "".join(rest)
        )
    )


@st.composite
def template_sets(draw: st.DrawFn) -> dict[str, str]:
    """A set of templates of yours: a layout with blocks, a child, partials, macros."""
    body = _bodies(2)
    layout_block = draw(
        st.sampled_from(
            (
                "{% block b %}L{{ x is defined }}{% endblock %}",
                "{% with x = word %}{% block b %}L{% endblock %}[{{ x }}]{% endwith %}",
                "{% filter upper %}{% block b %}l{% endblock %}{% endfilter %}",
                "{% set x = n %}{% block b %}L{% endblock %}",
                (
                    '{% import "lib/macros" as m with context %}{% block b %}{% endblock %}'
                    "{% set x = 'late' %}{{ m.hello() }}"
                ),
            )
        )
    )
    return {
        "lib/layout": draw(body) + layout_block + draw(body),
        "lib/part": draw(_bodies(0, partial=True)),
        "lib/part.html": "<i>{{ word }}</i>" + draw(_bodies(0, partial=True)),
        "lib/macros": (
            "{% macro hello() %}" + draw(_bodies(1, partial=True)) + "{% endmacro %}"
            "{% macro greet(who) %}Hi {{ who }}{% endmacro %}"
        ),
        "t/main": draw(body),
        "t/main.html": draw(body),
        "t/child": (
            '{% extends "lib/layout" %}{% block b %}' + draw(body) + "{{ super() }}{% endblock %}"
        ),
    }


def _outcome(render: Any) -> tuple[str, Any]:
    """What a render gives: its text, or which kind of fault stopped it."""
    try:
        return "text", render()
    except (infoview.MissingValueError, blanks.MissingValue, jinja2.UndefinedError):
        return "missing", None
    except (infoview.TemplateError, jinja2.TemplateError, TypeError, ValueError) as exc:
        return "fault", type(exc).__name__ if not isinstance(exc, infoview.InfoviewError) else None


def _plain(sources: dict[str, str], name: str, locale: str, register: Register) -> str:
    """Render with a plain jinja2.Environment wired as Templates wires its own."""
    environment = jinja2.Environment(  # noqa: S701 - environment_options() chooses autoescape
        loader=jinja2.DictLoader(sources), **templating.environment_options()
    )
    templating.wire(environment)
    recipient = samples.contact(register=register)
    given = {k: v for k, v in VALUES.items() if not blanks.is_blank(v)}  # as render() takes them
    values = {
        **given,
        "recipient": recipient,
        "social_limit": 200,
        **i18n.render_context(locale, register),
    }
    return environment.get_template(name).render(values)


def _ours(templates: Templates, name: str, locale: str, register: Register) -> str | None:
    recipient = samples.contact(register=register)
    message = name.removesuffix(".html")
    read = templates.variables(message)  # a value no template reads is refused
    given = {key: value for key, value in VALUES.items() if key in read}
    draft = templates.render(message, locale=locale, recipient=recipient, **given)
    return draft.html if name.endswith(".html") else draft.text


def _same_everywhere(sources: dict[str, str], name: str, locale: str, register: Register) -> None:
    normal = Templates.from_strings(sources, builtins=False)
    sandboxed = Templates.from_strings(sources, builtins=False, sandboxed=True)
    plain = _outcome(lambda: _plain(sources, name, locale, register))
    if plain[0] == "text" and not name.endswith(".html"):
        plain = ("text", filters.tidy(plain[1]))
    if plain[0] == "fault":
        plain = ("fault", None)
    assert plain == _outcome(lambda: _ours(normal, name, locale, register)), "normal"
    assert plain == _outcome(lambda: _ours(sandboxed, name, locale, register)), "sandboxed"


@settings(max_examples=60, deadline=None)
@given(
    sources=template_sets(),
    name=st.sampled_from(("t/main", "t/child")),
    locale=st.sampled_from(LOCALES),
    register=st.sampled_from(Register),
)
def test_a_template_of_yours_renders_the_same_on_every_path(
    sources: dict[str, str], name: str, locale: str, register: Register
) -> None:
    """Normal, sandboxed and plain Jinja2 give the same text, or all fail alike."""
    del sources["t/main.html"]  # rendered on its own below
    _same_everywhere(sources, name, locale, register)


@settings(max_examples=30, deadline=None)
@given(sources=template_sets(), locale=st.sampled_from(LOCALES), register=st.sampled_from(Register))
def test_an_html_part_escapes_the_same_on_every_path(
    sources: dict[str, str], locale: str, register: Register
) -> None:
    """The ``.html`` sibling (autoescaped, including a ``.txt`` partial) renders alike."""
    sources["t/main.html"] = sources["t/main.html"] + '{% include "lib/part" %}'
    sources["t/main"] = "text"  # the draft's text, rendered with the HTML
    _same_everywhere(sources, "t/main.html", locale, register)


@settings(max_examples=100, deadline=None)
@given(
    data=st.data(),
    values=st.lists(st.sampled_from(("word", "n", "'x'", "blank", "nothing")), min_size=1),
    locale=st.sampled_from(LOCALES),
    register=st.sampled_from(Register),
    html=st.booleans(),
)
def test_folded_translations_are_the_gettext_calls(
    data: st.DataObject, values: list[str], locale: str, register: Register, html: bool
) -> None:
    """Every catalog message folded while compiling prints what the gettext call prints."""
    context, message = data.draw(st.sampled_from(_messages()))
    source = _trans_source(context, message, values)
    sources = {"t/main": "x", "t/main.html": source} if html else {"t/main": source}
    _same_everywhere(sources, "t/main.html" if html else "t/main", locale, register)


def test_a_blank_in_a_translated_sentence_is_refused_on_every_path() -> None:
    """The rule for blanks: a value given to {% trans %} is printed, so a blank one is refused."""
    for value in ("''", "' '", "nothing", "blank", "undefined_name"):
        source = f"{{% trans v={value} %}}Hello {{{{ v }}}}{{% endtrans %}}"
        for locale in ("en_US", "de_DE"):
            sources = {"t/main": source}
            _same_everywhere(sources, "t/main", locale, Register.FORMAL)
            assert ("missing", None) == _outcome(
                lambda s=sources, lo=locale: _plain(s, "t/main", lo, Register.FORMAL)
            ), value


CORNERS = {
    "a block inside the layout's with": {
        "lib/layout": (
            "{% with x = 'L' %}{% block b %}[{{ x is defined }}]{% endblock %}{% endwith %}"
        ),
        "t/child": '{% extends "lib/layout" %}',
    },
    "a block inside the layout's filter": {
        "lib/layout": "{% filter upper %}{% set y = 1 %}{% block b %}{{ y }}{% endblock %}"
        "{% endfilter %}",
        "t/child": '{% extends "lib/layout" %}{% block b %}[{{ y is defined }}]{% endblock %}',
    },
    "a macro imported with context and a name set later": {
        "lib/macros": "{% macro hello() %}({{ late is defined }}){% endmacro %}",
        "t/child": '{% import "lib/macros" as m with context %}{{ m.hello() }}'
        "{% set late = 'late' %}{{ m.hello() }}",
    },
    "a .txt template including an .html one": {
        "lib/part.html": "<i>{{ word }}</i>",
        "t/child": '{% include "lib/part.html" %}|{{ word }}',
    },
    "an .html template including a .txt one": {
        "lib/part": "<i>{{ word }}</i>",
        "t/child": "x",
        "t/child.html": '{% include "lib/part" %}|{{ word }}',
    },
}


@pytest.mark.parametrize("case", sorted(CORNERS))
def test_the_corner_cases_of_the_old_compile_render_as_jinja2(case: str) -> None:
    """Where inlining and written-out layouts once differed from Jinja2, yours render as it does."""
    sources = CORNERS[case]
    name = "t/child.html" if "t/child.html" in sources else "t/child"
    for locale in ("en_US", "de_DE"):
        _same_everywhere(sources, name, locale, Register.INFORMAL)
