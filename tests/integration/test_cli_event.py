"""`fusionatlas event schedule FILE` (JSON and XLSX) and `fusionatlas event run EVENT_ID`: the brief's output
fields, bad input named with exit 2 and nothing else printed, warnings on stderr."""

from __future__ import annotations

import json

from openpyxl import Workbook
from typer.testing import CliRunner

from fusionatlas.cli import app

runner = CliRunner()
PROBLEM = {
    "slots": ["9:00", "9:30"],
    "tables": ["A", "B"],
    "participants": [
        {"id": "ann", "org_id": "o1", "available": ["9:00", "9:30"], "max_meetings": 2},
        {"id": "bob", "org_id": "o2", "available": ["9:00"]},
        {"id": "cy", "org_id": "o3", "available": ["9:00", "9:30"]},
        {"id": "dee", "org_id": "o1", "available": ["9:30"], "max_meetings": 1},
    ],
    "requests": [{"a": "ann", "b": "bob", "weight": 2}, {"a": "ann", "b": "cy"}, {"a": "cy", "b": "dee", "weight": 3}],
}


def schedule(path, *args):
    return runner.invoke(app, ["event", "schedule", str(path), *args])


def test_json_in_json_out(tmp_path):
    path = tmp_path / "event.json"
    path.write_text(json.dumps(PROBLEM))
    result = schedule(path, "--json", "--time-limit", "10")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert {"meetings", "objective", "bound", "optimal", "greedy_meetings", "seconds"} <= set(answer)
    # bob is free at 9:00 only and dee at 9:30 only: ann-bob at 9:00 and cy-dee at 9:30 (2 + 3) leave ann-cy no
    # slot where both are free; any schedule with ann-cy loses one of the heavier two.
    assert sorted((m["a"], m["b"], m["slot"]) for m in answer["meetings"]) == [
        ("ann", "bob", "9:00"),
        ("cy", "dee", "9:30"),
    ]
    assert (answer["objective"], answer["bound"], answer["optimal"]) == (5, 5, True)
    assert {m["table"] for m in answer["meetings"]} <= {"A", "B"}


def test_xlsx(tmp_path):
    book = Workbook()
    book.active.title = "slots"
    book["slots"].append(["id"])
    for slot in PROBLEM["slots"]:
        book["slots"].append([slot])
    tables = book.create_sheet("tables")
    tables.append(["id"])
    for table in PROBLEM["tables"]:
        tables.append([table])
    people = book.create_sheet("participants")
    people.append(["id", "org_id", "available", "max_meetings"])
    for p in PROBLEM["participants"]:
        people.append([p["id"], p["org_id"], ",".join(p["available"]), p.get("max_meetings")])
    requests = book.create_sheet("requests")
    requests.append(["a", "b", "weight"])
    for r in PROBLEM["requests"]:
        requests.append([r["a"], r["b"], r.get("weight")])
    path = tmp_path / "event.xlsx"
    book.save(path)
    result = schedule(path, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["objective"] == 5
    human = schedule(path)
    assert human.exit_code == 0 and "objective 5, proven bound 5, gap 0.00% (optimal)" in human.stdout


def test_bad_input_is_named_and_exits_2(tmp_path):
    path = tmp_path / "bad.json"
    bad = {**PROBLEM, "requests": [*PROBLEM["requests"], {"a": "ann", "b": "zed"}, {"a": "bob", "b": "ann"}]}
    path.write_text(json.dumps(bad))
    result = schedule(path, "--json")
    assert result.exit_code == 2 and result.stdout == ""
    assert "requests[3] ('ann' with 'zed'): unknown participant 'zed'" in result.stderr
    assert "requests[4] ('bob' with 'ann'): duplicate of requests[0]" in result.stderr
    path.write_text("{not json")
    assert schedule(path).exit_code == 2
    assert schedule(tmp_path / "missing.json").exit_code == 2


def test_warnings_go_to_stderr_and_the_schedule_runs(tmp_path):
    path = tmp_path / "busy.json"
    busy = {**PROBLEM, "requests": [*PROBLEM["requests"], {"a": "bob", "b": "cy"}]}
    path.write_text(json.dumps(busy))
    result = schedule(path, "--json")
    assert result.exit_code == 0
    assert "warning: participant 'bob': 2 accepted requests but at most 1 meetings" in result.stderr
    json.loads(result.stdout)


def test_run_names_an_unknown_event(migrated_db_url):
    result = runner.invoke(app, ["--db", migrated_db_url, "event", "run", "99"])
    assert result.exit_code == 2 and "no such event" in result.stderr
