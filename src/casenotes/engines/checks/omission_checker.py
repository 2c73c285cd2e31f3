"""Omission check: safeguarding and risk content said in the conversation must be in the note.

A turn that speaks of injury, harm, threats, self-harm, domestic abuse, substance use, missing
school, unsafe housing, medication, money worries or a child's fear or wish (the topics in
``data/safeguarding_topics.yaml``, extendable) is covered when a drafted sentence is linked to
it, or to a neighbouring turn on the same topic, or speaks of the same topic in the same words.
Otherwise the check points at the turn so the practitioner can decide whether it belongs.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from casenotes.domain.draft import Draft
from casenotes.domain.flags import Flag, FlagKind, Severity
from casenotes.domain.transcript import Segment, Transcript
from casenotes.engines.checks.lexicon import Topic, topics
from casenotes.engines.checks.wording import content_stems
from casenotes.pipeline.check import CheckContext

_SERIOUS = frozenset({"injury", "harm", "threats", "self_harm", "domestic_abuse"})


class OmissionChecker:
    """Flags safeguarding or risk content in the transcript that the draft does not cover."""

    name = "omission"
    version = "1.0"

    def __init__(self, data_dirs: Sequence[Path] = (), *, shared_words: int = 2,
                 gap: int = 2) -> None:
        self._topics = topics("safeguarding_topics.yaml", data_dirs)
        self._shared = shared_words
        self._gap = gap

    def check(self, draft: Draft, transcript: Transcript, context: CheckContext) -> list[Flag]:
        sentences = [s for _, s in draft.sentences()]
        linked = {i for s in sentences for i in s.segment_ids}
        written = [sec.human_text for sec in draft.sections if sec.human_text.strip()]
        texts = [s.text for s in sentences] + written
        segments = list(transcript.segments)
        position = {seg.id: n for n, seg in enumerate(segments)}
        missing: dict[int, list[Topic]] = {}
        for n, seg in enumerate(segments):
            for topic in self._topics:
                if topic.matches(seg.text) and not self._covered(
                        topic, seg, n, segments, linked, texts):
                    missing.setdefault(seg.id, []).append(topic)
        section = self._section(draft, context)
        runs = self._runs([seg for seg in segments if seg.id in missing], position)
        return [self._flag(run, [t for seg in run for t in missing[seg.id]], section)
                for run in runs]

    def _covered(self, topic: Topic, seg: Segment, n: int, segments: list[Segment],
                 linked: set[int], texts: list[str]) -> bool:
        if seg.id in linked:
            return True
        for m in (n - 1, n + 1):
            if 0 <= m < len(segments) and segments[m].id in linked \
                    and topic.matches(segments[m].text):
                return True
        said = set(content_stems(seg.text))
        return any(topic.matches(t) and len(said & set(content_stems(t))) >= self._shared
                   for t in texts)

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
