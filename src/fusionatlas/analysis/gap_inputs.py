"""The gap score's outside inputs (RELEVANCE_WEIGHTS in gaps.py), read from the store for one country and audience.

- scenario_demand: the country's reference deployment scenario (SCENARIO_BY_COUNTRY; "announced" otherwise)
  run by `scenarios.results.demand_by_node`: per node, the peak of median demand over median capacity. The
  input is that ratio capped at 1 (demand that reaches the makers' capacity counts fully; a node whose items
  have no capacity the audience may see counts fully too).
- skills: `analysis.skills.gap_by_node` on the country's skill view: the largest skills gap among the node's
  skills, relative to the country's largest.
Both are in [0, 1] per node; nodes absent from a mapping count 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection

from fusionatlas.analysis.atlas import AnalysisAtlas
from fusionatlas.analysis.skills import gap_by_node, skill_view
from fusionatlas.domain.audience import Audience
from fusionatlas.scenarios.results import demand_by_node

# The scenario that states each country's own announced plans; other countries take the world's announced plants.
SCENARIO_BY_COUNTRY = {"JP": "japan-2030s", "GB": "uk-step", "EU": "eu-demo"}
DEFAULT_SCENARIO = "announced"


@dataclass(frozen=True)
class GapInputs:
    scenario: str
    scenario_demand: dict[str, float]
    skills: dict[str, float]

    def as_inputs(self) -> dict[str, dict[str, float]]:
        return {"scenario_demand": self.scenario_demand, "skills": self.skills}


def scenario_for(country: str) -> str:
    return SCENARIO_BY_COUNTRY.get(country.upper(), DEFAULT_SCENARIO)


def demand_input(pressure: dict[str, float]) -> dict[str, float]:
    """Demand / capacity ratios as inputs in [0, 1]: capped at 1; no visible capacity (infinity) counts as 1."""
    return {node: 1.0 if not math.isfinite(ratio) else max(0.0, min(1.0, ratio)) for node, ratio in pressure.items()}


def read_gap_inputs(
    connection: Connection, atlas: AnalysisAtlas, country: str, audience: Audience, today: date | None = None
) -> GapInputs:
    scenario = scenario_for(country)
    pressure = demand_by_node(connection, scenario, audience)
    view = skill_view(connection, audience, country.upper(), today or date.today())
    return GapInputs(scenario, demand_input(pressure), gap_by_node(view, atlas.technologies))
