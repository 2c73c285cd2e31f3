"""Places named after "in", "near", "outside" or "around" ("she's in Skegness").

Small NER models miss many UK towns and districts ("Hucknall", "Easterhouse", "Longridge").
Where a person lives or comes from is personal data, so a capitalised proper noun (as tagged by
the spaCy model) right after one of those words is reported as ``LOCATION`` with a modest
score. Months, days, festivals, languages and school or care words ("in Year Five", "in
Reception", "at Christmas") are not places and are skipped.
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from casenotes.engines.pii.rule_recognizer import RuleRecognizer

NAME = "PlaceContextRecognizer"
ENTITY = "LOCATION"
SCORE = 0.5

_PATTERN = re.compile(
    r"(?<![\w])(?i:in|near|outside|around)\s+"
    r"(?P<place>[A-Z][a-z]+(?:[-\s][A-Z][a-z]+)?(?:-[a-z]+)?)(?![\w]|['’]s)"
)

_NOT_PLACES = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday christmas easter eid diwali "
    "ramadan hanukkah halloween bonfire english welsh scottish irish british polish romanian "
    "gujarati punjabi urdu bengali arabic somali french spanish portuguese italian year "
    "reception nursery school college hospital court prison care foster work church mosque "
    "mum mam dad nan nana gran grandma grandad auntie uncle miss sir god jesus allah heaven "
    "universal credit housing benefit council social services police ambulance".split()
)


class PlaceContextRecognizer(RuleRecognizer):
    """Finds proper nouns that follow a place preposition."""

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(NAME, [ENTITY], supported_language)

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
    ) -> list[RecognizerResult]:
        """Probable place names in ``text`` (needs the spaCy tags in ``nlp_artifacts``)."""
        if entities and ENTITY not in entities:
            return []
        doc = getattr(nlp_artifacts, "tokens", None)
        if doc is None:
            return []
        proper_nouns = {token.idx for token in doc if token.pos_ == "PROPN"}
        results: list[RecognizerResult] = []
        for m in _PATTERN.finditer(text):
            start, end = m.span("place")
            words = m["place"].replace("-", " ").lower().split()
            if start not in proper_nouns or any(w in _NOT_PLACES for w in words):
                continue
            results.append(
                self.result(ENTITY, start, end, SCORE)
            )
        return results
