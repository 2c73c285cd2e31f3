"""Omission check: safeguarding and risk content said in the conversation must be in the note.

A turn is about a risk topic (injury, harm, threats, self-harm, domestic abuse, substance use,
missing school, unsafe housing, medication, money worries, mood, self-neglect, daily living, a
fire risk, consent to share information, a child's fear or wish, going missing or being
locked in, money taken, a child's distress … the topics of ``data/safeguarding_topics.yaml``,
extendable, each with the everyday words risk is said in: a fist through a door, "had a few",
money gone from an account, a door locked at night, wetting the bed again) when it matches
one of the topic's patterns or, by meaning, one of its plain descriptions (MiniLM
similarity), so that a risk said in other words than the list's is still seen. A topic kept
for some speakers (a child's fear or wish) is not read into the words of a speaker whose role
is known to be another.

A question asserts nothing: its topic passes to the answer ("Any thoughts of harming
yourself?" / "No. None."), and the answer is judged with it; what a turn states before its
question ("The fire service were worried about the stove. How are you getting on?") is judged
on its own. A follow-up question ("What has she said?") keeps the serious subject of the
account its speaker was giving. A turn in another language (an interpreted visit's original
words) is left to the interpreter's turn.

Such a turn is covered when a drafted sentence is linked to it (or to the plain question it
answers, and is about the answer too: "We talked about your tablets" does not record "I
stopped them") or says what it said (MiniLM similarity with the turn, or with the question
and answer together). Otherwise the check points at the turn so the practitioner can decide
whether it belongs in the note.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from casenotes.domain.draft import Draft
from casenotes.domain.flags import Flag, FlagKind, Severity
from casenotes.domain.transcript import Segment, Transcript
from casenotes.engines.checks.lexicon import Topic, topics
from casenotes.engines.checks.wording import STOPWORDS, content_stems, words
from casenotes.pipeline.check import CheckContext
from casenotes.pipeline.embed import Embedder, cosine

_SERIOUS = frozenset({"injury", "harm", "threats", "self_harm", "domestic_abuse"})
#: Topics a speaker's account keeps through a follow-up question ("What has she said?").
_FOLLOWED = _SERIOUS | {"police_and_missing"}
#: Content words a turn needs before its meaning alone can make it about a topic (on its own,
#: and read with its question).
_MEANT = 3
_MEANT_WITH_QUESTION = 2
_KEEP_TRANSCRIPTS = 16
#: Content words a follow-up answer needs to carry on the account it follows ("I rang her
#: yesterday. She said …"), and a statement before a question to count on its own.
_ACCOUNT = 4
_PREAMBLE = 6
#: Words by which a question points back at what was just said.
_POINTS_BACK = re.compile(r"\b(?:it|them|that|this|those|these|one)\b", re.IGNORECASE)


def _default_embedder() -> Embedder:
    from casenotes.engines.embed.minilm import MiniLMEmbedder

    return MiniLMEmbedder()


def is_question(text: str) -> bool:
    """Whether a turn ends by asking something."""
    return text.strip().endswith("?")


def asks(text: str) -> bool:
    """Whether any sentence of a turn asks something."""
    return "?" in text


_SENTENCES = re.compile(r"[^.!?]+[.!?]*")
#: The start of a turn that only agrees or lets the other go on ("Yeah.", "Go on.", "Aye.").
_AGREE = re.compile(r"^\W*(?:yes|yeah|yep|yup|aye|ok|okay|sure|right|fine|go on|got it|alright|"
                    r"all right|of course|please|mm+|uh-huh|definitely)\b", re.IGNORECASE)
#: What an agreeing turn may add and still say nothing of its own ("Yeah. Do it.").
_AGREE_EXTRA = 2
#: "So …": how a worker sums up what was just said back to the speaker.
_SUMS_UP = re.compile(r"^\W*(?:so|right,? so|okay,? so|ok,? so)\b,?", re.IGNORECASE)


def agrees(text: str) -> bool:
    """Whether a turn only agrees or lets the other go on ("Yeah.", "Go on.", "Yeah. Yeah,
    take them, Mam."): it says nothing its question did not."""
    return (_AGREE.match(text.replace("’", "'")) is not None and not asks(text)
            and len(content_stems(_AGREE.sub("", text.replace("’", "'")))) <= _AGREE_EXTRA)


def restates(text: str, before: str) -> bool:
    """Whether a turn sums up the one before it ("So twelve hundred pounds in cash, from
    savings you kept at home." after "Twelve hundred … cash … I had it in the tin"): it
    starts with "So", asks nothing, and most of its words were in that turn."""
    if not _SUMS_UP.match(text) or asks(text):
        return False
    mine, theirs = set(content_stems(text)), set(content_stems(before))
    return len(mine & theirs) >= 2 and 2 * len(mine & theirs) >= len(mine)


def statement_part(text: str) -> str:
    """The sentences of a turn that do not ask anything."""
    return " ".join(s.strip() for s in _SENTENCES.findall(text)
                    if s.strip() and not s.strip().endswith("?")
                    and len(content_stems(s)) >= 1)


def _speaks_for(topic: Topic, role: str, roles: Mapping[str, str] | None = None) -> bool:
    """Whether a topic limited to some speakers (a child's fear or wish) can be about a turn
    of a speaker with this role; an unknown role, or an interpreter's, may be anyone's who
    took part: when the case record gives the speakers' roles and none of them has such a
    role (no child spoke), an interpreter's words are not a child's."""
    if not topic.speaker_roles or not role or role in topic.speaker_roles:
        return True
    if "interpret" not in role:
        return False
    known = [r for r in (roles or {}).values() if r and "interpret" not in r]
    return not known or any(r in topic.speaker_roles or _CHILD_ROLE.search(r) for r in known)


#: A role that is a child's ("child", "child_in_placement", "unaccompanied_asylum_seeking_child,
#: _looked_after"), not a professional's ("child_protection_chair", "children's_services").
_CHILD_ROLE = re.compile(r"(?:^|[_(,])(?:child|young_person|young_people)"
                         r"(?!ren|_(?:protection|abuse|exploitation))")


def is_english(text: str) -> bool:
    """Whether a turn is (mostly) English: a turn of five words or more without English
    function words is another language (an interpreted visit's original words; the
    interpreter's turn carries them in English)."""
    found = words(text)
    if len(found) < 5:
        return True
    return sum(w in STOPWORDS for w in found) / len(found) >= 0.15


@dataclass(frozen=True)
class Reading:
    """A transcript as the omission check reads it (see :meth:`OmissionChecker.read`)."""

    texts: list[str]
    questions: list[bool]  # the turn ends by asking
    asked: list[bool]  # the turn answers a question of someone else's
    stated: list[str]  # what the turn states (before its question, if it ends by asking)
    vectors: npt.NDArray[np.float32]  # one per unit
    owner: list[int]  # the turn each unit speaks for
    about: list[list[Topic]]  # the risk topics of each turn


class OmissionChecker:
    """Flags safeguarding or risk content in the transcript that the draft does not cover.

    ``risk_similarity``: how close (MiniLM cosine) a turn must be to a topic's description to
    count as being about it; ``covered_similarity``: how close a drafted sentence must be to a
    turn to count as saying what it said; ``question_similarity``: how close a sentence linked
    to a question must be to the question and its answer together to count as recording the
    answer too. Measured on the visit cases (benchmarks/checks.py, docs/checks.md): 0.35, 0.70
    and 0.40.
    """

    name = "omission"
    version = "2.1"

    def __init__(self, data_dirs: Sequence[Path] = (), *, embedder: Embedder | None = None,
                 risk_similarity: float = 0.35, covered_similarity: float = 0.70,
                 question_similarity: float = 0.40, gap: int = 2) -> None:
        # MiniLM loads its model on first use, so making the embedder here costs nothing.
        self._embedder = embedder if embedder is not None else _default_embedder()
        self._topics = topics("safeguarding_topics.yaml", data_dirs)
        self._descriptions = [(t, d) for t in self._topics for d in t.descriptions]
        self._description_vectors: npt.NDArray[np.float32] | None = None
        self._turn_vectors: dict[tuple[str, ...], npt.NDArray[np.float32]] = {}
        self._lock = threading.Lock()
        self.risk_similarity = risk_similarity
        self.covered_similarity = covered_similarity
        self.question_similarity = question_similarity
        self._gap = gap

    def check(self, draft: Draft, transcript: Transcript, context: CheckContext) -> list[Flag]:
        segments = list(transcript.segments)
        if not segments:
            return []
        reading = self.read(segments, context.speaker_roles)
        texts, questions, asked, stated = (reading.texts, reading.questions, reading.asked,
                                           reading.stated)
        about, owner = reading.about, reading.owner
        linked = {i for _, s in draft.sentences() for i in s.segment_ids}
        links = [set(s.segment_ids) for _, s in draft.sentences()]
        said = [s.text for _, s in draft.sentences()]
        said += [sec.human_text for sec in draft.sections if sec.human_text.strip()]
        cover = np.zeros(len(texts), dtype=np.float32)
        sims = np.zeros((len(owner), 0), dtype=np.float32)
        if said:
            sims = cosine(reading.vectors, self._embedder.embed(said))
            for unit, best in enumerate(sims.max(axis=1)):
                n = owner[unit]
                # An answer read with a question that says much itself (a chair's "So the
                # purpose today is … Marcus, can you start us off?") is covered by what
                # records the question, not the answer: only the answer's own words count.
                if (unit >= len(texts) and unit < len(texts) + sum(asked)
                        and len(content_stems(stated[n - 1])) >= _PREAMBLE):
                    continue
                cover[n] = max(cover[n], float(best))
        # The unit that reads each answer with its question.
        pair_unit = {n: unit for unit, n in enumerate(owner) if unit >= len(texts)
                     and asked[n] and unit < len(texts) + sum(asked)}
        missing: dict[int, list[Topic]] = {}
        for n, seg in enumerate(segments):
            if not about[n] or seg.id in linked or not is_english(texts[n]):
                continue
            if questions[n] and not stated[n]:
                continue  # a question asserts nothing
            if (asked[n] and segments[n - 1].id in linked and not stated[n - 1]
                    and self._records_exchange(sims, links, segments[n - 1].id,
                                               pair_unit.get(n))):
                continue  # the sentence linked to the question records the exchange
            if float(cover[n]) >= self.covered_similarity:
                continue
            if n and (asked[n] and agrees(texts[n]) and not self._own_topics(texts[n])
                      or restates(texts[n], texts[n - 1])) \
                    and segments[n - 1].speaker != seg.speaker:
                # "Yeah." to a question, "So twelve hundred in cash." after an account: the
                # turn says no more than the one before it, so it is recorded when that one
                # is, and pointed at together with it when not.
                if (segments[n - 1].id in linked
                        or float(cover[n - 1]) >= self.covered_similarity):
                    continue
                if restates(texts[n], texts[n - 1]):
                    missing.setdefault(segments[n - 1].id, about[n])
            missing[seg.id] = about[n]
        position = {seg.id: n for n, seg in enumerate(segments)}
        section = self._section(draft, context)
        runs = self._runs([seg for seg in segments if seg.id in missing], position)
        return [self._flag(run, [t for seg in run for t in missing[seg.id]], section)
                for run in runs]

    def _own_topics(self, text: str) -> list[Topic]:
        """The topics a turn's own words name (not its question's)."""
        return [t for t in self._topics if t.matches(text)]

    def _records_exchange(self, sims: npt.NDArray[np.float32], links: list[set[int]],
                          question: int, unit: int | None) -> bool:
        """Whether a sentence linked to the question is about the answer too (read with its
        question): "We talked about your tablets" linked to "And your tablets?" does not
        record "I stopped them three weeks ago"."""
        if unit is None:
            return False
        return any(question in ids and float(sims[unit, k]) >= self.question_similarity
                   for k, ids in enumerate(links))

    def read(self, segments: list[Segment],
             speaker_roles: Mapping[str, str] | None = None) -> Reading:
        """What each turn is about, and the units (turns, answers with their questions, the
        statements before a question) whose meaning is compared with the draft."""
        texts = [seg.text for seg in segments]
        questions = [is_question(t) for t in texts]
        # An answer is read with its question: the question says what the answer is about.
        # A turn asks when any of its sentences does ("Can I ask about the boxes? They go
        # right up the stairs.").
        asked = [n > 0 and asks(texts[n - 1]) and segments[n - 1].speaker != seg.speaker
                 for n, seg in enumerate(segments)]
        # What a turn that ends by asking states before its question ("The fire service came
        # last week and were worried. How are you getting on?") is judged on its own.
        stated = [statement_part(t) if questions[n] else t for n, t in enumerate(texts)]
        pairs = [n for n in range(len(texts)) if asked[n]]
        preambles = [n for n in range(len(texts)) if questions[n] and stated[n]]
        units = (texts + [f"{texts[n - 1]} {texts[n]}" for n in pairs]
                 + [stated[n] for n in preambles])
        vectors = self._vectors(tuple(units))
        owner = list(range(len(texts))) + pairs + preambles  # which turn each unit speaks for
        judged = [u for u, n in enumerate(owner) if not questions[n]]
        about = self._about(segments, stated, asked, vectors, owner, judged)
        # A topic about what a child says (their fear or wish) is not about an adult's words.
        roles = speaker_roles or {}
        about = [[t for t in found if _speaks_for(t, roles.get(seg.speaker, ""), roles)]
                 for found, seg in zip(about, segments, strict=True)]
        return Reading(texts, questions, asked, stated, vectors, owner, about)

    def _about(self, segments: list[Segment], stated: list[str], asked: list[bool],
               vectors: npt.NDArray[np.float32], owner: list[int],
               judged: list[int]) -> list[list[Topic]]:
        """The topics each turn is about: by pattern (its own, its question's, or those of the
        account its speaker was giving when a follow-up question came), or by the meaning of
        the turn (with its question) against the topics' descriptions. A turn that ends by
        asking is about what it states before its question; all of it passes to the answer."""
        texts = [seg.text for seg in segments]
        whole = [[t for t in self._topics if t.matches(text)] for text in texts]
        ends_asking = [is_question(t) for t in texts]
        found = [[t for t in self._topics if t.matches(text)]
                 if not ends_asking[n] or len(content_stems(text)) >= _PREAMBLE else []
                 for n, text in enumerate(stated)]
        for n in range(1, len(texts)):
            if not asked[n] or ends_asking[n]:
                continue
            found[n] += [t for t in whole[n - 1] if t not in found[n]]
            # "When did you last have it?", "How do you know if he's having one?": a question
            # with no subject of its own that points back carries on the one before it.
            if n >= 2 and not whole[n - 1] and _POINTS_BACK.search(texts[n - 1]):
                found[n] += [t for t in found[n - 2] if t not in found[n]]
            # "What has she said?" / "Was she on her own?": a follow-up question keeps the
            # subject of the account the same speaker was giving.
            if (n >= 2 and segments[n - 2].speaker == segments[n].speaker
                    and len(content_stems(texts[n])) >= _ACCOUNT):
                found[n] += [t for t in found[n - 2] if t.key in _FOLLOWED and t not in found[n]]
        if self._descriptions:
            sims = cosine(vectors[judged], self._descriptions_embedded())
            for row, unit in enumerate(judged):
                n = owner[unit]
                # A word or two ("Aye, howay.", "Here.") says nothing by its meaning alone,
                # nor does it with its question.
                if len(content_stems(texts[n])) < (_MEANT if unit == n else _MEANT_WITH_QUESTION):
                    continue
                best = int(np.argmax(sims[row]))
                topic = self._descriptions[best][0]
                if float(sims[row, best]) >= self.risk_similarity and topic not in found[n]:
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
