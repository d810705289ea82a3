"""Where an interview or a referral stands, and the record of each move."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import attrs

from infoview.errors import ValidationError
from infoview.model import _times
from infoview.model._show import show

__all__ = ["ReferralStatus", "Status", "StatusChange"]


class Status(enum.StrEnum):
    """Where an interview stands.

    identified → requested → scheduled → completed, or declined / no_response /
    cancelled along the way.
    """

    IDENTIFIED = "identified"
    REQUESTED = "requested"
    SCHEDULED = "scheduled"
    COMPLETED = "completed"
    DECLINED = "declined"
    NO_RESPONSE = "no_response"
    CANCELLED = "cancelled"


class ReferralStatus(enum.StrEnum):
    """How far a referral has come: suggested → introduced → contacted → interviewed → closed."""

    SUGGESTED = "suggested"
    INTRODUCED = "introduced"
    CONTACTED = "contacted"
    INTERVIEWED = "interviewed"
    CLOSED = "closed"


_STATUS_VALUES = tuple(
    dict.fromkeys([*(s.value for s in Status), *(s.value for s in ReferralStatus)])
)


def _status_value(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, str) and value in _STATUS_VALUES:
        return
    raise ValidationError(
        "StatusChange",
        "status",
        value,
        f"{show(value)} is not an interview or referral status",
        "use one of: " + ", ".join(_STATUS_VALUES),
    )


@attrs.frozen
class StatusChange:
    """One recorded move of an interview or referral: to which status, and when."""

    status: str = attrs.field(validator=_status_value)
    at: datetime = attrs.field(converter=_times.instant, validator=_times.aware)
