"""A transcribed recording as the practitioner checks it: marked words, speakers, tags, edits.

Corrections are allowed until pseudonymisation starts (stage ``imported``); each is tracked
(old and new value, who, when) and the segment's audio times are kept.
"""

from __future__ import annotations

from casenotes.domain.errors import InvalidInput, NotFound, ReadOnly
from casenotes.domain.transcript import Segment, Word, format_time
from casenotes.pipeline.transcribe import word_marks
from casenotes.services.access import case_session, visible_recording
from casenotes.services.audio_views import (
    AudioTranscriptView,
    HeardSegmentView,
    SpeakerChoice,
    TagView,
    WordView,
)
from casenotes.services.audit_log import record
from casenotes.services.context import AppContext
from casenotes.services.transcription import status_in
from casenotes.services.views import UserView
from casenotes.store.models import Recording
from casenotes.store.repositories import audio as audio_repo
from casenotes.store.repositories import cases as cases_repo
from casenotes.store.repositories import recordings as recordings_repo

MAX_TAG_WORDS = 300


def _editable(recording: Recording) -> bool:
    return recording.source == "audio" and recording.stage == "imported"


def transcript_view(ctx: AppContext, actor: UserView, recording_id: int) -> AudioTranscriptView:
    with case_session(ctx, actor) as session:
        recording = visible_recording(session, actor, recording_id)
        people = cases_repo.people(session, case_id=recording.case_id)
        known = [p.name for p in people] + [a for p in people for a in p.aliases]
        rows = recordings_repo.segment_rows(session, recording_id=recording.id)
        edits = audio_repo.edit_counts(session, recording_id=recording.id)
        mapped = {m.label: m.name
                  for m in audio_repo.speaker_mappings(session, recording_id=recording.id)}
        low = ctx.settings.asr_low_confidence
        segments = []
        for row in rows:
            seg = Segment(id=row.seq, speaker=row.speaker, text=row.text, start=row.start,
                          end=row.end, words=tuple(Word(*w) for w in row.words))
            marks = {m.index: m for m in word_marks(seg, known, low_confidence=low)}
            words = tuple(
                WordView(w.text, w.start, w.confidence,
                         marks[i].reasons if i in marks else (),
                         marks[i].suggestion if i in marks else None)
                for i, w in enumerate(seg.words)
            )
            segments.append(HeardSegmentView(seq=row.seq, speaker=row.speaker, text=row.text,
                                             start=row.start, end=row.end, times=seg.times(),
                                             words=words, edits=edits.get(row.seq, 0)))
        labels: list[str] = []
        for seg_view in segments:
            if seg_view.speaker not in labels:
                labels.append(seg_view.speaker)
        labels += [label for label in mapped if label not in labels]
        tags = tuple(TagView(t.id, t.kind, t.time, format_time(t.time), t.words)
                     for t in audio_repo.tags(session, recording_id=recording.id))
        record(session, actor, "transcript.view", "recording", recording.id,
               f"segments={len(segments)}")
        return AudioTranscriptView(
            recording_id=recording.id, case_id=recording.case_id, title=recording.title,
            stage=recording.stage, editable=_editable(recording),
            status=status_in(session, recording.id), segments=tuple(segments), tags=tags,
            speakers=tuple(SpeakerChoice(label, mapped.get(label)) for label in labels
                           if label not in mapped.values()),
            participants=tuple((p.id, p.name) for p in people),
            tag_kinds=tuple(ctx.settings.observation_tags),
        )


def map_speakers(ctx: AppContext, actor: UserView, recording_id: int,
                 mapping: dict[str, int]) -> int:
    """Name the heard speakers in one step: ``{"Speaker 1": person_id, …}``.

    Every segment of a mapped speaker takes the participant's name (tracked as an edit).
    Returns how many segments changed.
    """
    with case_session(ctx, actor) as session:
        recording = visible_recording(session, actor, recording_id)
        if not _editable(recording):
            raise ReadOnly("Speakers can only be named before the transcript is processed.",
                           hint="Correct names in the draft instead.")
        people = {p.id: p for p in cases_repo.people(session, case_id=recording.case_id)}
        rows = recordings_repo.segment_rows(session, recording_id=recording.id)
        heard = {row.speaker for row in rows}
        changed = 0
        for label, person_id in mapping.items():
            if person_id not in people:
                raise InvalidInput("That person is not a participant of this case.",
                                   hint="Choose one of the case's people.")
            if label not in heard:
                raise InvalidInput(f"No segment is labelled {label!r}.",
                                   hint="Reload the transcript and choose again.")
        for label, person_id in mapping.items():
            name = people[person_id].name
            for row in rows:
                if row.speaker == label and label != name:
                    audio_repo.add_edit(session, segment_id=row.id, field="speaker", old=label,
                                        new=name, edited_by=actor.id)
                    row.speaker = name
                    changed += 1
            audio_repo.set_speaker_mapping(session, recording_id=recording.id, label=label,
                                           person_id=person_id, name=name, mapped_by=actor.id)
        record(session, actor, "transcript.map_speakers", "recording", recording.id,
               f"speakers={len(mapping)} segments={changed}")
        return changed


def edit_segment(ctx: AppContext, actor: UserView, recording_id: int, seq: int, *,
                 text: str | None = None, speaker: str | None = None) -> None:
    """Correct one segment's words and/or speaker; its audio times stay as they were."""
    with case_session(ctx, actor) as session:
        recording = visible_recording(session, actor, recording_id)
        if not _editable(recording):
            raise ReadOnly("The transcript can only be corrected before it is processed.",
                           hint="Correct the wording in the draft instead.")
        row = audio_repo.segment(session, recording_id=recording.id, seq=seq)
        if row is None:
            raise NotFound(f"There is no segment {seq} in this transcript.",
                           hint="Reload the transcript.")
        fields = 0
        if text is not None and text.strip() and text.strip() != row.text:
            audio_repo.add_edit(session, segment_id=row.id, field="text", old=row.text,
                                new=text.strip(), edited_by=actor.id)
            row.text = text.strip()
            row.words = []  # the practitioner has checked these words: no marks remain
            fields += 1
        elif text is not None and not text.strip():
            raise InvalidInput("A segment cannot be made empty.",
                               hint="Correct the words, or leave them as they are.")
        if speaker is not None and speaker.strip() and speaker.strip() != row.speaker:
            audio_repo.add_edit(session, segment_id=row.id, field="speaker", old=row.speaker,
                                new=speaker.strip()[:200], edited_by=actor.id)
            row.speaker = speaker.strip()[:200]
            fields += 1
        record(session, actor, "transcript.edit", "recording", recording.id,
               f"segment={seq} fields={fields}")


def add_tag(ctx: AppContext, actor: UserView, recording_id: int, *, kind: str, time: float,
            words: str = "") -> TagView:
    """Mark a moment of the recording with one of the organisation's observation tags."""
    if kind not in ctx.settings.observation_tags:
        raise InvalidInput(f"{kind!r} is not one of this organisation's tags.",
                           hint="Choose one of: " + ", ".join(ctx.settings.observation_tags))
    if time < 0 or time != time:  # NaN check
        raise InvalidInput("A tag's time must be zero or more seconds into the recording.",
                           hint="Tap the tag while recording.")
    if len(words) > MAX_TAG_WORDS:
        raise InvalidInput(f"A tag's note can be at most {MAX_TAG_WORDS} characters.",
                           hint="Keep it to a few words; write more in the note itself.")
    with case_session(ctx, actor) as session:
        recording = visible_recording(session, actor, recording_id)
        if recording.source != "audio":
            raise InvalidInput("Tags mark moments in audio; this recording has none.",
                               hint="Start an audio recording to tag it.")
        row = audio_repo.add_tag(session, recording_id=recording.id, kind=kind,
                                 time=round(time, 2), words=words.strip(), created_by=actor.id)
        record(session, actor, "tag.add", "recording", recording.id, f"tag={row.id}")
        return TagView(row.id, row.kind, row.time, format_time(row.time), row.words)


def audio_for_playback(ctx: AppContext, actor: UserView, recording_id: int) -> tuple[bytes, str]:
    """The recording's audio bytes and file name (audited: it is personal data)."""
    with case_session(ctx, actor) as session:
        recording = visible_recording(session, actor, recording_id)
        file = audio_repo.audio_file(session, recording_id=recording.id)
        if file is None:
            raise NotFound("This recording has no audio.", hint="Upload or record it first.")
        key, name = file.blob_key, file.filename
        record(session, actor, "audio.play", "recording", recording.id)
    return ctx.blobs.get(key), name
