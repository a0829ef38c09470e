"""Support-programme targeting: the set of support actions that closes the most weighted gap in a budget.

Each action has a cost, and for each technology it addresses, the fraction of that technology's gap
it would close. Value of a portfolio = sum over technologies of gap score x min(1, fractions closed).
Solved exactly as a mixed-integer programme (HiGHS, through scipy.optimize.milp); a greedy
value-per-cost heuristic runs beside it for comparison.
"""

from __future__ import annotations

import csv
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from scipy.optimize import Bounds, LinearConstraint, milp

from fusionatlas.analysis.gaps import GapError, GapReport


@dataclass
class Action:
    id: str
    name_en: str
    name_ja: str
    cost: float
    closes: dict[str, float]


@dataclass
class Portfolio:
    method: str
    actions: list[str]
    cost: float
    value: float
    seconds: float


def _number(value: Any, where: str, field: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise GapError(f"{where}: {field}: {value!r} is not a number") from None
    if not np.isfinite(number) or number < 0:
        raise GapError(f"{where}: {field}: must be 0 or more, not {value!r}")
    return number


def _action(row: dict[str, Any], where: str, known: set[str]) -> Action:
    for field in ("id", "cost"):
        if row.get(field) in (None, ""):
            raise GapError(f"{where}: {field}: required")
    closes_value = row.get("closes")
    if isinstance(closes_value, dict):
        closes = {str(k): _number(v, where, "closes") for k, v in closes_value.items()}
    else:
        technologies = [t.strip() for t in str(row.get("technologies") or "").split(";") if t.strip()]
        fractions = [f.strip() for f in str(closes_value if closes_value is not None else "").split(";") if f.strip()]
        if not technologies:
            raise GapError(f"{where}: technologies: name at least one technology id")
        if len(fractions) == 1:
            fractions *= len(technologies)
        if len(fractions) != len(technologies):
            raise GapError(f"{where}: closes: give one fraction, or one per technology ({len(technologies)})")
        closes = {t: _number(f, where, "closes") for t, f in zip(technologies, fractions, strict=True)}
    for tech_id, fraction in closes.items():
        if tech_id not in known:
            raise GapError(f"{where}: technologies: unknown technology id {tech_id!r}")
        if fraction > 1:
            raise GapError(f"{where}: closes: {fraction} is more than the whole gap (use a fraction from 0 to 1)")
    return Action(
        str(row["id"]),
        str(row.get("name_en") or row["id"]),
        str(row.get("name_ja") or ""),
        _number(row["cost"], where, "cost"),
        closes,
    )


def read_actions(path: Path, known: set[str]) -> list[Action]:
    """Candidate actions from CSV (id,name_en,name_ja,cost,technologies,closes) or YAML (a list)."""
    try:
        if path.suffix.lower() in (".yaml", ".yml"):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            if not isinstance(data, list):
                raise GapError(f"{path.name}: expected a YAML list of actions")
            actions = [_action(row, f"{path.name}: action {i}", known) for i, row in enumerate(data, start=1)]
        else:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                actions = [
                    _action(row, f"{path.name}:{i}", known) for i, row in enumerate(csv.DictReader(handle), start=2)
                ]
    except OSError as error:
        raise GapError(f"{path}: cannot read actions ({error.strerror})") from None
    if not actions:
        raise GapError(f"{path.name}: no actions")
    ids = [a.id for a in actions]
    if len(set(ids)) != len(ids):
        raise GapError(f"{path.name}: action ids repeat")
    return actions


def _value(actions: list[Action], chosen: list[int], gaps: dict[str, float]) -> float:
    closed: dict[str, float] = {}
    for i in chosen:
        for tech, fraction in actions[i].closes.items():
            closed[tech] = closed.get(tech, 0.0) + fraction
    return sum(gaps.get(tech, 0.0) * min(1.0, f) for tech, f in closed.items())


def greedy(actions: list[Action], gaps: dict[str, float], budget: float) -> Portfolio:
    """Repeatedly take the affordable action adding the most value per unit of cost."""
    start = time.perf_counter()
    chosen: list[int] = []
    closed: dict[str, float] = {}
    spent = 0.0

    def gain(action: Action) -> float:
        return sum(
            gaps.get(t, 0.0) * (min(1.0, closed.get(t, 0.0) + f) - min(1.0, closed.get(t, 0.0)))
            for t, f in action.closes.items()
        )

    while True:
        best, best_ratio = None, 0.0
        for i, action in enumerate(actions):
            if i in chosen or spent + action.cost > budget:
                continue
            added = gain(action)
            ratio = added / action.cost if action.cost > 0 else (np.inf if added > 0 else 0.0)
            if added > 1e-12 and ratio > best_ratio:
                best, best_ratio = i, ratio
        if best is None:
            break
        chosen.append(best)
        spent += actions[best].cost
        for t, f in actions[best].closes.items():
            closed[t] = closed.get(t, 0.0) + f
    value = round(_value(actions, chosen, gaps), 6)
    return Portfolio("greedy", [actions[i].id for i in chosen], spent, value, time.perf_counter() - start)


def optimal(actions: list[Action], gaps: dict[str, float], budget: float) -> Portfolio:
    """The best portfolio within the budget (mixed-integer programme, solved by HiGHS)."""
    start = time.perf_counter()
    techs = sorted({t for a in actions for t in a.closes})
    n_a, n_t = len(actions), len(techs)
    column = {t: n_a + j for j, t in enumerate(techs)}
    objective = np.concatenate([np.zeros(n_a), -np.array([gaps.get(t, 0.0) for t in techs])])
    rows = np.zeros((n_t + 1, n_a + n_t))
    for j, tech in enumerate(techs):
        rows[j, column[tech]] = 1.0  # y_t - sum_a closes[a, t] x_a <= 0
        for i, action in enumerate(actions):
            rows[j, i] = -action.closes.get(tech, 0.0)
    rows[n_t, :n_a] = [a.cost for a in actions]
    upper = np.concatenate([np.zeros(n_t), [budget]])
    result = milp(
        objective,
        constraints=LinearConstraint(rows, -np.inf, upper),
        integrality=np.concatenate([np.ones(n_a), np.zeros(n_t)]),
        bounds=Bounds(0, 1),
        options={"mip_rel_gap": 0.0},  # prove optimality rather than stop within HiGHS's default 0.01%
    )
    if result.x is None:
        raise GapError(f"the optimiser found no portfolio ({result.message})")
    chosen = [i for i in range(n_a) if result.x[i] > 0.5]
    cost = sum(actions[i].cost for i in chosen)
    return Portfolio(
        "optimal",
        [actions[i].id for i in chosen],
        cost,
        round(_value(actions, chosen, gaps), 6),
        time.perf_counter() - start,
    )


def target(report: GapReport, actions: list[Action], budget: float) -> dict[str, Any]:
    """The exact and the greedy portfolio for a budget, with the actions they fund."""
    if budget < 0:
        raise GapError(f"the budget must be 0 or more, not {budget}")
    cheapest = min(a.cost for a in actions)
    if budget < cheapest:
        raise GapError(f"the budget {budget:,.0f} is below the cheapest action's cost ({cheapest:,.0f}): nothing fits")
    gaps = {g.technology_id: g.score for g in report.technologies}
    best, baseline = optimal(actions, gaps, budget), greedy(actions, gaps, budget)
    names = {a.id: {"id": a.id, "name_en": a.name_en, "name_ja": a.name_ja, "cost": a.cost} for a in actions}
    return {
        "budget": budget,
        "optimal": {**best.__dict__, "actions": [names[i] for i in best.actions]},
        "greedy": {**baseline.__dict__, "actions": [names[i] for i in baseline.actions]},
    }
