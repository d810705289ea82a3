"""Errors raised by infoview.

Every error derives from :class:`InfoviewError` and also from the builtin that
fits it, so ``except ValueError`` keeps working for callers that do not know
infoview. Each keeps its context as attributes and says what to do.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "InfoviewError",
    "PlanError",
    "StructureError",
    "TransitionError",
    "ValidationError",
]


class InfoviewError(Exception):
    """Base class of every error infoview raises."""


class ValidationError(InfoviewError, ValueError):
    """A field was given a value it cannot hold.

    Attributes:
        owner: The class whose field was refused, e.g. ``"Contact"``.
        field: The field's name, e.g. ``"email"``.
        value: The refused value.
        hint: What to do instead.
    """

    def __init__(self, owner: str, field: str, value: Any, problem: str, hint: str = "") -> None:
        self.owner = owner
        self.field = field
        self.value = value
        self.problem = problem
        self.hint = hint
        message = f"{owner}.{field}: {problem}"
        if hint:
            message += f"; {hint}"
        super().__init__(message)


class TransitionError(InfoviewError, ValueError):
    """A status change that the lifecycle does not allow.

    Attributes:
        owner: The class whose status was to change, e.g. ``"Interview"``.
        current: The status it has.
        action: The verb that was called, e.g. ``"complete"``.
        allowed_from: The statuses from which that verb is allowed.
    """

    def __init__(
        self,
        owner: str,
        current: Any,
        action: str,
        allowed_from: tuple[Any, ...],
        message: str | None = None,
    ) -> None:
        self.owner = owner
        self.current = current
        self.action = action
        self.allowed_from = allowed_from
        allowed = " or ".join(getattr(s, "value", str(s)) for s in allowed_from)
        super().__init__(
            message
            or f"{owner}.status: cannot {action}() an {owner.lower()} that is "
            f"{getattr(current, 'value', current)}; {action}() is allowed only when it is {allowed}"
        )


class PlanError(InfoviewError, ValueError):
    """An agenda cannot be planned as asked (e.g. the included questions do not fit)."""


class StructureError(InfoviewError, ValueError):
    """A serialized document could not be turned back into infoview objects.

    Attributes:
        path: Where the bad value sits, e.g. ``"interview.contact.timezone"``.
        problems: Every problem found, as ``"path: message"`` lines.
    """

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__("\n".join(problems))
