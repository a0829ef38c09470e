"""The Monte Carlo of demand against capacity, vectorised over draws (numpy, float32).

Each draw picks every uncertain input from its triangular distribution (low, central, high): the quantities of
each design (shared by all plants of that design: one design's uncertainty is one number), each plant group's
schedule slip, each item's capacity and its yearly growth. Demand per item and year then adds, per plant:
- construction: the bill of materials spread evenly over the design's construction years before operation;
- replacements: the component's quantity again every `replace_every_years` after operation starts;
- operation: tritium burnt (fusion power x availability, less what the plant breeds back, never below zero)
  from D-T start, a start-up inventory the year before, and lithium-6 split to breed the tritium.
A stock item (tritium) decays and is drawn down: what a year can supply is its stock on 1 January plus the
year's production; the stock then loses a year's decay, and the year's net flow (production less demand) half a
year's; demand beyond it is unmet and the stock stays at zero. A shortfall is demand above capacity.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fusionatlas.scenarios import physics
from fusionatlas.scenarios.inputs import Item, Library, Quantity, Scenario
from fusionatlas.scenarios.tritium import decay_step

Array = np.ndarray
TRITIUM, LITHIUM6 = "tritium", "lithium-6"
MAX_DRAWS = 20_000
LABEL_RATE = ("made per GW(e)-year of reactor operation", "原子炉運転1 GW(e)・年あたりの生成量")
LABEL_OTHER = ("other uses", "他用途")


@dataclass(frozen=True)
class ItemSeries:
    """Per item: arrays of shape (draws, years)."""

    demand: Array
    capacity: Array


def draw(rng: np.random.Generator, quantity: Quantity, draws: int) -> Array:
    """`draws` values of a quantity: its triangular distribution, or its value when it is exact."""
    low, mode, high = quantity.low, quantity.central, quantity.high
    if high <= low:
        return np.full(draws, mode, dtype=np.float32)
    # the inverse of the triangular distribution's CDF on float32 uniforms (several times faster than
    # Generator.triangular, which draws float64)
    u = rng.random(draws, dtype=np.float32)
    split = (mode - low) / (high - low)
    rising = low + np.sqrt(u * (high - low) * (mode - low))
    falling = high - np.sqrt((1 - u) * (high - low) * (high - mode))
    return np.where(u < split, rising, falling).astype(np.float32)


class _Demand:
    """Demand of one item, reduced over plants as they are added: a yearly rate kept as differences (added where
    it starts, taken off where it stops, summed once at the end) and one-off amounts in the years they fall.
    An addition touches one cell per draw (a flat index into one float32 table; one cell per draw, so the
    indexes of one addition never repeat), not a whole (draws, years) array."""

    def __init__(self, draws: int, years: int) -> None:
        self.draws, self.years = draws, years
        self.width = 2 * years + 1  # per draw: rate differences (years + 1 cells), then one-offs (years cells)
        self.row_start = np.arange(draws, dtype=np.int64) * self.width
        self.table = np.zeros(draws * self.width, dtype=np.float32)

    def add_rate(self, value: Array, start: Array, stop: Array | None = None) -> None:
        """`value` a year, per draw, from year index `start` until before `stop` (to the end when None)."""
        self.table[self.row_start + np.clip(start, 0, self.years)] += value
        if stop is not None:
            self.table[self.row_start + np.clip(stop, 0, self.years)] -= value

    def add_once(self, value: Array, at: Array) -> None:
        inside = (at >= 0) & (at < self.years)
        self.table[self.row_start[inside] + self.years + 1 + at[inside]] += value[inside]

    def total(self) -> Array:
        table = self.table.reshape(self.draws, self.width)
        return np.cumsum(table[:, : self.years], axis=1) + table[:, self.years + 1 :]


Label = tuple[str, str]  # an input's name in English and Japanese


def simulate(
    library: Library, scenario: Scenario, draws: int = 1000, seed: int = 0, inputs: dict[Label, Array] | None = None
) -> tuple[Array, dict[str, ItemSeries]]:
    """Demand and capacity per item, as (draws, years) arrays, and the years. When `inputs` is given it receives
    the draws of every uncertain input, by name (for the sensitivity view)."""
    drawn: dict[Label, Array] = {} if inputs is None else inputs
    if not 1 <= draws <= MAX_DRAWS:
        raise ValueError(f"draws must be from 1 to {MAX_DRAWS}, not {draws}")
    rng = np.random.default_rng(seed)
    years = np.arange(scenario.start_year, scenario.end_year + 1, dtype=np.int32)
    demand = {item_id: _Demand(draws, len(years)) for item_id in library.items}
    design_draws: dict[tuple[str, str, int], Array] = {}

    def once(design_id: str, name: str, index: int, quantity: Quantity, label: Label) -> Array:
        key = (design_id, name, index)
        if key not in design_draws:
            design_draws[key] = draw(rng, quantity, draws)
            if quantity.uncertain:
                drawn[label] = design_draws[key]
        return design_draws[key]

    for plant in scenario.plants:
        design = library.designs[plant.design]
        slip_draws = draw(rng, scenario.slip_years, draws)
        if scenario.slip_years.uncertain:
            drawn[
                (
                    f"{design.name_en} ({plant.operation_start}): schedule slip",
                    f"{design.name_ja}（{plant.operation_start}年）：遅延",
                )
            ] = slip_draws
        slip = np.rint(slip_draws).astype(np.int64)
        operation = plant.operation_start - scenario.start_year + slip  # year indexes, per draw
        for index, line in enumerate(design.bom):
            item = library.items[line.item]
            label = (f"{design.name_en}: {item.name_en}", f"{design.name_ja}：{item.name_ja}")
            quantity = once(design.id, "bom", index, line.quantity, label) * plant.count
            demand[line.item].add_rate(
                quantity / design.construction_years, operation - design.construction_years, operation
            )
            if line.replace_every_years is not None:
                every = np.maximum(
                    1,
                    np.rint(
                        once(
                            design.id,
                            "replace",
                            index,
                            line.replace_every_years,
                            (f"{label[0]}, replaced every", f"{label[1]}の交換周期"),
                        )
                    ),
                ).astype(np.int64)
                for times in range(1, len(years) // int(every.min()) + 1):
                    demand[line.item].add_once(quantity, operation + times * every)
        power = once(
            design.id,
            "power",
            0,
            design.fusion_power_mw,
            (f"{design.name_en}: fusion power", f"{design.name_ja}：核融合出力"),
        )
        availability = once(
            design.id,
            "availability",
            0,
            design.availability,
            (f"{design.name_en}: availability", f"{design.name_ja}：稼働率"),
        )
        breeding = once(
            design.id,
            "breeding",
            0,
            design.breeding_ratio,
            (f"{design.name_en}: breeding ratio", f"{design.name_ja}：増殖比"),
        )
        burnt = np.float32(physics.tritium_burn_kg(1.0)) * power * availability * plant.count
        dt_from = plant.dt_start - scenario.start_year + slip
        if TRITIUM in demand:
            demand[TRITIUM].add_rate(burnt * np.maximum(0.0, 1.0 - breeding), dt_from)
            demand[TRITIUM].add_once(
                once(
                    design.id,
                    "startup",
                    0,
                    design.startup_tritium_kg,
                    (f"{design.name_en}: start-up tritium", f"{design.name_ja}：初期装荷トリチウム"),
                )
                * plant.count,
                dt_from - 1,
            )
        if LITHIUM6 in demand:
            demand[LITHIUM6].add_rate(np.float32(physics.lithium6_for_tritium_t(1.0)) * burnt * breeding, dt_from)

    series = {}
    totals = {item_id: found.total() for item_id, found in demand.items()}
    for item_id, item in library.items.items():
        assumed = scenario.growth.get(item_id, item.growth)
        growth = draw(rng, assumed, draws)
        if assumed.uncertain:
            drawn[(f"{item.name_en}: capacity growth", f"{item.name_ja}：生産能力の成長率")] = growth
        if item.fleet is not None:
            capacity = _fleet_production(rng, item, years, draws, drawn)
        else:
            capacity = _capacity(rng, item, growth, years, draws, drawn)
        if item.stock:
            capacity = _stock(rng, item, capacity, totals[item_id], draws, drawn)
        series[item_id] = ItemSeries(totals[item_id], capacity)
    return years, series


def _capacity(
    rng: np.random.Generator, item: Item, growth: Array, years: Array, draws: int, drawn: dict[Label, Array]
) -> Array:
    total = np.zeros((draws, len(years)), dtype=np.float32)
    for entry in item.capacity:
        amount = draw(rng, entry.amount, draws)
        if entry.amount.uncertain:
            drawn[(f"{item.name_en}: {entry.label_en}", f"{item.name_ja}：{entry.label_ja}")] = amount
        grown = np.minimum(years, max(item.growth_until, entry.year)) - entry.year  # flat after growth_until
        factor = (1.0 + growth[:, None]) ** grown[None, :].astype(np.float32)
        total += amount[:, None] * factor
    return total


def _fleet_production(
    rng: np.random.Generator, item: Item, years: Array, draws: int, drawn: dict[Label, Array]
) -> Array:
    """A stock item's yearly production from its reactor fleet: the net gigawatts operating each year (their
    refurbishment outages and retirements) times the drawn rate per GW(e)-year, less the drawn other uses."""
    assert item.fleet is not None
    fleet = item.fleet
    rate = draw(rng, fleet.kg_per_gwe_year, draws)
    other = draw(rng, fleet.other_uses_kg_per_year, draws)
    pairs = ((fleet.kg_per_gwe_year, rate, LABEL_RATE), (fleet.other_uses_kg_per_year, other, LABEL_OTHER))
    for quantity, values, (label_en, label_ja) in pairs:
        if quantity.uncertain:
            drawn[(f"{item.name_en}: {label_en}", f"{item.name_ja}：{label_ja}")] = values
    gwe = fleet.operating_gwe(years).astype(np.float32)
    fixed = fleet.fixed_kg(years).astype(np.float32)
    return np.maximum(0.0, rate[:, None] * gwe[None, :] + fixed[None, :] - other[:, None]).astype(np.float32)


def _stock(
    rng: np.random.Generator, item: Item, production: Array, demand: Array, draws: int, drawn: dict[Label, Array]
) -> Array:
    """What each year can supply from a decaying stock: the stock on 1 January plus the year's production. The
    stock moves from year to year by `tritium.decay_step` (the arithmetic the validation checks against
    published projections)."""
    assert item.initial_stock is not None
    stock = draw(rng, item.initial_stock, draws)
    if item.initial_stock.uncertain:
        drawn[(f"{item.name_en}: stock in the first year", f"{item.name_ja}：初年度の在庫")] = stock
    supply = np.empty_like(production)
    for year in range(production.shape[1]):
        supply[:, year] = stock + production[:, year]
        stock = decay_step(stock, production[:, year] - demand[:, year]).astype(np.float32)
    return supply


def first_shortfall(years: Array, demand: Array, capacity: Array) -> int | None:
    """The first year whose median demand is above the median capacity (None if there is none)."""
    above = (np.median(demand, axis=0) > np.median(capacity, axis=0)) & (np.median(demand, axis=0) > 0)
    hits = np.flatnonzero(above)
    return int(years[hits[0]]) if hits.size else None


def shortfall_years(years: Array, demand: Array, capacity: Array) -> Array:
    """Per draw, the first year demand is above capacity; one year past the horizon when it never is."""
    short = (demand > capacity) & (demand > 0)
    first = np.where(short.any(axis=1), short.argmax(axis=1), len(years))
    return (years[0] + first).astype(np.float64)


def _ranks(values: Array) -> Array:
    """Ranks along the last axis (ties broken by order: enough for a screening correlation)."""
    return np.argsort(np.argsort(values, axis=-1, kind="stable"), axis=-1).astype(np.float64)


def sensitivity(
    years: Array, demand: Array, capacity: Array, inputs: dict[Label, Array], top: int = 5
) -> list[dict[str, object]]:
    """The inputs that move an item's first shortfall year most: Spearman rank correlation between each input's
    draws and the per-draw shortfall year, and the median shortfall year among the draws where the input is in
    its lowest and highest tenth. Empty when the shortfall year does not vary (never, or always the same year)."""
    found = shortfall_years(years, demand, capacity)
    if not inputs or np.ptp(found) == 0:
        return []
    labels = list(inputs)
    values = np.stack([inputs[label] for label in labels])
    x = _ranks(values)
    y = _ranks(found)
    x -= x.mean(axis=1, keepdims=True)
    y -= y.mean()
    rho = (x @ y) / np.sqrt((x * x).sum(axis=1) * (y * y).sum())
    order = np.argsort(-np.abs(rho))[:top]
    horizon = int(years[-1]) + 1
    rows = []
    for index in order:
        low_cut, high_cut = np.percentile(values[index], [10, 90])
        low, high = found[values[index] <= low_cut], found[values[index] >= high_cut]
        rows.append(
            {
                "input_en": labels[index][0],
                "input_ja": labels[index][1],
                "rho": round(float(rho[index]), 3),
                "shortfall_when_low": _year(np.median(low), horizon),
                "shortfall_when_high": _year(np.median(high), horizon),
            }
        )
    return rows


def _year(value: float, horizon: int) -> int | None:
    """A median shortfall year, None when it falls past the horizon (no shortfall)."""
    year = round(value)
    return None if year >= horizon else year
