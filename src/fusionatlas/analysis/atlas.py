"""The slice of the atlas that analysis needs, read from the store into arrays: no text, no index.

Gap analysis over 500,000 capabilities must take seconds, so it reads only ids, countries, readiness
and capacity, and groups capabilities by technology once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import ColumnElement, Connection, Table, or_, select

from fusionatlas.store import queries
from fusionatlas.store.schema import TABLES_BY_NAME


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


def _visible(table: Table, owner: str, level: int | None, org_id: str | None) -> ColumnElement[bool] | None:
    """What a viewer of `level` may see of a table (plus its own organization's private rows); None: all."""
    if level is None or level not in queries.LEVEL_VISIBILITIES:
        return None
    condition = table.c.visibility.in_(queries.LEVEL_VISIBILITIES[level])
    return or_(condition, table.c[owner] == org_id) if org_id else condition


def read_atlas(
    connection: Connection, public_only: bool = False, level: int | None = None, org_id: str | None = None
) -> AnalysisAtlas:
    """Read the store; `public_only` leaves out members-only and private records (the web's public view).

    `level` (0 public, 1 members, 2 all) and `org_id` read what one web viewer may see instead.
    """
    if public_only:
        level, org_id = 0, None
    tables = TABLES_BY_NAME
    technologies, children = queries.technology_tree(connection)
    orgs = tables["organizations"]
    org_query = select(orgs.c.id, orgs.c.country, orgs.c.name_en, orgs.c.name_ja).order_by(orgs.c.id)
    if (visible := _visible(orgs, "id", level, org_id)) is not None:
        org_query = org_query.where(visible)
    org_rows = connection.execute(org_query).all()
    position = {row.id: i for i, row in enumerate(org_rows)}
    caps = tables["capabilities"]
    cap_query = select(caps.c.org_id, caps.c.technology_id, caps.c.trl, caps.c.capacity_value)
    if (visible := _visible(caps, "org_id", level, org_id)) is not None:
        cap_query = cap_query.where(visible)
    cap_rows = [row for row in connection.execute(cap_query) if row.org_id in position]
    needs = tables["needs"]
    need_query = select(needs)
    if (visible := _visible(needs, "buyer_org_id", level, org_id)) is not None:
        need_query = need_query.where(visible)
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
        needs=[dict(row) for row in connection.execute(need_query).mappings()],
    )
