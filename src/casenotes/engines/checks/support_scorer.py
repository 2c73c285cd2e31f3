"""How well what was said supports a sentence: word alignment plus MiniLM similarity, 0–1.

No entailment model ships inside a package here (see docs/checks.md), so the score combines
two views of the evidence:

* **alignment** (BERTScore-style precision): each content word of the sentence is matched to
  its most similar word in the evidence turns, using MiniLM's contextual token vectors, so a
  paraphrase ("cold" for "freezing", "appetite" for "not hungry") is credited while a new
  concept ("alcohol", "special educational needs") finds no counterpart. Names are matched by
  their letters only (a similar-looking name is not the same person); numbers are the detail
  check's job;
* **similarity**: the cosine of the sentence's vector with its best-matching turn or pair of
  turns.

The checker adds the rules a similarity score misses (negation, hedging, topics).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from casenotes.engines.checks.wording import content_stems, is_content, stem, word_spans
from casenotes.pipeline.embed import Embedder, TokenEmbedder, TokenVectors, cosine

#: What words said elsewhere in the conversation (not near the linked turns) count for. Low:
#: an invented claim is usually made of words said somewhere (the tempting topic was near).
#: Measured on the visit cases (benchmarks/checks.py): 0.8 → recall 0.80 / false flags 0.17;
#: 0.2 → 0.88 / 0.19.
ANYWHERE_DISCOUNT = 0.2
#: A word whose best match in the evidence is less similar than this has no counterpart there
#: (named in the flag's explanation). MiniLM token vectors: "freezing"/"cold" 0.59,
#: "room"/"bedroom" 0.70, "pasta"/"alcohol" 0.17.
UNMATCHED = 0.35
_DIGIT = re.compile(r"\d")
#: Words a note uses about the conversation itself ("The visit was arranged by phone", "To
#: share information and decide next steps", "She joined part-way through"), which the
#: conversation rarely says of itself, nor how someone took part in it ("gave a detailed
#: account, corrected himself on dates"): they neither support nor weaken a sentence.
NOTE_WORDS = frozenset("""
visit visits visited discussion discussed discuss session conversation
arranged purpose information share sharing decide next steps agenda update review
joined join joining part-way partway briefly spoke speak present attended arrived
talked thank thanks today aim aims account detailed corrected prompted prompting openly
""".split())
#: What a letter or note thanks people for ("Thank you both again for your time"): courtesy,
#: not a claim about what was said.
_COURTESY = re.compile(r"\bfor (?:all )?(?:your|their) "
                       r"(?:time|help|patience|hospitality|welcome)\b", re.IGNORECASE)
#: Days and months: whether they were said is the consistency check's question, as numbers
#: are the detail check's.
_CALENDAR = frozenset("""
monday tuesday wednesday thursday friday saturday sunday january february march april may june
july august september october november december
""".split())


@dataclass(frozen=True)
class Support:
    """The support for one sentence: the combined score and what it was made of."""

    score: float
    lexical: float  # share of content words found near the evidence (or anywhere, discounted)
    semantic: float  # best cosine similarity with a turn or pair of turns
    novel: tuple[str, ...]  # content words said nowhere in the transcript
    best_turns: tuple[int, ...]  # indexes (0-based) of the best-matching turns
    aligned: float = 0.0  # mean best match of the content words in the evidence (0–1)
    unmatched: tuple[str, ...] = ()  # words with no counterpart in the evidence
    weakest: float = 1.0  # the best match of the least supported word


@dataclass(frozen=True)
class Words:
    """The content words of one text: stems, and (when the embedder gives them) vectors."""

    stems: tuple[str, ...]
    vectors: npt.NDArray[np.float32]


@dataclass(frozen=True)
class Prepared:
    """A transcript made ready for scoring: its windows, their vectors and word stems."""

    windows: tuple[tuple[int, ...], ...]
    vectors: npt.NDArray[np.float32]
    stems: tuple[frozenset[str], ...]  # per turn
    all_stems: frozenset[str]
    words: tuple[Words, ...] = ()  # per turn (empty without token vectors)
    capitalised: frozenset[str] = frozenset()  # words written with a capital mid-sentence


def _words(text: str, tokens: TokenVectors | None) -> tuple[list[tuple[str, str, int]], Words]:
    """The content words of ``text`` as (word, stem, start), and their vectors (the mean of
    the vectors of the tokens each word spans)."""
    found = [(w, s, e) for w, s, e in word_spans(text) if is_content(w)]
    listed = [(w, stem(w), s) for w, s, _ in found]
    if tokens is None or not len(tokens.spans):
        return listed, Words(tuple(st for _, st, _ in listed), np.zeros((0, 0), np.float32))
    starts = np.array([a for a, _ in tokens.spans])
    ends = np.array([b for _, b in tokens.spans])
    rows = []
    for _, s, e in found:
        mask = (starts < e) & (ends > s)
        row = tokens.vectors[mask].mean(axis=0) if mask.any() else \
            np.zeros(tokens.vectors.shape[1], np.float32)
        rows.append(row / max(float(np.linalg.norm(row)), 1e-9))
    vectors = np.vstack(rows).astype(np.float32) if rows else \
        np.zeros((0, tokens.vectors.shape[1]), np.float32)
    return listed, Words(tuple(st for _, st, _ in listed), vectors)


def _capitalised(texts: Sequence[str]) -> frozenset[str]:
    out = set()
    for text in texts:
        for word, start, _ in word_spans(text):
            before = text[:start].rstrip(" \"“'‘(")
            if text[start].isupper() and before and before[-1] not in ".!?:;…":
                out.add(word)
    return frozenset(out)


class SupportScorer:
    """Scores sentences against a transcript (a list of turn texts)."""

    def __init__(self, embedder: Embedder, *, semantic_weight: float = 0.4,
                 neighbourhood: int = 2, align_words: bool = True) -> None:
        self._embedder = embedder
        self._weight = semantic_weight
        self._near = neighbourhood
        # Word alignment needs token vectors; without them the words are matched by stem.
        self._tokens: TokenEmbedder | None = (
            embedder if align_words and isinstance(embedder, TokenEmbedder) else None)

    def prepare(self, turns: Sequence[str]) -> Prepared:
        windows: list[tuple[int, ...]] = [(i,) for i in range(len(turns))]
        windows += [(i, i + 1) for i in range(len(turns) - 1)]
        texts = [" ".join(turns[i] for i in w) for w in windows]
        stems = tuple(frozenset(content_stems(t)) for t in turns)
        words: tuple[Words, ...] = ()
        if self._tokens is not None and turns:
            tokens = self._tokens.embed_tokens(list(turns))
            words = tuple(_words(t, v)[1] for t, v in zip(turns, tokens, strict=True))
        return Prepared(tuple(windows), self._embedder.embed(texts), stems,
                        frozenset().union(*stems) if stems else frozenset(), words,
                        _capitalised(turns))

    def score(self, sentences: Sequence[str], prepared: Prepared,
              evidence: Sequence[Sequence[int]] | None = None,
              record: Sequence[str] = ()) -> list[Support]:
        """One ``Support`` per sentence; ``evidence`` lists each sentence's linked turn indexes
        (empty or ``None``: judged against the whole transcript). Words of ``record`` (the
        case's names and roles) support a sentence wherever it is."""
        if not sentences:
            return []
        sims = (cosine(self._embedder.embed(sentences), prepared.vectors)
                if len(prepared.windows) else np.zeros((len(sentences), 0), dtype=np.float32))
        tokens: list[TokenVectors | None] = (
            list(self._tokens.embed_tokens(list(sentences)))
            if self._tokens is not None and prepared.words else [None] * len(sentences))
        known = frozenset(stem(w) for text in record for w, _, _ in word_spans(text))
        out = []
        for row, sentence in enumerate(sentences):
            linked = list(evidence[row]) if evidence is not None else []
            out.append(self._one(sentence, prepared, sims[row], linked, tokens[row], known))
        return out

    def _near_turns(self, linked: list[int], n_turns: int) -> list[int]:
        return sorted({j for i in linked
                       for j in range(max(0, i - self._near), min(n_turns, i + self._near + 1))})

    def _one(self, sentence: str, prepared: Prepared, sims: npt.NDArray[np.float32],
             linked: list[int], tokens: TokenVectors | None, known: frozenset[str]) -> Support:
        stems = set(content_stems(sentence))
        n_turns = len(prepared.stems)
        near_turns = self._near_turns(linked, n_turns)
        near: set[str] = set()
        for j in near_turns:
            near |= prepared.stems[j]
        novel = tuple(sorted(s for s in stems if s not in prepared.all_stems))
        if stems:
            anywhere = 1 - len(novel) / len(stems)
            lexical = len(stems & near) / len(stems) if linked else anywhere
            lexical = max(lexical, ANYWHERE_DISCOUNT * anywhere)
        else:
            lexical = 1.0
        aligned, unmatched, weakest = self._align(sentence, prepared, near_turns if linked else
                                         list(range(n_turns)), tokens, lexical, known)
        best = int(np.argmax(sims)) if sims.size else -1
        semantic = float(sims[best]) if best >= 0 else 0.0
        if linked:
            mask = [k for k, w in enumerate(prepared.windows) if set(w) & set(linked)]
            if mask:
                local = max(mask, key=lambda k: float(sims[k]))
                if float(sims[local]) >= semantic - 0.05:
                    best, semantic = local, max(float(sims[local]), semantic - 0.05)
        semantic = max(0.0, semantic)
        score = self._weight * semantic + (1 - self._weight) * aligned
        turns = prepared.windows[best] if best >= 0 else ()
        return Support(round(score, 4), round(lexical, 4), round(semantic, 4), novel, turns,
                       round(aligned, 4), unmatched, round(weakest, 4))

    def _align(self, sentence: str, prepared: Prepared, near_turns: list[int],
               tokens: TokenVectors | None, lexical: float,
               known: frozenset[str]) -> tuple[float, tuple[str, ...], float]:
        """The mean best match of the sentence's content words in the near turns (a word
        said elsewhere counts ``ANYWHERE_DISCOUNT``), the words with no counterpart, and the
        weakest match."""
        if tokens is None or not prepared.words:
            return lexical, (), lexical
        listed, mine = _words(sentence, tokens)
        near = [prepared.words[j] for j in near_turns]
        near_stems = {s for w in near for s in w.stems}
        near_vectors = np.vstack([w.vectors for w in near]) if near else mine.vectors[:0]
        everywhere = [w.vectors for w in prepared.words if len(w.vectors)]
        all_vectors = np.vstack(everywhere) if everywhere else mine.vectors[:0]
        values: list[float] = []
        unmatched: list[str] = []
        courtesy = [m.span() for m in _COURTESY.finditer(sentence)]
        for k, (word, word_stem, start) in enumerate(listed):
            if _DIGIT.search(word):
                continue  # numbers are the detail check's job
            if (word in NOTE_WORDS or any(a <= start < b for a, b in courtesy)) \
                    and word_stem not in near_stems:
                continue
            if word in _CALENDAR and sentence[start].isupper() and word_stem not in near_stems:
                continue
            if word_stem in known:
                values.append(1.0)  # a name or role from the case record
                continue
            if self._is_name(sentence, word, start, prepared):
                # A name is the person or place it spells, not one that looks alike.
                values.append(1.0 if word_stem in prepared.all_stems else 0.0)
                if values[-1] == 0.0:
                    unmatched.append(word)
                continue
            if word_stem in near_stems:
                values.append(1.0)
                continue
            vector = mine.vectors[k]
            here = float(np.max(near_vectors @ vector)) if len(near_vectors) else 0.0
            there = 1.0 if word_stem in prepared.all_stems else (
                float(np.max(all_vectors @ vector)) if len(all_vectors) else 0.0)
            value = max(here, ANYWHERE_DISCOUNT * there, 0.0)
            values.append(value)
            if value < UNMATCHED:
                unmatched.append(word)
        if not values:
            return 1.0, (), 1.0
        return float(np.mean(values)), tuple(dict.fromkeys(unmatched)), float(min(values))

    @staticmethod
    def _is_name(sentence: str, word: str, start: int, prepared: Prepared) -> bool:
        if not sentence[start].isupper():
            return False
        before = sentence[:start].rstrip(" \"“'‘(")
        return bool(before and before[-1] not in ".!?:;…") or word in prepared.capitalised
