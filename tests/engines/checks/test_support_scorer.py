"""The support score's word alignment, with the real packaged MiniLM token vectors."""

from __future__ import annotations

import pytest

from casenotes.engines.checks.support_scorer import SupportScorer
from casenotes.engines.embed import MiniLMEmbedder


@pytest.fixture(scope="module")
def scorer() -> SupportScorer:
    return SupportScorer(MiniLMEmbedder())


def test_a_word_said_in_other_words_is_credited_and_a_new_concept_is_not(
        scorer: SupportScorer) -> None:
    said = scorer.prepare(["It's freezing in here and the gas has been off since Sunday."])
    cold, dirty = scorer.score(["The home was cold.", "The home was unhygienic."], said, [[0], [0]])
    assert cold.aligned > dirty.aligned + 0.2
    assert "cold" not in cold.unmatched
    assert "unhygienic" in dirty.unmatched
    # Word overlap alone sees no difference: neither word was said.
    plain = SupportScorer(MiniLMEmbedder(), align_words=False)
    prepared = plain.prepare(["It's freezing in here and the gas has been off since Sunday."])
    a, b = plain.score(["The home was cold.", "The home was unhygienic."], prepared, [[0], [0]])
    assert a.aligned == b.aligned


def test_a_name_counts_only_when_it_was_said_and_the_case_record_supports_roles(
        scorer: SupportScorer) -> None:
    said = scorer.prepare(["Shay, it's good to see you. Is Jonno still staying over?"])
    known, unknown = scorer.score(["Jonno stays over.", "Jenny stays over."], said, [[0], [0]])
    assert known.weakest == 1.0
    assert "jenny" in unknown.unmatched
    bare, = scorer.score(["Nadia Rahman is his personal adviser."], said, [[0]])
    recorded, = scorer.score(["Nadia Rahman is his personal adviser."], said, [[0]],
                             record=("Nadia Rahman", "personal adviser"))
    assert recorded.aligned == 1.0 > bare.aligned
