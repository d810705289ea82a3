"""Times and durations in the model: one definition of each check.

Every datetime the model holds is aware and names a real instant: a wall
time inside a spring-forward gap is moved to the instant Python computes for
it (:func:`instant`). Durations are added on the wall clock (:func:`later`),
so a day later is the same local time across a clock change. Validators raise
:class:`~infoview.errors.ValidationError` naming the class and the field.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from infoview.errors import ValidationError
from infoview.model._show import owner_of, show

__all__ = [
    "ABBREVIATIONS",
    "ALIASES",
    "FIRST_YEAR",
    "LAST_YEAR",
    "LONGEST_WAIT",
    "MEETING_MINUTES",
    "aware",
    "canonical_zone",
    "instant",
    "later",
    "minutes_between",
    "moment",
    "named",
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

#: Abbreviations and fixed-offset zones people write for a place whose clocks change
#: (or that name several places): refused, with the IANA zone to use. "EST" is UTC-5
#: all year, so "9:00 EST" in July is an hour off for a New Yorker.
ABBREVIATIONS: dict[str, str] = {
    "EST": "America/New_York",
    "EDT": "America/New_York",
    "EST5EDT": "America/New_York",
    "CST": "America/Chicago",
    "CDT": "America/Chicago",
    "CST6CDT": "America/Chicago",
    "MST": "America/Denver (or America/Phoenix, which keeps no summer time)",
    "MDT": "America/Denver",
    "MST7MDT": "America/Denver",
    "PST": "America/Los_Angeles",
    "PDT": "America/Los_Angeles",
    "PST8PDT": "America/Los_Angeles",
    "AKST": "America/Anchorage",
    "AKDT": "America/Anchorage",
    "HST": "Pacific/Honolulu",
    "AST": "America/Halifax",
    "NST": "America/St_Johns",
    "WET": "Europe/Lisbon",
    "WEST": "Europe/Lisbon",
    "BST": "Europe/London",
    "CET": "Europe/Berlin (or Europe/Paris, Europe/Madrid, …)",
    "CEST": "Europe/Berlin (or Europe/Paris, Europe/Madrid, …)",
    "MET": "Europe/Berlin (or Europe/Paris, Europe/Madrid, …)",
    "EET": "Europe/Athens (or Europe/Helsinki, Europe/Bucharest, …)",
    "EEST": "Europe/Athens (or Europe/Helsinki, Europe/Bucharest, …)",
    "MSK": "Europe/Moscow",
    "IST": "Asia/Kolkata (or Europe/Dublin, Asia/Jerusalem)",
    "PKT": "Asia/Karachi",
    "SGT": "Asia/Singapore",
    "HKT": "Asia/Hong_Kong",
    "JST": "Asia/Tokyo",
    "KST": "Asia/Seoul",
    "AWST": "Australia/Perth",
    "ACST": "Australia/Adelaide",
    "AEST": "Australia/Sydney (or Australia/Brisbane, which keeps no summer time)",
    "AEDT": "Australia/Sydney",
    "NZST": "Pacific/Auckland",
    "NZDT": "Pacific/Auckland",
    "BRT": "America/Sao_Paulo",
    "ART": "America/Argentina/Buenos_Aires",
}

#: Old names tzdata keeps as links, and the canonical name each is taken as.
ALIASES: dict[str, str] = {
    "US/Eastern": "America/New_York",
    "US/Central": "America/Chicago",
    "US/Mountain": "America/Denver",
    "US/Pacific": "America/Los_Angeles",
    "US/Alaska": "America/Anchorage",
    "US/Hawaii": "Pacific/Honolulu",
    "US/Arizona": "America/Phoenix",
    "US/East-Indiana": "America/Indiana/Indianapolis",
    "US/Indiana-Starke": "America/Indiana/Knox",
    "US/Michigan": "America/Detroit",
    "US/Aleutian": "America/Adak",
    "US/Samoa": "Pacific/Pago_Pago",
    "Canada/Atlantic": "America/Halifax",
    "Canada/Central": "America/Winnipeg",
    "Canada/Eastern": "America/Toronto",
    "Canada/Mountain": "America/Edmonton",
    "Canada/Newfoundland": "America/St_Johns",
    "Canada/Pacific": "America/Vancouver",
    "Canada/Saskatchewan": "America/Regina",
    "Mexico/General": "America/Mexico_City",
    "Mexico/BajaNorte": "America/Tijuana",
    "Mexico/BajaSur": "America/Mazatlan",
    "Brazil/East": "America/Sao_Paulo",
    "Chile/Continental": "America/Santiago",
    "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
    "America/Indianapolis": "America/Indiana/Indianapolis",
    "Asia/Calcutta": "Asia/Kolkata",
    "Asia/Saigon": "Asia/Ho_Chi_Minh",
    "Asia/Katmandu": "Asia/Kathmandu",
    "Asia/Rangoon": "Asia/Yangon",
    "Asia/Istanbul": "Europe/Istanbul",
    "Europe/Kiev": "Europe/Kyiv",
    "Australia/ACT": "Australia/Sydney",
    "Australia/NSW": "Australia/Sydney",
    "Australia/Victoria": "Australia/Melbourne",
    "Australia/Queensland": "Australia/Brisbane",
    "Australia/West": "Australia/Perth",
    "Australia/South": "Australia/Adelaide",
    "GB": "Europe/London",
    "GB-Eire": "Europe/London",
    "Eire": "Europe/Dublin",
    "Portugal": "Europe/Lisbon",
    "Poland": "Europe/Warsaw",
    "Turkey": "Europe/Istanbul",
    "W-SU": "Europe/Moscow",
    "Iceland": "Atlantic/Reykjavik",
    "Egypt": "Africa/Cairo",
    "Libya": "Africa/Tripoli",
    "Israel": "Asia/Jerusalem",
    "Iran": "Asia/Tehran",
    "Japan": "Asia/Tokyo",
    "PRC": "Asia/Shanghai",
    "ROC": "Asia/Taipei",
    "ROK": "Asia/Seoul",
    "Hongkong": "Asia/Hong_Kong",
    "Singapore": "Asia/Singapore",
    "NZ": "Pacific/Auckland",
    "NZ-CHAT": "Pacific/Chatham",
    "Cuba": "America/Havana",
    "Jamaica": "America/Jamaica",
    "Navajo": "America/Denver",
    "Kwajalein": "Pacific/Kwajalein",
    "UCT": "UTC",
    "Universal": "UTC",
    "Zulu": "UTC",
    "Etc/UCT": "UTC",
    "Etc/Universal": "UTC",
    "Etc/Zulu": "UTC",
}
_ABBREVIATED = {key.casefold(): key for key in ABBREVIATIONS}
_ALIASED = {key.casefold(): key for key in ALIASES}

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


def canonical_zone(name: str, owner: str, field: str) -> str:
    """Return the canonical IANA name for a zone name, refusing an abbreviation.

    "US/Eastern" is taken as "America/New_York"; "EST", "CET", "PST" and the
    like are refused with the name to use: a fixed offset ignores summer time,
    and an abbreviation may name several places.
    """
    key = name.strip().casefold()
    if key in _ABBREVIATED:
        abbreviation = _ABBREVIATED[key]
        raise ValidationError(
            owner,
            field,
            name,
            f"{show(name)} is an abbreviation, not a place: it ignores summer time or "
            "names several zones",
            f"use the IANA name of the place, e.g. {ABBREVIATIONS[abbreviation]!r}"
            if "(" not in ABBREVIATIONS[abbreviation]
            else f"use the IANA name of the place, e.g. {ABBREVIATIONS[abbreviation]}",
        )
    if key in _ALIASED:
        canonical = ALIASES[_ALIASED[key]]
        try:
            ZoneInfo(canonical)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # an older tzdata
            return _ALIASED[key]
        return canonical
    return name


def named(value: datetime | None, zones: tuple[str | None, ...]) -> datetime | None:
    """Return ``value`` in the first named zone that has its offset at that instant.

    A time given with only an offset (``-04:00``) names an instant but no place;
    when a person's zone has that offset then, it is the zone that was meant,
    and calendars then carry the zone (TZID and VTIMEZONE), not UTC.
    """
    if value is None or (isinstance(value.tzinfo, ZoneInfo) and value.tzinfo.key):
        return value
    for zone in zones:
        if zone is None:
            continue
        try:
            moved = value.astimezone(ZoneInfo(zone))
        except (ZoneInfoNotFoundError, ValueError, OSError, OverflowError):
            continue
        if moved.utcoffset() == value.utcoffset():
            return moved
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
    zone = value.tzinfo
    if isinstance(zone, ZoneInfo) and zone.key:
        canonical = canonical_zone(zone.key, owner, field)
        if canonical != zone.key:
            value = value.astimezone(ZoneInfo(canonical))
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


@functools.cache
def country_zone(country: str) -> ZoneInfo | None:
    """Return the zone of a country that keeps one clock, or ``None`` if it keeps several.

    One clock: every zone CLDR lists for the country has the same offset in
    January and in July (Germany: Europe/Berlin; France: Europe/Paris). Spain
    (the Canary Islands), Mexico or the United States keep several, and
    guessing one would send at the wrong hour.
    """
    from babel.core import get_global  # noqa: PLC0415 - loaded with the locales anyway

    names = [str(n) for n in get_global("territory_zones").get(country.upper(), ())]
    zones = []
    for name in names:
        try:
            zones.append(ZoneInfo(name))
        except (ZoneInfoNotFoundError, ValueError):
            continue
    seasons = [datetime(2026, 1, 15, 12, tzinfo=UTC), datetime(2026, 7, 15, 12, tzinfo=UTC)]
    offsets = {tuple(at.astimezone(zone).utcoffset() for at in seasons) for zone in zones}
    return zones[0] if len(offsets) == 1 else None
