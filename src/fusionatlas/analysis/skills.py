"""Skills in demand against where they are taught: the people side of the gap analysis.

A skill (domain/people.py) names the technology nodes that need it. Everything tied to a node inherits the
skills of the node and of its ancestors, so a need on `tech:hcd.ec.gyrotron` calls for RF and microwave
engineering because that skill names `tech:hcd.ec`. The atlas tags nothing by hand that this rule can
derive: needs and capabilities get their skills from their technologies, funding programmes from the
training offers they pay for; only training offers name their skills explicitly (a course teaches what its
syllabus says, not what its field implies).

Per skill and country (or the whole world):
- demand: needs the audience may see, open today or awarded in the last `DEMAND_YEARS` calendar years (the
  gap analysis counts demonstrated demand the same way), whose buyer or one of whose awardees is in the
  country: a contract a Japanese maker won abroad needs people in Japan to deliver it;
- holders: organizations of the country holding a capability that calls for the skill (who practises it);
- training: training offers of the country that teach it (where it is formed);
- gap = demand / (1 + training): demand that no local training answers weighs fully; each offer halves,
  thirds... it. `gap_by_node` turns it into a 0-1 input per technology node for the gap analysis.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection

from fusionatlas.analysis.gaps import DEMAND_YEARS, award_year
from fusionatlas.analysis.needs import read_needs
from fusionatlas.domain.audience import Audience
from fusionatlas.store import queries


@dataclass
class SkillRow:
    """One skill as the skills view shows it for one country (or the world)."""

    skill: dict[str, Any]
    demand: int = 0
    need_ids: list[str] = field(default_factory=list)
    holder_ids: set[str] = field(default_factory=set)
    training_ids: list[str] = field(default_factory=list)

    @property
    def training_count(self) -> int:
        return len(self.training_ids)

    @property
    def gap(self) -> float:
        return round(self.demand / (1 + self.training_count), 3)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.skill["id"],
            "name_en": self.skill["name_en"],
            "name_ja": self.skill["name_ja"],
            "demand": self.demand,
            "holders": len(self.holder_ids),
            "training_count": self.training_count,
            "gap": self.gap,
            "source_ids": self.skill["source_ids"] or [],
        }


@dataclass
class SkillView:
    country: str | None
    rows: list[SkillRow]  # the largest gap first, then the largest demand, then by id
    training: dict[str, dict[str, Any]]  # every training offer the audience may see, by id
    workforce: list[dict[str, Any]]  # the published workforce figures for the country (all when None)

    def as_json(self) -> dict[str, Any]:
        return {"country": self.country, "skills": [row.as_json() for row in self.rows]}


def skills_by_node(skills: Iterable[dict[str, Any]], technologies: dict[str, dict[str, Any]]) -> dict[str, set[str]]:
    """Every technology node's skills: those naming the node or one of its ancestors."""
    named: dict[str, set[str]] = {}
    for skill in skills:
        for node in skill["technology_ids"] or []:
            named.setdefault(node, set()).add(skill["id"])
    found: dict[str, set[str]] = {}
    for node in technologies:
        skills_here: set[str] = set()
        seen: set[str] = set()
        current: str | None = node
        while current and current not in seen:  # a cycle in the parents cannot loop
            seen.add(current)
            skills_here |= named.get(current, set())
            current = technologies.get(current, {}).get("parent")
        found[node] = skills_here
    return found


def skills_of(technology_ids: Iterable[str], by_node: dict[str, set[str]]) -> set[str]:
    """The skills a record on these technology nodes calls for."""
    return set().union(*(by_node.get(node, set()) for node in technology_ids))


def _in_demand(need: dict[str, Any], since: int) -> bool:
    if need["status"] == "open":
        return True
    return need["status"] == "awarded" and (award_year(need) or 0) >= since


def skill_view(connection: Connection, audience: Audience, country: str | None, today: date) -> SkillView:
    """The skills view for `country` (an ISO code; None: the whole world) as the audience may see it."""
    technologies, _children = queries.technology_tree(connection)
    skills = sorted(queries.records(connection, "skills", audience), key=lambda s: s["id"])
    by_node = skills_by_node(skills, technologies)
    rows = {skill["id"]: SkillRow(skill) for skill in skills}
    organizations = {o["id"]: o for o in queries.records(connection, "organizations", audience)}

    def here(code: str | None) -> bool:
        return country is None or code == country

    since = today.year - DEMAND_YEARS + 1
    for need in read_needs(connection, audience, today.isoformat()):
        buyer = need["buyer"]
        places = {buyer["country"] if buyer else None}
        places |= {organizations[o]["country"] for o in need["awardee_org_ids"] or [] if o in organizations}
        if not _in_demand(need, since) or not any(here(place) for place in places):
            continue
        for skill_id in skills_of(need["technology_ids"] or [], by_node):
            rows[skill_id].demand += 1
            rows[skill_id].need_ids.append(need["id"])
    for capability in queries.records(connection, "capabilities", audience):
        holder = organizations.get(capability["org_id"])
        if holder is None or not here(holder["country"]):
            continue
        for skill_id in by_node.get(capability["technology_id"], set()):
            rows[skill_id].holder_ids.add(holder["id"])
    training = {t["id"]: t for t in queries.records(connection, "training", audience)}
    for offer in training.values():
        if here(offer["country"]):
            for skill_id in offer["skill_ids"] or []:
                if skill_id in rows:
                    rows[skill_id].training_ids.append(offer["id"])
    workforce = [
        w for w in queries.records(connection, "workforce", audience) if country is None or w["country"] == country
    ]
    ordered = sorted(rows.values(), key=lambda r: (-r.gap, -r.demand, r.skill["id"]))
    return SkillView(country, ordered, training, workforce)


def gap_by_node(view: SkillView, technologies: dict[str, dict[str, Any]]) -> dict[str, float]:
    """A 0-1 skills shortfall per technology node, for the gap analysis as a named input: the largest gap
    among the node's skills, divided by the largest gap of the view (0 everywhere when no skill has one)."""
    largest = max((row.gap for row in view.rows), default=0.0)
    if not largest:
        return dict.fromkeys(technologies, 0.0)
    gap = {row.skill["id"]: row.gap / largest for row in view.rows}
    by_node = skills_by_node((row.skill for row in view.rows), technologies)
    return {node: max((gap[s] for s in skills), default=0.0) for node, skills in by_node.items()}


def programme_skills(training: dict[str, dict[str, Any]]) -> dict[str, set[str]]:
    """Each funding programme's skills: those of the training offers it pays for."""
    found: dict[str, set[str]] = {}
    for offer in training.values():
        for programme in offer["programme_ids"] or []:
            found.setdefault(programme, set()).update(offer["skill_ids"] or [])
    return found
