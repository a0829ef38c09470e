"""Validation of the tritium stock model against published projections.

Each file in `data/validation/` states one published case: where its stock starts, the reactor fleet (with
each unit's operating periods and rate), other uses, the fusion devices' consumption and the published values
(with the figure they were read from and how). `compare` runs the same stock arithmetic the scenarios use
(`tritium.project_stock`) on those assumptions and sets our value beside each published one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from fusionatlas.scenarios.inputs import DATA, Quantity, ScenarioError, _load, _Reader
from fusionatlas.scenarios.tritium import Fleet, parse_fleet, project_stock

VALIDATION = DATA / "validation"


@dataclass(frozen=True)
class Published:
    figure: str
    year: int
    value: float
    digitized_x: float | None


@dataclass(frozen=True)
class Use:
    start: int
    end: int  # inclusive
    kg_per_year: float
    label_en: str


@dataclass(frozen=True)
class Reference:
    id: str
    reference: str
    case_en: str
    case_ja: str
    source_ids: tuple[str, ...]
    start_year: int
    end_year: int
    initial_stock: Quantity
    consumption: tuple[Use, ...]
    fleet: Fleet
    published: tuple[Published, ...]
    peak: Published | None
    published_source_ids: tuple[str, ...]
    path: str


def _published(reader: _Reader, raw: Any, start: int, end: int) -> Published:
    if not isinstance(raw, dict):
        raise ScenarioError(f"{reader.name}: every published value is a mapping (figure, year, value)")
    year = reader.year(raw, "year")
    if not start <= year <= end:
        raise reader.fail(raw, "year", f"{year} is outside the run's years {start}-{end}")
    x = raw.get("digitized_x")
    return Published(
        reader.text(raw, "figure"),
        year,
        reader.number(raw, "value", raw.get("value")),
        None if x is None else reader.number(raw, "digitized_x", x),
    )


def read_reference(path: Path) -> Reference:
    reader = _Reader(path.name)
    data = _load(path)
    if not isinstance(data, dict):
        raise ScenarioError(f"{path.name}: expected a YAML mapping (id, reference, fleet, published...)")
    start, end = reader.year(data, "start_year"), reader.year(data, "end_year")
    if end <= start:
        raise reader.fail(data, "end_year", f"must come after start_year {start}")
    uses = []
    for raw in data.get("consumption") or []:
        if not isinstance(raw, dict):
            raise reader.fail(data, "consumption", "every entry is a mapping {from, to, kg_per_year}")
        first, last = reader.year(raw, "from"), reader.year(raw, "to")
        if last < first:
            raise reader.fail(raw, "to", f"must not come before from ({first})")
        uses.append(
            Use(first, last, reader.number(raw, "kg_per_year", raw.get("kg_per_year")), reader.text(raw, "label_en"))
        )
    fleet_data = data.get("fleet")
    if not isinstance(fleet_data, dict):
        raise reader.fail(data, "fleet", "must be a mapping (reactors, other_uses_kg_per_year)")
    published = data.get("published")
    if not isinstance(published, list) or not published:
        raise reader.fail(data, "published", "must list at least one published value")
    sources = reader.ids(data, "published_source_ids")
    if not sources:
        raise reader.fail(data, "published_source_ids", "published values name their sources")
    return Reference(
        reader.text(data, "id"),
        reader.text(data, "reference"),
        reader.text(data, "case_en"),
        reader.text(data, "case_ja"),
        reader.ids(data, "source_ids"),
        start,
        end,
        reader.quantity(data, "initial_stock"),
        tuple(uses),
        parse_fleet(fleet_data, reader, path.name),
        tuple(_published(reader, raw, start, end) for raw in published),
        _published(reader, data["peak"], start, end) if "peak" in data else None,
        sources,
        path.name,
    )


def references(folder: Path = VALIDATION) -> list[Reference]:
    return [read_reference(path) for path in sorted(folder.glob("*.yaml"))]


def project(reference: Reference) -> tuple[np.ndarray, np.ndarray]:
    """The years and the stock on 1 January of each, on the reference's central assumptions."""
    years = np.arange(reference.start_year, reference.end_year + 1)
    production = reference.fleet.production(
        years, reference.fleet.kg_per_gwe_year.central, reference.fleet.other_uses_kg_per_year.central
    )
    consumption = np.zeros(len(years))
    for use in reference.consumption:
        consumption[(years >= use.start) & (years <= use.end)] += use.kg_per_year
    return years, project_stock(reference.initial_stock.central, production, consumption)


def _row(reference: Reference, figure: str, year: int, published: float, ours: float) -> dict[str, Any]:
    return {
        "reference": reference.reference,
        "id": reference.id,
        "figure": figure,
        "year": year,
        "published": published,
        "ours": round(ours, 2),
        "relative_error": round((ours - published) / published, 4),
        "sources": list(reference.published_source_ids),
    }


def compare(reference: Reference) -> list[dict[str, Any]]:
    """One row per published value (and the peak: our peak value, at our peak year, beside the published one)."""
    years, stock = project(reference)
    at = dict(zip(years.tolist(), stock.tolist(), strict=True))
    rows = [_row(reference, p.figure, p.year, p.value, at[p.year]) for p in reference.published]
    if reference.peak is not None:
        top = int(np.argmax(stock))
        row = _row(reference, reference.peak.figure, reference.peak.year, reference.peak.value, float(stock[top]))
        row["ours_year"] = int(years[top])
        rows.append(row)
    return rows


def validate(folder: Path = VALIDATION) -> dict[str, Any]:
    """Every reference's rows, as `fusionatlas scenarios validate --json` prints them."""
    return {"references": [row for reference in references(folder) for row in compare(reference)]}
