"""Naming values and classes the same way everywhere: in error messages and in notebooks.

The short reprs and HTML cards of the model's objects (``repr(interview)``,
``interview._repr_html_()`` in a notebook) are built here, so every one reads
alike and every value in the HTML is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

__all__ = [
    "card",
    "follow_up",
    "moment",
    "owner_of",
    "short_repr",
    "show",
    "span",
    "with_article",
]

# A repr stays under this many characters: it is read in a notebook or a log line.
REPR_LIMIT = 300


def with_article(noun: str) -> str:
    """Put the indefinite article before ``noun``: ``an Agenda``, ``a Contact``."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def show(value: Any, limit: int = 60) -> str:
    """Return ``repr(value)``, shortened for an error message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def owner_of(instance: Any) -> str:
    """Name the class of ``instance`` as messages do: ``"Contact"``."""
    return type(instance).__name__


def moment(value: datetime | None) -> str | None:
    """Return a time as ``2026-12-03 15:00 CST`` (its own zone), or ``None``."""
    if value is None:
        return None
    return value.strftime("%Y-%m-%d %H:%M %Z").strip()


def span(value: timedelta) -> str:
    """Return a duration as ``7 days``, ``24 h``, ``20 min`` (or ``1 day, 2:00:00``)."""
    seconds = int(value.total_seconds())
    if not seconds:
        return "0"
    for unit, size in (("days", 86_400), ("h", 3_600), ("min", 60)):
        if seconds and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit[:-1] if unit == 'days' and count == 1 else unit}"
    return str(value)


def short_repr(owner: str, **fields: Any) -> str:
    """Return ``Owner(a='x', n=2)`` of the fields that are not ``None``, under REPR_LIMIT.

    Text values are shortened; fields that would go past the limit are left
    out and counted (``…, 3 more``).
    """
    parts = [
        f"{key}={show(str(value) if not isinstance(value, int) else value, 48)}"
        for key, value in fields.items()
        if value is not None
    ]
    shown: list[str] = []
    for index, part in enumerate(parts):
        if len(owner) + sum(len(p) + 2 for p in (*shown, part)) > REPR_LIMIT - 12:
            shown.append(f"…{len(parts) - index} more")
            break
        shown.append(part)
    return f"{owner}({', '.join(shown)})"


def card(title: str, rows: Iterable[tuple[str, Any]], items: Iterable[str] = ()) -> str:
    """Return a small HTML table for a notebook; every value is escaped.

    Args:
        title: The heading, e.g. ``"Interview with Ana García"``.
        rows: Pairs of a label and a value; rows whose value is ``None`` are left out.
        items: Lines listed under the table, in order (e.g. an agenda's questions).
    """
    cells = "".join(
        f"<tr><th style='text-align:left;padding-right:1em'>{html.escape(label)}</th>"
        f"<td>{html.escape(str(value))}</td></tr>"
        for label, value in rows
        if value is not None
    )
    listed = "".join(f"<li>{html.escape(item)}</li>" for item in items)
    return (
        f"<div><strong>{html.escape(title)}</strong><table>{cells}</table>"
        + (f"<ol>{listed}</ol>" if listed else "")
        + "</div>"
    )


def follow_up(found: Any) -> str | None:
    """A follow-up in a card's row: its kind and when it is due."""
    return f"{found.kind.value}, due {moment(found.due)}" if found is not None else None
