"""The model on small hand-worked cases: one plant and one item, replacements, a shortfall at a known year,
a tritium stock that only decays, start-up inventory and burn."""

import textwrap

import numpy as np
import pytest

from fusionatlas.scenarios import physics
from fusionatlas.scenarios.inputs import Library, parse_scenario, read_designs, read_items
from fusionatlas.scenarios.model import first_shortfall, sensitivity, shortfall_years, simulate

EXACT = "basis: sourced, source_ids: [src:test]"


def _library(
    tmp_path, capacity=20, growth=0.0, stock=10.0, production=0.0, replace="", power=0, tbr=0, startup=0, until=2100
):
    (tmp_path / "items.yaml").write_text(
        textwrap.dedent(f"""\
        - id: widget
          name_en: Widget
          name_ja: ウィジェット
          unit: t
          technology_ids: [tech:test]
          growth_until: {until}
          capacity:
            - {{label_en: World, label_ja: 世界, year: 2025, amount: {{value: {capacity}, {EXACT}}}}}
          growth: {{value: {growth}, {EXACT}}}
        - id: tritium
          name_en: Tritium
          name_ja: トリチウム
          unit: kg
          technology_ids: [tech:fuel]
          stock: true
          initial_stock: {{value: {stock}, {EXACT}}}
          capacity:
            - {{label_en: Reactors, label_ja: 原子炉, year: 2025, amount: {{value: {production}, {EXACT}}}}}
          growth: {{value: 0, {EXACT}}}
        """),
        encoding="utf-8",
    )
    (tmp_path / "designs.yaml").write_text(
        textwrap.dedent(f"""\
        - id: plant
          name_en: Plant
          name_ja: プラント
          construction_years: 4
          fusion_power_mw: {{value: {power}, {EXACT}}}
          availability: {{value: 0.5, {EXACT}}}
          breeding_ratio: {{value: {tbr}, {EXACT}}}
          startup_tritium_kg: {{value: {startup}, {EXACT}}}
          bom:
            - item: widget
              quantity: {{value: 100, {EXACT}}}
              {replace}
        """),
        encoding="utf-8",
    )
    items = read_items(tmp_path / "items.yaml")
    designs = read_designs(items, tmp_path / "designs.yaml")
    return Library(items, designs, {})


def _scenario(tmp_path, library, start=2025, end=2045, operation=2030):
    path = tmp_path / "s.yaml"
    path.write_text(
        textwrap.dedent(f"""\
        id: s
        name_en: S
        name_ja: S
        start_year: {start}
        end_year: {end}
        slip_years: {{value: 0, {EXACT}}}
        plants:
          - {{design: plant, count: 1, operation_start: {operation}}}
        """),
        encoding="utf-8",
    )
    return parse_scenario(path, library.designs, library.items)


def test_one_plant_one_item_spreads_construction_over_its_years(tmp_path):
    library = _library(tmp_path)
    years, series = simulate(library, _scenario(tmp_path, library), draws=3)
    demand = series["widget"].demand[0]
    expected = {2026: 25.0, 2027: 25.0, 2028: 25.0, 2029: 25.0}
    assert dict(zip(years.tolist(), demand.tolist(), strict=True)) == {y: expected.get(y, 0.0) for y in years.tolist()}
    assert demand.sum() == pytest.approx(100.0)


def test_shortfall_is_the_first_year_demand_exceeds_capacity(tmp_path):
    library = _library(tmp_path, capacity=20)
    years, series = simulate(library, _scenario(tmp_path, library), draws=5)
    assert first_shortfall(years, series["widget"].demand, series["widget"].capacity) == 2026
    # 30 t in 2025 shrinking 5 % a year: 28.5, 27.08, 25.72, 24.43 -> below the 25 t a year of 2026-2029 in 2029
    library = _library(tmp_path, capacity=30, growth=-0.05)
    years, series = simulate(library, _scenario(tmp_path, library), draws=5)
    assert series["widget"].capacity[0, 4] == pytest.approx(30 * 0.95**4, rel=1e-5)
    assert first_shortfall(years, series["widget"].demand, series["widget"].capacity) == 2029
    library = _library(tmp_path, capacity=25)
    years, series = simulate(library, _scenario(tmp_path, library), draws=5)
    assert first_shortfall(years, series["widget"].demand, series["widget"].capacity) is None  # equal is no shortfall


def test_replacements_come_back_every_n_years_after_operation(tmp_path):
    replace = "replace_every_years: {value: 5, basis: sourced, source_ids: [src:test]}"
    library = _library(tmp_path, replace=replace)
    years, series = simulate(library, _scenario(tmp_path, library), draws=2)
    by_year = dict(zip(years.tolist(), series["widget"].demand[0].tolist(), strict=True))
    assert by_year[2035] == 100.0 and by_year[2040] == 100.0 and by_year[2045] == 100.0
    assert by_year[2030] == 0.0 and by_year[2034] == 0.0


def test_a_stock_alone_only_decays(tmp_path):
    library = _library(tmp_path, stock=10.0)
    _years, series = simulate(library, _scenario(tmp_path, library, end=2050), draws=2)
    supply = series["tritium"].capacity[0]
    assert supply[0] == pytest.approx(10.0)
    assert supply[12] == pytest.approx(10.0 * physics.decay_factor(12), rel=1e-5)
    assert supply[25] == pytest.approx(10.0 * physics.decay_factor(25), rel=1e-5)  # about two half-lives: ~2.5 kg
    assert 2.4 < supply[25] < 2.5


def test_tritium_demand_is_startup_then_burn_less_breeding(tmp_path):
    library = _library(tmp_path, power=1000, tbr=0.5, startup=3.0, stock=50.0)
    years, series = simulate(library, _scenario(tmp_path, library), draws=2)
    demand = dict(zip(years.tolist(), series["tritium"].demand[0].tolist(), strict=True))
    burn = physics.tritium_burn_kg(1000, 0.5) * (1 - 0.5)
    assert demand[2029] == pytest.approx(3.0)
    assert demand[2030] == pytest.approx(burn, rel=1e-5)
    assert demand[2028] == 0.0
    # the stock is drawn down: 2030's stock decays for a year, 2030's burn (spread over the year) for half a year
    supply = series["tritium"].capacity[0]
    stock_2030 = supply[years.tolist().index(2030)]  # no production: the supply is the stock
    expected = stock_2030 * physics.decay_factor(1) - burn * physics.decay_factor(0.5)
    assert supply[years.tolist().index(2031)] == pytest.approx(expected, rel=1e-4)


def test_ranges_give_bands_and_the_same_seed_the_same_bands(tmp_path):
    library = _library(tmp_path)
    (tmp_path / "s.yaml").write_text(
        "id: s\nname_en: S\nname_ja: S\nstart_year: 2025\nend_year: 2045\n"
        "slip_years: {low: 0, central: 2, high: 6, basis: assumption, note_en: slips, note_ja: 遅延}\n"
        "plants:\n  - {design: plant, count: 2, operation_start: 2030}\n",
        encoding="utf-8",
    )
    scenario = parse_scenario(tmp_path / "s.yaml", library.designs, library.items)
    _years, first = simulate(library, scenario, draws=500, seed=7)
    _years, again = simulate(library, scenario, draws=500, seed=7)
    assert np.array_equal(first["widget"].demand, again["widget"].demand)
    p10, p90 = np.percentile(first["widget"].demand, [10, 90], axis=0)
    assert (p90 >= p10).all() and (p90 > p10).any()
    assert first["widget"].demand.sum(axis=1) == pytest.approx(np.full(500, 200.0), rel=1e-5)  # slips move, never lose


def test_sensitivity_ranks_the_input_that_sets_the_shortfall_year_first(tmp_path):
    library = _library(tmp_path, capacity=30, growth=-0.05)
    (tmp_path / "s.yaml").write_text(
        "id: s\nname_en: S\nname_ja: S\nstart_year: 2025\nend_year: 2060\n"
        "slip_years: {low: 0, central: 5, high: 20, basis: assumption, note_en: slips, note_ja: 遅延}\n"
        "plants:\n  - {design: plant, count: 1, operation_start: 2030}\n",
        encoding="utf-8",
    )
    scenario = parse_scenario(tmp_path / "s.yaml", library.designs, library.items)
    inputs = {}
    years, series = simulate(library, scenario, draws=400, seed=3, inputs=inputs)
    rows = sensitivity(years, series["widget"].demand, series["widget"].capacity, inputs)
    # capacity shrinks every year, so a later plant meets a smaller capacity: the slip sets the shortfall year
    assert rows[0]["input_en"] == "Plant (2030): schedule slip" and rows[0]["rho"] > 0.9
    assert rows[0]["shortfall_when_low"] < rows[0]["shortfall_when_high"]
    assert shortfall_years(years, series["widget"].demand, series["widget"].capacity).min() >= 2026


def test_capacity_stops_growing_after_its_year(tmp_path):
    library = _library(tmp_path, capacity=20, growth=0.1, until=2027)
    years, series = simulate(library, _scenario(tmp_path, library), draws=2)
    capacity = dict(zip(years.tolist(), series["widget"].capacity[0].tolist(), strict=True))
    assert capacity[2026] == pytest.approx(22.0) and capacity[2027] == pytest.approx(24.2)
    assert capacity[2028] == pytest.approx(24.2) and capacity[2045] == pytest.approx(24.2)
