"""Gap analysis: for every node of the technology map, rolled up the tree, where supply falls short.

Measures per node, for a focus country and its partners:
- domestic / partner / other: capable organizations (distinct) in the focus country, in partner
  countries, elsewhere;
- best_trl against required_trl (the highest readiness an open need on the node asks for, else the
  node's own assessed readiness is the best available and nothing is required);
- unmet_needs: open needs on the node that no capable organization can meet (readiness, countries);
- hhi: Herfindahl-Hirschman index of supply, over capacity where every supplier states one, else
  equal shares per supplier (1.0 = one supplier, 1/n = n equal suppliers); the score's concentration
  term counts suppliers (1/n), so that adding supply never raises a gap;
- single_source, single_country: supply hangs on one organization, or on one country;
- demand: open needs from buyers in the focus country (open_domestic) and elsewhere or unnamed
  (open_foreign), and needs awarded in the last ten calendar years (awarded_recent, demonstrated
  demand). The score weighs awarded_recent (weight `demand`); the open counts are reported beside it
  (open needs already score through unmet_needs and readiness).

The shortfall is a weighted sum of these, each scaled to [0, 1]; the weights are stated, documented
(docs/gaps.md) and configurable. Supplying a node never increases its shortfall: every term falls or
stays when a capable organization is added.

Relevance says how much a node matters to the focus country, from named inputs with documented weights
(RELEVANCE_WEIGHTS): the country's path (records of the concepts and areas its strategy, programmes and
DEMO design pursue), domestic activity, demand (needs), scenario demand (the country's reference
deployment scenario) and the skills shortfall (the last two read by gap_inputs.py and given to `analyse`).
The gap score is relevance x shortfall; both are reported. Each node falls in one category: "gap"; "not
surveyed" (relevant, but no organization anywhere in the atlas supplies it, so the atlas holds no survey
result to judge supply by); "not pursued" (off the path, no domestic activity, no demand). A node on the
path is never "not pursued".
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from babel import Locale

from fusionatlas.analysis.atlas import AnalysisAtlas
from fusionatlas.domain.values import parse_country

DEFAULT_WEIGHTS: dict[str, float] = {
    "domestic": 0.30,  # no or few capable organizations at home
    "partner": 0.10,  # none among home and partner countries either
    "readiness": 0.15,  # the best readiness shown falls short of what needs require
    "unmet_needs": 0.20,  # open needs that nobody capable can meet
    "concentration": 0.10,  # supply concentrated in few hands
    "single_source": 0.05,
    "single_country": 0.05,
    "export_control": 0.05,  # a source says items of the technology are export-controlled
    # Needs awarded on the node in the last ten years: buyers have paid for it, so a gap there matters
    # more. A little (it raises a gap, it does not make one); the weights are rescaled to sum to 1.
    "demand": 0.05,
}
# Demonstrated demand counts awards of the last DEMAND_YEARS calendar years, the analysis year included.
DEMAND_YEARS = 10

# Relevance to the focus country: named inputs in [0, 1], weights rescaled to sum to 1 (docs/gaps.md).
RELEVANCE_WEIGHTS: dict[str, float] = {
    "path": 0.60,  # the node, an area above it or one below it is named by the country's path records
    "domestic_activity": 0.10,  # an organization of the country works on it (a capability on it or below)
    "needs": 0.15,  # needs of the country's buyers (open) and recent awards anywhere: n / (1 + n)
    # Given per node through analyse(..., inputs=...), read by analysis/gap_inputs.py: the country's reference
    # deployment scenario's demand against the makers' capacity (capped at 1), and its skills shortfall.
    "scenario_demand": 0.10,
    "skills": 0.05,
}
# A DEMO design relies on technologies demonstrated as a prototype in a relevant environment (TRL 6);
# a node with a DEMO- or plant-class target therefore requires TRL 6 unless an open need asks for more.
DEMO_REQUIRED_TRL = 6
_PLANT_CLASS = re.compile(r"demo|plant|pilot|fast|arc|step|cfetr", re.IGNORECASE)
# The analysis uses one assessment per node: independent before self-assessed, then by context (DEMO
# first: the next step the gap analysis plans for), then the newest; ties by id.
CONTEXT_ORDER = ("demo", "power_plant", "iter", "general")
CATEGORIES = ("gap", "not surveyed", "not pursued")
CONTEXT_JA = {"demo": "原型炉", "power_plant": "発電プラント", "iter": "ITER", "general": "区分なし"}


DEMAND_KEYS = ("open_domestic", "open_foreign", "awarded_recent")


class GapError(ValueError):
    """Input the analysis cannot use; the message says why."""


@dataclass
class Reason:
    en: str
    ja: str


@dataclass
class TechnologyGap:
    technology_id: str
    name_en: str
    name_ja: str
    score: float
    domestic: int
    partner: int
    other: int
    best_trl: int | None
    required_trl: int | None
    unmet_needs: list[str]
    hhi: float | None
    single_source: bool
    single_country: bool
    export_controlled: bool = False
    # {"open_domestic", "open_foreign", "awarded_recent"}: counts of needs on the node or below it.
    demand: dict[str, int] = field(default_factory=lambda: dict.fromkeys(DEMAND_KEYS, 0))
    reasons: list[Reason] = field(default_factory=list)
    components: dict[str, float] = field(default_factory=dict)
    relevance: float = 0.0
    shortfall: float = 0.0
    category: str = "gap"
    # Each relevance input in [0, 1], before weighting; the path records that put the node on the path.
    relevance_inputs: dict[str, float] = field(default_factory=dict)
    path_ids: list[str] = field(default_factory=list)
    # The assessment the analysis used ({id, value, context, date, self_assessed, source_ids}), or None.
    readiness: dict[str, Any] | None = None
    assessments: int = 0


@dataclass
class GapReport:
    country: str
    partners: list[str]
    weights: dict[str, float]
    technologies: list[TechnologyGap]
    relevance_weights: dict[str, float] = field(default_factory=dict)
    # False when the atlas holds no path record for the country: every node then counts as on its path.
    path_recorded: bool = True
    # The deployment scenario whose demand fed the scenario_demand input (None when none was given).
    scenario: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The `gaps --json` shape (docs/gaps.md); components are each weighted term before weighting."""
        return asdict(self)


def check_country(code: str) -> str:
    """The domain's country check (domain/values.py parse_country), as a GapError; blank is refused."""
    try:
        value = parse_country(code)
    except ValueError as error:
        raise GapError(str(error)) from None
    if value is None:
        raise GapError("a country code is required (ISO 3166-1 alpha-2, e.g. JP)")
    return str(value)


def check_weights(weights: dict[str, Any], defaults: dict[str, float] | None = None) -> dict[str, float]:
    """Known names, numbers, none negative, not all zero; returned scaled to sum to 1.

    `defaults` is the group checked (the shortfall's DEFAULT_WEIGHTS unless given); names of the other
    group (RELEVANCE_WEIGHTS) are accepted and left to it.
    """
    defaults = DEFAULT_WEIGHTS if defaults is None else defaults
    known = {*DEFAULT_WEIGHTS, *RELEVANCE_WEIGHTS}
    unknown = set(weights) - known
    if unknown:
        raise GapError(f"unknown weight(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}")
    merged: dict[str, float] = {}
    for name, default in defaults.items():
        value = weights.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise GapError(f"weight {name!r} must be a number, not {value!r}")
        if value < 0:
            raise GapError(f"weight {name!r} is negative ({value}); weights must be 0 or more")
        merged[name] = float(value)
    total = sum(merged.values())
    if total <= 0:
        raise GapError("the weights sum to zero: at least one must be positive")
    return {name: value / total for name, value in merged.items()}


def read_weights(path: Path) -> dict[str, float]:
    """Weights from a YAML or JSON file: a mapping of weight name to number."""
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (OSError, ValueError, yaml.YAMLError) as error:
        raise GapError(f"{path}: cannot read weights ({error})") from None
    if not isinstance(data, dict):
        raise GapError(f"{path}: expected a mapping of weight name to number")
    return check_weights(data)


def _supplier_shares(atlas: AnalysisAtlas, caps: np.ndarray, orgs: np.ndarray) -> np.ndarray:
    """Each supplier's share of supply: by capacity when every supplier states one, else equal."""
    capacity = atlas.cap_capacity[caps]
    if len(caps) and not np.isnan(capacity).any() and capacity.sum() > 0:
        per_org = np.zeros(len(orgs))
        index = np.searchsorted(orgs, atlas.cap_org[caps])
        np.add.at(per_org, index, capacity)
        return per_org / per_org.sum()
    return np.full(len(orgs), 1.0 / len(orgs)) if len(orgs) else np.zeros(0)


def _can_meet(atlas: AnalysisAtlas, need: dict[str, Any]) -> bool:
    """Whether any capability on a technology the need names (or a narrower one) meets its requirements."""
    parts = [atlas.caps_under(t) for t in need["technology_ids"] or [] if t in atlas.technologies]
    allowed = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
    if need.get("min_trl"):
        allowed = allowed[atlas.cap_trl[allowed] >= need["min_trl"]]
    if need.get("countries"):
        countries = atlas.org_country[atlas.cap_org[allowed]]
        allowed = allowed[np.isin(countries, need["countries"])]
    return len(allowed) > 0


def _nodes_of(atlas: AnalysisAtlas, need: dict[str, Any]) -> set[str]:
    """The nodes a need falls under: its technologies and their ancestors (each once)."""
    nodes: set[str] = set()
    for tech_id in need["technology_ids"] or []:
        while tech_id in atlas.technologies and tech_id not in nodes:
            nodes.add(tech_id)
            tech_id = atlas.technologies[tech_id]["parent"]
    return nodes


def award_year(need: dict[str, Any]) -> int | None:
    """The year of an award: of its published date, else of its delivery start or end; None if undated."""
    for key in ("published", "delivery_start", "delivery_end"):
        found = re.match(r"\s*(\d{4})", str(need.get(key) or ""))
        if found:
            return int(found.group(1))
    return None


@dataclass
class NeedIndex:
    """Open needs by every node they fall under (their technologies and those technologies' ancestors),
    and every node's demand counts (DEMAND_KEYS) for a focus country."""

    by_node: dict[str, list[dict[str, Any]]]
    met: dict[str, bool]
    demand: dict[str, dict[str, int]] = field(default_factory=dict)

    @classmethod
    def build(cls, atlas: AnalysisAtlas, country: str | None = None, as_of: date | None = None) -> NeedIndex:
        """`country`: the focus country whose buyers are domestic; `as_of`: the day the last ten years end."""
        by_node: dict[str, list[dict[str, Any]]] = {}
        met: dict[str, bool] = {}
        demand: dict[str, dict[str, int]] = {}
        since = (as_of or date.today()).year - DEMAND_YEARS + 1
        buyer_country = dict(zip(atlas.org_ids, atlas.org_country, strict=True))
        for need in atlas.needs:
            if need["status"] == "open":
                met[need["id"]] = _can_meet(atlas, need)
                domestic = country is not None and buyer_country.get(need.get("buyer_org_id") or "") == country
                key = "open_domestic" if domestic else "open_foreign"
            elif need["status"] == "awarded" and (award_year(need) or 0) >= since:
                key = "awarded_recent"
            else:
                continue
            for node in _nodes_of(atlas, need):
                counts = demand.setdefault(node, dict.fromkeys(DEMAND_KEYS, 0))
                counts[key] += 1
                if need["status"] == "open":
                    by_node.setdefault(node, []).append(need)
        return cls(by_node, met, demand)


def chosen_assessment(assessments: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The assessment the analysis uses for a node (the documented rule, CONTEXT_ORDER): independent before
    self-assessed, DEMO then power plant then ITER then unstated context, then the newest; ties by id."""
    if not assessments:
        return None

    def key(row: dict[str, Any]) -> tuple[Any, ...]:
        context = row.get("context") or "general"
        rank = CONTEXT_ORDER.index(context) if context in CONTEXT_ORDER else len(CONTEXT_ORDER)
        return (bool(row.get("self_assessed")), rank, _negated(str(row.get("date") or "")), row["id"])

    return min(assessments, key=key)


def _negated(text: str) -> tuple[int, ...]:
    # Newest first inside a min(): compare dates by their negated characters.
    return tuple(-ord(c) for c in text)


def plant_targets(tech: dict[str, Any]) -> list[dict[str, Any]]:
    """The node's DEMO- or plant-class targets (ITER's are not a plant's)."""
    return [t for t in tech.get("targets") or [] if _PLANT_CLASS.search(str(t.get("plant") or ""))]


def assessments_by_node(atlas: AnalysisAtlas) -> dict[str, list[dict[str, Any]]]:
    """The assessments grouped by technology once, so that measuring every node stays linear."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in atlas.assessments:
        grouped.setdefault(row["technology_id"], []).append(row)
    return grouped


def measure(
    atlas: AnalysisAtlas,
    tech_id: str,
    country: str,
    partners: list[str],
    needs: NeedIndex | None = None,
    assessed: dict[str, list[dict[str, Any]]] | None = None,
) -> TechnologyGap:
    """The measures of one node (rolled up over its subtree), before scoring."""
    needs = needs or NeedIndex.build(atlas, country)
    assessed = assessments_by_node(atlas) if assessed is None else assessed
    tech = atlas.technologies[tech_id]
    caps = atlas.caps_under(tech_id)
    orgs = np.unique(atlas.cap_org[caps])
    countries = atlas.org_country[orgs]
    domestic = int((countries == country).sum())
    partner = int(np.isin(countries, partners).sum()) if partners else 0
    own = assessed.get(tech_id, [])
    used = chosen_assessment(own)
    shown = atlas.cap_trl[caps]
    # The assessment used, else (no assessment of the node) the highest TRL a capability states.
    if used is not None:
        best_trl: int | None = int(used["value"])
    else:
        best_trl = int(shown.max()) if len(shown) and shown.max() > 0 else None
    subtree = set(atlas.subtree(tech_id))
    open_needs = [n for n in atlas.needs if n["status"] == "open" and subtree & set(n["technology_ids"] or [])]
    required = max((n["min_trl"] for n in open_needs if n.get("min_trl")), default=None)
    if plant_targets(tech):
        required = max(required or 0, DEMO_REQUIRED_TRL)
    unmet = sorted(n["id"] for n in open_needs if not _can_meet(atlas, n))
    shares = _supplier_shares(atlas, caps, orgs)
    return TechnologyGap(
        technology_id=tech_id,
        name_en=tech["name_en"],
        name_ja=tech["name_ja"],
        score=0.0,
        domestic=domestic,
        partner=partner,
        other=len(orgs) - domestic - partner,
        best_trl=best_trl,
        required_trl=required,
        unmet_needs=unmet,
        hhi=round(float((shares**2).sum()), 4) if len(orgs) else None,
        single_source=len(orgs) == 1,
        single_country=len(orgs) > 0 and len(set(countries)) == 1,
        # Controlled items anywhere below the node make sourcing it from abroad harder.
        export_controlled=any(atlas.technologies[t].get("export_controlled") for t in atlas.subtree(tech_id)),
        demand=dict(needs.demand.get(tech_id) or dict.fromkeys(DEMAND_KEYS, 0)),
        readiness=None
        if used is None
        else {key: used.get(key) for key in ("id", "value", "context", "date", "self_assessed", "source_ids")},
        assessments=len(own),
    )


def components(gap: TechnologyGap) -> dict[str, float]:
    """Each measure as a gap in [0, 1] (1 = the worst), before weighting."""
    readiness = 0.0
    if gap.required_trl:
        readiness = max(0, gap.required_trl - (gap.best_trl or 0)) / 9
    return {
        "domestic": 1.0 / (1 + gap.domestic),
        "partner": 1.0 / (1 + gap.domestic + gap.partner),
        "readiness": readiness,
        "unmet_needs": len(gap.unmet_needs) / (1 + len(gap.unmet_needs)),
        # By number of suppliers (1/n): a capacity-weighted HHI can rise when a large supplier joins,
        # and adding supply must never raise a gap. `hhi` itself reports capacity concentration.
        "concentration": 1.0 / max(1, gap.domestic + gap.partner + gap.other),
        "single_source": 1.0 if gap.single_source or gap.hhi is None else 0.0,
        "single_country": 1.0 if gap.single_country or gap.hhi is None else 0.0,
        "export_control": 1.0 if gap.export_controlled else 0.0,
        # Demonstrated demand: 0 with no recent award, 1/2 with one, 2/3 with two, towards 1.
        "demand": gap.demand["awarded_recent"] / (1 + gap.demand["awarded_recent"]),
    }


@lru_cache(maxsize=2)
def _territories(lang: str) -> dict[str, str]:
    return dict(Locale(lang).territories)


def programmes(atlas: AnalysisAtlas) -> dict[str, tuple[str, str]]:
    """The programme each path record names, (English, Japanese), by path id: what the reasons show."""
    out = {}
    for path in atlas.paths:
        english = path.get("programme_en") or path.get("programme_ja") or ""
        out[path["id"]] = (english, path.get("programme_ja") or english)
    return out


def _named(path_ids: list[str], names: dict[str, tuple[str, str]], lang: int) -> str:
    """The programmes of the path records, each once in the order first named (ids stay in the JSON)."""
    shown = dict.fromkeys(names[p][lang] if names.get(p, ("", ""))[lang] else p for p in path_ids)
    return ("、" if lang else ", ").join(shown)


def _count(n: int, noun: str) -> str:
    """ "1 need", "2 needs": the English reasons' counts (the Japanese ones take 件 either way)."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def reasons(gap: TechnologyGap, country: str, names: dict[str, tuple[str, str]] | None = None) -> list[Reason]:
    """Plain-language reasons, biggest first, in both languages: the country by its name and the path by the
    programmes its records name (`names`, from `programmes`), never by code or id."""
    out: list[Reason] = []
    total = gap.domestic + gap.partner + gap.other
    code = country
    country, country_ja = _territories("en").get(code, code), _territories("ja").get(code, code)
    if gap.category == "not pursued":
        out.append(
            Reason(
                f"Not pursued in {country}: off its path, no domestic activity and no demand.",
                f"{country_ja}では取り組まれていません（路線外で、国内の活動も需要もありません）。",
            )
        )
    elif gap.path_ids:
        names = names or {}
        out.append(
            Reason(
                f"On {country}'s path ({_named(gap.path_ids, names, 0)}).",
                f"{country_ja}の路線上にあります（{_named(gap.path_ids, names, 1)}）。",
            )
        )
    if gap.category == "not surveyed":
        out.append(
            Reason(
                "Not surveyed: no organization anywhere in the atlas supplies it yet.",
                "未調査：アトラスにはまだ供給する組織が世界のどこにも記録されていません。",
            )
        )
    if total == 0 and gap.category != "not surveyed":
        out.append(Reason("No organization in the atlas can supply it.", "アトラスに供給可能な組織がありません。"))
    elif gap.domestic == 0:
        out.append(
            Reason(
                f"No capable organization in {country}; {total} elsewhere.",
                f"{country_ja}に供給可能な組織がなく、国外に{total}組織のみ。",
            )
        )
    elif gap.domestic == 1:
        out.append(
            Reason(f"Only one capable organization in {country}.", f"{country_ja}の供給可能な組織は1つだけです。")
        )
    if gap.unmet_needs:
        out.append(
            Reason(
                f"{_count(len(gap.unmet_needs), 'open need')} that no capable organization can meet.",
                f"供給可能な組織のない未充足ニーズが{len(gap.unmet_needs)}件あります。",
            )
        )
    if gap.required_trl and (gap.best_trl or 0) < gap.required_trl:
        shown, shown_ja = str(gap.best_trl or "none"), str(gap.best_trl or "なし")
        if gap.readiness:
            context = gap.readiness["context"]
            shown = f"{gap.best_trl}, {context} {gap.readiness['date']}"
            shown_ja = f"{gap.best_trl}、{CONTEXT_JA.get(context, context)} {gap.readiness['date']}"
        out.append(
            Reason(
                f"Readiness shown ({shown}) is below the TRL {gap.required_trl} "
                "that needs or plant-class targets require.",
                f"実証済みの技術成熟度（{shown_ja}）が、ニーズまたは原型炉級目標の求める"
                f"TRL {gap.required_trl}に届いていません。",
            )
        )
    if total == 1:
        out.append(Reason("A single supplier worldwide.", "世界で供給者が1者のみです。"))
    elif gap.single_country:
        out.append(Reason("Every supplier is in one country.", "供給者がすべて1か国に集中しています。"))
    elif gap.hhi is not None and gap.hhi >= 0.25:
        out.append(
            Reason(f"Supply is concentrated (HHI {gap.hhi:.2f}).", f"供給が集中しています（HHI {gap.hhi:.2f}）。")
        )
    if gap.export_controlled:
        out.append(
            Reason(
                "A source marks items of this technology as export-controlled.",
                "出典によれば、この技術の品目は輸出管理の対象です。",
            )
        )
    # Demand raises a gap rather than making one: its reasons come last.
    pressure = gap.relevance_inputs.get("scenario_demand", 0.0)
    if pressure:
        share = round(pressure * 100)
        out.append(
            Reason(
                f"Deployment scenario demand reaches {share}% of the makers' capacity"
                + (" or more." if pressure >= 1 else "."),
                f"導入シナリオの需要が製造能力の{share}%" + ("以上に達します。" if pressure >= 1 else "に達します。"),
            )
        )
    if gap.category != "not pursued" and gap.relevance_inputs.get("skills", 0.0) >= 0.5:
        out.append(
            Reason(
                f"Skills it needs are in short supply in {country} (few training offers for the demand).",
                f"{country_ja}では必要な技能の人材が不足しています（需要に比べ育成の場が少ない）。",
            )
        )
    if gap.demand["awarded_recent"]:
        out.append(
            Reason(
                f"{_count(gap.demand['awarded_recent'], 'need')} awarded in the last {DEMAND_YEARS} years: "
                "demand is shown.",
                f"過去{DEMAND_YEARS}年に発注済みのニーズが{gap.demand['awarded_recent']}件あり、需要が実証されています。",
            )
        )
    return out


def shortfall(gap: TechnologyGap, weights: dict[str, float]) -> float:
    return round(sum(weights[name] * value for name, value in components(gap).items()), 4)


def score(gap: TechnologyGap, weights: dict[str, float]) -> float:
    """Relevance x shortfall (the relevance already computed for the node)."""
    return round(gap.relevance * shortfall(gap, weights), 4)


def on_path(atlas: AnalysisAtlas, country: str) -> dict[str, list[str]]:
    """Nodes on the country's path, each with the path records that put it there: a named node, every node
    below it (the systems it needs) but those the path excludes, and every node above it (the area that
    holds it)."""
    found: dict[str, list[str]] = {}
    for path in atlas.paths:
        if path["country"] != country or path["technology_id"] not in atlas.technologies:
            continue
        nodes = set(atlas.subtree(path["technology_id"]))
        for excluded in path.get("excludes") or []:
            if excluded in atlas.technologies:
                nodes -= set(atlas.subtree(excluded))
        parent = atlas.technologies[path["technology_id"]]["parent"]
        while parent and parent in atlas.technologies:
            nodes.add(parent)
            parent = atlas.technologies[parent]["parent"]
        for node in nodes:
            found.setdefault(node, []).append(path["id"])
    return {node: sorted(ids) for node, ids in found.items()}


def relevance_inputs(
    gap: TechnologyGap, path: bool, extra: dict[str, dict[str, float]] | None = None
) -> dict[str, float]:
    """Each relevance input in [0, 1], before weighting (RELEVANCE_WEIGHTS)."""
    wanted = gap.demand["open_domestic"] + gap.demand["awarded_recent"]
    values = {
        "path": 1.0 if path else 0.0,
        "domestic_activity": 1.0 if gap.domestic else 0.0,
        "needs": wanted / (1 + wanted),
        "scenario_demand": 0.0,
        "skills": 0.0,
    }
    for name, per_node in (extra or {}).items():
        if name not in ("scenario_demand", "skills"):
            raise GapError(f"unknown relevance input {name!r}; inputs given from outside: scenario_demand, skills")
        values[name] = min(1.0, max(0.0, float(per_node.get(gap.technology_id, 0.0))))
    return values


def category(gap: TechnologyGap, path: bool) -> str:
    """gap, not surveyed or not pursued (CATEGORIES): on the path is never "not pursued"."""
    relevant = path or gap.domestic > 0 or any(gap.relevance_inputs.get(k) for k in ("needs", "scenario_demand"))
    if not relevant:
        return "not pursued"
    if gap.domestic + gap.partner + gap.other == 0:
        return "not surveyed"
    return "gap"


def rank_key(gap: TechnologyGap) -> tuple[Any, ...]:
    """The documented order: category (gap, not surveyed, not pursued), score, then relevance, then more
    path records naming it (more of the country's programmes need it), then the country's own demand, then
    fewer suppliers worldwide, then id."""
    wanted = gap.demand["open_domestic"] + gap.demand["awarded_recent"]
    suppliers = gap.domestic + gap.partner + gap.other
    return (
        CATEGORIES.index(gap.category),
        -gap.score,
        -gap.relevance,
        -len(gap.path_ids),
        -wanted,
        suppliers,
        gap.technology_id,
    )


def analyse(
    atlas: AnalysisAtlas,
    country: str = "JP",
    partners: list[str] | None = None,
    weights: dict[str, float] | None = None,
    as_of: date | None = None,
    inputs: dict[str, dict[str, float]] | None = None,
    scenario: str | None = None,
) -> GapReport:
    """Every node of the map in the order of `rank_key`; recent awards are those of the ten years to
    `as_of` (today by default). `inputs` gives the hooked relevance inputs per node (scenario_demand,
    skills), each in [0, 1] (gap_inputs.read_gap_inputs reads them; `scenario` names the scenario that gave the
    demand); `weights` may name shortfall and relevance weights alike."""
    country = check_country(country)
    partners = [check_country(p) for p in partners or [] if p.strip()]
    if country in partners:
        raise GapError(f"{country} is the focus country; it cannot also be a partner")
    given = weights or {}
    weights = check_weights(given)
    relevance_weights = check_weights(given, RELEVANCE_WEIGHTS)
    needs = NeedIndex.build(atlas, country, as_of)
    path = on_path(atlas, country)
    names = programmes(atlas)
    assessed = assessments_by_node(atlas)
    # With no path recorded for the country, nothing can be off its path.
    recorded = bool(path)
    gaps = []
    for tech_id in atlas.technologies:
        gap = measure(atlas, tech_id, country, partners, needs, assessed)
        gap.components = {name: round(value, 4) for name, value in components(gap).items()}
        gap.path_ids = path.get(tech_id, [])
        named = bool(gap.path_ids) or not recorded
        gap.relevance_inputs = {k: round(v, 4) for k, v in relevance_inputs(gap, named, inputs).items()}
        gap.category = category(gap, named)
        # A node not pursued is irrelevant whatever its skills shortfall: skills only raise relevant nodes.
        relevant = gap.category != "not pursued"
        gap.relevance = round(sum(relevance_weights[k] * v for k, v in gap.relevance_inputs.items()), 4) * relevant
        gap.shortfall = shortfall(gap, weights)
        gap.score = round(gap.relevance * gap.shortfall, 4)
        gap.reasons = reasons(gap, country, names)
        gaps.append(gap)
    gaps.sort(key=rank_key)
    return GapReport(
        country,
        partners,
        {k: round(v, 4) for k, v in weights.items()},
        gaps,
        {k: round(v, 4) for k, v in relevance_weights.items()},
        recorded,
        scenario if inputs and "scenario_demand" in inputs else None,
    )


def sensitivity(report: GapReport, top: int = 10, change: float = 0.5) -> list[dict[str, Any]]:
    """How the top of the ranking moves when each weight moves by +/-`change` (relative), the others rescaled.

    For each weight and direction: how many of the top `top` stay in the top `top`, and which node
    moves the most.
    """
    base = [g.technology_id for g in report.technologies]
    base_rank = {tech: i for i, tech in enumerate(base)}
    out = []
    for name in report.weights:
        for direction in (-1, 1):
            raw = dict(report.weights)
            raw[name] = raw[name] * (1 + direction * change)
            try:
                weights = check_weights(raw)
            except GapError:
                continue
            ranked = sorted(
                report.technologies,
                key=lambda g: (CATEGORIES.index(g.category), -score(g, weights), g.technology_id),
            )
            order = [g.technology_id for g in ranked]
            moves = {tech: base_rank[tech] - i for i, tech in enumerate(order)}
            mover = max(moves, key=lambda tech: (abs(moves[tech]), tech))
            out.append(
                {
                    "weight": name,
                    "change": f"{'+' if direction > 0 else '-'}{int(change * 100)}%",
                    "top_kept": len(set(order[:top]) & set(base[:top])),
                    "biggest_move": {"technology_id": mover, "places": moves[mover]},
                }
            )
    return out


def breakdown(atlas: AnalysisAtlas, tech_id: str, country: str, partners: list[str]) -> dict[str, Any]:
    """The organizations and needs behind one node's figures, for drill-down."""
    if tech_id not in atlas.technologies:
        raise GapError(f"unknown technology id {tech_id!r}")
    caps = atlas.caps_under(tech_id)
    groups: dict[str, list[dict[str, Any]]] = {"domestic": [], "partner": [], "other": []}
    for org in np.unique(atlas.cap_org[caps]):
        where = atlas.org_country[org]
        group = "domestic" if where == country else "partner" if where in partners else "other"
        name_en, name_ja = atlas.org_names[org]
        groups[group].append({"id": atlas.org_ids[org], "name_en": name_en, "name_ja": name_ja, "country": where})
    needs = NeedIndex.build(atlas)
    open_needs = [
        {"id": n["id"], "title_en": n["title_en"], "title_ja": n["title_ja"], "met": needs.met[n["id"]]}
        for n in needs.by_node.get(tech_id, [])
    ]
    return {**groups, "needs": sorted(open_needs, key=lambda n: n["id"])}
