"""Monte Carlo schedule risk: slip ratios drawn from the reference class, propagated through the graph.

Each draw gives every milestone still to come its own ratio, drawn from the reference class's empirical
ratios *given that the milestone has not happened by today* (only ratios that put it after today are
eligible; when none does, it is taken to happen today, the earliest it still can). A milestone finishes at
its base (graph.py) plus its planned duration times the ratio; predecessors that come late push the base.
With every ratio 1 this is exactly graph.forward, the deterministic pass.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from fusionatlas.roadmap.graph import Graph, Pass, anchor_of, forward

DEFAULT_DRAWS = 10_000
DEFAULT_SEED = 20261206


@dataclass
class Simulation:
    ids: list[str]
    finish: NDArray[np.float64]  # (milestones, draws) decimal years
    binding: NDArray[np.int64]  # (milestones, draws) index of the binding predecessor, -1 for none
    deterministic: Pass

    def row(self, node_id: str) -> NDArray[np.float64]:
        return self.finish[self.ids.index(node_id)]

    def quantile(self, node_id: str, q: float) -> float:
        return float(np.quantile(self.row(node_id), q))

    def p_by(self, node_id: str, year: float) -> float:
        """The share of draws in which the milestone happens by `year`."""
        return float(np.mean(self.row(node_id) <= year))

    def criticality(self, target: str) -> dict[str, float]:
        """For each milestone, the share of draws in which it lies on the chain that drives `target`."""
        index = self.ids.index(target)
        draws = self.finish.shape[1]
        on_path = np.zeros(self.finish.shape, dtype=bool)
        current = np.full(draws, index)
        columns = np.arange(draws)
        for _ in range(len(self.ids)):
            active = current >= 0
            if not active.any():
                break
            on_path[current[active], columns[active]] = True
            following = np.full(draws, -1)
            following[active] = self.binding[current[active], columns[active]]
            current = following
        return {node_id: float(share) for node_id, share in zip(self.ids, on_path.mean(axis=1), strict=True)}


def conditional_ratios(
    ratios: NDArray[np.float64], threshold: NDArray[np.float64], uniform: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Ratios drawn uniformly among the sorted `ratios` greater than `threshold` (one per draw), and whether
    any was eligible; `uniform` holds one U(0,1) number per draw."""
    count = len(ratios)
    low = np.searchsorted(ratios, threshold, side="right")
    eligible = low < count
    index = np.minimum(low + np.floor(uniform * (count - low)).astype(np.int64), count - 1)
    return ratios[index], eligible


def simulate(
    graph: Graph, ratios: list[float], today: float, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED
) -> Simulation:
    """`draws` seeded samples of every milestone's date (decimal years)."""
    if not ratios:
        raise ValueError("the reference class has no usable case: no slip ratio to draw from")
    if draws < 1:
        raise ValueError(f"draws must be at least 1, not {draws}")
    sorted_ratios = np.sort(np.asarray(ratios, dtype=np.float64))
    plan = forward(graph, today)
    ids = list(graph.order)
    position = {node_id: i for i, node_id in enumerate(ids)}
    finish = np.empty((len(ids), draws))
    binding = np.full((len(ids), draws), -1, dtype=np.int64)
    for i, node_id in enumerate(ids):
        node = graph.nodes[node_id]
        # Each milestone has its own stream (seed and its id): adding or hiding one leaves the others' draws alone.
        uniform = np.random.default_rng([seed, zlib.crc32(node_id.encode())]).random(draws)
        if node.achieved:
            finish[i] = node.planned
            continue
        base = np.full(draws, anchor_of(node, today))
        for pred, lag in graph.preds[node_id]:
            pushed = finish[position[pred]] + lag
            binds = pushed >= base
            base = np.where(binds, pushed, base)
            binding[i] = np.where(binds, position[pred], binding[i])
        duration = plan.duration[node_id]
        if duration <= 0:
            finish[i] = np.maximum(base, today)
            continue
        ratio, eligible = conditional_ratios(sorted_ratios, (today - base) / duration, uniform)
        finish[i] = np.where(eligible, base + duration * ratio, today)
    return Simulation(ids, finish, binding, plan)
