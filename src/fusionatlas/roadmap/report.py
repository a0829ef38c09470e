"""The whole roadmap as one dict: what `fusionatlas roadmap --json`, /api/roadmap and the pages show.

Dates are ISO days; probabilities and years are rounded for people, the sampler is seeded so that the same
atlas, date and options always give the same numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from fusionatlas.roadmap.backtest import leave_one_out, scores
from fusionatlas.roadmap.dates import middle, to_iso, year_of
from fusionatlas.roadmap.graph import Graph, Node, critical_path
from fusionatlas.roadmap.read import Roadmap
from fusionatlas.roadmap.reference import ratios, summary
from fusionatlas.roadmap.simulate import DEFAULT_DRAWS, DEFAULT_SEED, Simulation, simulate
from fusionatlas.roadmap.status import date_changes, is_overdue, status_of

DRIVERS = 5


class UnknownTrack(KeyError):
    """No track of that id (or none the audience may see)."""


def with_slips(graph: Graph, slips: dict[str, float]) -> Graph:
    """The graph with some milestones' announced dates moved by a number of years (a what-if)."""
    nodes = dict(graph.nodes)
    for node_id, years in slips.items():
        node = nodes.get(node_id)
        if node is None or node.achieved:
            raise KeyError(node_id)
        nodes[node_id] = replace(node, date=to_iso(middle(node.date) + years))
    return Graph(nodes, graph.preds, graph.order)


def _target(track: dict[str, Any], graph: Graph, run: Simulation) -> str | None:
    """The track's target if it is scheduled, else its latest milestone in the deterministic pass."""
    if track["target_id"] in graph.nodes:
        return str(track["target_id"])
    scheduled = [mid for mid in track["milestone_ids"] if mid in graph.nodes]
    return max(scheduled, key=lambda mid: run.deterministic.finish[mid], default=None)


def roadmap_report(
    roadmap: Roadmap,
    today: dt.date,
    track_id: str | None = None,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    slips: dict[str, float] | None = None,
) -> dict[str, Any]:
    tracks = roadmap.tracks
    if track_id is not None:
        tracks = [t for t in tracks if t["id"] == track_id]
        if not tracks:
            raise UnknownTrack(track_id)
    now = year_of(today)
    graph = roadmap.graph(today)
    if slips:
        graph = with_slips(graph, slips)
    found = ratios(roadmap.cases)
    # Without a reference class there is nothing to draw from: the deterministic schedule is shown alone.
    run = simulate(graph, found or [1.0], now, draws if found else 1, seed)
    out_tracks, rows, seen = [], [], set()
    for track in tracks:
        target = _target(track, graph, run)
        path = critical_path(run.deterministic, target) if target else []
        drivers = []
        if target:
            share = run.criticality(target)
            ranked = sorted((s, mid) for mid, s in share.items() if mid != target and s > 0)
            drivers = [{"id": mid, "criticality": round(s, 3)} for s, mid in reversed(ranked[-DRIVERS:])]
        out_tracks.append(
            {
                "id": track["id"],
                "name_en": track["name_en"],
                "name_ja": track["name_ja"],
                "target": target,
                "milestone_ids": list(track["milestone_ids"]),
                "critical_path": path,
                "drivers": drivers,
                "source_ids": track["source_ids"],
            }
        )
        for mid in track["milestone_ids"]:
            if mid in seen:
                continue
            seen.add(mid)
            rows.append(_milestone(roadmap, mid, track["id"], set(path), graph, run, today, bool(found)))
    forecasts = leave_one_out(roadmap.cases, draws, seed)
    return {
        "as_of": today.isoformat(),
        "draws": draws if found else 0,
        "seed": seed,
        "simulated": bool(found),
        "slips": slips or {},
        "tracks": out_tracks,
        "milestones": rows,
        "reference_class": summary(roadmap.cases),
        "backtest": scores(forecasts),
    }


def _milestone(
    roadmap: Roadmap,
    mid: str,
    track: str,
    path: set[str],
    graph: Graph,
    run: Simulation,
    today: dt.date,
    simulated: bool,
) -> dict[str, Any]:
    m = roadmap.milestones[mid]
    node: Node | None = graph.nodes.get(mid)
    scheduled = node is not None and not node.achieved
    return {
        "id": mid,
        "track": track,
        "title_en": m["title_en"],
        "title_ja": m["title_ja"],
        "announced": node.date if node else m["date"],
        "date_text": m["date_text"],
        "p50": to_iso(run.quantile(mid, 0.5)) if scheduled else None,
        "p80": to_iso(run.quantile(mid, 0.8)) if scheduled else None,
        "p_on_time": round(run.p_by(mid, node.deadline), 3) if simulated and scheduled and node else None,
        "critical": mid in path,
        "status": status_of(m, today),
        "overdue": is_overdue(m, today),
        "last_verified": roadmap.verified.get(mid),
        "depends_on": [pred for pred, _lag in graph.preds.get(mid, [])],
        "history": [
            {"announced": r["announced"], "date": r["date"], "date_text": r["date_text"]}
            for r in roadmap.history.get(mid, [])
        ],
        "date_changes": [{"from": a, "to": b, "announced": w} for a, b, w in date_changes(roadmap, mid)],
        "source_ids": m["source_ids"],
    }


def risk_report(
    roadmap: Roadmap, today: dt.date, milestone_id: str, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED
) -> dict[str, Any]:
    """One milestone as a target: its P50/P80, the chance of its announced date and what drives its risk."""
    if milestone_id not in roadmap.milestones:
        raise KeyError(f"unknown milestone {milestone_id!r}")
    graph = roadmap.graph(today)
    node = graph.nodes.get(milestone_id)
    m = roadmap.milestones[milestone_id]
    if node is None or node.achieved:
        # Achieved, cancelled or undated: nothing to simulate, the status says why.
        return {
            "as_of": today.isoformat(),
            "id": milestone_id,
            "title_en": m["title_en"],
            "title_ja": m["title_ja"],
            "announced": m["date"],
            "status": status_of(m, today),
            "deterministic": None,
            "critical_path": [],
            "p50": None,
            "p80": None,
            "p_on_time": None,
            "drivers": [],
        }
    found = ratios(roadmap.cases)
    if not found:
        raise ValueError("the reference class has no usable case: there is nothing to draw slips from")
    run = simulate(graph, found, year_of(today), draws, seed)
    share = run.criticality(milestone_id)
    drivers = []
    for mid, criticality in sorted(share.items(), key=lambda item: (-item[1], item[0])):
        if mid == milestone_id or criticality <= 0:
            continue
        other = graph.nodes[mid]
        row = roadmap.milestones[mid]
        drivers.append(
            {
                "id": mid,
                "title_en": row["title_en"],
                "title_ja": row["title_ja"],
                "criticality": round(criticality, 3),
                "announced": other.date,
                "p50": None if other.achieved else to_iso(run.quantile(mid, 0.5)),
            }
        )
    return {
        "as_of": today.isoformat(),
        "id": milestone_id,
        "title_en": m["title_en"],
        "title_ja": m["title_ja"],
        "announced": node.date,
        "status": status_of(m, today),
        "deterministic": to_iso(run.deterministic.finish[milestone_id]),
        "critical_path": critical_path(run.deterministic, milestone_id),
        "p50": to_iso(run.quantile(milestone_id, 0.5)),
        "p80": to_iso(run.quantile(milestone_id, 0.8)),
        "p_on_time": round(run.p_by(milestone_id, node.deadline), 3),
        "drivers": drivers,
    }


def backtest_report(
    roadmap: Roadmap, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED, confirmed_only: bool = False
) -> dict[str, Any]:
    """Leave-one-out over the reference class: each case's forecast beside its actual date, and the scores."""
    cases = [c for c in roadmap.cases if not (confirmed_only and c.unconfirmed)]
    forecasts = leave_one_out(cases, draws, seed)
    return {
        "draws": draws,
        "seed": seed,
        "confirmed_only": confirmed_only,
        "reference_class": summary(cases),
        "scores": scores(forecasts),
        "cases": [
            {
                "id": f.case.id,
                "name_en": f.case.name_en,
                "name_ja": f.case.name_ja,
                "decision": f.case.decision,
                "planned": f.case.planned,
                "actual": f.case.actual,
                "ratio": round(f.case.ratio or 0.0, 2),
                "p50": to_iso(f.p50),
                "p80": to_iso(f.p80),
                "covered": f.covered,
                "p50_error_years": round(f.p50_error, 2),
                "naive_error_years": round(f.naive_error, 2),
                "unconfirmed": f.case.unconfirmed,
            }
            for f in forecasts
        ],
    }
