"""Benchmark: the scenario Monte Carlo (numpy, float32) beside a plain-Python loop of the same model.

The vectorised model runs the full size (default 10,000 draws x 40 years x 20 items x 50 plants); the loop runs
a scaled-down number of draws and is extrapolated linearly (its cost is proportional to draws):
    python benchmarks/bench_scenarios.py --draws 10000 --loop-draws 50
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time

from fusionatlas.scenarios import physics
from fusionatlas.scenarios.inputs import BomLine, CapacityEntry, Design, Item, Library, Plant, Quantity, Scenario
from fusionatlas.scenarios.model import simulate


def _range(rng: random.Random, centre: float) -> Quantity:
    return Quantity(centre * 0.7, centre, centre * 1.5, "assumption", (), "bench", "bench")


def library(items: int, plants: int, years: int, seed: int = 5) -> tuple[Library, Scenario]:
    rng = random.Random(seed)
    item_map = {}
    for i in range(items):
        iid = "tritium" if i == 0 else f"item-{i}"
        entry = CapacityEntry(None, "world", "world", _range(rng, rng.uniform(50, 500)), 2025)
        growth = Quantity(0.0, 0.05, 0.1, "assumption", (), "bench", "bench")
        stock = _range(rng, 25.0) if i == 0 else None
        item_map[iid] = Item(iid, iid, iid, "t", ("tech:x",), i == 0, (entry,), growth, stock)
    designs, plant_list = {}, []
    for p in range(plants):
        bom = tuple(
            BomLine(iid, _range(rng, rng.uniform(5, 100)), _range(rng, 5.0) if rng.random() < 0.3 else None)
            for iid in item_map
            if iid != "tritium"
        )
        designs[f"d{p}"] = Design(
            f"d{p}", "d", "d", _range(rng, 1000), _range(rng, 0.5), _range(rng, 0.9), _range(rng, 3), 6, bom
        )
        start = 2025 + rng.randint(6, years - 5)
        plant_list.append(Plant(f"d{p}", 1, start, start, None))
    slip = Quantity(0, 2, 6, "assumption", (), "bench", "bench")
    scenario = Scenario("bench", "b", "b", "", "", (), 2025, 2025 + years - 1, slip, tuple(plant_list))
    return Library(item_map, designs, {}), scenario


def plain_loop(lib: Library, scenario: Scenario, draws: int, seed: int = 1) -> dict[str, list[list[float]]]:
    """The same model one draw, plant, line and year at a time (the baseline)."""
    rng = random.Random(seed)
    years = list(range(scenario.start_year, scenario.end_year + 1))

    def pick(q: Quantity) -> float:
        return q.central if q.high <= q.low else rng.triangular(q.low, q.high, q.central)

    demand = {iid: [[0.0] * len(years) for _ in range(draws)] for iid in lib.items}
    capacity = {iid: [[0.0] * len(years) for _ in range(draws)] for iid in lib.items}
    for d in range(draws):
        for plant in scenario.plants:
            design = lib.designs[plant.design]
            operation = plant.operation_start + round(pick(scenario.slip_years))
            for line in design.bom:
                quantity = pick(line.quantity) * plant.count
                every = max(1, round(pick(line.replace_every_years))) if line.replace_every_years else 0
                for k, year in enumerate(years):
                    if operation - design.construction_years <= year < operation:
                        demand[line.item][d][k] += quantity / design.construction_years
                    elif every and year > operation and (year - operation) % every == 0:
                        demand[line.item][d][k] += quantity
            burnt = physics.tritium_burn_kg(pick(design.fusion_power_mw), pick(design.availability))
            bought = burnt * max(0.0, 1.0 - pick(design.breeding_ratio))
            startup = pick(design.startup_tritium_kg)
            for k, year in enumerate(years):
                if year >= operation:
                    demand["tritium"][d][k] += bought
                elif year == operation - 1:
                    demand["tritium"][d][k] += startup
        for iid, item in lib.items.items():
            growth = pick(item.growth)
            amounts = [(pick(e.amount), e.year) for e in item.capacity]
            for k, year in enumerate(years):
                capacity[iid][d][k] = sum(a * (1 + growth) ** (year - y) for a, y in amounts)
            if item.stock and item.initial_stock:
                stock, keep = pick(item.initial_stock), physics.decay_factor(1.0)
                for k in range(len(years)):
                    available = stock * (keep if k else 1.0) + capacity[iid][d][k]
                    capacity[iid][d][k] = available
                    stock = max(0.0, available - demand[iid][d][k])
    return demand


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--loop-draws", type=int, default=50)
    parser.add_argument("--years", type=int, default=40)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--plants", type=int, default=50)
    args = parser.parse_args()
    lib, scenario = library(args.items, args.plants, args.years)
    simulate(lib, scenario, draws=100)  # warm numpy up
    cpu, wall = time.process_time(), time.perf_counter()
    simulate(lib, scenario, draws=args.draws)
    vectorised, vectorised_cpu = time.perf_counter() - wall, time.process_time() - cpu
    cpu, wall = time.process_time(), time.perf_counter()
    plain_loop(lib, scenario, args.loop_draws)
    loop, loop_cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        json.dumps(
            {
                "benchmark": "scenarios",
                "date": time.strftime("%Y-%m-%d"),
                "size": f"{args.draws} draws x {args.years} years x {args.items} items x {args.plants} plants",
                "vectorised_seconds": round(vectorised, 3),
                "vectorised_cpu_seconds": round(vectorised_cpu, 3),
                "baseline_loop_draws": args.loop_draws,
                "baseline_loop_seconds": round(loop, 3),
                "baseline_extrapolated_seconds": round(loop * args.draws / args.loop_draws, 1),
                "baseline_extrapolated_cpu_seconds": round(loop_cpu * args.draws / args.loop_draws, 1),
                "load_average": round(os.getloadavg()[0], 2),
            }
        )
    )


if __name__ == "__main__":
    main()
