"""The technology map: a sunburst and an expandable tree of every node, a page per technology, exports.

Supplier counts roll up the tree (a capability on "REBCO tape" counts for "HTS" and "Superconducting
magnets") and count distinct organizations. Every capability, organization and need is filtered through
the request's viewer, so anonymous visitors count and see public records only. The gap status on a
technology's page is the public analysis for Japan, the same figures /gaps shows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Annotated, Any

from babel import Locale
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Connection, Engine, select

from fusionatlas.analysis.atlas import read_atlas
from fusionatlas.analysis.gap_inputs import read_gap_inputs
from fusionatlas.analysis.gaps import (
    DEMO_REQUIRED_TRL,
    GapReport,
    TechnologyGap,
    analyse,
    check_country,
    chosen_assessment,
    plant_targets,
)
from fusionatlas.analysis.readiness import assessments as readiness_rows
from fusionatlas.domain.audience import PUBLIC, Audience
from fusionatlas.domain.values import need_status
from fusionatlas.store import queries
from fusionatlas.store.schema import TABLES_BY_NAME
from fusionatlas.store.visibility import where_visible
from fusionatlas.web.cache import PAGE_PARTS, per_state
from fusionatlas.web.charts import sunburst
from fusionatlas.web.charts.readiness import readiness_svg
from fusionatlas.web.exports import csv_bytes, workbook_bytes
from fusionatlas.web.i18n import language, translator
from fusionatlas.web.pagination import paginate
from fusionatlas.web.render import render
from fusionatlas.web.viewer import viewer

GAP_COUNTRY = "JP"  # the strategy this atlas serves is Japan's
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
EXPORT_COLUMNS = [
    "id",
    "parent",
    "depth",
    "name_en",
    "name_ja",
    "description_en",
    "description_ja",
    "synonyms_en",
    "synonyms_ja",
    "organizations",
    "organizations_direct",
    "open_needs",
    "targets",
    "source_ids",
]
TARGET_COLUMNS = ["technology_id", "metric", "value", "unit", "plant", "source_ids"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class TechnologyMap:
    """The tree with what the viewer may see rolled up: supplying organizations and open needs per node."""

    nodes: dict[str, dict[str, Any]]
    children: dict[str, list[str]]
    roots: list[str]
    direct: dict[str, set[str]] = field(default_factory=dict)  # organizations with a capability on the node
    suppliers: dict[str, set[str]] = field(default_factory=dict)  # ... on the node or below
    needs: dict[str, set[str]] = field(default_factory=dict)  # open needs on the node or below
    country: str | None = None  # when set, only organizations in this country count
    supplier_countries: Counter[str] = field(default_factory=Counter)  # every supplier's country, before filtering
    open_needs: dict[str, dict[str, Any]] = field(default_factory=dict)  # by id, in the store's order of ids

    def kids(self, tech_id: str) -> list[str]:
        return self.children.get(tech_id, [])

    def ancestors(self, tech_id: str) -> list[str]:
        """From the top of the map down to the node's parent."""
        chain: list[str] = []
        parent = self.nodes[tech_id]["parent"]
        while parent in self.nodes and parent not in chain:
            chain.append(parent)
            parent = self.nodes[parent]["parent"]
        return chain[::-1]

    def subtree(self, tech_id: str) -> list[str]:
        out, stack = [], [tech_id]
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(self.kids(node)))
        return out

    def in_order(self) -> list[tuple[str, int]]:
        """Every node depth-first, with its depth (1 for the top areas)."""
        out: list[tuple[str, int]] = []
        for root in self.roots:
            base = len(self.ancestors(root))
            out.extend((node, len(self.ancestors(node)) - base + 1) for node in self.subtree(root))
        return out


def read_map(connection: Connection, who: Audience, country: str | None = None) -> TechnologyMap:
    nodes = {row["id"]: row for row in queries.records(connection, "technologies", who)}
    children: dict[str, list[str]] = {}
    for node in nodes.values():  # records come sorted by id, so siblings are too
        if node["parent"] in nodes:
            children.setdefault(node["parent"], []).append(node["id"])
    roots = [tech_id for tech_id, node in nodes.items() if node["parent"] not in nodes]
    tech_map = TechnologyMap(nodes, children, roots, country=country)
    visible = _visible_organizations(connection, who)
    caps = TABLES_BY_NAME["capabilities"]
    direct: dict[str, set[str]] = {tech_id: set() for tech_id in nodes}
    suppliers: set[str] = set()
    for row in connection.execute(where_visible(select(caps.c.org_id, caps.c.technology_id), who, "capabilities")):
        if row.org_id in visible and row.technology_id in direct:
            suppliers.add(row.org_id)
            if country is None or visible[row.org_id] == country:
                direct[row.technology_id].add(row.org_id)
    tech_map.supplier_countries = Counter(visible[org_id] for org_id in suppliers)
    on_node: dict[str, set[str]] = {tech_id: set() for tech_id in nodes}
    tech_map.open_needs = {need["id"]: need for need in _open_needs(connection, who)}
    for need in tech_map.open_needs.values():
        for tech_id in need["technology_ids"] or []:
            if tech_id in on_node:
                on_node[tech_id].add(need["id"])
    tech_map.direct = direct
    for tech_id, _depth in reversed(tech_map.in_order()):  # children before parents
        tech_map.suppliers[tech_id] = direct[tech_id].union(*(tech_map.suppliers[k] for k in tech_map.kids(tech_id)))
        tech_map.needs[tech_id] = on_node[tech_id].union(*(tech_map.needs[k] for k in tech_map.kids(tech_id)))
    return tech_map


def _visible_organizations(connection: Connection, who: Audience) -> dict[str, str]:
    """The organizations the audience may see, with their countries."""
    orgs = TABLES_BY_NAME["organizations"]
    rows = connection.execute(where_visible(select(orgs.c.id, orgs.c.country), who, "organizations"))
    return {row.id: row.country for row in rows}


def _open_needs(connection: Connection, who: Audience) -> list[dict[str, Any]]:
    """The audience's needs still open today (an open need past its deadline is closed)."""
    needs = TABLES_BY_NAME["needs"]
    query = where_visible(select(needs).where(needs.c.status == "open").order_by(needs.c.id), who, "needs")
    today = date.today().isoformat()
    rows = (dict(row) for row in connection.execute(query).mappings())
    return [row for row in rows if need_status(row["status"], row["deadline"], today) == "open"]


def _sources(connection: Connection, ids: set[str]) -> dict[str, dict[str, Any]]:
    if not ids:
        return {}
    sources = TABLES_BY_NAME["sources"]
    rows = connection.execute(select(sources).where(sources.c.id.in_(sorted(ids)))).mappings()
    found = {row["id"]: dict(row) for row in rows}
    for row in found.values():
        # Only web addresses become links: a data row must never smuggle a javascript: URL into a page.
        if not str(row.get("url") or "").startswith(("http://", "https://")):
            row["url"] = None
    return found


def _cite(ids: list[str] | None, sources: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return [sources.get(i, {"id": i, "title": i, "url": None}) for i in ids or []]


@lru_cache(maxsize=4)
def _territories(lang: str) -> dict[str, str]:
    return dict(Locale.parse(lang).territories)


def country_name(code: str | None, lang: str) -> str:
    if not code:
        return "–"
    return _territories(lang).get(code, code)


def number(value: float | int | None) -> str:
    """500.0 reads as 500; other values as written."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def shown_number(value: float | int) -> str:
    """A figure for reading: thousands separated (10,000 t), 500.0 as 500."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}"


def name(record: dict[str, Any], lang: str, field_name: str = "name") -> str:
    english = record.get(f"{field_name}_en") or ""
    return (record.get(f"{field_name}_ja") or english) if lang == "ja" else english


def _tree(tech_map: TechnologyMap, lang: str, base: str = "") -> sunburst.Tree:
    return sunburst.Tree(
        children=tech_map.kids,
        label=lambda tech_id: name(tech_map.nodes[tech_id], lang),
        count=lambda tech_id: len(tech_map.suppliers[tech_id]),
        href=lambda tech_id: f"{base}/technologies/{tech_id}",
    )


def sunburst_svg(tech_map: TechnologyMap, lang: str, root: str | None, standalone: bool, base: str = "") -> str:
    """The whole map (root None) or one node's subtree, with the node at the centre linking one level up."""
    _ = translator(lang)
    if root is None:
        top = tech_map.roots
        centre = sunburst.Centre(_("Technology map"), None, _("Fusion technology map"))
    else:
        top = tech_map.kids(root)
        parent = tech_map.nodes[root]["parent"]
        up = f"{base}/technologies/{parent}" if parent in tech_map.nodes else f"{base}/technologies"
        centre = sunburst.Centre(name(tech_map.nodes[root], lang), up, _("One level up"))
    legend = _("Organizations able to supply")
    if tech_map.country:
        legend += f" ({country_name(tech_map.country, lang)})"
    return sunburst.draw(
        _tree(tech_map, lang, base),
        top,
        centre,
        legend_title=legend,
        none_label=_("none"),
        count_label=_("organizations"),
        standalone=standalone,
    )


def _targets_text(targets: list[dict[str, Any]] | None) -> str:
    parts = []
    for target in targets or []:
        plant = f" ({target['plant']})" if target.get("plant") else ""
        parts.append(f"{target['metric']} = {number(target['value'])} {target['unit']}{plant}")
        if target.get("source_ids"):
            parts[-1] += f" [{';'.join(target['source_ids'])}]"
    return " | ".join(parts)


def export_rows(tech_map: TechnologyMap) -> list[list[Any]]:
    rows = []
    for tech_id, depth in tech_map.in_order():
        node = tech_map.nodes[tech_id]
        rows.append(
            [
                tech_id,
                node["parent"] or "",
                depth,
                node["name_en"],
                node["name_ja"],
                node.get("description_en") or "",
                node.get("description_ja") or "",
                ";".join(node.get("synonyms_en") or []),
                ";".join(node.get("synonyms_ja") or []),
                len(tech_map.suppliers[tech_id]),
                len(tech_map.direct[tech_id]),
                len(tech_map.needs[tech_id]),
                _targets_text(node.get("targets")),
                ";".join(node.get("source_ids") or []),
            ]
        )
    return rows


def _workbook(tech_map: TechnologyMap, request: Request) -> bytes:
    """The tree and its quantitative targets, for people (web/exports.py `workbook_bytes`)."""
    targets: list[Sequence[Any]] = [
        [tech_id, t["metric"], t["value"], t["unit"], t.get("plant") or "", ";".join(t.get("source_ids") or [])]
        for tech_id, _depth in tech_map.in_order()
        for t in tech_map.nodes[tech_id].get("targets") or []
    ]
    what = "Technology map: every technology with its suppliers, open needs and targets"
    rows: list[Any] = list(export_rows(tech_map))
    return workbook_bytes(request, what, EXPORT_COLUMNS, rows, "technologies", [("targets", TARGET_COLUMNS, targets)])


def _row(tech_map: TechnologyMap, tech_id: str, lang: str) -> dict[str, Any]:
    """What the tree list and the list of children show for a node."""
    node = tech_map.nodes[tech_id]
    return {
        "id": tech_id,
        "name": name(node, lang),
        "suppliers": len(tech_map.suppliers[tech_id]),
        "direct": len(tech_map.direct[tech_id]),
        "needs": len(tech_map.needs[tech_id]),
        "colour": sunburst.colour(len(tech_map.suppliers[tech_id])),
    }


@dataclass
class Supplier:
    org: dict[str, Any]
    capabilities: list[dict[str, Any]]


def _suppliers(connection: Connection, who: Audience, subtree: list[str]) -> list[Supplier]:
    """Organizations with a visible capability on the nodes given, each with those capabilities; by country, name.

    Records hold only the columns that order and count them (`_complete` reads the rest for the page shown):
    a node high in the map has thousands of capabilities, and whole rows cost most in decoding their JSON.
    """
    caps = TABLES_BY_NAME["capabilities"]
    columns = (caps.c.id, caps.c.org_id, caps.c.trl)
    query = select(*columns).where(caps.c.technology_id.in_(subtree)).order_by(caps.c.org_id, caps.c.id)
    by_org: dict[str, list[dict[str, Any]]] = {}
    for row in connection.execute(where_visible(query, who, "capabilities")).mappings():
        by_org.setdefault(row["org_id"], []).append(dict(row))
    if not by_org:
        return []
    orgs = TABLES_BY_NAME["organizations"]
    org_columns = (orgs.c.id, orgs.c.name_en, orgs.c.country)
    org_query = where_visible(select(*org_columns).where(orgs.c.id.in_(sorted(by_org))), who, "organizations")
    suppliers = [Supplier(dict(org), by_org[org["id"]]) for org in connection.execute(org_query).mappings()]
    # Japan first (the strategy this atlas serves), then the countries with most suppliers.
    per_country = Counter(s.org["country"] for s in suppliers)

    def order(supplier: Supplier) -> tuple[Any, ...]:
        country = supplier.org["country"]
        return (country != GAP_COUNTRY, -per_country[country], country, supplier.org["name_en"].casefold())

    return sorted(suppliers, key=order)


def _complete(connection: Connection, shown: list[Supplier]) -> list[Supplier]:
    """The suppliers of one page with their whole organization and capability records, in the same order."""
    if not shown:
        return []
    caps, orgs = TABLES_BY_NAME["capabilities"], TABLES_BY_NAME["organizations"]
    cap_ids = sorted({c["id"] for s in shown for c in s.capabilities})
    full_caps = {
        row["id"]: dict(row) for row in connection.execute(select(caps).where(caps.c.id.in_(cap_ids))).mappings()
    }
    org_ids = sorted({s.org["id"] for s in shown})
    full_orgs = {
        row["id"]: dict(row) for row in connection.execute(select(orgs).where(orgs.c.id.in_(org_ids))).mappings()
    }
    return [Supplier(full_orgs[s.org["id"]], [full_caps[c["id"]] for c in s.capabilities]) for s in shown]


def cached_map(connection: Connection, who: Audience, country: str | None = None) -> TechnologyMap:
    """The map as this viewer sees it (optionally counting one country's organizations), kept per data version."""
    return per_state(connection, ("technology-map", who.sight, country), lambda c: read_map(c, who, country))


def public_gaps(connection: Connection) -> GapReport:
    """The public analysis for Japan: it reads the whole atlas, so it is kept per store state."""
    return per_state(
        connection,
        ("public-gaps", GAP_COUNTRY),
        lambda c: _public_analysis(c),
    )


def _public_analysis(connection: Connection) -> GapReport:
    atlas = read_atlas(connection, PUBLIC)
    found = read_gap_inputs(connection, atlas, GAP_COUNTRY, PUBLIC)
    return analyse(atlas, GAP_COUNTRY, inputs=found.as_inputs(), scenario=found.scenario)


def _gap(connection: Connection, tech_id: str) -> tuple[TechnologyGap, int, int]:
    """The node's gap for Japan in the public analysis, its rank (1 = biggest gap) and the number ranked."""
    report = public_gaps(connection)
    for rank, gap in enumerate(report.technologies, start=1):
        if gap.technology_id == tech_id:
            return gap, rank, len(report.technologies)
    raise HTTPException(404)


def _supplier_groups(
    tech_map: TechnologyMap, shown: list[Supplier], sources: dict[str, dict[str, Any]], lang: str
) -> dict[str, list[dict[str, Any]]]:
    """The suppliers of one page by country (in their order), each capability with its evidence line and sources."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for supplier in shown:
        capabilities = [
            {
                **capability,
                "node_name": name(tech_map.nodes[capability["technology_id"]], lang),
                "line": name(capability, lang, "evidence") or name(capability, lang, "description"),
                "sources": _cite(capability.get("source_ids"), sources),
            }
            for capability in supplier.capabilities
        ]
        entry = {"org": supplier.org, "name": name(supplier.org, lang), "capabilities": capabilities}
        groups.setdefault(supplier.org["country"], []).append(entry)
    return groups


def _need_rows(
    connection: Connection, tech_map: TechnologyMap, tech_id: str, in_subtree: set[str], who: Audience, lang: str
) -> list[dict[str, Any]]:
    """Open needs on the node or below, with their buyer's name (when the viewer may see the buyer)."""
    # The map (cached) already holds the viewer's open needs and which of them fall on the node or below.
    on_node = tech_map.needs[tech_id]
    needs = [need for need_id, need in tech_map.open_needs.items() if need_id in on_node]
    buyers = _organization_names(connection, {n["buyer_org_id"] for n in needs if n["buyer_org_id"]}, who, lang)
    return [
        {
            **need,
            "title": name(need, lang, "title"),
            "buyer": buyers.get(need["buyer_org_id"] or "", ""),
            "on": [(t, name(tech_map.nodes[t], lang)) for t in need["technology_ids"] or [] if t in in_subtree],
        }
        for need in needs
    ]


def _cited(node: dict[str, Any], shown: list[Supplier]) -> set[str]:
    """Every source the page cites: the node's, its targets', and the shown capabilities'."""
    cited = set(node.get("source_ids") or [])
    for target in node.get("targets") or []:
        cited.update(target.get("source_ids") or [])
    for supplier in shown:
        for capability in supplier.capabilities:
            cited.update(capability.get("source_ids") or [])
    return cited


def _page_context(
    connection: Connection, tech_map: TechnologyMap, tech_id: str, who: Audience, lang: str, page: int, size: int
) -> dict[str, Any]:
    node = tech_map.nodes[tech_id]
    subtree = tech_map.subtree(tech_id)
    suppliers = _suppliers(connection, who, subtree)
    pager = paginate(suppliers, page, size, lambda number: f"?page={number}&size={size}")
    shown = _complete(connection, pager.rows)
    sources = _sources(connection, _cited(node, shown))
    countries = Counter(s.org["country"] for s in suppliers)  # insertion order is the suppliers' order
    gap, rank, ranked = _gap(connection, tech_id)
    shown_trls = [c["trl"] for s in suppliers for c in s.capabilities if c.get("trl")]
    readiness = _readiness(connection, node, who, lang)
    sources.update(_sources(connection, readiness.pop("cited")))
    return {
        "node": node,
        "name": name(node, lang),
        "other_name": node["name_en"] if lang == "ja" else node["name_ja"],
        "description": name(node, lang, "description"),
        "crumbs": [(a, name(tech_map.nodes[a], lang)) for a in tech_map.ancestors(tech_id)],
        "children": [_row(tech_map, kid, lang) for kid in tech_map.kids(tech_id)],
        "svg": sunburst_svg(tech_map, lang, tech_id, standalone=False) if tech_map.kids(tech_id) else None,
        "sources": _cite(node.get("source_ids"), sources),
        "targets": [
            {**t, "value_text": shown_number(t["value"]), "sources": _cite(t.get("source_ids"), sources)}
            for t in node.get("targets") or []
        ],
        "best_shown_trl": max(shown_trls, default=None),
        "readiness": {
            **readiness,
            "rows": [{**row, "sources": _cite(row.get("source_ids"), sources)} for row in readiness["rows"]],
        },
        "groups": [
            (code, country_name(code, lang), orgs)
            for code, orgs in _supplier_groups(tech_map, shown, sources, lang).items()
        ],
        "countries": [(code, country_name(code, lang), n) for code, n in countries.items()],
        "supplier_total": len(suppliers),
        "pager": pager,
        "needs": _need_rows(connection, tech_map, tech_id, set(subtree), who, lang),
        "gap": gap,
        "rank": rank,
        "ranked": ranked,
        "gap_country": GAP_COUNTRY,
    }


def _readiness(connection: Connection, node: dict[str, Any], who: Audience, lang: str) -> dict[str, Any]:
    """Every assessment of the node the viewer may see (newest first), the one the gap analysis uses, the
    TRL its plant-class targets require, the chart, and the sources to cite (under "cited")."""
    rows = readiness_rows(connection, who, node["id"])
    used = chosen_assessment(rows)
    required = DEMO_REQUIRED_TRL if plant_targets(node) else None
    assessors = _organization_names(connection, {r["assessor_org_id"] for r in rows if r["assessor_org_id"]}, who, lang)
    shown = [{**row, "assessor_name": assessors.get(row["assessor_org_id"] or "", "")} for row in rows]
    return {
        "rows": shown,
        "used": used["id"] if used else None,
        "required": required,
        "svg": readiness_svg(rows, used["id"] if used else None, required, translator(lang)),
        "cited": {source for row in rows for source in row.get("source_ids") or []},
    }


def _organization_names(connection: Connection, ids: set[str], who: Audience, lang: str) -> dict[str, str]:
    if not ids:
        return {}
    orgs = TABLES_BY_NAME["organizations"]
    query = where_visible(select(orgs).where(orgs.c.id.in_(sorted(ids))), who, "organizations")
    return {row["id"]: name(dict(row), lang) for row in connection.execute(query).mappings()}


def _filename(tech_map: TechnologyMap, extension: str, stem: str = "technologies") -> str:
    return f"{stem}-{tech_map.country}.{extension}" if tech_map.country else f"{stem}.{extension}"


def _download(content: bytes, media_type: str, filename: str) -> Response:
    return Response(
        content, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


# Blank means every country; two letters are then checked against ISO 3166-1 (with hints: UK -> GB).
CountryFilter = Annotated[
    str,
    Query(pattern="^([A-Za-z]{2})?$", description="count only organizations in this country (ISO 3166-1 alpha-2)"),
]


def _country(text: str) -> str | None:
    return check_country(text) if text.strip() else None


def _download_query(tech_map: TechnologyMap) -> str:
    return f"?country={tech_map.country}" if tech_map.country else ""


def router(engine: Engine) -> APIRouter:
    routes = APIRouter()

    def tech_map_for(request: Request, country: str = "") -> TechnologyMap:
        chosen = _country(country)  # checked before any database work
        with engine.connect() as connection:
            who = viewer(request)
            return cached_map(connection, who, chosen)

    @routes.get("/technologies", response_class=HTMLResponse)
    def technology_map(request: Request, country: CountryFilter = "") -> HTMLResponse:
        lang = language(request)
        tech_map = tech_map_for(request, country)
        return render(
            request,
            "technologies_map.html",
            {
                "roots": tech_map.roots,
                "children": tech_map.children,
                "rows": {tech_id: _row(tech_map, tech_id, lang) for tech_id in tech_map.nodes},
                "svg": sunburst_svg(tech_map, lang, None, standalone=False),
                "bins": sunburst.bin_labels(),
                "node_count": len(tech_map.nodes),
                "depth": max((d for _t, d in tech_map.in_order()), default=0),
                "country": tech_map.country or "",
                "country_label": country_name(tech_map.country, lang) if tech_map.country else "",
                "countries": [
                    (code, country_name(code, lang), n) for code, n in tech_map.supplier_countries.most_common()
                ],
                "all_suppliers": sum(tech_map.supplier_countries.values()),
                "download_query": _download_query(tech_map),
            },
        )

    @routes.get("/technologies.svg")
    def technology_map_svg(
        request: Request,
        root: Annotated[str | None, Query(max_length=200, description="a technology id: its subtree only")] = None,
        country: CountryFilter = "",
    ) -> Response:
        tech_map = tech_map_for(request, country)
        if root is not None and root not in tech_map.nodes:
            raise HTTPException(404)
        base = str(request.base_url).rstrip("/")  # absolute links: the file is read away from the site
        svg = sunburst_svg(tech_map, language(request), root, standalone=True, base=base)
        stem = "technologies" if root is None else root.replace(":", "-")
        return _download(svg.encode("utf-8"), "image/svg+xml", _filename(tech_map, "svg", stem))

    @routes.get("/technologies/{tech_id}/readiness.svg")
    def readiness_chart(request: Request, tech_id: str) -> Response:
        """The node's readiness chart as the viewer may see it, as a file."""
        lang = language(request)
        who = viewer(request)
        with engine.connect() as connection:
            node = cached_map(connection, who).nodes.get(tech_id)
            if node is None:
                raise HTTPException(404)
            svg = _readiness(connection, node, who, lang)["svg"]
        return _download(svg.encode("utf-8"), "image/svg+xml", f"readiness-{tech_id.replace(':', '-')}.svg")

    @routes.get("/technologies.csv")
    def technology_map_csv(request: Request, country: CountryFilter = "") -> Response:
        tech_map = tech_map_for(request, country)
        content = csv_bytes(EXPORT_COLUMNS, export_rows(tech_map))
        return _download(content, "text/csv; charset=utf-8", _filename(tech_map, "csv"))

    @routes.get("/technologies.xlsx")
    def technology_map_xlsx(request: Request, country: CountryFilter = "") -> Response:
        tech_map = tech_map_for(request, country)
        return _download(_workbook(tech_map, request), XLSX, _filename(tech_map, "xlsx"))

    @routes.get("/technologies/{tech_id}", response_class=HTMLResponse)
    def technology_page(
        request: Request,
        tech_id: str,
        page: Annotated[int, Query(ge=1, le=100_000, description="page of the supplier list")] = 1,
        size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="organizations per page")] = DEFAULT_PAGE_SIZE,
    ) -> HTMLResponse:
        lang = language(request)
        who = viewer(request)
        with engine.connect() as connection:
            if tech_id not in cached_map(connection, who).nodes:
                raise HTTPException(404)
            # The map is asked for again inside: its data version is then never older than the key's.
            context = PAGE_PARTS.get(
                connection,
                ("technology-page", who.sight, tech_id, lang, page, size),
                lambda c: _page_context(c, cached_map(c, who), tech_id, who, lang, page, size),
            )
        return render(request, "technologies_node.html", context)

    return routes
