"""The language-model drafter: sentences written by a model, each verified against its turns.

Text reaches the model only through :class:`ModelGateway` (allow-listed endpoint, pseudonymised
text re-scanned before sending). For every non-reserved section the model is asked, with a JSON
schema (a grammar for the in-process model), for sentences and the transcript turn ids each one
relies on. Every sentence is then verified: the turns must exist, and the sentence's content
words, numbers and placeholders must be found in those turns. A sentence that fails keeps its
text but loses its unverified links, so the evidence check flags it; nothing is dropped
silently. The attendee list and the person's own words are taken from the transcript as the
extractive drafter does, so quotes stay verbatim. Reserved sections are never asked for.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from casenotes.domain.draft import Draft, Evidence, Section, Sentence, SentenceKind
from casenotes.domain.people import Person
from casenotes.domain.template import Template, TemplateSection
from casenotes.domain.transcript import Transcript
from casenotes.engines.drafting.extractive import ExtractiveDrafter
from casenotes.engines.llm.gateway import (
    ChatMessage,
    EndpointRefused,
    IdentifierRefused,
    ModelGateway,
    ModelRefused,
    ModelUnavailable,
)
from casenotes.engines.llm.structured import cited_sentences
from casenotes.pipeline.draft import DraftContext
from casenotes.pipeline.pseudonymise import PseudonymMap
from casenotes.pipeline.surrogates import SurrogateText, to_placeholders, to_surrogates

SUPPORT_THRESHOLD = 0.6
_WORD = re.compile(r"\[[A-Z_]+_\d+\]|[a-z0-9]+(?:'[a-z]+)?")
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)?")
_PLACEHOLDER = re.compile(r"\[[A-Z_]+_\d+\]")
_STOP = frozenset(
    """a an and are as at be been but by did do does for from had has have he her hers him his
    i if in into is it its me my no not of on or our she so that the their them then there they
    this to was we were what when who will with would you your said says told about also just
    very has had can could should been being after before than out up over""".split()
)
_SYSTEM = (
    "You write one section of a social worker's case note from a conversation transcript. "
    "Use only what the transcript says. Do not add opinions, diagnoses or risks nobody said. "
    "Keep names exactly as written, e.g. [PERSON_1]. For every sentence, give the numbers of "
    "the transcript lines it comes from. Answer only with JSON."
)
#: Surrogate mode: the model sees realistic stand-in names, so no placeholder example.
_SYSTEM_SURROGATE = _SYSTEM.replace(", e.g. [PERSON_1]", "")


def _schema(max_sentences: int) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "sentences": {
                "type": "array",
                "minItems": 1,
                "maxItems": max_sentences,
                "items": {
                    "type": "object",
                    "properties": {
                        "text": {"type": "string", "maxLength": 200},
                        "turns": {"type": "array", "items": {"type": "integer"},
                                  "maxItems": 3},
                    },
                    "required": ["text", "turns"],
                    "additionalProperties": False,
                },
            }
        },
        "required": ["sentences"],
        "additionalProperties": False,
    }


@dataclass(frozen=True)
class Verdict:
    """How well a sentence is supported by the turns it cites."""

    turns: tuple[int, ...]  # cited turns that exist
    support: float  # share of the sentence's content words found in those turns
    missing: tuple[str, ...]  # numbers or placeholders not found in those turns

    @property
    def supported(self) -> bool:
        return bool(self.turns) and not self.missing and self.support >= SUPPORT_THRESHOLD


def _content_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower().replace("’", "'"))
            if w not in _STOP and (len(w) > 2 or w.isdigit())]


def verify(text: str, cited: Sequence[int], transcript: Transcript) -> Verdict:
    """Check a model sentence against the turns it cites (case-insensitive word overlap)."""
    # The speaker of a cited turn counts as evidence: "[PERSON_2] said …" is attribution.
    known = {seg.id: f"{seg.speaker} {seg.text}" for seg in transcript.segments}
    turns = tuple(sorted({t for t in cited if t in known}))
    source = " ".join(known[t] for t in turns)
    source_words = set(_content_words(source))
    words = _content_words(text)
    support = sum(w in source_words for w in words) / len(words) if words else 0.0
    numbers = _NUMBER.findall(_PLACEHOLDER.sub(" ", text))
    missing = tuple(
        token for token in [*numbers, *_PLACEHOLDER.findall(text)] if token not in source
    )
    return Verdict(turns, support, missing)


class LlmDrafter:
    """Drafts each section with a language model reached through the gateway.

    With ``surrogates`` (the case's pseudonym map), the model sees realistic stand-in names
    ("Oliver Bennett") instead of placeholders ("[PERSON_2]"); its answer is mapped back to
    placeholders before verification, so what is stored is the same in both modes.
    """

    name = "llm"
    version = "1.2"

    def __init__(
        self, gateway: ModelGateway, *, known_people: Sequence[Person] = (),
        max_words: int = 1200, max_tokens_per_sentence: int = 60,
        surrogates: PseudonymMap | None = None,
    ) -> None:
        self._gateway = gateway
        self._people = tuple(known_people)
        self._surrogates = surrogates
        self._max_words = max_words
        self._tokens_per_sentence = max_tokens_per_sentence
        self._extractive = ExtractiveDrafter()

    def draft(self, transcript: Transcript, template: Template, context: DraftContext) -> Draft:
        # Quotes and attendees come straight from the transcript: verbatim by construction.
        verbatim = self._extractive.draft(transcript, template, context)
        sections: list[Section] = []
        unsupported: list[str] = []
        fallback: list[str] = []
        withheld: list[str] = []
        counter = 0
        for ts in template.sections:
            if ts.reserved:
                sections.append(Section(ts.name, reserved=True))
                continue
            if ts.voice or ts.attendees:
                sentences = list(verbatim.section(ts.name).sentences)
            else:
                try:
                    sentences = self._section(transcript, ts, context)
                except EndpointRefused:
                    raise  # a configuration error: no section can be sent
                except ModelRefused:
                    # The gateway's scan still found an identifier after the words it had
                    # found were withheld: nothing was sent for this section, which is drafted
                    # from the transcript instead, and the draft says so.
                    sentences = list(verbatim.section(ts.name).sentences)
                    withheld.append(ts.name)
                except ModelUnavailable:
                    # An unusable answer (not JSON, cut off): the section is drafted from the
                    # transcript instead, and the draft says so.
                    sentences = list(verbatim.section(ts.name).sentences)
                    fallback.append(ts.name)
            renumbered = []
            for sentence in sentences:
                counter += 1
                renumbered.append(replace(sentence, id=f"s{counter}"))
                if not sentence.evidence:
                    unsupported.append(f"s{counter}")
            sections.append(Section(ts.name, sentences=tuple(renumbered)))
        return Draft(
            template=template.name, sections=tuple(sections), engine=self.name,
            engine_version=self.version,
            meta={"model": self._gateway.model_label, "unsupported": ",".join(unsupported),
                  "extractive_sections": "|".join(fallback),
                  "withheld_sections": "|".join(withheld)},
        )

    def _lines(self, transcript: Transcript, ts: TemplateSection,
               context: DraftContext) -> list[str]:
        """Transcript lines for the prompt: all of them, or the turns most about the section."""
        lines = []
        for seg in transcript.segments:
            role = context.speaker_roles.get(seg.speaker, "").replace("_", " ")
            who = f"{seg.speaker} ({role})" if role else seg.speaker
            tagged = context.tags.get(seg.id, ())
            mark = f" [tagged by the practitioner: {', '.join(tagged)}]" if tagged else ""
            lines.append((seg, f"{seg.id}: {who}{mark}: {' '.join(seg.text.split())}"))
        total = sum(len(line.split()) for _, line in lines)
        if total <= self._max_words:
            return [line for _, line in lines]
        keys = [k.lower().rstrip("*") for k in ts.keywords]
        wanted = set(ts.tags)
        ranked = sorted(
            range(len(lines)),
            key=lambda i: -sum(k in lines[i][0].text.lower() for k in keys)
            - (10 if wanted & set(context.tags.get(lines[i][0].id, ())) else 0),
        )
        chosen: set[int] = set()
        words = 0
        for i in ranked:
            size = len(lines[i][1].split())
            if words + size > self._max_words:
                continue
            chosen.add(i)
            words += size
        return [lines[i][1] for i in sorted(chosen)]

    def _section(
        self, transcript: Transcript, ts: TemplateSection, context: DraftContext
    ) -> list[Sentence]:
        tags = f"Moments tagged {', '.join(ts.tags)} belong here.\n" if ts.tags else ""
        prompt = (
            f"Section: {ts.name}\nWhat belongs here: {ts.guidance}\n{tags}"
            f"Write at most {ts.max_sentences} short sentences.\n\nTranscript:\n"
            + "\n".join(self._lines(transcript, ts, context))
        )
        rendered: SurrogateText | None = None
        system = _SYSTEM
        if self._surrogates is not None:
            rendered = to_surrogates(prompt, self._surrogates, self._people)
            prompt, system = rendered.text, _SYSTEM_SURROGATE
        allowed = rendered.surfaces if rendered else ()

        def ask(text: str) -> str:
            return self._gateway.complete(
                [ChatMessage("system", system), ChatMessage("user", text)],
                known_people=self._people, json_schema=_schema(ts.max_sentences),
                max_tokens=min(40 + self._tokens_per_sentence * ts.max_sentences, 400),
                allowed_surfaces=allowed,
            )

        try:
            reply = ask(prompt)
        except IdentifierRefused:
            # The gateway read an identifier the pseudonymiser had missed: those words are
            # withheld and the rest is sent (and scanned again); a second refusal stands.
            reply = ask(self._gateway.withhold_identifiers(prompt, self._people, allowed))
        out: list[Sentence] = []
        for answer, cited in _parse(reply)[: ts.max_sentences]:
            text = to_placeholders(answer, rendered) if rendered else answer
            verdict = verify(text, cited, transcript)
            evidence = tuple(
                Evidence(t, 0, len(transcript.segment(t).text), round(verdict.support, 2))
                for t in verdict.turns
            ) if verdict.supported else ()
            out.append(Sentence("", text, SentenceKind.SUMMARY, evidence))
        return out


def _parse(reply: str) -> list[tuple[str, list[int]]]:
    """``(text, turns)`` pairs from the model's JSON; anything malformed is an error."""
    return cited_sentences(reply, "turns")
