"""faster-whisper on this machine: words with times and confidence; nothing from silence."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from audio_clips import speech_clip
from casenotes.domain.errors import InvalidInput
from casenotes.engines.asr import FasterWhisperTranscriber, model_dir
from casenotes.pipeline import audio
from casenotes.pipeline.transcribe import Transcriber


def test_speech_is_transcribed_with_word_times_and_confidences(
    tmp_path: Path, tiny_transcriber: Transcriber
) -> None:
    clip = speech_clip(tmp_path, "The kitchen was clean and there was food in the fridge.")
    heard = tiny_transcriber.transcribe(audio.decode(clip))
    text = " ".join(s.text for s in heard).lower()
    assert "kitchen" in text and "fridge" in text
    words = [w for s in heard for w in s.words]
    assert len(words) >= 8
    assert all(w.start is not None and w.end is not None and w.start <= w.end for w in words)
    assert all(w.confidence is not None and 0.0 <= w.confidence <= 1.0 for w in words)
    assert words[0].start is not None and words[0].start >= 0.5  # after the 1 s of silence


def test_silence_gives_no_text(tiny_transcriber: Transcriber) -> None:
    assert tiny_transcriber.transcribe(np.zeros(16_000 * 8, dtype=np.float32)) == []


def test_noise_and_a_hum_give_no_text(tmp_path: Path, tiny_transcriber: Transcriber) -> None:
    noise = tmp_path / "noise.wav"
    subprocess.run(["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", str(noise), "synth",
                    "8", "brownnoise", "vol", "0.2", ":", "synth", "8", "sine", "50",
                    "vol", "0.2"], check=True, capture_output=True)
    assert tiny_transcriber.transcribe(audio.decode(noise)) == []


def test_participant_names_as_vocabulary_give_the_case_spelling(
    tmp_path: Path, tiny_transcriber: Transcriber
) -> None:
    clip = speech_clip(tmp_path, "Kayleigh said that Jayden has been late for school.")
    heard = tiny_transcriber.transcribe(audio.decode(clip),
                                        vocabulary=["Kayleigh Robson", "Jayden Robson"])
    text = " ".join(s.text for s in heard)
    assert "Kayleigh" in text and "Jayden" in text


def test_whisper_base_is_joined_once_from_its_two_wheels_and_transcribes(
    tmp_path: Path,
) -> None:
    folder = model_dir("base", tmp_path)
    assert (folder / "model.bin").stat().st_size > 140_000_000
    first_write = (folder / "model.bin").stat().st_mtime_ns
    assert model_dir("base", tmp_path) == folder
    assert (folder / "model.bin").stat().st_mtime_ns == first_write  # not joined again
    clip = speech_clip(tmp_path, "We agreed to meet again next Tuesday at the school.")
    heard = FasterWhisperTranscriber(folder).transcribe(audio.decode(clip))
    assert "tuesday" in " ".join(s.text for s in heard).lower()


def test_a_model_setting_that_is_no_model_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="CTranslate2 Whisper model") as caught:
        model_dir(str(tmp_path), tmp_path)
    assert "CASENOTES_ASR_MODEL" in caught.value.hint
