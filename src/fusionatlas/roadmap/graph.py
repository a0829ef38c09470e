"""Milestones as a dependency graph: typed links with lag, topological order, the deterministic forward pass
and the critical path that leads to a target.

Model. An achieved milestone is fixed at its date. A milestone still to come starts its own span at its
*base*: the later of its anchor (the day its current date was announced, or today when that is unknown) and
each predecessor's date plus the link's lag. Its planned duration is the announced date minus the base the
announced dates imply; it finishes at base + duration x slip ratio (ratio 1 in the deterministic pass), and
never before today, since it has not happened yet. A predecessor *binds* when its date plus lag is at least
the anchor: the critical path follows binding predecessors back from a target. A date counts from the
middle of the period it names (2034: mid-2034) and is on time until the period ends.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from fusionatlas.domain.graphs import find_cycle
from fusionatlas.roadmap.dates import deadline, middle


class CycleError(ValueError):
    """The links contain a cycle; the message names it."""


@dataclass(frozen=True)
class Node:
    id: str
    date: str  # the announced (or achieved) date, a partial ISO date
    achieved: bool = False
    anchor: float | None = None  # decimal year the current date was announced; None: unknown

    @property
    def planned(self) -> float:
        return middle(self.date)

    @property
    def deadline(self) -> float:
        return deadline(self.date)


@dataclass(frozen=True)
class Link:
    from_id: str
    to_id: str
    lag_months: int = 0

    @property
    def lag(self) -> float:
        return self.lag_months / 12.0


@dataclass
class Graph:
    nodes: dict[str, Node]
    # Each node's predecessors with the lag in years, in a fixed order.
    preds: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)


def build(nodes: Iterable[Node], links: Iterable[Link]) -> Graph:
    """The graph of `nodes`; links whose ends are not among them (undated, cancelled or hidden) are left out.

    Two links between the same pair keep the larger lag. Raises CycleError naming a cycle.
    """
    graph = Graph({node.id: node for node in nodes})
    lags: dict[str, dict[str, float]] = {node_id: {} for node_id in graph.nodes}
    for link in links:
        if link.from_id in graph.nodes and link.to_id in graph.nodes:
            known = lags[link.to_id].get(link.from_id)
            lags[link.to_id][link.from_id] = link.lag if known is None else max(known, link.lag)
    cycle = find_cycle({node_id: list(preds) for node_id, preds in lags.items()})
    if cycle:
        raise CycleError("dependency cycle: " + " -> ".join(reversed(cycle)))
    graph.preds = {node_id: sorted(preds.items()) for node_id, preds in lags.items()}
    graph.order = _topological(graph.preds)
    return graph


def _topological(preds: Mapping[str, list[tuple[str, float]]]) -> list[str]:
    """Predecessors first; ties in id order, so that every run visits nodes alike."""
    done: set[str] = set()
    order: list[str] = []
    for start in sorted(preds):
        stack = [(start, False)]
        while stack:
            node, expanded = stack.pop()
            if node in done:
                continue
            if expanded:
                done.add(node)
                order.append(node)
                continue
            stack.append((node, True))
            stack.extend((p, False) for p, _lag in reversed(preds[node]) if p not in done)
    return order


@dataclass(frozen=True)
class Pass:
    """The deterministic schedule: each node's date, base, planned duration and binding predecessor."""

    finish: dict[str, float]
    base: dict[str, float]
    duration: dict[str, float]
    binding: dict[str, str | None]


def anchor_of(node: Node, today: float) -> float:
    return today if node.anchor is None else min(node.anchor, today)


def forward(graph: Graph, today: float) -> Pass:
    """The schedule when every milestone takes its planned duration (slip ratio 1)."""
    finish: dict[str, float] = {}
    base: dict[str, float] = {}
    duration: dict[str, float] = {}
    binding: dict[str, str | None] = {}
    for node_id in graph.order:
        node = graph.nodes[node_id]
        if node.achieved:
            finish[node_id] = base[node_id] = node.planned
            duration[node_id] = 0.0
            binding[node_id] = None
            continue
        anchor = anchor_of(node, today)
        start, driver = anchor, None
        for pred, lag in graph.preds[node_id]:
            if finish[pred] + lag >= start:
                start, driver = finish[pred] + lag, pred
        base[node_id] = start
        # A date already past its middle but not its end ("2026" in December 2026) keeps what is left of it.
        duration[node_id] = node.planned - start if node.planned > start else max(0.0, node.deadline - start)
        finish[node_id] = max(start + duration[node_id], today)
        binding[node_id] = driver
    return Pass(finish, base, duration, binding)


def critical_path(schedule: Pass, target: str) -> list[str]:
    """The chain of binding predecessors that leads to `target`, earliest first."""
    path = [target]
    node = schedule.binding.get(target)
    while node is not None and node not in path:
        path.append(node)
        node = schedule.binding.get(node)
    return list(reversed(path))
