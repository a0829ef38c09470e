"""Benchmark: the roadmap report (Monte Carlo over every track, critical paths, backtest) on the bundled
atlas, and the sampler on a synthetic 2,000-milestone graph, each beside the deterministic pass (the
baseline: the schedule with every slip ratio 1) in the same run.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from fusionatlas.dataset import BUNDLED
from fusionatlas.dataset.package import load_package
from fusionatlas.domain.audience import OPERATOR
from fusionatlas.roadmap.dates import year_of
from fusionatlas.roadmap.graph import Graph, Link, Node, build, forward
from fusionatlas.roadmap.read import read_roadmap
from fusionatlas.roadmap.reference import ratios
from fusionatlas.roadmap.report import roadmap_report
from fusionatlas.roadmap.simulate import simulate
from fusionatlas.store.engine import open_engine

DAY = dt.date(2026, 12, 6)


def timed(action: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return round(best, 4)


def synthetic(count: int, seed: int = 1) -> Graph:
    """A random layered graph: each milestone depends on up to three earlier ones."""
    rng = random.Random(seed)
    nodes = [Node(f"m{i}", str(2027 + i * 30 // count), anchor=2026.0) for i in range(count)]
    links = [
        Link(f"m{rng.randrange(i)}", f"m{i}", rng.choice([0, 6, 12]))
        for i in range(1, count)
        for _ in range(rng.randint(0, 3))
    ]
    return build(nodes, links)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'atlas.db'}"
        engine = open_engine(url)
        load_package(engine, BUNDLED)
        with engine.connect() as connection:
            roadmap = read_roadmap(connection, OPERATOR)
        engine.dispose()
    graph = roadmap.graph(DAY)
    now = year_of(DAY)
    found = ratios(roadmap.cases)
    big = synthetic(2000)
    results = {
        "bundled": {
            "milestones": len(graph.nodes),
            "dependencies": sum(len(p) for p in graph.preds.values()),
            "baseline_deterministic_s": timed(lambda: forward(graph, now)),
            "simulate_10000_s": timed(lambda: simulate(graph, found, now, 10_000)),
            "report_with_backtest_s": timed(lambda: roadmap_report(roadmap, DAY)),
        },
        "synthetic_2000": {
            "dependencies": sum(len(p) for p in big.preds.values()),
            "baseline_deterministic_s": timed(lambda: forward(big, 2026.0)),
            "simulate_10000_s": timed(lambda: simulate(big, found, 2026.0, 10_000), repeat=1),
        },
    }
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
