"""Named local organisations that point to where a person lives, learns or is treated.

Schools, nurseries, GP surgeries, hospitals, day centres, housing providers and similar places
("Hylton Dene Primary", "Greenbank Surgery", "the Bailgate surgery", "Severnside Homes") narrow a
person down to a neighbourhood, so they are reported as ``ORGANISATION``. National services and
generic phrases ("the GP surgery", "Universal Credit", "the local school") are not: the name in
front of the kind of place must be capitalised and specific. Brand-like names written in
camel case ("BrightSpark", "QuidFast", "StepChange": energy suppliers, lenders, charities) are
reported too, with a lower score; Scottish and Irish surnames ("McBride", "MacLeod") are not.
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from casenotes.engines.pii.rule_recognizer import RuleRecognizer

NAME = "UkOrganisationRecognizer"
ENTITY = "ORGANISATION"
SCORE = 0.9
SCORE_CAMEL_CASE = 0.6

_KINDS = (
    "Primary School|Primary Academy|Primary|Secondary School|High School|Junior School|"
    "Infant School|Infants|Juniors|Grammar School|School|Academy|College|Sixth Form|Nursery|"
    "Pre-School|Preschool|Surgery|Medical Centre|Medical Practice|Health Centre|Practice|"
    "Hospital|Infirmary|Clinic|Day Centre|Children's Centre|Childrens Centre|Family Centre|"
    "Community Centre|Care Home|Nursing Home|Homes|Housing Association|Housing|Hub|Food Bank|"
    "Foodbank|Pharmacy|Church|Mosque|Gurdwara|Temple|Synagogue|Hostel"
)
_NAME_WORD = r"(?:St\.?|[A-Z][A-Za-z\-]*)"
_PATTERN = re.compile(
    rf"(?<![\w])(?P<name>(?:{_NAME_WORD}\s+){{1,4}})(?P<kind>(?i:{_KINDS}))(?![\w])"
)
_CAMEL_CASE = re.compile(r"(?<![\w\-'’])(?!Mc|Mac|O')[A-Z][a-z]+(?:[A-Z][a-z]+)+(?![\w\-])")
_THE_BEFORE = re.compile(r"(?i)(?<![\w])the\s+$")

# Name words that make a place generic rather than identifying, or begin a sentence.
_GENERIC = frozenset(
    "the a an and but so or on in at to from by of for our my your his her their its this that "
    "we i you he she they it gp nhs local new council community social family children's "
    "childrens health day care nursing medical general district county big old "
    "primary secondary high junior infant school mum's dad's mum dad mam nan".split()
)


class UkOrganisationRecognizer(RuleRecognizer):
    """Finds named schools, surgeries, hospitals, nurseries, day centres, housing providers."""

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(NAME, [ENTITY], supported_language)

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
    ) -> list[RecognizerResult]:
        """Named local organisations in ``text``."""
        if entities and ENTITY not in entities:
            return []
        results: list[RecognizerResult] = []
        for m in _PATTERN.finditer(text):
            start = _specific_name_start(text, m.start("name"), m.end("name"))
            if start is None:
                continue
            # "the Bailgate surgery" names a place; "Good practice" at a sentence start does not.
            if m["kind"][0].islower() and not _THE_BEFORE.search(text[:start]):
                continue
            results.append(self.result(ENTITY, start, m.end(), SCORE))
        for m in _CAMEL_CASE.finditer(text):
            results.append(self.result(ENTITY, m.start(), m.end(), SCORE_CAMEL_CASE))
        return results


def _specific_name_start(text: str, start: int, end: int) -> int | None:
    """Where the specific name in ``text[start:end]`` begins, or None when it is generic."""
    words = list(re.finditer(r"\S+", text[start:end]))
    index = 0
    while index < len(words) and words[index][0].lower() in _GENERIC:
        index += 1
    remaining = words[index:]
    if not remaining or all(w[0].lower() in _GENERIC for w in remaining):
        return None
    return start + remaining[0].start()
