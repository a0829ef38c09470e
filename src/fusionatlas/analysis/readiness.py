"""Readiness assessments of technologies as people read them: every assessment of a node, newest first,
and the one the gap analysis uses (analysis/gaps.py `chosen_assessment`, the documented rule)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from fusionatlas.analysis.gaps import chosen_assessment, plant_targets
from fusionatlas.domain.audience import Audience
from fusionatlas.store.schema import TABLES_BY_NAME
from fusionatlas.store.visibility import where_visible

# The `readiness --json` shape (docs/cli.md); pages show the other columns too.
JSON_FIELDS = (
    "id",
    "technology_id",
    "scale",
    "value",
    "context",
    "assessor_org_id",
    "method",
    "date",
    "self_assessed",
    "source_ids",
)


class ReadinessError(KeyError):
    """An unknown technology (a KeyError, which the CLI reports with exit code 2); args[0] says which."""


def assessments(connection: Connection, audience: Audience, technology_id: str | None = None) -> list[dict[str, Any]]:
    """The assessments the audience may see (of one node, or all), newest first, ties by id."""
    table = TABLES_BY_NAME["readiness"]
    query = select(table)
    if technology_id is not None:
        techs = TABLES_BY_NAME["technologies"]
        if connection.execute(select(techs.c.id).where(techs.c.id == technology_id)).first() is None:
            raise ReadinessError(f"unknown technology id {technology_id!r}")
        query = query.where(table.c.technology_id == technology_id)
    rows = [dict(row) for row in connection.execute(where_visible(query, audience, "readiness")).mappings()]
    rows.sort(key=lambda r: r["id"])
    rows.sort(key=lambda r: str(r["date"] or ""), reverse=True)
    return rows


def as_json(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {"assessments": [{name: row.get(name) for name in JSON_FIELDS} for row in rows]}


def node_view(rows: list[dict[str, Any]], technology: dict[str, Any]) -> dict[str, Any]:
    """What a technology page shows: every assessment, the one used, and the plant-class targets."""
    return {"assessments": rows, "used": chosen_assessment(rows), "targets": plant_targets(technology)}
