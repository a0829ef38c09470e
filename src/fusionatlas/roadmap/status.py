"""Today against the announced dates: overdue milestones and announced dates that changed.

`schedule_findings` is what `fusionatlas check` reports; the pages and the JSON flag the same milestones.
"""

from __future__ import annotations

import datetime as dt
from itertools import pairwise
from typing import Any

from sqlalchemy import Connection

from fusionatlas.domain.audience import Audience
from fusionatlas.roadmap.dates import deadline, year_of
from fusionatlas.roadmap.read import DROPPED, Roadmap, is_done, read_roadmap

PENDING = {"planned", "delayed"}


def is_overdue(milestone: dict[str, Any], today: dt.date) -> bool:
    """Still planned (or delayed) and its announced date, to the end of the period it names, has passed."""
    if milestone["status"] not in PENDING or not milestone["date"]:
        return False
    return year_of(today) >= deadline(milestone["date"])


def status_of(milestone: dict[str, Any], today: dt.date) -> str:
    """achieved, cancelled, overdue, delayed, planned or undated."""
    if is_done(milestone, today):
        return "achieved"
    if milestone["status"] in DROPPED:
        return str(milestone["status"])
    if not milestone["date"]:
        return "undated"
    if is_overdue(milestone, today):
        return "overdue"
    return str(milestone["status"] or "planned")


def date_changes(roadmap: Roadmap, milestone_id: str) -> list[tuple[str, str, str]]:
    """(previous date, new date, announced) for each re-baseline of a milestone, oldest first; a current
    date in milestones.csv that differs from the newest announced one counts as a change too."""
    rows = roadmap.history.get(milestone_id, [])
    changes = []
    for before, after in pairwise(rows):
        if _moved(before["date"], after["date"]):
            changes.append((before["date"], after["date"], after["announced"]))
    current = roadmap.milestones[milestone_id]["date"]
    if rows and _moved(rows[-1]["date"], current):
        changes.append((rows[-1]["date"], current, "milestones.csv"))
    return changes


def _moved(before: str | None, after: str | None) -> bool:
    """Two dates that name different periods; 2025 and 2025-12 are the same date at two precisions."""
    if not before or not after:
        return False
    return not (before.startswith(after) or after.startswith(before))


def findings(roadmap: Roadmap, today: dt.date) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for mid, milestone in sorted(roadmap.milestones.items()):
        if is_overdue(milestone, today):
            checked = roadmap.verified.get(mid) or "never"
            found.append(
                {
                    "kind": "overdue",
                    "table": "milestones",
                    "id": mid,
                    "message_en": (
                        f"{milestone['title_en']}: announced for {milestone['date']}, not recorded as achieved "
                        f"by {today.isoformat()} (sources last checked {checked})"
                    ),
                    "message_ja": (
                        f"{milestone['title_ja'] or milestone['title_en']}：{milestone['date']} 予定のまま "
                        f"{today.isoformat()} 時点で達成の記録なし（出典の最終確認 {checked}）"
                    ),
                }
            )
        for before, after, announced in date_changes(roadmap, mid):
            found.append(
                {
                    "kind": "date_changed",
                    "table": "milestones",
                    "id": mid,
                    "message_en": f"{milestone['title_en']}: date moved from {before} to {after} ({announced})",
                    "message_ja": (
                        f"{milestone['title_ja'] or milestone['title_en']}：予定日が {before} から {after} に変更"
                        f"（{announced}）"
                    ),
                }
            )
    return found


def schedule_findings(conn: Connection, audience: Audience, today: dt.date) -> list[dict[str, Any]]:
    """Overdue milestones and changed announced dates the audience may see, for `fusionatlas check`."""
    return findings(read_roadmap(conn, audience), today)
