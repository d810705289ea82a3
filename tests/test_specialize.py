"""Templates compiled per language and register give the drafts Jinja2's own compile gives.

``Templates`` renders through an environment specialized for the draft's
locale and register (``infoview.rendering.specialize``): translations are settled while
compiling, for every template; for the built-ins only, imported macros and plain
includes are inlined and layouts flattened. These tests render the same things
with specialization switched off and compare, and pin what each rewrite must
keep: blanks refused, names scoped, errors reported, your templates never inlined.
"""

from __future__ import annotations

from typing import Any

import pytest

import infoview
from infoview import Interview, MissingValueError, Register, TemplateError, Templates
from infoview.model import samples
from tests._drafting import BUILTIN_NAMES

LOCALES = ("en_US", "en_GB", "de_DE", "de_CH", "fr_FR", "es_MX")


class Generic(Templates):
    """Templates compiled as Jinja2 compiles them: the reference."""

    _SPECIALIZE = False


def _interview(locale: str, register: Register) -> Interview:
    interview = samples.interview(locale=locale, register=register)
    interview.purpose = "how nurses move into health-tech product roles"
    return interview


def _parts(templates: Templates, name: str, **context: Any) -> tuple[Any, ...]:
    draft = templates.render(name, **context)
    return draft.subject, draft.text, draft.html, draft.markdown, draft.locale


@pytest.mark.parametrize("register", [Register.FORMAL, Register.INFORMAL])
@pytest.mark.parametrize("locale", LOCALES)
def test_every_builtin_renders_the_same_specialized(locale: str, register: Register) -> None:
    """Subject, text, HTML and Markdown of all built-ins, in six locales, both registers."""
    fast, reference = Templates(), Generic()
    interview = _interview(locale, register)
    original = reference.render("outreach/alumni", interview=interview)
    for name in BUILTIN_NAMES:
        extra = {"original": original} if name == "outreach/nudge" else {}
        expected = _parts(reference, name, interview=interview, **extra)
        assert expected == _parts(fast, name, interview=interview, **extra), name


def _compiled(templates: Templates, name: str, locale: str = "en") -> str:
    """The Python source a template compiles to for a locale (formal)."""
    values = templates._context({"locale": locale, "register": "formal"}, locale)
    builtin = templates._compiled.is_builtin(name)
    environment = templates._compiled.environment_for(values, builtins=builtin)
    assert environment.loader is not None
    source, filename, _ = environment.loader.get_source(environment, name)
    return str(environment.compile(source, name, filename, raw=True))


def test_translations_and_phrases_are_settled_while_compiling() -> None:
    """No gettext call, no import of the phrases and no include are left to the render."""
    templates = Templates()
    code = _compiled(templates, "outreach/alumni", "de_DE")
    assert "gettext" not in code
    assert "make_module" not in code
    assert "Hätten Sie" in code  # the formal German ask, as template text
    assert "include" not in _compiled(templates, "_base/message", "de_DE").lower()
    # A phrase given as a trans value ({% trans medium=say.medium_name() %}).
    assert "make_module" not in _compiled(templates, "scheduling/confirm", "de_DE")


def test_locales_and_registers_compile_apart() -> None:
    """The same template renders Sie in one language environment and du in another."""
    templates = Templates()
    formal = templates.render("outreach/alumni", interview=_interview("de_DE", Register.FORMAL))
    informal = templates.render("outreach/alumni", interview=_interview("de_DE", Register.INFORMAL))
    assert " Sie " in formal.text
    assert " Sie " not in informal.text
    assert " du " in informal.text
    english = templates.render(
        "outreach/alumni", interview=_interview("de_DE", Register.FORMAL), locale="en"
    )
    assert "Would you have" in english.text


SOURCES = {
    "lib/say": (
        "{% macro hello() %}{% set who = contact.name %}Hello {{ who }}{% endmacro %}"
        "{% macro nothing() %}{% if false %}x{% endif %}{% endmacro %}"
        "{% macro greet(name) %}Hi {{ name }}{% endmacro %}"
        "{% macro field() %}{{ contact.school }}{% endmacro %}"
    ),
    "lib/shared": (
        "{% set greeting = 'Hello' %}"
        "{% macro hello() %}{{ greeting }} {{ contact.name }}{% endmacro %}"
        "{% macro both() %}[{{ hello() }}]{% endmacro %}"
    ),
    "t/shared": '{% import "lib/shared" as lib with context %}{{ lib.hello() }}|{{ lib.both() }}',
    "lib/plain": "[{{ contact.name }}]{% set inner = 1 %}",
    "lib/blocks": "{% block b %}B{% endblock %}",
    "t/macro": (
        '{% import "lib/say" as say with context %}'
        "{{ say.hello() }}|{{ who is defined }}|{{ say.greet('Ana') }}"
    ),
    "t/empty": '{% import "lib/say" as say with context %}{{ say.nothing() }}',
    "t/blank": '{% import "lib/say" as say with context %}{{ say.field() }}',
    "t/shadow": (
        '{% import "lib/say" as say with context %}'
        "{% for contact in ['loop'] %}{{ say.hello() }}{% endfor %}"
    ),
    "t/assigned": (
        '{% import "lib/say" as say with context %}{% set contact = sender %}{{ say.hello() }}'
    ),
    "t/set": (
        '{% import "lib/say" as say with context %}'
        "{% set x = say.hello() %}[{{ x }}]{{ who is defined }}"
    ),
    "t/set_empty": '{% import "lib/say" as say with context %}{% set x = say.nothing() %}{{ x }}',
    "t/include": '{% include "lib/plain" %}{{ inner is defined }}{% include "lib/blocks" %}',
    "t/loop": '{% include "t/loop" %}',
    "t/missing": '{% include "lib/nowhere" %}',
    "t/trans": "{% trans name=contact.school %}At {{ name }}{% endtrans %}",
    "t/html": "text",
    "t/html.html": "{% trans name=contact.name %}For {{ name }}{% endtrans %}",
}


@pytest.fixture
def pair() -> tuple[Templates, Templates]:
    return Templates.from_strings(SOURCES), Generic.from_strings(SOURCES)


def _both(pair: tuple[Templates, Templates], name: str, **context: Any) -> list[Any]:
    """What each of the two renders: the draft's text, or the error's type and message."""
    found = []
    for templates in pair:
        try:
            found.append(templates.render(name, **context).text)
        except infoview.InfoviewError as exc:
            found.append((type(exc).__name__, str(exc)))
    return found


def test_imported_macros_written_out_keep_their_scope(pair: tuple[Templates, Templates]) -> None:
    """A macro's own ``set`` stays inside it; a macro with arguments is still called."""
    contact = samples.contact()
    fast, reference = _both(pair, "t/macro", contact=contact)
    assert fast == reference == f"Hello {contact.name}|False|Hi Ana\n"


def test_a_macro_set_to_a_name_is_written_out_too(pair: tuple[Templates, Templates]) -> None:
    """``{% set x = say.hello() %}`` (a trans value compiles to one) captures the same text."""
    contact = samples.contact()
    fast, reference = _both(pair, "t/set", contact=contact)
    assert fast == reference == f"[Hello {contact.name}]False\n"
    fast, reference = _both(pair, "t/set_empty", contact=contact)
    assert fast == reference
    assert fast[0] == "MissingValueError"


def test_a_macro_using_its_own_templates_names_is_called(
    pair: tuple[Templates, Templates],
) -> None:
    """A macro reading a name or a macro of the template it is in stays a macro call."""
    contact = samples.contact()
    fast, reference = _both(pair, "t/shared", contact=contact)
    assert fast == reference == f"Hello {contact.name}|[Hello {contact.name}]\n"


def test_a_macro_that_prints_nothing_is_refused_as_before(
    pair: tuple[Templates, Templates],
) -> None:
    fast, reference = _both(pair, "t/empty", contact=samples.contact())
    assert fast == reference
    assert fast[0] == "MissingValueError"


def test_a_blank_inside_a_macro_names_the_field(pair: tuple[Templates, Templates]) -> None:
    contact = samples.contact().with_changes(school=None)
    fast, reference = _both(pair, "t/blank", contact=contact)
    assert fast == reference
    assert "school" in fast[1]


def test_names_the_template_rebinds_keep_their_meaning(
    pair: tuple[Templates, Templates],
) -> None:
    """A loop variable or a ``set`` of the same name does not leak into a macro written out."""
    sender, contact = samples.sender(), samples.contact()
    for name in ("t/shadow", "t/assigned"):
        fast, reference = _both(pair, name, contact=contact, sender=sender)
        assert fast == reference, name
    assert contact.name in _both(pair, "t/shadow", contact=contact)[0]


def test_includes_written_out_keep_their_scope(pair: tuple[Templates, Templates]) -> None:
    """A plain include's ``set`` stays inside it; an include with blocks is left as it is."""
    contact = samples.contact()
    fast, reference = _both(pair, "t/include", contact=contact)
    assert fast == reference == f"[{contact.name}]FalseB\n"


def test_an_include_of_itself_still_fails_as_a_template_fault(
    pair: tuple[Templates, Templates],
) -> None:
    fast, reference = _both(pair, "t/loop")
    assert fast == reference
    assert fast[0] == "TemplateError"


def test_a_missing_include_is_still_unknown(pair: tuple[Templates, Templates]) -> None:
    fast, reference = _both(pair, "t/missing")
    assert fast == reference
    assert fast[0] == "UnknownTemplateError"


def test_a_blank_inside_a_translated_sentence_is_refused(
    pair: tuple[Templates, Templates],
) -> None:
    contact = samples.contact().with_changes(school=None)
    fast, reference = _both(pair, "t/trans", contact=contact)
    assert fast == reference
    assert fast[0] == "MissingValueError"


def test_translated_html_escapes_the_values_not_the_text() -> None:
    """In an .html part a value is escaped as before; the catalog's text is not."""
    contact = samples.contact().with_changes(name="Ana <García> & Co")
    for templates in (Templates.from_strings(SOURCES), Generic.from_strings(SOURCES)):
        draft = templates.render("t/html", contact=contact)
        assert draft.html is not None
        assert draft.html.strip() == "For Ana &lt;García&gt; &amp; Co"


def test_a_percent_sign_in_a_translation_prints_once() -> None:
    """A ``%`` in a trans block (``%%`` in the catalog) prints once, as the gettext call gave."""
    source = {"t/p": "{% trans n=contact.name %}100% for {{ n }}{% endtrans %}"}
    contact = samples.contact()
    for templates in (Templates.from_strings(source), Generic.from_strings(source)):
        assert templates.render("t/p", contact=contact).text == f"100% for {contact.name}\n"


def test_adding_a_template_recompiles_every_language() -> None:
    templates = Templates.from_strings({"t/a": "one {{ contact.name }}"})
    contact = samples.contact()
    for locale in ("en", "de"):
        assert templates.render("t/a", contact=contact, locale=locale).text.startswith("one")
    templates.add("t/a", "two {{ contact.name }}")
    for locale in ("en", "de"):
        assert templates.render("t/a", contact=contact, locale=locale).text.startswith("two")


def test_a_fault_inside_a_written_out_include_names_the_including_line() -> None:
    sources = {"lib/bad": "{{ contact.frist_name }}", "t/x": 'line one\n{% include "lib/bad" %}'}
    with pytest.raises(TemplateError) as caught:
        Templates.from_strings(sources).render("t/x", contact=samples.contact())
    assert "first_name" in str(caught.value)
    with pytest.raises(MissingValueError):
        Templates.from_strings({"t/y": "{{ contact.school }}"}).render(
            "t/y", contact=samples.contact().with_changes(school=None)
        )


def test_includes_of_includes_are_written_out_within_a_budget() -> None:
    """A hundred includes of a hundred includes compile quickly and render the same."""
    sources = {
        "lib/leaf": "{{ contact.name }};",
        "lib/mid": '{% include "lib/leaf" %}' * 100,
        "t/big": '{% include "lib/mid" %}' * 100,
    }
    contact = samples.contact()
    fast = Templates.from_strings(sources).render("t/big", contact=contact).text
    assert fast == Generic.from_strings(sources).render("t/big", contact=contact).text
    assert fast.count(contact.name) == 10_000
    code = _compiled(Templates.from_strings(sources), "t/big")
    assert "get_template('lib/mid'" in code  # some were left to the render
    assert len(code) < 2_000_000


LAYOUTS = {
    "mine/alumni": (
        '{% extends "outreach/alumni" %}'
        "{% block closing %}Cheers,\n{% endblock %}"
        "{% block after %}P.S. {{ contact.school }}{% endblock %}"
    ),
    "mine/super": (
        '{% extends "outreach/alumni" %}{% block closing %}{{ super() }}Cheers\n{% endblock %}'
    ),
    "mine/before": 'Before\n{% extends "outreach/alumni" %}',
    "mine/layout": "[{% block subject %}{% endblock %}]\n{% block body %}{% endblock %}\n",
    "mine/child": (
        '{% extends "mine/layout" %}{% block subject %}Hi {{ contact.name }}{% endblock %}'
        "{% block body %}Body{% endblock %}"
    ),
    "mine/maybe": (
        '{% if contact.school %}{% extends "outreach/alumni" %}{% endif %}'
        "{% block subject %}Plain{% endblock %}{% block body %}Plain body{% endblock %}"
    ),
    "mine/late_set": (
        '{% extends "outreach/alumni" %}{% block after %}[{{ x }}]{% endblock %}{% set x = 1 %}'
    ),
}


@pytest.mark.parametrize("school", ["State University", None])
@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_layouts_written_around_blocks_render_the_same(name: str, school: str | None) -> None:
    """Your template over a built-in over the layout: the same draft, written out or not."""
    interview = _interview("de_DE", Register.FORMAL)
    interview.contact = interview.contact.with_changes(school=school)
    found = []
    for templates in (Templates.from_strings(LAYOUTS), Generic.from_strings(LAYOUTS)):
        try:
            found.append(_parts(templates, name, interview=interview))
        except infoview.InfoviewError as exc:
            found.append((type(exc).__name__, str(exc)))
    assert found[0] == found[1]


def test_a_rendered_template_runs_without_its_layout() -> None:
    """outreach/alumni renders from one function (every block is still defined): no extends."""
    templates = Templates()
    values = templates._context({"locale": "en", "register": "formal"}, "en")
    environment = templates._compiled.environment_for(values, builtins=True)
    rendered = environment.rendered("outreach/alumni")  # type: ignore[attr-defined]
    assert {"subject", "body", "greeting", "closing"} <= set(rendered.blocks)
    assert "get_template" not in str(rendered.root_render_func.__code__.co_names)
    # Loaded as a layout (by {% extends %}), the same name keeps its blocks to override.
    assert {"subject", "body"} == set(environment.get_template("outreach/alumni").blocks)


def test_the_compile_key_is_the_locale_data() -> None:
    """Each catalog, register and Babel locale compiles apart; the Swiss spelling is kept."""
    templates = Templates()
    interview = _interview("de_DE", Register.FORMAL)
    drafts = [
        templates.render("outreach/alumni", interview=interview, locale=locale)
        for locale in ("de_DE", "de_AT", "de_DE")
    ]
    assert {"de_DE", "de_AT"} == {d.locale for d in drafts}
    assert [(key[1], str(key[2])) for key in templates._compiled._overlays] == [
        ("formal", "de_DE"),
        ("formal", "de_AT"),
    ]
    swiss = templates.render("outreach/alumni", interview=interview, locale="de_CH")
    assert 3 == len(templates._compiled._overlays)
    assert "ß" in drafts[0].text
    assert "ß" not in swiss.text
    assert "Grüsse" in swiss.text


def test_your_templates_are_not_inlined() -> None:
    """Yours (a string, or extending a built-in) keep their includes, imports and layout calls."""
    sources = {"mine/alumni": '{% extends "outreach/alumni" %}{% block after %}x{% endblock %}'}
    templates = Templates.from_strings(sources)
    interview = _interview("de_DE", Register.FORMAL)
    assert templates.render("mine/alumni", interview=interview).text
    values = templates._context({"interview": interview}, None)
    assert not templates._compiled.is_builtin("mine/alumni")
    assert templates._compiled.is_builtin("outreach/alumni")
    assert [key[-1] for key in templates._compiled._overlays] == [False]
    rendered = templates._compiled.compile("mine/alumni", values)
    assert "get_template" in str(rendered.root_render_func.__code__.co_names)
    # Folded all the same: no gettext call is left in a user template's trans block.
    folded = Templates.from_strings({"t": "{% trans %}Hello{% endtrans %}"})
    assert "gettext" not in _compiled(folded, "t", "de_DE")


def test_a_replaced_partial_stops_inlining_at_the_built_ins() -> None:
    """A signature of yours under the built-in layout is included, not inlined, and renders."""
    mine = Templates.from_strings({"_base/signature": "-- {{ sender.name }} (mine)"})
    interview = _interview("en_US", Register.FORMAL)
    assert mine.render("outreach/alumni", interview=interview).text.rstrip().endswith("(mine)")
    assert "get_template" in _compiled(mine, "_base/message", "en")
