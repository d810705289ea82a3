"""The registry: one table of the built-in templates, checked against the templates themselves."""

from __future__ import annotations

import ast
import importlib
import json
from pathlib import Path

import attrs
import pytest

import infoview
from infoview import (
    Contact,
    FollowUpKind,
    Source,
    Templates,
    UnknownTemplateError,
    ValidationError,
    outreach_template,
)
from infoview.rendering import introspect, registry
from infoview.rendering.registry import TEMPLATES
from infoview.rendering.templating import builtin_templates_path
from tests._drafting import sample_interview

#: The 17 built-in template names, pinned (docs/templates.md lists them).
PINNED = (
    "follow_up/check_in",
    "follow_up/progress_update",
    "outreach/alumni",
    "outreach/cold",
    "outreach/connection",
    "outreach/event",
    "outreach/nudge",
    "outreach/referral",
    "outreach/social",
    "outreach/warm",
    "questions/list",
    "referral/close_loop",
    "referral/forwardable_blurb",
    "referral/intro_request",
    "scheduling/confirm",
    "scheduling/reminder",
    "thank_you",
)
#: describe() of every built-in as it was while the registry wrote its blocks,
#: formats and inputs by hand: deriving them from the templates changes nothing.
SNAPSHOT = Path(__file__).parent / "data" / "describe_builtins.json"
# Render fills these from one another (contact and sender from interview).
_DERIVED = {"interview", "contact", "sender"}


def test_the_pinned_names_are_the_registry_and_the_folder() -> None:
    """The registry holds exactly the 17 pinned names, and so does templates/."""
    assert PINNED == tuple(sorted(TEMPLATES))
    assert list(PINNED) == Templates().names()


def _unmatched(template: registry.TemplateInfo) -> tuple[set[str], set[str]]:
    """The inputs it annotates but does not read, and those it reads but does not annotate."""
    read = set(introspect.builtin_inputs(template.name))
    return set(template.inputs) - read, read - set(template.inputs)


@pytest.mark.parametrize("name", PINNED)
def test_the_registry_annotates_exactly_the_inputs_read(name: str) -> None:
    """Each input a built-in reads has an annotation, and each annotation names one it reads."""
    assert (set(), set()) == _unmatched(TEMPLATES[name])
    read = Templates().variables(name)
    assert read <= set(TEMPLATES[name].inputs)
    assert set(TEMPLATES[name].inputs) - read <= _DERIVED
    for name_, note in TEMPLATES[name].inputs.items():
        assert all((note.type, note.shape, note.example, note.about)), name_


def test_an_annotation_out_of_step_with_the_template_is_found() -> None:
    """An annotation for an input not read, or a read input without one, is reported."""
    thanks = TEMPLATES["thank_you"]
    extra = {**thanks.inputs, "mood": registry.Annotation("str", "name", "'glad'", "how")}
    assert ({"mood"}, set()) == _unmatched(attrs.evolve(thanks, inputs=extra))
    fewer = {n: note for n, note in thanks.inputs.items() if n != "action"}
    assert (set(), {"action"}) == _unmatched(attrs.evolve(thanks, inputs=fewer))
    described = attrs.evolve(thanks, inputs=fewer).describe()
    assert ("interview", "takeaway", "action") == tuple(i.name for i in described.inputs)
    assert "  action (optional)" == f"  {described.inputs[-1]}"


@pytest.mark.parametrize("name", PINNED)
def test_required_inputs_are_those_the_template_does_not_check(name: str) -> None:
    """An input is required unless the template checks it was given (contact, sender aside)."""
    optional = Templates.from_strings({"x": f'{{% include "{name}" %}}'}).describe("x").inputs
    checked = {given.name for given in optional if not given.required}
    for given in Templates().describe(name).inputs:
        if given.name not in _DERIVED:
            assert (given.name not in checked) == given.required, given


def test_contact_and_sender_or_the_interview() -> None:
    """A built-in reading contact and sender may be given the interview instead: none required."""
    social = {i.name: i.required for i in Templates().describe("outreach/social").inputs}
    assert {"interview": False, "contact": False, "sender": False} == social
    assert {"interview": True} == introspect.builtin_inputs("outreach/alumni")


@pytest.mark.parametrize("name", PINNED)
def test_blocks_and_formats_are_the_templates(name: str) -> None:
    """The blocks are those a template extending it can override; formats are its files."""
    mine = Templates.from_strings({"mine": f'{{% extends "{name}" %}}'}).describe("mine")
    assert set(mine.blocks) == set(TEMPLATES[name].blocks)
    folder = builtin_templates_path()
    files = {f.suffix[1:] for f in (folder / name).parent.glob(Path(name).name + ".*")}
    assert files == set(TEMPLATES[name].formats)


def test_kinds_are_folders() -> None:
    """A template's kind is its folder (thank_you, at the root, is its own)."""
    for name, template in TEMPLATES.items():
        assert name.partition("/")[0] == template.kind


def test_every_follow_up_kind_has_one_template() -> None:
    """Each FollowUpKind names exactly one built-in, and FollowUpKind.template reads it."""
    served = [t.follow_up for t in TEMPLATES.values() if t.follow_up is not None]
    assert sorted(k.value for k in FollowUpKind) == sorted(served)
    for kind in FollowUpKind:
        assert registry.for_follow_up(kind).name == kind.template
    assert "outreach/referral" == FollowUpKind.INTRO_REPLY.template


def test_follow_up_context_and_copies_name_known_things() -> None:
    """What a follow-up passes comes from a known place; copies name passed variables."""
    for template in TEMPLATES.values():
        passed = {variable for variable, _ in template.follow_up_context}
        assert {s for _, s in template.follow_up_context} <= registry.FOLLOW_UP_SOURCES
        assert set(template.copies) <= passed
        assert not template.follow_up_context or template.follow_up is not None


def test_lint_rules_are_lint_codes() -> None:
    """Every rule code the registry names is one lint knows."""
    known = set(importlib.import_module("infoview.rendering.quality")._CHECKS)
    for template in TEMPLATES.values():
        assert "placeholder" in template.lint
        assert set(template.lint) <= known, template.name


def test_lint_rules_for_templates_of_yours() -> None:
    """A template not in the table gets its folder's kind's rules."""
    language = ("free-text-language", "text-language")
    assert (
        "placeholder",
        "outreach-too-long",
        "outreach-attachment",
        *language,
    ) == registry.lint_rules("outreach/mine")
    assert ("placeholder", *language) == registry.lint_rules("mine/thanks")
    assert ("placeholder", *language) == registry.lint_rules(None)
    assert language == registry.LANGUAGE_RULES
    assert ("placeholder", *language) == registry.lint_rules("thank_you")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (Source.ALUMNI, "outreach/alumni"),
        (Source.EVENT, "outreach/event"),
        (Source.CONFERENCE, "outreach/event"),
        (Source.REFERRAL, "outreach/referral"),
        (Source.SOCIAL, "outreach/social"),
        (Source.FRIENDS_FAMILY, "outreach/warm"),
        (Source.COLLEAGUE, "outreach/warm"),
        (Source.COLD, "outreach/cold"),
        (Source.OTHER, "outreach/cold"),
    ],
)
def test_outreach_template_by_source(source: Source, expected: str) -> None:
    """outreach_template picks the outreach by Contact.source (docs/templates.md)."""
    assert expected == outreach_template(Contact(name="Ana García", source=source))
    assert expected == outreach_template(source.value)


def test_every_source_has_one_outreach() -> None:
    """Each contact source is served by exactly one template, a first message."""
    sources = [s for t in TEMPLATES.values() for s in t.sources]
    assert sorted(s.value for s in Source) == sorted(sources)
    assert infoview.outreach_template is outreach_template


def test_outreach_template_refuses_an_unknown_source() -> None:
    """A source infoview does not know is an error that lists the known ones."""
    with pytest.raises(ValidationError, match="use one of: alumni"):
        outreach_template("carrier pigeon")


def test_info_names_close_matches() -> None:
    """info() of an unknown name suggests the close ones."""
    assert "shared school first" == registry.info("outreach/alumni").purpose
    with pytest.raises(UnknownTemplateError, match="outreach/alumni"):
        registry.info("outreach/alumnus")


def test_describe_a_builtin() -> None:
    """describe() of a built-in reads the registry and prints readably."""
    description = Templates().describe("thank_you")
    assert registry.info("thank_you").purpose == description.purpose
    assert ("interview", "takeaway", "action") == tuple(i.name for i in description.inputs)
    text = str(description)
    assert text.startswith("thank_you: within 24 h")
    assert "  takeaway (optional, str, clause): what stayed with you" in text
    assert "blocks: subject, greeting, body, closing, signature, after" in text


def test_describe_of_every_builtin_is_the_snapshot() -> None:
    """describe() of each built-in gives the fields and text of the snapshot, in its order."""
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    templates = Templates()
    actual = {}
    for name in TEMPLATES:
        description = templates.describe(name)
        fields = json.loads(json.dumps(attrs.asdict(description)))
        actual[name] = {"fields": fields, "text": str(description)}
    assert expected == actual


def test_describe_a_template_of_yours() -> None:
    """describe() of a template of yours reads its source: inputs, blocks and formats."""
    templates = Templates.from_strings(
        {
            "mine/hello": '{% extends "_base/message" %}{% block body %}'
            "{{ greeting_line|default('Hi') }} {{ topic }}{% endblock %}",
            "mine/hello.md": "{{ topic }}",
        }
    )
    description = templates.describe("mine/hello")
    assert "no description" == description.purpose
    assert {"greeting_line": False, "topic": True, "sender": True} == {
        i.name: i.required for i in description.inputs
    }
    assert ("subject", "greeting", "body", "closing", "signature", "after") == description.blocks
    assert ("txt", "md") == description.formats
    assert "  topic (required)" in str(description)


def test_describe_a_builtin_you_replaced(tmp_path: Path) -> None:
    """A file of yours with a built-in's name is described from its own source.

    It replaces a message, so ``subject`` is among its blocks: it must render one.
    """
    (tmp_path / "thank_you.txt").write_text("Thanks, {{ name }}!\n", encoding="utf-8")
    description = Templates([tmp_path]).describe("thank_you")
    assert "no description" == description.purpose
    assert ("name",) == tuple(i.name for i in description.inputs)
    assert ("subject",) == description.blocks


def test_describe_an_unknown_name() -> None:
    """describe() of a name no template has raises UnknownTemplateError."""
    with pytest.raises(UnknownTemplateError):
        Templates().describe("outreach/alumnus")


def test_intro_reply_copies_the_introducer() -> None:
    """The registry's copies decide the Cc of a reply to an introduction."""
    interview = sample_interview()
    follow_up = infoview.FollowUp(
        kind=FollowUpKind.INTRO_REPLY,
        contact=infoview.model.samples.referral(),
        due=interview.scheduled_at,
        interview=interview,
    )
    draft = Templates().render_follow_up(follow_up)
    assert ("referrer",) == registry.for_follow_up(FollowUpKind.INTRO_REPLY).copies
    assert [interview.contact] == list(draft.cc)


def _literals(tree: ast.Module) -> list[str]:
    """String constants of a module, except docstrings and enum member values."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            skip.add(id(body[0].value))
        if isinstance(node, ast.ClassDef) and any("Enum" in ast.unparse(b) for b in node.bases):
            skip |= {id(n) for n in ast.walk(node)}
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
    ]


def test_template_names_are_written_only_in_the_registry() -> None:
    """Outside the registry (and samples), no module of infoview writes a template's name."""
    package = Path(registry.__file__).parent
    written = {}
    for path in package.rglob("*.py"):
        if path.name in {"registry.py", "samples.py"}:
            continue
        names = sorted({s for s in _literals(ast.parse(path.read_text("utf-8"))) if s in TEMPLATES})
        if names:
            written[str(path.relative_to(package))] = names
    assert {} == written
