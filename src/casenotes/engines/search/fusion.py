"""Rank fusion: merge ranked lists without comparing their incomparable scores.

``reciprocal_rank_fusion`` fuses items (passages) directly. ``grouped_rank_fusion`` fuses the
groups they belong to (notes) first: a note's rank in a list is the rank of its best passage
there, so a note that one ranking puts first and the other ranks lower by another of its
passages still gets credit from both, where passage-level fusion would count two half-found
passages. Items then follow their group, best item first.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
G = TypeVar("G", bound=Hashable)

#: The usual constant of reciprocal rank fusion (Cormack et al., 2009); it damps the lead of
#: the first few ranks so that agreement between lists counts for more than one list's top.
RRF_K = 60


def reciprocal_rank_fusion(rankings: Sequence[Sequence[K]], *, k: int = RRF_K,
                           weights: Sequence[float] | None = None) -> list[tuple[K, float]]:
    """Items ordered by the sum of ``weight / (k + rank)`` over the lists they appear in."""
    scores: dict[K, float] = {}
    for i, ranking in enumerate(rankings):
        weight = weights[i] if weights else 1.0
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda pair: (-pair[1], str(pair[0])))


def grouped_rank_fusion(rankings: Sequence[Sequence[K]], group: Callable[[K], G], *,
                        k: int = RRF_K, weights: Sequence[float] | None = None,
                        per_group: int | None = None) -> list[tuple[K, float]]:
    """Items ordered by their group's fused score, then by their own; each with its group's
    score. ``per_group`` keeps only that many items of each group."""
    groups: list[list[G]] = []
    for ranking in rankings:
        seen: dict[G, None] = {}
        for item in ranking:
            seen.setdefault(group(item))
        groups.append(list(seen))
    group_score = dict(reciprocal_rank_fusion(groups, k=k, weights=weights))
    items = reciprocal_rank_fusion(rankings, k=k, weights=weights)
    ordered = sorted(items, key=lambda pair: (-group_score[group(pair[0])], -pair[1],
                                              str(pair[0])))
    kept: list[tuple[K, float]] = []
    counts: dict[G, int] = {}
    for item, _ in ordered:
        g = group(item)
        counts[g] = counts.get(g, 0) + 1
        if per_group is None or counts[g] <= per_group:
            kept.append((item, group_score[g]))
    return kept
