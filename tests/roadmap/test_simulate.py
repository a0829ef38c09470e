"""The sampler: seeded and reproducible, equal to the deterministic pass with zero variance, and with the
statistical properties of its construction (quantiles of a known ratio distribution, joins, conditioning)."""

import numpy as np
import pytest

from fusionatlas.roadmap.graph import Link, Node, build, critical_path, forward
from fusionatlas.roadmap.simulate import conditional_ratios, simulate
from tests.roadmap.test_graph import TODAY, chain, fork_join


@pytest.mark.parametrize("make", [chain, fork_join])
def test_zero_variance_equals_the_deterministic_critical_path(make):
    graph = make()
    plan = forward(graph, TODAY)
    run = simulate(graph, [1.0], TODAY, draws=200, seed=1)
    for node in graph.order:
        assert np.allclose(run.row(node), plan.finish[node])
    target = graph.order[-1]
    share = run.criticality(target)
    path = set(critical_path(plan, target))
    assert {n for n, s in share.items() if s == 1.0} == path
    assert all(s == 0.0 for n, s in share.items() if n not in path)


def test_same_seed_same_numbers_other_seed_other_numbers():
    graph = chain()
    a = simulate(graph, [0.8, 1.0, 1.5, 3.0], TODAY, draws=500, seed=7)
    b = simulate(graph, [0.8, 1.0, 1.5, 3.0], TODAY, draws=500, seed=7)
    c = simulate(graph, [0.8, 1.0, 1.5, 3.0], TODAY, draws=500, seed=8)
    assert np.array_equal(a.finish, b.finish)
    assert not np.array_equal(a.finish, c.finish)


def test_one_milestone_quantiles_follow_the_ratio_distribution():
    # Duration 10 years from today; ratios 1, 2, 4 equally likely: finishes at +10, +20, +40 years.
    graph = build([Node("m", "2036-01-01", anchor=TODAY)], [])
    run = simulate(graph, [1.0, 2.0, 4.0], TODAY, draws=30_000, seed=3)
    values, counts = np.unique(np.round(run.row("m") - TODAY, 6), return_counts=True)
    assert list(values) == [10.0, 20.0, 40.0]
    assert np.allclose(counts / counts.sum(), 1 / 3, atol=0.015)
    assert run.quantile("m", 0.5) == pytest.approx(TODAY + 20)
    assert run.p_by("m", 2036.01) == pytest.approx(1 / 3, abs=0.015)


def test_a_join_is_later_than_each_branch_and_its_chance_is_the_product():
    # x and y end independently at +2 or +6 years (equally likely); j follows both at once (zero own duration).
    nodes = [Node("x", "2028-01-01", anchor=TODAY), Node("y", "2028-01-01", anchor=TODAY), Node("j", "2028-01-01")]
    graph = build(nodes, [Link("x", "j"), Link("y", "j")])
    run = simulate(graph, [1.0, 3.0], TODAY, draws=40_000, seed=5)
    assert np.all(run.row("j") >= np.maximum(run.row("x"), run.row("y")) - 1e-9)
    both_early = run.p_by("x", TODAY + 2.01) * run.p_by("y", TODAY + 2.01)
    assert run.p_by("j", TODAY + 2.01) == pytest.approx(both_early, abs=0.01)
    assert run.p_by("j", TODAY + 2.01) == pytest.approx(0.25, abs=0.01)


def test_a_milestone_not_yet_done_is_drawn_after_today_only():
    # Announced in 2020 for 2024 and still not done in 2026: ratios that put it before today are not eligible.
    graph = build([Node("m", "2024-01-01", anchor=2020.0)], [])
    run = simulate(graph, [0.5, 1.0, 1.5, 2.0, 3.0], 2026.0, draws=5000, seed=2)
    assert run.row("m").min() > 2026.0
    assert set(np.round(run.row("m"), 6)) == {2020.0 + 8.0, 2020.0 + 12.0}
    nothing_left = simulate(graph, [0.5, 1.0], 2026.0, draws=100, seed=2)
    assert np.all(nothing_left.row("m") == 2026.0)


def test_conditional_ratios_draw_only_above_the_threshold():
    ratios = np.array([1.0, 2.0, 3.0])
    drawn, eligible = conditional_ratios(ratios, np.array([0.0, 1.5, 2.5, 3.0]), np.array([0.99, 0.0, 0.5, 0.5]))
    assert list(eligible) == [True, True, True, False]
    assert list(drawn[:3]) == [3.0, 2.0, 3.0]


def test_hiding_a_milestone_leaves_the_others_draws_alone():
    full = simulate(fork_join(), [0.8, 1.2, 2.0], TODAY, draws=300, seed=4)
    nodes = [Node("x", "2030", anchor=TODAY), Node("z", "2029", anchor=TODAY)]
    other = simulate(build(nodes, []), [0.8, 1.2, 2.0], TODAY, draws=300, seed=4)
    assert np.array_equal(full.row("x"), other.row("x"))


def test_no_ratio_or_no_draw_is_refused():
    with pytest.raises(ValueError, match="no usable case"):
        simulate(chain(), [], TODAY)
    with pytest.raises(ValueError, match="draws"):
        simulate(chain(), [1.0], TODAY, draws=0)
