"""Business days: which days count (no weekend day, no holiday), and counting them off.

:class:`~infoview.Policy` holds the weekend and the holidays and counts nudges
in business days with these functions.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Set
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from infoview.errors import ValidationError
from infoview.model import _times
from infoview.model._show import show

__all__ = [
    "MOST_BUSINESS_DAYS",
    "add_business_days",
    "holidays",
    "is_business_day",
    "next_business_day",
    "weekend",
]

#: Ten years of business days: enough for any nudge, and date arithmetic stays finite.
MOST_BUSINESS_DAYS = 2610


def _items(value: Any, owner: str, field: str, hint: str) -> frozenset[Any]:
    """Turn an iterable of hashable items into a frozenset, or raise ValidationError."""
    if isinstance(value, str | bytes | bytearray) or not isinstance(value, Iterable):
        raise ValidationError(
            owner, field, value, f"expected a collection, got {show(value)}", hint
        )
    try:
        return frozenset(value)
    except TypeError:
        raise ValidationError(
            owner, field, value, f"{show(value)} holds unhashable items", hint
        ) from None


def holidays(value: Any, owner: str, field: str) -> frozenset[date]:
    """Return the holidays as a frozenset of dates, or raise ValidationError naming the field."""
    hint = "list holidays as datetime.date objects, e.g. date(2026, 12, 25)"
    days = _items(value, owner, field, hint)
    for day in days:
        if not isinstance(day, date) or isinstance(day, datetime):
            raise ValidationError(owner, field, day, f"{day!r} is not a date", hint)
    return days


def weekend(value: Any, owner: str, field: str) -> frozenset[int]:
    """Return the weekend as a frozenset of weekday numbers (Monday=0) leaving a working day."""
    hint = "use Monday=0 … Sunday=6, e.g. {5, 6} for Saturday and Sunday"
    days = _items(value, owner, field, hint)
    if (
        any(isinstance(d, bool) or not isinstance(d, int) for d in days)
        or not days <= set(range(7))
        or len(days) == 7
    ):
        raise ValidationError(
            owner,
            field,
            value,
            f"{show(sorted(days, key=repr))} is not a set of weekday numbers leaving a working day",
            hint,
        )
    return days


def is_business_day(day: date, *, weekend: Set[int], holidays: Container[date]) -> bool:
    """Whether ``day`` is neither a weekend day nor one of the holidays.

    ``holidays`` is a set of dates, or a :class:`~infoview.followups.calendars.Holidays`
    that also holds the public holidays of a country.
    """
    return day.weekday() not in weekend and day not in holidays


def next_business_day(
    day: date, *, weekend: Set[int], holidays: Container[date], step: int = 1
) -> date:
    """Return ``day`` if it is a business day, else the next one (the one before, ``step=-1``)."""
    for _ in range(MOST_BUSINESS_DAYS * 2):
        if is_business_day(day, weekend=weekend, holidays=holidays):
            return day
        day += timedelta(days=step)
    raise ValidationError(  # pragma: no cover - a working weekday always comes within ten years
        "next_business_day", "holidays", holidays, "leave no business day", "list fewer holidays"
    )


def add_business_days(
    start: datetime,
    days: int,
    *,
    weekend: Set[int],
    holidays: Container[date],
    zone: tzinfo | None = None,
    where: str = "add_business_days",
) -> datetime:
    """Return the time ``days`` business days after ``start``, at the same local time.

    Args:
        start: When counting starts; timezone-aware.
        days: How many business days to count (weekends and holidays skipped).
        weekend: Weekday numbers (Monday=0) that are not business days.
        holidays: Dates that are not business days.
        zone: The zone whose calendar and clock count (default: ``start``'s).
        where: The function to name in error messages.

    Returns:
        An aware datetime in ``zone``: same wall-clock time, ``days``
        business days later (a request sent Friday 10:00 gets its nudge on
        the Tuesday of the week after next, at 10:00).
    """
    start = _times.moment(start, where, "start")
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= MOST_BUSINESS_DAYS:
        raise ValidationError(
            where,
            "days",
            days,
            f"{show(days)} is not a whole number of business days from 0 to {MOST_BUSINESS_DAYS}",
            "pass e.g. 7",
        )
    if zone is not None and not isinstance(zone, tzinfo):
        raise ValidationError(
            where,
            "zone",
            zone,
            f"expected a tzinfo, got {show(zone)}",
            "pass e.g. ZoneInfo('Europe/Berlin'), or leave it out",
        )
    local = start.astimezone(zone or start.tzinfo)
    day = local.date()
    left = days
    while left > 0:
        day += timedelta(days=1)
        if is_business_day(day, weekend=weekend, holidays=holidays):
            left -= 1
    result: datetime = _times.instant(
        datetime.combine(day, local.timetz()).replace(fold=local.fold)
    )
    return result
