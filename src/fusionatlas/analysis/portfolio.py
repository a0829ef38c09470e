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
import re
import time
from collections.abc import Callable
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


class ActionError(GapError):
    """A problem with candidate actions, with where it is: a file line (`source`), or a sheet, row and column.

    `problem` is an English message with %(name)s fields filled from `params`: the web page translates it
    (web/locales) and names the place in the page's language; `str()` is the English message."""

    def __init__(
        self,
        problem: str,
        params: dict[str, Any] | None = None,
        *,
        source: str | None = None,
        sheet: str | None = None,
        row: int | None = None,
        field: str | None = None,
        letter: str | None = None,
        header: str | None = None,
    ) -> None:
        self.problem, self.params = problem, params or {}
        self.source, self.sheet, self.row = source, sheet, row
        self.field, self.letter, self.header = field, letter, header
        super().__init__(self.english())

    def english(self) -> str:
        message = self.problem % self.params
        if self.source:  # a CSV or YAML file: "actions.csv:3: cost: ..."
            prefix = self.source + (f": {self.field}" if self.field else "")
            return f"{prefix}: {message}"
        place = []
        if self.sheet:
            place.append(f"sheet {self.sheet!r}")
        if self.row:
            place.append(f"row {self.row}")
        if self.field:
            header = self.header or LABELS[self.field][0]
            place.append(f"column {self.letter} ({header})" if self.letter else f"column {header!r}")
        return f"{', '.join(place)}: {message}" if place else message


FIELDS = ("id", "name_en", "name_ja", "cost", "technologies", "closes")
# Each column's heading (English, Japanese): the row editor's labels, the template workbook's headings, and
# what an uploaded workbook may call the column (besides the field name itself).
LABELS: dict[str, tuple[str, str]] = {
    "id": ("Action id", "施策ID"),
    "name_en": ("Name (English)", "名称（英語）"),
    "name_ja": ("Name (Japanese)", "名称（日本語）"),
    "cost": ("Cost", "費用"),
    "technologies": ("Technologies (ids)", "対象技術（ID）"),
    "closes": ("Share of the gap closed (0-1)", "解消するギャップの割合（0〜1）"),
}
SEPARATORS = re.compile(r"[;,、，；\n]")  # technologies and fractions: ';' (CSV), ',' or Japanese commas


def check_count(count: int, where: str = "the actions") -> None:
    if count > MAX_ACTIONS:
        raise ActionError(
            "more than %(max)s candidate actions (%(count)s): compare at most %(max)s at once",
            {"max": MAX_ACTIONS, "count": count},
            source=where,
        )


Locate = Callable[[str | None], dict[str, Any]]


def _number(value: Any, locate: Locate, field: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ActionError("%(value)r is not a number", {"value": value}, **locate(field)) from None
    if not np.isfinite(number) or number < 0:
        raise ActionError("must be 0 or more, not %(value)r", {"value": value}, **locate(field))
    return number


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _action(row: dict[str, Any], locate: Locate, known: set[str], names: dict[str, str] | None = None) -> Action:
    """One action from a row of cells (CSV, YAML, a workbook or the page's row editor). `names` maps technology
    names (lower case) to ids, so a cell may name a technology as well as give its id."""
    for field in ("id", "cost"):
        if _blank(row.get(field)):
            raise ActionError("required", **locate(field))
    closes_value = row.get("closes")
    if isinstance(closes_value, dict):
        closes = {str(k): _number(v, locate, "closes") for k, v in closes_value.items()}
    else:
        technologies = [t.strip() for t in SEPARATORS.split(str(row.get("technologies") or "")) if t.strip()]
        if names:
            technologies = [t if t in known else names.get(t.lower(), t) for t in technologies]
        text = "" if closes_value is None else str(closes_value)
        fractions = [f.strip() for f in SEPARATORS.split(text) if f.strip()]
        if not technologies:
            raise ActionError("name at least one technology id", **locate("technologies"))
        if len(fractions) == 1:
            fractions *= len(technologies)
        if len(fractions) != len(technologies):
            raise ActionError(
                "give one fraction, or one per technology (%(count)s)", {"count": len(technologies)}, **locate("closes")
            )
        closes = {t: _number(f, locate, "closes") for t, f in zip(technologies, fractions, strict=True)}
    for tech_id, fraction in closes.items():
        if tech_id not in known:
            raise ActionError("unknown technology id %(id)r", {"id": tech_id}, **locate("technologies"))
        if fraction > 1:
            raise ActionError(
                "%(fraction)s is more than the whole gap (use a fraction from 0 to 1)",
                {"fraction": fraction},
                **locate("closes"),
            )
    return Action(
        str(row["id"]).strip(),
        str(row.get("name_en") or row["id"]).strip(),
        str(row.get("name_ja") or "").strip(),
        _number(row["cost"], locate, "cost"),
        closes,
    )


def _in_file(where: str) -> Locate:
    return lambda field: {"source": where, "field": field}


def read_actions(path: Path, known: set[str]) -> list[Action]:
    """Candidate actions from CSV (id,name_en,name_ja,cost,technologies,closes) or YAML (a list)."""
    try:
        if path.suffix.lower() in (".yaml", ".yml"):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            if not isinstance(data, list):
                raise GapError(f"{path.name}: expected a YAML list of actions")
            check_count(len(data), path.name)
            actions = [_action(row, _in_file(f"{path.name}: action {i}"), known) for i, row in enumerate(data, start=1)]
        else:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                actions = []
                for i, row in enumerate(csv.DictReader(handle), start=2):
                    check_count(len(actions) + 1, path.name)  # stop reading at the first action too many
                    if not isinstance(row, dict) or None in row:
                        raise ActionError("the row has more cells than the header", source=f"{path.name}:{i}")
                    actions.append(_action(row, _in_file(f"{path.name}:{i}"), known))
    except OSError as error:
        raise GapError(f"{path}: cannot read actions ({error.strerror})") from None
    except UnicodeDecodeError as error:
        raise GapError(f"{path.name}: bytes that are not UTF-8 near byte {error.start} (save it as UTF-8)") from None
    except (yaml.YAMLError, csv.Error) as error:
        raise GapError(f"{path.name}: malformed {path.suffix.lstrip('.').upper() or 'CSV'}: {error}") from None
    return checked(actions, path.name)


def checked(actions: list[Action], where: str | None = None) -> list[Action]:
    """The actions, refused when there are none or an id repeats."""
    if not actions:
        raise ActionError("no actions", source=where)
    seen: set[str] = set()
    for action in actions:
        if action.id in seen:
            raise ActionError("action id %(id)r appears more than once", {"id": action.id}, source=where)
        seen.add(action.id)
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


def _gain(action: Action, closed: dict[str, float], gaps: dict[str, float]) -> float:
    """The weighted gap `action` closes beyond what `closed` (fractions per technology) already closes."""
    return sum(
        gaps.get(t, 0.0) * (min(1.0, closed.get(t, 0.0) + f) - min(1.0, closed.get(t, 0.0)))
        for t, f in action.closes.items()
    )


def explain(
    actions: list[Action], gaps: dict[str, float], names: dict[str, tuple[str, str]], budget: float, chosen: list[str]
) -> dict[str, Any]:
    """Why each action was chosen or not, against the chosen portfolio.

    A chosen action: the gaps it closes (each technology's gap score, the share of it the action closes and the
    weighted gap that makes), its value on its own and per unit of cost, and what it adds to the others chosen.
    An action left out gets one reason, the first that holds: it costs more than the whole budget ("over budget"),
    its technologies carry no gap ("no gap"), the chosen actions already close all it would ("overlapping"), or
    it would add value but not fit in the money left, where the chosen ones give more ("lower value per cost")."""
    picked = set(chosen)
    closed: dict[str, float] = {}
    for action in actions:
        if action.id in picked:
            for t, f in action.closes.items():
                closed[t] = closed.get(t, 0.0) + f
    spent = sum(a.cost for a in actions if a.id in picked)

    def per_cost(value: float, cost: float) -> float | None:
        return round(value / cost, 6) if cost > 0 else None

    def described(action: Action) -> dict[str, Any]:
        gaps_closed: list[dict[str, Any]] = [
            {
                "technology_id": t,
                "name_en": names.get(t, (t, ""))[0],
                "name_ja": names.get(t, (t, ""))[1] or names.get(t, (t, ""))[0],
                "score": round(gaps.get(t, 0.0), 6),
                "fraction": round(f, 6),
                "closed": round(gaps.get(t, 0.0) * min(1.0, f), 6),
            }
            for t, f in sorted(action.closes.items(), key=lambda item: -gaps.get(item[0], 0.0) * min(1.0, item[1]))
        ]
        value = sum(float(g["closed"]) for g in gaps_closed)
        return {
            "id": action.id,
            "name_en": action.name_en,
            "name_ja": action.name_ja,
            "cost": action.cost,
            "gaps": gaps_closed,
            "value": round(value, 6),
            "value_per_cost": per_cost(value, action.cost),
        }

    chosen_rows, left_rows = [], []
    for action in actions:
        row = described(action)
        if action.id in picked:
            others = {t: f - action.closes.get(t, 0.0) for t, f in closed.items()}
            added = _gain(action, others, gaps)
            chosen_rows.append({**row, "added": round(added, 6), "added_per_cost": per_cost(added, action.cost)})
            continue
        added = _gain(action, closed, gaps)
        if action.cost > budget:
            reason = "over budget"
        elif row["value"] <= 1e-12:
            reason = "no gap"
        elif added <= 1e-12:
            reason = "overlapping"
        else:
            reason = "lower value per cost"
        left_rows.append(
            {**row, "added": round(added, 6), "added_per_cost": per_cost(added, action.cost), "reason": reason}
        )
    chosen_rows.sort(key=lambda r: -(r["value_per_cost"] if r["value_per_cost"] is not None else np.inf))
    return {"chosen": chosen_rows, "not_chosen": left_rows, "left": round(budget - spent, 6)}


def target(report: GapReport, actions: list[Action], budget: float) -> dict[str, Any]:
    """The exact and the greedy portfolio for a budget, with the actions they fund."""
    check_count(len(actions))
    if budget < 0:
        raise ActionError("the budget must be 0 or more, not %(budget)s", {"budget": budget})
    cheapest = min(a.cost for a in actions)
    if budget < cheapest:
        raise ActionError(
            "the budget %(budget)s is below the cheapest action's cost (%(cheapest)s): nothing fits",
            {"budget": f"{budget:,.0f}", "cheapest": f"{cheapest:,.0f}"},
        )
    gaps = {g.technology_id: g.score for g in report.technologies}
    best, baseline = optimal(actions, gaps, budget), greedy(actions, gaps, budget)
    names = {a.id: {"id": a.id, "name_en": a.name_en, "name_ja": a.name_ja, "cost": a.cost} for a in actions}
    technology_names = {g.technology_id: (g.name_en, g.name_ja) for g in report.technologies}
    return {
        "budget": budget,
        "explanation": explain(actions, gaps, technology_names, budget, best.actions),
        "optimal": {**best.__dict__, "actions": [names[i] for i in best.actions]},
        "greedy": {**baseline.__dict__, "actions": [names[i] for i in baseline.actions]},
    }
