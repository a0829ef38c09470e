"""The council's figures of an event: meetings per attendee, the share of meetings kept, the share that led to a
follow-up (an outcome beyond "no follow-up") and the share that led to a second meeting; overall and by country.

A meeting counts as kept when a participant recorded it as kept (either one suffices: the other may not have
answered); its outcome is the furthest either recorded (none < nda < quotation < proposal < contract).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from fusionatlas.events.core import OUTCOMES
from fusionatlas.store.events import event_meetings, event_outcomes, event_participants, event_requests
from fusionatlas.store.schema import TABLES_BY_NAME


@dataclass
class Figures:
    label: str
    attendees: int
    meetings: int
    reported: int  # meetings with at least one participant's outcome
    kept: int
    follow_up: int
    second_meeting: int

    @property
    def per_attendee(self) -> float:
        return 2 * self.meetings / self.attendees if self.attendees else 0.0

    def share(self, count: int) -> float:
        """Of the meetings whose outcome was reported."""
        return count / self.reported if self.reported else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "attendees": self.attendees,
            "meetings": self.meetings,
            "meetings_per_attendee": round(self.per_attendee, 3),
            "reported": self.reported,
            "kept_share": round(self.share(self.kept), 3),
            "follow_up_share": round(self.share(self.follow_up), 3),
            "second_meeting_share": round(self.share(self.second_meeting), 3),
        }


def figures(connection: Connection, event_id: int) -> tuple[Figures, list[Figures]]:
    """The whole event, then by country (of the participants' organizations; a meeting between two countries
    counts in both)."""
    orgs = TABLES_BY_NAME["organizations"]
    p = event_participants.c
    people = connection.execute(
        select(p.id, orgs.c.country).outerjoin(orgs, orgs.c.id == p.org_id).where(p.event_id == event_id)
    ).all()
    country = {row.id: row.country or "—" for row in people}
    r, m = event_requests.c, event_meetings.c
    meetings = connection.execute(
        select(m.id, r.sender_id, r.receiver_id)
        .join(event_requests, r.id == m.request_id)
        .where(m.event_id == event_id)
    ).all()
    outcome_rows = connection.execute(
        select(event_outcomes).where(event_outcomes.c.meeting_id.in_([row.id for row in meetings]))
    ).all()
    rank = {o: n for n, o in enumerate(OUTCOMES)}
    told: dict[int, dict[str, Any]] = {}
    for row in outcome_rows:
        entry = told.setdefault(row.meeting_id, {"kept": False, "outcome": 0, "second": False})
        entry["kept"] |= row.kept
        entry["outcome"] = max(entry["outcome"], rank.get(row.outcome, 0))
        entry["second"] |= row.second_meeting
    groups: dict[str, list[Any]] = defaultdict(list)
    for row in meetings:
        for key in {"", country.get(row.sender_id, "—"), country.get(row.receiver_id, "—")}:
            groups[key].append(row)
    attendees: dict[str, int] = defaultdict(int)
    for where in country.values():
        attendees[""] += 1
        attendees[where] += 1

    def count(label: str, rows: list[Any]) -> Figures:
        reported = [told[row.id] for row in rows if row.id in told]
        return Figures(
            label,
            attendees[label],
            len(rows),
            len(reported),
            sum(1 for t in reported if t["kept"]),
            sum(1 for t in reported if t["outcome"] > 0),
            sum(1 for t in reported if t["second"]),
        )

    overall = count("", groups.get("", []))
    by_country = [count(label, groups.get(label, [])) for label in sorted(k for k in attendees if k)]
    return overall, by_country
