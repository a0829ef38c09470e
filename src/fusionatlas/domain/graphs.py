"""Graph helpers shared by the validator and the roadmap. Pure: no I/O."""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def find_cycle(edges: Mapping[str, Iterable[str]]) -> list[str] | None:
    """A cycle in `edges` (node -> its predecessors) as a list of ids ending where it started, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in sorted(edges):
        if state.get(start):
            continue
        path: list[str] = []
        stack: list[tuple[str, Iterable[str]]] = [(start, iter(sorted(edges.get(start, ()))))]
        state[start] = 1
        path.append(start)
        while stack:
            node, successors = stack[-1]
            step = next(iter(successors), None)
            if step is None:
                stack.pop()
                path.pop()
                state[node] = 2
                continue
            if state.get(step) == 1:
                return [*path[path.index(step) :], step]
            if not state.get(step):
                state[step] = 1
                path.append(step)
                stack.append((step, iter(sorted(edges.get(step, ())))))
    return None
