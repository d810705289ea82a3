"""Times and durations in the model: one definition of each check.

Every datetime the model holds is aware and names a real instant: a wall
time inside a spring-forward gap is moved to the instant Python computes for
it (:func:`instant`). Durations are added on the wall clock (:func:`later`),
so a day later is the same local time across a clock change. Validators raise
:class:`~infoview.errors.ValidationError` naming the class and the field.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs

from infoview.errors import ValidationError
from infoview.model._show import owner_of, show

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "LONGEST_WAIT",
    "MEETING_MINUTES",
    "aware",
    "instant",
    "later",
    "minutes_between",
    "moment",
    "to_timedelta",
    "utc",
    "when",
]

#: Years a model datetime may fall in: wide enough for any record, narrow
#: enough that date arithmetic (follow-ups, calendar time zones) never overflows.
FIRST_YEAR = 1900
LAST_YEAR = 9000

#: The shortest and the longest informational interview, in minutes.
MEETING_MINUTES = (10, 60)

#: The longest wait infoview plans or looks ahead (ten years): date arithmetic stays finite.
LONGEST_WAIT = timedelta(days=3660)

# Beyond this many minutes a number cannot be a meeting's length (nor a timedelta).
_MAX_MINUTES = 10**6


def utc(value: datetime) -> datetime:
    """Return ``value`` in UTC: compare instants, never two wall clocks of one zone."""
    return value.astimezone(UTC)


def instant(value: Any) -> Any:
    """Move an aware datetime off a wall time that does not exist (a spring-forward gap).

    ``02:30`` on the night clocks jump from 02:00 to 03:00 names no instant;
    it becomes the instant Python computes for it, shown on the real clock
    (``03:30``), so comparisons, serialization and calendars agree. Other
    values (and times too close to year 1 or 9999 to convert) pass through
    for the validator to judge.
    """
    if isinstance(value, datetime) and value.tzinfo is not None and value.utcoffset() is not None:
        try:
            return value.astimezone(UTC).astimezone(value.tzinfo)
        except OverflowError:
            return value
    return value


def later(start: datetime, delta: timedelta) -> datetime:
    """Return ``start + delta`` on ``start``'s wall clock: a day later is the same local time.

    A wall time inside a spring-forward gap becomes a real instant: the later
    one going forward, the earlier one going back (a reminder stays before the
    meeting it announces).
    """
    moved = start + delta
    if delta < timedelta(0):
        moved = moved.replace(fold=1)
    result: datetime = instant(moved)
    return result


def moment(value: Any, owner: str, field: str, *, clock: bool = False) -> datetime:
    """Return ``value`` as a real aware instant, or raise ValidationError naming the field.

    Refuses non-datetimes, naive datetimes and years outside
    ``FIRST_YEAR``–``LAST_YEAR``.

    Args:
        value: The value to check.
        owner: The class (or function) for the message.
        field: The field (or argument) for the message.
        clock: ``value`` is the current time (a ``now`` argument): the
            message then asks for ``datetime.now(UTC)``.
    """
    aware_datetime = (
        isinstance(value, datetime) and value.tzinfo is not None and value.utcoffset() is not None
    )
    if not aware_datetime and clock:
        raise ValidationError(
            owner,
            field,
            value,
            f"{show(value)} is not a datetime with a time zone",
            "pass an aware datetime, e.g. datetime.now(UTC)",
        )
    if not isinstance(value, datetime):
        raise ValidationError(
            owner,
            field,
            value,
            f"expected a datetime with a time zone, got {show(value)}",
            "pass e.g. datetime(2026, 12, 3, 15, 0, tzinfo=ZoneInfo('Europe/Berlin'))",
        )
    if not aware_datetime:
        raise ValidationError(
            owner,
            field,
            value,
            f"{value.isoformat()} has no time zone",
            "pass an aware datetime: attach one, e.g. "
            "datetime(..., tzinfo=ZoneInfo('Europe/Berlin')), or use datetime.now(UTC)",
        )
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            owner,
            field,
            value,
            f"{value.isoformat()} is outside the years infoview handles",
            f"give a time from {FIRST_YEAR} to {LAST_YEAR}",
        )
    result: datetime = instant(value)
    return result


def when(at: datetime | None, owner: str, field: str = "at") -> datetime:
    """Return ``at`` checked as by :func:`moment`, or the current time when it is ``None``."""
    return moment(datetime.now(UTC) if at is None else at, owner, field)


def aware(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Refuse a non-datetime, a naive datetime or one outside the supported years."""
    if value is None:
        return
    moment(value, owner_of(instance), attribute.name)


def to_timedelta(value: Any) -> Any:
    """Accept a number of minutes where a duration is expected (others pass to the validator)."""
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and abs(value) <= _MAX_MINUTES
    ):
        return timedelta(minutes=value)
    return value


def minutes_between(low: int, high: int) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """Return a validator refusing a timedelta outside ``low``–``high`` minutes."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        owner, field = owner_of(instance), attribute.name
        if isinstance(value, int | float) and not isinstance(value, bool):
            raise ValidationError(
                owner,
                field,
                value,
                f"{show(value)} is not a usable number of minutes",
                f"give a finite number of minutes from {low} to {high}, e.g. 20",
            )
        if not isinstance(value, timedelta):
            raise ValidationError(
                owner,
                field,
                value,
                f"expected a timedelta, got {show(value)}",
                "pass e.g. timedelta(minutes=20)",
            )
        if not timedelta(minutes=low) <= value <= timedelta(minutes=high):
            minutes = value.total_seconds() / 60
            raise ValidationError(
                owner,
                field,
                value,
                f"{minutes:g} minutes is outside {low}–{high} minutes",
                f"informational interviews run {low}–{high} minutes; 20 is the usual ask",
            )

    return check
