"""Opportunities for an organization's seeds: real needs they can meet, then technologies their capabilities
transfer to.

Seeds are either an organization's capabilities (the technologies it already supplies) or a free text from a
company not yet in the atlas, tagged against the technology map. The order: open needs and the technologies the
capabilities transfer to, by score; then, apart, needs awarded or closed (the demand evidence: what buyers
bought), by score. Those older than RECENT_YEARS years count only when they ask for the seeds' own technology
(or a broader one it is part of), at half the score. An organization's own needs, and needs already awarded
to it, are never its opportunities. A technology beside a
seed in the map (a sibling: Bi-2212 or MgB2 for a REBCO maker) is a competing product, not an opportunity,
unless a need the audience may see asks for it; a broader or narrower node is where the capability transfers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from fusionatlas.domain.audience import PUBLIC, Audience
from fusionatlas.domain.values import NeedStatus, need_status
from fusionatlas.match.engine import MatchError, Why, shared_words_why
from fusionatlas.match.index import MatchIndex, related
from fusionatlas.text.tokenize import tokens

RECENT_YEARS = 10
# The two groups of opportunities: what a buyer wants now (open needs) and where to grow (technologies), then
# the demand evidence (needs awarded or closed).
OPPORTUNITY, DEMAND_EVIDENCE = 0, 1
# related()'s factor from which an old award still says something: the seeds' own node or one just below it.
DIRECT = 0.8
OLD_AWARD = 0.5  # the share of its score an award older than RECENT_YEARS keeps
SIBLING = 0.3  # related()'s factor for a node beside the seed: an alternative product
# Without a technology in common, the share of a need's words the seeds must hold for it to be shown.
MIN_WORDS_ONLY = 0.15
_KANA_ONLY = re.compile(r"^[\u3040-\u309fー]+$")


def _meaningful(word: str) -> bool:
    """A shared word worth counting: not one character, not a hiragana particle or verb ending (し, する)."""
    return len(word) > 1 and not _KANA_ONLY.match(word)


@dataclass
class Opportunity:
    kind: str  # "need" or "technology"
    id: str
    name_en: str
    name_ja: str | None
    score: float
    why: list[Why] = field(default_factory=list)
    # For needs: the status as of today (an open need past its deadline is closed), its buyer and deadline.
    status: str | None = None
    buyer_org_id: str | None = None
    deadline: str | None = None

    @property
    def group(self) -> int:
        if self.kind == "need" and self.status != NeedStatus.OPEN:
            return DEMAND_EVIDENCE
        return OPPORTUNITY


@dataclass
class Seeds:
    """What an organization brings: technologies (with the term or capability that shows each) and words."""

    technologies: dict[str, str]
    words: tuple[str, ...]
    org_id: str | None = None  # the organization whose seeds these are: its own needs are not opportunities
    text: str = ""  # what the words were read from: the shared words are shown as written there


def seeds_of_organization(index: MatchIndex, org_id: str, audience: Audience = PUBLIC) -> Seeds:
    """The technologies and words of the organization's capabilities that the audience may see."""
    position = index.org_position.get(org_id)
    if position is None or not index.orgs_seen(audience)[position]:
        raise MatchError(f"unknown organization id {org_id!r}")
    technologies: dict[str, str] = {}
    text: list[str] = []
    seen = index.caps_seen(audience)
    for cap in index.caps_of(position):
        if not seen[cap]:
            continue
        record = index.capabilities[cap]
        technologies.setdefault(record["technology_id"], record["evidence_en"] or record["description_en"] or "")
        text += [record["description_en"] or "", record["description_ja"] or ""]
    joined = " ".join(text)
    return Seeds(technologies, tokens(joined), org_id, joined)


def seeds_of_text(index: MatchIndex, text: str) -> Seeds:
    hits = index.tagger.tag(text)
    return Seeds({hit.tech_id: hit.term for hit in hits}, tokens(text), text=text)


def opportunities(
    index: MatchIndex, seeds: Seeds, top: int = 10, audience: Audience = PUBLIC, today: date | None = None
) -> list[Opportunity]:
    """Open needs the seeds meet and technologies the capabilities transfer to, best first; then the demand
    evidence (awarded or closed needs), best first; from what the audience may see."""
    needs, wanted = _needs(index, seeds, audience, (today or date.today()).isoformat())
    found = needs + _adjacent_technologies(index, seeds, audience, wanted)
    found.sort(key=lambda o: (o.group, -o.score, o.id))
    return found[:top]


def _needs(index: MatchIndex, seeds: Seeds, audience: Audience, today: str) -> tuple[list[Opportunity], set[str]]:
    """The needs the seeds meet, and every technology those needs ask for."""
    results = []
    asked: set[str] = set()
    seed_words = set(seeds.words)
    oldest = f"{int(today[:4]) - RECENT_YEARS}{today[4:]}"
    for position, (need, need_words) in enumerate(zip(index.needs, index.need_words, strict=True)):
        if not index.need_seen(position, audience):
            continue
        status = need_status(need["status"], need["deadline"], today)
        if status == NeedStatus.CANCELLED:
            continue
        when = need.get("deadline") or need.get("published") or need.get("delivery_start") or ""
        if seeds.org_id and (need["buyer_org_id"] == seeds.org_id or seeds.org_id in (need["awardee_org_ids"] or [])):
            continue  # its own need, or one it already won: not an opportunity for it
        old = status != NeedStatus.OPEN and (not when or when < oldest)
        wanted = need["technology_ids"] or []
        best, why = 0.0, []
        for tech_id in wanted:
            factors = related(index, tech_id)
            match = max(((factors.get(seed, 0.0), seed) for seed in seeds.technologies), default=(0.0, ""))
            if match[0] > 0:
                best = max(best, match[0])
                have = index.technologies[match[1]]
                want = index.technologies[tech_id]
                why.append(
                    Why(
                        "concept",
                        f"Needs {want['name_en']}; the seeds show {have['name_en']}",
                        f"{want['name_ja']}が必要。シーズに{have['name_ja']}あり",
                        list(need["source_ids"] or []),
                    )
                )
        shared = sorted(w for w in seed_words & need_words if _meaningful(w))
        lexical = len(shared) / max(len(need_words), 1)
        if best == 0 and lexical < MIN_WORDS_ONLY:
            continue  # a word or two in common, and no technology: not a reason to show a need
        if old and best < DIRECT:
            continue  # an old award says little about what buyers want now, unless it bought the seeds' own kind
        score = (0.8 * best + 0.2 * lexical) * (OLD_AWARD if old else 1.0)
        if shared and (words_why := shared_words_why(seeds.text, set(shared))) is not None:
            why.append(words_why)
        asked.update(wanted)
        results.append(
            Opportunity(
                "need",
                need["id"],
                need["title_en"],
                need["title_ja"],
                round(score, 4),
                why,
                status=status,
                buyer_org_id=need["buyer_org_id"],
                deadline=need["deadline"],
            )
        )
    return results, asked


def _adjacent_technologies(index: MatchIndex, seeds: Seeds, audience: Audience, wanted: set[str]) -> list[Opportunity]:
    """Technologies the seeds' capabilities transfer to (broader or narrower nodes) that the seeds do not already
    cover: where to grow. A sibling (a competing product) only when a need asks for it (`wanted`)."""
    scores: dict[str, tuple[float, str]] = {}
    seen = index.caps_seen(audience)
    for seed in seeds.technologies:
        for tech_id, factor in related(index, seed).items():
            if tech_id in seeds.technologies or factor >= 1.0:
                continue
            if factor <= SIBLING and _beside(index, seed, tech_id) and tech_id not in wanted:
                continue
            # Adjacent markets count for less than a need that is waiting to be met.
            value = 0.6 * factor
            if value > scores.get(tech_id, (0.0, ""))[0]:
                scores[tech_id] = (value, seed)
    results = []
    for tech_id, (score, seed) in scores.items():
        tech, origin = index.technologies[tech_id], index.technologies[seed]
        why = [
            Why(
                "concept",
                f"Next to {origin['name_en']} in the technology map",
                f"技術マップ上で{origin['name_ja']}に隣接",
                list(tech["source_ids"] or []),
            )
        ]
        # Organizations, as the technology map counts them: with a capability on the node or below it. Count
        # only what the caller may see: a count of hidden records still discloses them.
        suppliers = _suppliers(index, tech_id, seen)
        why.append(
            Why(
                "evidence",
                f"{suppliers} organization in the atlas has capabilities on it or a narrower technology"
                if suppliers == 1
                else f"{suppliers} organizations in the atlas have capabilities on it or a narrower technology",
                f"この技術(下位の技術を含む)の技術能力を持つ組織: アトラスに{suppliers}件",
            )
        )
        results.append(Opportunity("technology", tech_id, tech["name_en"], tech["name_ja"], round(score, 4), why))
    return results


def _suppliers(index: MatchIndex, tech_id: str, seen: np.ndarray) -> int:
    """How many organizations have a capability the audience sees on `tech_id` or a node below it."""
    organizations: set[int] = set()
    stack = [tech_id]
    while stack:
        node = stack.pop()
        caps = index.tech_caps.get(node)
        if caps is not None:
            organizations.update(int(o) for o in index.cap_org[caps[seen[caps]]])
        stack.extend(index.children.get(node, []))
    return len(organizations)


def _beside(index: MatchIndex, seed: str, tech_id: str) -> bool:
    """Whether two nodes share their parent (alternatives to each other)."""
    parent = index.technologies.get(seed, {}).get("parent")
    return parent is not None and index.technologies.get(tech_id, {}).get("parent") == parent
