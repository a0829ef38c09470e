"""Leave-one-out backtest of the schedule model over the reference class.

Each case is forecast as of its decision point from the other cases only, with the same sampler as the
roadmap (a one-milestone graph): P50 and P80 of its date. Reported: how often the actual date fell by the P80
(calibration: near 0.8 is honest), the median absolute error of the P50 in years, and beside it, in the same
run, the naive forecast that believes the announced date.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fusionatlas.roadmap.dates import middle
from fusionatlas.roadmap.graph import Node, build
from fusionatlas.roadmap.reference import Case, ratios
from fusionatlas.roadmap.simulate import DEFAULT_DRAWS, DEFAULT_SEED, simulate


@dataclass(frozen=True)
class Forecast:
    case: Case
    p50: float
    p80: float

    @property
    def actual(self) -> float:
        return middle(self.case.actual)

    @property
    def covered(self) -> bool:
        return self.actual <= self.p80

    @property
    def p50_error(self) -> float:
        return abs(self.p50 - self.actual)

    @property
    def naive_error(self) -> float:
        return abs(middle(self.case.planned) - self.actual)


def forecast(case: Case, others: list[Case], draws: int, seed: int) -> Forecast:
    decided = middle(case.decision)
    graph = build([Node(case.id, case.planned, anchor=decided)], [])
    run = simulate(graph, ratios(others), decided, draws, seed)
    return Forecast(case, run.quantile(case.id, 0.5), run.quantile(case.id, 0.8))


def leave_one_out(cases: list[Case], draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED) -> list[Forecast]:
    usable = [case for case in cases if case.ratio is not None]
    if len(usable) < 2:
        return []  # a case cannot be forecast from no other case
    return [forecast(case, usable[:i] + usable[i + 1 :], draws, seed) for i, case in enumerate(usable)]


def scores(forecasts: list[Forecast]) -> dict[str, float | int | None]:
    if not forecasts:
        return {"n": 0, "p80_coverage": None, "p50_median_error_years": None, "naive_median_error_years": None}
    return {
        "n": len(forecasts),
        "p80_coverage": round(float(np.mean([f.covered for f in forecasts])), 2),
        "p50_median_error_years": round(float(np.median([f.p50_error for f in forecasts])), 2),
        "naive_median_error_years": round(float(np.median([f.naive_error for f in forecasts])), 2),
        "naive_coverage": round(float(np.mean([f.actual <= middle(f.case.planned) for f in forecasts])), 2),
    }
