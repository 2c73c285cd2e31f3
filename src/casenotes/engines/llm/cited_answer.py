"""A language model's answer to a policy question, each sentence tied to the passages it cites.

The model sees only the numbered passages the search found and the question, through the
model gateway (which refuses identifiers and hosts off the allow-list). It must answer in JSON,
each sentence listing the passage numbers it relies on. Every sentence is then checked here:
a sentence that cites nothing, cites a passage that was not given, or whose content words are
mostly not in the passages it cites is kept but flagged, so a reader sees at once which parts
of the answer the organisation's own words do not back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from casenotes.engines.llm.gateway import ChatMessage, ModelGateway
from casenotes.engines.llm.structured import cited_sentences

#: Share of a sentence's content words that must be found in the passages it cites.
SUPPORT_THRESHOLD = 0.6
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_STOP = frozenset(
    """a an and are as at be been but by can could do does for from had has have if in into
    is it its may must not of on or should so such that the their them then there these they
    this to was were what when where which who will with would you your""".split()
)
_SYSTEM = (
    "You answer a social care practitioner's question using only the numbered policy passages "
    "given. Write at most four short sentences. For every sentence, list the numbers of the "
    "passages it comes from. If the passages do not answer the question, say so in one "
    "sentence that cites nothing. Answer only with JSON."
)
_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"sentences": {"type": "array", "minItems": 1, "maxItems": 4, "items": {
        "type": "object",
        "properties": {"text": {"type": "string", "maxLength": 300},
                       "cites": {"type": "array", "items": {"type": "integer"},
                                 "maxItems": 3}},
        "required": ["text", "cites"], "additionalProperties": False}}},
    "required": ["sentences"], "additionalProperties": False,
}


@dataclass(frozen=True)
class CitedSentence:
    text: str
    cites: tuple[int, ...]  # 1-based numbers of the passages given
    flag: str  # why a reader should not rely on it; "" when its citations back it


@dataclass(frozen=True)
class CitedAnswer:
    sentences: tuple[CitedSentence, ...]
    model: str

    @property
    def flagged(self) -> int:
        return sum(1 for s in self.sentences if s.flag)


def _content(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower().replace("’", "'"))
            if w not in _STOP and (len(w) > 2 or w.isdigit())]


def judge(text: str, cites: Sequence[int], passages: Sequence[str]) -> CitedSentence:
    """Check one sentence against the passages it cites (1-based)."""
    valid = tuple(sorted({c for c in cites if 1 <= c <= len(passages)}))
    if not cites:
        return CitedSentence(text, (), "It cites no passage.")
    if not valid:
        return CitedSentence(text, (), "It cites a passage that was not given.")
    source = set(_content(" ".join(passages[c - 1] for c in valid)))
    words = _content(text)
    support = sum(w in source for w in words) / len(words) if words else 1.0
    if support < SUPPORT_THRESHOLD:
        return CitedSentence(text, valid, "Most of its words are not in the passages it cites.")
    return CitedSentence(text, valid, "")


def answer(gateway: ModelGateway, question: str, passages: Sequence[str]) -> CitedAnswer:
    """Ask the model; parse and check its answer. Raises the gateway's errors unchanged
    (``ModelRefused``, ``ModelUnavailable``, also for an answer that is not structured)."""
    numbered = "\n\n".join(f"[{n}] {text}" for n, text in enumerate(passages, start=1))
    reply = gateway.complete(
        [ChatMessage("system", _SYSTEM),
         ChatMessage("user", f"Passages:\n{numbered}\n\nQuestion: {question}")],
        known_people=(), json_schema=_SCHEMA, max_tokens=400,
    )
    sentences = [judge(text, cites, passages)
                 for text, cites in cited_sentences(reply, "cites")[:4]]
    return CitedAnswer(tuple(sentences), gateway.model_label)
