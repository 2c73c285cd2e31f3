"""Snippets: the sentence of a passage that best matches the query, with the matches marked."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
# Left out of queries (keyword lookups too): they match nearly every passage.
STOPWORDS = frozenset(
    "a about an and are as at be been but by did do does for from had has have he her his i if "
    "in into is it its me my no not of on or our she so that the their them they this to was we "
    "were what when where which who why will with you your".split()
)


@dataclass(frozen=True)
class Snippet:
    sentence_index: int
    parts: tuple[tuple[str, bool], ...]  # (text, is_match), in order

    @property
    def text(self) -> str:
        return "".join(p for p, _ in self.parts)


def query_terms(query: str) -> list[str]:
    """Lower-case content words of a query, in order, without repeats."""
    seen: list[str] = []
    for word in _WORD.findall(query.lower()):
        if word not in STOPWORDS and word not in seen:
            seen.append(word)
    return seen


@lru_cache(maxsize=16384)
def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def split_sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(text.strip()) if s]


def best_snippet(text: str, query: str, *, max_chars: int = 300,
                 also: Sequence[str] = ()) -> Snippet:
    """The sentence sharing most (stemmed) words with the query; the first if none do.

    ``also``: further words to mark (the signs of a concept the query names); a sentence counts
    each of them half as much as a word of the query itself.
    """
    stems = {_stem(t) for t in query_terms(query)}
    extra = {_stem(t.lower()) for t in also} - stems
    sentences = split_sentences(text) or [text]
    best, best_hits = 0, 0.0
    for i, sentence in enumerate(sentences):
        words = [_stem(w) for w in _WORD.findall(sentence.lower())]
        hits = sum(1 for w in words if w in stems) + 0.5 * sum(1 for w in words if w in extra)
        if hits > best_hits:
            best, best_hits = i, hits
    sentence = sentences[best]
    if len(sentence) > max_chars:
        sentence = sentence[: max_chars - 1].rstrip() + "…"
    marked = stems | extra
    parts: list[tuple[str, bool]] = []
    last = 0
    for match in _WORD.finditer(sentence):
        if _stem(match.group().lower()) in marked:
            if match.start() > last:
                parts.append((sentence[last:match.start()], False))
            parts.append((match.group(), True))
            last = match.end()
    if last < len(sentence):
        parts.append((sentence[last:], False))
    return Snippet(sentence_index=best, parts=tuple(parts))
