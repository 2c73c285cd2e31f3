"""Omission check: safeguarding and risk content said in the conversation must be in the note.

A turn is about a risk topic (injury, harm, threats, self-harm, domestic abuse, substance use,
missing school, unsafe housing, medication, money worries, a child's fear or wish … the topics
of ``data/safeguarding_topics.yaml``, extendable) when it matches one of the topic's patterns
or, by meaning, one of its plain descriptions (MiniLM similarity), so that a risk said in other
words than the list's is still seen. A question asserts nothing: its topic passes to the answer
("Any thoughts of harming yourself?" / "No. None."), and the answer is judged with it.

Such a turn is covered when a drafted sentence is linked to it or says what it said (MiniLM
similarity with the turn, or with the question and answer together). Otherwise the check
points at the turn so the practitioner can decide whether it belongs in the note.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from casenotes.domain.draft import Draft
from casenotes.domain.flags import Flag, FlagKind, Severity
from casenotes.domain.transcript import Segment, Transcript
from casenotes.engines.checks.lexicon import Topic, topics
from casenotes.pipeline.check import CheckContext
from casenotes.pipeline.embed import Embedder, cosine

_SERIOUS = frozenset({"injury", "harm", "threats", "self_harm", "domestic_abuse"})
_KEEP_TRANSCRIPTS = 16


def _default_embedder() -> Embedder:
    from casenotes.engines.embed.minilm import MiniLMEmbedder

    return MiniLMEmbedder()


def is_question(text: str) -> bool:
    """Whether a turn ends by asking something."""
    return text.strip().endswith("?")


class OmissionChecker:
    """Flags safeguarding or risk content in the transcript that the draft does not cover.

    ``risk_similarity``: how close (MiniLM cosine) a turn must be to a topic's description to
    count as being about it; ``covered_similarity``: how close a drafted sentence must be to a
    turn to count as saying what it said. Measured on the visit cases (benchmarks/checks.py,
    docs/checks.md): 0.35 and 0.70.
    """

    name = "omission"
    version = "2.0"

    def __init__(self, data_dirs: Sequence[Path] = (), *, embedder: Embedder | None = None,
                 risk_similarity: float = 0.35, covered_similarity: float = 0.70,
                 gap: int = 2) -> None:
        # MiniLM loads its model on first use, so making the embedder here costs nothing.
        self._embedder = embedder if embedder is not None else _default_embedder()
        self._topics = topics("safeguarding_topics.yaml", data_dirs)
        self._descriptions = [(t, d) for t in self._topics for d in t.descriptions]
        self._description_vectors: npt.NDArray[np.float32] | None = None
        self._turn_vectors: dict[tuple[str, ...], npt.NDArray[np.float32]] = {}
        self._lock = threading.Lock()
        self.risk_similarity = risk_similarity
        self.covered_similarity = covered_similarity
        self._gap = gap

    def check(self, draft: Draft, transcript: Transcript, context: CheckContext) -> list[Flag]:
        segments = list(transcript.segments)
        if not segments:
            return []
        texts = [seg.text for seg in segments]
        questions = [is_question(t) for t in texts]
        # An answer is read with its question: the question says what the answer is about.
        asked = [n > 0 and questions[n - 1] and segments[n - 1].speaker != seg.speaker
                 for n, seg in enumerate(segments)]
        # Each turn on its own, and each answer together with its question.
        pairs = [n for n in range(len(texts)) if asked[n]]
        units = texts + [f"{texts[n - 1]} {texts[n]}" for n in pairs]
        vectors = self._vectors(tuple(units))
        owner = list(range(len(texts))) + pairs  # which turn each unit speaks for
        about = self._about(texts, asked, vectors, owner)
        linked = {i for _, s in draft.sentences() for i in s.segment_ids}
        said = [s.text for _, s in draft.sentences()]
        said += [sec.human_text for sec in draft.sections if sec.human_text.strip()]
        cover = np.zeros(len(texts), dtype=np.float32)
        if said:
            for unit, best in enumerate(cosine(vectors, self._embedder.embed(said)).max(axis=1)):
                cover[owner[unit]] = max(cover[owner[unit]], float(best))
        missing: dict[int, list[Topic]] = {}
        for n, seg in enumerate(segments):
            if questions[n] or not about[n] or seg.id in linked:
                continue
            if float(cover[n]) >= self.covered_similarity:
                continue
            missing[seg.id] = about[n]
        position = {seg.id: n for n, seg in enumerate(segments)}
        section = self._section(draft, context)
        runs = self._runs([seg for seg in segments if seg.id in missing], position)
        return [self._flag(run, [t for seg in run for t in missing[seg.id]], section)
                for run in runs]

    def _about(self, texts: list[str], asked: list[bool], vectors: npt.NDArray[np.float32],
               owner: list[int]) -> list[list[Topic]]:
        """The topics each turn is about: by pattern (its own, or its question's) or by the
        meaning of the turn (with its question) against the topics' descriptions."""
        found = [[t for t in self._topics if t.matches(text)] for text in texts]
        for n in range(1, len(texts)):
            if asked[n]:
                found[n] += [t for t in found[n - 1] if t not in found[n]]
        if self._descriptions:
            sims = cosine(vectors, self._descriptions_embedded())
            for unit, n in enumerate(owner):
                best = int(np.argmax(sims[unit]))
                topic = self._descriptions[best][0]
                if float(sims[unit, best]) >= self.risk_similarity and topic not in found[n]:
                    found[n].append(topic)
        return found

    def _descriptions_embedded(self) -> npt.NDArray[np.float32]:
        with self._lock:
            if self._description_vectors is None:
                self._description_vectors = self._embedder.embed(
                    [d for _, d in self._descriptions])
            return self._description_vectors

    def _vectors(self, units: tuple[str, ...]) -> npt.NDArray[np.float32]:
        """The turns' vectors, kept for the last few transcripts (drafts are re-checked after
        edits and regeneration)."""
        with self._lock:
            if units in self._turn_vectors:
                return self._turn_vectors[units]
        vectors = self._embedder.embed(list(units))
        with self._lock:
            self._turn_vectors[units] = vectors
            while len(self._turn_vectors) > _KEEP_TRANSCRIPTS:
                del self._turn_vectors[next(iter(self._turn_vectors))]
        return vectors

    def _runs(self, segs: list[Segment], position: dict[int, int]) -> list[list[Segment]]:
        runs: list[list[Segment]] = []
        for seg in segs:
            if runs and position[seg.id] - position[runs[-1][-1].id] <= self._gap:
                runs[-1].append(seg)
            else:
                runs.append([seg])
        return runs

    @staticmethod
    def _section(draft: Draft, context: CheckContext) -> str:
        for spec in context.template.sections:
            if spec.fallback:
                return spec.name
        for sec in draft.sections:
            if not sec.reserved:
                return sec.name
        return draft.sections[0].name if draft.sections else ""

    def _flag(self, run: list[Segment], found: list[Topic], section: str) -> Flag:
        ids = tuple(seg.id for seg in run)
        turns = ", ".join(str(i) for i in ids)
        plural = "s" if len(ids) > 1 else ""
        labels = list(dict.fromkeys(t.label for t in found))
        about = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
        return Flag(
            kind=FlagKind.OMISSION,
            severity=Severity.HIGH if any(t.key in _SERIOUS for t in found) else Severity.WARNING,
            explanation=(
                f"Turn{plural} {turns} of the conversation speak{'' if plural else 's'} of "
                f"{about}, and nothing in the draft covers it. Decide whether the note "
                "should record it."
            ),
            section=section,
            segment_ids=ids,
            suggestion=f"Add a sentence about what was said in turn{plural} {turns}, or "
                       "dismiss this flag with the reason it does not belong in the note.",
            checker=self.name,
        )
