"""Drafts: sections of sentences, each sentence with the evidence it came from."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace


class SentenceKind(enum.StrEnum):
    SUMMARY = "summary"
    QUOTE = "quote"  # the person's own words, verbatim
    HUMAN = "human"  # written by the practitioner


@dataclass(frozen=True)
class Evidence:
    """Where a sentence came from: a transcript segment and the character span used in it."""

    segment_id: int
    start: int = 0
    end: int = 0
    support: float = 1.0


@dataclass(frozen=True)
class Sentence:
    """One sentence of a draft.

    ``id`` is stable within the draft (``"s3"``) so edits, flags and evidence links survive
    re-rendering.
    """

    id: str
    text: str
    kind: SentenceKind = SentenceKind.SUMMARY
    evidence: tuple[Evidence, ...] = ()

    @property
    def segment_ids(self) -> list[int]:
        return sorted({e.segment_id for e in self.evidence})


@dataclass(frozen=True)
class Section:
    name: str
    reserved: bool = False
    sentences: tuple[Sentence, ...] = ()
    human_text: str = ""  # what the practitioner wrote (reserved sections, additions)

    @property
    def is_empty(self) -> bool:
        return not self.sentences and not self.human_text.strip()


@dataclass(frozen=True)
class Draft:
    """A drafted note in a template's sections, as the drafter produced it."""

    template: str
    sections: tuple[Section, ...]
    engine: str = ""
    engine_version: str = ""
    meta: dict[str, str] = field(default_factory=dict)

    def sentences(self) -> list[tuple[Section, Sentence]]:
        return [(sec, s) for sec in self.sections for s in sec.sentences]

    def sentence(self, sentence_id: str) -> Sentence:
        for _, s in self.sentences():
            if s.id == sentence_id:
                return s
        raise KeyError(sentence_id)

    def section(self, name: str) -> Section:
        for sec in self.sections:
            if sec.name == name:
                return sec
        raise KeyError(name)

    def with_section(self, section: Section) -> Draft:
        return replace(
            self,
            sections=tuple(section if s.name == section.name else s for s in self.sections),
        )
