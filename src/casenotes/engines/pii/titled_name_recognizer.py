"""People named with a title: "Dr Rennie", "Mr Okafor", "Miss Patel", "DC Mark Ellery".

Professionals and neighbours are often named only by title and surname, and small NER models
miss unusual surnames. A capitalised title followed by one or two capitalised words is a person.
"""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

ENTITY = "PERSON"

TITLES = (
    "Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Doctor", "Prof", "Professor", "Cllr", "Councillor",
    "Rev", "Revd", "DC", "DS", "DI", "DCI", "PC", "PCSO", "Sgt", "Sergeant",
)
_TITLE = "|".join(sorted(TITLES, key=len, reverse=True))
_NAME_WORD = r"(?:Mc|Mac|O['’])?[A-Z][a-z]+(?:[-'’][A-Z][a-z]+)?"

PATTERNS = [
    Pattern(
        "title and name",
        rf"(?<![\w])(?:{_TITLE})\.?\s+{_NAME_WORD}(?:\s+{_NAME_WORD})?(?![\w])",
        0.8,
    ),
]


class TitledNameRecognizer(PatternRecognizer):
    """Finds a title followed by a capitalised name."""

    def __init__(self, supported_language: str = "en") -> None:
        import re

        super().__init__(
            supported_entity=ENTITY,
            patterns=PATTERNS,
            supported_language=supported_language,
            name="TitledNameRecognizer",
            global_regex_flags=re.DOTALL | re.MULTILINE,
        )
