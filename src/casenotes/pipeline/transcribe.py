"""Transcription stage: audio chunks → timed, speaker-labelled segments with marked uncertainty.

The work is split so that a long recording can be done chunk by chunk and resumed:
:func:`transcribe_chunk` turns one chunk into :class:`HeardTurn` s (times already shifted to the
recording's clock, each with a speaker embedding), which the caller stores; :func:`assemble`
then clusters all the embeddings into speakers and builds the :class:`Transcript`.

:func:`word_marks` is the post-pass that says where the transcript is unsure: low-confidence
words, words that look like a name or place, and near-misses of a known participant's name
(with the known spelling proposed for the practitioner to confirm).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz

from casenotes.domain.transcript import Segment, Transcript, Word

Samples = npt.NDArray[np.float32]
LOW_CONFIDENCE = 0.5
NEAR_MISS_SCORE = 70.0  # rapidfuzz ratio; "Kaylee" vs "Kayleigh" scores 71
SURE_NEAR_MISS = 80.0  # at or above this the first letters need not agree
PAUSE_SPLIT = 0.5  # seconds between words at which a segment is split for speaker turns


@dataclass(frozen=True)
class HeardSegment:
    """What the recogniser heard in one stretch of speech (times relative to its input)."""

    start: float
    end: float
    text: str
    words: tuple[Word, ...] = ()


class Transcriber(Protocol):
    """Speech → text with word times and confidences. Silence must give no segments."""

    name: str

    def transcribe(self, audio: Samples, *, vocabulary: Sequence[str] = ()) -> list[HeardSegment]:
        """Transcribe 16 kHz mono audio; ``vocabulary`` lists names likely to be spoken."""
        ...


class Diariser(Protocol):
    """Who spoke: one voice embedding per stretch of speech, then clustering into speakers."""

    name: str

    def embed(self, audio: Samples, spans: Sequence[tuple[float, float]]) -> list[list[float]]:
        """One embedding per (start, end) span of ``audio`` (seconds, relative to ``audio``)."""
        ...

    def cluster(self, embeddings: Sequence[Sequence[float]], *, speakers: int | None) -> list[int]:
        """A speaker number (0-based) per embedding; ``speakers`` fixes how many when known."""
        ...


@dataclass(frozen=True)
class HeardTurn:
    """A segment on the recording's clock, with its voice embedding (empty in dictation)."""

    start: float
    end: float
    text: str
    words: tuple[Word, ...]
    embedding: tuple[float, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text,
                "words": [[w.text, w.start, w.end, w.confidence] for w in self.words],
                "embedding": list(self.embedding)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> HeardTurn:
        return cls(start=float(data["start"]), end=float(data["end"]), text=str(data["text"]),
                   words=tuple(Word(*w) for w in data["words"]),
                   embedding=tuple(float(x) for x in data["embedding"]))


def transcribe_chunk(
    audio: Samples, offset: float, transcriber: Transcriber, diariser: Diariser | None, *,
    vocabulary: Sequence[str] = (),
) -> list[HeardTurn]:
    """Transcribe one chunk and embed each of its segments' voices (unless dictation)."""
    heard = [piece for s in transcriber.transcribe(audio, vocabulary=vocabulary)
             if s.text.strip() for piece in split_at_pauses(s)]
    embeddings: list[list[float]] = []
    if diariser is not None and heard:
        embeddings = diariser.embed(audio, [(s.start, s.end) for s in heard])
    turns = []
    for i, seg in enumerate(heard):
        words = tuple(
            Word(w.text, _shift(w.start, offset), _shift(w.end, offset), w.confidence)
            for w in seg.words
        )
        turns.append(HeardTurn(
            start=round(seg.start + offset, 3), end=round(seg.end + offset, 3),
            text=seg.text.strip(), words=words,
            embedding=tuple(embeddings[i]) if embeddings else (),
        ))
    return turns


def split_at_pauses(segment: HeardSegment, pause: float = PAUSE_SPLIT) -> list[HeardSegment]:
    """Split a recogniser segment wherever its words pause for ``pause`` seconds or more.

    Whisper's segments follow its own timestamps and may span a change of speaker; a pause is
    where turns change, so each piece gets its own voice embedding.
    """
    words = segment.words
    if len(words) < 2 or any(w.start is None or w.end is None for w in words):
        return [segment]
    pieces: list[list[Word]] = [[words[0]]]
    for before, word in zip(words, words[1:], strict=False):
        if (word.start or 0.0) - (before.end or 0.0) >= pause:
            pieces.append([])
        pieces[-1].append(word)
    if len(pieces) == 1:
        return [segment]
    return [HeardSegment(start=float(p[0].start or 0.0), end=float(p[-1].end or 0.0),
                         text=" ".join(w.text for w in p), words=tuple(p)) for p in pieces]


def _shift(value: float | None, offset: float) -> float | None:
    return None if value is None else round(value + offset, 3)


def speaker_label(number: int) -> str:
    return f"Speaker {number + 1}"


def assemble(
    turns: Sequence[HeardTurn], diariser: Diariser | None, *, speakers: int | None = None,
    dictation_speaker: str = "Speaker 1",
) -> Transcript:
    """Cluster voices into Speaker 1, 2, … (numbered by first appearance) and merge each
    speaker's consecutive segments into one turn."""
    if not turns:
        return Transcript(segments=())
    with_voice = [t for t in turns if t.embedding]
    if diariser is None or len(with_voice) != len(turns):
        labels = [dictation_speaker] * len(turns)
    elif len(turns) == 1 or speakers == 1:
        labels = [speaker_label(0)] * len(turns)
    else:
        raw = diariser.cluster([t.embedding for t in turns], speakers=speakers)
        order: dict[int, int] = {}
        for value in raw:
            order.setdefault(value, len(order))
        labels = [speaker_label(order[v]) for v in raw]
    merged: list[Segment] = []
    for turn, label in zip(turns, labels, strict=True):
        last = merged[-1] if merged else None
        if last is not None and last.speaker == label:
            merged[-1] = Segment(
                id=last.id, speaker=label, text=f"{last.text} {turn.text}", start=last.start,
                end=turn.end, words=last.words + turn.words,
            )
        else:
            merged.append(Segment(id=len(merged) + 1, speaker=label, text=turn.text,
                                  start=turn.start, end=turn.end, words=turn.words))
    return Transcript(segments=tuple(merged))


# --- the post-pass: where is the transcript unsure? -------------------------------------------

_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
_SENTENCE_END = (".", "?", "!")
# Capitalised words that start no name: the pronoun, days, months and common sentence openers.
_NOT_NAMES = frozenset("""
I I'm I've I'll I'd OK Okay Yes Yeah No Mr Mrs Ms Dr Monday Tuesday Wednesday Thursday Friday
Saturday Sunday January February March April May June July August September October November
December English God Christmas Oh Hi Hello Right Well So And But
""".split())


@dataclass(frozen=True)
class WordMark:
    """Why one word (by position in its segment) needs a look, and the known spelling if any."""

    index: int
    reasons: tuple[str, ...]  # "low-confidence", "name", "near-miss"
    suggestion: str | None = None


@dataclass
class _Vocabulary:
    words: dict[str, str] = field(default_factory=dict)  # lower-case → known spelling

    @classmethod
    def of(cls, names: Sequence[str]) -> _Vocabulary:
        vocab = cls()
        for name in names:
            for part in _WORD.findall(name):
                if len(part) > 2 and part not in _NOT_NAMES:
                    vocab.words.setdefault(part.lower(), part)
        return vocab

    def closest(self, word: str) -> tuple[str, float] | None:
        best: tuple[str, float] | None = None
        for spelling in self.words.values():
            score = fuzz.ratio(word.lower(), spelling.lower())
            if best is None or score > best[1]:
                best = (spelling, score)
        return best


def word_marks(
    segment: Segment, known_names: Sequence[str], *, low_confidence: float = LOW_CONFIDENCE,
) -> list[WordMark]:
    """Marks for the words of one segment that the practitioner should check."""
    vocab = _Vocabulary.of(known_names)
    marks = []
    previous = ""
    for index, word in enumerate(segment.words):
        token = word.text.strip()
        bare = "".join(_WORD.findall(token))
        reasons: list[str] = []
        suggestion: str | None = None
        if word.confidence is not None and word.confidence < low_confidence:
            reasons.append("low-confidence")
        sentence_start = index == 0 or previous.endswith(_SENTENCE_END)
        if bare and bare[0].isupper() and bare not in _NOT_NAMES and not sentence_start:
            reasons.append("name")
        # Near-misses are looked for among capitalised or unsure words only, so that ordinary
        # words ("daily") are not taken for names ("Bailey").
        if (bare and len(bare) > 2 and bare.lower() not in vocab.words
                and (bare[0].isupper() or "low-confidence" in reasons)):
            close = vocab.closest(bare)
            if close is not None and (close[1] >= SURE_NEAR_MISS or (
                    close[1] >= NEAR_MISS_SCORE and close[0][0].lower() == bare[0].lower())):
                reasons.append("near-miss")
                suggestion = close[0]
        if reasons:
            marks.append(WordMark(index=index, reasons=tuple(reasons), suggestion=suggestion))
        previous = token
    return marks


def vocabulary_prompt(names: Sequence[str]) -> str:
    """Whisper's initial prompt: the case's names, spelt as the case file spells them."""
    unique = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    return ", ".join(unique) + "." if unique else ""
