"""The command-line contract of docs/cli.md: outputs, exit codes, errors on stderr, on both databases."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fusionatlas.cli import app
from tests import fixtures
from tests.fixtures import write_package

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]


def cli(db_url, *args):
    return runner.invoke(app, ["--db", db_url, *args])


def stats(db_url):
    result = cli(db_url, "stats", "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["counts"]


def test_load_then_stats(db_url, package):
    result = cli(db_url, "load", str(package))
    assert result.exit_code == 0, result.stderr
    assert "organizations" in result.stdout
    assert stats(db_url) == fixtures.COUNTS
    assert cli(db_url, "load", str(package)).exit_code == 0
    assert stats(db_url) == fixtures.COUNTS


def test_load_check_writes_nothing(tmp_path, package):
    db = tmp_path / "never.db"
    result = cli(f"sqlite:///{db}", "load", str(package), "--check")
    assert result.exit_code == 0, result.stderr
    assert not db.exists()


def test_a_bad_package_exits_2_with_every_problem_on_stderr(db_url, tmp_path, package):
    cli(db_url, "load", str(package))
    orgs = fixtures.ORGANIZATIONS + "org:x,X,,company,UK,,,,,,,public,src:qst-jt60sa,false\n"
    caps = fixtures.CAPABILITIES + "cap:x,org:nobody,tech:magnet,,,,,,,,,public,src:fujikura-hts,false\n"
    bad = write_package(tmp_path / "bad", organizations_csv=orgs, capabilities_csv=caps)
    result = cli(db_url, "load", str(bad))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "organizations.csv:6: country: 'UK'" in result.stderr
    assert "capabilities.csv:4: org_id: unknown organizations id 'org:nobody'" in result.stderr
    assert "Traceback" not in result.stderr
    assert stats(db_url) == fixtures.COUNTS


def test_import_cp932_and_bad_rows(db_url, tmp_path, package):
    cli(db_url, "load", str(package))
    good = tmp_path / "orgs.csv"
    good.write_bytes(
        "id,name_en,name_ja,kind,country,unconfirmed\r\norg:ihi,IHI,IHI,company,JP,true\r\n".encode("cp932")
    )
    result = cli(db_url, "import", str(good), "--table", "organizations")
    assert result.exit_code == 0, result.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name_en,kind,country,colour\norg:y,Y,company,US,red\n", encoding="utf-8")
    result = cli(db_url, "import", str(bad), "--table", "organizations")
    assert result.exit_code == 2
    assert "bad.csv:1: colour: unknown column" in result.stderr
    assert stats(db_url)["organizations"] == fixtures.COUNTS["organizations"] + 1


def test_import_unknown_table_and_missing_file(tmp_path, package):
    db = f"sqlite:///{tmp_path / 'a.db'}"
    result = cli(db, "import", str(package / "organizations.csv"), "--table", "companies")
    assert result.exit_code == 2 and "no table 'companies'" in result.stderr
    result = cli(db, "import", str(tmp_path / "missing.csv"), "--table", "organizations")
    assert result.exit_code == 2 and "no such file" in result.stderr


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_export_formats(tmp_path, package, fmt):
    db = f"sqlite:///{tmp_path / 'a.db'}"
    cli(db, "load", str(package))
    target = tmp_path / f"out.{fmt}"
    result = cli(db, "export", str(target), "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert target.exists()
    copy = f"sqlite:///{tmp_path / 'copy.db'}"
    if fmt == "csv":
        assert cli(copy, "load", str(target)).exit_code == 0
        assert stats(copy) == fixtures.COUNTS


def test_search_json_shape(tmp_path, package):
    db = f"sqlite:///{tmp_path / 'a.db'}"
    cli(db, "load", str(package))
    result = cli(db, "search", "ジャイロトロン", "--json")
    data = json.loads(result.stdout)
    assert data["query"] == "ジャイロトロン"
    first = data["results"][0]
    assert set(first) >= {"table", "id", "name_en", "name_ja", "snippet", "score", "url"}
    assert first["id"] == "tech:hcd.gyrotron"
    empty = cli(db, "search", "nothing-like-this", "--json")
    assert empty.exit_code == 0 and json.loads(empty.stdout)["results"] == []


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://localhost/x", "unsupported database 'mysql'"),
        ("not a url", "not a database URL"),
        ("sqlite:////no/such/folder/a.db", "cannot open the database"),
        ("postgresql://nobody:secret@127.0.0.1:1/x", "cannot open the database"),
    ],
)
def test_bad_database_urls(url, message):
    result = runner.invoke(app, ["--db", url, "stats"])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "secret" not in result.stderr
    assert result.stdout == ""


def test_synth_package_loads(tmp_path):
    result = runner.invoke(app, ["synth", "--orgs", "50", "--out", str(tmp_path / "syn")])
    assert result.exit_code == 0, result.stderr
    db = f"sqlite:///{tmp_path / 's.db'}"
    assert cli(db, "load", str(tmp_path / "syn")).exit_code == 0, "synthetic package must be valid"
    counts = stats(db)
    assert counts["organizations"] == 50 and counts["capabilities"] == 250 and counts["needs"] == 5


def test_usage_errors_exit_2():
    assert runner.invoke(app, ["load", "--nope"]).exit_code == 2
    assert runner.invoke(app, ["search"]).exit_code == 2


def test_every_command_is_documented():
    documented = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        assert f"fusionatlas {name}" in documented, f"docs/cli.md does not document {name}"


def test_the_installed_entry_point_runs():
    result = subprocess.run(
        [sys.executable, "-m", "fusionatlas", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert "load" in result.stdout


def test_match_json_shape(tmp_path, package):
    db = f"sqlite:///{tmp_path / 'a.db'}"
    cli(db, "load", str(package))
    result = cli(db, "match", "REBCO tape for HTS magnets", "--top", "3", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"query", "language", "concepts", "results", "note"}
    assert set(data["concepts"][0]) == {"id", "name_en", "name_ja", "weight"}
    first = data["results"][0]
    assert first["org_id"] == "org:fujikura"
    assert set(first["why"][0]) == {"kind", "en", "ja", "source_ids"}
    people = cli(db, "match", "高温超伝導線材")
    assert people.exit_code == 0 and "Fujikura" in people.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["match", ""], "the need is empty"),
        (["match", "REBCO", "--country", "UK"], "'UK' is not an ISO 3166-1 alpha-2 country code (use GB)"),
        (["match", "REBCO", "--kind", "spaceship"], "'spaceship' is not an organization kind (one of: company"),
        (["match", "REBCO\x00"], "the need contains a control character (U+0000 at position 6)"),
        (["match", "REBCO", "--top", "101"], "less than or equal to 100"),
        (["search", "gyro\x00tron"], "the query contains a control character"),
        (["search", "x" * 1001], "longer than 1,000 characters"),
        (["search", "gyrotron", "--top", "101"], "less than or equal to 100"),
        (["opportunities", "--text", "tape\x1b"], "the text contains a control character"),
        (["opportunities", "org:nobody"], "unknown organization"),
        (["opportunities"], "either an ORG_ID or --text"),
    ],
)
def test_match_bad_input(tmp_path, package, args, message):
    db = f"sqlite:///{tmp_path / 'a.db'}"
    cli(db, "load", str(package))
    result = cli(db, *args)
    assert result.exit_code == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_opportunities_json(tmp_path, package):
    db = f"sqlite:///{tmp_path / 'a.db'}"
    cli(db, "load", str(package))
    by_org = json.loads(cli(db, "opportunities", "org:fujikura", "--json").stdout)
    assert by_org["org_id"] == "org:fujikura" and by_org["results"]
    by_text = json.loads(cli(db, "opportunities", "--text", "ジャイロトロン", "--json").stdout)
    assert by_text["results"][0] == {**by_text["results"][0], "kind": "need", "id": "need:iter-gyrotron"}


COLD_IMPORTS = """
import runpy, sys
sys.argv = ["fusionatlas", *sys.argv[1:]]
try:
    runpy.run_module("fusionatlas", run_name="__main__")
except SystemExit as done:
    assert not done.code, done.code
heavy = ("alembic", "scipy", "fusionatlas.domain.records", "fusionatlas.store.schema")
print("LOADED", sorted(name for name in heavy if name in sys.modules))
"""


@pytest.mark.parametrize(
    "command", [["match", "REBCO tape", "--json"], ["opportunities", "--text", "ジャイロトロン", "--json"]]
)
def test_a_cold_match_imports_only_what_it_needs(tmp_path, package, command):
    """Once the index is persisted, `match` and `opportunities` load it without the migrations (Alembic),
    scipy, the records' models or the schema (docs/benchmarks.md, "CLI cold start")."""
    db = f"sqlite:///{tmp_path / 'a.db'}"
    cli(db, "load", str(package))

    def run() -> subprocess.CompletedProcess:
        argv = [sys.executable, "-c", COLD_IMPORTS, "--db", db, *command]
        return subprocess.run(argv, capture_output=True, text=True, check=True)

    first = run()  # migrates, builds the index and persists it
    assert "LOADED ['alembic'" in first.stdout
    second = run()
    assert "LOADED []" in second.stdout, second.stdout[-300:]
    assert json.loads(second.stdout.split("LOADED")[0])["results"]


def test_gaps_json_shape_and_reports(tmp_path, package):
    db = f"sqlite:///{tmp_path / 'a.db'}"
    cli(db, "load", str(package))
    result = cli(db, "gaps", "--country", "JP", "--partners", "FR,US", "--top", "50", "--sensitivity", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["country"] == "JP" and data["partners"] == ["FR", "US"]
    assert sum(data["weights"].values()) == pytest.approx(1.0, abs=1e-3)
    fields = {
        "technology_id",
        "name_en",
        "name_ja",
        "score",
        "domestic",
        "partner",
        "other",
        "best_trl",
        "required_trl",
        "unmet_needs",
        "hhi",
        "single_source",
        "single_country",
        "reasons",
        "relevance",
        "shortfall",
        "category",
        "readiness",
        "relevance_inputs",
        "path_ids",
    }
    assert fields <= set(data["technologies"][0])
    hts = next(t for t in data["technologies"] if t["technology_id"] == "tech:magnet.hts")
    assert hts["category"] == "gap" and hts["path_ids"] == ["path:jp-fixture.magnet"]
    assert hts["score"] == pytest.approx(hts["relevance"] * hts["shortfall"], abs=1e-4)
    assert hts["readiness"] == {
        "id": "rdy:fixture.magnet.hts",
        "value": 5,
        "context": "demo",
        "date": "2024-06",
        "self_assessed": False,
        "source_ids": ["src:fujikura-hts"],
    }
    assert hts["best_trl"] == 5 and hts["required_trl"] == 6  # the ARC target asks for a DEMO-ready TRL
    gyrotron = next(t for t in data["technologies"] if t["technology_id"] == "tech:hcd.gyrotron")
    assert gyrotron["domestic"] == 1 and gyrotron["unmet_needs"] == ["need:iter-gyrotron"]
    scores = [t["score"] for t in data["technologies"]]
    assert scores == sorted(scores, reverse=True)
    assert data["sensitivity"]
    public = json.loads(cli(db, "gaps", "--public-only", "--top", "50", "--json").stdout)
    gyrotron = next(t for t in public["technologies"] if t["technology_id"] == "tech:hcd.gyrotron")
    assert gyrotron["domestic"] == 0
    for name in ("gaps.html", "gaps.xlsx"):
        result = cli(db, "gaps", "--report", str(tmp_path / name), "--lang", "ja")
        assert result.exit_code == 0, result.stderr
    assert "ギャップ" in (tmp_path / "gaps.html").read_text(encoding="utf-8")


def test_readiness_json_shape_and_unknown_technology(tmp_path, package):
    db = f"sqlite:///{tmp_path / 'a.db'}"
    cli(db, "load", str(package))
    result = cli(db, "readiness", "tech:magnet.hts", "--json")
    assert result.exit_code == 0, result.stderr
    (row,) = json.loads(result.stdout)["assessments"]
    assert set(row) == {
        "id",
        "technology_id",
        "scale",
        "value",
        "context",
        "assessor_org_id",
        "method",
        "date",
        "self_assessed",
        "source_ids",
    }
    assert row["id"] == "rdy:fixture.magnet.hts" and row["scale"] == "TRL" and row["value"] == 5
    assert json.loads(cli(db, "readiness", "tech:hcd", "--json").stdout) == {"assessments": []}
    assert "rdy:fixture.magnet.hts" in cli(db, "readiness").stdout
    unknown = cli(db, "readiness", "tech:nowhere")
    assert unknown.exit_code == 2 and "unknown technology id 'tech:nowhere'" in unknown.stderr


def test_gaps_budget_and_bad_input(tmp_path, package):
    db = f"sqlite:///{tmp_path / 'a.db'}"
    cli(db, "load", str(package))
    actions = tmp_path / "actions.csv"
    actions.write_text(
        "id,name_en,name_ja,cost,technologies,closes\nact:a,Gyrotron line,ジャイロトロン,100,"
        "tech:hcd.gyrotron,0.5\nact:b,HTS line,線材,300,tech:magnet.hts,0.5\n",
        encoding="utf-8",
    )
    data = json.loads(cli(db, "gaps", "--budget", "150", "--actions", str(actions), "--json").stdout)
    assert data["portfolio"]["optimal"]["cost"] <= 150
    assert data["portfolio"]["optimal"]["value"] >= data["portfolio"]["greedy"]["value"]
    weights = tmp_path / "w.yaml"
    weights.write_text("domestic: -2\n", encoding="utf-8")
    many = tmp_path / "many.csv"
    rows = "".join(f"act:{i},Line {i},線{i},100,tech:hcd.gyrotron,0.5\n" for i in range(501))
    many.write_text("id,name_en,name_ja,cost,technologies,closes\n" + rows, encoding="utf-8")
    for args, message in [
        (["gaps", "--country", "XX"], "'XX' is not an ISO 3166-1 alpha-2 country code"),
        (["gaps", "--weights", str(weights)], "negative"),
        (["gaps", "--budget", "10", "--actions", str(actions)], "below the cheapest"),
        (["gaps", "--budget", "10"], "go together"),
        (["gaps", "--report", str(tmp_path / "r.pdf")], "is .html or .xlsx"),
        (["gaps", "--budget", "10", "--actions", str(many)], "more than 500 candidate actions (501)"),
    ]:
        result = cli(db, *args)
        assert result.exit_code == 2 and message in result.stderr, (args, result.stderr)


def test_ids_are_never_cut_in_narrow_terminals(tmp_path, package, monkeypatch):
    db = f"sqlite:///{tmp_path / 'a.db'}"
    cli(db, "load", str(package))
    monkeypatch.setenv("COLUMNS", "40")
    for args, wanted in (
        (["search", "gyrotron"], "cap:members-only-co.hcd.gyrotron"),
        (["match", "REBCO tape for HTS magnets"], "org:fujikura"),
        (["opportunities", "org:fujikura"], "tech:magnet"),
        (["gaps", "--top", "40"], "tech:magnet.hts"),
    ):
        result = cli(db, *args)
        assert result.exit_code == 0, result.stderr
        assert wanted in result.stdout, (args, result.stdout)
        assert not re.search(r"\b(?:org|cap|tech|need|src):[a-z0-9._-]*…", result.stdout), result.stdout
