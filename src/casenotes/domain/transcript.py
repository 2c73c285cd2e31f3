"""Transcripts: what was said, by whom, and when."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: A dropped g, as speech is often written down: "freezin'", "not sleepin'", "two in the mornin'".
_DROPPED_G = re.compile(r"(?<=[A-Za-z]{2})in['’](?![\w'’])")


def restore_dropped_g(text: str) -> str:
    """``text`` with every dropped g put back ("freezin'" → "freezing"), for matching words."""
    return _DROPPED_G.sub("ing", text)


@dataclass(frozen=True)
class Word:
    """One recognised word with its audio time and the recogniser's confidence (0–1)."""

    text: str
    start: float | None = None
    end: float | None = None
    confidence: float | None = None


@dataclass(frozen=True)
class Segment:
    """One speaker turn.

    ``id`` is the turn's stable identifier within its transcript (1-based, in order).
    ``speaker`` is the label as captured ("Speaker 1", "Social worker", a participant name).
    """

    id: int
    speaker: str
    text: str
    start: float | None = None
    end: float | None = None
    words: tuple[Word, ...] = ()

    def times(self) -> str:
        """Human-readable audio time range, or an empty string when there is none."""
        if self.start is None:
            return ""
        end = f"–{format_time(self.end)}" if self.end is not None else ""
        return f"{format_time(self.start)}{end}"


@dataclass(frozen=True)
class Tag:
    """An observation tag the practitioner tapped during the visit, at an audio time."""

    kind: str
    time: float
    words: str = ""


@dataclass(frozen=True)
class Transcript:
    """An ordered list of segments, with the speakers that appear in it."""

    segments: tuple[Segment, ...]
    tags: tuple[Tag, ...] = field(default=())

    def segment(self, segment_id: int) -> Segment:
        for seg in self.segments:
            if seg.id == segment_id:
                return seg
        raise KeyError(segment_id)

    @property
    def speakers(self) -> list[str]:
        seen: list[str] = []
        for seg in self.segments:
            if seg.speaker not in seen:
                seen.append(seg.speaker)
        return seen

    @property
    def text(self) -> str:
        return "\n".join(f"{s.speaker}: {s.text}" for s in self.segments)


def format_time(seconds: float | None) -> str:
    """``75.2`` → ``01:15``; hours appear only when needed."""
    if seconds is None:
        return ""
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}"
