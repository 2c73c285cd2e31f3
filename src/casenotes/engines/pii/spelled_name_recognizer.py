"""Words spelled out letter by letter ("K-A-Y-L-E-I-G-H", "B.R.O.O.K").

A run of one repeated letter ("I-I-I", a stammer) is not a spelling and is left alone.

In a recorded conversation people spell out exactly what must be written down correctly: their
own names, surnames, street and place names. A run of three or more single letters joined by
hyphens or dots is therefore reported as ``PERSON`` (the usual case), with a modest score; the
case-people recogniser reports the same span with a higher score and the person's link when the
letters spell a known person's name.
"""

from __future__ import annotations

import re

from presidio_analyzer import Pattern, PatternRecognizer

ENTITY = "PERSON"

PATTERNS = [
    Pattern(
        "spelled-out word",
        r"(?<![\w\-–.])[A-Za-z](?:[-–.][A-Za-z]){2,}(?![\w\-–])",
        0.6,
    ),
]


class SpelledNameRecognizer(PatternRecognizer):
    """Finds letter-by-letter spellings of three letters or more."""

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(
            supported_entity=ENTITY,
            patterns=PATTERNS,
            supported_language=supported_language,
            name="SpelledNameRecognizer",
            global_regex_flags=re.DOTALL | re.MULTILINE,
        )

    def invalidate_result(self, pattern_text: str) -> bool:
        """A stammer ("I-I-I") repeats one letter; a spelling does not."""
        letters = {ch.lower() for ch in pattern_text if ch.isalpha()}
        return len(letters) < 2
