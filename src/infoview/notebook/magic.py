"""The IPython extension: a ``%%template`` cell magic over one notebook-wide template set.

``%load_ext infoview`` registers the magic and gives the notebook a
:class:`~infoview.Templates` named ``templates`` (an existing ``templates``
that is a Templates is kept and used). A cell::

    %%template mine/alumni
    {% extends "outreach/alumni" %}
    {% block subject %}Quick question from a fellow alum{% endblock %}

adds (or replaces) ``mine/alumni`` in that set and shows its preview: the
draft in every shipped language and register, with lint findings. A fault in
the template shows its line of the cell and the message, not a traceback.
"""

from __future__ import annotations

import sys
from typing import Any

from IPython.core.interactiveshell import InteractiveShell
from IPython.core.magic import Magics, cell_magic, magics_class
from IPython.display import display

from infoview.errors import InfoviewError, TemplateError
from infoview.rendering.templating import Templates

__all__ = ["TemplateMagics", "load_ipython_extension"]

#: The name the notebook-wide template set has in the notebook.
NAME = "templates"


@magics_class
class TemplateMagics(Magics):
    """The ``%%template NAME`` cell magic, adding to one template set.

    Attributes:
        templates: The notebook-wide template set the cells add to.
    """

    def __init__(self, shell: InteractiveShell, templates: Templates) -> None:
        super().__init__(shell)
        self.templates = templates

    @cell_magic
    def template(self, line: str, cell: str) -> None:
        """Add the cell's text as template NAME, then show its preview (or what is wrong)."""
        name = line.strip()
        if not name or len(name.split()) != 1:
            sys.stderr.write("usage: %%template NAME, then the template's text in the cell\n")
            return
        self.templates.add(name, cell)
        if any(part.startswith("_") for part in name.split("/")) or "." in name.rpartition("/")[2]:
            sys.stdout.write(f"added {name}; the templates that use it show it in their preview\n")
            return
        try:
            found = self.templates.preview(name)
        except TemplateError as error:
            sys.stderr.write(_where(error, name, cell) + "\n")
            return
        except InfoviewError as error:
            sys.stderr.write(f"{error}\n")
            return
        display(found)  # type: ignore[no-untyped-call]  # IPython.display is not annotated


def _where(error: TemplateError, name: str, cell: str) -> str:
    """The message, and the line of the cell it is about when the fault is in this cell."""
    lines = cell.splitlines()
    if error.template != name or error.line is None or not 0 < error.line <= len(lines):
        return str(error)
    return f"{error}\n  line {error.line} of the cell: {lines[error.line - 1]}"


def load_ipython_extension(ipython: Any) -> None:
    """Register ``%%template`` and give the notebook its template set (``%load_ext infoview``).

    The set is the notebook's ``templates`` when that is already a
    :class:`~infoview.Templates`; otherwise a new one (your cells, then the
    built-ins), put in the notebook as ``templates`` if that name is free.
    """
    existing = ipython.user_ns.get(NAME)
    templates = existing if isinstance(existing, Templates) else Templates()
    if existing is None:
        ipython.push({NAME: templates})
    ipython.register_magics(TemplateMagics(ipython, templates))
