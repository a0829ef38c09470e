"""The council's figures of an event: meetings per attendee (the meetings a group's attendees took part in, per
attendee), the share of meetings kept, the share that led to a follow-up (an outcome beyond "no follow-up") and
the share that led to a second meeting; overall, by country and by technology area.

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
    participations: int = 0  # the group's attendees' places in its meetings: 2 for a meeting of two of its own

    @property
    def per_attendee(self) -> float:
        """The meetings the group's attendees took part in, per attendee: a meeting between two of them counts for
        both, one with an outsider for its one attendee (overall, each meeting counts twice)."""
        return self.participations / self.attendees if self.attendees else 0.0

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


def _areas(connection: Connection, org_ids: set[str]) -> dict[str, set[str]]:
    """Per organization, the technology areas (top-level nodes of the technology map) of its capabilities."""
    techs, caps = TABLES_BY_NAME["technologies"], TABLES_BY_NAME["capabilities"]
    parent: dict[str, str | None] = {row[0]: row[1] for row in connection.execute(select(techs.c.id, techs.c.parent))}

    def root(tech: str) -> str:
        seen = set()
        above = parent.get(tech)
        while above and tech not in seen:  # the validator refuses cycles; this only guards the loop
            seen.add(tech)
            tech, above = above, parent.get(above)
        return tech

    found: dict[str, set[str]] = defaultdict(set)
    rows = connection.execute(select(caps.c.org_id, caps.c.technology_id).where(caps.c.org_id.in_(sorted(org_ids))))
    for org_id, tech in rows:
        found[org_id].add(root(tech))
    return found


def figures(connection: Connection, event_id: int) -> tuple[Figures, list[Figures], list[Figures]]:
    """The whole event, then by country of the participants' organizations, then by technology area of their
    capabilities (a meeting counts in each country and area either participant belongs to). For organizers,
    who see the whole atlas."""
    orgs = TABLES_BY_NAME["organizations"]
    p = event_participants.c
    people = connection.execute(
        select(p.id, p.org_id, orgs.c.country).outerjoin(orgs, orgs.c.id == p.org_id).where(p.event_id == event_id)
    ).all()
    country = {row.id: row.country or "—" for row in people}
    areas_of_org = _areas(connection, {row.org_id for row in people if row.org_id})
    areas = {row.id: {f"area:{a}" for a in areas_of_org.get(row.org_id or "", set())} for row in people}
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

    def keys_of(pid: int) -> set[str]:
        return {"", country.get(pid, "—")} | areas.get(pid, set())

    groups: dict[str, list[Any]] = defaultdict(list)
    participations: dict[str, int] = defaultdict(int)
    for row in meetings:
        sender, receiver = keys_of(row.sender_id), keys_of(row.receiver_id)
        for key in sender | receiver:
            groups[key].append(row)
            participations[key] += (key in sender) + (key in receiver)
    attendees: dict[str, int] = defaultdict(int)
    for pid, where in country.items():
        for key in {"", where} | areas[pid]:
            attendees[key] += 1

    def count(key: str) -> Figures:
        rows = groups.get(key, [])
        reported = [told[row.id] for row in rows if row.id in told]
        return Figures(
            key.removeprefix("area:"),
            attendees[key],
            len(rows),
            len(reported),
            sum(1 for t in reported if t["kept"]),
            sum(1 for t in reported if t["outcome"] > 0),
            sum(1 for t in reported if t["second"]),
            participations[key],
        )

    overall = count("")
    by_country = [count(key) for key in sorted(k for k in attendees if k and not k.startswith("area:"))]
    by_area = [count(key) for key in sorted(k for k in attendees if k.startswith("area:"))]
    return overall, by_country, by_area
