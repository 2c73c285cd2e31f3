"""Translation by a language model the organisation hosts, through the model gateway.

Only pseudonymised text is sent: the letter translator replaces names, contact details and
dates with placeholders first, and the gateway scans every request again and refuses (sends
nothing) if an identifier remains. Which languages the model can write is the organisation's
statement (``CASENOTES_TRANSLATION_LLM_LANGUAGES``); every output is checked like any other.
"""

from __future__ import annotations

from collections.abc import Sequence

from casenotes.domain.people import Person
from casenotes.engines.llm.gateway import ChatMessage, ModelGateway
from casenotes.pipeline.letter_languages import COMMON_LANGUAGES

_PROMPT = ("Translate the user's text from {source} into {target}. Keep every placeholder in "
           "square brackets, such as [NAME_1] or [DATE_2], exactly as written. Do not add or "
           "leave out anything. Reply with the translation only.")


class LanguageModelTranslator:
    name = "language-model"

    def __init__(self, gateway: ModelGateway, languages: Sequence[str],
                 known_people: Sequence[Person] = ()) -> None:
        self._gateway = gateway
        self._languages = tuple(languages)
        self._people = tuple(known_people)
        self.version = gateway.model_label

    def pairs(self) -> frozenset[tuple[str, str]]:
        return frozenset({("en", c) for c in self._languages}
                         | {(c, "en") for c in self._languages})

    def translate(self, segments: Sequence[str], source: str, target: str) -> list[str]:
        names = dict(COMMON_LANGUAGES, en="English")
        system = _PROMPT.format(source=names.get(source, source), target=names.get(target, target))
        out: list[str] = []
        for segment in segments:
            if not segment.strip():
                out.append("")
                continue
            reply = self._gateway.complete(
                [ChatMessage("system", system), ChatMessage("user", segment)],
                known_people=self._people, max_tokens=max(64, len(segment)))
            out.append(" ".join(reply.split()))
        return out
