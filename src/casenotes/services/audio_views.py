"""Plain views of audio recordings and their transcription, for the web app and the CLI."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TranscriptionStatus:
    recording_id: int
    status: str  # none / queued / running / cancelling / cancelled / interrupted / failed /
    #               no_speech / done
    chunks_done: int
    chunks_total: int
    message: str = ""
    has_audio: bool = False
    duration_s: float = 0.0

    @property
    def percent(self) -> int:
        if self.status == "done":
            return 100
        return int(100 * self.chunks_done / self.chunks_total) if self.chunks_total else 0

    @property
    def finished(self) -> bool:
        return self.status in ("done", "no_speech")

    @property
    def active(self) -> bool:
        return self.status in ("queued", "running", "cancelling")

    @property
    def resumable(self) -> bool:
        return self.has_audio and self.status in ("none", "cancelled", "interrupted", "failed")


@dataclass(frozen=True)
class WordView:
    text: str
    start: float | None
    confidence: float | None
    reasons: tuple[str, ...] = ()  # low-confidence / name / near-miss
    suggestion: str | None = None

    @property
    def marked(self) -> bool:
        return bool(self.reasons)

    @property
    def explanation(self) -> str:
        parts = []
        if "low-confidence" in self.reasons:
            sure = f" ({self.confidence:.0%} sure)" if self.confidence is not None else ""
            parts.append(f"the recogniser was unsure of this word{sure}")
        if "name" in self.reasons:
            parts.append("it looks like a name or place: check the spelling")
        if "near-miss" in self.reasons and self.suggestion:
            parts.append(f"close to the known name '{self.suggestion}': confirm which is right")
        return "; ".join(parts).capitalize()


@dataclass(frozen=True)
class HeardSegmentView:
    seq: int
    speaker: str
    text: str
    start: float | None
    end: float | None
    times: str
    words: tuple[WordView, ...]
    edits: int = 0

    @property
    def marked_words(self) -> int:
        return sum(1 for w in self.words if w.marked)


@dataclass(frozen=True)
class TagView:
    id: int
    kind: str
    time: float
    shown_time: str
    words: str


@dataclass(frozen=True)
class SpeakerChoice:
    label: str  # as heard: "Speaker 1"
    mapped_to: str | None  # the participant's name once mapped


@dataclass(frozen=True)
class AudioTranscriptView:
    recording_id: int
    case_id: int
    title: str
    stage: str
    editable: bool
    status: TranscriptionStatus
    segments: tuple[HeardSegmentView, ...]
    tags: tuple[TagView, ...]
    speakers: tuple[SpeakerChoice, ...]
    participants: tuple[tuple[int, str], ...]  # (person id, name) of the case's people
    tag_kinds: tuple[str, ...] = field(default=())
