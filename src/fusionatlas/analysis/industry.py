"""The industry map: which organizations work in which area of the technology map, in which country.

An area is a top-level node of the technology map; an organization is in an area when it has a
capability on that node or anywhere below it. Everything here reads only what the audience
(domain/audience.py) may see, so that a members-only organization or capability never counts for an
anonymous visitor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, or_, select

from fusionatlas.domain.audience import Audience
from fusionatlas.store import queries
from fusionatlas.store.schema import TABLES_BY_NAME
from fusionatlas.store.visibility import where_visible
from fusionatlas.text import normalize, normalize_name

ORG_COLUMNS = (
    "id",
    "name_en",
    "name_ja",
    "name_kana",
    "kind",
    "country",
    "city",
    "website",
    "founded",
    "memberships",
    "visibility",
)


@dataclass
class Industry:
    """The visible organizations, each with the areas its visible capabilities fall in."""

    technologies: dict[str, dict[str, Any]]
    areas: list[str]  # top-level nodes of the technology map, by id
    organizations: list[dict[str, Any]]  # sorted by id
    org_areas: dict[str, set[str]] = field(default_factory=dict)


@dataclass
class Matrix:
    """Distinct organizations per (area, country); rows and columns sorted by their totals."""

    areas: list[str]
    countries: list[str]
    counts: dict[tuple[str, str], int]
    area_totals: dict[str, int]
    country_totals: dict[str, int]

    def count(self, area: str, country: str) -> int:
        return self.counts.get((area, country), 0)

    @property
    def largest(self) -> int:
        return max(self.counts.values(), default=0)


def area_of(technologies: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Each technology's top-level ancestor (itself for a top-level node); cycles and dangling parents stop the walk."""
    roots: dict[str, str] = {}
    for tech_id in technologies:
        node, seen = tech_id, set()
        while True:
            parent = technologies[node].get("parent")
            if not parent or parent not in technologies or parent in seen:
                break
            seen.add(node)
            node = parent
        roots[tech_id] = node
    return roots


def read_industry(
    connection: Connection, audience: Audience, country: str | None = None, kind: str | None = None
) -> Industry:
    """Visible organizations (optionally of one country and kind) with the areas of their visible capabilities."""
    technologies, _children = queries.technology_tree(connection)
    roots = area_of(technologies)
    orgs = TABLES_BY_NAME["organizations"]
    query = select(*(orgs.c[c] for c in ORG_COLUMNS)).order_by(orgs.c.id)
    if country:
        query = query.where(orgs.c.country == country)
    if kind:
        query = query.where(orgs.c.kind == kind)
    query = where_visible(query, audience, "organizations")
    organizations = [dict(row) for row in connection.execute(query).mappings()]
    listed = {org["id"] for org in organizations}
    caps = TABLES_BY_NAME["capabilities"]
    org_areas: dict[str, set[str]] = {}
    cap_query = where_visible(select(caps.c.org_id, caps.c.technology_id), audience, "capabilities")
    for org_id, tech_id in connection.execute(cap_query):
        if org_id in listed and tech_id in roots:
            org_areas.setdefault(org_id, set()).add(roots[tech_id])
    areas = sorted(t for t, root in roots.items() if t == root)
    return Industry(technologies, areas, organizations, org_areas)


def filter_organizations(
    industry: Industry,
    area: str | None = None,
    membership: str | None = None,
    text: str | None = None,
    country: str | None = None,
    kind: str | None = None,
    among: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Organizations in an area (and country, kind), holding a membership, whose English or Japanese name holds
    `text` (compared normalised: width, case and spelling variants fold); in the order of `among` (the industry's
    organizations, or some of them in another order)."""
    among = industry.organizations if among is None else among
    wanted = normalize(text) if text else ""
    membership = membership.strip().casefold() if membership else None
    if not (area or membership or wanted or country or kind):
        return list(among)
    found = []
    for org in among:
        if (country and org["country"] != country) or (kind and org["kind"] != kind):
            continue
        if area and area not in industry.org_areas.get(org["id"], ()):
            continue
        if membership and membership not in {m.casefold() for m in org["memberships"] or []}:
            continue
        if wanted and not any(wanted in normalize(name) for name in (org["name_en"], org["name_ja"]) if name):
            continue
        found.append(org)
    return found


def memberships(industry: Industry) -> list[str]:
    """Every membership some visible organization holds, sorted."""
    return sorted({m for org in industry.organizations for m in org["memberships"] or []})


def industry_matrix(industry: Industry) -> Matrix:
    """Distinct organizations with capabilities in each area, per country.

    Columns are the countries with any visible organization, most organizations with capabilities
    first (ties by code); rows the areas, most organizations first (ties by id).
    """
    counts: dict[tuple[str, str], int] = {}
    area_orgs: dict[str, set[str]] = {area: set() for area in industry.areas}
    country_orgs: dict[str, set[str]] = {}
    for org in industry.organizations:
        country_orgs.setdefault(org["country"], set())
        for area in industry.org_areas.get(org["id"], ()):
            counts[(area, org["country"])] = counts.get((area, org["country"]), 0) + 1
            area_orgs.setdefault(area, set()).add(org["id"])
            country_orgs[org["country"]].add(org["id"])
    country_totals = {country: len(ids) for country, ids in country_orgs.items()}
    area_totals = {area: len(ids) for area, ids in area_orgs.items()}
    return Matrix(
        areas=sorted(area_totals, key=lambda a: (-area_totals[a], a)),
        countries=sorted(country_totals, key=lambda c: (-country_totals[c], c)),
        counts=counts,
        area_totals=area_totals,
        country_totals=country_totals,
    )


@dataclass
class Profile:
    """One organization as its page shows it: capabilities, money, milestones, and the sources they cite."""

    organization: dict[str, Any]
    capabilities: list[dict[str, Any]]
    funded: list[dict[str, Any]]  # investments it received
    invested: list[dict[str, Any]]  # investments that list it among the investors
    milestones: list[dict[str, Any]]
    sources: dict[str, dict[str, Any]]
    # Ties to other organizations (stakes, loans, memberships, MoUs...), each with `other`: the other party.
    relations: list[dict[str, Any]] = field(default_factory=list)


def _rows(connection: Connection, table_name: str, audience: Audience, *conditions: Any) -> list[dict[str, Any]]:
    table = TABLES_BY_NAME[table_name]
    query = where_visible(select(table).where(*conditions).order_by(table.c.id), audience, table_name)
    return [dict(row) for row in connection.execute(query).mappings()]


def _named_as_investor(
    connection: Connection, organization: dict[str, Any], audience: Audience
) -> list[dict[str, Any]]:
    """Investments whose investors name the organization (investors are free-text names, not ids), each with
    its recipient (`recipient`: the organization record, or None for an aggregate). An investment in an
    organization the caller may not see is left out: listing it would reveal that organization."""
    names = {normalize_name(n) for n in (organization["name_en"], organization["name_ja"]) if n}
    investments, orgs = TABLES_BY_NAME["investments"], TABLES_BY_NAME["organizations"]
    query = (
        select(investments, orgs.c.name_en, orgs.c.name_ja)
        .outerjoin(orgs, orgs.c.id == investments.c.org_id)
        .order_by(investments.c.id)
    )
    found = []
    for row in connection.execute(where_visible(query, audience, "investments")).mappings():
        if row["org_id"] == organization["id"] or not names & {normalize_name(i) for i in row["investors"] or []}:
            continue
        record = {c.name: row[c] for c in investments.c}
        recipient = {"id": row["org_id"], "name_en": row["name_en"], "name_ja": row["name_ja"]}
        found.append({**record, "recipient": recipient if row["org_id"] else None})
    return found


def read_profile(
    connection: Connection, org_id: str, audience: Audience, technologies: dict[str, dict[str, Any]] | None = None
) -> Profile | None:
    """The organization's profile, or None when it does not exist or may not be seen.

    `technologies` (every technology by id) spares reading the technology map again when the caller has it.
    """
    found = _rows(connection, "organizations", audience, TABLES_BY_NAME["organizations"].c.id == org_id)
    if not found:
        return None
    organization = found[0]
    if technologies is None:
        technologies, _children = queries.technology_tree(connection)
    capabilities = [
        {**cap, "technology": technologies.get(cap["technology_id"], {})}
        for cap in _rows(connection, "capabilities", audience, TABLES_BY_NAME["capabilities"].c.org_id == org_id)
    ]
    capabilities.sort(key=lambda c: (c["technology_id"], c["id"]))
    funded = _rows(connection, "investments", audience, TABLES_BY_NAME["investments"].c.org_id == org_id)
    invested = _named_as_investor(connection, organization, audience)
    milestones = _rows(connection, "milestones", audience, TABLES_BY_NAME["milestones"].c.org_id == org_id)
    milestones.sort(key=lambda m: (m["date"] or "", m["id"]))
    relations = _relations(connection, org_id, audience)
    cited = {
        s
        for record in [organization, *capabilities, *funded, *invested, *milestones, *relations]
        for s in record["source_ids"] or []
    }
    return Profile(organization, capabilities, funded, invested, milestones, read_sources(connection, cited), relations)


def _relations(connection: Connection, org_id: str, audience: Audience) -> list[dict[str, Any]]:
    """The relations naming the organization as either party, newest first, each with the other party's record.

    `where_visible` keeps only relations whose two parties the audience may see, so the other party is visible.
    """
    table = TABLES_BY_NAME["relations"]
    found = _rows(connection, "relations", audience, or_(table.c.org_id == org_id, table.c.other_org_id == org_id))
    others = {r["other_org_id"] if r["org_id"] == org_id else r["org_id"] for r in found}
    orgs = TABLES_BY_NAME["organizations"]
    named = {
        row["id"]: dict(row)
        for row in connection.execute(
            select(orgs.c.id, orgs.c.name_en, orgs.c.name_ja).where(orgs.c.id.in_(others))
        ).mappings()
    }
    for relation in found:
        relation["other"] = named[relation["other_org_id"] if relation["org_id"] == org_id else relation["org_id"]]
    found.sort(key=lambda r: (r["date"] or "", r["id"]), reverse=True)
    return found


def read_sources(connection: Connection, source_ids: set[str]) -> dict[str, dict[str, Any]]:
    """The sources with these ids, by id (unknown ids are left out)."""
    if not source_ids:
        return {}
    table = TABLES_BY_NAME["sources"]
    rows = connection.execute(select(table).where(table.c.id.in_(sorted(source_ids)))).mappings()
    return {row["id"]: dict(row) for row in rows}
