"""Support-programme targeting: the set of support actions that closes the most weighted gap in a budget.

Each action has a cost, and for each technology it addresses, the fraction of that technology's gap
it would close. Value of a portfolio = sum over technologies of gap score x min(1, fractions closed).
Solved exactly as a mixed-integer programme (HiGHS, through scipy.optimize.milp); a greedy
value-per-cost heuristic runs beside it for comparison.

The work is bounded (docs/gaps.md): at most MAX_ACTIONS candidate actions, and the solver stops after
TIME_LIMIT seconds with the best portfolio it has found and its proven gap to the optimum.
"""

from __future__ import annotations

import csv
import heapq
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from fusionatlas.analysis.gaps import GapError, GapReport

MAX_ACTIONS = 500  # candidate actions compared at once (web form, CLI): a clear error beyond
TIME_LIMIT = 10.0  # seconds the exact solver may take; then its best portfolio and the proven gap


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
    # "optimal", or "gap x%" when the time limit stopped the solver before it proved optimality.
    status: str = "optimal"
    gap: float | None = 0.0


def check_count(count: int, where: str = "the actions") -> None:
    if count > MAX_ACTIONS:
        raise GapError(
            f"{where}: more than {MAX_ACTIONS} candidate actions ({count}): compare at most {MAX_ACTIONS} at once"
        )


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
            check_count(len(data), path.name)
            actions = [_action(row, f"{path.name}: action {i}", known) for i, row in enumerate(data, start=1)]
        else:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                actions = []
                for i, row in enumerate(csv.DictReader(handle), start=2):
                    check_count(len(actions) + 1, path.name)  # stop reading at the first action too many
                    if not isinstance(row, dict) or None in row:
                        raise GapError(f"{path.name}:{i}: the row has more cells than the header")
                    actions.append(_action(row, f"{path.name}:{i}", known))
    except OSError as error:
        raise GapError(f"{path}: cannot read actions ({error.strerror})") from None
    except UnicodeDecodeError as error:
        raise GapError(f"{path.name}: bytes that are not UTF-8 near byte {error.start} (save it as UTF-8)") from None
    except (yaml.YAMLError, csv.Error) as error:
        raise GapError(f"{path.name}: malformed {path.suffix.lstrip('.').upper() or 'CSV'}: {error}") from None
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
    """Repeatedly take the affordable action adding the most value per unit of cost (ties: the first listed).

    Lazy evaluation: an action's gain can only shrink as others close its technologies' gaps, and money
    only runs out, so a stale ratio is an upper bound and an action that no longer fits never will. The
    choice is the same as re-scoring every action at every step, in a fraction of the time."""
    start = time.perf_counter()
    chosen: list[int] = []
    taken: set[int] = set()
    closed: dict[str, float] = {}
    spent = 0.0

    def gain(action: Action) -> float:
        return sum(
            gaps.get(t, 0.0) * (min(1.0, closed.get(t, 0.0) + f) - min(1.0, closed.get(t, 0.0)))
            for t, f in action.closes.items()
        )

    def ratio(action: Action, added: float) -> float:
        return added / action.cost if action.cost > 0 else (np.inf if added > 0 else 0.0)

    heap = [(-ratio(a, gain(a)), i) for i, a in enumerate(actions)]
    heapq.heapify(heap)
    while heap:
        _bound, i = heapq.heappop(heap)
        action = actions[i]
        if i in taken or spent + action.cost > budget:
            continue  # spending only grows: it will never fit
        added = gain(action)
        if added <= 1e-12:
            continue  # gains only shrink: it will never add value
        key = (-ratio(action, added), i)
        if heap and key > heap[0]:
            heapq.heappush(heap, key)  # another action may now be better: look again
            continue
        chosen.append(i)
        taken.add(i)
        spent += action.cost
        for t, f in action.closes.items():
            closed[t] = closed.get(t, 0.0) + f
    value = round(_value(actions, chosen, gaps), 6)
    return Portfolio("greedy", [actions[i].id for i in chosen], spent, value, time.perf_counter() - start)


def optimal(actions: list[Action], gaps: dict[str, float], budget: float, time_limit: float = TIME_LIMIT) -> Portfolio:
    """The best portfolio within the budget (mixed-integer programme, solved by HiGHS).

    The solver stops after `time_limit` seconds: the portfolio is then the best it found, and `status` gives
    its proven distance from the optimum ("gap 0.4%")."""
    start = time.perf_counter()
    techs = sorted({t for a in actions for t in a.closes})
    n_a, n_t = len(actions), len(techs)
    row_of = {t: j for j, t in enumerate(techs)}
    objective = np.concatenate([np.zeros(n_a), -np.array([gaps.get(t, 0.0) for t in techs])])
    # y_t - sum_a closes[a, t] x_a <= 0 for each technology, then the budget row: a sparse matrix, since an
    # action closes only a few technologies.
    rows: list[int] = list(range(n_t))
    columns: list[int] = [n_a + j for j in range(n_t)]
    values: list[float] = [1.0] * n_t
    for i, action in enumerate(actions):
        for tech, fraction in action.closes.items():
            rows.append(row_of[tech])
            columns.append(i)
            values.append(-fraction)
        rows.append(n_t)
        columns.append(i)
        values.append(action.cost)
    matrix = coo_array((values, (rows, columns)), shape=(n_t + 1, n_a + n_t)).tocsr()
    upper = np.concatenate([np.zeros(n_t), [budget]])
    result = milp(
        objective,
        constraints=LinearConstraint(matrix, -np.inf, upper),
        integrality=np.concatenate([np.ones(n_a), np.zeros(n_t)]),
        bounds=Bounds(0, 1),
        # Prove optimality rather than stop within HiGHS's default 0.01%, but never run past the time limit.
        options={"mip_rel_gap": 0.0, "time_limit": time_limit},
    )
    proven = result.status == 0
    if result.x is None and proven:
        raise GapError(f"the optimiser found no portfolio ({result.message})")
    chosen = [] if result.x is None else [actions[i].id for i in range(n_a) if result.x[i] > 0.5]
    by_id = {a.id: a for a in actions}
    picked = set(chosen)
    value = _value(actions, [i for i, a in enumerate(actions) if a.id in picked], gaps)
    gap: float | None = 0.0
    if not proven:
        # The time limit stopped the solver: keep the better of its portfolio and the greedy one, and say how
        # far that may be from the optimum, by the solver's proven bound on the best value.
        fallback = greedy(actions, gaps, budget)
        if fallback.value > value:
            chosen, value = fallback.actions, fallback.value
        bound = -float(getattr(result, "mip_dual_bound", np.nan) or np.nan)
        gap = max(0.0, (bound - value) / bound) if np.isfinite(bound) and bound > 0 else None
        proven = gap is not None and gap < 1e-9  # the bound itself proves the portfolio optimal
    status = "optimal" if proven else f"gap {100 * gap:.2g}%" if gap is not None else "stopped at the time limit"
    return Portfolio(
        "optimal",
        chosen,
        sum(by_id[i].cost for i in chosen),
        round(value, 6),
        time.perf_counter() - start,
        status,
        None if gap is None else round(gap, 6),
    )


def target(report: GapReport, actions: list[Action], budget: float) -> dict[str, Any]:
    """The exact and the greedy portfolio for a budget, with the actions they fund."""
    check_count(len(actions))
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
