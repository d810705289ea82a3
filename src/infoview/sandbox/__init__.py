"""The sandbox: a bounded Jinja2 environment for template text you do not trust.

Owns the immutable sandboxed environment, its allowlist of read-only methods,
and the budgets on output size, memory, work and recursion that every
sandboxed render is charged against. It imports nothing else of infoview but
:mod:`infoview.errors`; rendering builds on it.
"""

from infoview.sandbox.environment import SAFE_METHODS, BoundedSandbox, Limits, configure, join

__all__ = ["SAFE_METHODS", "BoundedSandbox", "Limits", "configure", "join"]
