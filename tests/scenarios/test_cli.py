"""The scenarios commands: list, run a bundled scenario and a user file, refuse bad input with exit 2."""

import json

from typer.testing import CliRunner

from fusionatlas.cli import app

runner = CliRunner()


def test_list_and_run_as_json(bundled_sqlite_url, tmp_path):
    listed = runner.invoke(app, ["--db", bundled_sqlite_url, "scenarios", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    scenarios = json.loads(listed.output)["scenarios"]
    assert {"id", "name_en", "name_ja", "sources"} == set(scenarios[0])
    result = runner.invoke(
        app, ["--db", bundled_sqlite_url, "scenarios", "run", "announced", "--draws", "200", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["scenario"] == "announced" and data["country"] == "JP" and len(data["items"]) >= 15
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "id: mine\nname_en: Mine\nname_ja: 自作\nstart_year: 2025\nend_year: 2050\n"
        "slip_years: {value: 0, basis: sourced, source_ids: [src:iter-2024-new-baseline]}\n"
        "plants:\n  - {design: fast, count: 3, operation_start: 2035}\n",
        encoding="utf-8",
    )
    own = runner.invoke(app, ["--db", bundled_sqlite_url, "scenarios", "run", "--yaml", str(mine)])
    assert own.exit_code == 0, own.output
    assert "rebco-tape" in own.output


def test_bad_input_exits_2_naming_the_problem(bundled_sqlite_url, tmp_path):
    unknown = runner.invoke(app, ["--db", bundled_sqlite_url, "scenarios", "run", "no-such"])
    assert unknown.exit_code == 2 and "unknown scenario 'no-such'" in unknown.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\nname_en: B\nname_ja: B\nstart_year: 1990\nend_year: 2050\n", encoding="utf-8")
    refused = runner.invoke(app, ["--db", bundled_sqlite_url, "scenarios", "run", "--yaml", str(bad)])
    assert refused.exit_code == 2 and "bad.yaml:1: field 'start_year'" in refused.output
    country = runner.invoke(app, ["--db", bundled_sqlite_url, "scenarios", "run", "announced", "--country", "ZZ"])
    assert country.exit_code == 2 and "ZZ" in country.output
    neither = runner.invoke(app, ["--db", bundled_sqlite_url, "scenarios", "run"])
    assert neither.exit_code == 2


def test_run_a_saved_scenario_by_its_id(bundled_sqlite_url):
    from fusionatlas.store import accounts, saved_scenarios
    from fusionatlas.store.engine import open_engine

    text = (
        "id: mine\nname_en: Mine\nname_ja: 自作\nstart_year: 2025\nend_year: 2040\n"
        "slip_years: {value: 0, basis: sourced, source_ids: [src:iter-2024-new-baseline]}\n"
        "plants:\n  - {design: fast, count: 2, operation_start: 2036}\n"
    )
    engine = open_engine(bundled_sqlite_url)
    with engine.begin() as connection:
        user = accounts.create_user(connection, "owner@example.org", "correct horse battery", "member")
        saved_id = saved_scenarios.save(connection, user, text)
    engine.dispose()
    base = ["--db", bundled_sqlite_url, "scenarios", "run"]
    result = runner.invoke(app, [*base, "--saved", str(saved_id), "--draws", "100", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["scenario"] == "mine" and data["years"][-1] == 2040
    # A private scenario is not public: --public-only does not find it; nor is any other id known.
    hidden = runner.invoke(app, [*base, "--saved", str(saved_id), "--public-only"])
    assert hidden.exit_code == 2 and f"no saved scenario {saved_id}" in hidden.output
    both = runner.invoke(app, [*base, "announced", "--saved", str(saved_id)])
    assert both.exit_code == 2
