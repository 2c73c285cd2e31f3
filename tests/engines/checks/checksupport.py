"""Building small drafts and transcripts for the checker tests."""

from __future__ import annotations

from collections.abc import Sequence

from casenotes.domain.draft import Draft, Evidence, Section, Sentence, SentenceKind
from casenotes.domain.flags import FlagKind
from casenotes.domain.template import Template, TemplateSection
from casenotes.domain.transcript import Segment, Transcript
from casenotes.engines.checks import (
    DetailChecker,
    LanguageChecker,
    OmissionChecker,
    UnsupportedClaimChecker,
)
from casenotes.engines.checks.lexicon import topics
from casenotes.engines.embed import MiniLMEmbedder
from casenotes.pipeline.check import CheckContext

TEMPLATE = Template("t", "T", "1", (
    TemplateSection("Discussion", fallback=True),
    TemplateSection("Their voice", voice=True),
    TemplateSection("Actions agreed (who, what, by when)"),
    TemplateSection("Analysis", reserved=True),
))
#: The check context of ``TEMPLATE``.
CONTEXT = CheckContext(TEMPLATE)


def topic_keys(name: str, text: str) -> set[str]:
    """The keys of the named topic list's entries that ``text`` matches."""
    return {t.key for t in topics(name) if t.matches(text)}


def transcript(*turns: tuple[str, str]) -> Transcript:
    """Turns as (speaker, text), numbered from 1."""
    return Transcript(tuple(Segment(i, who, text) for i, (who, text) in enumerate(turns, 1)))


def sentence(sid: str, text: str, turns: Sequence[int] = (),
             kind: SentenceKind = SentenceKind.SUMMARY) -> Sentence:
    return Sentence(sid, text, kind, tuple(Evidence(t) for t in turns))


def draft(*sentences: Sentence, section: str = "Discussion",
          analysis: str = "") -> Draft:
    sections = [Section(section, sentences=tuple(sentences))]
    if section != "Analysis":
        sections.append(Section("Analysis", reserved=True, human_text=analysis))
    return Draft("t", tuple(sections))


def omitted_turns(embedder: MiniLMEmbedder, note: Draft, said: Transcript) -> set[int]:
    """The transcript turns the omission check points at for ``note``."""
    flags = OmissionChecker(embedder=embedder).check(note, said, CONTEXT)
    return {i for f in flags if f.kind is FlagKind.OMISSION for i in f.segment_ids}


def claim_explanations(embedder: MiniLMEmbedder, text: str, *turns: tuple[str, str],
                       linked: tuple[int, ...] = (1,)) -> str:
    """The unsupported-claim check's explanations for ``text`` drafted from ``turns``."""
    flags = UnsupportedClaimChecker(embedder).check(
        draft(sentence("s1", text, linked)), transcript(*turns), CONTEXT)
    return " ".join(f.explanation for f in flags if f.sentence_id == "s1")


def detail_explanations(text: str, *turns: tuple[str, str],
                        linked: tuple[int, ...] = (1,)) -> str:
    """The detail check's explanations for ``text`` drafted from ``turns``."""
    flags = DetailChecker().check(draft(sentence("s1", text, linked)), transcript(*turns),
                                  CONTEXT)
    return " ".join(f.explanation for f in flags)


def language_suggestions(text: str) -> list[str]:
    """The language check's suggested rewordings of ``text``."""
    flags = LanguageChecker().check(draft(sentence("s1", text, [1])),
                                    transcript(("[PERSON_1]", "…")), CONTEXT)
    return [f.suggestion for f in flags if f.suggestion and f.suggestion != text]

