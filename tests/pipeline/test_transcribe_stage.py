"""The transcription stage: speakers from voices, and marks where the transcript is unsure."""

from __future__ import annotations

import subprocess
from pathlib import Path

from audio_clips import speech_clip
from casenotes.domain.transcript import Segment, Word
from casenotes.pipeline import audio
from casenotes.pipeline.transcribe import (
    Diariser,
    HeardTurn,
    Transcriber,
    assemble,
    transcribe_chunk,
    word_marks,
)


def _segment(*words: tuple[str, float]) -> Segment:
    return Segment(id=1, speaker="Speaker 1", text=" ".join(w for w, _ in words),
                   start=0.0, end=3.0,
                   words=tuple(Word(w, i * 0.3, i * 0.3 + 0.3, c) for i, (w, c) in
                               enumerate(words)))


def test_low_confidence_words_are_marked_and_confident_ones_are_not() -> None:
    seg = _segment(("He", 0.95), ("missed", 0.31), ("school", 0.97))
    marks = word_marks(seg, [])
    assert [(m.index, m.reasons) for m in marks] == [(1, ("low-confidence",))]


def test_a_near_miss_of_a_participant_name_gets_the_known_spelling_proposed() -> None:
    seg = _segment(("I", 0.9), ("saw", 0.9), ("Kaylee", 0.9), ("today.", 0.9))
    marks = word_marks(seg, ["Kayleigh Robson", "Jayden Robson"])
    assert len(marks) == 1
    assert marks[0].index == 2
    assert "near-miss" in marks[0].reasons and "name" in marks[0].reasons
    assert marks[0].suggestion == "Kayleigh"


def test_a_correctly_spelt_name_is_marked_as_a_name_but_not_as_a_near_miss() -> None:
    seg = _segment(("Then", 0.9), ("Jayden", 0.9), ("came", 0.9), ("down.", 0.9))
    marks = word_marks(seg, ["Jayden Robson"])
    assert [(m.reasons, m.suggestion) for m in marks] == [(("name",), None)]


def test_capital_at_a_sentence_start_is_not_taken_for_a_name() -> None:
    seg = _segment(("Fine.", 0.9), ("Thanks", 0.9), ("for", 0.9), ("coming", 0.9))
    assert word_marks(seg, []) == []


def test_stored_turns_read_back_unchanged() -> None:
    turn = HeardTurn(1.5, 3.25, "Hello there", (Word("Hello", 1.5, 2.0, 0.9),), (0.1, -0.2))
    assert HeardTurn.from_json(turn.to_json()) == turn


def test_dictation_keeps_one_speaker_and_joins_the_turns() -> None:
    turns = [HeardTurn(0.0, 2.0, "First part.", ()), HeardTurn(2.5, 4.0, "Second part.", ())]
    transcript = assemble(turns, None)
    assert [(s.speaker, s.text, s.start, s.end) for s in transcript.segments] == [
        ("Speaker 1", "First part. Second part.", 0.0, 4.0)]


def test_two_voices_become_speaker_1_and_speaker_2_with_times_on_the_recording_clock(
    tmp_path: Path, tiny_transcriber: Transcriber, speaker_diariser: Diariser
) -> None:
    a = speech_clip(tmp_path, "Hello Kayleigh, I am here to see Jayden about school this "
                    "morning.", voice="en-gb", name="a", pad=0.6)
    b = speech_clip(tmp_path, "Thanks for coming. He is still asleep upstairs, I will wake "
                    "him now.", voice="en-us+f4", name="b", pad=0.6)
    both = tmp_path / "both.wav"
    subprocess.run(["sox", str(a), str(b), str(a), str(both)], check=True)
    samples = audio.decode(both)
    turns = transcribe_chunk(samples, 100.0, tiny_transcriber, speaker_diariser,
                             vocabulary=["Kayleigh Robson", "Jayden Robson"])
    transcript = assemble(turns, speaker_diariser, speakers=2)
    segments = transcript.segments
    # How the recogniser cuts a turn can vary run to run (a short tail may become its own
    # span); what must hold is who said what: the worker's words under one label both times,
    # the parent's under the other, and no third voice.
    worker = {s.speaker for s in segments if "school" in s.text.lower()}
    parent = {s.speaker for s in segments if "asleep" in s.text.lower()}
    assert worker == {"Speaker 1"} and parent == {"Speaker 2"}
    assert sum("school" in s.text.lower() for s in segments) == 2
    assert {s.speaker for s in segments} == {"Speaker 1", "Speaker 2"}
    assert segments[0].start is not None and segments[0].start >= 100.0
    assert all(w.start is not None and w.start >= 100.0 for s in segments for w in s.words)


def test_a_recogniser_segment_spanning_a_pause_is_split_there_for_speaker_turns() -> None:
    from casenotes.pipeline.transcribe import HeardSegment, split_at_pauses

    words = (Word("Hello", 0.0, 0.4, 0.9), Word("there.", 0.5, 0.9, 0.9),
             Word("Thanks", 2.0, 2.4, 0.9), Word("for", 2.45, 2.6, 0.9))
    pieces = split_at_pauses(HeardSegment(0.0, 2.6, "Hello there. Thanks for", words))
    assert [(p.start, p.end, p.text) for p in pieces] == [
        (0.0, 0.9, "Hello there."), (2.0, 2.6, "Thanks for")]
