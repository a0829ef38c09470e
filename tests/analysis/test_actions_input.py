"""Candidate actions as officials enter them: rows, an uploaded workbook, the template, and why each action was
chosen or left out."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from fusionatlas.analysis.actions_input import actions_from_rows, read_workbook, template_workbook
from fusionatlas.analysis.gaps import GapReport, TechnologyGap
from fusionatlas.analysis.portfolio import Action, ActionError, explain, target

KNOWN = {"t1", "t2", "t3"}
NAMES = {"rebco tape": "t1", "rebco線材": "t1"}
TECHS = [("t1", "REBCO tape", "REBCO線材"), ("t2", "Gyrotron", "ジャイロトロン"), ("t3", "Divertor", "ダイバータ")]


def workbook(rows, title="Actions", extra_sheets=()):
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for name in extra_sheets:
        book.create_sheet(name, 0).append(["x"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_rows_skip_blanks_accept_names_and_commas():
    rows = [
        {"id": "a", "name_en": "A", "name_ja": "エー", "cost": "10", "technologies": "t1, t2", "closes": "0.5"},
        {"id": "", "name_en": "", "name_ja": "", "cost": "", "technologies": "", "closes": ""},
        {"id": "b", "name_en": "", "name_ja": "", "cost": "5", "technologies": "REBCO線材", "closes": "1"},
    ]
    actions = actions_from_rows(rows, KNOWN, NAMES)
    assert [a.id for a in actions] == ["a", "b"]
    assert actions[0].closes == {"t1": 0.5, "t2": 0.5} and actions[1].closes == {"t1": 1.0}
    assert actions[1].name_en == "b"


def test_row_errors_name_the_row_and_column():
    rows = [
        {"id": "a", "cost": "10", "technologies": "t1", "closes": "0.5"},
        {"id": "b", "cost": "lots", "technologies": "t1", "closes": "0.5"},
    ]
    with pytest.raises(ActionError) as caught:
        actions_from_rows(rows, KNOWN, NAMES)
    assert (caught.value.row, caught.value.field, caught.value.sheet) == (2, "cost", None)
    assert str(caught.value) == "row 2, column 'Cost': 'lots' is not a number"
    with pytest.raises(ActionError, match="row 2, column 'Action id': action id 'a' appears more than once"):
        actions_from_rows([rows[0], {**rows[0], "cost": "3"}], KNOWN, NAMES)
    with pytest.raises(ActionError, match="no actions"):
        actions_from_rows([{"id": " "}], KNOWN, NAMES)


def test_workbook_with_japanese_headings():
    data = workbook(
        [
            ["施策ID", "名称（英語）", "名称（日本語）", "費用", "対象技術（ID）", "解消するギャップの割合（0〜1）"],
            ["act:1", "Tape line", "線材ライン", 300, "t1；t2", "0.6, 0.2"],
            [None, None, None, None, None, None],
            ["act:2", None, None, 100.0, "t3", 1],
        ],
        title="施策",
        extra_sheets=["このファイルについて"],
    )
    actions = read_workbook(data, KNOWN, NAMES)
    assert [(a.id, a.cost, a.closes) for a in actions] == [
        ("act:1", 300, {"t1": 0.6, "t2": 0.2}),
        ("act:2", 100, {"t3": 1.0}),
    ]


def test_workbook_errors_name_sheet_row_and_column():
    header = ["id", "name_en", "name_ja", "cost", "technologies", "closes"]
    bad_cell = workbook([header, ["a", "A", "", 10, "t1", 0.5], ["b", "B", "", 10, "t9", 0.5]], title="Sheet1")
    with pytest.raises(ActionError) as caught:
        read_workbook(bad_cell, KNOWN, NAMES)
    error = caught.value
    assert (error.sheet, error.row, error.field, error.letter, error.header) == (
        "Sheet1",
        3,
        "technologies",
        "E",
        "technologies",
    )
    assert str(error) == "sheet 'Sheet1', row 3, column E (technologies): unknown technology id 't9'"
    too_much = workbook([header, ["a", "A", "", 10, "t1", 1.5]])
    with pytest.raises(
        ActionError, match=r"sheet 'Actions', row 2, column F \(closes\): 1.5 is more than the whole gap"
    ):
        read_workbook(too_much, KNOWN, NAMES)
    unknown = workbook([[*header, "notes"], ["a", "A", "", 10, "t1", 0.5]])
    with pytest.raises(ActionError, match=r"sheet 'Actions', row 1: unknown column heading 'notes'") as caught:
        read_workbook(unknown, KNOWN, NAMES)
    assert caught.value.letter == "G"
    missing = workbook([["id", "cost", "technologies"], ["a", 10, "t1"]])
    with pytest.raises(ActionError, match=r"row 1, column 'Share of the gap closed.*heading of this column is missing"):
        read_workbook(missing, KNOWN, NAMES)
    with pytest.raises(ActionError, match="not an XLSX workbook"):
        read_workbook(b"id,cost\n", KNOWN, NAMES)
    with pytest.raises(ActionError, match="no actions"):
        read_workbook(workbook([header]), KNOWN, NAMES)


def test_template_round_trips_in_both_languages():
    for lang, sheet, about in [("ja", "施策", "このファイルについて"), ("en", "Actions", "About")]:
        data = template_workbook(lang, TECHS, "CC BY 4.0")
        book = load_workbook(io.BytesIO(data))
        assert book.sheetnames[0] == about and sheet in book.sheetnames
        header = next(book[sheet].values)
        assert ("費用" in header) == (lang == "ja") and ("Cost" in header) == (lang == "en")
        # The example row names a technology the atlas holds, so the untouched template reads back.
        assert [a.id for a in read_workbook(data, KNOWN, {})] == ["act:rebco-line"]


def gap_report(scores):
    gaps = [
        TechnologyGap(t, t.upper(), t + "（日本語）", s, 0, 0, 0, None, None, [], None, False, False)
        for t, s in scores.items()
    ]
    return GapReport("JP", [], {}, gaps)


def test_explanations_give_the_gaps_closed_and_a_reason_for_each_action_left_out():
    actions = [
        Action("best", "Best", "", 10, {"t1": 0.5}),
        Action("copy", "Copy", "", 10, {"t1": 0.5}),  # with best, t1 is closed whole: both fit
        Action("again", "Again", "", 1, {"t1": 0.2}),  # t1 is closed by the two: nothing left to add
        Action("useless", "Useless", "", 1, {"t3": 1.0}),  # t3 has no gap
        Action("huge", "Huge", "", 1000, {"t2": 1.0}),  # costs more than the budget
        Action("tight", "Tight", "", 15, {"t2": 0.5}),  # would add value, but 15 > the 1 left
    ]
    gaps = {"t1": 0.8, "t2": 0.4, "t3": 0.0}
    why = explain(actions, gaps, {"t1": ("T1", "技術1")}, 21, ["best", "copy"])
    chosen = {a["id"]: a for a in why["chosen"]}
    assert set(chosen) == {"best", "copy"}
    assert chosen["best"]["gaps"] == [
        {"technology_id": "t1", "name_en": "T1", "name_ja": "技術1", "score": 0.8, "fraction": 0.5, "closed": 0.4}
    ]
    assert (
        chosen["best"]["value"] == 0.4 and chosen["best"]["value_per_cost"] == 0.04 and chosen["best"]["added"] == 0.4
    )
    reasons = {a["id"]: a["reason"] for a in why["not_chosen"]}
    assert reasons == {
        "again": "overlapping",
        "useless": "no gap",
        "huge": "over budget",
        "tight": "lower value per cost",
    }
    assert why["left"] == 1


def test_target_carries_the_explanation():
    report = gap_report({"t1": 1.0, "t2": 0.5})
    actions = [Action("a", "A", "", 10, {"t1": 0.5}), Action("b", "B", "", 10, {"t2": 0.5})]
    result = target(report, actions, 10)
    assert result["optimal"]["actions"][0]["id"] == "a"
    assert [a["id"] for a in result["explanation"]["chosen"]] == ["a"]
    assert result["explanation"]["chosen"][0]["gaps"][0]["name_ja"] == "t1（日本語）"
    assert result["explanation"]["not_chosen"][0]["reason"] == "lower value per cost"
