"""How infoview writes values JSON has no type for, and reads them back.

Datetimes are ISO 8601 with their offset and, where they have one, their
IANA zone name in brackets (RFC 9557): ``"2026-12-03T15:00:00-06:00[America/Chicago]"``;
durations are ISO 8601 durations (``"PT20M"``; a number is read as minutes),
dates ISO 8601 dates and bytes base85 text. The readers raise
:class:`~infoview.model._json.BadValueError` with a message for the user.
"""

from __future__ import annotations

import re
from base64 import b85decode
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from infoview.model._json import BadValueError, describe, show

__all__ = [
    "structure_bytes",
    "structure_date",
    "structure_datetime",
    "structure_timedelta",
    "unstructure_datetime",
    "unstructure_timedelta",
]

_DATETIME = re.compile(r"^(?P<iso>[^\[\]]+)(?:\[(?P<zone>[^\[\]]+)\])?$")
_DURATION = re.compile(
    r"^(?P<sign>-)?P(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)
_ZONE_NAME = re.compile(r"^[A-Za-z0-9_+\-]{1,32}(?:/[A-Za-z0-9_+\-]{1,32}){0,3}$")


def _out_of_range(what: str, value: Any) -> BadValueError:
    return BadValueError(f"{describe(value)} is out of range for {what}")


def unstructure_datetime(value: datetime) -> str:
    """Write a datetime as ISO 8601 with offset, plus ``[Zone/Name]`` for IANA zones."""
    text = value.isoformat()
    if isinstance(value.tzinfo, ZoneInfo) and value.tzinfo.key:
        text += f"[{value.tzinfo.key}]"
    return text


def structure_datetime(value: Any, _: type) -> datetime:
    """Read what :func:`unstructure_datetime` wrote (a datetime passes through)."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise BadValueError(
            "expected an ISO 8601 datetime as text, such as "
            f"'2026-12-03T15:00:00-06:00[America/Chicago]', got {describe(value)}"
        )
    match = _DATETIME.match(value)
    try:
        parsed = datetime.fromisoformat(match["iso"]) if match else None
    except ValueError:
        parsed = None
    if match is None or parsed is None:
        raise BadValueError(f"{show(value)} is not an ISO 8601 datetime")
    return _in_zone(parsed, match["zone"], value)


def _in_zone(parsed: datetime, zone_name: str | None, value: str) -> datetime:
    """Put ``parsed`` in the named IANA zone, refusing unknown zones and lost instants."""
    if zone_name:
        try:
            zone = ZoneInfo(zone_name) if _ZONE_NAME.match(zone_name) else None
        except (ZoneInfoNotFoundError, ValueError, OSError):
            zone = None
        if zone is None:
            raise BadValueError(f"{show(zone_name)} is not an IANA time zone")
    try:
        if zone_name:
            parsed = (
                parsed.replace(tzinfo=zone) if parsed.tzinfo is None else parsed.astimezone(zone)
            )
        if parsed.tzinfo is not None:
            parsed.astimezone(UTC)  # the instant must exist, here and for the model
    except OverflowError:
        raise _out_of_range("a datetime", value) from None
    return parsed


def unstructure_timedelta(value: timedelta) -> str:
    """Write a duration as ISO 8601, e.g. ``PT20M`` or ``P7D``."""
    sign = "-" if value < timedelta(0) else ""
    value = abs(value)
    days, rest = value.days, value.seconds
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    seconds_text = (
        f"{seconds + value.microseconds / 1_000_000:g}" if value.microseconds else str(seconds)
    )
    time = "".join(
        f"{n}{unit}"
        for n, unit in ((hours, "H"), (minutes, "M"), (seconds_text, "S"))
        if n not in (0, "0")
    )
    text = f"{sign}P" + (f"{days}D" if days else "") + (f"T{time}" if time else "")
    return text if text not in ("P", "-P") else "PT0S"


def structure_timedelta(value: Any, _: type) -> timedelta:
    """Read an ISO 8601 duration (a number is taken as minutes)."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        parts: dict[str, float] = {"minutes": value}
        sign = ""
    else:
        match = _DURATION.match(value) if isinstance(value, str) else None
        if match is None or value in ("P", "PT", "-P", "-PT"):
            raise BadValueError(
                "expected an ISO 8601 duration such as 'PT20M' (or a number of minutes), "
                f"got {describe(value)}"
            )
        sign = match["sign"]
        parts = {unit: float(match[unit] or 0) for unit in ("days", "hours", "minutes", "seconds")}
    try:
        delta = timedelta(**parts)
    except (OverflowError, ValueError):  # beyond timedelta, inf or nan
        raise _out_of_range("a duration", value) from None
    return -delta if sign else delta


def structure_date(value: Any, _: type) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise BadValueError(f"expected an ISO 8601 date such as '2026-12-25', got {describe(value)}")


def structure_bytes(value: Any, _: type) -> bytes:
    """Read bytes as the JSON converter writes them: base85 text (bytes pass through)."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        try:
            return b85decode(value)
        except ValueError:
            pass
    raise BadValueError(f"expected bytes as base85 text, got {describe(value)}")
