"""UK street addresses: a house number with a named street, or a named street on its own.

"12 Hawthorn Garth", "Flat 3, 41 Ashley Hill" and "4/2, 118 Balgray Crescent" are reported as
``ADDRESS``; a street named without a number ("Castle Lane", "Chelsea Road") as ``LOCATION``.
Street names must be capitalised and end in a common street word, so everyday phrases ("the
road", "down our lane") are left alone.
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from casenotes.engines.pii.rule_recognizer import RuleRecognizer

NAME = "UkAddressRecognizer"
ADDRESS = "ADDRESS"
LOCATION = "LOCATION"

SCORE_NUMBERED = 0.9
SCORE_STREET = 0.6

_STREET_WORDS = (
    "Street|Road|Avenue|Lane|Close|Drive|Way|Court|Crescent|Terrace|Grove|Place|Gardens|Garth|"
    "Walk|Row|View|Mews|Square|Hill|Park|Rise|Green|Parade|Vale|Wynd|Brae|Gate|Fold|Croft|"
    "Meadows?|Bank|Chase|Crest|Dene|Grange|Heights|Lea|Mount|Quay|Wharf|Yard|Boulevard|"
    "Embankment|Approach|Villas|Cottages|Estate|Rd|Ave|Ln|Cres|Gdns|Sq"
)
# A street word also used as an everyday noun needs a house number to count ("Mount", "View").
_STREET_WORDS_ALONE = (
    "Street|Road|Avenue|Lane|Close|Drive|Crescent|Terrace|Grove|Gardens|Garth|Mews|Parade|"
    "Boulevard|Rd|Ave|Ln|Cres|Gdns"
)
_NAME_WORD = r"[A-Z][A-Za-z'’\-]*"
_SUB_UNIT = r"(?:(?:Flat|Apartment|Apt|Unit|Room)\s+\d+[A-Za-z]?,?\s+|\d+/\d+,?\s+)"

_NUMBERED = re.compile(
    rf"(?<![\w/])(?:{_SUB_UNIT})?\d{{1,4}}[A-Za-z]?,?\s+(?:{_NAME_WORD}\s+){{1,3}}"
    rf"(?:{_STREET_WORDS})(?![\w])"
)
_STREET = re.compile(rf"(?<![\w])(?:{_NAME_WORD}\s+){{1,3}}(?:{_STREET_WORDS_ALONE})(?![\w])")

# Words that begin a sentence or phrase rather than a street name.
_LEADING_STOPWORDS = frozenset(
    "the a an and but so or on in at to from by of for our my your his her their its this that "
    "we i you he she they it off down up along near past round across".split()
)


class UkAddressRecognizer(RuleRecognizer):
    """Finds numbered street addresses and named streets."""

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(NAME, [ADDRESS, LOCATION], supported_language)

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
    ) -> list[RecognizerResult]:
        """Addresses (``ADDRESS``) and named streets (``LOCATION``) in ``text``."""
        results: list[RecognizerResult] = []
        numbered: list[tuple[int, int]] = []
        if not entities or ADDRESS in entities:
            for m in _NUMBERED.finditer(text):
                numbered.append((m.start(), m.end()))
                results.append(self.result(ADDRESS, m.start(), m.end(), SCORE_NUMBERED))
        if not entities or LOCATION in entities:
            for m in _STREET.finditer(text):
                start = _skip_leading_stopwords(text, m.start(), m.end())
                if start is None or any(s <= start < e for s, e in numbered):
                    continue
                results.append(self.result(LOCATION, start, m.end(), SCORE_STREET))
        return results


def _skip_leading_stopwords(text: str, start: int, end: int) -> int | None:
    """Start of the street name proper, or None when only the street word would be left."""
    words = list(re.finditer(r"\S+", text[start:end]))
    index = 0
    while index < len(words) - 1 and words[index][0].lower() in _LEADING_STOPWORDS:
        index += 1
    if index >= len(words) - 1:
        return None
    return start + words[index].start()
