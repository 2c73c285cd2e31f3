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


def query_terms(dialect: Dialect, terms: list[str]) -> list[str]:
    """The keyed terms to look up for the words of a query (duplicates left out, order kept;
    the caller has already dropped stop words, see ``engines/search/snippets.query_terms``)."""
    cipher = cipher_for(dialect)
    found = [cipher.term(w) for term in terms for w in words(term)]
    return list(dict.fromkeys(found))
