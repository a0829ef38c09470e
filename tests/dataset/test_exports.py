"""Export then import into an empty database gives identical data, in every format and on both databases."""

import json

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from fusionatlas.dataset.exports import export, snapshot
from fusionatlas.dataset.imports import import_file
from fusionatlas.dataset.package import load_package
from fusionatlas.dataset.problems import BadInput
from fusionatlas.domain import BY_NAME, TABLES
from fusionatlas.domain.audience import PUBLIC
from fusionatlas.store.engine import open_engine


@pytest.fixture
def loaded(engine, package):
    load_package(engine, package)
    return engine


@pytest.fixture
def empty(tmp_path):
    engine = open_engine(f"sqlite:///{tmp_path / 'copy.db'}")
    yield engine
    engine.dispose()


def test_json_shape(loaded, tmp_path):
    export(loaded, tmp_path / "atlas.json", "json")
    data = json.loads((tmp_path / "atlas.json").read_text(encoding="utf-8"))
    assert list(data) == [spec.name for spec in TABLES]
    ids = [o["id"] for o in data["organizations"]]
    assert ids == sorted(ids)
    fujikura = next(o for o in data["organizations"] if o["id"] == "org:fujikura")
    assert fujikura["memberships"] == ["j-fusion"]
    iter_org = next(o for o in data["organizations"] if o["id"] == "org:iter-organization")
    assert iter_org["memberships"] == [] and iter_org["notes"] is None
    hts = next(t for t in data["technologies"] if t["id"] == "tech:magnet.hts")
    assert hts["targets"][0]["unit"] == "A"


def test_public_only_leaves_out_members_records(loaded, tmp_path):
    export(loaded, tmp_path / "public.json", "json", PUBLIC)
    data = json.loads((tmp_path / "public.json").read_text(encoding="utf-8"))
    assert "org:members-only-co" not in {o["id"] for o in data["organizations"]}
    assert all(c["visibility"] == "public" for c in data["capabilities"])


def test_csv_export_is_a_package_that_loads_back_identically(loaded, empty, tmp_path):
    export(loaded, tmp_path / "pkg", "csv")
    load_package(empty, tmp_path / "pkg")
    assert snapshot(empty) == snapshot(loaded)


def test_json_export_imports_back_identically(loaded, empty, tmp_path):
    export(loaded, tmp_path / "atlas.json", "json")
    for spec in TABLES:
        import_file(empty, tmp_path / "atlas.json", spec.name)
    assert snapshot(empty) == snapshot(loaded)


def test_xlsx_export_has_a_sheet_per_table_and_imports_back(loaded, empty, tmp_path):
    export(loaded, tmp_path / "atlas.xlsx", "xlsx")
    book = load_workbook(tmp_path / "atlas.xlsx")
    assert book.sheetnames == ["about", *(spec.name for spec in TABLES)]
    about = {row[0]: row[1] for row in book["about"].iter_rows(values_only=True) if row[0]}
    assert about["Licence / ライセンス"].startswith("CC BY 4.0") and about["As of / 時点"].endswith("UTC")
    organizations = book["organizations"]
    assert organizations.freeze_panes == "A2" and organizations["A1"].font.b
    last = get_column_letter(len(BY_NAME["organizations"].columns))
    assert organizations.auto_filter.ref == f"A1:{last}{len(snapshot(loaded)['organizations']) + 1}"
    assert organizations.column_dimensions["A"].width >= len("org:fujikura")
    book.close()
    for spec in TABLES:
        import_file(empty, tmp_path / "atlas.xlsx", spec.name)
    assert snapshot(empty) == snapshot(loaded)


def test_unknown_format(loaded, tmp_path):
    with pytest.raises(BadInput, match="unknown export format 'pdf'"):
        export(loaded, tmp_path / "x.pdf", "pdf")
