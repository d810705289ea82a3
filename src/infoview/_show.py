"""Naming values and classes in error messages, the same way everywhere."""

from __future__ import annotations

from typing import Any

__all__ = ["a", "owner_of", "show"]


def a(noun: str) -> str:
    """Put the indefinite article before ``noun``: ``an Agenda``, ``a Contact``."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def show(value: Any, limit: int = 60) -> str:
    """Return ``repr(value)``, shortened for an error message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def owner_of(instance: Any) -> str:
    """Name the class of ``instance`` as messages do: ``"Contact"``."""
    return type(instance).__name__
