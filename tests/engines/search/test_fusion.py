"""Rank fusion of passages and of the notes they belong to."""

from __future__ import annotations

from casenotes.engines.search import grouped_rank_fusion, reciprocal_rank_fusion

NOTE = {"a1": "A", "a2": "A", "a3": "A", "a4": "A", "b1": "B", "c1": "C"}


def test_a_note_first_in_both_rankings_by_different_passages_leads_the_fused_list() -> None:
    keyword = ["a1", "c1", "b1"]
    semantic = ["a2", "c1", "b1"]
    # Passage fusion prefers c1, found twice at rank 2, over a1 and a2, found once each.
    assert reciprocal_rank_fusion([keyword, semantic])[0][0] == "c1"
    fused = grouped_rank_fusion([keyword, semantic], NOTE.__getitem__)
    assert [item for item, _ in fused][:2] == ["a1", "a2"]  # note A ranks first in both
    assert fused[0][1] == fused[1][1]  # each passage carries its note's score


def test_a_notes_passages_are_capped_and_follow_their_own_order() -> None:
    fused = grouped_rank_fusion([["a1", "a2", "a3", "a4", "b1"]], NOTE.__getitem__,
                                per_group=2)
    assert [item for item, _ in fused] == ["a1", "a2", "b1"]


def test_a_weight_scales_a_rankings_say() -> None:
    first, second = ["b1"], ["c1"]
    assert grouped_rank_fusion([first, second], NOTE.__getitem__,
                               weights=[1.0, 0.5])[0][0] == "b1"
    assert grouped_rank_fusion([first, second], NOTE.__getitem__,
                               weights=[0.5, 1.0])[0][0] == "c1"
