"""The heavy-water reactor fleet that makes the world's civil tritium, and the tritium stock it feeds.

Tritium is made in the heavy water of CANDU-type reactors only while they run, so production follows each
reactor's schedule: the years it operates, its refurbishment outages (no production) and its retirement. A
reactor makes `kg_per_gwe_year` kilograms a year per gigawatt of its net electric capacity while it operates;
other (non-fusion) uses take `other_uses_kg_per_year` from what is produced.

Periods are decimal years: 2020.0 is 1 January 2020, an outage {from: 2020, to: 2023} stops production through
2020, 2021 and 2022, and a reactor `retired` in 2024.75 produced for three quarters of 2024.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from fusionatlas.scenarios import physics
from fusionatlas.scenarios.inputs import LAST_YEAR, Quantity, ScenarioError, _load, _Reader

EARLIEST = 1950.0  # reactor histories start before the scenarios' first year


@dataclass(frozen=True)
class Outage:
    start: float
    end: float  # exclusive
    basis: str  # sourced | assumption
    note_en: str = ""


@dataclass(frozen=True)
class Reactor:
    id: str
    station: str
    country: str
    net_mwe: float
    in_service: float | None  # None: in service before any year the model uses
    retired: float | None  # None: still operating at the horizon
    outages: tuple[Outage, ...]
    source_ids: tuple[str, ...]
    kg_per_year: float | None = None  # a reference's own per-reactor rate (validation files), else from net_mwe

    def operating_fraction(self, years: np.ndarray) -> np.ndarray:
        """The share of each calendar year the reactor operates (0 to 1)."""
        start = np.asarray(years, dtype=np.float64)
        end = start + 1.0

        def overlap(a: float, b: float) -> np.ndarray:
            return np.clip(np.minimum(end, b) - np.maximum(start, a), 0.0, 1.0)

        first = EARLIEST if self.in_service is None else self.in_service
        last = float(LAST_YEAR + 1) if self.retired is None else self.retired
        share = overlap(first, last)
        for outage in self.outages:
            share = share - overlap(max(outage.start, first), min(outage.end, last))
        return np.clip(share, 0.0, 1.0)


@dataclass(frozen=True)
class Fleet:
    reactors: tuple[Reactor, ...]
    kg_per_gwe_year: Quantity  # production per GW(e) of net capacity per operating year
    other_uses_kg_per_year: Quantity  # taken off production for non-fusion uses (sales)
    path: str = ""

    def operating_gwe(self, years: np.ndarray) -> np.ndarray:
        """Net gigawatts operating, averaged over each year (reactors without their own rate)."""
        total = np.zeros(len(years), dtype=np.float64)
        for reactor in self.reactors:
            if reactor.kg_per_year is None:
                total += reactor.operating_fraction(years) * reactor.net_mwe / 1000.0
        return total

    def fixed_kg(self, years: np.ndarray) -> np.ndarray:
        """Kilograms a year from reactors that carry their own rate (a reference's stated per-unit figures)."""
        total = np.zeros(len(years), dtype=np.float64)
        for reactor in self.reactors:
            if reactor.kg_per_year is not None:
                total += reactor.operating_fraction(years) * reactor.kg_per_year
        return total

    def production(self, years: np.ndarray, kg_per_gwe_year: float, other_uses: float) -> np.ndarray:
        """Kilograms a year available to fusion: the fleet's production less other uses (never below zero)."""
        made = self.operating_gwe(years) * kg_per_gwe_year + self.fixed_kg(years)
        return np.maximum(0.0, made - other_uses)

    def quantities(self) -> list[tuple[Quantity, str, str]]:
        return [
            (
                self.kg_per_gwe_year,
                "Tritium made per GW(e)-year of operation (kg)",
                "運転1 GW(e)・年あたりのトリチウム生成量（kg）",
            ),
            (self.other_uses_kg_per_year, "Tritium for other uses (kg/yr)", "他用途向けトリチウム（kg/年）"),
        ]

    def source_ids(self) -> set[str]:
        found = {s for r in self.reactors for s in r.source_ids}
        for quantity, _en, _ja in self.quantities():
            found.update(quantity.source_ids)
        return found


YEAR_KEEP, HALF_KEEP = physics.decay_factor(1.0), physics.decay_factor(0.5)


def decay_step(stock: Any, net_flow: Any) -> Any:
    """Next 1 January's stock: this year's stock decays for a whole year, the year's net flow (production less
    consumption, spread over the year) for half a year on average; what is not there is not consumed, so the
    stock never goes below zero. Floats or numpy arrays (one value per draw)."""
    return np.maximum(0.0, stock * YEAR_KEEP + net_flow * HALF_KEEP)


def project_stock(initial: float, production: np.ndarray, consumption: np.ndarray) -> np.ndarray:
    """The stock on 1 January of each year, from `initial` in the first, by `decay_step`."""
    net = np.asarray(production, dtype=np.float64) - np.asarray(consumption, dtype=np.float64)
    stock = np.empty(len(net), dtype=np.float64)
    current = float(initial)
    for index, flow in enumerate(net.tolist()):
        stock[index] = current
        current = float(decay_step(current, flow))
    return stock


def _decimal_year(reader: _Reader, data: dict[str, Any], name: str, required: bool = False) -> float | None:
    value = data.get(name)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise reader.fail(data, name, f"must be a year (decimals allowed: 2024.75 is 1 October), not {value!r}")
    if not EARLIEST <= value <= LAST_YEAR + 1:
        raise reader.fail(data, name, f"year {value} is outside {EARLIEST:.0f}-{LAST_YEAR + 1}")
    return float(value)


def _reactor(reader: _Reader, raw: Any, per_reactor_rate: bool) -> Reactor:
    if not isinstance(raw, dict):
        raise ScenarioError(f"{reader.name}: every reactor must be a mapping")
    outages = []
    for entry in raw.get("outages") or []:
        if not isinstance(entry, dict):
            raise reader.fail(raw, "outages", "every outage is a mapping {from, to, basis}")
        start, end = _decimal_year(reader, entry, "from", True), _decimal_year(reader, entry, "to", True)
        assert start is not None and end is not None
        if end <= start:
            raise reader.fail(entry, "to", f"must come after from ({start:g})")
        basis = entry.get("basis")
        if basis not in ("sourced", "assumption"):
            raise reader.fail(entry, "basis", f"must be sourced or assumption, not {basis!r}")
        note = reader.text(entry, "note_en", basis == "assumption")
        outages.append(Outage(start, end, basis, note))
    in_service, retired = _decimal_year(reader, raw, "in_service"), _decimal_year(reader, raw, "retired")
    if in_service is not None and retired is not None and retired <= in_service:
        raise reader.fail(raw, "retired", f"must come after in_service ({in_service:g})")
    sources = reader.ids(raw, "source_ids")
    if not sources:
        raise reader.fail(raw, "source_ids", "a reactor's schedule names its sources")
    rate = reader.number(raw, "kg_per_year", raw.get("kg_per_year")) if per_reactor_rate else None
    return Reactor(
        reader.text(raw, "id"),
        reader.text(raw, "station"),
        reader.text(raw, "country"),
        0.0 if per_reactor_rate else reader.number(raw, "net_mwe", raw.get("net_mwe")),
        in_service,
        retired,
        tuple(outages),
        sources,
        rate,
    )


def parse_fleet(data: dict[str, Any], reader: _Reader, path: str = "") -> Fleet:
    """A fleet mapping: `kg_per_gwe_year`, `other_uses_kg_per_year` and `reactors` (each with net_mwe, or with
    its own kg_per_year when the mapping says `per_reactor_rate: true`)."""
    per_reactor_rate = bool(data.get("per_reactor_rate", False))
    raw_reactors = data.get("reactors")
    if not isinstance(raw_reactors, list) or not raw_reactors:
        raise reader.fail(data, "reactors", "must list at least one reactor")
    reactors = tuple(_reactor(reader, raw, per_reactor_rate) for raw in raw_reactors)
    seen: set[str] = set()
    for reactor in reactors:
        if reactor.id in seen:
            raise ScenarioError(f"{reader.name}: reactor {reactor.id!r} is given twice")
        seen.add(reactor.id)
    # a fleet whose every reactor carries its own rate needs no rate per GW(e)-year
    rate = (
        Quantity(0.0, 0.0, 0.0, "derived", note_en="each reactor's own rate", note_ja="各炉の生成量")
        if per_reactor_rate and "kg_per_gwe_year" not in data
        else reader.quantity(data, "kg_per_gwe_year")
    )
    return Fleet(
        reactors,
        rate,
        reader.quantity(data, "other_uses_kg_per_year"),
        path,
    )


def read_fleet(path: Path) -> Fleet:
    data = _load(path)
    if not isinstance(data, dict):
        raise ScenarioError(f"{path.name}: expected a YAML mapping (kg_per_gwe_year, reactors...)")
    return parse_fleet(data, _Reader(path.name), path.name)
