"""Support-programme targeting: exact optimiser against greedy, within budget."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fusionatlas.analysis.gaps import GapError, GapReport, TechnologyGap
from fusionatlas.analysis.portfolio import Action, greedy, optimal, read_actions, target


def gap_report(scores):
    gaps = [TechnologyGap(t, t, t, s, 0, 0, 0, None, None, [], None, False, False) for t, s in scores.items()]
    return GapReport("JP", [], {}, gaps)


def test_the_optimiser_beats_greedy_where_greedy_is_myopic():
    # Greedy takes the best value per cost (a) and then cannot afford b; the optimum is b alone.
    actions = [Action("a", "A", "", 10, {"t1": 0.3}), Action("b", "B", "", 100, {"t2": 1.0})]
    gaps = {"t1": 1.0, "t2": 0.9}
    assert greedy(actions, gaps, 100).actions == ["a"]
    best = optimal(actions, gaps, 100)
    assert best.actions == ["b"] and best.value == pytest.approx(0.9)


def test_closing_more_than_the_whole_gap_counts_once():
    actions = [Action("a", "A", "", 1, {"t": 0.8}), Action("b", "B", "", 1, {"t": 0.8})]
    assert optimal(actions, {"t": 1.0}, 2).value == pytest.approx(1.0)


def test_budget_below_every_action():
    with pytest.raises(GapError, match="below the cheapest action's cost"):
        target(gap_report({"t": 1.0}), [Action("a", "A", "", 10, {"t": 1})], 5)


def test_reading_actions_csv_and_its_errors(tmp_path):
    path = tmp_path / "actions.csv"
    path.write_text("id,name_en,name_ja,cost,technologies,closes\nact:a,A,エー,10,t1;t2,0.5\n", encoding="utf-8")
    [action] = read_actions(path, {"t1", "t2"})
    assert action.closes == {"t1": 0.5, "t2": 0.5}
    path.write_text("id,name_en,name_ja,cost,technologies,closes\nact:a,A,エー,ten,t1,0.5\n", encoding="utf-8")
    with pytest.raises(GapError, match=r"actions.csv:2: cost: 'ten' is not a number"):
        read_actions(path, {"t1"})
    path.write_text("id,name_en,name_ja,cost,technologies,closes\nact:a,A,エー,1,t9,0.5\n", encoding="utf-8")
    with pytest.raises(GapError, match="unknown technology id 't9'"):
        read_actions(path, {"t1"})
    path.write_text("id,name_en,name_ja,cost,technologies,closes\nact:a,A,エー,1,t1,1.5\n", encoding="utf-8")
    with pytest.raises(GapError, match="more than the whole gap"):
        read_actions(path, {"t1"})


action = st.builds(
    lambda i, cost, closes: Action(f"a{i}", "", "", cost, closes),
    st.integers(0, 10_000),
    st.floats(1, 50),
    st.dictionaries(st.sampled_from(["t1", "t2", "t3", "t4"]), st.floats(0, 1), min_size=1, max_size=3),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(action, min_size=1, max_size=8, unique_by=lambda a: a.id), st.floats(0, 120))
def test_the_optimiser_stays_in_budget_and_never_loses_to_greedy(actions, budget):
    gaps = {"t1": 0.9, "t2": 0.5, "t3": 0.3, "t4": 0.1}
    best, baseline = optimal(actions, gaps, budget), greedy(actions, gaps, budget)
    assert best.cost <= budget + 1e-6 and baseline.cost <= budget + 1e-6
    assert best.value >= baseline.value - 1e-6
