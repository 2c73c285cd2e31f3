"""Bare runs of six to eleven digits: in a visit recording, almost always a phone number or a
piece of one ("naw, it's 900162, the six and two the other way roon").

A person correcting a number says only the part that was wrong, so the full shape the phone
recognisers look for is missing. Amounts (``£400``), percentages, decimals and times have other
shapes and are left alone. Reported as ``PHONE_NUMBER`` with a modest score, raised by nearby
words such as "number" or "ring".
"""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

ENTITY = "PHONE_NUMBER"

PATTERNS = [Pattern("bare digit run", r"(?<![\d£$€.,:/\-])\d{6,11}(?![\d%.,:/\-]\d)", 0.45)]

CONTEXT = ["number", "phone", "mobile", "ring", "call", "text", "digits", "way round"]


class LongNumberRecognizer(PatternRecognizer):
    """Finds digit runs that are likely phone numbers or parts of them."""

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(
            supported_entity=ENTITY,
            patterns=PATTERNS,
            context=CONTEXT,
            supported_language=supported_language,
            name="LongNumberRecognizer",
        )
