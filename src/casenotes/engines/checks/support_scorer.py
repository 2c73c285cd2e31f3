"""How well what was said supports a sentence: word overlap plus MiniLM similarity, 0–1.

No entailment model ships inside a package here (see docs/checks.md), so the score combines
the share of the sentence's content words found in the evidence (or anywhere in the
transcript) with the embedding similarity of the sentence to its best-matching turn or pair
of turns. The checker adds the rules a similarity score misses (negation, hedging, topics).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from casenotes.engines.checks.wording import content_stems
from casenotes.pipeline.embed import Embedder, cosine

#: What words said elsewhere in the conversation (not near the linked turns) count for. Low:
#: an invented claim is usually made of words said somewhere (the tempting topic was near).
#: Measured on the visit cases (benchmarks/checks.py): 0.8 → recall 0.80 / false flags 0.17;
#: 0.2 → 0.88 / 0.19.
ANYWHERE_DISCOUNT = 0.2


@dataclass(frozen=True)
class Support:
    """The support for one sentence: the combined score and what it was made of."""

    score: float
    lexical: float  # share of content words found near the evidence (or anywhere, discounted)
    semantic: float  # best cosine similarity with a turn or pair of turns
    novel: tuple[str, ...]  # content words said nowhere in the transcript
    best_turns: tuple[int, ...]  # indexes (0-based) of the best-matching turns


@dataclass(frozen=True)
class Prepared:
    """A transcript made ready for scoring: its windows, their vectors and word stems."""

    windows: tuple[tuple[int, ...], ...]
    vectors: npt.NDArray[np.float32]
    stems: tuple[frozenset[str], ...]  # per turn
    all_stems: frozenset[str]


class SupportScorer:
    """Scores sentences against a transcript (a list of turn texts)."""

    def __init__(self, embedder: Embedder, *, semantic_weight: float = 0.5,
                 neighbourhood: int = 2) -> None:
        self._embedder = embedder
        self._weight = semantic_weight
        self._near = neighbourhood

    def prepare(self, turns: Sequence[str]) -> Prepared:
        windows: list[tuple[int, ...]] = [(i,) for i in range(len(turns))]
        windows += [(i, i + 1) for i in range(len(turns) - 1)]
        texts = [" ".join(turns[i] for i in w) for w in windows]
        stems = tuple(frozenset(content_stems(t)) for t in turns)
        return Prepared(tuple(windows), self._embedder.embed(texts), stems,
                        frozenset().union(*stems) if stems else frozenset())

    def score(self, sentences: Sequence[str], prepared: Prepared,
              evidence: Sequence[Sequence[int]] | None = None) -> list[Support]:
        """One ``Support`` per sentence; ``evidence`` lists each sentence's linked turn indexes
        (empty or ``None``: judged against the whole transcript)."""
        if not sentences:
            return []
        sims = (cosine(self._embedder.embed(sentences), prepared.vectors)
                if len(prepared.windows) else np.zeros((len(sentences), 0), dtype=np.float32))
        out = []
        for row, sentence in enumerate(sentences):
            linked = list(evidence[row]) if evidence is not None else []
            out.append(self._one(sentence, prepared, sims[row], linked))
        return out

    def _one(self, sentence: str, prepared: Prepared, sims: npt.NDArray[np.float32],
             linked: list[int]) -> Support:
        stems = set(content_stems(sentence))
        n_turns = len(prepared.stems)
        near: set[str] = set()
        for i in linked:
            for j in range(max(0, i - self._near), min(n_turns, i + self._near + 1)):
                near |= prepared.stems[j]
        novel = tuple(sorted(s for s in stems if s not in prepared.all_stems))
        if stems:
            anywhere = 1 - len(novel) / len(stems)
            lexical = len(stems & near) / len(stems) if linked else anywhere
            lexical = max(lexical, ANYWHERE_DISCOUNT * anywhere)
        else:
            lexical = 1.0
        best = int(np.argmax(sims)) if sims.size else -1
        semantic = float(sims[best]) if best >= 0 else 0.0
        if linked:
            mask = [k for k, w in enumerate(prepared.windows) if set(w) & set(linked)]
            if mask:
                local = max(mask, key=lambda k: float(sims[k]))
                if float(sims[local]) >= semantic - 0.05:
                    best, semantic = local, max(float(sims[local]), semantic - 0.05)
        semantic = max(0.0, semantic)
        score = self._weight * semantic + (1 - self._weight) * lexical
        turns = prepared.windows[best] if best >= 0 else ()
        return Support(round(score, 4), round(lexical, 4), round(semantic, 4), novel, turns)
