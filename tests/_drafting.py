"""Sample data for the template, draft, mail and lint tests."""

from __future__ import annotations

from infoview.model.samples import interview as sample_interview
from infoview.rendering.registry import TEMPLATES

#: The built-in template names, from the registry (test_registry pins all 17).
BUILTIN_NAMES = tuple(sorted(TEMPLATES))

__all__ = ["BUILTIN_NAMES", "sample_interview"]
