"""What every rule-based recogniser here shares: a name, no model to load, tagged results."""

from __future__ import annotations

from collections.abc import Sequence

from presidio_analyzer import LocalRecognizer, RecognizerResult


class RuleRecognizer(LocalRecognizer):
    """A recogniser made of compiled patterns and word lists, named ``name``."""

    def __init__(self, name: str, entities: Sequence[str], supported_language: str = "en") -> None:
        super().__init__(
            supported_entities=list(entities), supported_language=supported_language, name=name
        )
        self.rule_name = name

    def load(self) -> None:
        """Nothing to load: the rules are compiled at import."""

    def result(self, entity: str, start: int, end: int, score: float) -> RecognizerResult:
        """A finding tagged with this recogniser's name and id (Presidio's explanations)."""
        return RecognizerResult(
            entity_type=entity,
            start=start,
            end=end,
            score=score,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.rule_name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )
