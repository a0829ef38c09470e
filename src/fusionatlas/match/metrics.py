"""Ranking metrics over labelled needs: recall@k, MRR and nDCG@k (binary relevance)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from collections.abc import Set as AbstractSet


def recall_at(ranked: Sequence[str], relevant: AbstractSet[str], k: int) -> float:
    """Share of the relevant organizations found in the first k results."""
    if not relevant:
        return 0.0
    return len(relevant & set(ranked[:k])) / len(relevant)


def reciprocal_rank(ranked: Sequence[str], relevant: AbstractSet[str]) -> float:
    """1 / rank of the first relevant result; 0 when none is ranked."""
    for rank, item in enumerate(ranked, start=1):
        if item in relevant:
            return 1.0 / rank
    return 0.0


def ndcg_at(ranked: Sequence[str], relevant: AbstractSet[str], k: int) -> float:
    """Discounted gain of the first k results over the best possible ordering."""
    gain = sum(1.0 / math.log2(rank + 1) for rank, item in enumerate(ranked[:k], start=1) if item in relevant)
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(len(relevant), k) + 1))
    return gain / ideal if ideal else 0.0
