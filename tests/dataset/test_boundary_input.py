"""Input at the boundary through the dataset layer: imports refuse what the store could not hold, readers name
the place of undecodable bytes in every format, and spreadsheet exports never carry a live formula."""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from fusionatlas.dataset.exports import export, formula_safe, snapshot
from fusionatlas.dataset.imports import import_file
from fusionatlas.dataset.package import load_package
from fusionatlas.dataset.problems import BadInput, ValidationFailed
from fusionatlas.dataset.readers import read_rows
from fusionatlas.store.engine import open_engine

ORGS = "id,name_en,name_ja,kind,country,website,source_ids,unconfirmed\n"
SOURCES = "id,title,url\n"
PROGRAMMES = "id,country,name_en,amount,currency,definition,unconfirmed\n"
MIB = 1 << 20


@pytest.fixture
def loaded(engine, package):
    load_package(engine, package)
    return engine


def test_a_javascript_url_in_an_imported_csv_names_file_line_and_field(loaded, tmp_path):
    path = tmp_path / "sources.csv"
    path.write_text(SOURCES + "src:ok,Fine,https://example.org\nsrc:evil,Evil,javascript:alert(1)\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as failed:
        import_file(loaded, path, "sources")
    [problem] = failed.value.problems
    assert (problem.file, problem.line, problem.field) == ("sources.csv", 3, "url")
    assert "only http:// and https:// links are accepted" in problem.message
    assert "src:ok" not in {s["id"] for s in snapshot(loaded)["sources"]}  # all or nothing


def test_a_javascript_website_is_refused(loaded, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text(ORGS + "org:evil,Evil,,company,FR,JavaScript:alert(1),,true\n", encoding="utf-8")
    with pytest.raises(ValidationFailed, match=r"orgs.csv:2: website: 'JavaScript:alert\(1\)' is not a web address"):
        import_file(loaded, path, "organizations")


@pytest.mark.parametrize("where", ["name_en", "source_ids"])
def test_a_nul_in_an_import_is_a_validation_error_on_both_databases(loaded, tmp_path, where):
    path = tmp_path / "orgs.json"
    record = {"id": "org:nul", "name_en": "Nul", "kind": "company", "country": "FR", "unconfirmed": True}
    record[where] = "bad\x00value" if where == "name_en" else ["src:qst-jt60sa", "src:\x00"]
    path.write_text(json.dumps([record]), encoding="utf-8")
    with pytest.raises(ValidationFailed, match=rf"orgs.json:1: {where}: contains a control character \(U\+0000"):
        import_file(loaded, path, "organizations")


def test_an_amount_of_2_63_is_a_validation_error_not_a_database_error(loaded, tmp_path):
    path = tmp_path / "programmes.csv"
    path.write_text(PROGRAMMES + f"prog:big,JP,Big,{2**63},JPY,multi_year,true\n", encoding="utf-8")
    with pytest.raises(ValidationFailed, match=r"programmes.csv:2: amount: Input should be less than or equal to"):
        import_file(loaded, path, "programmes")
    path.write_text(PROGRAMMES + f"prog:big,JP,Big,{2**63 - 1},JPY,multi_year,true\n", encoding="utf-8")
    assert import_file(loaded, path, "programmes").count == 1  # the largest BIGINT is stored on both databases
    [stored] = [p for p in snapshot(loaded)["programmes"] if p["id"] == "prog:big"]
    assert stored["amount"] == 2**63 - 1


def test_non_finite_numbers_are_refused_in_imports(loaded, tmp_path):
    path = tmp_path / "caps.csv"
    path.write_text(
        "id,org_id,technology_id,capacity_value,unconfirmed\ncap:x,org:qst,tech:magnet,Infinity,true\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationFailed, match=r"caps.csv:2: capacity_value: inf is not a finite number"):
        import_file(loaded, path, "capabilities")


def _bad_byte_after_a_mib(text: str, marker: str) -> tuple[bytes, int, int]:
    """The encoded text with a 0xFF byte in place of `marker` (which must lie after the first MiB)."""
    data = text.encode("utf-8")
    at = data.index(marker.encode("utf-8"), MIB)
    return data[:at] + b"\xff" + data[at + 1 :], at, data[:at].count(b"\n") + 1


def test_a_bad_utf8_byte_after_the_first_mib_of_json_names_line_and_byte(tmp_path):
    records = [{"id": f"src:s{i}", "title": "x" * 80} for i in range(15_000)]
    text = json.dumps(records, indent=1).replace('"src:s14000"', '"src:s14000\u00e9"')
    data, at, line = _bad_byte_after_a_mib(text, "\u00e9")
    path = tmp_path / "sources.json"
    path.write_bytes(data)
    with pytest.raises(BadInput, match=rf"^sources.json:{line}: bytes that are not UTF-8 at byte {at} "):
        list(read_rows(path))


def test_a_bad_utf8_byte_in_a_web_sized_json_import_is_a_validation_error(loaded, tmp_path):
    records = [{"id": f"src:s{i}", "title": "x" * 80} for i in range(15_000)]
    data, at, line = _bad_byte_after_a_mib(json.dumps(records, indent=1) + "\u00e9", "\u00e9")
    path = tmp_path / "sources.json"
    path.write_bytes(data)
    with pytest.raises(BadInput, match=rf"sources.json:{line}: bytes that are not UTF-8 at byte {at}"):
        import_file(loaded, path, "sources")


def test_a_bad_byte_after_the_first_mib_of_csv_names_its_line(tmp_path):
    rows = [f"src:s{i},{'y' * 80}" for i in range(15_000)]
    rows[14_000] += "\u00e9"
    data, at, line = _bad_byte_after_a_mib("id,title\n" + "\n".join(rows) + "\n", "\u00e9")
    path = tmp_path / "sources.csv"
    path.write_bytes(data)
    with pytest.raises(BadInput, match=rf"^sources.csv:{line}: bytes that are not UTF-8 at byte {at} "):
        list(read_rows(path))
    assert line == 14_002


def test_a_bad_byte_after_the_first_mib_of_yaml_names_its_line(tmp_path):
    items = [f"- id: src:s{i}\n  title: {'y' * 80}" for i in range(15_000)]
    items[14_000] += "\u00e9"
    data, at, line = _bad_byte_after_a_mib("\n".join(items) + "\n", "\u00e9")
    path = tmp_path / "sources.yaml"
    path.write_bytes(data)
    with pytest.raises(BadInput, match=rf"^sources.yaml:{line}: bytes that are not UTF-8 at byte {at} "):
        list(read_rows(path))


def test_bad_bytes_inside_an_xlsx_sheet_are_a_validation_error(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["id", "title"])
    for i in range(50):
        sheet.append([f"src:s{i}", f"MARKER{i}"])
    good = tmp_path / "good.xlsx"
    book.save(good)
    bad = tmp_path / "sources.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bad, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/sharedStrings.xml" or item.filename.startswith("xl/worksheets/"):
                content = content.replace(b"MARKER30", b"MARKER\xff\xfe")
            target.writestr(item, content)
    with pytest.raises(BadInput, match=r"^sources.xlsx(:\d+)?: the workbook is damaged or not valid XML"):
        list(read_rows(bad))


def test_formula_safe_follows_owasp():
    for text in ("=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert formula_safe(text) == "'" + text
    assert formula_safe("plain") == "plain" and formula_safe(-1.5) == -1.5 and formula_safe(None) is None


def _hostile(engine) -> None:
    """A record whose free text a spreadsheet would run, and a negative number that must stay a number."""
    with engine.begin() as connection:
        from sqlalchemy import update

        from fusionatlas.store.schema import TABLES_BY_NAME

        orgs = TABLES_BY_NAME["organizations"]
        connection.execute(
            update(orgs).where(orgs.c.id == "org:qst").values(description_en='=HYPERLINK("http://evil","x")')
        )
        caps = TABLES_BY_NAME["capabilities"]
        connection.execute(update(caps).values(capacity_value=-1.5))


def test_xlsx_export_never_writes_a_formula_and_round_trips(loaded, tmp_path):
    _hostile(loaded)
    out = tmp_path / "atlas.xlsx"
    export(loaded, out, "xlsx")
    book = load_workbook(out)
    sheet = book["organizations"]
    column = [c.value for c in sheet[1]].index("description_en") + 1
    cells = [sheet.cell(row, column) for row in range(2, sheet.max_row + 1)]
    hostile = [c for c in cells if str(c.value).startswith("=HYPERLINK")]
    assert hostile and all(c.data_type == "s" and c.quotePrefix for c in hostile)
    caps = book["capabilities"]
    column = [c.value for c in caps[1]].index("capacity_value") + 1
    numbers = [caps.cell(row, column).value for row in range(2, caps.max_row + 1)]
    assert -1.5 in numbers  # numbers stay numbers
    empty = open_engine(f"sqlite:///{tmp_path / 'back.db'}")
    load_package(empty, _package_from(loaded, tmp_path))
    path = tmp_path / "organizations.xlsx"
    export(loaded, path, "xlsx")
    import_file(empty, path, "organizations")
    [qst] = [o for o in snapshot(empty)["organizations"] if o["id"] == "org:qst"]
    assert qst["description_en"] == '=HYPERLINK("http://evil","x")'
    empty.dispose()


def _package_from(engine, tmp_path: Path) -> Path:
    folder = tmp_path / "exported"
    export(engine, folder, "csv")
    return folder


def test_the_csv_data_package_stays_raw_so_that_load_reads_it_back(loaded, tmp_path):
    _hostile(loaded)
    folder = _package_from(loaded, tmp_path)
    with (folder / "organizations.csv").open(encoding="utf-8") as handle:
        [qst] = [row for row in csv.DictReader(handle) if row["id"] == "org:qst"]
    assert qst["description_en"] == '=HYPERLINK("http://evil","x")'  # documented: the package CSV is raw
    back = open_engine(f"sqlite:///{tmp_path / 'back.db'}")
    load_package(back, folder)
    assert snapshot(back) == snapshot(loaded)
    back.dispose()
