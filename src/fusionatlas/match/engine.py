"""Ranking: organizations that can meet a need, and opportunities that fit an organization's seeds.

A capability scores 0.9 x lexical match (BM25 over its evidence and description, scaled to the best
document) + 0.1 x concept match (how well its technology answers the technology-map nodes the need
names, partly through parents and children). An organization takes its best capability plus 0.1 x
BM25 of its own description, and 0.05 more when a matching capability reaches the required readiness.
Records written in one language only meet a need in the other through bridge tokens (match/index.py).
Each result carries its reasons.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from fusionatlas.domain.audience import PUBLIC, Audience
from fusionatlas.domain.values import MAX_TOP, parse_country, parse_org_kind
from fusionatlas.match.index import MatchIndex, bridge_token, related
from fusionatlas.text.concepts import ConceptHit
from fusionatlas.text.tokenize import shown_words, tokens

# Weights of a capability's score: its text and its technology; then the share of an organization's own
# description, and the bonus for reaching the required readiness. Chosen on the labelled needs of
# tests/data under both evaluation conditions (docs/matching.md gives the sweep).
TEXT_WEIGHT, CONCEPT_WEIGHT = 0.9, 0.1
ORG_TEXT_WEIGHT, READINESS_BONUS = 0.1, 0.05
MAX_QUERY = 5000  # characters read from a query; the rest is ignored and the note says so
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


class MatchError(ValueError):
    """Input the matcher cannot use; the message says why."""


@dataclass
class Why:
    kind: str
    en: str
    ja: str
    source_ids: list[str] = field(default_factory=list)


@dataclass
class OrgResult:
    org_id: str
    name_en: str
    name_ja: str | None
    country: str
    kind: str
    score: float
    technologies: list[str]
    why: list[Why]


@dataclass
class MatchResult:
    query: str
    language: str
    concepts: list[dict[str, Any]]
    results: list[OrgResult]
    note: str | None


def language_of(text: str) -> str:
    return "ja" if _JAPANESE.search(text) else "en"


def check_country(country: str | None) -> str | None:
    """The domain's country check (domain/values.py parse_country), as a MatchError."""
    try:
        return parse_country(country)
    except ValueError as error:
        raise MatchError(str(error)) from None


def check_kind(kind: str | None) -> str | None:
    """The domain's organization-kind check (domain/values.py parse_org_kind), as a MatchError."""
    try:
        return parse_org_kind(kind)
    except ValueError as error:
        raise MatchError(str(error)) from None


def concept_factors(index: MatchIndex, concepts: list[ConceptHit], seen: np.ndarray) -> np.ndarray:
    """Per capability: how well its technology answers the concepts, in [0, 1] (tree-aware)."""
    factors = np.zeros(len(index.capabilities), dtype=np.float32)
    strongest = max((c.weight for c in concepts), default=1.0)
    for concept in concepts:
        for tech_id, factor in related(index, concept.tech_id).items():
            caps = index.tech_caps.get(tech_id)
            if caps is not None:  # a node's capabilities are distinct, so plain indexing is safe (and far
                # faster than np.maximum.at)
                factors[caps] = np.maximum(factors[caps], factor * concept.weight / strongest)
    factors[~seen] = 0.0
    return factors


def lexical_scores(index: MatchIndex, words: tuple[str, ...], audience: Audience) -> np.ndarray:
    """Per document (capabilities, then organizations): BM25 scaled to the best document the audience sees.

    The word statistics are those of the documents its level sees: hidden records never move a score."""
    scores = index.bm25.scores(words, audience.level)
    scores[~index.docs_seen(audience)] = 0.0
    best = scores.max() if len(scores) else 0.0
    return scores / best if best > 0 else scores


def rank_scores(
    index: MatchIndex,
    concepts: list[ConceptHit],
    words: tuple[str, ...],
    language: str,
    audience: Audience,
    lexical_only: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Per organization its score, and per capability its own score.

    A capability scores by its text (BM25) and its technology (concept factor); an organization by its
    best capability plus a share of its own description's match.
    """
    # A need names technologies; records written only in the other language meet it through them.
    bridges = tuple(bridge_token(language, c.tech_id) for c in concepts) if not lexical_only else ()
    lexical = lexical_scores(index, words + bridges, audience)
    n_caps = len(index.capabilities)
    cap_lexical, org_lexical = lexical[:n_caps], lexical[n_caps:]
    # Without concepts (the baseline, or a query naming no technology) this is plain BM25 by best document.
    plain = lexical_only or not concepts
    if plain:
        cap_score = cap_lexical
    else:
        factors = concept_factors(index, concepts, index.caps_seen(audience))
        cap_score = TEXT_WEIGHT * cap_lexical + CONCEPT_WEIGHT * factors
    combined = index.best_per_org(cap_score)
    combined = np.maximum(combined, org_lexical) if plain else combined + ORG_TEXT_WEIGHT * org_lexical
    return combined, cap_score


def match(
    index: MatchIndex,
    text: str,
    top: int = 10,
    country: str | None = None,
    kind: str | None = None,
    min_trl: int | None = None,
    audience: Audience = PUBLIC,
    lexical_only: bool = False,
    exclude: Collection[str] = (),
) -> MatchResult:
    """Organizations able to meet the need described by `text`, best first, with reasons, from what the
    audience may see. `lexical_only` ranks by BM25 alone over the same documents: the evaluation's baseline.
    `exclude` names organizations never proposed (a need's own buyer is not its supplier).
    """
    country, kind = check_country(country), check_kind(kind)
    if not 1 <= top <= MAX_TOP:
        raise MatchError(f"top must be from 1 to {MAX_TOP}, not {top}")
    query = (text or "").strip()
    note = None
    if len(query) > MAX_QUERY:
        query, note = query[:MAX_QUERY], f"the query was cut to its first {MAX_QUERY} characters"
    language = language_of(query)
    concepts = [] if lexical_only else index.tagger.tag(query)
    words = tokens(query)
    if not concepts and not words:
        return MatchResult(text, language, [], [], "the query holds no words or technology names to match")
    score, cap_score = rank_scores(index, concepts, words, language, audience, lexical_only)
    if min_trl is not None:
        ready = np.where(index.cap_trl >= min_trl, cap_score, 0.0)
        score = score + READINESS_BONUS * (index.best_per_org(ready) > 0)
    allowed = index.orgs_seen(audience) & (score > 0)
    if country:
        allowed &= np.fromiter((o["country"] == country for o in index.organizations), bool, len(index.organizations))
    if kind:
        allowed &= np.fromiter((o["kind"] == kind for o in index.organizations), bool, len(index.organizations))
    for org_id in exclude:
        if (position := index.org_position.get(org_id)) is not None:
            allowed[position] = False
    candidates = np.nonzero(allowed)[0]
    shortlist = candidates[np.argsort(-score[candidates], kind="stable")[: top * 3]]
    order = sorted(shortlist, key=lambda i: (-round(float(score[i]), 6), index.organizations[i]["id"]))[:top]
    caps_seen = index.caps_seen(audience)
    results = [_org_result(index, int(i), float(score[i]), concepts, query, words, caps_seen, cap_score) for i in order]
    if not results:
        note = note or _empty_note(concepts, country, kind)
    elif not concepts and not lexical_only:
        note = note or "no technology of the map was recognised in the query; ranked by its words only"
    described = [_describe_concept(index, c) for c in concepts]
    return MatchResult(text, language, described, results, note)


def _empty_note(concepts: list[ConceptHit], country: str | None, kind: str | None) -> str:
    filters = ", ".join(f for f in (f"country {country}" if country else "", f"kind {kind}" if kind else "") if f)
    if concepts and filters:
        return f"no organization with {filters} supplies the technologies named"
    if concepts:
        return "no organization in the atlas has a capability on the technologies named"
    return "no organization's records share the query's words" + (f" (with {filters})" if filters else "")


def _describe_concept(index: MatchIndex, hit: ConceptHit) -> dict[str, Any]:
    tech = index.technologies[hit.tech_id]
    return {"id": hit.tech_id, "name_en": tech["name_en"], "name_ja": tech["name_ja"], "weight": hit.weight}


def _org_result(
    index: MatchIndex,
    position: int,
    score: float,
    concepts: list[ConceptHit],
    query: str,
    words: tuple[str, ...],
    caps_seen: np.ndarray,
    cap_score: np.ndarray,
) -> OrgResult:
    org = index.organizations[position]
    caps = [int(i) for i in index.caps_of(position) if caps_seen[i]]
    why: list[Why] = []
    matched_techs: list[str] = []
    evidence_cap: int | None = None
    for concept in concepts:
        factors = related(index, concept.tech_id)
        scored = sorted(((factors.get(index.capabilities[i]["technology_id"], 0.0), i) for i in caps), reverse=True)
        if not scored or scored[0][0] == 0:
            continue
        factor, cap = scored[0]
        tech_id = index.capabilities[cap]["technology_id"]
        matched_techs.append(tech_id)
        why.append(_concept_why(index, concept, tech_id, factor, index.capabilities[cap]["source_ids"] or []))
    shared = shared_words_why(query, _shared_words(index, caps, position, words))
    if shared:
        why.append(shared)
    if caps and cap_score[caps].max() > 0:
        evidence_cap = caps[int(np.argmax(cap_score[caps]))]
    if evidence_cap is not None:
        record = index.capabilities[evidence_cap]
        en = record["evidence_en"] or record["description_en"] or ""
        ja = record["evidence_ja"] or record["description_ja"] or en
        if en or ja:
            why.append(Why("evidence", en or ja, ja, list(record["source_ids"] or [])))
    return OrgResult(
        org_id=org["id"],
        name_en=org["name_en"],
        name_ja=org["name_ja"],
        country=org["country"],
        kind=org["kind"],
        score=round(score, 4),
        technologies=sorted(set(matched_techs)),
        why=why,
    )


def _cap_text(index: MatchIndex, cap: int) -> str:
    c = index.capabilities[cap]
    return " ".join(filter(None, (c["description_en"], c["description_ja"], c["evidence_en"], c["evidence_ja"])))


def _shared_words(index: MatchIndex, caps: list[int], position: int, words: tuple[str, ...]) -> set[str]:
    """The query's tokens that the organization's description or its capabilities hold."""
    org = index.organizations[position]
    vocabulary: set[str] = set(tokens(" ".join(filter(None, (org["description_en"], org["description_ja"])))))
    for cap in caps:
        vocabulary |= set(tokens(_cap_text(index, cap)))
    return vocabulary & set(words)


def shared_words_why(text: str, shared: set[str]) -> Why | None:
    """The reason "shared words": the words of `text` (the query or the seeds) whose tokens are `shared`, as
    written there, without stop-words or numbers. English pages show the Latin words only; Japanese pages the
    Japanese words, or the Latin ones when there are none. A side with no word is empty (and not shown)."""
    latin, japanese = shown_words(text, shared)
    if not latin and not japanese:
        return None
    en = "Shared words: " + ", ".join(latin) if latin else ""
    return Why("term", en, "共通する語: " + "、".join(japanese or latin))


def _concept_why(index: MatchIndex, concept: ConceptHit, tech_id: str, factor: float, sources: list[str]) -> Why:
    wanted = index.technologies[concept.tech_id]
    has = index.technologies[tech_id]
    if tech_id == concept.tech_id:
        return Why(
            "concept",
            f"Capability in {has['name_en']} (the query names “{concept.term}”)",
            f"{has['name_ja']}の実績あり（「{concept.term}」に該当）",
            list(sources),
        )
    relation_en, relation_ja = (
        ("a narrower technology than", "より具体的な技術")
        if factor >= 0.6
        else ("a technology related to", "関連する技術")
    )
    return Why(
        "concept",
        f"Capability in {has['name_en']}, {relation_en} {wanted['name_en']} (the query names “{concept.term}”)",
        f"{wanted['name_ja']}に{relation_ja}である{has['name_ja']}の実績あり（「{concept.term}」に該当）",
        list(sources),
    )
