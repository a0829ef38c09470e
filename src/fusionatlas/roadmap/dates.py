"""Partial ISO dates (2034, 2034-06, 2034-06-19) as decimal years, the unit every schedule computation uses."""

from __future__ import annotations

import datetime as dt


def year_of(day: dt.date) -> float:
    """A calendar day as a decimal year (2024-07-02 -> about 2024.50)."""
    start = dt.date(day.year, 1, 1)
    length = (dt.date(day.year + 1, 1, 1) - start).days
    return day.year + (day - start).days / length


def _next_month(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1)


def middle(date: str) -> float:
    """The middle of the period a partial date names (2034 -> 2034.5, 2034-06 -> mid-June)."""
    if len(date) == 4:
        return int(date) + 0.5
    if len(date) == 7:
        year, month = int(date[:4]), int(date[5:7])
        return (year_of(dt.date(year, month, 1)) + year_of(_next_month(year, month))) / 2
    return year_of(dt.date.fromisoformat(date[:10]))


def deadline(date: str) -> float:
    """The end of the period a partial date names: a milestone announced for 2034 is on time until 2034 ends."""
    if len(date) == 4:
        return int(date) + 1.0
    year, month = int(date[:4]), int(date[5:7])
    if len(date) == 7:
        return year_of(_next_month(year, month))
    return year_of(dt.date.fromisoformat(date[:10]) + dt.timedelta(days=1))


def to_iso(year: float) -> str:
    """A decimal year as an ISO day (the inverse of `year_of`, to the day)."""
    whole = int(year // 1)
    start = dt.date(whole, 1, 1)
    length = (dt.date(whole + 1, 1, 1) - start).days
    return (start + dt.timedelta(days=round((year - whole) * length))).isoformat()
