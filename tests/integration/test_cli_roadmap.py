"""`fusionatlas roadmap`, `roadmap risk` and `roadmap backtest` on the fixture package, both databases:
the JSON of docs/cli.md, the same numbers for the same seed, and exit 2 with a message for bad input."""

import json

from typer.testing import CliRunner

from fusionatlas.cli import app

runner = CliRunner()


def cli(url, *args):
    return runner.invoke(app, ["--db", url, *args])


def test_roadmap_json_is_seeded_and_shaped(loaded_db_url):
    args = ["roadmap", "--as-of", "2026-12-06", "--draws", "500", "--json"]
    first, second = cli(loaded_db_url, *args), cli(loaded_db_url, *args)
    assert first.exit_code == 0, first.stderr
    assert first.stdout == second.stdout
    data = json.loads(first.stdout)
    assert data["as_of"] == "2026-12-06" and data["draws"] == 500 and data["simulated"]
    assert [t["id"] for t in data["tracks"]] == ["track:jt-60sa"]
    assert [m["id"] for m in data["milestones"]] == ["ms:jt-60sa-first-plasma", "ms:jt-60sa-ceremony"]
    assert all(m["status"] == "achieved" and m["p50"] is None for m in data["milestones"])
    assert data["reference_class"]["n"] == 1 and data["backtest"]["n"] == 0


def test_roadmap_table_risk_and_backtest(loaded_db_url):
    table = cli(loaded_db_url, "roadmap", "--track", "track:jt-60sa", "--as-of", "2026-12-06", "--draws", "200")
    assert table.exit_code == 0, table.stderr
    assert "critical path" in table.stdout and "reference class: 1 cases" in table.stdout
    risk = cli(loaded_db_url, "roadmap", "risk", "ms:jt-60sa-ceremony", "--json")
    assert risk.exit_code == 0 and json.loads(risk.stdout)["status"] == "achieved"
    backtest = cli(loaded_db_url, "roadmap", "backtest", "--json", "--draws", "200")
    assert backtest.exit_code == 0 and json.loads(backtest.stdout)["scores"]["n"] == 0


def test_bad_input_exits_2_with_a_message(loaded_db_url):
    unknown = cli(loaded_db_url, "roadmap", "--track", "track:nope")
    assert unknown.exit_code == 2 and "unknown track 'track:nope'" in unknown.stderr
    assert "track:jt-60sa" in unknown.stderr
    date = cli(loaded_db_url, "roadmap", "--as-of", "06/12/2026")
    assert date.exit_code == 2 and "is not a date" in date.stderr
    missing = cli(loaded_db_url, "roadmap", "risk", "ms:nothing")
    assert missing.exit_code == 2 and "unknown milestone 'ms:nothing'" in missing.stderr
    few = cli(loaded_db_url, "roadmap", "--draws", "5")
    assert few.exit_code == 2
