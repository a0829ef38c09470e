"""A scenario run against the atlas: the model's bands per item, the makers the atlas knows for each item (as
the audience may see them) and the share of capacity the focus country and its partners hold.

`demand_by_node` hands the gap analysis one number per technology node: the peak ratio of median demand to
median capacity over the scenario's years (0: no demand; above 1: demand outruns capacity).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import Connection, select

from fusionatlas.domain.audience import PUBLIC, Audience
from fusionatlas.domain.values import parse_country
from fusionatlas.scenarios.inputs import CapacityRow, Item, Library, Quantity, Scenario, ScenarioError, bundled
from fusionatlas.scenarios.model import Label, first_shortfall, sensitivity, simulate
from fusionatlas.store.schema import TABLES_BY_NAME
from fusionatlas.store.visibility import where_visible

DEFAULT_COUNTRY = "JP"
DEFAULT_DRAWS = 1000


@dataclass(frozen=True)
class Maker:
    org_id: str
    name_en: str
    name_ja: str
    country: str


def check_country(code: str | None) -> str:
    try:
        found = parse_country(code)
    except ValueError as error:
        raise ScenarioError(str(error)) from None
    if not found:
        raise ScenarioError("a country code is required (e.g. JP)")
    return found


def read_capacities(connection: Connection, audience: Audience) -> list[CapacityRow]:
    """The capacities table's rows the audience may see (a maker's row is as visible as its maker)."""
    table = TABLES_BY_NAME["capacities"]
    query = where_visible(select(table).order_by(table.c.id), audience, "capacities")
    return [
        CapacityRow(
            row.id,
            row.item,
            row.org_id,
            row.name_en,
            row.name_ja,
            row.unit,
            row.year,
            row.low,
            row.central,
            row.high,
            row.basis,
            row.description_en or "",
            row.description_ja or "",
            tuple(row.source_ids or ()),
        )
        for row in connection.execute(query)
    ]


def read_makers(connection: Connection, audience: Audience, library: Library) -> dict[str, Maker]:
    """Organizations the audience may see, by id: those with a capability on an item's node or named in a
    capacity entry."""
    nodes = {node for item in library.items.values() for node in item.technology_ids}
    capabilities, organizations = TABLES_BY_NAME["capabilities"], TABLES_BY_NAME["organizations"]
    query = where_visible(
        select(capabilities.c.org_id).where(capabilities.c.technology_id.in_(sorted(nodes))), audience, "capabilities"
    )
    wanted = {row.org_id for row in connection.execute(query)}
    wanted |= {e.maker for item in library.items.values() for e in item.capacity if e.maker}
    columns = (organizations.c.id, organizations.c.name_en, organizations.c.name_ja, organizations.c.country)
    query = where_visible(select(*columns).where(organizations.c.id.in_(sorted(wanted))), audience, "organizations")
    return {
        row.id: Maker(row.id, row.name_en, row.name_ja or "", row.country or "") for row in connection.execute(query)
    }


def item_makers(connection: Connection, audience: Audience, item: Item, makers: dict[str, Maker]) -> list[Maker]:
    capabilities = TABLES_BY_NAME["capabilities"]
    query = where_visible(
        select(capabilities.c.org_id).where(capabilities.c.technology_id.in_(item.technology_ids)),
        audience,
        "capabilities",
    )
    ids = {row.org_id for row in connection.execute(query)} | {e.maker for e in item.capacity if e.maker}
    return sorted((makers[i] for i in ids if i in makers), key=lambda m: (m.country, m.name_en))


def _quantity(q: Quantity, label_en: str, label_ja: str) -> dict[str, Any]:
    return {
        "label_en": label_en,
        "label_ja": label_ja,
        "low": q.low,
        "central": q.central,
        "high": q.high,
        "basis": q.basis,
        "note_en": q.note_en,
        "note_ja": q.note_ja,
        "source_ids": list(q.source_ids),
    }


def _shares(item: Item, makers: dict[str, Maker], country: str, partners: list[str]) -> dict[str, float | None]:
    """Central capacity held by makers of the focus country, of partners, of others, and unattributed."""
    held: dict[str, float] = defaultdict(float)
    for entry in item.capacity:
        maker = makers.get(entry.maker) if entry.maker else None
        group = "unattributed"
        if maker is not None:
            group = "domestic" if maker.country == country else "partner" if maker.country in partners else "other"
        held[group] += entry.amount.central
    total = sum(held.values())
    keys = ("domestic", "partner", "other", "unattributed")
    return {k: (round(held[k] / total, 4) if total > 0 else None) for k in keys}


def _round(values: np.ndarray) -> list[float]:
    return [float(f"{v:.4g}") for v in values.tolist()]


def run(
    connection: Connection,
    audience: Audience,
    scenario: Scenario,
    library: Library | None = None,
    country: str = DEFAULT_COUNTRY,
    partners: list[str] | None = None,
    draws: int = DEFAULT_DRAWS,
    seed: int = 0,
) -> dict[str, Any]:
    """The scenario's result as plain data (the JSON the CLI prints and the API returns)."""
    library = library or bundled()
    country = check_country(country)
    partners = [check_country(p) for p in partners or [] if p.strip()]
    if country in partners:
        raise ScenarioError(f"{country} is the focus country; it cannot also be a partner")
    library, ignored = library.with_capacities(read_capacities(connection, audience))
    inputs: dict[Label, np.ndarray] = {}
    years, series = simulate(library, scenario, draws, seed, inputs)
    makers = read_makers(connection, audience, library)
    items = []
    for item_id, item in library.items.items():
        demand, capacity = series[item_id].demand, series[item_id].capacity
        p10, p50, p90 = np.percentile(demand, [10, 50, 90], axis=0)
        c10, c50, c90 = np.percentile(capacity, [10, 50, 90], axis=0)
        listed = item_makers(connection, audience, item, makers)
        shares = _shares(item, makers, country, partners)
        if item.fleet is not None:  # production follows the reactors, not the capacity entries
            assumptions = [_quantity(q, en, ja) for q, en, ja in item.fleet.quantities()]
        else:
            assumptions = [_quantity(item.growth, "Yearly growth of capacity", "生産能力の年成長率")]
        if item.initial_stock:
            assumptions.append(_quantity(item.initial_stock, "Stock in the first year", "初年度の在庫"))
        if item.fleet is None:
            assumptions += [_quantity(e.amount, e.label_en, e.label_ja) for e in item.capacity]
        assumptions += _design_lines(library, scenario, item_id)
        sources = sorted({s for a in assumptions for s in a["source_ids"]} | set(scenario.source_ids))
        items.append(
            {
                "id": item_id,
                "name_en": item.name_en,
                "name_ja": item.name_ja,
                "unit": item.unit,
                "stock": item.stock,
                "technology_ids": list(item.technology_ids),
                "demand_p10": _round(p10),
                "demand_p50": _round(p50),
                "demand_p90": _round(p90),
                "capacity": _round(c50),
                "capacity_p10": _round(c10),
                "capacity_p90": _round(c90),
                "first_shortfall_year": first_shortfall(years, demand, capacity),
                "shortfall_probability": _round((demand > capacity).mean(axis=0)),
                # None when no capacity entry names a maker: the share is unknown, not zero
                "domestic_share": None if shares["unattributed"] == 1 else shares["domestic"],
                "shares": shares,
                "makers": [
                    {"org_id": m.org_id, "name_en": m.name_en, "name_ja": m.name_ja, "country": m.country}
                    for m in listed
                ],
                "makers_domestic": sum(m.country == country for m in listed),
                "makers_partner": sum(m.country in partners for m in listed),
                "assumptions": assumptions,
                "sensitivity": sensitivity(years, demand, capacity, inputs),
                "sources": sources,
            }
        )
    return {
        "scenario": scenario.id,
        "name_en": scenario.name_en,
        "name_ja": scenario.name_ja,
        "country": country,
        "partners": partners,
        "draws": draws,
        "years": [int(y) for y in years],
        "plants": [
            {"design": p.design, "count": p.count, "operation_start": p.operation_start, "dt_start": p.dt_start}
            for p in scenario.plants
        ],
        "items": items,
        "ignored_capacities": ignored,
    }


def _design_lines(library: Library, scenario: Scenario, item_id: str) -> list[dict[str, Any]]:
    """The bill-of-materials lines (and the fusion inputs for tritium and lithium-6) the scenario's designs use."""
    found = []
    for design_id in dict.fromkeys(p.design for p in scenario.plants):
        design = library.designs[design_id]
        for line in design.bom:
            if line.item == item_id:
                found.append(_quantity(line.quantity, f"{design.name_en}: quantity", f"{design.name_ja}：数量"))
                if line.replace_every_years:
                    found.append(
                        _quantity(
                            line.replace_every_years,
                            f"{design.name_en}: replaced every (years)",
                            f"{design.name_ja}：交換周期（年）",
                        )
                    )
        if item_id in ("tritium", "lithium-6"):
            found.append(
                _quantity(
                    design.fusion_power_mw,
                    f"{design.name_en}: fusion power (MW)",
                    f"{design.name_ja}：核融合出力（MW）",
                )
            )
            found.append(_quantity(design.availability, f"{design.name_en}: availability", f"{design.name_ja}：稼働率"))
            found.append(
                _quantity(design.breeding_ratio, f"{design.name_en}: breeding ratio", f"{design.name_ja}：増殖比")
            )
        if item_id == "tritium":
            found.append(
                _quantity(
                    design.startup_tritium_kg,
                    f"{design.name_en}: start-up tritium (kg)",
                    f"{design.name_ja}：初期装荷トリチウム（kg）",
                )
            )
    return found


def summary(library: Library | None = None) -> list[dict[str, Any]]:
    """The bundled scenarios as the list command and the API show them."""
    library = library or bundled()
    return [
        {
            "id": s.id,
            "name_en": s.name_en,
            "name_ja": s.name_ja,
            "description_en": s.description_en,
            "description_ja": s.description_ja,
            "sources": list(s.source_ids),
            "plants": sum(p.count for p in s.plants),
        }
        for s in library.scenarios.values()
    ]


def demand_by_node(
    connection: Connection, scenario: Scenario | str, audience: Audience = PUBLIC, draws: int = 200
) -> dict[str, float]:
    """Per technology node: the peak, over the scenario's years, of median demand / median capacity for the items
    on that node (the largest when several items share it; a node whose items have no capacity the audience may
    see gets infinity). Nodes with no demand are left out. Deterministic (seed 0)."""
    library, _ignored = bundled().with_capacities(read_capacities(connection, audience))
    found = library.scenario(scenario) if isinstance(scenario, str) else scenario
    _years, series = simulate(library, found, draws, seed=0)
    pressure: dict[str, float] = {}
    for item_id, item in library.items.items():
        demand = np.median(series[item_id].demand, axis=0)
        capacity = np.median(series[item_id].capacity, axis=0)
        if not demand.any():
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = float(np.max(np.where(demand > 0, demand / capacity, 0.0)))
        for node in item.technology_ids:
            pressure[node] = max(pressure.get(node, 0.0), round(ratio, 4))
    return pressure


def read_sources(connection: Connection, audience: Audience, ids: set[str]) -> dict[str, dict[str, str]]:
    """Title, publisher, date and address of the cited sources the audience may see, by id."""
    sources = TABLES_BY_NAME["sources"]
    columns = (sources.c.id, sources.c.title, sources.c.publisher, sources.c.date, sources.c.url)
    query = where_visible(select(*columns).where(sources.c.id.in_(sorted(ids))), audience, "sources")
    return {
        row.id: {
            "title": row.title,
            "publisher": row.publisher or "",
            "date": str(row.date or ""),
            "url": row.url or "",
        }
        for row in connection.execute(query)
    }
