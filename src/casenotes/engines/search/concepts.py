"""Query expansion from a social-work concept thesaurus (``data/concepts.yaml``, extendable).

A search that names a concept ("neglect", "manic depression") also looks for the concept's
other names and for the words practitioners write when they record it without naming it
(for neglect: "no food", "unwashed", "head lice" ...). Names and queries are compared word by
word after stemming, so "neglected children" names "neglect".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import zip_longest
from pathlib import Path
from typing import Any

import numpy as np
import snowballstemmer  # type: ignore[import-untyped]
from numpy.typing import NDArray

from casenotes.domain.errors import InvalidInput
from casenotes.engines.data_files import packaged_and_extra
from casenotes.engines.search.snippets import STOPWORDS

FILENAME = "concepts.yaml"
MAX_PHRASES = 32
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_STEMMER = snowballstemmer.stemmer("english")
_PACKAGE = "casenotes.engines.search"


@lru_cache(maxsize=16384)
def _stem(word: str) -> str:
    return str(_STEMMER.stemWord(word))


def stems(text: str) -> tuple[str, ...]:
    """Lower-cased, stemmed words of ``text``, in order."""
    return tuple(_stem(w) for w in _WORD.findall(text.lower()))


@dataclass(frozen=True)
class Concept:
    key: str
    names: tuple[str, ...]
    signs: tuple[str, ...]


@dataclass(frozen=True)
class Expansion:
    """What a query's concepts add to it."""

    concepts: tuple[str, ...]  # keys of the concepts the query names
    phrases: tuple[str, ...]  # their other names and signs, to look for as phrases
    share: float  # the part of the query's content words that name a concept (0..1)

    @property
    def empty(self) -> bool:
        return not self.phrases


NO_EXPANSION = Expansion(concepts=(), phrases=(), share=0.0)


class Thesaurus:
    """Concepts, each recognised by its names (stemmed phrases) in a query."""

    def __init__(self, concepts: Sequence[Concept]) -> None:
        self.concepts = tuple(concepts)
        self._by_key = {c.key: c for c in self.concepts}
        # Each concept's names as stemmed words, found through their first word.
        self._by_first: dict[str, list[tuple[Concept, tuple[str, ...]]]] = {}
        for concept in self.concepts:
            for name in dict.fromkeys(stems(n) for n in concept.names):
                if name:
                    self._by_first.setdefault(name[0], []).append((concept, name))
        self._vectors: dict[tuple[str, str], NDArray[np.float32]] = {}

    def label(self, key: str) -> str:
        return key.replace("_", " ")

    def centroid(self, keys: Sequence[str], embed: Callable[[list[str]], NDArray[np.float32]],
                 model: str) -> NDArray[np.float32] | None:
        """The unit-length mean of the concepts' phrase vectors (each concept's phrases are
        embedded once per process and model, on first use)."""
        parts = []
        for key in keys:
            concept = self._by_key.get(key)
            if concept is None:
                continue
            if (model, key) not in self._vectors:
                vectors = embed([*concept.names, *concept.signs])
                self._vectors[(model, key)] = _unit(vectors.mean(axis=0))
            parts.append(self._vectors[(model, key)])
        return _unit(np.mean(parts, axis=0)) if parts else None

    def expand(self, query: str) -> Expansion:
        """The concepts ``query`` names and the phrases they add (none it already has)."""
        raw = _WORD.findall(query.lower())
        words = tuple(_stem(w) for w in raw)
        content = [i for i, w in enumerate(raw) if w not in STOPWORDS and len(w) > 1]
        if not content:
            return NO_EXPANSION
        spans = [(concept, (start, start + len(name)))
                 for start, word in enumerate(words)
                 for concept, name in self._by_first.get(word, ())
                 if words[start:start + len(name)] == name]
        # A name inside a longer name of another concept is part of that one: "self-neglect"
        # names self-neglect, not neglect too; "manic depression" is not depression.
        kept = [(c, (a, b)) for c, (a, b) in spans
                if not any(o is not c and oa <= a and b <= ob and ob - oa > b - a
                           for o, (oa, ob) in spans)]
        named = list(dict.fromkeys(c for c, _ in kept))
        if not named:
            return NO_EXPANSION
        covered = {i for _, (a, b) in kept for i in range(a, b)}
        own = set(words)
        phrases: dict[tuple[str, ...], str] = {}
        # Every concept's names, then their signs taken in turn, up to MAX_PHRASES (each
        # phrase costs the keyword index a lookup).
        ordered = [n for c in named for n in c.names]
        ordered += [s for signs in zip_longest(*(c.signs for c in named)) for s in signs if s]
        for phrase in ordered:
            key = stems(phrase)
            if key and not set(key) <= own and key not in phrases:
                phrases[key] = phrase
                if len(phrases) == MAX_PHRASES:
                    break
        share = len(covered & set(content)) / len(content)
        return Expansion(concepts=tuple(c.key for c in named),
                         phrases=tuple(phrases.values()), share=share)


def blend(vector: NDArray[np.float32], centroid: NDArray[np.float32] | None,
          share: float) -> NDArray[np.float32]:
    """The query vector moved towards its concepts, by the share of the query they name."""
    if centroid is None or share <= 0:
        return vector
    return _unit(np.asarray(vector, dtype=np.float32) + share * centroid)


def _unit(vector: NDArray[Any]) -> NDArray[np.float32]:
    norm = float(np.linalg.norm(vector))
    return np.asarray(vector / norm if norm else vector, dtype=np.float32)


def _phrases(value: Any, source: str, key: str, field: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInput(f"In {source}, '{key}: {field}' is not a list of phrases.",
                           hint='Write it as a list, e.g. ["no food", "hungry"].')
    return [v for v in value if v.strip()]


def load_thesaurus(extra_dirs: Sequence[Path] = ()) -> Thesaurus:
    """The packaged concepts, with names and signs added from ``extra_dirs``' files."""
    merged: dict[str, tuple[list[str], list[str]]] = {}
    for source, doc in packaged_and_extra(_PACKAGE, FILENAME, extra_dirs):
        if doc is None:
            continue
        if not isinstance(doc, dict):
            raise InvalidInput(f"{source} does not hold concepts (key: names, signs).",
                               hint="See the packaged concepts.yaml for the layout.")
        for key, entry in doc.items():
            if not isinstance(entry, dict):
                raise InvalidInput(f"In {source}, concept '{key}' has no names or signs.",
                                   hint="Give it 'names' and 'signs' lists.")
            names, signs = merged.setdefault(str(key), ([], []))
            names += _phrases(entry.get("names"), source, str(key), "names")
            signs += _phrases(entry.get("signs"), source, str(key), "signs")
    return Thesaurus([Concept(key, tuple(dict.fromkeys(n)), tuple(dict.fromkeys(s)))
                      for key, (n, s) in merged.items() if n])


_cache: dict[tuple[str, ...], Thesaurus] = {}


def thesaurus_for(extra_dirs: Sequence[Path] = ()) -> Thesaurus:
    """One loaded thesaurus per set of folders (files are read once per process)."""
    key = tuple(str(p) for p in extra_dirs)
    if key not in _cache:
        _cache[key] = load_thesaurus(extra_dirs)
    return _cache[key]
