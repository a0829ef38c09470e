"""Reads: counts, ids, records in package form, and a first bilingual search."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select

from fusionatlas.domain import TABLES, table
from fusionatlas.domain.audience import Audience
from fusionatlas.store.schema import TABLES_BY_NAME, search_entries
from fusionatlas.store.visibility import entries_condition, where_visible
from fusionatlas.text import normalize, normalize_name


def count(connection: Connection, table_name: str, audience: Audience, *conditions: Any) -> int:
    """How many records of a table the audience may see (and that meet `conditions`)."""
    query = select(func.count()).select_from(TABLES_BY_NAME[table_name]).where(*conditions)
    return int(connection.execute(where_visible(query, audience, table_name)).scalar_one())


def counts(connection: Connection, audience: Audience) -> dict[str, int]:
    """Records per table, of those the audience may see (a count of hidden records would disclose them)."""
    return {spec.name: count(connection, spec.name, audience) for spec in TABLES}


def ids(connection: Connection, table_name: str) -> set[str]:
    spec = table(table_name)
    if spec.key != ("id",):
        return set()
    return set(connection.execute(select(TABLES_BY_NAME[table_name].c.id)).scalars())


def organization_names(connection: Connection) -> dict[str, str]:
    """Normalised English and Japanese names of every organization, to their ids."""
    organizations = TABLES_BY_NAME["organizations"]
    names: dict[str, str] = {}
    for record_id, name_en, name_ja in connection.execute(
        select(organizations.c.id, organizations.c.name_en, organizations.c.name_ja)
    ):
        for name in (name_en, name_ja):
            if name:
                names.setdefault(normalize_name(name), record_id)
    return names


def technology_parents(connection: Connection) -> dict[str, str | None]:
    technologies = TABLES_BY_NAME["technologies"]
    return {row.id: row.parent for row in connection.execute(select(technologies.c.id, technologies.c.parent))}


def organization_countries(connection: Connection, audience: Audience) -> list[str]:
    """The countries of the organizations the audience may see, by code: a country menu's options."""
    orgs = TABLES_BY_NAME["organizations"]
    query = where_visible(select(orgs.c.country).distinct(), audience, "organizations")
    return sorted(code for code in connection.execute(query).scalars() if code)


def headline_figures(connection: Connection, audience: Audience) -> dict[str, int]:
    """Figures for the home page, over the records the audience may see."""
    orgs, facilities = TABLES_BY_NAME["organizations"], TABLES_BY_NAME["facilities"]
    # Countries only: EU (the one other code a record may carry, domain/values.py) is counted apart.
    countries = select(func.count(func.distinct(orgs.c.country))).select_from(orgs).where(orgs.c.country != "EU")
    return {
        "technologies": count(connection, "technologies", audience),
        "organizations": count(connection, "organizations", audience),
        "japanese_organizations": count(connection, "organizations", audience, orgs.c.country == "JP"),
        "countries": int(connection.execute(where_visible(countries, audience, "organizations")).scalar_one()),
        "eu_organizations": count(connection, "organizations", audience, orgs.c.country == "EU"),
        "capabilities": count(connection, "capabilities", audience),
        "facilities": count(connection, "facilities", audience),
        "operating_facilities": count(connection, "facilities", audience, facilities.c.status == "operating"),
        "programmes": count(connection, "programmes", audience),
        "milestones": count(connection, "milestones", audience),
        "sources": count(connection, "sources", audience),
    }


def technology_tree(connection: Connection) -> tuple[dict[str, dict[str, Any]], dict[str, list[str]]]:
    """Every technology by id, and the children of each node."""
    technologies = {
        row["id"]: dict(row) for row in connection.execute(select(TABLES_BY_NAME["technologies"])).mappings()
    }
    children: dict[str, list[str]] = {}
    for tech in technologies.values():
        if tech["parent"]:
            children.setdefault(tech["parent"], []).append(tech["id"])
    return technologies, children


def records(connection: Connection, table_name: str, audience: Audience) -> Iterator[dict[str, Any]]:
    """Every row of a table the audience may see, as a package record (the package's field names), by key."""
    spec = table(table_name)
    db_table = TABLES_BY_NAME[table_name]
    query = select(*(db_table.c[name] for name in spec.columns)).order_by(*(db_table.c[k] for k in spec.key))
    for row in connection.execute(where_visible(query, audience, table_name)):
        yield dict(zip(spec.columns, row, strict=True))


@dataclass(frozen=True)
class Hit:
    table: str
    id: str
    name_en: str | None
    name_ja: str | None
    snippet: str
    score: float


def _vocabulary(connection: Connection) -> list[set[str]]:
    """Each technology's names and synonyms in both languages, normalised: the bridge between languages."""
    technologies = TABLES_BY_NAME["technologies"]
    columns = (technologies.c.name_en, technologies.c.name_ja, technologies.c.synonyms_en, technologies.c.synonyms_ja)
    groups = []
    for name_en, name_ja, synonyms_en, synonyms_ja in connection.execute(select(*columns)):
        terms = {name_en, name_ja, *(synonyms_en or []), *(synonyms_ja or [])}
        groups.append({normalize(t) for t in terms if t})
    return groups


def expand(term: str, vocabulary: list[set[str]]) -> set[str]:
    """A query term and, when it names a technology, that technology's names in both languages."""
    expanded = {term}
    for group in vocabulary:
        if term in group:
            expanded |= group
    return expanded


def _escape(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search(
    connection: Connection,
    query: str,
    audience: Audience,
    limit: int = 10,
) -> list[Hit]:
    """Records the audience may see whose text holds every term of the query, in English or Japanese, best first.

    A term that names a technology also finds that technology's names in the other language, so
    「ジャイロトロン」 finds records written only in English and "gyrotron" finds Japanese ones.
    """
    normalized = normalize(query)
    terms = [t for t in normalized.split(" ") if t]
    if not terms:
        return []
    vocabulary = _vocabulary(connection)
    expansions = [expand(t, vocabulary) for t in terms] if len(terms) > 1 else [expand(normalized, vocabulary)]
    if len(terms) > 1:
        whole = expand(normalized, vocabulary)
        if len(whole) > 1:
            expansions = [whole]
    norm = search_entries.c.norm
    condition = and_(*(or_(*(norm.like(f"%{_escape(t)}%", escape="\\") for t in group)) for group in expansions))
    statement = select(search_entries).where(condition)
    if (visible := entries_condition(audience)) is not None:
        statement = statement.where(visible)
    hits = []
    for row in connection.execute(statement.limit(max(limit * 50, 500))).mappings():
        score = _score(row, expansions)
        hits.append(
            Hit(
                row["table_name"],
                row["record_id"],
                row["name_en"],
                row["name_ja"],
                _snippet(row["body"], row["norm"], expansions),
                score,
            )
        )
    hits.sort(key=lambda h: (-h.score, h.table, h.id))
    return hits[:limit]


def _score(row: Any, expansions: list[set[str]]) -> float:
    names = [normalize(name) for name in (row["name_en"], row["name_ja"]) if name]
    score = 0.0
    for group in expansions:
        best = 0.0
        for term in group:
            if term in names:
                best = max(best, 5.0)
            elif any(term in name for name in names):
                best = max(best, 3.0)
            elif term in row["norm"]:
                best = max(best, 1.0 + min(row["norm"].count(term), 5) * 0.1)
        score += best
    # Shorter texts that hold the terms are more about them.
    return round(score / (1.0 + len(row["norm"]) / 2000), 4)


def _snippet(body: str, norm: str, expansions: list[set[str]], width: int = 80) -> str:
    # The normalised text and the body differ slightly in length; positions are close enough for a window.
    position = min((norm.find(t) for g in expansions for t in g if norm.find(t) >= 0), default=0)
    start = max(position - width // 3, 0)
    text = body[start : start + width]
    return ("…" if start else "") + text + ("…" if start + width < len(body) else "")
