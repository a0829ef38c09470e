"""Overdue and date-changed findings (for `fusionatlas check`, the pages and the JSON), and the package
validator's refusal of dependency cycles and impossible lags, naming file, line and field."""

import datetime as dt

import pytest

from fusionatlas.dataset.package import validate_package
from fusionatlas.dataset.problems import ValidationFailed
from fusionatlas.domain.audience import OPERATOR, PUBLIC
from fusionatlas.roadmap.read import Roadmap, read_roadmap
from fusionatlas.roadmap.status import findings, is_overdue, schedule_findings, status_of
from fusionatlas.store.engine import open_engine
from tests import fixtures


def milestone(mid, date, status, title="T"):
    return {"id": mid, "date": date, "status": status, "title_en": title, "title_ja": f"{title}（日本語）",
            "depends_on": [], "source_ids": []}  # fmt: skip


def roadmap(*rows, history=None):
    return Roadmap({r["id"]: r for r in rows}, [], [], history or {}, [], {"ms:late": "2026-11-28"})


def test_overdue_is_a_pending_milestone_past_the_end_of_its_period():
    day = dt.date(2026, 12, 6)
    assert is_overdue(milestone("m", "2025", "planned"), day)
    assert is_overdue(milestone("m", "2026-11", "delayed"), day)
    assert not is_overdue(milestone("m", "2026", "planned"), day)  # on time until the end of 2026
    assert not is_overdue(milestone("m", "2020", "achieved"), day)
    assert not is_overdue(milestone("m", "2020", "cancelled"), day)
    assert not is_overdue(milestone("m", None, "planned"), day)
    assert status_of(milestone("m", "2020", None), day) == "achieved"  # a past event without a status
    assert status_of(milestone("m", None, "planned"), day) == "undated"
    assert status_of(milestone("m", "2025", "planned"), day) == "overdue"


def test_a_date_given_more_precisely_is_not_a_change():
    history = {"ms:m": [{"announced": "2016-06-16", "date": "2025-12", "date_text": None}]}
    assert findings(roadmap(milestone("ms:m", "2025", "cancelled"), history=history), dt.date(2026, 12, 6)) == []


def test_findings_name_the_milestone_in_both_languages():
    history = {
        "ms:moved": [
            {"announced": "2016-06-16", "date": "2025-12", "date_text": None},
            {"announced": "2024-06-19", "date": "2034", "date_text": None},
        ]
    }
    found = findings(
        roadmap(milestone("ms:late", "2024-02", "planned", "Late"), milestone("ms:moved", "2034", "planned", "Moved"),
                history=history),
        dt.date(2026, 12, 6),
    )  # fmt: skip
    assert [(f["kind"], f["id"]) for f in found] == [("overdue", "ms:late"), ("date_changed", "ms:moved")]
    late, moved = found
    assert late["table"] == "milestones"
    assert "2024-02" in late["message_en"] and "2026-11-28" in late["message_en"]
    assert "Late（日本語）" in late["message_ja"] and "達成の記録なし" in late["message_ja"]
    assert "from 2025-12 to 2034 (2024-06-19)" in moved["message_en"]
    assert "2025-12 から 2034 に変更" in moved["message_ja"]


def test_schedule_findings_read_the_store(loaded_db_url):
    # The fixture's JT-60SA first plasma was announced (2020-04-22) for 2020-10 and happened on 2023-10-23.
    engine = open_engine(loaded_db_url)
    with engine.connect() as connection:
        found = schedule_findings(connection, PUBLIC, dt.date(2026, 12, 6))
        data = read_roadmap(connection, OPERATOR)
    engine.dispose()
    assert [(f["kind"], f["id"]) for f in found] == [("date_changed", "ms:jt-60sa-first-plasma")]
    assert "from 2020-10 to 2023-10-23" in found[0]["message_en"]
    assert [t["id"] for t in data.tracks] == ["track:jt-60sa"]
    assert [(l.from_id, l.to_id, l.lag_months) for l in data.links] == [  # noqa: E741
        ("ms:jt-60sa-first-plasma", "ms:jt-60sa-ceremony", 1)
    ]
    assert [c.id for c in data.cases] == ["sref:jt-60sa"]


def test_a_dependency_cycle_is_refused_with_file_line_and_field(tmp_path):
    links = (
        fixtures.MILESTONE_LINKS
        + "ms:jt-60sa-ceremony,ms:jt-60sa-first-plasma,finish_to_start,0,src:qst-jt60sa,false\n"
    )
    folder = fixtures.write_package(tmp_path / "package", milestone_links_csv=links)
    with pytest.raises(ValidationFailed) as failed:
        validate_package(folder)
    problem = failed.value.problems[0]
    assert problem.file.endswith("milestone_links.csv") and problem.line == 3 and problem.field == "from_id"
    assert "dependency cycle" in problem.message and "ms:jt-60sa-ceremony" in problem.message


@pytest.mark.parametrize(
    ("pair", "lag", "field", "words"),
    [
        ("ms:jt-60sa-first-plasma,ms:jt-60sa-ceremony", "-3", "lag_months", "greater than or equal to 0"),
        ("ms:jt-60sa-first-plasma,ms:jt-60sa-ceremony", "900", "lag_months", "less than or equal to 600"),
        ("ms:jt-60sa-first-plasma,ms:unknown", "0", "to_id", "unknown milestones"),
        ("ms:jt-60sa-ceremony,ms:jt-60sa-ceremony", "0", "to_id", "itself"),
    ],
)
def test_impossible_links_are_refused(tmp_path, pair, lag, field, words):
    header = fixtures.MILESTONE_LINKS.splitlines()[0]
    row = f"{pair},finish_to_start,{lag},src:qst-jt60sa,false"
    folder = fixtures.write_package(tmp_path / "package", milestone_links_csv=f"{header}\n{row}\n")
    with pytest.raises(ValidationFailed) as failed:
        validate_package(folder)
    problem = failed.value.problems[0]
    assert (problem.line, problem.field) == (2, field)
    assert words in problem.message
