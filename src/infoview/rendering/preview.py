"""Preview: one template's drafts in every language and register side by side, with lint.

:meth:`Templates.preview <infoview.Templates.preview>` renders a template for
one or more interviews (by default the built-in sample) in each locale and
register asked for, and lints every draft. The result shows itself as an HTML
table in a notebook and as plain text elsewhere. The blocks of a template
(:func:`block_sources`), to copy one and start from it, and the writing of
templates given as strings into a folder (:func:`save`) serve the same loop of
working on a template.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from infoview.errors import MissingValueError, TemplateError
from infoview.mail.draft import Draft
from infoview.model import samples
from infoview.model.contact import Register
from infoview.model.interview import Interview
from infoview.rendering.quality import Finding, lint

if TYPE_CHECKING:
    from infoview.rendering.templating import Templates

__all__ = ["LOCALES", "REGISTERS", "Preview", "PreviewCell", "block_sources", "preview", "save"]

#: The languages infoview ships, as a preview shows them by default.
LOCALES = ("en", "de", "fr", "es")
#: Both registers, formal first.
REGISTERS = ("formal", "informal")

_RULE = "─" * 72


@attrs.frozen
class PreviewCell:
    """One draft of a preview: a template for one interview, language and register.

    Attributes:
        person: Whom the draft is to (the row).
        locale: The language asked for (the column, with ``register``).
        register: ``"formal"`` or ``"informal"``.
        draft: The rendered draft, or None when a value it needs is missing.
        findings: The draft's lint findings, most severe first.
        error: Why there is no draft (a missing value), else None.
    """

    person: str
    locale: str
    register: str
    draft: Draft | None
    findings: tuple[Finding, ...] = ()
    error: str | None = None

    @property
    def heading(self) -> str:
        """The column heading: ``"de, formal"``."""
        return f"{self.locale}, {self.register}"

    def lines(self) -> list[str]:
        """Return the cell as plain text lines: subject, text, then lint."""
        if self.draft is None:
            return [f"not rendered: {self.error}"]
        lines = [f"Subject: {self.draft.subject}", "", *self.draft.text.rstrip().splitlines(), ""]
        if not self.findings:
            return [*lines, "lint: no findings"]
        return [*lines, "lint:", *(f"  {finding}" for finding in self.findings)]

    def to_html(self) -> str:
        """Return the cell as HTML: the subject in bold, the text, the findings as a list."""
        if self.draft is None:
            return f"<em>not rendered: {html.escape(str(self.error))}</em>"
        subject = f"<strong>{html.escape(self.draft.subject)}</strong>"
        text = (
            '<pre style="white-space: pre-wrap; font-family: inherit; margin: 0.5em 0">'
            f"{html.escape(self.draft.text.rstrip())}</pre>"
        )
        if not self.findings:
            return f"{subject}{text}<div><em>lint: no findings</em></div>"
        items = "".join(f"<li>{html.escape(str(finding))}</li>" for finding in self.findings)
        return f"{subject}{text}<div>lint:</div><ul>{items}</ul>"


@attrs.frozen
class Preview:
    """A template's drafts: one row per interview, one column per language and register.

    In a notebook it shows as an HTML table (``_repr_html_``); ``str()`` gives
    the same as plain text.

    Attributes:
        template: The template previewed.
        cells: Every draft, row by row (each row in column order).
        columns: The columns, as ``(locale, register)`` pairs.
    """

    template: str
    cells: tuple[PreviewCell, ...]
    columns: tuple[tuple[str, str], ...]

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Every lint finding of every draft, in cell order."""
        return tuple(finding for cell in self.cells for finding in cell.findings)

    def cell(self, locale: str, register: str = "formal", row: int = 0) -> PreviewCell:
        """Return the draft for a language and register (of the ``row``-th interview).

        Raises:
            KeyError: The preview has no such column or row.
        """
        width = len(self.columns)
        try:
            index = row * width + self.columns.index((locale, register))
        except ValueError:
            shown = ", ".join(f"{c[0]}/{c[1]}" for c in self.columns)
            raise KeyError(f"no column {locale}/{register}; the columns are {shown}") from None
        if not 0 <= row < len(self.cells) // max(width, 1):
            raise KeyError(f"no row {row}; the preview has {len(self.cells) // width}")
        return self.cells[index]

    def _rows(self) -> list[tuple[PreviewCell, ...]]:
        width = len(self.columns)
        return [self.cells[i : i + width] for i in range(0, len(self.cells), width)]

    def __str__(self) -> str:
        lines: list[str] = []
        for row in self._rows():
            for cell in row:
                lines += [_RULE, f"{self.template} · {cell.person} · {cell.heading}", _RULE]
                lines += [*cell.lines(), ""]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        head = "".join(
            f"<th>{html.escape(locale)}, {html.escape(register)}</th>"
            for locale, register in self.columns
        )
        body = "".join(
            "<tr>"
            f'<th style="vertical-align: top">{html.escape(row[0].person)}</th>'
            + "".join(
                f'<td style="vertical-align: top; text-align: left">{cell.to_html()}</td>'
                for cell in row
            )
            + "</tr>"
            for row in self._rows()
        )
        caption = f"<caption>{html.escape(self.template)}</caption>"
        return (
            f"<table>{caption}<thead><tr><th></th>{head}</tr></thead><tbody>{body}</tbody></table>"
        )

    def __repr__(self) -> str:
        found = len(self.findings)
        return (
            f"Preview(template={self.template!r}, drafts={len(self.cells)}, "
            f"columns={len(self.columns)}, findings={found})"
        )


def preview(
    templates: Templates,
    name: str,
    interviews: Interview | Iterable[Interview] | None = None,
    *,
    locales: Sequence[str] = LOCALES,
    registers: Sequence[str | Register] = REGISTERS,
) -> Preview:
    """Render ``name`` for each interview in each locale and register, and lint each draft.

    Args:
        templates: The template set to render with.
        name: The template.
        interviews: An interview, several, or None for the built-in sample
            (:func:`infoview.model.samples.interview`) written in each locale.
            A given interview's contact is written to in each locale and
            register in turn.
        locales: The languages, one column each per register.
        registers: ``"formal"``, ``"informal"`` or both.

    Raises:
        UnknownTemplateError: No template has that name.
        TemplateError: The template is at fault (the same in every language).
        ValueError: A register is neither formal nor informal.
    """
    wanted = tuple(Register(r) for r in registers)
    columns = tuple((locale, register.value) for locale in locales for register in wanted)
    rows: list[Interview | None]
    if interviews is None:
        rows = [None]
    elif isinstance(interviews, Interview):
        rows = [interviews]
    else:
        rows = list(interviews)
    cells: list[PreviewCell] = []
    for interview in rows:
        for locale in locales:
            for register in wanted:
                cells.append(_cell(templates, name, interview, locale, register))
    return Preview(name, tuple(cells), columns)


def _cell(
    templates: Templates, name: str, interview: Interview | None, locale: str, register: Register
) -> PreviewCell:
    if interview is None:
        interview = samples.interview(locale=locale, register=register)
        contact = interview.contact
    else:
        contact = interview.contact.with_changes(locale=locale, register=register)
    try:
        draft = templates.render(
            name, locale=locale, interview=interview, contact=contact, recipient=contact
        )
    except MissingValueError as error:
        return PreviewCell(contact.name, locale, register.value, None, error=str(error))
    findings = tuple(lint(draft, social_limit=templates.social_limit))
    return PreviewCell(contact.name, locale, register.value, draft, findings)


# --------------------------------------------------------------------------- blocks and saving

# A block tag or an end of block, with Jinja's whitespace control.
_BLOCK_TAG = re.compile(r"\{%[-+]?\s*(?:block\s+(\w+)[^%]*|endblock(?:\s+\w+)?\s*)[-+]?%\}")


def block_sources(sources: Sequence[str]) -> dict[str, str]:
    """Return each block's source, ``{% block … %}`` to ``{% endblock %}``, by name.

    Args:
        sources: The template's source and those of the layouts it extends,
            nearest first. A block the template defines wins over its layout's;
            the blocks come in the order of the outermost layout.
    """
    found: dict[str, str] = {}
    for source in reversed(sources):
        found.update(_blocks_of(source))
    if "subject" in found:  # rendered on its own, and first: as describe() lists the blocks
        found = {"subject": found.pop("subject"), **found}
    return found


def _blocks_of(source: str) -> dict[str, str]:
    blocks: dict[str, str] = {}
    open_blocks: list[tuple[str, int]] = []
    for match in _BLOCK_TAG.finditer(source):
        if match.group(1):
            open_blocks.append((match.group(1), match.start()))
        elif open_blocks:
            name, start = open_blocks.pop()
            blocks.setdefault(name, source[start : match.end()])
    return blocks


def save(sources: Mapping[str, str], folder: str | os.PathLike[str]) -> list[Path]:
    """Write templates given as source text into ``folder``, as ``--templates DIR`` reads them.

    ``mine/alumni`` becomes ``mine/alumni.txt``; a name with its extension
    (``mine/alumni.html``) keeps it. A file already there is replaced.

    Returns:
        The files written, in the order of the names.

    Raises:
        TemplateError: A name would leave the folder (absolute, or with ``..``).
    """
    root = Path(folder)
    written: list[Path] = []
    for name, source in sources.items():
        parts = name.split("/")
        if name.startswith("/") or any(part in ("", ".", "..") for part in parts) or "\\" in name:
            raise TemplateError(
                name,
                None,
                "its name is not a relative path of plain parts, so it cannot be saved "
                "in a folder; give it a name like 'mine/alumni'",
            )
        path = root.joinpath(*parts)
        if not path.name.endswith((".txt", ".html", ".md")):
            path = path.with_name(path.name + ".txt")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
        written.append(path)
    return written
