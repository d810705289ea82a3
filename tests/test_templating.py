"""Templates: finding, loading, inheritance, strings, variables, blanks and escaping."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

import infoview
from infoview import (
    Contact,
    FollowUp,
    FollowUpKind,
    InfoviewError,
    Interview,
    MissingValueError,
    TemplateError,
    Templates,
    UnknownTemplateError,
)
from infoview.rendering import filters
from infoview.rendering.templating import builtin_templates_path, default_templates
from tests._drafting import BUILTIN_NAMES, sample_interview


@pytest.fixture
def interview() -> Interview:
    """A sample interview written in English."""
    return sample_interview()


def test_builtins_found_where_the_install_puts_them() -> None:
    """A wheel reads infoview/templates; a source or editable install the repository root."""
    folder = builtin_templates_path()
    assert (folder / "outreach" / "alumni.txt").is_file()
    if os.environ.get("INFOVIEW_EXPECT_INSTALL") == "wheel":
        assert folder == Path(infoview.__file__).resolve().parent / "templates"
        assert "site-packages" in folder.parts
    else:
        assert folder == Path(infoview.__file__).resolve().parents[2] / "templates"
        assert (folder.parent / "pyproject.toml").is_file()


def test_names_are_the_pinned_seventeen() -> None:
    """names() lists the 17 built-ins, without layouts or format siblings."""
    assert list(BUILTIN_NAMES) == Templates().names()


def test_one_environment_and_cached_templates(interview: Interview) -> None:
    """Rendering reuses the environment and its compiled templates."""
    templates = Templates()
    environment = templates.environment
    templates.render("outreach/alumni", interview=interview)
    first = templates.get_template("outreach/alumni")
    templates.render("outreach/alumni", interview=interview)
    assert environment is templates.environment
    assert first is templates.get_template("outreach/alumni")
    assert default_templates() is default_templates()


def test_user_folder_overrides_builtin(tmp_path: Path, interview: Interview) -> None:
    """A user's outreach/alumni.txt replaces the built-in one."""
    (tmp_path / "outreach").mkdir()
    (tmp_path / "outreach" / "alumni.txt").write_text(
        '{% extends "_base/message.txt" %}'
        "{% block subject %}Hello from {{ contact.school }}{% endblock %}"
        "{% block body %}Mine.{% endblock %}"
    )
    draft = Templates([tmp_path]).render("outreach/alumni", interview=interview)
    assert "Hello from State University" == draft.subject
    assert "Dear Ana,\n\nMine.\n\nBest regards,\nSam Rivera\n" == draft.text


def test_user_template_extends_builtin_and_replaces_one_block(
    tmp_path: Path, interview: Interview
) -> None:
    """{% extends "outreach/alumni" %} with one block overridden keeps the rest."""
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "alumni.txt").write_text(
        '{% extends "outreach/alumni" %}{% block subject %}Quick question{% endblock %}'
    )
    templates = Templates([tmp_path])
    builtin = templates.render("outreach/alumni", interview=interview)
    mine = templates.render("mine/alumni", interview=interview)
    assert "Quick question" == mine.subject
    assert builtin.text == mine.text
    assert "mine/alumni" in templates.names()


def test_signature_changed_once_for_every_message(tmp_path: Path, interview: Interview) -> None:
    """A user's _base/signature.txt signs every message."""
    (tmp_path / "_base").mkdir()
    (tmp_path / "_base" / "signature.txt").write_text("{{ sender.name }}\nRN, BSN\n")
    templates = Templates([tmp_path])
    for name in ("outreach/alumni", "thank_you", "scheduling/confirm"):
        assert templates.render(name, interview=interview).text.endswith("Sam Rivera\nRN, BSN\n")


def test_templates_from_strings(interview: Interview) -> None:
    """Strings come first, can extend built-ins, and add() replaces a compiled one."""
    templates = Templates.from_strings(
        {
            "note": "{% block subject %}Hi {{ contact.first_name }}{% endblock %}Text",
            "outreach/short": '{% extends "outreach/alumni" %}{% block body %}Short.{% endblock %}',
        }
    )
    assert "Hi Ana" == templates.render("note", interview=interview).subject
    assert "Short." in templates.render("outreach/short", interview=interview).text
    templates.add("note", "{% block subject %}Changed{% endblock %}")
    assert "Changed" == templates.render("note", interview=interview).subject
    assert {"note", "outreach/short"} <= set(templates.names())


def test_variables_follow_inheritance() -> None:
    """variables() names what a caller gives, through extends and imports."""
    templates = Templates()
    assert frozenset({"interview"}) == templates.variables("outreach/alumni")
    assert {"interview", "takeaway", "action"} == set(templates.variables("thank_you"))
    assert {"interview", "original"} == set(templates.variables("outreach/nudge"))
    strings = Templates.from_strings({"x": "{{ a }} {% set b = 1 %}{{ b }} {{ c.d }}"})
    assert frozenset({"a", "c"}) == strings.variables("x")


def test_unknown_template_lists_where_it_looked(tmp_path: Path) -> None:
    """An unknown name raises a LookupError naming every place searched and near names."""
    with pytest.raises(UnknownTemplateError) as info:
        Templates([tmp_path]).render("outreach/alumnni")
    error = info.value
    assert isinstance(error, LookupError)
    assert isinstance(error, InfoviewError)
    assert "outreach/alumnni" == error.name
    assert str(tmp_path) in error.searched
    assert any("(built-in)" in place for place in error.searched)
    assert ["outreach/alumni"] == error.suggestions[:1]
    assert str(tmp_path) in str(error)


def test_missing_school_names_school_template_and_contact(interview: Interview) -> None:
    """An alumni outreach for a contact with no school says which value is missing."""
    interview.contact = interview.contact.with_changes(school=None)
    with pytest.raises(MissingValueError) as info:
        infoview.render("outreach/alumni", interview=interview)
    error = info.value
    assert isinstance(error, LookupError)
    assert "school" == error.variable
    assert "contact.school" == error.path
    assert "outreach/alumni" == error.template
    assert interview.contact == error.contact
    assert "'school' (contact.school) is missing" in str(error)
    assert "Ana García" in str(error)


@pytest.mark.parametrize(
    ("source", "context", "variable"),
    [
        ("Hi {{ name }},", {}, "name"),
        ("Hi {{ name }},", {"name": None}, "name"),
        ("Hi {{ name }},", {"name": "   "}, "name"),
        ("Hi {{ person.nickname }},", {"person": {"nickname": ""}}, "nickname"),
        ("Hi {{ contcat.name }},", {}, "contcat"),
        ("{{ require(items, 'items') }}", {"items": []}, "items"),
        ("{{ items }}", {"items": []}, None),
    ],
)
def test_never_a_blank(source: str, context: dict[str, object], variable: str | None) -> None:
    """Missing, None, empty or white-space values raise instead of printing a blank."""
    templates = Templates.from_strings({"t": source}, builtins=False)
    with pytest.raises(MissingValueError) as info:
        templates.render("t", **context)
    assert variable == info.value.variable
    assert "t" == info.value.template


def test_template_fallbacks_are_allowed() -> None:
    """A template may say what to write instead of a blank."""
    templates = Templates.from_strings(
        {
            "t": "{{ c.school or 'your school' }}|{{ c.title|default('—') }}|"
            "{% if c.pronouns %}x{% else %}none{% endif %}|{{ c.honorific == 'dr' }}|"
            "{{ extra|default('ok') }}"
        },
        builtins=False,
    )
    draft = templates.render("t", c=Contact(name="Bo"))
    assert "your school|—|none|False|ok\n" == draft.text


def test_html_escaped_text_as_written(interview: Interview) -> None:
    """A name with markup is escaped in the HTML part and kept as written in text."""
    interview.contact = interview.contact.with_changes(name="<b>Bo</b> & Co")
    draft = infoview.render("questions/list", interview=interview)
    assert "<b>Bo</b> & Co" in draft.text
    assert draft.html is not None
    assert "&lt;b&gt;Bo&lt;/b&gt; &amp; Co" in draft.html
    assert "<b>Bo</b>" not in draft.html
    assert draft.markdown is not None
    assert "<b>" not in draft.markdown


def test_html_sibling_from_strings_is_autoescaped(interview: Interview) -> None:
    """.html siblings are autoescaped; the plain-text template is not."""
    templates = Templates.from_strings(
        {"n": "{{ contact.name }}", "n.html": "<p>{{ contact.name }}</p>"}, builtins=False
    )
    interview.contact = interview.contact.with_changes(name="<b>Bo</b> & Co")
    draft = templates.render("n", interview=interview)
    assert "<b>Bo</b> & Co\n" == draft.text
    assert "<p>&lt;b&gt;Bo&lt;/b&gt; &amp; Co</p>" == draft.html


def test_design_snippet_locale_and_subject(interview: Interview) -> None:
    """Locale: explicit, else the contact's, else the sender's."""
    spanish = sample_interview(locale="es_MX")
    assert "es_MX" == infoview.render("outreach/alumni", interview=spanish).locale
    assert "en" == infoview.render("outreach/alumni", interview=spanish, locale="en").locale
    no_locale = sample_interview()
    no_locale.contact = no_locale.contact.with_changes(locale=None)
    assert "en_US" == infoview.render("outreach/alumni", interview=no_locale).locale


def test_render_follow_up_addresses_its_contact(interview: Interview) -> None:
    """A follow-up renders its kind's template for its contact."""
    due = interview.scheduled_at
    assert due is not None
    follow_up = FollowUp(FollowUpKind.THANK_YOU, interview.contact, due, interview=interview)
    draft = Templates().render_follow_up(follow_up)
    assert "thank_you" == draft.template
    assert interview.contact == draft.recipient
    priya = interview.referrals[0].person
    close = FollowUp(FollowUpKind.CLOSE_LOOP, interview.contact, due, interview=interview)
    draft = Templates().render_follow_up(close, person=priya)
    assert "Priya Nair" in draft.subject


def test_render_follow_up_intro_reply_copies_the_introducer(interview: Interview) -> None:
    """The reply to an introduction goes to the new person and copies the introducer."""
    priya = interview.referrals[0].person
    due = interview.scheduled_at
    assert due is not None
    follow_up = FollowUp(FollowUpKind.INTRO_REPLY, priya, due, interview=interview)
    draft = Templates().render_follow_up(follow_up)
    assert priya == draft.recipient
    assert (interview.contact,) == draft.cc
    assert "Ana García" in draft.subject
    assert draft.text.startswith("Dear Priya,")


def test_unknown_block_names_the_blocks_there_are() -> None:
    """Overriding a block the parent lacks is a TemplateError listing the blocks it has."""
    templates = Templates.from_strings(
        {"mine": '{% extends "outreach/alumni" %}\n{% block greetings %}Hey{% endblock %}'}
    )
    with pytest.raises(TemplateError) as info:
        templates.get_template("mine")
    error = info.value
    assert ("mine", 2) == (error.template, error.line)
    assert (
        "mine, line 2: block 'greetings' is not in outreach/alumni, which it extends, so it "
        "would never show; did you mean 'greeting'? The blocks you can override are subject, "
        "greeting, body, closing, signature, after; fix the template there"
    ) == str(error)
    with pytest.raises(TemplateError, match="greetings"):
        templates.render("mine", interview=sample_interview())


def test_unknown_block_anywhere_in_the_chain() -> None:
    """A layout of yours in the chain is checked too; a block nested in an override is new."""
    templates = Templates.from_strings(
        {
            "layout": '{% extends "_base/message" %}{% block closer %}x{% endblock %}',
            "mine": '{% extends "layout" %}{% block subject %}Hi{% endblock %}',
            "nested": '{% extends "outreach/alumni" %}'
            "{% block body %}{% block extra %}Short.{% endblock %}{% endblock %}",
        }
    )
    with pytest.raises(TemplateError, match="block 'closer' is not in _base/message") as info:
        templates.get_template("mine")
    assert "layout" == info.value.template
    assert "Short." in templates.render("nested", interview=sample_interview()).text
    templates.add("layout", '{% extends "_base/message" %}{% block closing %}x{% endblock %}')
    assert "x" in templates.render("mine", interview=sample_interview()).text


def test_message_without_a_subject_is_an_error() -> None:
    """A message (extending a message layout, or a built-in's name) must render a subject."""
    templates = Templates.from_strings(
        {
            "nosubject": '{% extends "_base/message" %}{% block body %}Hi{% endblock %}',
            "empty": '{% extends "outreach/alumni" %}{% block subject %} {% endblock %}',
            "thank_you": "Thanks!",
            "plain": "Just text, no message layout.",
        }
    )
    for name in ("nosubject", "empty", "thank_you"):
        with pytest.raises(TemplateError) as info:
            templates.render(name, interview=sample_interview())
        assert (
            f"{name}: renders no subject line, and a message needs one; give it "
            "{% block subject %}…{% endblock %} that prints one; fix the template there"
        ) == str(info.value)
    assert "" == templates.render("plain").subject


@pytest.mark.parametrize("sandboxed", [False, True])
def test_misspelled_field_names_the_closest_one(sandboxed: bool) -> None:
    """contact.frist_name says Contact has no such field and suggests first_name."""
    templates = Templates.from_strings(
        {"t": "Hi\n{{ contact.frist_name }}", "u": "{{ interview.contact.xyzzy }}"},
        sandboxed=sandboxed,
        builtins=False,
    )
    with pytest.raises(TemplateError) as info:
        templates.render("t", interview=sample_interview())
    assert not isinstance(info.value, MissingValueError)
    assert ("t", 2) == (info.value.template, info.value.line)
    assert (
        "t, line 2: Contact has no field 'frist_name': write contact.first_name, "
        "not contact.frist_name; fix the template there"
    ) == str(info.value)
    with pytest.raises(TemplateError, match=r"contact\.xyzzy is not there; Contact has name, "):
        templates.render("u", interview=sample_interview())


def test_misspelled_field_is_still_undefined_to_tests() -> None:
    """`is defined` and `default` see a field that is not there as undefined, without raising."""
    templates = Templates.from_strings(
        {
            "t": "{{ 'yes' if contact.frist_name is defined else 'no' }} "
            "{{ contact.nickname|default('friend') }}"
        },
        builtins=False,
    )
    assert "no friend\n" == templates.render("t", interview=sample_interview()).text


@given(st.text(alphabet="\n\r\t \u2028ab", max_size=40))
def test_tidy_strips_line_ends_and_blank_runs(text: str) -> None:
    """filters.tidy keeps what the regular-expression form did: lines right-stripped,
    at most one blank line in a row, one final newline."""
    lines = [line.rstrip() for line in text.strip("\n").splitlines()]
    expected = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"
    assert expected == filters.tidy(text)


def test_paragraph_keeps_no_break_spaces() -> None:
    """French writes "semaines ?" with a no-break space; joining lines must not break it."""
    text = "Auriez-vous\n  20\u00a0minutes dans les prochaines semaines\u202f?\n"
    assert "Auriez-vous 20\u00a0minutes dans les prochaines semaines\u202f?" == (
        filters.paragraph(text)
    )
    assert "a b c" == filters.paragraph("  a\n\tb   c \n")


def test_french_drafts_keep_the_catalogs_no_break_spaces() -> None:
    interview = sample_interview(locale="fr_FR")
    draft = infoview.render("outreach/cold", interview=interview)
    assert "semaines\u00a0?" in draft.text
    assert "semaines ?" not in draft.text
