"""Importing files into a table: every format, all or nothing, clear errors."""

import json

import pytest
from openpyxl import Workbook

from fusionatlas.dataset.exports import snapshot
from fusionatlas.dataset.imports import import_file
from fusionatlas.dataset.package import load_package
from fusionatlas.dataset.problems import BadInput, ValidationFailed

HEADER = "id,name_en,name_ja,kind,country,source_ids,unconfirmed\n"


@pytest.fixture
def loaded(engine, package):
    load_package(engine, package)
    return engine


def orgs(snap):
    return {o["id"]: o for o in snap["organizations"]}


def test_csv_import_adds_and_updates(loaded, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text(
        HEADER + "org:new,New Fusion,,startup,US,src:qst-jt60sa,\norg:qst,QST,量子科学技術研究開発機構,"
        "national_lab,JP,src:qst-jt60sa,false\n",
        encoding="utf-8",
    )
    report = import_file(loaded, path, "organizations")
    assert report.count == 2
    after = orgs(snapshot(loaded))
    assert after["org:new"]["kind"] == "startup"
    assert after["org:qst"]["name_en"] == "QST"


def test_cp932_csv_import(loaded, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_bytes(
        (HEADER + "org:toshiba,Toshiba Energy Systems,東芝エネルギーシステムズ,company,JP,src:qst-jt60sa,\r\n").encode(
            "cp932"
        )
    )
    import_file(loaded, path, "organizations")
    assert orgs(snapshot(loaded))["org:toshiba"]["name_ja"] == "東芝エネルギーシステムズ"


def test_xlsx_import(loaded, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["id", "org_id", "technology_id", "description_en", "trl", "source_ids", "unconfirmed"])
    sheet.append(
        ["cap:qst.hcd.gyrotron", "org:qst", "tech:hcd.gyrotron", "Gyrotrons for ITER", 8, "src:iter-gyrotron", "No"]
    )
    path = tmp_path / "caps.xlsx"
    book.save(path)
    import_file(loaded, path, "capabilities")
    caps = {c["id"]: c for c in snapshot(loaded)["capabilities"]}
    assert caps["cap:qst.hcd.gyrotron"]["trl"] == 8


def test_json_import_with_fiscal_years(loaded, tmp_path):
    path = tmp_path / "programmes.json"
    record = {
        "id": "prog:jp-moonshot",
        "country": "JP",
        "name_en": "Moonshot Goal 10",
        "start": "令和5年度",
        "end": "FY2027",
        "unconfirmed": True,
    }
    path.write_text(json.dumps([record], ensure_ascii=False), encoding="utf-8")
    import_file(loaded, path, "programmes")
    [programme] = [p for p in snapshot(loaded)["programmes"] if p["id"] == "prog:jp-moonshot"]
    assert (programme["start"], programme["end"]) == ("2023-04", "2028-03")
    assert "令和5年度" in programme["notes"]


def test_a_bad_row_rolls_back_the_whole_import(loaded, tmp_path):
    before = snapshot(loaded)
    rows = [f"org:ok{i},OK {i},,company,US,src:qst-jt60sa," for i in range(7000)]
    rows.append("org:bad,Bad,,company,XX,src:qst-jt60sa,")
    path = tmp_path / "orgs.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(ValidationFailed, match=r"orgs.csv:7002: country: 'XX'"):
        import_file(loaded, path, "organizations")
    assert snapshot(loaded) == before


def test_unknown_reference_in_the_store(loaded, tmp_path):
    path = tmp_path / "caps.csv"
    path.write_text("id,org_id,technology_id,unconfirmed\ncap:x,org:nobody,tech:magnet,true\n", encoding="utf-8")
    with pytest.raises(ValidationFailed, match=r"caps.csv:2: org_id: unknown organizations id 'org:nobody'"):
        import_file(loaded, path, "capabilities")


def test_duplicate_ids_within_a_file(loaded, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text(HEADER + "org:a,A,,company,US,,true\norg:a,A2,,company,US,,true\n", encoding="utf-8")
    with pytest.raises(ValidationFailed, match=r"orgs.csv:3: id: duplicate id 'org:a' \(first at line 2\)"):
        import_file(loaded, path, "organizations")


def test_duplicate_name_warning(loaded, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text(HEADER + "org:fujikura-ltd,Fujikura Ltd.,株式会社フジクラ,company,JP,,true\n", encoding="utf-8")
    report = import_file(loaded, path, "organizations")
    assert report.warnings and "matches organization org:fujikura" in report.warnings[0]


def test_empty_and_header_only_files(loaded, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(BadInput, match="empty"):
        import_file(loaded, empty, "organizations")
    header_only = tmp_path / "header.csv"
    header_only.write_text(HEADER, encoding="utf-8")
    with pytest.raises(BadInput, match="holds no records"):
        import_file(loaded, header_only, "organizations")


def test_unknown_table(loaded, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(HEADER, encoding="utf-8")
    with pytest.raises(KeyError, match="no table 'companies'"):
        import_file(loaded, path, "companies")


def test_technology_import_checks_cycles_against_the_store(loaded, tmp_path):
    path = tmp_path / "tech.csv"
    path.write_text(
        "id,parent,name_en,name_ja,unconfirmed\ntech:magnet,tech:magnet.hts,Magnets,マグネット,true\n", encoding="utf-8"
    )
    with pytest.raises(ValidationFailed, match="cycle in the technology tree"):
        import_file(loaded, path, "technologies")
