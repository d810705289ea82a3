"""Filters and tests the built-in templates use for layout (wording ones are in i18n).

``|paragraph`` joins a paragraph into one line, ``|quote`` quotes a reply,
``|md`` escapes user text printed in Markdown, ``|clock`` shows minutes into
the conversation; the test ``fits`` checks a length budget. :func:`tidy`
(no filter) cleans up the spaces and blank lines layout leaves in a draft.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

__all__ = ["FILTERS", "TESTS", "clock", "fits", "markdown", "paragraph", "quote", "tidy"]


# What |paragraph joins: the spaces, tabs and line breaks of a template's layout,
# each run becoming one space. A lone space is already that, so the pattern
# matches only runs that change (a line break or tab, or two characters or
# more): the same text as ``[ \t\n\r\f\v]+``.
_LAYOUT_SPACE = re.compile(r"[\t\n\r\f\v][ \t\n\r\f\v]*| [ \t\n\r\f\v]+")


def paragraph(text: Any) -> str:
    """Filter: join a paragraph's lines and spaces into one line; no-break spaces stay."""
    text = str(text)
    # Spaces that must stay where they are: French puts a no-break space before
    # ":" and "?" ("minutes ?") and inside "« … »"; figures keep theirs too.
    # Without them, str.split() joins the same, many times faster.
    if "\u00a0" not in text and "\u202f" not in text and "\u2007" not in text:
        return " ".join(text.split())
    if "\t" in text or "\r" in text or "\f" in text or "\v" in text or "  " in text:
        return _LAYOUT_SPACE.sub(" ", text).strip(" ")
    # Only line breaks and lone spaces (a template's lines): each line's end
    # spaces and the break between become one space, as _LAYOUT_SPACE does,
    # in a third of the time (the regular expression tries every character).
    return " ".join(filter(None, [line.strip(" ") for line in text.split("\n")]))


def quote(text: Any) -> str:
    """Filter: quote text as a reply does, ``> `` before every line."""
    return "\n".join(f"> {line}".rstrip() for line in str(text).strip("\n").splitlines())


# Inline Markdown: emphasis, code, links, headings, tables, strike-through.
# (".", "-", "+" and "!" only matter at the start of a line or before "[",
# and templates print user text after their own markup.)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]#|~])")


def markdown(text: Any) -> str:
    """Filter: escape Markdown punctuation and HTML in user text printed inline in .md."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
    return escaped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clock(minutes: int) -> str:
    """Filter: minutes into the conversation as a clock, ``2`` → ``0:02``."""
    return f"{int(minutes) // 60}:{int(minutes) % 60:02d}"


def fits(text: Any, budget: int) -> bool:
    """Test: whether text is at most ``budget`` characters long."""
    return len(str(text)) <= budget


def tidy(text: str) -> str:
    """Strip trailing spaces and runs of blank lines that template layout leaves behind."""
    text = "\n".join([line.rstrip() for line in text.strip("\n").splitlines()])
    while "\n\n\n" in text:  # str.replace is many times faster than re.sub("\n{3,}") here
        text = text.replace("\n\n\n", "\n\n")
    return text.strip() + "\n"


FILTERS: dict[str, Callable[..., Any]] = {
    "clock": clock,
    "md": markdown,
    "paragraph": paragraph,
    "quote": quote,
}
TESTS: dict[str, Callable[..., bool]] = {"fits": fits}
