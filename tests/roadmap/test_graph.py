"""The graph algorithms on hand-worked cases: a chain with a lag, a fork and a join, a cycle, dates."""

import pytest

from fusionatlas.domain.graphs import find_cycle
from fusionatlas.roadmap.dates import deadline, middle, to_iso
from fusionatlas.roadmap.graph import CycleError, Link, Node, build, critical_path, forward

TODAY = 2026.0


def chain():
    # a (2028) -> b (2030) -> c (2031), c at least two years after b.
    nodes = [Node("a", "2028", anchor=TODAY), Node("b", "2030", anchor=TODAY), Node("c", "2031", anchor=TODAY)]
    return build(nodes, [Link("a", "b"), Link("b", "c", 24)])


def fork_join(x_date="2030", y_date="2033"):
    # s achieved in 2025, then x and y in parallel, then j after both.
    nodes = [
        Node("s", "2025", achieved=True),
        Node("x", x_date, anchor=TODAY),
        Node("y", y_date, anchor=TODAY),
        Node("j", "2034", anchor=TODAY),
    ]
    return build(nodes, [Link("s", "x"), Link("s", "y"), Link("x", "j"), Link("y", "j")])


def test_partial_dates_count_from_the_middle_and_end_with_their_period():
    assert middle("2034") == 2034.5
    assert deadline("2034") == 2035.0
    assert deadline("2034-12") == 2035.0
    assert 2034.0 < middle("2034-01") < 2034.1
    assert to_iso(middle("2024-06-19")) == "2024-06-19"


def test_chain_with_a_lag_worked_by_hand():
    plan = forward(chain(), TODAY)
    assert plan.finish["a"] == 2028.5
    assert plan.finish["b"] == 2030.5 and plan.binding["b"] == "a" and plan.duration["b"] == 2.0
    # c cannot start before b + 2 years = 2032.5, later than its own 2031 (to the end of 2031): pushed.
    assert plan.finish["c"] == 2032.5 and plan.binding["c"] == "b" and plan.duration["c"] == 0.0
    assert critical_path(plan, "c") == ["a", "b", "c"]


def test_fork_and_join_take_the_later_branch():
    plan = forward(fork_join(), TODAY)
    assert plan.binding["x"] is None  # s (2025) is before the anchor: it does not bind
    assert plan.finish["j"] == 2034.5 and plan.binding["j"] == "y"
    assert critical_path(plan, "j") == ["y", "j"]
    later_x = forward(fork_join(x_date="2034", y_date="2031"), TODAY)
    assert critical_path(later_x, "j") == ["x", "j"]
    assert later_x.duration["j"] == 0.5  # x ends mid-2034, j is announced for 2034: the rest of 2034 is left


def test_topological_order_puts_predecessors_first():
    graph = fork_join()
    position = {node: i for i, node in enumerate(graph.order)}
    for node, preds in graph.preds.items():
        assert all(position[p] < position[node] for p, _lag in preds)
    assert sorted(graph.order) == ["j", "s", "x", "y"]


def test_overdue_milestone_happens_no_earlier_than_today():
    graph = build([Node("late", "2020", anchor=2019.0)], [])
    assert forward(graph, TODAY).finish["late"] == TODAY


def test_links_to_milestones_not_in_the_graph_are_left_out_and_the_larger_lag_kept():
    graph = build([Node("a", "2028"), Node("b", "2030")], [Link("a", "b", 6), Link("a", "b", 12), Link("hidden", "b")])
    assert graph.preds["b"] == [("a", 1.0)]


def test_a_cycle_is_refused_with_its_path():
    nodes = [Node(n, "2030") for n in "abc"]
    with pytest.raises(CycleError, match=r"a -> b -> c -> a|b -> c -> a -> b|c -> a -> b -> c"):
        build(nodes, [Link("a", "b"), Link("b", "c"), Link("c", "a")])
    assert find_cycle({"x": ["x"]}) == ["x", "x"]
    assert find_cycle({"b": ["a"], "c": ["b"]}) is None
