"""Templates.preview: a template's drafts in every language and register, with lint."""

from __future__ import annotations

import email
import email.policy
import html.parser
import subprocess
import sys
from pathlib import Path

import pytest

import infoview
from infoview import Templates, converter
from infoview.model import samples
from infoview.rendering.preview import Preview

ALUMNI = (
    '{% extends "outreach/alumni" %}\n'
    "{% block subject %}{{ contact.school }} alum, TODO{% endblock %}\n"
)


class _Cells(html.parser.HTMLParser):
    """Collects the text of every table cell (td) of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "td":
            self._depth += 1
            self.cells.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.cells[-1] += data


def test_preview_defaults_to_the_samples_in_every_language_and_register() -> None:
    """With no interview, a preview has 4 languages × 2 registers of the sample, each rendered."""
    found = Templates.from_strings({"mine/alumni": ALUMNI}).preview("mine/alumni")
    expected = [(loc, reg) for loc in ("en", "de", "fr", "es") for reg in ("formal", "informal")]
    assert expected == list(found.columns)
    assert expected == [(c.locale, c.register) for c in found.cells]
    assert ["en", "en", "de", "de", "fr", "fr", "es", "es"] == [
        c.draft.locale for c in found.cells if c.draft is not None
    ]
    assert "Hallo Ana," == found.cell("de", "informal").draft.text.splitlines()[0]  # type: ignore[union-attr]
    assert "Guten Tag Ana García," == found.cell("de").draft.text.splitlines()[0]  # type: ignore[union-attr]


def test_each_draft_carries_its_lint_findings() -> None:
    """The placeholder in the subject is found in every column, as infoview.lint finds it."""
    found = Templates.from_strings({"mine/alumni": ALUMNI}).preview("mine/alumni")
    for cell in found.cells:
        assert cell.draft is not None
        assert infoview.lint(cell.draft) == list(cell.findings)
        assert ["placeholder"] == [f.code for f in cell.findings]


def test_preview_renders_the_same_drafts_as_render() -> None:
    """A preview's draft is the draft render gives for the same interview."""
    templates = Templates.from_strings({"mine/alumni": ALUMNI})
    found = templates.preview("mine/alumni", locales=("fr",), registers=("informal",))
    expected = templates.render(
        "mine/alumni", interview=samples.interview(locale="fr", register=infoview.Register.INFORMAL)
    )
    assert expected.text == found.cells[0].draft.text  # type: ignore[union-attr]
    assert expected.subject == found.cells[0].draft.subject  # type: ignore[union-attr]


def test_preview_of_given_interviews_writes_each_in_every_column() -> None:
    """Given interviews are rows; each is written in the column's language and register."""
    long_name = samples.interview(name="Maximiliane Sophie von Hohenzollern-Sigmaringen")
    found = Templates().preview(
        "outreach/alumni", [samples.interview(), long_name], locales=("en", "es")
    )
    assert 8 == len(found.cells)
    assert "Ana García" == found.cell("es", "informal", row=0).person
    assert found.cell("es", "informal", row=1).person.startswith("Maximiliane")
    assert "Hola, Maximiliane:" == found.cell("es", "informal", row=1).draft.text.splitlines()[0]  # type: ignore[union-attr]


def test_a_missing_value_shows_in_its_cell() -> None:
    """A value the template needs and the interview lacks is told in the cell, not raised."""
    interview = samples.interview()
    interview.contact = interview.contact.with_changes(school=None)
    found = Templates().preview(
        "outreach/alumni", interview, locales=("en",), registers=("formal",)
    )
    assert found.cells[0].draft is None
    assert "'school'" in str(found.cells[0].error)
    assert "not rendered:" in str(found)


def test_the_html_is_a_table_with_everything_escaped() -> None:
    """The HTML table has one cell per draft, and template text is escaped."""
    templates = Templates.from_strings({"mine/tags": ALUMNI.replace("TODO", "<b>&</b>")})
    found = templates.preview("mine/tags")
    page = found._repr_html_()
    assert "<b>&</b>" not in page
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in page
    parser = _Cells()
    parser.feed(page)
    assert 8 == len(parser.cells)
    assert all("State University alum, <b>&</b>" in cell for cell in parser.cells)


def test_the_plain_text_names_each_column_and_its_findings() -> None:
    """str() of a preview heads each draft with its language and register, and lists lint."""
    text = str(Templates.from_strings({"mine/alumni": ALUMNI}).preview("mine/alumni"))
    assert 8 == text.count("lint:\n  error: placeholder:")
    assert "mine/alumni · Ana García · fr, informal" in text
    assert "Subject: State University alum, TODO" in text


def test_unknown_column_names_the_columns() -> None:
    """Asking for a column the preview lacks says which it has."""
    found = Templates().preview("outreach/alumni", locales=("en",), registers=("formal",))
    with pytest.raises(KeyError, match="the columns are en/formal"):
        found.cell("de")
    assert isinstance(found, Preview)


def test_a_template_error_is_raised() -> None:
    """A fault in the template itself is the TemplateError render raises."""
    broken = Templates.from_strings({"mine/broken": '{% extends "outreach/alumni" %}{% block x %}'})
    with pytest.raises(infoview.TemplateError):
        broken.preview("mine/broken")


# -- blocks and save ----------------------------------------------------------------------


def test_blocks_give_the_parents_source_and_the_templates_own() -> None:
    """blocks() has every block: the template's own override, the rest as its layouts write them."""
    templates = Templates.from_strings({"mine/alumni": ALUMNI})
    found = templates.blocks("mine/alumni")
    assert ["subject", "greeting", "body", "closing", "signature", "after"] == list(found)
    assert "{% block subject %}{{ contact.school }} alum, TODO{% endblock %}" == found["subject"]
    assert found["body"].startswith("{% block body %}\n{% filter paragraph %}")
    assert found["body"].endswith("{% endblock %}")
    assert templates.blocks("outreach/alumni")["body"] == found["body"]


def test_a_copied_block_renders_as_the_original_in_every_language() -> None:
    """A template made of a built-in's block, copied unchanged, drafts the built-in's text."""
    body = Templates().blocks("outreach/alumni")["body"]
    mine = Templates.from_strings({"mine/alumni": '{% extends "outreach/alumni" %}\n' + body})
    for locale in ("en", "de", "fr", "es"):
        interview = samples.interview(locale=locale)
        expected = infoview.render("outreach/alumni", interview=interview)
        assert expected.text == mine.render("mine/alumni", interview=interview).text


def test_save_writes_only_the_strings_and_loads_back_the_same(tmp_path: Path) -> None:
    """save() writes the given templates (never the built-ins); the folder drafts the same."""
    strings = {
        "mine/alumni": ALUMNI,
        "_base/signature": "{{ sender.name }}\nRN, BSN\n",
        "mine/alumni.md": "Hello {{ contact.first_name }}\n",
    }
    mine = Templates.from_strings(strings)
    written = mine.save(tmp_path / "saved")
    files = sorted(p.relative_to(tmp_path / "saved").as_posix() for p in written)
    assert ["_base/signature.txt", "mine/alumni.md", "mine/alumni.txt"] == files
    assert files == sorted(
        p.relative_to(tmp_path / "saved").as_posix()
        for p in (tmp_path / "saved").rglob("*")
        if p.is_file()
    )
    loaded = Templates([tmp_path / "saved"])
    for locale in ("en", "de", "fr", "es"):
        interview = samples.interview(locale=locale)
        expected = mine.render("mine/alumni", interview=interview)
        actual = loaded.render("mine/alumni", interview=interview)
        assert (expected.subject, expected.text, expected.markdown) == (
            actual.subject,
            actual.text,
            actual.markdown,
        )


@pytest.mark.parametrize("name", ["../escape", "/abs/x", "mine//x", "mine/./x"])
def test_save_refuses_a_name_that_leaves_the_folder(tmp_path: Path, name: str) -> None:
    """A name that is not a plain relative path is refused, and nothing is written."""
    with pytest.raises(infoview.TemplateError, match="cannot be saved in a folder"):
        Templates.from_strings({name: "Hi"}).save(tmp_path / "saved")
    assert not (tmp_path / "saved").exists()


def test_the_command_line_drafts_the_saved_template(tmp_path: Path) -> None:
    """infoview drafts --templates <saved folder> --template mine/alumni writes the same draft."""
    mine = Templates.from_strings({"mine/alumni": ALUMNI.replace("TODO", "20 minutes?")})
    mine.save(tmp_path / "saved")
    (tmp_path / "me.json").write_text(converter.dumps(samples.sender()), encoding="utf-8")
    (tmp_path / "people.csv").write_text(
        "Name,Email,School,Organization\nAna García,ana@example.com,State University,Acme Health\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [
            sys.executable, "-m", "infoview", "drafts", "--csv", str(tmp_path / "people.csv"),
            "--sender", str(tmp_path / "me.json"), "--templates", str(tmp_path / "saved"),
            "--template", "mine/alumni", "--out", str(tmp_path / "outbox"),
        ],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert 0 == result.returncode, result.stderr + result.stdout
    [written] = sorted((tmp_path / "outbox").glob("*.eml"))
    message = email.message_from_bytes(written.read_bytes(), policy=email.policy.default)
    contact = infoview.Contact(
        name="Ana García",
        email="ana@example.com",
        school="State University",
        organization="Acme Health",
    )
    interview = infoview.Interview(contact=contact, sender=samples.sender())
    expected = mine.render("mine/alumni", interview=interview)
    assert expected.subject == message["Subject"]
    body = message.get_body(("plain",))
    assert body is not None
    assert expected.text == body.get_content().replace("\r\n", "\n")


def test_describe_shows_as_a_table_in_a_notebook() -> None:
    """describe() renders as an HTML table of inputs, with the blocks and formats."""
    described = Templates().describe("outreach/alumni")
    shown = described._repr_html_()
    assert shown.count("<tr>") == len(described.inputs) + 1
    for given in described.inputs:
        assert f"<code>{given.name}</code>" in shown
    assert "<code>subject</code>" in shown
    assert "<code>samples.interview()</code>" in shown or "samples." in shown
