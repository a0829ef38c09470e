import json

import pytest
from openpyxl import Workbook

from fusionatlas.dataset.problems import BadInput
from fusionatlas.dataset.readers import count_rows, detect_encoding, read_rows

ROWS = 'id,name_en,name_ja\norg:a,Alpha,アルファ株式会社\norg:b,"Beta, Inc.",ベータ\n'


def test_utf8_with_bom(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(ROWS.encode("utf-8-sig"))
    assert detect_encoding(path) == "utf-8-sig"
    rows = list(read_rows(path))
    assert rows[0].data == {"id": "org:a", "name_en": "Alpha", "name_ja": "アルファ株式会社"}
    assert [r.line for r in rows] == [2, 3]


def test_cp932_from_japanese_excel(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(ROWS.replace("\n", "\r\n").encode("cp932"))
    assert detect_encoding(path) == "cp932"
    rows = list(read_rows(path))
    assert rows[1].data["name_ja"] == "ベータ"
    assert rows[1].data["name_en"] == "Beta, Inc."


def test_undecodable_bytes_are_refused(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"id,name_en\norg:a,\xff\xfe\xfa\n")
    with pytest.raises(BadInput, match="cannot tell the text encoding"):
        list(read_rows(path))


def test_wrong_number_of_cells_names_the_line(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("id,name_en\norg:a,A\norg:b,B,extra\n", encoding="utf-8")
    with pytest.raises(BadInput, match=r"a.csv:3: the row has 3 cells but the header has 2"):
        list(read_rows(path))


def test_unterminated_quote_is_malformed(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text('id,name_en\norg:a,"A\n', encoding="utf-8")
    with pytest.raises(BadInput, match="malformed CSV"):
        list(read_rows(path))


@pytest.mark.parametrize("text", ["", "\n\n", ",,\n"])
def test_empty_files(tmp_path, text):
    path = tmp_path / "a.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BadInput, match="empty"):
        list(read_rows(path))


def test_multiline_cells_keep_file_lines(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text('id,name_en\norg:a,"two\nlines"\norg:b,B\n', encoding="utf-8")
    assert [r.line for r in read_rows(path)] == [2, 4]
    assert count_rows(path) == 3


def test_xlsx_rows_and_sheet_by_table_name(tmp_path):
    book = Workbook()
    book.active.title = "other"
    book.active.append(["x"])
    sheet = book.create_sheet("organizations")
    sheet.append(["id", "name_en"])
    sheet.append(["org:a", "A"])
    sheet.append([None, None])
    sheet.append(["org:b", "B"])
    path = tmp_path / "a.xlsx"
    book.save(path)
    rows = list(read_rows(path, "organizations"))
    assert [(r.line, r.data["id"]) for r in rows] == [(2, "org:a"), (4, "org:b")]


def test_a_broken_xlsx_is_refused(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(BadInput, match="not a readable XLSX workbook"):
        list(read_rows(path))


def test_json_list_or_export_object(tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"organizations": [{"id": "org:a"}]}), encoding="utf-8")
    assert [r.data for r in read_rows(path, "organizations")] == [{"id": "org:a"}]
    with pytest.raises(BadInput, match="no key 'needs'"):
        list(read_rows(path, "needs"))


@pytest.mark.parametrize(
    ("text", "message"),
    [('[{"id": 1,}]', "a.json:1: malformed JSON"), ("{}", "no key"), ("[]", "no records"), ("[1]", "record 1 is not")],
)
def test_malformed_json(tmp_path, text, message):
    path = tmp_path / "a.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BadInput, match=message):
        list(read_rows(path, "organizations"))


def test_unsupported_suffix_and_missing_file(tmp_path):
    (tmp_path / "a.doc").write_text("x")
    with pytest.raises(BadInput, match="unsupported file type"):
        read_rows(tmp_path / "a.doc")
    with pytest.raises(BadInput, match="no such file"):
        read_rows(tmp_path / "missing.csv")
