"""The scenario inputs, read from YAML and checked before any arithmetic.

Three kinds of file: `items.yaml` (the critical items, each with its capacity entries and growth), `designs.yaml`
(plant designs and their bills of materials) and one file per scenario in `scenarios/` (plants, counts and years).
A user scenario is a file of the third kind. Every number is a `Quantity`: a sourced or derived value names its
sources; an assumption carries a range (low <= central <= high) and says so. A problem names file, line and field.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from fusionatlas.scenarios.tritium import Fleet

DATA = Path(__file__).resolve().parent / "data"
BASES = ("sourced", "derived", "assumption")
FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_FILE_BYTES = 200_000


class ScenarioError(ValueError):
    """Bad scenario input; the message names the file, the line and the field."""


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Keeps the line of every mapping (as `__line__`) so that problems can name it."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


@dataclass(frozen=True)
class Quantity:
    low: float
    central: float
    high: float
    basis: str  # sourced | derived | assumption
    source_ids: tuple[str, ...] = ()
    note_en: str = ""
    note_ja: str = ""

    @property
    def uncertain(self) -> bool:
        return self.high > self.low


@dataclass(frozen=True)
class CapacityEntry:
    maker: str | None  # an organization id, or None for a world or "other makers" figure
    label_en: str
    label_ja: str
    amount: Quantity
    year: int


@dataclass(frozen=True)
class CapacityRow:
    """A row of the atlas's capacities table, as the scenarios read it."""

    id: str
    item: str
    org_id: str | None
    label_en: str
    label_ja: str
    unit: str
    year: int
    low: float
    central: float
    high: float
    basis: str
    note_en: str
    note_ja: str
    source_ids: tuple[str, ...]


@dataclass(frozen=True)
class Item:
    id: str
    name_en: str
    name_ja: str
    unit: str
    technology_ids: tuple[str, ...]
    stock: bool  # tritium: a stock that decays, is produced and drawn down, not a yearly flow
    capacity: tuple[CapacityEntry, ...]  # for a stock: yearly production
    growth: Quantity  # yearly growth of capacity (a fraction)
    initial_stock: Quantity | None = None  # a stock's amount in the scenario's first year
    growth_until: int = LAST_YEAR  # capacity stops growing (or shrinking) after this year
    fleet: Fleet | None = None  # a stock made by reactors (tritium): production follows their schedule


@dataclass(frozen=True)
class BomLine:
    item: str
    quantity: Quantity
    replace_every_years: Quantity | None = None


@dataclass(frozen=True)
class Design:
    id: str
    name_en: str
    name_ja: str
    fusion_power_mw: Quantity
    availability: Quantity
    breeding_ratio: Quantity
    startup_tritium_kg: Quantity
    construction_years: int
    bom: tuple[BomLine, ...]


@dataclass(frozen=True)
class Plant:
    design: str
    count: int
    operation_start: int
    dt_start: int
    line: int | None


@dataclass(frozen=True)
class Scenario:
    id: str
    name_en: str
    name_ja: str
    description_en: str
    description_ja: str
    source_ids: tuple[str, ...]
    start_year: int
    end_year: int
    slip_years: Quantity
    plants: tuple[Plant, ...]
    growth: dict[str, Quantity] = field(default_factory=dict)  # per-item overrides of capacity growth
    path: str = ""


class _Reader:
    """Field access on one file's mappings, raising `ScenarioError` with file, line and field."""

    def __init__(self, name: str) -> None:
        self.name = name

    def fail(self, data: Any, fieldname: str, message: str) -> ScenarioError:
        line = data.get("__line__") if isinstance(data, dict) else None
        where = f"{self.name}:{line}" if line else self.name
        return ScenarioError(f"{where}: field {fieldname!r}: {message}")

    def text(self, data: dict[str, Any], name: str, required: bool = True) -> str:
        value = data.get(name)
        if value is None or value == "":
            if required:
                raise self.fail(data, name, "is missing")
            return ""
        if not isinstance(value, str):
            raise self.fail(data, name, f"must be text, not {value!r}")
        return value.strip()

    def number(self, data: dict[str, Any], name: str, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(data, name, f"must be a number, not {value!r}")
        if value < 0:
            raise self.fail(data, name, f"must not be negative ({value})")
        return float(value)

    def year(self, data: dict[str, Any], name: str) -> int:
        value = data.get(name)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(data, name, f"must be a year (a whole number), not {value!r}")
        if not FIRST_YEAR <= value <= LAST_YEAR:
            raise self.fail(data, name, f"year {value} is outside {FIRST_YEAR}-{LAST_YEAR}")
        return value

    def whole(self, data: dict[str, Any], name: str, minimum: int, maximum: int) -> int:
        value = data.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
            raise self.fail(data, name, f"must be a whole number from {minimum} to {maximum}, not {value!r}")
        return value

    def ids(self, data: dict[str, Any], name: str) -> tuple[str, ...]:
        value = data.get(name) or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(data, name, "must be a list of ids")
        return tuple(v.strip() for v in value)

    def quantity(self, data: dict[str, Any], name: str, signed: bool = False) -> Quantity:
        """`name: 12` is refused (no basis); `name: {value: 12, basis: sourced, source_ids: [...]}` or
        `name: {low: 1, central: 2, high: 4, basis: assumption, note_en: ..., note_ja: ...}`."""
        raw = data.get(name)
        if not isinstance(raw, dict):
            raise self.fail(data, name, "must be a mapping with value (or low/central/high) and basis")
        basis = raw.get("basis")
        if basis not in BASES:
            raise self.fail(raw, f"{name}.basis", f"must be one of {', '.join(BASES)}, not {basis!r}")
        number = (lambda k, v: self._signed(raw, k, v)) if signed else (lambda k, v: self.number(raw, k, v))
        if "value" in raw:
            low = central = high = number(f"{name}.value", raw["value"])
        else:
            for key in ("low", "central", "high"):
                if key not in raw:
                    raise self.fail(raw, f"{name}.{key}", "is missing (give value, or low, central and high)")
            low = number(f"{name}.low", raw["low"])
            central = number(f"{name}.central", raw["central"])
            high = number(f"{name}.high", raw["high"])
            if low > high:
                raise self.fail(raw, f"{name}.low", f"the range is reversed: low {low:g} > high {high:g}")
            if not low <= central <= high:
                raise self.fail(raw, f"{name}.central", f"{central:g} is outside {low:g}-{high:g}")
        sources = self.ids(raw, "source_ids")
        note_en, note_ja = self.text(raw, "note_en", False), self.text(raw, "note_ja", False)
        if basis in ("sourced", "derived") and not sources:
            raise self.fail(raw, f"{name}.source_ids", f"a {basis} quantity names its sources")
        if basis == "assumption":
            if high == low and central != 0:
                raise self.fail(raw, f"{name}.high", "an assumption is a range (low < high), not one number")
            if not (note_en and note_ja):
                raise self.fail(raw, f"{name}.note_en", "an assumption says why, in English and Japanese")
        return Quantity(low, central, high, basis, sources, note_en, note_ja)

    def _signed(self, data: dict[str, Any], name: str, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not -1.0 < value < 10.0:
            raise self.fail(data, name, f"must be a yearly rate between -1 and 10, not {value!r}")
        return float(value)


def _load(path: Path, text: str | None = None) -> Any:
    name = path.name
    try:
        if text is None:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise ScenarioError(f"{name}: the file is larger than {MAX_FILE_BYTES} bytes")
            text = path.read_text(encoding="utf-8")
        return yaml.load(text, Loader=_Loader)
    except UnicodeDecodeError:
        raise ScenarioError(f"{name}: not UTF-8 text") from None
    except FileNotFoundError:
        raise ScenarioError(f"{name}: no such file") from None
    except RecursionError:
        raise ScenarioError(f"{name}: the YAML is nested too deeply") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise ScenarioError(f"{name}{where}: malformed YAML: {getattr(error, 'problem', error)}") from None


def _records(path: Path) -> list[dict[str, Any]]:
    data = _load(path)
    if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
        raise ScenarioError(f"{path.name}: expected a YAML list of mappings")
    seen: set[str] = set()
    for record in data:
        rid = record.get("id")
        if not isinstance(rid, str) or not rid:
            raise _Reader(path.name).fail(record, "id", "is missing")
        if rid in seen:
            raise _Reader(path.name).fail(record, "id", f"{rid!r} is given twice")
        seen.add(rid)
    return data


def read_items(path: Path = DATA / "items.yaml") -> dict[str, Item]:
    from fusionatlas.scenarios.tritium import read_fleet  # tritium builds on this module's reader

    reader, items = _Reader(path.name), {}
    for record in _records(path):
        fleet = None
        if "fleet" in record:
            if not record.get("stock"):
                raise reader.fail(record, "fleet", "only a stock item (stock: true) is made by a reactor fleet")
            fleet = read_fleet(path.parent / reader.text(record, "fleet"))
        entries = []
        raw_entries = record.get("capacity") or []  # bundled items take theirs from the capacities table
        if not isinstance(raw_entries, list):
            raise reader.fail(record, "capacity", "must be a list of capacity entries")
        for raw in raw_entries:
            if not isinstance(raw, dict):
                raise reader.fail(record, "capacity", "every entry must be a mapping")
            maker = raw.get("maker")
            if maker is not None and (not isinstance(maker, str) or not maker.startswith("org:")):
                raise reader.fail(raw, "maker", f"must be an organization id (org:...) or empty, not {maker!r}")
            entries.append(
                CapacityEntry(
                    maker,
                    reader.text(raw, "label_en"),
                    reader.text(raw, "label_ja"),
                    reader.quantity(raw, "amount"),
                    reader.year(raw, "year"),
                )
            )
        item = Item(
            record["id"],
            reader.text(record, "name_en"),
            reader.text(record, "name_ja"),
            reader.text(record, "unit"),
            reader.ids(record, "technology_ids"),
            bool(record.get("stock", False)),
            tuple(entries),
            _growth(reader, record, fleet),
            reader.quantity(record, "initial_stock") if record.get("stock") else None,
            reader.year(record, "growth_until") if "growth_until" in record else LAST_YEAR,
            fleet,
        )
        if not item.technology_ids:
            raise reader.fail(record, "technology_ids", "names at least one technology node")
        items[item.id] = item
    return items


def _growth(reader: _Reader, record: dict[str, Any], fleet: Fleet | None) -> Quantity:
    """An item's yearly growth of capacity; an item made by a fleet follows the fleet's schedule instead."""
    if fleet is not None:
        if "growth" in record:
            raise reader.fail(record, "growth", "an item made by a reactor fleet follows the fleet's schedule")
        return Quantity(0.0, 0.0, 0.0, "derived", note_en="follows the reactor fleet", note_ja="原子炉群の計画に従う")
    return reader.quantity(record, "growth", signed=True)


def read_designs(items: dict[str, Item], path: Path = DATA / "designs.yaml") -> dict[str, Design]:
    reader, designs = _Reader(path.name), {}
    for record in _records(path):
        bom = []
        for raw in record.get("bom") or []:
            if not isinstance(raw, dict):
                raise reader.fail(record, "bom", "every line must be a mapping")
            item = reader.text(raw, "item")
            if item not in items:
                raise reader.fail(raw, "item", f"unknown item {item!r}")
            if items[item].stock:
                raise reader.fail(raw, "item", f"{item!r} is computed from fusion power, not listed")
            replace = reader.quantity(raw, "replace_every_years") if "replace_every_years" in raw else None
            if replace is not None and replace.low < 1:
                raise reader.fail(raw, "replace_every_years", "must be at least one year")
            bom.append(BomLine(item, reader.quantity(raw, "quantity"), replace))
        design = Design(
            record["id"],
            reader.text(record, "name_en"),
            reader.text(record, "name_ja"),
            reader.quantity(record, "fusion_power_mw"),
            reader.quantity(record, "availability"),
            reader.quantity(record, "breeding_ratio"),
            reader.quantity(record, "startup_tritium_kg"),
            reader.whole(record, "construction_years", 1, 20),
            tuple(bom),
        )
        if design.availability.high > 1:
            raise reader.fail(record, "availability", "is a fraction of the year (at most 1)")
        designs[design.id] = design
    return designs


def parse_scenario(path: Path, designs: dict[str, Design], items: dict[str, Item], text: str | None = None) -> Scenario:
    """One scenario file (bundled or the user's); `text` when the YAML did not come from a file (the web form)."""
    reader = _Reader(path.name)
    data = _load(path, text)
    if not isinstance(data, dict):
        raise ScenarioError(f"{path.name}: expected a YAML mapping (id, name_en, plants...)")
    start, end = reader.year(data, "start_year"), reader.year(data, "end_year")
    if end < start or end - start > 80:
        raise reader.fail(data, "end_year", f"must be 0-80 years after start_year {start}")
    plants = []
    raw_plants = data.get("plants")
    if not isinstance(raw_plants, list) or not raw_plants:
        raise reader.fail(data, "plants", "must list at least one plant")
    for raw in raw_plants:
        if not isinstance(raw, dict):
            raise reader.fail(data, "plants", "every plant must be a mapping")
        design = reader.text(raw, "design")
        if design not in designs:
            raise reader.fail(raw, "design", f"unknown plant design {design!r} (known: {', '.join(sorted(designs))})")
        operation = reader.year(raw, "operation_start")
        dt_start = reader.year(raw, "dt_start") if "dt_start" in raw else operation
        if dt_start < operation:
            raise reader.fail(raw, "dt_start", "cannot come before operation_start")
        if operation - designs[design].construction_years < FIRST_YEAR:
            raise reader.fail(raw, "operation_start", f"construction would start before {FIRST_YEAR}")
        plants.append(Plant(design, reader.whole(raw, "count", 1, 1000), operation, dt_start, raw.get("__line__")))
    growth = {}
    raw_growth = data.get("capacity_growth") or {}
    if not isinstance(raw_growth, dict):
        raise reader.fail(data, "capacity_growth", "must map item ids to growth rates")
    for key in raw_growth:
        if key == "__line__":
            continue
        if key not in items:
            raise reader.fail(raw_growth, f"capacity_growth.{key}", f"unknown item {key!r}")
        growth[key] = reader.quantity(raw_growth, key, signed=True)
    sid = reader.text(data, "id")
    return Scenario(
        sid,
        reader.text(data, "name_en"),
        reader.text(data, "name_ja"),
        reader.text(data, "description_en", False),
        reader.text(data, "description_ja", False),
        reader.ids(data, "source_ids"),
        start,
        end,
        reader.quantity(data, "slip_years"),
        tuple(plants),
        growth,
        path.name,
    )


@dataclass(frozen=True)
class Library:
    items: dict[str, Item]
    designs: dict[str, Design]
    scenarios: dict[str, Scenario]

    def with_capacities(self, rows: list[CapacityRow]) -> tuple[Library, list[dict[str, str]]]:
        """This library with the capacity rows added to their items' entries, and the rows left out (an unknown
        item, or a unit other than the item's), each with the reason."""
        added: dict[str, list[CapacityEntry]] = {item_id: [] for item_id in self.items}
        ignored = []
        for row in rows:
            item = self.items.get(row.item)
            if item is None:
                ignored.append({"id": row.id, "reason": f"unknown item {row.item!r}"})
            elif row.unit != item.unit:
                ignored.append({"id": row.id, "reason": f"unit {row.unit!r} is not the item's unit {item.unit!r}"})
            else:
                amount = Quantity(row.low, row.central, row.high, row.basis, row.source_ids, row.note_en, row.note_ja)
                added[row.item].append(CapacityEntry(row.org_id, row.label_en, row.label_ja, amount, row.year))
        items = {
            item_id: replace(item, capacity=item.capacity + tuple(added[item_id]))
            for item_id, item in self.items.items()
        }
        return Library(items, self.designs, self.scenarios), ignored

    def scenario(self, name: str) -> Scenario:
        if name not in self.scenarios:
            known = ", ".join(sorted(self.scenarios))
            raise ScenarioError(f"unknown scenario {name!r} (known: {known})")
        return self.scenarios[name]

    def source_ids(self) -> set[str]:
        """Every source id the bundled inputs cite (the tests check each is in the atlas's sources)."""
        found: set[str] = set()
        quantities: list[Quantity] = [i.growth for i in self.items.values()]
        quantities += [i.initial_stock for i in self.items.values() if i.initial_stock]
        quantities += [e.amount for i in self.items.values() for e in i.capacity]
        for item in self.items.values():
            if item.fleet is not None:
                found.update(item.fleet.source_ids())
        for d in self.designs.values():
            quantities += [d.fusion_power_mw, d.availability, d.breeding_ratio, d.startup_tritium_kg]
            quantities += [b.quantity for b in d.bom] + [b.replace_every_years for b in d.bom if b.replace_every_years]
        for s in self.scenarios.values():
            found.update(s.source_ids)
            quantities += [s.slip_years, *s.growth.values()]
        for q in quantities:
            found.update(q.source_ids)
        return found


@lru_cache(maxsize=1)
def bundled() -> Library:
    """The items, designs and scenarios shipped with FusionAtlas (read once per process)."""
    items = read_items()
    designs = read_designs(items)
    scenarios = {}
    for path in sorted((DATA / "scenarios").glob("*.yaml")):
        scenario = parse_scenario(path, designs, items)
        if scenario.id in scenarios:
            raise ScenarioError(f"{path.name}: scenario id {scenario.id!r} is given twice")
        scenarios[scenario.id] = scenario
    return Library(items, designs, scenarios)
