"""Benchmark: gap analysis on a synthetic atlas (100,000 organizations, 500,000 capabilities, 10,000
needs), and the support-portfolio optimiser on 200 candidate actions beside its greedy baseline.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fusionatlas.analysis.atlas import read_atlas
from fusionatlas.analysis.gaps import analyse
from fusionatlas.analysis.portfolio import Action, greedy, optimal
from fusionatlas.domain.audience import OPERATOR
from fusionatlas.store.engine import open_engine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--actions", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        subprocess.run(
            [sys.executable, "-m", "fusionatlas", "synth", "--orgs", str(args.orgs), "--out", str(work / "package")],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [
                sys.executable,
                "-m",
                "fusionatlas",
                "--db",
                f"sqlite:///{work / 'atlas.db'}",
                "load",
                str(work / "package"),
            ],
            check=True,
            capture_output=True,
        )
        engine = open_engine(f"sqlite:///{work / 'atlas.db'}")
        start = time.perf_counter()
        with engine.connect() as connection:
            atlas = read_atlas(connection, OPERATOR)
        read_seconds = time.perf_counter() - start
        start = time.perf_counter()
        report = analyse(atlas, "JP", ["US", "GB", "FR"])
        analyse_seconds = time.perf_counter() - start
        engine.dispose()
    rng = random.Random(3)
    techs = [g.technology_id for g in report.technologies]
    gaps = {g.technology_id: g.score for g in report.technologies}
    actions = [
        Action(
            f"act:{i}",
            f"Action {i}",
            "",
            rng.randint(10, 500),
            {t: round(rng.uniform(0.1, 0.8), 2) for t in rng.sample(techs, rng.randint(1, 4))},
        )
        for i in range(args.actions)
    ]
    budget = sum(a.cost for a in actions) * 0.1
    best, baseline = optimal(actions, gaps, budget), greedy(actions, gaps, budget)
    print(
        json.dumps(
            {
                "benchmark": "gaps",
                "date": time.strftime("%Y-%m-%d"),
                "organizations": len(atlas.org_ids),
                "capabilities": len(atlas.cap_tech),
                "needs": len(atlas.needs),
                "read_seconds": round(read_seconds, 1),
                "analyse_seconds": round(analyse_seconds, 1),
                "whole_analysis_seconds": round(read_seconds + analyse_seconds, 1),
                "portfolio_actions": len(actions),
                "portfolio_budget": budget,
                "optimal_seconds": round(best.seconds, 2),
                "optimal_value": best.value,
                "baseline_greedy_seconds": round(baseline.seconds, 2),
                "baseline_greedy_value": baseline.value,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
