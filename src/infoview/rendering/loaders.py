"""Loaders: where templates are found, and how a name maps to files.

A template name has no extension: ``outreach/alumni`` is the file
``outreach/alumni.txt``. Siblings with the same name add other parts of the
draft: ``.html`` (autoescaped) and ``.md`` (Markdown). Layouts and partials
live under a folder starting with ``_`` (``_base/message``) and are no
templates of their own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import jinja2

from infoview.errors import TemplateError, UnknownTemplateError

__all__ = [
    "EXTENSIONS",
    "HTML",
    "MARKDOWN",
    "TEXT",
    "ExtensionlessLoader",
    "builtin_templates_path",
    "is_builtin",
    "is_builtin_file",
    "public_name",
    "search",
    "syntax_error",
    "template_line",
]

TEXT, HTML, MARKDOWN = ".txt", ".html", ".md"
EXTENSIONS = (TEXT, HTML, MARKDOWN)


def builtin_templates_path() -> Path:
    """Return the folder holding the built-in templates.

    A wheel ships them inside the package (``infoview/templates``); a source
    checkout or editable install reads the repository's root ``templates/``.

    Raises:
        UnknownTemplateError: When neither folder exists (a broken install).
    """
    package = Path(__file__).resolve().parent.parent  # infoview/rendering/ → infoview/
    candidates = (package / "templates", package.parent.parent / "templates")
    for folder in candidates:
        if folder.is_dir():
            return folder
    raise UnknownTemplateError(  # pragma: no cover - only a broken install gets here
        "(built-ins)",
        [str(c) for c in candidates],
        ["reinstall infoview; the wheel ships infoview/templates"],
    )


def is_builtin_file(file_name: str | None) -> bool:
    """Whether a template's file is one of the built-ins (not a string or a file of yours)."""
    return file_name is not None and Path(file_name).is_relative_to(builtin_templates_path())


def is_builtin(environment: jinja2.Environment, loader: jinja2.BaseLoader, name: str) -> bool:
    """Whether template ``name`` is found among the built-ins, not replaced by one of yours."""
    try:
        return is_builtin_file(loader.get_source(environment, name)[1])
    except jinja2.TemplateNotFound:
        return False


class ExtensionlessLoader(jinja2.BaseLoader):
    """Let ``"outreach/alumni"`` find ``outreach/alumni.txt`` in the wrapped loader."""

    def __init__(self, loader: jinja2.BaseLoader, label: str) -> None:
        self.loader = loader
        self.label = label

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        try:
            return self.loader.get_source(environment, template)
        except jinja2.TemplateNotFound:
            if template.endswith(EXTENSIONS):
                raise
            return self.loader.get_source(environment, template + TEXT)

    def list_templates(self) -> list[str]:
        return self.loader.list_templates()


def search(
    strings: Mapping[str, str], folders: Iterable[Path], *, builtins: bool
) -> tuple[jinja2.ChoiceLoader, list[str]]:
    """Return the loader searching ``strings``, then ``folders``, then the built-ins.

    Also returns the places searched, in order, as an error message names them.
    ``strings`` is read on every lookup, so adding to it adds a template.
    """
    places = ["templates given as strings"]
    loaders: list[jinja2.BaseLoader] = [ExtensionlessLoader(jinja2.DictLoader(strings), places[0])]
    for folder in folders:
        loaders.append(ExtensionlessLoader(jinja2.FileSystemLoader(folder), str(folder)))
        places.append(str(folder))
    if builtins:
        builtin = builtin_templates_path()
        loaders.append(ExtensionlessLoader(jinja2.FileSystemLoader(builtin), str(builtin)))
        places.append(f"{builtin} (built-in)")
    return jinja2.ChoiceLoader(loaders), places


def public_name(file_name: str) -> str | None:
    """``outreach/alumni.txt`` → ``outreach/alumni``; partials (``_base/…``) and siblings → None."""
    if any(part.startswith("_") for part in file_name.split("/")):
        return None
    if file_name.endswith((HTML, MARKDOWN)):
        return None
    return file_name.removesuffix(TEXT)


def syntax_error(name: str, exc: jinja2.TemplateSyntaxError) -> TemplateError:
    """Return the error for a syntax error in template ``name`` (or one it loads)."""
    where = exc.name or exc.filename or name
    template = where.removesuffix(TEXT) if isinstance(where, str) else name
    return TemplateError(template, exc.lineno, f"syntax error: {exc.message}")


def template_line(exc: BaseException) -> int | None:
    """Return the template line where ``exc`` was raised (the innermost template frame)."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        template = tb.tb_frame.f_globals.get("__jinja_template__")
        if template is not None:
            line = template.get_corresponding_lineno(tb.tb_lineno)
        tb = tb.tb_next
    return line
