"""The slice of the atlas that analysis needs, read from the store into arrays: no text, no index.

Gap analysis over 500,000 capabilities must take seconds, so it reads only ids, countries, readiness
and capacity, and groups capabilities by technology once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import Connection, select

from fusionatlas.domain.audience import Audience
from fusionatlas.domain.values import need_status
from fusionatlas.store import queries
from fusionatlas.store.schema import TABLES_BY_NAME
from fusionatlas.store.visibility import where_visible


@dataclass
class AnalysisAtlas:
    technologies: dict[str, dict[str, Any]]
    children: dict[str, list[str]]
    org_ids: list[str]
    org_names: list[tuple[str, str | None]]  # (English, Japanese) per organization
    org_country: np.ndarray  # country code per organization (object array of str)
    cap_org: np.ndarray  # organization index per capability
    cap_tech: list[str]
    cap_trl: np.ndarray  # 0 where unknown
    cap_capacity: np.ndarray  # nan where unknown
    needs: list[dict[str, Any]]
    # Readiness assessments (analysis/gaps.py picks one per node) and countries' paths, as stored rows.
    assessments: list[dict[str, Any]] = field(default_factory=list)
    paths: list[dict[str, Any]] = field(default_factory=list)
    tech_caps: dict[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        grouped: dict[str, list[int]] = {}
        for position, tech_id in enumerate(self.cap_tech):
            grouped.setdefault(tech_id, []).append(position)
        self.tech_caps = {tech: np.asarray(p, dtype=np.int64) for tech, p in grouped.items()}

    def subtree(self, tech_id: str) -> list[str]:
        """The node and all its descendants."""
        nodes, stack = [], [tech_id]
        while stack:
            node = stack.pop()
            nodes.append(node)
            stack.extend(self.children.get(node, []))
        return nodes

    def caps_under(self, tech_id: str) -> np.ndarray:
        """Capabilities on the node or any node below it (the roll-up)."""
        parts = [self.tech_caps[t] for t in self.subtree(tech_id) if t in self.tech_caps]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def read_atlas(connection: Connection, audience: Audience) -> AnalysisAtlas:
    """Read from the store what the audience may see (the CLI's operator sees everything)."""
    tables = TABLES_BY_NAME
    technologies, children = queries.technology_tree(connection)
    orgs = tables["organizations"]
    org_query = select(orgs.c.id, orgs.c.country, orgs.c.name_en, orgs.c.name_ja).order_by(orgs.c.id)
    org_rows = connection.execute(where_visible(org_query, audience, "organizations")).all()
    position = {row.id: i for i, row in enumerate(org_rows)}
    caps = tables["capabilities"]
    cap_query = select(caps.c.org_id, caps.c.technology_id, caps.c.trl, caps.c.capacity_value)
    cap_rows = connection.execute(where_visible(cap_query, audience, "capabilities")).all()
    need_query = where_visible(select(tables["needs"]), audience, "needs")
    readiness_query = where_visible(select(tables["readiness"]), audience, "readiness")
    return AnalysisAtlas(
        technologies=technologies,
        children=children,
        org_ids=[row.id for row in org_rows],
        org_names=[(row.name_en, row.name_ja) for row in org_rows],
        org_country=np.asarray([row.country for row in org_rows], dtype=object),
        cap_org=np.fromiter((position[r.org_id] for r in cap_rows), dtype=np.int64, count=len(cap_rows)),
        cap_tech=[r.technology_id for r in cap_rows],
        cap_trl=np.fromiter((r.trl or 0 for r in cap_rows), dtype=np.int64, count=len(cap_rows)),
        cap_capacity=np.fromiter(
            (np.nan if r.capacity_value is None else r.capacity_value for r in cap_rows),
            dtype=float,
            count=len(cap_rows),
        ),
        needs=[_as_of_today(dict(row)) for row in connection.execute(need_query).mappings()],
        assessments=[dict(row) for row in connection.execute(readiness_query).mappings()],
        paths=[dict(row) for row in connection.execute(select(tables["country_paths"])).mappings()],
    )


def _as_of_today(need: dict[str, Any]) -> dict[str, Any]:
    """The need with its status as of today: an open need past its deadline is closed."""
    return {**need, "status": need_status(need["status"], need["deadline"], date.today().isoformat())}
