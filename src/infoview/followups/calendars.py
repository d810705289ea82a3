"""Public holidays from a maintained calendar: per country and subdivision, cached per year.

The dates come from the `holidays <https://pypi.org/project/holidays/>`_
package, which follows each country's law, so no list is typed by hand. A
lookup is cached per country, subdivision and year: planning a year of
follow-ups for a thousand people asks the package a few times, not once a day.
:class:`Holidays` is what :mod:`infoview.followups.business_days` skips: the
dates you gave plus the public holidays of every region it names.
"""

from __future__ import annotations

import functools
from collections.abc import Container, Iterable
from datetime import date

import attrs

__all__ = ["Holidays", "Region", "public_holidays"]

#: A country (ISO 3166-1 alpha-2) and, where known, its subdivision (ISO 3166-2, after the dash).
Region = tuple[str, str | None]


@functools.lru_cache(maxsize=512)
def public_holidays(country: str, subdivision: str | None, year: int) -> frozenset[date]:
    """Return the public holidays of ``country`` (and ``subdivision``) in ``year``.

    A country the ``holidays`` package does not cover has none listed (only
    weekends then count); so has a subdivision it does not know, beyond the
    country's own. The result is cached per (country, subdivision, year).

    Args:
        country: An ISO 3166-1 alpha-2 code, e.g. ``"MX"``.
        subdivision: An ISO 3166-2 code after the dash, e.g. ``"BY"``, or ``None``.
        year: The year.
    """
    import holidays  # noqa: PLC0415 - loaded when a plan first asks

    known = holidays.list_supported_countries()
    if country not in known:
        return frozenset()
    subdiv = subdivision if subdivision in known[country] else None
    return frozenset(holidays.country_holidays(country, subdiv=subdiv, years=year))


def _dates(value: Iterable[date]) -> frozenset[date]:
    return frozenset(value)


def _regions(value: Iterable[Region]) -> tuple[Region, ...]:
    return tuple(value)


@attrs.frozen
class Holidays(Container[date]):
    """The days off that business-day counting skips: given dates and regions' public holidays.

    ``day in Holidays(...)`` is what counting asks.

    Args:
        dates: Dates given by hand (your own days off).
        regions: The regions whose public holidays count, e.g.
            ``(("MX", None), ("DE", "BY"))``: the contact's, and yours when
            the policy adds them.
    """

    dates: frozenset[date] = attrs.field(default=frozenset(), converter=_dates)
    regions: tuple[Region, ...] = attrs.field(default=(), converter=_regions)

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, date):
            return False
        if day in self.dates:
            return True
        return any(day in public_holidays(c, s, day.year) for c, s in self.regions)

    def within(self, years: Iterable[int]) -> frozenset[date]:
        """Every day off in ``years``: the dates given and the regions' public holidays."""
        found = set()
        for year in years:
            found |= {d for d in self.dates if d.year == year}
            for country, subdivision in self.regions:
                found |= public_holidays(country, subdivision, year)
        return frozenset(found)
