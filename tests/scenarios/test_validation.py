"""`fusionatlas scenario validate`: the tritium stock model against published projections. Each row's published
value is the one its data file records (with sources the atlas holds), and our run stays within 10 %."""

import csv
import json

import pytest
import yaml
from typer.testing import CliRunner

from fusionatlas.cli import app
from fusionatlas.dataset import BUNDLED
from fusionatlas.scenarios.inputs import ScenarioError
from fusionatlas.scenarios.validation import VALIDATION, read_reference, validate

KEYS = {"reference", "figure", "year", "published", "ours", "relative_error"}


def _sources() -> set[str]:
    with (BUNDLED / "sources.csv").open(encoding="utf-8") as handle:
        return {row["id"] for row in csv.DictReader(handle)}


def _recorded() -> dict[tuple[str, str, int], tuple[float, list[str]]]:
    """(reference id, figure, year) -> (published value, sources), read straight from the data files."""
    found = {}
    for path in sorted(VALIDATION.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for point in data["published"] + ([data["peak"]] if "peak" in data else []):
            found[(data["id"], point["figure"], point["year"])] = (point["value"], data["published_source_ids"])
    return found


def test_validate_prints_the_rows_as_json():
    result = CliRunner().invoke(app, ["scenario", "validate", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["references"]
    assert len(rows) >= 10
    for row in rows:
        assert set(row) >= KEYS
        assert row["relative_error"] == pytest.approx((row["ours"] - row["published"]) / row["published"], abs=1e-3)
    table = CliRunner().invoke(app, ["scenarios", "validate"])
    assert table.exit_code == 0 and "pearson-2018" in table.output


def test_every_published_value_is_the_one_its_data_file_records_with_its_sources():
    recorded, sources = _recorded(), _sources()
    rows = validate()["references"]
    assert {(r["id"], r["figure"], r["year"]) for r in rows} == set(recorded)
    for row in rows:
        value, cited = recorded[(row["id"], row["figure"], row["year"])]
        assert row["published"] == value
        assert cited and set(cited) <= sources and row["sources"] == cited


def test_the_model_reproduces_pearson_2018_within_ten_percent():
    rows = [r for r in validate()["references"] if r["id"] == "pearson-2018"]
    assert {r["year"] for r in rows} >= {2010, 2020, 2030, 2040, 2050}
    assert max(abs(r["relative_error"]) for r in rows) < 0.10
    peak = next(r for r in rows if "peak" in r["figure"])
    assert abs(peak["ours_year"] - peak["year"]) <= 2


def test_a_reference_file_with_a_published_year_outside_its_run_is_refused(tmp_path):
    text = (VALIDATION / "pearson-2018.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("year: 2055, digitized_x", "year: 2090, digitized_x"), encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"bad.yaml:\d+: field 'year'"):
        read_reference(bad)
