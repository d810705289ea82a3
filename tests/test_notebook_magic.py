"""The IPython extension: ``%load_ext infoview`` and ``%%template``, in a real InteractiveShell."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest
from IPython.core.interactiveshell import InteractiveShell

import infoview
from infoview import Templates
from infoview.rendering.preview import Preview

CELL = """{% extends "outreach/alumni" %}
{% block subject %}Quick question from a fellow {{ contact.school }} alum{% endblock %}
"""


@pytest.fixture
def shell() -> Iterator[InteractiveShell]:
    """A real IPython shell with the extension loaded, as ``%load_ext infoview`` does."""
    ipython = InteractiveShell.instance()
    ipython.user_ns.pop("templates", None)
    ipython.extension_manager.loaded.discard("infoview")
    result = ipython.run_cell("%load_ext infoview")
    assert result.success, result.error_in_exec
    yield ipython
    InteractiveShell.clear_instance()


def _displayed(ipython: InteractiveShell, code: str) -> list[object]:
    """Run a cell; return what it passed to display() (the shell's display publisher)."""
    shown: list[object] = []
    original = ipython.display_pub.publish

    def publish(data: dict[str, str], *args: object, **kwargs: object) -> None:
        shown.append(data)
        original(data, *args, **kwargs)

    ipython.display_pub.publish = publish
    try:
        result = ipython.run_cell(code)
    finally:
        ipython.display_pub.publish = original
    assert result.success, result.error_in_exec
    return shown


def test_import_infoview_does_not_import_ipython() -> None:
    """IPython stays optional: importing infoview, and its whole face, leaves it unloaded."""
    code = "import sys, infoview; infoview.__all__; print('IPython' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "False" == result.stdout.strip()


def test_the_extension_is_an_attribute_of_the_package() -> None:
    """IPython finds load_ipython_extension on the package itself."""
    from infoview.notebook import load_ipython_extension

    assert load_ipython_extension is infoview.load_ipython_extension


def test_a_template_cell_adds_the_template_and_shows_its_preview(
    shell: InteractiveShell,
) -> None:
    """%%template NAME adds the cell to the notebook's set and displays the 4 × 2 preview."""
    shown = _displayed(shell, "%%template mine/alumni\n" + CELL)
    templates = shell.user_ns["templates"]
    assert isinstance(templates, Templates)
    draft = templates.render("mine/alumni", interview=infoview.samples.interview())
    assert "Quick question from a fellow State University alum" == draft.subject
    [page] = shown
    assert isinstance(page, dict)
    assert 8 == page["text/html"].count("<td")
    assert "Quick question from a fellow State University alum" in page["text/html"]
    assert "de, informal" in page["text/plain"] or "Preview(" in page["text/plain"]


def test_the_set_is_shared_and_previews_from_python(shell: InteractiveShell) -> None:
    """A later cell can preview the template the magic added, through the notebook's set."""
    _displayed(shell, "%%template mine/alumni\n" + CELL)
    result = shell.run_cell("found = templates.preview('mine/alumni', locales=('es',))")
    assert result.success
    found = shell.user_ns["found"]
    assert isinstance(found, Preview)
    assert ["es", "es"] == [c.draft.locale for c in found.cells if c.draft is not None]


def test_an_existing_template_set_is_used(capsys: pytest.CaptureFixture[str]) -> None:
    """A notebook's own ``templates`` set (a Templates) becomes the one the cells add to."""
    ipython = InteractiveShell.instance()
    try:
        mine = Templates(social_limit=300)
        ipython.user_ns["templates"] = mine
        ipython.extension_manager.loaded.discard("infoview")
        assert ipython.run_cell("%load_ext infoview").success
        assert ipython.run_cell("%%template mine/alumni\n" + CELL).success
        assert "mine/alumni" in mine.names()
    finally:
        InteractiveShell.clear_instance()


def test_a_template_error_shows_the_cell_line_not_a_traceback(
    shell: InteractiveShell, capsys: pytest.CaptureFixture[str]
) -> None:
    """A syntax error shows the template, its line of the cell and the message, no traceback."""
    cell = (
        '{% extends "outreach/alumni" %}\n'
        "{% block subject %}\nHi {{ contact.name }\n{% endblock %}\n"
    )
    result = shell.run_cell("%%template mine/broken\n" + cell)
    assert result.success
    err = capsys.readouterr().err
    assert err.startswith("mine/broken, line 3: syntax error:")
    assert "line 3 of the cell: Hi {{ contact.name }" in err
    assert "Traceback" not in err


def test_a_misspelled_field_names_its_line(
    shell: InteractiveShell, capsys: pytest.CaptureFixture[str]
) -> None:
    """A field an object lacks is told with the line of the cell where it is."""
    cell = (
        '{% extends "outreach/alumni" %}\n'
        "{% block greeting %}\nHi {{ contact.frist_name }},\n{% endblock %}\n"
    )
    assert shell.run_cell("%%template mine/typo\n" + cell).success
    err = capsys.readouterr().err
    assert "Contact has no field 'frist_name'" in err
    assert "line 3 of the cell: Hi {{ contact.frist_name }}," in err


def test_a_part_is_added_without_a_preview(
    shell: InteractiveShell, capsys: pytest.CaptureFixture[str]
) -> None:
    """A layout part such as _base/signature is added; the messages that use it show it."""
    shown = _displayed(shell, "%%template _base/signature\n{{ sender.name }}\nRN, BSN\n")
    assert [] == shown
    assert "added _base/signature;" in capsys.readouterr().out
    draft = shell.user_ns["templates"].render(
        "outreach/alumni", interview=infoview.samples.interview()
    )
    assert ["Sam Rivera", "RN, BSN"] == draft.text.splitlines()[-2:]


def test_a_cell_without_a_name_says_how_to_use_it(
    shell: InteractiveShell, capsys: pytest.CaptureFixture[str]
) -> None:
    """%%template with no name says how it is used, and adds nothing."""
    before = shell.user_ns["templates"].names()
    assert shell.run_cell("%%template\nHi").success
    assert "usage: %%template NAME" in capsys.readouterr().err
    assert before == shell.user_ns["templates"].names()
