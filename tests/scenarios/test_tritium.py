"""The heavy-water fleet and the tritium stock on hand-worked cases: a reactor refurbished for three years makes
nothing in those years, a retirement part-way through a year, decay alone over one half-life, and the Monte
Carlo's tritium supply following the fleet."""

import textwrap

import numpy as np
import pytest

from fusionatlas.scenarios import physics
from fusionatlas.scenarios.inputs import Library, ScenarioError, bundled, parse_scenario, read_designs, read_items
from fusionatlas.scenarios.model import simulate
from fusionatlas.scenarios.tritium import project_stock, read_fleet

EXACT = "basis: sourced, source_ids: [src:test]"


def _fleet(tmp_path, reactors: str, rate: float = 0.2, other: float = 0.0, name: str = "fleet.yaml"):
    path = tmp_path / name
    path.write_text(
        textwrap.dedent("""\
        kg_per_gwe_year: {{value: {rate}, {EXACT}}}
        other_uses_kg_per_year: {{value: {other}, {EXACT}}}
        reactors:
        """).format(rate=rate, other=other, EXACT=EXACT)
        + textwrap.indent(textwrap.dedent(reactors), "  "),
        encoding="utf-8",
    )
    return path


ONE_REFURBISHED = """\
- id: unit-1
  station: Test
  country: CA
  net_mwe: 1000
  outages:
    - {from: 2020, to: 2023, basis: sourced}
  source_ids: [src:test]
"""


def test_a_reactor_refurbished_for_three_years_makes_nothing_in_those_years(tmp_path):
    fleet = read_fleet(_fleet(tmp_path, ONE_REFURBISHED, rate=0.2))
    years = np.arange(2018, 2026)
    made = dict(zip(years.tolist(), fleet.production(years, 0.2, 0.0).tolist(), strict=True))
    assert made == {2018: 0.2, 2019: 0.2, 2020: 0.0, 2021: 0.0, 2022: 0.0, 2023: 0.2, 2024: 0.2, 2025: 0.2}
    # other uses come off what is made, never below zero
    assert fleet.production(years, 0.2, 0.05)[0] == pytest.approx(0.15)
    assert fleet.production(years, 0.2, 0.05)[3] == 0.0


def test_a_reactor_retired_part_way_through_a_year_makes_that_share_of_it(tmp_path):
    reactor = """\
    - {id: unit-2, station: Test, country: CA, net_mwe: 500, in_service: 2010.5, retired: 2024.75,
       source_ids: [src:test]}
    """
    fleet = read_fleet(_fleet(tmp_path, reactor))
    years = np.array([2009, 2010, 2011, 2024, 2025])
    assert fleet.operating_gwe(years).tolist() == pytest.approx([0.0, 0.25, 0.5, 0.375, 0.0])


def test_decay_alone_halves_the_stock_in_one_half_life():
    stock = project_stock(10.0, np.zeros(40), np.zeros(40))
    assert stock[0] == 10.0
    assert stock[12] == pytest.approx(10.0 * 2 ** (-12 / 12.32))
    # between years 12 and 13 the stock passes 5 kg, at 12.32 years
    assert stock[12] > 5.0 > stock[13]
    assert 10.0 * physics.decay_factor(physics.TRITIUM_HALF_LIFE_Y) == pytest.approx(5.0)


def test_a_year_of_net_flow_decays_for_half_a_year_and_the_stock_never_goes_negative():
    stock = project_stock(0.0, np.array([1.0, 0.0]), np.zeros(2))
    assert stock[1] == pytest.approx(physics.decay_factor(0.5))
    assert project_stock(1.0, np.zeros(3), np.full(3, 5.0)).tolist() == [1.0, 0.0, 0.0]


def test_bad_fleet_files_are_refused_naming_the_field(tmp_path):
    reversed_outage = ONE_REFURBISHED.replace("{from: 2020, to: 2023", "{from: 2023, to: 2020")
    with pytest.raises(ScenarioError, match=r"fleet.yaml:\d+: field 'to'"):
        read_fleet(_fleet(tmp_path, reversed_outage))
    unsourced = ONE_REFURBISHED.replace("  source_ids: [src:test]\n", "")
    with pytest.raises(ScenarioError, match="source_ids"):
        read_fleet(_fleet(tmp_path, unsourced))
    assumed = ONE_REFURBISHED.replace("basis: sourced}", "basis: assumption}")
    with pytest.raises(ScenarioError, match="note_en"):  # an assumed outage says why
        read_fleet(_fleet(tmp_path, assumed))


def _library(tmp_path, stock: float = 10.0) -> Library:
    _fleet(tmp_path, ONE_REFURBISHED, rate=0.5)
    (tmp_path / "items.yaml").write_text(
        textwrap.dedent(f"""\
        - id: tritium
          name_en: Tritium
          name_ja: トリチウム
          unit: kg
          technology_ids: [tech:fuel]
          stock: true
          initial_stock: {{value: {stock}, {EXACT}}}
          fleet: fleet.yaml
        """),
        encoding="utf-8",
    )
    (tmp_path / "designs.yaml").write_text(
        textwrap.dedent(f"""\
        - id: plant
          name_en: Plant
          name_ja: プラント
          construction_years: 2
          fusion_power_mw: {{value: 0, {EXACT}}}
          availability: {{value: 0.5, {EXACT}}}
          breeding_ratio: {{value: 0, {EXACT}}}
          startup_tritium_kg: {{value: 0, {EXACT}}}
        """),
        encoding="utf-8",
    )
    items = read_items(tmp_path / "items.yaml")
    return Library(items, read_designs(items, tmp_path / "designs.yaml"), {})


def test_the_monte_carlo_tritium_supply_follows_the_fleet(tmp_path):
    library = _library(tmp_path)
    path = tmp_path / "s.yaml"
    path.write_text(
        f"id: s\nname_en: S\nname_ja: S\nstart_year: 2018\nend_year: 2025\nslip_years: {{value: 0, {EXACT}}}\n"
        "plants:\n  - {design: plant, count: 1, operation_start: 2024}\n",
        encoding="utf-8",
    )
    years, series = simulate(library, parse_scenario(path, library.designs, library.items), draws=2)
    supply = series["tritium"].capacity[0]
    keep, half = physics.decay_factor(1), physics.decay_factor(0.5)
    # 1 GW(e) at 0.5 kg per GW(e)-year: a year supplies its 1 January stock plus 0.5 kg
    stock = [10.0, 10.0 * keep + 0.5 * half]
    stock += [stock[1] * keep + 0.5 * half]  # 2020: refurbishment starts, only decay from here
    stock += [stock[2] * keep, stock[2] * keep**2, stock[2] * keep**3]
    assert supply[0] == pytest.approx(stock[0] + 0.5)
    assert supply[1] == pytest.approx(stock[1] + 0.5, rel=1e-5)
    assert supply[2] == pytest.approx(stock[2], rel=1e-5)
    assert supply[4] == pytest.approx(stock[4], rel=1e-5)
    assert supply[5] == pytest.approx(stock[5] + 0.5, rel=1e-5)  # 2023: back in service
    assert years.tolist()[5] == 2023


def test_a_fleet_is_only_for_a_stock_and_replaces_the_growth_rate(tmp_path):
    _library(tmp_path)
    text = (tmp_path / "items.yaml").read_text(encoding="utf-8")
    (tmp_path / "items.yaml").write_text(text.replace("  stock: true\n", ""), encoding="utf-8")
    with pytest.raises(ScenarioError, match="field 'fleet'"):
        read_items(tmp_path / "items.yaml")
    (tmp_path / "items.yaml").write_text(text + f"  growth: {{value: 0, {EXACT}}}\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="field 'growth'"):
        read_items(tmp_path / "items.yaml")


def test_the_bundled_fleet_stops_units_in_their_refurbishments_and_after_retirement():
    fleet = bundled().items["tritium"].fleet
    assert fleet is not None
    units = {r.id: r for r in fleet.reactors}
    assert {"darlington-1", "bruce-8", "pickering-5"} <= set(units)
    assert units["darlington-2"].operating_fraction(np.array([2018]))[0] == 0.0  # 2016-2020 refurbishment
    assert units["darlington-2"].operating_fraction(np.array([2021]))[0] == 1.0
    assert units["pickering-1"].operating_fraction(np.array([2025]))[0] == 0.0  # retired September 2024
    assert units["bruce-3"].operating_fraction(np.array([2024]))[0] == 0.0  # MCR from March 2023
    # fewer gigawatts run while Bruce and Pickering are being refurbished than after
    gwe = fleet.operating_gwe(np.array([2028, 2040]))
    assert gwe[0] < gwe[1]
