"""The roadmap as one audience may see it: milestones (hidden ones left out, with every link and announced
date that touches them), tracks, links, the history of announced dates and the reference class."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from fusionatlas.domain.audience import Audience
from fusionatlas.roadmap.dates import deadline, middle, year_of
from fusionatlas.roadmap.graph import Graph, Link, Node, build
from fusionatlas.roadmap.reference import Case
from fusionatlas.store import queries
from fusionatlas.store.schema import TABLES_BY_NAME

DONE = {"achieved"}
DROPPED = {"cancelled"}


def is_done(milestone: dict[str, Any], today: dt.date) -> bool:
    """Achieved; a milestone without a status whose date has passed is taken as done (a past event)."""
    if milestone["status"] in DONE:
        return True
    return milestone["status"] is None and bool(milestone["date"]) and deadline(milestone["date"]) <= year_of(today)


@dataclass
class Roadmap:
    milestones: dict[str, dict[str, Any]]
    tracks: list[dict[str, Any]]
    links: list[Link]
    history: dict[str, list[dict[str, Any]]]  # milestone id -> announced dates, oldest first
    cases: list[Case]
    verified: dict[str, str | None] = field(default_factory=dict)  # milestone id -> latest source access date

    def anchor(self, milestone_id: str, today: dt.date) -> float | None:
        """When the milestone's current date was announced: its newest history row up to today."""
        rows = [r for r in self.history.get(milestone_id, []) if r["announced"] <= today.isoformat()]
        return middle(rows[-1]["announced"]) if rows else None

    def graph(self, today: dt.date) -> Graph:
        """The dependency graph of the dated milestones still in play (cancelled and undated ones left out)."""
        nodes = [
            Node(m["id"], m["date"], is_done(m, today), self.anchor(m["id"], today))
            for m in self.milestones.values()
            if m["date"] and m["status"] not in DROPPED
        ]
        return build(nodes, self.all_links())

    def all_links(self) -> list[Link]:
        """milestones.depends_on (finish-to-start, no lag) and the typed links of milestone_links."""
        plain = [Link(pred, m["id"]) for m in self.milestones.values() for pred in m["depends_on"] or []]
        return plain + self.links


def _latest_access(connection: Connection, milestones: dict[str, dict[str, Any]]) -> dict[str, str | None]:
    sources = TABLES_BY_NAME["sources"]
    accessed = dict(connection.execute(select(sources.c.id, sources.c.accessed)).all())
    return {
        mid: max((accessed[s] for s in m["source_ids"] or [] if accessed.get(s)), default=None)
        for mid, m in milestones.items()
    }


def read_roadmap(connection: Connection, audience: Audience) -> Roadmap:
    milestones = {m["id"]: m for m in queries.records(connection, "milestones", audience)}
    tracks = []
    for track in queries.records(connection, "roadmap_tracks", audience):
        visible = [mid for mid in track["milestone_ids"] or [] if mid in milestones]
        if visible:
            tracks.append({**track, "milestone_ids": visible})
    links = [
        Link(r["from_id"], r["to_id"], r["lag_months"] or 0)
        for r in queries.records(connection, "milestone_links", audience)
        if r["from_id"] in milestones and r["to_id"] in milestones
    ]
    history: dict[str, list[dict[str, Any]]] = {}
    for row in queries.records(connection, "milestone_dates", audience):
        if row["milestone_id"] in milestones:
            history.setdefault(row["milestone_id"], []).append(row)
    for rows in history.values():
        rows.sort(key=lambda r: r["announced"])
    cases = [
        Case(
            r["id"],
            r["name_en"],
            r["name_ja"],
            r["kind"],
            r["scale"],
            r["decision"],
            r["planned"],
            r["actual"],
            tuple(r["source_ids"] or []),
            bool(r["unconfirmed"]),
        )
        for r in queries.records(connection, "schedule_references", audience)
    ]
    return Roadmap(milestones, tracks, links, history, cases, _latest_access(connection, milestones))
