"""The reference class: past projects with the date planned at a stated decision point and the actual date.

A case's slip ratio is (actual - decision) / (planned - decision): 1 on time, 2 when it took twice as long as
planned. Ratios, not years, carry over between a two-year and a ten-year project. A case whose planned date
is less than three months after its decision says nothing about duration and is left out of the ratios.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fusionatlas.roadmap.dates import middle

SHORTEST_PLAN = 0.25  # years


@dataclass(frozen=True)
class Case:
    id: str
    name_en: str
    name_ja: str
    kind: str
    scale: str
    decision: str
    planned: str
    actual: str
    source_ids: tuple[str, ...] = ()
    unconfirmed: bool = False

    @property
    def planned_years(self) -> float:
        return middle(self.planned) - middle(self.decision)

    @property
    def slip_years(self) -> float:
        return middle(self.actual) - middle(self.planned)

    @property
    def ratio(self) -> float | None:
        planned = self.planned_years
        if planned < SHORTEST_PLAN:
            return None
        return (middle(self.actual) - middle(self.decision)) / planned


def ratios(cases: list[Case]) -> list[float]:
    return [r for r in (case.ratio for case in cases) if r is not None]


def summary(cases: list[Case]) -> dict[str, float | int | None]:
    """The class in numbers: size, slips in years and ratios (median, 80th percentile, spread)."""
    used = [case for case in cases if case.ratio is not None]
    if not used:
        return {"n": 0, "median_slip_years": None, "p80_slip_years": None, "median_ratio": None, "p80_ratio": None}
    slips = np.array([case.slip_years for case in used])
    found = np.array([case.ratio for case in used], dtype=np.float64)
    return {
        "n": len(used),
        "median_slip_years": round(float(np.median(slips)), 2),
        "p80_slip_years": round(float(np.quantile(slips, 0.8)), 2),
        "median_ratio": round(float(np.median(found)), 2),
        "p80_ratio": round(float(np.quantile(found, 0.8)), 2),
        "ratio_p10": round(float(np.quantile(found, 0.1)), 2),
        "ratio_p90": round(float(np.quantile(found, 0.9)), 2),
        "on_time_share": round(float(np.mean(slips <= 0.5)), 2),
    }


def by_group(cases: list[Case], key: str) -> dict[str, dict[str, float | int | None]]:
    """The summary per value of `key` (kind or scale), to see whether the data supports a split."""
    groups: dict[str, list[Case]] = {}
    for case in cases:
        groups.setdefault(getattr(case, key), []).append(case)
    return {name: summary(members) for name, members in sorted(groups.items())}
