"""The reference class and the leave-one-out backtest on a hand-worked class."""

import pytest

from fusionatlas.roadmap.backtest import leave_one_out, scores
from fusionatlas.roadmap.reference import Case, by_group, ratios, summary


def case(i, actual, kind="tokamak"):
    # Decided mid-2000 for mid-2010 (10 years): actual mid-2010 is ratio 1, mid-2020 is ratio 2.
    return Case(f"sref:{i}", f"P{i}", f"P{i}", kind, "large", "2000", "2010", actual)


def test_ratios_and_slips_worked_by_hand():
    cases = [case(1, "2020"), case(2, "2010"), Case("sref:short", "S", "S", "x", "small", "2020-01", "2020-02", "2021")]
    assert ratios(cases) == [2.0, 1.0]  # a plan under three months long says nothing about durations
    found = summary(cases)
    assert found["n"] == 2 and found["median_slip_years"] == 5.0 and found["median_ratio"] == 1.5
    assert set(by_group(cases, "scale")) == {"large", "small"}


def test_leave_one_out_beside_the_announced_date():
    cases = [case(1, "2020"), case(2, "2020"), case(3, "2020"), case(4, "2020"), case(5, "2010")]
    forecasts = leave_one_out(cases, draws=4000, seed=1)
    late, on_time = forecasts[0], forecasts[4]
    # A late case is forecast from three ratios of 2 and one of 1: P50 and P80 at ratio 2, its actual date.
    assert late.p50 == late.p80 == 2020.5 and late.covered and late.p50_error == 0.0
    assert late.naive_error == 10.0
    # The on-time case is forecast from four ratios of 2: ten years too late, still covered by its P80.
    assert on_time.p50 == 2020.5 and on_time.p50_error == 10.0 and on_time.naive_error == 0.0
    found = scores(forecasts)
    assert found == {
        "n": 5,
        "p80_coverage": 1.0,
        "p50_median_error_years": 0.0,
        "naive_median_error_years": 10.0,
        "naive_coverage": 0.2,
    }


def test_empty_class_scores_nothing():
    assert scores([])["n"] == 0
    assert summary([])["n"] == 0


def test_actual_before_the_decision_is_refused():
    from pydantic import ValidationError

    from fusionatlas.domain.records import ScheduleReference

    row = {
        "id": "sref:x",
        "name_en": "X",
        "name_ja": "X",
        "kind": "tokamak",
        "scale": "large",
        "event_en": "First plasma",
        "event_ja": "初プラズマ",
        "decision": "2010",
        "decision_en": "d",
        "decision_ja": "d",
        "planned": "2015",
        "actual": "2009-05",
        "source_ids": "src:a",
    }
    with pytest.raises(ValidationError, match="actual: 2009-05 is before the decision date 2010"):
        ScheduleReference.model_validate(row)
    with pytest.raises(ValidationError, match="planned"):
        ScheduleReference.model_validate({**row, "actual": "2016", "planned": "2008"})
