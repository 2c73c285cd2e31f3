"""Dates of birth, written or spoken, and nothing else that is a date.

Ordinary dates and times ("Tuesday", "next week", "the 3rd") are what a case note is made of and
stay readable. A date is reported as ``DATE_OF_BIRTH`` when

- words about birth ("born", "date of birth", "DOB", "birthday") are in the same sentence, or
  in a question just before it ("What's her date of birth? The fourth of June."), or
- it is a full calendar date with day, month and year ("fourth of June 2016", "12/09/2016",
  "Fourteenth of February, nineteen forty-five"): in a visit recording that is almost always a
  date of birth read out for the record, often as the answer to a question asked in an earlier
  turn, so it is treated as one.
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from casenotes.engines.pii.rule_recognizer import RuleRecognizer

NAME = "DateOfBirthRecognizer"
ENTITY = "DATE_OF_BIRTH"

SCORE_WITH_CONTEXT = 0.9
SCORE_FULL_DATE = 0.7

_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_ORDINAL_UNITS = "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth"
_ORDINAL_TEENS = (
    "tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|"
    "eighteenth|nineteenth"
)
_SEP = r"[\s\-]"

_DAY = (
    r"(?:[0-3]?\d(?:st|nd|rd|th)?"
    rf"|(?i:(?:twenty|thirty){_SEP}?(?:{_ORDINAL_UNITS})|twentieth|thirtieth"
    rf"|{_ORDINAL_TEENS}|{_ORDINAL_UNITS}))"
)
# Month names are matched capitalised only: "may", "march" and "june" are everyday words.
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)"
)
_SPOKEN_YEAR = (
    rf"(?i:(?:nineteen|twenty){_SEP}(?:hundred|oh{_SEP}(?:{_UNITS})|{_TEENS}"
    rf"|(?:{_TENS})(?:{_SEP}(?:{_UNITS}))?)"
    rf"|two{_SEP}thousand(?:{_SEP}(?:and{_SEP})?(?:{_TEENS}|(?:{_TENS})(?:{_SEP}(?:{_UNITS}))?"
    rf"|{_UNITS}))?)"
)
_YEAR = rf"(?:(?:19|20)\d\d|{_SPOKEN_YEAR})"

_DAY_MONTH = re.compile(
    rf"(?<![\w])(?P<day>{_DAY})\s+(?:(?i:of)\s+)?{_MONTH}"
    rf"(?:,?\s+(?:(?i:in)\s+)?(?P<year>{_YEAR}))?(?![\w])"
)
_MONTH_DAY = re.compile(
    rf"(?<![\w]){_MONTH}\s+(?:(?i:the)\s+)?(?P<day>{_DAY})(?:,?\s+(?P<year>{_YEAR}))?(?![\w])"
)
_NUMERIC = re.compile(
    r"(?<![\w/.\-])(?P<day>[0-3]?\d)[/.\-](?:[01]?\d)[/.\-](?P<year>(?:19|20)\d\d|\d\d)(?![\w/.\-])"
)
_BIRTH_WORDS = re.compile(r"(?i)\b(?:born|birth|birthday|d\.?o\.?b\.?)(?![\w])")
_SENTENCE_END = re.compile(r"[.!?](?=\s)")


class DateOfBirthRecognizer(RuleRecognizer):
    """Finds dates of birth; leaves every other date alone."""

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(NAME, [ENTITY], supported_language)

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
    ) -> list[RecognizerResult]:
        """Dates in ``text`` that are (very probably) dates of birth."""
        if entities and ENTITY not in entities:
            return []
        results: list[RecognizerResult] = []
        seen: set[tuple[int, int]] = set()
        for pattern in (_DAY_MONTH, _MONTH_DAY, _NUMERIC):
            for m in pattern.finditer(text):
                span = (m.start(), m.end())
                if span in seen:
                    continue
                if _near_birth_words(text, m.start(), m.end()):
                    score = SCORE_WITH_CONTEXT
                elif m["year"] is not None:
                    score = SCORE_FULL_DATE
                else:
                    continue
                seen.add(span)
                results.append(
                    self.result(ENTITY, m.start(), m.end(), score)
                )
        return results


def _near_birth_words(text: str, start: int, end: int) -> bool:
    """Birth words in the date's own sentence, or in a question just before it."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    sentence_start = max((e for e in ends if e <= start), default=0)
    sentence_end = min((e for e in ends if e >= end), default=len(text))
    if _BIRTH_WORDS.search(text[sentence_start:sentence_end]):
        return True
    before = text[:sentence_start].rstrip()
    if before.endswith("?"):
        question_start = max((e for e in ends if e < len(before)), default=0)
        return _BIRTH_WORDS.search(before[question_start:]) is not None
    return False
