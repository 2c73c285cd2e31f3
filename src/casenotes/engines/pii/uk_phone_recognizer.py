"""UK telephone numbers by their written shape, including the ranges reserved for drama.

Presidio's :class:`PhoneRecognizer` (libphonenumber) only accepts numbers in allocated ranges,
so it misses Ofcom's drama ranges (``07700 900xxx``, ``01632 960xxx``) that test data and
training material use, and numbers a transcriber has grouped oddly. This recogniser accepts a
``0`` or ``+44`` followed by nine or ten more digits, in any grouping of spaces, dots or hyphens.
"""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

ENTITY = "PHONE_NUMBER"

PATTERNS = [
    Pattern(
        "UK phone number",
        r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|\(?0)\d(?:[\s.\-)]{0,2}\d){8,9}(?![\w])",
        0.6,
    ),
]

CONTEXT = ["phone", "number", "telephone", "mobile", "landline", "ring", "call", "text", "tel"]


class UkPhoneRecognizer(PatternRecognizer):
    """Finds UK-shaped phone numbers (``07700 900481``, ``0116 496 0734``, ``+44 7700 900481``)."""

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(
            supported_entity=ENTITY,
            patterns=PATTERNS,
            context=CONTEXT,
            supported_language=supported_language,
            name="UkPhoneRecognizer",
        )
