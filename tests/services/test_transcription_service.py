"""From consented audio to a speaker-labelled transcript, through the usual draft path."""

from __future__ import annotations

import subprocess
import wave
from pathlib import Path

import pytest
from sqlalchemy import func, select

from audio_clips import speech_clip
from casenotes.domain.errors import ConsentRefused, InvalidInput, NotFound, ReadOnly
from casenotes.pipeline.transcribe import HeardSegment, Samples, Transcriber
from casenotes.services import (
    audio_capture,
    audio_transcript,
    cases,
    processing,
    review,
    transcription,
)
from casenotes.services.audio_engines import engines_for, use_engines
from casenotes.services.audio_views import TranscriptionStatus
from casenotes.services.context import AppContext
from casenotes.services.views import UserView
from casenotes.store.models import AudioFileRow, Recording, TranscriptionChunkRow
from governance_support import sign

PEOPLE = [("Kayleigh Robson", "mother", ["Kayleigh"]), ("Jo Hartley", "social worker", ["Jo"])]
CONSENT = {"Kayleigh Robson": "granted", "Jo Hartley": "granted"}


def _case(ctx: AppContext, actor: UserView) -> int:
    return cases.create_case(ctx, actor, reference="C-1", title="Visit", team="Children East",
                             people=PEOPLE)


def _visit_clip(folder: Path) -> Path:
    a = speech_clip(folder, "Hello Kayleigh, I am here to see Jayden about school this "
                    "morning.", voice="en-gb", name="a", pad=0.6)
    b = speech_clip(folder, "Thanks for coming. He is still asleep upstairs, I will wake him "
                    "now.", voice="en-us+f4", name="b", pad=0.6)
    both = folder / "visit.wav"
    subprocess.run(["sox", str(a), str(b), str(both)], check=True)
    return both


def _files(ctx: AppContext) -> list[Path]:
    root = ctx.settings.data_dir / "files"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_recording_is_not_offered_until_everyone_present_has_consented(
    audio_ctx: AppContext, practitioner: UserView
) -> None:
    case_id = _case(audio_ctx, practitioner)
    with pytest.raises(ConsentRefused, match="Jo Hartley: declined"):
        audio_capture.start_audio_recording(
            audio_ctx, practitioner, case_id,
            parties={"Kayleigh Robson": "granted", "Jo Hartley": "declined"})
    with audio_ctx.session() as session:
        assert session.scalar(select(func.count(Recording.id))) == 0


def test_audio_becomes_a_speaker_labelled_transcript_that_drafts_after_speakers_are_named(
    audio_ctx: AppContext, practitioner: UserView, tmp_path: Path
) -> None:
    case_id = _case(audio_ctx, practitioner)
    rec = audio_capture.start_audio_recording(audio_ctx, practitioner, case_id,
                                              parties=CONSENT, title="Home visit")
    assert rec.source == "audio"
    clip = _visit_clip(tmp_path)
    audio_capture.attach_audio(audio_ctx, practitioner, rec.id, filename="visit.wav",
                               content=clip.read_bytes())
    transcription.prepare(audio_ctx, practitioner, rec.id, speakers=2)
    seen: list[TranscriptionStatus] = []
    final = transcription.run(audio_ctx, practitioner, rec.id, progress=seen.append)
    assert final.status == "done" and seen[0].status == "running"
    view = audio_transcript.transcript_view(audio_ctx, practitioner, rec.id)
    # Who said what, whatever the recogniser's cuts: the worker is Speaker 1, the parent 2.
    assert {s.speaker for s in view.segments if "school" in s.text.lower()} == {"Speaker 1"}
    assert {s.speaker for s in view.segments if "asleep" in s.text.lower()} == {"Speaker 2"}
    assert {s.speaker for s in view.segments} == {"Speaker 1", "Speaker 2"}
    assert all(s.start is not None for s in view.segments)
    assert view.segments[0].speaker == "Speaker 1"
    assert any("name" in w.reasons for s in view.segments for w in s.words)
    people = dict((name, pid) for pid, name in view.participants)
    changed = audio_transcript.map_speakers(audio_ctx, practitioner, rec.id, {
        "Speaker 1": people["Jo Hartley"], "Speaker 2": people["Kayleigh Robson"]})
    assert changed >= 2
    processing.process_recording(audio_ctx, practitioner, rec.id)
    draft = review.get_review(audio_ctx, practitioner, rec.id)
    assert draft.sections  # the usual consent → pseudonymise → draft → check path ran


def test_a_recording_with_no_speech_gets_a_message_not_a_transcript(
    audio_ctx: AppContext, practitioner: UserView, tmp_path: Path
) -> None:
    silence = tmp_path / "quiet.wav"
    subprocess.run(["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", str(silence), "synth",
                    "6", "brownnoise", "vol", "0.05"], check=True)
    rec = audio_capture.start_audio_recording(audio_ctx, practitioner,
                                              _case(audio_ctx, practitioner), parties=CONSENT)
    audio_capture.attach_audio_file(audio_ctx, practitioner, rec.id, filename="quiet.wav",
                                    path=silence)
    transcription.prepare(audio_ctx, practitioner, rec.id)
    final = transcription.run(audio_ctx, practitioner, rec.id)
    assert final.status == "no_speech"
    assert "No speech was found" in final.message
    assert audio_transcript.transcript_view(audio_ctx, practitioner, rec.id).segments == ()


class _Counting:
    """The real transcriber, counting its calls (to prove finished chunks are not redone)."""

    def __init__(self, inner: Transcriber) -> None:
        self.inner, self.calls, self.name = inner, 0, inner.name

    def transcribe(self, audio: Samples, *, vocabulary: object = ()) -> list[HeardSegment]:
        self.calls += 1
        return self.inner.transcribe(audio)


def test_a_killed_job_resumes_without_redoing_finished_chunks_and_cancel_keeps_them(
    audio_ctx: AppContext, practitioner: UserView, tmp_path: Path
) -> None:
    audio_ctx.settings.asr_chunk_seconds = 4.0
    transcriber, diariser = engines_for(audio_ctx)
    counting = _Counting(transcriber)
    use_engines(audio_ctx, counting, diariser)
    clip = speech_clip(tmp_path, "The kitchen was clean. There was food in the fridge. Jayden "
                       "showed me his room. He has a new bed. We talked about school.",
                       pad=0.5, speed=120)
    rec = audio_capture.start_audio_recording(audio_ctx, practitioner,
                                              _case(audio_ctx, practitioner), parties=CONSENT)
    audio_capture.attach_audio_file(audio_ctx, practitioner, rec.id, filename="v.wav",
                                    path=clip)
    transcription.prepare(audio_ctx, practitioner, rec.id)

    def die_after_first(state: TranscriptionStatus) -> None:
        if state.chunks_done == 1:
            raise KeyboardInterrupt  # as if the process were killed mid-job

    with pytest.raises(KeyboardInterrupt):
        transcription.run(audio_ctx, practitioner, rec.id, progress=die_after_first)
    assert counting.calls == 1

    def cancel_after_second(state: TranscriptionStatus) -> None:
        if state.chunks_done == 2:
            transcription.cancel(audio_ctx, practitioner, rec.id)

    transcription.prepare(audio_ctx, practitioner, rec.id)
    stopped = transcription.run(audio_ctx, practitioner, rec.id, progress=cancel_after_second)
    assert stopped.status == "cancelled" and stopped.chunks_done == 2
    assert stopped.resumable
    transcription.prepare(audio_ctx, practitioner, rec.id)
    final = transcription.run(audio_ctx, practitioner, rec.id)
    assert final.status == "done"
    with audio_ctx.session() as session:
        chunks = session.scalar(select(func.count(TranscriptionChunkRow.id)))
    assert chunks is not None and chunks >= 3
    assert counting.calls == chunks  # every chunk recognised exactly once
    segments = audio_transcript.transcript_view(audio_ctx, practitioner, rec.id).segments
    assert "kitchen" in segments[0].text.lower()  # the chunk heard before the kill is kept
    with wave.open(str(clip)) as audio:
        speech_ends = audio.getnframes() / audio.getframerate() - 0.5
    # The words of the last chunk, heard after the resume, are there too (their exact
    # spelling from synthetic speech varies between machines; their time does not).
    assert segments[-1].end > speech_ends - 2.0
    assert [s.start for s in segments] == sorted(s.start for s in segments)


def test_a_damaged_upload_is_refused_and_leaves_nothing_behind(
    audio_ctx: AppContext, practitioner: UserView, tmp_path: Path
) -> None:
    rec = audio_capture.start_audio_recording(audio_ctx, practitioner,
                                              _case(audio_ctx, practitioner), parties=CONSENT)
    clip = speech_clip(tmp_path, "A short recording that will be cut in half.")
    data = clip.read_bytes()
    with pytest.raises(InvalidInput, match="cut short"):
        audio_capture.attach_audio(audio_ctx, practitioner, rec.id, filename="v.wav",
                                   content=data[: len(data) // 2])
    with audio_ctx.session() as session:
        assert session.scalar(select(func.count(AudioFileRow.id))) == 0
    assert _files(audio_ctx) == []
    with pytest.raises(InvalidInput, match="no audio yet"):
        transcription.prepare(audio_ctx, practitioner, rec.id)


def test_a_browser_upload_in_parts_survives_a_resent_part_and_joins_into_the_audio(
    audio_ctx: AppContext, practitioner: UserView, tmp_path: Path
) -> None:
    rec = audio_capture.start_audio_recording(audio_ctx, practitioner,
                                              _case(audio_ctx, practitioner), parties=CONSENT)
    data = speech_clip(tmp_path, "Recorded in the browser and sent in parts.").read_bytes()
    token = audio_capture.begin_upload(audio_ctx, practitioner, rec.id, filename="rec.wav")
    size = len(data) // 3 + 1
    parts = [data[i:i + size] for i in range(0, len(data), size)]
    assert audio_capture.upload_part(audio_ctx, practitioner, rec.id, token, index=0,
                                     data=parts[0]) == 1
    # The connection dropped before the reply: the client sends part 0 again, then asks.
    audio_capture.upload_part(audio_ctx, practitioner, rec.id, token, index=0, data=parts[0])
    assert audio_capture.upload_progress(audio_ctx, practitioner, rec.id, token) == 1
    with pytest.raises(InvalidInput, match="out of order"):
        audio_capture.upload_part(audio_ctx, practitioner, rec.id, token, index=2,
                                  data=parts[2])
    for index, part in enumerate(parts[1:], start=1):
        audio_capture.upload_part(audio_ctx, practitioner, rec.id, token, index=index,
                                  data=part)
    seconds = audio_capture.finish_upload(audio_ctx, practitioner, rec.id, token)
    assert seconds > 2.0
    played, name = audio_transcript.audio_for_playback(audio_ctx, practitioner, rec.id)
    assert played == data and name == "rec.wav"
    assert not any("uploads" in str(p) for p in _files(audio_ctx))


def test_tags_edits_and_access_rules_on_a_transcribed_recording(
    audio_ctx: AppContext, practitioner: UserView, other_practitioner: UserView,
    tmp_path: Path,
) -> None:
    rec = audio_capture.start_audio_recording(audio_ctx, practitioner,
                                              _case(audio_ctx, practitioner), parties=CONSENT)
    clip = speech_clip(tmp_path, "The kitchen was clean and there was food in the fridge.")
    audio_capture.attach_audio_file(audio_ctx, practitioner, rec.id, filename="v.wav",
                                    path=clip)
    tag = audio_transcript.add_tag(audio_ctx, practitioner, rec.id, kind="home conditions",
                                   time=2.5, words="kitchen clean")
    assert tag.shown_time == "00:02"
    with pytest.raises(InvalidInput, match="not one of this organisation's tags"):
        audio_transcript.add_tag(audio_ctx, practitioner, rec.id, kind="gossip", time=1.0)
    with pytest.raises(NotFound):
        audio_transcript.transcript_view(audio_ctx, other_practitioner, rec.id)
    with pytest.raises(NotFound):
        audio_transcript.audio_for_playback(audio_ctx, other_practitioner, rec.id)
    transcription.prepare(audio_ctx, practitioner, rec.id, dictation=True)
    assert transcription.run(audio_ctx, practitioner, rec.id).status == "done"
    audio_transcript.edit_segment(audio_ctx, practitioner, rec.id, 1,
                                  text="The kitchen was clean and the fridge had food.",
                                  speaker="Jo Hartley")
    view = audio_transcript.transcript_view(audio_ctx, practitioner, rec.id)
    seg = view.segments[0]
    assert (seg.speaker, seg.text, seg.edits) == (
        "Jo Hartley", "The kitchen was clean and the fridge had food.", 2)
    assert seg.start is not None  # the audio time stays linked
    assert [t.kind for t in view.tags] == ["home conditions"]
    processing.process_recording(audio_ctx, practitioner, rec.id)
    with pytest.raises(ReadOnly):
        audio_transcript.edit_segment(audio_ctx, practitioner, rec.id, 1, text="changed")
    # Signed like any other note; its transparency record names the recogniser.
    note_id = sign(audio_ctx, practitioner, rec.id)
    engines = [stage for stage, _, _ in review.get_note(audio_ctx, practitioner, note_id).engines]
    assert "transcribe" in engines
