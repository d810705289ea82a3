"""The to-do view over follow-ups: what is due, and what is overdue, by a time."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

import attrs

from infoview.errors import ValidationError
from infoview.followups.followup import FollowUp, FollowUpKind
from infoview.model import _fields, _times
from infoview.model._show import show

__all__ = ["DueFollowUp", "by_due", "due"]

_KIND_ORDER = {kind: n for n, kind in enumerate(FollowUpKind)}


def by_due(follow_up: FollowUp) -> tuple[datetime, int]:
    """Sort key: the due instant, then the kind in lifecycle order (nudge first)."""
    return (_times.utc(follow_up.due), _KIND_ORDER[follow_up.kind])


@attrs.frozen
class DueFollowUp:
    """One line of the due view: a follow-up and whether it is overdue.

    Args:
        follow_up: The follow-up.
        overdue: Whether it is past its overdue time (or its due time).
    """

    follow_up: FollowUp
    overdue: bool


def due(
    follow_ups: Iterable[FollowUp],
    now: datetime,
    *,
    within: timedelta = timedelta(days=7),
) -> list[DueFollowUp]:
    """List the open follow-ups due by ``now + within``, overdue ones first, then by due time.

    Args:
        follow_ups: Follow-ups, e.g. from :meth:`Policy.plan`.
        now: The current time; timezone-aware.
        within: How far ahead to look (a week by default; ``timedelta(0)``
            shows only what is due now). Elapsed time: a week ahead is 168
            hours, whatever the clocks do meanwhile.

    Returns:
        The follow-ups still pending or snoozed whose due time falls before
        the window ends, each flagged overdue or not.
    """
    now = _times.moment(now, "due", "now", clock=True)
    longest = _times.LONGEST_WAIT
    if not isinstance(within, timedelta) or not timedelta(0) <= within <= longest:
        raise ValidationError(
            "due",
            "within",
            within,
            f"{show(within)} is not a timedelta from 0 to {longest.days} days",
            "pass e.g. timedelta(days=7)",
        )
    follow_ups = _fields.all_of(follow_ups, FollowUp, "due", "follow_ups")
    horizon = _times.utc(now) + within
    lines = [
        DueFollowUp(follow_up=f, overdue=f.is_overdue(now))
        for f in follow_ups
        if f.open and _times.utc(f.due) <= horizon
    ]
    lines.sort(key=lambda line: (not line.overdue, *by_due(line.follow_up)))
    return lines
