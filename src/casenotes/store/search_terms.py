"""Search-index words stored as keyed terms, so the keyword index holds no readable text.

The keyword index (SQLite FTS5, PostgreSQL ``tsvector``) needs words to match; storing the
words themselves would put note text back on disk in plain form beside the encrypted columns.
Each word is therefore lower-cased, stemmed (Snowball English, so "drinking" finds "drinks"),
and replaced by a keyed HMAC of the stem under a key derived from the database's data key. The
same is done to the words of a query, so matching and BM25 ranking work as before (term
frequencies and positions are kept), while the index on disk is a list of opaque terms: it
cannot be read, nor a word be tested against it, without the key.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer  # type: ignore[import-untyped]
from sqlalchemy.engine import Dialect

from casenotes.store.encrypted_types import cipher_for

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return str(_STEMMER.stemWord(word))


def words(text: str) -> list[str]:
    """The index words of ``text``: lower-cased and stemmed, in order."""
    return [_stem(w) for w in _WORD.findall(text.lower())]


def index_terms(dialect: Dialect, text: str) -> str:
    """``text`` as the space-separated keyed terms the keyword index stores."""
    cipher = cipher_for(dialect)
    return " ".join(cipher.term(w) for w in words(text))


def query_phrases(dialect: Dialect, terms: list[str]) -> list[list[str]]:
    """The keyed terms to look up for a query's terms, one list per term: a word gives one
    keyed term, a phrase ("no food") its words' keyed terms in order (repeats left out, order
    kept; the caller has already dropped stop words, see ``engines/search/snippets.query_terms``).
    """
    cipher = cipher_for(dialect)
    found: dict[tuple[str, ...], None] = {}
    for term in terms:
        keyed = tuple(cipher.term(w) for w in words(term))
        if keyed:
            found.setdefault(keyed)
    return [list(k) for k in found]
