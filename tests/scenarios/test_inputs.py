"""The bundled scenario inputs are complete and cite what the atlas holds; bad scenario files are refused with
the file, line and field named."""

import csv

import pytest
import yaml

from fusionatlas.dataset import BUNDLED
from fusionatlas.scenarios.inputs import ScenarioError, bundled, parse_scenario


def _ids(name: str) -> set[str]:
    with (BUNDLED / name).open(encoding="utf-8") as handle:
        return {row["id"] for row in csv.DictReader(handle)}


def _capacities() -> list[dict[str, str]]:
    with (BUNDLED / "capacities.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_bundled_inputs_cite_sources_nodes_and_makers_of_the_atlas():
    library = bundled()
    assert len(library.items) >= 15
    assert {"iter", "sparc", "arc", "eu-demo", "ja-demo", "step", "helical", "laser"} <= set(library.designs)
    assert len(library.scenarios) >= 5
    assert library.source_ids() <= _ids("sources.csv")
    nodes = {n["id"] for n in yaml.safe_load((BUNDLED / "technologies.yaml").read_text(encoding="utf-8"))}
    assert {node for item in library.items.values() for node in item.technology_ids} <= nodes


def test_every_item_has_capacity_rows_in_its_unit():
    rows = _capacities()
    items = bundled().items
    assert {row["item"] for row in rows} == set(items)  # every item has capacity; no row names an unknown item
    for row in rows:
        assert row["unit"] == items[row["item"]].unit, row["id"]
    makers = {row["org_id"] for row in rows if row["org_id"]}
    assert len(makers) >= 8 and makers <= _ids("organizations.csv")
    _library, ignored = bundled().with_capacities([])
    assert ignored == []


def test_every_number_is_sourced_or_a_labelled_range():
    library = bundled()
    quantities = [line.quantity for d in library.designs.values() for line in d.bom]
    sourced = [q for q in quantities if q.basis == "sourced"]
    assert len(sourced) >= 4
    for q in quantities:
        if q.basis == "assumption":
            assert q.note_en and q.note_ja
            assert q.high > q.low or q.central == 0
        else:
            assert q.source_ids
    rows = _capacities()
    assert sum(row["basis"] != "assumption" for row in rows) >= 4
    for row in rows:
        if row["basis"] == "assumption":
            assert row["description_en"] and row["description_ja"] and row["unconfirmed"] == "true", row["id"]
        else:
            assert row["source_ids"], row["id"]


def test_each_item_without_a_sourced_capacity_says_so():
    by_item: dict[str, list[dict[str, str]]] = {}
    for row in _capacities():
        by_item.setdefault(row["item"], []).append(row)
    assumed_only = [item for item, rows in by_item.items() if all(r["basis"] == "assumption" for r in rows)]
    assert "lithium-6" in assumed_only and "rebco-tape" not in assumed_only
    for item in assumed_only:
        assert all(r["description_en"] and r["description_ja"] for r in by_item[item]), item


GOOD = """\
id: mine
name_en: Mine
name_ja: 自作
start_year: 2025
end_year: 2060
slip_years: {value: 0, basis: sourced, source_ids: [src:x]}
plants:
  - {design: iter, count: 1, operation_start: 2034}
"""


@pytest.mark.parametrize(
    ("change", "line", "field", "words"),
    [
        (("design: iter", "design: tokamak-x"), 8, "design", "unknown plant design"),
        (("count: 1", "count: -2"), 8, "count", "whole number"),
        (("operation_start: 2034", "operation_start: 1999"), 8, "operation_start", "outside 2000-2100"),
        (("end_year: 2060", "end_year: 2101"), 1, "end_year", "outside 2000-2100"),
        (
            ("{value: 0, basis: sourced, source_ids: [src:x]}", "{low: 5, central: 3, high: 1, basis: assumption}"),
            6,
            "slip_years.low",
            "reversed",
        ),
        (
            ("{value: 0, basis: sourced, source_ids: [src:x]}", "{value: -1, basis: sourced, source_ids: [src:x]}"),
            6,
            "slip_years.value",
            "negative",
        ),
    ],
)
def test_bad_scenarios_name_file_line_and_field(tmp_path, change, line, field, words):
    library = bundled()
    path = tmp_path / "mine.yaml"
    path.write_text(GOOD.replace(*change), encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(path, library.designs, library.items)
    message = str(caught.value)
    assert message.startswith(f"mine.yaml:{line}: field {field!r}")
    assert words in message


def test_a_yaml_syntax_error_names_its_line(tmp_path):
    library = bundled()
    path = tmp_path / "broken.yaml"
    path.write_text(GOOD.replace("plants:", "plants: [\n  oops: : :"), encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"^broken\.yaml:\d+: malformed YAML"):
        parse_scenario(path, library.designs, library.items)


def test_a_good_user_scenario_parses(tmp_path):
    library = bundled()
    path = tmp_path / "mine.yaml"
    path.write_text(GOOD, encoding="utf-8")
    scenario = parse_scenario(path, library.designs, library.items)
    assert scenario.id == "mine" and scenario.plants[0].design == "iter"
