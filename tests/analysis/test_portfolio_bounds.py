"""The optimiser's work is bounded: a cap on candidate actions, a time limit with an honest status, and a lazy
greedy that picks exactly what re-scoring every action at every step would."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from fusionatlas.analysis.gaps import GapError, GapReport, TechnologyGap
from fusionatlas.analysis.portfolio import MAX_ACTIONS, Action, greedy, optimal, read_actions, target
from fusionatlas.analysis.report import write_report

HEADER = "id,name_en,name_ja,cost,technologies,closes\n"


def gap_report(scores):
    gaps = [TechnologyGap(t, t, t, s, 0, 0, 0, None, None, [], None, False, False) for t, s in scores.items()]
    return GapReport("JP", [], {}, gaps)


def many(n: int, techs: int = 120, seed: int = 3) -> tuple[list[Action], dict[str, float], float]:
    rng = random.Random(seed)
    names = [f"t{i}" for i in range(techs)]
    gaps = {t: round(rng.uniform(0.05, 1.0), 3) for t in names}
    actions = [
        Action(
            f"a{i}",
            f"A{i}",
            "",
            rng.randint(10, 500),
            {t: round(rng.uniform(0.1, 0.8), 2) for t in rng.sample(names, rng.randint(1, 4))},
        )
        for i in range(n)
    ]
    return actions, gaps, sum(a.cost for a in actions) * 0.1


def test_501_actions_in_a_csv_are_refused_before_reading_them_all(tmp_path):
    path = tmp_path / "actions.csv"
    rows = "".join(f"a{i},A,,10,t1,0.5\n" for i in range(MAX_ACTIONS + 1)) + "broken,,,,,\n"
    path.write_text(HEADER + rows, encoding="utf-8")
    with pytest.raises(
        GapError, match=rf"actions.csv: more than {MAX_ACTIONS} candidate actions \({MAX_ACTIONS + 1}\)"
    ):
        read_actions(path, {"t1"})
    path.write_text(HEADER + "".join(f"a{i},A,,10,t1,0.5\n" for i in range(MAX_ACTIONS)), encoding="utf-8")
    assert len(read_actions(path, {"t1"})) == MAX_ACTIONS


def test_501_actions_in_yaml_or_in_code_are_refused(tmp_path):
    path = tmp_path / "actions.yaml"
    path.write_text("".join(f"- {{id: a{i}, cost: 1, closes: {{t1: 0.5}}}}\n" for i in range(501)), encoding="utf-8")
    with pytest.raises(GapError, match="more than 500 candidate actions"):
        read_actions(path, {"t1"})
    actions, _gaps, budget = many(MAX_ACTIONS + 1)
    with pytest.raises(GapError, match="more than 500 candidate actions"):
        target(gap_report({"t0": 1.0}), actions, budget)


def test_bad_bytes_or_extra_cells_in_actions_are_gap_errors(tmp_path):
    path = tmp_path / "actions.csv"
    path.write_bytes(HEADER.encode() + b"a1,A,\xff,10,t1,0.5\n")
    with pytest.raises(GapError, match=r"actions\.csv: bytes that are not UTF-8"):
        read_actions(path, {"t1"})
    path.write_text(HEADER + "a1,A,,10,t1,0.5,extra\n", encoding="utf-8")
    with pytest.raises(GapError, match=r"actions\.csv:2: the row has more cells than the header"):
        read_actions(path, {"t1"})


def test_a_proven_optimum_says_so():
    actions, gaps, budget = many(60)
    best = optimal(actions, gaps, budget)
    assert best.status == "optimal" and best.gap == 0.0


def test_the_time_limit_returns_the_best_portfolio_found_with_its_gap():
    actions, gaps, budget = many(MAX_ACTIONS, techs=200)
    budget *= 0.2  # a tight budget: HiGHS needs about a second to prove this optimum
    stopped = optimal(actions, gaps, budget, time_limit=0.05)
    baseline = greedy(actions, gaps, budget)
    assert stopped.status != "optimal"
    assert stopped.status.startswith("gap ") or stopped.status == "stopped at the time limit"
    assert stopped.gap is None or 0 <= stopped.gap < 1
    assert stopped.cost <= budget + 1e-6
    assert stopped.value >= baseline.value - 1e-9  # never worse than the greedy portfolio
    assert stopped.seconds < 5


def naive_greedy(actions: list[Action], gaps: dict[str, float], budget: float) -> list[str]:
    """The greedy step as first written: re-score every action at every step (the reference)."""
    chosen: list[int] = []
    closed: dict[str, float] = {}
    spent = 0.0
    while True:
        best, best_ratio = None, 0.0
        for i, action in enumerate(actions):
            if i in chosen or spent + action.cost > budget:
                continue
            added = sum(
                gaps.get(t, 0.0) * (min(1.0, closed.get(t, 0.0) + f) - min(1.0, closed.get(t, 0.0)))
                for t, f in action.closes.items()
            )
            ratio = added / action.cost if action.cost > 0 else (np.inf if added > 0 else 0.0)
            if added > 1e-12 and ratio > best_ratio:
                best, best_ratio = i, ratio
        if best is None:
            return [actions[i].id for i in chosen]
        chosen.append(best)
        spent += actions[best].cost
        for t, f in actions[best].closes.items():
            closed[t] = closed.get(t, 0.0) + f


action = st.builds(
    lambda i, cost, closes: Action(f"a{i}", "", "", cost, closes),
    st.integers(0, 10_000),
    st.sampled_from([0, 1, 2, 5, 10, 20]),
    st.dictionaries(
        st.sampled_from(["t1", "t2", "t3", "t4"]), st.sampled_from([0, 0.25, 0.5, 1.0]), min_size=1, max_size=3
    ),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(action, min_size=1, max_size=12, unique_by=lambda a: a.id), st.sampled_from([0, 5, 10, 25, 60]))
def test_lazy_greedy_picks_what_the_naive_greedy_picks(actions, budget):
    gaps = {"t1": 0.9, "t2": 0.5, "t3": 0.5, "t4": 0.1}
    assert greedy(actions, gaps, budget).actions == naive_greedy(actions, gaps, budget)


def test_lazy_greedy_matches_on_a_large_instance():
    actions, gaps, budget = many(400)
    assert greedy(actions, gaps, budget).actions == naive_greedy(actions, gaps, budget)


def test_the_xlsx_report_shows_the_status_and_holds_no_formula(tmp_path):
    hostile = '=HYPERLINK("http://evil.example","x")'
    report = gap_report({"t1": 1.0})
    report.technologies[0].name_en = hostile
    actions = [Action("=cmd|' /C calc'!A0", hostile, "", 10, {"t1": 0.5})]
    portfolio = target(report, actions, 10)
    path = tmp_path / "gaps.xlsx"
    write_report(report, path, "en", 10, portfolio)
    book = load_workbook(path)
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    assert not [c for c in cells if c.data_type == "f"]
    assert [c for c in cells if c.value == hostile and c.quotePrefix]
    assert "optimal" in [c.value for c in book["portfolio"]["E"]]
