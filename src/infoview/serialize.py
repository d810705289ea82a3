"""Turning infoview objects into plain data and JSON, and back.

``infoview.converter`` is a cattrs converter: ``converter.unstructure(obj)``
gives dicts, lists and strings; ``converter.structure(data, Interview)`` gives
the object back, equal to the original. ``converter.dumps`` and
``converter.loads`` do the same through JSON.

Enums are stored by value, durations as ISO 8601 durations (``"PT20M"``) and
datetimes as ISO 8601 with their offset and, where they have one, their IANA
zone name in brackets (RFC 9557): ``"2026-12-03T15:00:00-06:00[America/Chicago]"``.
"""

from __future__ import annotations

import re
from collections.abc import Set
from datetime import datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cattrs.errors import ClassValidationError, IterableValidationError
from cattrs.preconf.json import JsonConverter, configure_converter

from infoview.errors import StructureError, ValidationError

__all__ = ["converter"]

T = TypeVar("T")

_DATETIME = re.compile(r"^(?P<iso>[^\[\]]+)(?:\[(?P<zone>[^\[\]]+)\])?$")
_DURATION = re.compile(
    r"^(?P<sign>-)?P(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)


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
    match = _DATETIME.match(value) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f"{value!r} is not an ISO 8601 datetime")
    try:
        parsed = datetime.fromisoformat(match["iso"])
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO 8601 datetime") from None
    if match["zone"]:
        try:
            zone = ZoneInfo(match["zone"])
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{match['zone']!r} is not an IANA time zone") from None
        if parsed.tzinfo is None:
            return parsed.replace(tzinfo=zone)
        return parsed.astimezone(zone)
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
        return timedelta(minutes=value)
    match = _DURATION.match(value) if isinstance(value, str) else None
    if match is None or value in ("P", "PT", "-P"):
        raise ValueError(f"{value!r} is not an ISO 8601 duration such as 'PT20M'")
    delta = timedelta(
        days=int(match["days"] or 0),
        hours=int(match["hours"] or 0),
        minutes=int(match["minutes"] or 0),
        seconds=float(match["seconds"] or 0),
    )
    return -delta if match["sign"] else delta


def _problems(exc: BaseException, path: str) -> list[tuple[str, str]]:
    """Walk a cattrs error tree into ``(path, message)`` pairs."""
    if isinstance(exc, ClassValidationError | IterableValidationError):
        found: list[tuple[str, str]] = []
        for sub in exc.exceptions:
            step = ""
            for note in getattr(sub, "__notes__", ()):
                if hasattr(note, "name"):
                    step = f".{note.name}"
                elif hasattr(note, "index"):
                    step = f"[{note.index}]"
            found.extend(_problems(sub, path + step))
        return found
    if isinstance(exc, ValidationError):
        message = str(exc).split(": ", 1)[-1]
        return [(f"{path}.{exc.field}", message)]
    if isinstance(exc, KeyError):
        return [(path, "required field missing; add it to the document")]
    return [(path, str(exc) or type(exc).__name__)]


class Converter(JsonConverter):
    """The cattrs converter for infoview objects; errors become :class:`StructureError`."""

    def structure(self, obj: Any, cl: Any) -> Any:
        """Structure ``obj`` into ``cl``.

        Raises:
            StructureError: Naming the path of every bad field, e.g.
                ``interview.contact.timezone: 'Mars/Base' is not an IANA time zone``.
        """
        try:
            return super().structure(obj, cl)
        except (
            ClassValidationError,
            IterableValidationError,
            ValueError,
            TypeError,
            KeyError,
        ) as exc:
            root = getattr(cl, "__name__", "value").lower()
            found = _problems(exc, root)
            raise StructureError(found[0][0], [f"{p}: {m}" for p, m in found]) from exc


def make_converter() -> Converter:
    """Build the converter: JSON-ready, with infoview's datetime and duration formats."""
    conv = Converter(
        detailed_validation=True,
        unstruct_collection_overrides={Set: list},
    )
    configure_converter(conv)
    conv.register_unstructure_hook(datetime, unstructure_datetime)
    conv.register_structure_hook(datetime, structure_datetime)
    conv.register_unstructure_hook(timedelta, unstructure_timedelta)
    conv.register_structure_hook(timedelta, structure_timedelta)
    return conv


converter: Converter = make_converter()
