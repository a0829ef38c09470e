"""Needs as their pages show them: the list (filtered, open first) and one need with its buyer, awardees,
technologies and sources.

Everything is read through the audience (domain/audience.py): a members-only or private need, or a need of
a buyer the audience may not see, is never read; an awardee the audience may not see is left out of the
need's awardees. A need's `status` here is its status as of `today` (domain/values.need_status: an open
need past its deadline is closed); the status the data records stays in `recorded_status`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from fusionatlas.analysis.industry import read_sources
from fusionatlas.domain.audience import Audience
from fusionatlas.domain.values import (
    NeedStatus,
    check_iso_date,
    earliest_day,
    latest_day,
    need_status,
    parse_country,
)
from fusionatlas.store import queries
from fusionatlas.store.schema import TABLES_BY_NAME
from fusionatlas.store.visibility import where_visible

STATUSES = tuple(status.value for status in NeedStatus)  # open, closed, awarded, cancelled


class NeedFilterError(ValueError):
    """A filter value the list cannot use (an unknown status or technology, a malformed date)."""


@dataclass(frozen=True)
class NeedFilters:
    """What the list keeps: each filter set narrows it; None leaves it open.

    - status: the status as of today (one of STATUSES);
    - technology: a node of the technology map; a need on the node or anywhere below it is kept;
    - country: the buyer's country (ISO code);
    - deadline_after / deadline_before: ISO dates (YYYY, YYYY-MM or YYYY-MM-DD), both inclusive. A need
      whose deadline is a year or a month is kept only when the whole period is on the right side (a
      deadline of 2025 is on or before 2025-12-31, not on or before 2025-06-30). A need without a deadline
      is left out when either is set.
    """

    status: str | None = None
    technology: str | None = None
    country: str | None = None
    deadline_after: str | None = None
    deadline_before: str | None = None


@dataclass
class NeedDetail:
    """One need as its page shows it."""

    need: dict[str, Any]  # as read_needs gives it
    technologies: list[dict[str, Any]]  # its technology nodes (id, name_en, name_ja), in the need's order
    awardees: list[dict[str, Any]]  # the visible awardees (id, name_en, name_ja, country)
    sources: dict[str, dict[str, Any]]  # the sources it cites, by id


def _organizations(connection: Connection, audience: Audience) -> dict[str, dict[str, Any]]:
    """The organizations the audience may see (id, names, country), by id."""
    orgs = TABLES_BY_NAME["organizations"]
    query = where_visible(select(orgs.c.id, orgs.c.name_en, orgs.c.name_ja, orgs.c.country), audience, "organizations")
    return {row["id"]: dict(row) for row in connection.execute(query).mappings()}


def _as_shown(row: dict[str, Any], organizations: dict[str, dict[str, Any]], today: str) -> dict[str, Any]:
    need = dict(row)
    need["recorded_status"] = need["status"]
    need["status"] = need_status(need["status"], need["deadline"], today)
    need["buyer"] = organizations.get(need["buyer_org_id"]) if need["buyer_org_id"] else None
    need["awardee_org_ids"] = [o for o in need["awardee_org_ids"] or [] if o in organizations]
    need["technology_ids"] = list(need["technology_ids"] or [])
    return need


def read_needs(connection: Connection, audience: Audience, today: str) -> list[dict[str, Any]]:
    """The needs the audience may see, in the list's order (`order_needs`), each with its status as of `today`
    (ISO date), `recorded_status`, `buyer` (id, names, country; None when it has none) and only the
    awardees the audience may see."""
    needs = TABLES_BY_NAME["needs"]
    organizations = _organizations(connection, audience)
    query = where_visible(select(needs).order_by(needs.c.id), audience, "needs")
    return order_needs(_as_shown(dict(row), organizations, today) for row in connection.execute(query).mappings())


def order_needs(needs: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Open needs first, the nearest deadline first; then the others, the latest deadline first (recent
    calls and awards before old ones). A deadline of a year or a month counts as its last day; needs
    without a deadline come last in each group; ties go by id."""
    rows = list(needs)
    opened = [n for n in rows if n["status"] == NeedStatus.OPEN]
    others = [n for n in rows if n["status"] != NeedStatus.OPEN]
    opened.sort(key=lambda n: (not n["deadline"], latest_day(n["deadline"]) if n["deadline"] else "", n["id"]))
    others.sort(key=lambda n: n["id"])
    others.sort(key=lambda n: latest_day(n["deadline"]) if n["deadline"] else "", reverse=True)  # stable
    others.sort(key=lambda n: not n["deadline"])
    return opened + others


def check_filters(filters: NeedFilters, technologies: dict[str, dict[str, Any]]) -> NeedFilters:
    """The filters with blanks as None and codes in their usual case, or NeedFilterError naming the field."""

    def blank(value: str | None) -> str | None:
        return value.strip() if value and value.strip() else None

    status, technology = blank(filters.status), blank(filters.technology)
    try:
        country = parse_country(blank(filters.country))
    except ValueError as error:
        raise NeedFilterError(f"country: {error}") from None
    if status is not None and status not in STATUSES:
        raise NeedFilterError(f"status: unknown status {status!r} (one of: {', '.join(STATUSES)})")
    if technology is not None and technology not in technologies:
        raise NeedFilterError(f"technology: unknown technology {technology!r} (an id of the technology map)")
    dates = {}
    for name in ("deadline_after", "deadline_before"):
        value = blank(getattr(filters, name))
        if value is not None:
            try:
                check_iso_date(value)
            except ValueError as error:
                raise NeedFilterError(f"{name}: {error}") from None
        dates[name] = value
    return NeedFilters(status, technology, country, **dates)


def subtree(technologies: dict[str, dict[str, Any]], root: str) -> set[str]:
    """The node and every node below it (a cycle in the parents cannot loop)."""
    children: dict[str, list[str]] = {}
    for tech in technologies.values():
        if tech.get("parent"):
            children.setdefault(tech["parent"], []).append(tech["id"])
    found, stack = set(), [root]
    while stack:
        node = stack.pop()
        if node not in found:
            found.add(node)
            stack.extend(children.get(node, []))
    return found


def filter_needs(
    needs: list[dict[str, Any]], filters: NeedFilters, technologies: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    """The needs the (checked) filters keep, in the order given."""
    nodes = subtree(technologies, filters.technology) if filters.technology else None
    after = earliest_day(filters.deadline_after) if filters.deadline_after else None
    before = latest_day(filters.deadline_before) if filters.deadline_before else None
    found = []
    for need in needs:
        if filters.status and need["status"] != filters.status:
            continue
        if nodes is not None and not nodes.intersection(need["technology_ids"]):
            continue
        if filters.country and (need["buyer"] or {}).get("country") != filters.country:
            continue
        if after or before:
            deadline = need["deadline"]
            if not deadline or (after and earliest_day(deadline) < after) or (before and latest_day(deadline) > before):
                continue
        found.append(need)
    return found


def status_counts(needs: Iterable[dict[str, Any]]) -> dict[str, int]:
    """How many of these needs have each status (as of today), every status present (0 when none)."""
    counts = dict.fromkeys(STATUSES, 0)
    for need in needs:
        counts[need["status"]] = counts.get(need["status"], 0) + 1
    return counts


def needs_per_node(needs: Iterable[dict[str, Any]], technologies: dict[str, dict[str, Any]]) -> dict[str, int]:
    """How many of these needs are on each node or below it (a need on two nodes under one parent counts once
    for the parent); nodes without any are left out."""
    ancestors: dict[str, list[str]] = {}
    for tech_id in technologies:
        chain: list[str] = []
        node: str | None = tech_id
        while node is not None and node in technologies and node not in chain:
            chain.append(node)
            node = technologies[node].get("parent")
        ancestors[tech_id] = chain
    counts: dict[str, int] = {}
    for need in needs:
        nodes = {a for tech_id in need["technology_ids"] for a in ancestors.get(tech_id, [])}
        for node in nodes:
            counts[node] = counts.get(node, 0) + 1
    return counts


def read_need(connection: Connection, need_id: str, audience: Audience, today: str) -> NeedDetail | None:
    """One need with its technologies, visible awardees and sources; None when it does not exist or the
    audience may not see it (the two are told apart nowhere)."""
    needs = TABLES_BY_NAME["needs"]
    query = where_visible(select(needs).where(needs.c.id == need_id), audience, "needs")
    row = connection.execute(query).mappings().first()
    if row is None:
        return None
    organizations = _organizations(connection, audience)
    need = _as_shown(dict(row), organizations, today)
    technologies, _children = queries.technology_tree(connection)
    nodes = [
        {key: technologies[t][key] for key in ("id", "name_en", "name_ja")}
        for t in need["technology_ids"]
        if t in technologies
    ]
    awardees = [organizations[o] for o in need["awardee_org_ids"]]
    return NeedDetail(need, nodes, awardees, read_sources(connection, set(need["source_ids"] or [])))
