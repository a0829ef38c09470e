"""What pages show about currency: the data's as-of date in every footer, a record's last verification, and
milestones still planned after their date. Template globals, registered in render.py."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from fastapi import Request

from fusionatlas.analysis.freshness import data_as_of, last_verified
from fusionatlas.domain.values import latest_day
from fusionatlas.web.cache import StateCache

_AS_OF = StateCache(max_entries=8)


def page_as_of(request: Request) -> str | None:
    """The data's as-of date for the footer, computed once per data version."""
    engine = getattr(request.app.state, "engine", None)
    if engine is None:
        return None
    with engine.connect() as connection:
        return _AS_OF.get(connection, "as_of", data_as_of)


def verified_on(record: Mapping[str, Any], sources: Mapping[str, Any] | Iterable[Mapping[str, Any]]) -> str | None:
    """A record's last verification from the sources its page already read (a dict by id, or a list)."""
    rows = sources.values() if isinstance(sources, Mapping) else sources
    accessed = {row["id"]: row["accessed"] for row in rows if row.get("id") and row.get("accessed")}
    return last_verified(record.get("last_verified"), record.get("source_ids"), accessed)


def is_overdue(milestone: Mapping[str, Any], today: str | None = None) -> bool:
    """Still planned after the whole of its date (analysis/check.py's `overdue`)."""
    when = milestone.get("date")
    today = today or date.today().isoformat()
    return milestone.get("status") == "planned" and bool(when) and latest_day(str(when)) < today
