"""Benchmark: the support-portfolio optimiser (MILP, HiGHS) and its greedy baseline on many candidate actions.

Times CPU seconds (all threads of this process) of `optimal` and `greedy` on a synthetic gap ranking of
`--techs` technologies and N random actions, as in benchmarks/bench_gaps.py but without building an atlas:
    python benchmarks/bench_portfolio.py --actions 500 2000 3000
"""

from __future__ import annotations

import argparse
import json
import random
import time

from fusionatlas.analysis import portfolio
from fusionatlas.analysis.portfolio import Action, greedy, optimal


def instance(n_actions: int, n_techs: int, seed: int = 3) -> tuple[list[Action], dict[str, float], float]:
    rng = random.Random(seed)
    techs = [f"tech:t{i}" for i in range(n_techs)]
    gaps = {t: round(rng.uniform(0.05, 1.0), 3) for t in techs}
    actions = [
        Action(
            f"act:{i}",
            f"Action {i}",
            "",
            rng.randint(10, 500),
            {t: round(rng.uniform(0.1, 0.8), 2) for t in rng.sample(techs, rng.randint(1, 4))},
        )
        for i in range(n_actions)
    ]
    return actions, gaps, sum(a.cost for a in actions) * 0.1


def timed(run: object, *args: object) -> tuple[object, float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    result = run(*args)  # type: ignore[operator]
    return result, time.process_time() - cpu, time.perf_counter() - wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--actions", type=int, nargs="+", default=[500, 2000, 3000])
    parser.add_argument("--techs", type=int, default=173, help="technologies (the bundled map has 173)")
    args = parser.parse_args()
    for n in args.actions:
        actions, gaps, budget = instance(n, args.techs)
        best, best_cpu, best_wall = timed(optimal, actions, gaps, budget)
        base, base_cpu, base_wall = timed(greedy, actions, gaps, budget)
        # Past MAX_ACTIONS the functions are called directly: read_actions and target refuse such a request.
        row = {
            "benchmark": "portfolio",
            "date": time.strftime("%Y-%m-%d"),
            "actions": n,
            "technologies": args.techs,
            "optimal_cpu_seconds": round(best_cpu, 2),
            "optimal_wall_seconds": round(best_wall, 2),
            "optimal_value": best.value,  # type: ignore[attr-defined]
            "optimal_status": getattr(best, "status", "optimal"),
            "greedy_cpu_seconds": round(base_cpu, 2),
            "greedy_wall_seconds": round(base_wall, 2),
            "greedy_value": base.value,  # type: ignore[attr-defined]
            "time_limit": getattr(portfolio, "TIME_LIMIT", None),
            "cap": getattr(portfolio, "MAX_ACTIONS", None),
        }
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
