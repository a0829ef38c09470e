"""The capacities table: its rows' rules, and an import that is all or nothing with the problem named."""

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from fusionatlas.cli import app
from fusionatlas.domain.records import Capacity

ROW = {
    "id": "capa:x.world",
    "item": "rebco-tape",
    "name_en": "World",
    "name_ja": "世界",
    "unit": "km",
    "year": 2025,
    "low": 1,
    "central": 2,
    "high": 3,
    "basis": "assumption",
    "description_en": "why",
    "description_ja": "理由",
    "unconfirmed": True,
}


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"low": 5}, "reversed"),
        ({"central": 9}, "outside"),
        ({"low": -1}, "greater than or equal to 0"),
        ({"year": 1999}, "greater than or equal to 2000"),
        ({"description_ja": ""}, "says why"),
        ({"low": 2, "high": 2}, "is a range"),
        ({"basis": "sourced", "unconfirmed": False}, "source"),
        ({"basis": "derived"}, "a derived capacity names its sources"),
        ({"item": "REBCO Tape"}, "not an item id"),
    ],
)
def test_bad_rows_are_refused(change, words):
    with pytest.raises(ValidationError, match=words):
        Capacity.model_validate({**ROW, **change})


def test_a_good_row_passes():
    assert Capacity.model_validate(ROW).central == 2


def test_import_is_all_or_nothing_and_names_row_and_field(loaded_db_url, tmp_path):
    runner = CliRunner()
    header = (
        "id,item,org_id,name_en,name_ja,unit,year,low,central,high,basis,description_en,description_ja,"
        "source_ids,unconfirmed"
    )
    good = "capa:fujikura.more,rebco-tape,org:fujikura,More,追加,km,2026,1,2,3,assumption,why,理由,,true"
    bad = "capa:fujikura.bad,rebco-tape,org:fujikura,Bad,不正,km,2026,3,2,1,assumption,why,理由,,true"
    path = tmp_path / "rows.csv"
    path.write_text(f"{header}\n{good}\n{bad}\n", encoding="utf-8")
    refused = runner.invoke(app, ["--db", loaded_db_url, "import", str(path), "--table", "capacities"])
    assert refused.exit_code == 2 and "rows.csv:3" in refused.output and "reversed" in refused.output
    counts = runner.invoke(app, ["--db", loaded_db_url, "stats", "--json"])
    assert '"capacities": 1' in counts.output  # the fixture's row only: nothing of the file was written
