"""Suggested meetings: for one participant, counterparts found both ways by the matching engine, with reasons.

- "they can help you": the participant's needs (what they seek) matched against the capabilities of the other
  participants' organizations (match/engine.py `match`, as the asking user may see the atlas);
- "you can help them": each other participant's needs matched the same way, kept when the participant's own
  organization is among the organizations found.
Only participants whose profile is shown (consent) and who belong to another organization are suggested.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fusionatlas.domain.audience import Audience
from fusionatlas.events.core import Participant
from fusionatlas.match.engine import MatchError, Why, match
from fusionatlas.match.index import MatchIndex

TOP = 50  # organizations read per query: enough to reach every participant of a large event's field


@dataclass
class Suggestion:
    participant: Participant
    score: float
    they_help: list[Why] = field(default_factory=list)  # my needs x their capabilities
    i_help: list[Why] = field(default_factory=list)  # their needs x my capabilities


def _found(index: MatchIndex, text: str, audience: Audience) -> dict[str, tuple[float, list[Why]]]:
    if not text.strip():
        return {}
    return _cached(index, text.strip(), audience)


# "You can help them" asks the engine once per other participant: at a large event a page view would repeat
# hundreds of queries. Results are kept for the current index only (a new data version builds a new index object,
# and the cache starts again, so a stale answer is never served), per query text and audience.
_CACHE: dict[str, Any] = {"index": None, "results": {}}
_CACHE_SIZE = 4096


def _cached(index: MatchIndex, text: str, audience: Audience) -> dict[str, tuple[float, list[Why]]]:
    if _CACHE["index"] is not index:
        _CACHE.update(index=index, results={})
    results: dict[tuple[str, Audience], dict[str, tuple[float, list[Why]]]] = _CACHE["results"]
    key = (text, audience)
    if key not in results:
        try:
            found = match(index, text, top=TOP, audience=audience)
        except MatchError:
            return {}
        if len(results) >= _CACHE_SIZE:
            results.clear()
        results[key] = {r.org_id: (r.score, r.why) for r in found.results}
    return results[key]


def suggestions(
    index: MatchIndex, me: Participant, others: list[Participant], audience: Audience, limit: int = 20
) -> list[Suggestion]:
    """Best first: the sum of both ways' scores."""
    candidates = [p for p in others if p.id != me.id and p.consent and p.org_id and p.org_id != me.org_id]
    mine = _found(index, me.seeks, audience)
    found: dict[int, Suggestion] = {}
    for other in candidates:
        assert other.org_id is not None
        if other.org_id in mine:
            score, why = mine[other.org_id]
            found[other.id] = Suggestion(other, score, they_help=why)
        if me.org_id:
            theirs = _found(index, other.seeks, audience)
            if me.org_id in theirs:
                score, why = theirs[me.org_id]
                entry = found.setdefault(other.id, Suggestion(other, 0.0))
                entry.score += score
                entry.i_help = why
    return sorted(found.values(), key=lambda s: (-s.score, s.participant.id))[:limit]
