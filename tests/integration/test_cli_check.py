"""`fusionatlas check`: JSON shape, the table, `--kind` and the exit codes docs/cli.md promises."""

import json
from datetime import date

from typer.testing import CliRunner

from fusionatlas.cli import app
from tests import fixtures
from tests.fixtures import write_package

runner = CliRunner()

LATE = "ms:late,2025-06,US,,,first_plasma,planned,First plasma June 2025,2025年6月初プラズマ,,src:qst-jt60sa,false\n"
MILESTONES = (
    fixtures.MILESTONES.replace("kind,title_en", "kind,status,title_en")
    .replace(",first_plasma,", ",first_plasma,achieved,")
    .replace(",operation_start,", ",operation_start,achieved,")
)


def cli(db_url, *args):
    return runner.invoke(app, ["--db", db_url, *args])


def test_check_json_table_kinds_and_exit_codes(tmp_path):
    db = f"sqlite:///{tmp_path / 'atlas.db'}"
    assert cli(db, "load", str(write_package(tmp_path / "pkg", milestones_csv=MILESTONES))).exit_code == 0

    clean = cli(db, "check", "--kind", "overdue")
    assert clean.exit_code == 0, clean.stderr
    assert "no findings" in clean.stdout

    assert cli(db, "load", str(write_package(tmp_path / "late", milestones_csv=MILESTONES + LATE))).exit_code == 0
    result = cli(db, "check", "--json", "--kind", "overdue", "--kind", "duplicate")
    assert result.exit_code == 1, result.stderr
    document = json.loads(result.stdout)
    assert document["as_of"] == date.today().isoformat()
    assert [(f["kind"], f["id"]) for f in document["findings"]] == [("overdue", "ms:late")]
    assert set(document["findings"][0]) == {"kind", "table", "id", "message_en", "message_ja"}

    table = cli(db, "check")
    assert table.exit_code == 1
    assert "ms:late" in table.stdout and "overdue" in table.stdout
    # The fixture's unconfirmed records have no source: never verified.
    assert "org:members-only-co" in table.stdout and "unverified" in table.stdout

    public = json.loads(cli(db, "check", "--json", "--public-only").stdout)
    assert "org:members-only-co" not in {f["id"] for f in public["findings"]}

    unknown = cli(db, "check", "--kind", "stale-ish")
    assert unknown.exit_code == 2
    assert "overdue" in unknown.stderr
