"""Audio decoding and validation: every upload format decodes with PyAV; bad files are refused
with a reason."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import av
import numpy as np
import pytest
from av.audio.stream import AudioStream

from casenotes.domain.errors import InvalidInput
from casenotes.pipeline import audio


def _tone(seconds: float, rate: int = 44_100) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)


def _encode(path: Path, codec: str, seconds: float = 4.0, rate: int = 48_000) -> Path:
    """Write a tone with PyAV's encoder (as a phone or browser would have produced it)."""
    samples = _tone(seconds, rate)
    with av.open(str(path), "w") as container:
        stream = cast(AudioStream, container.add_stream(codec, rate=rate))
        stream.layout = "mono"
        fmt = stream.codec_context.format.name
        step = 960
        pts = 0
        for i in range(0, len(samples), step):
            block = samples[i:i + step]
            if fmt.startswith("s16"):
                frame = av.AudioFrame.from_ndarray(
                    (block * 32767).astype(np.int16).reshape(1, -1), format="s16", layout="mono")
            else:
                frame = av.AudioFrame.from_ndarray(block.reshape(1, -1), format="fltp",
                                                   layout="mono")
            frame.sample_rate = rate
            frame.pts = pts
            pts += len(block)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


@pytest.mark.parametrize(("name", "codec"), [
    ("a.wav", "pcm_s16le"), ("a.flac", "flac"), ("a.mp3", "libmp3lame"), ("a.m4a", "aac"),
    ("a.ogg", "libopus"), ("a.webm", "libopus"),
])
def test_each_upload_format_decodes_to_16k_mono_of_the_right_length(
    tmp_path: Path, name: str, codec: str
) -> None:
    path = _encode(tmp_path / name, codec)
    info = audio.probe(path, max_seconds=60)
    samples = audio.decode(path)
    assert info.duration == pytest.approx(4.0, abs=0.1)
    assert len(samples) / audio.SAMPLE_RATE == pytest.approx(4.0, abs=0.1)
    assert samples.dtype == np.float32 and 0.1 < float(np.abs(samples).max()) <= 1.0


def test_empty_file_is_refused_as_empty(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="empty"):
        audio.check_upload("visit.wav", 0, max_bytes=1000)


def test_wrong_type_is_refused_with_the_formats_that_work(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="not a supported audio file") as caught:
        audio.check_upload("notes.docx", 500, max_bytes=1000)
    assert "WAV, FLAC, MP3" in caught.value.hint


def test_over_size_file_is_refused_with_the_limit(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="larger than the limit") as caught:
        audio.check_upload("visit.mp3", 2 * 1_048_576, max_bytes=1_048_576)
    assert "CASENOTES_MAX_AUDIO_BYTES" in caught.value.hint


def test_text_renamed_as_audio_is_refused_as_unreadable(tmp_path: Path) -> None:
    fake = tmp_path / "visit.mp3"
    fake.write_text("Kelly: this is a transcript, not audio\n" * 50)
    with pytest.raises(InvalidInput, match="could not be read as audio"):
        audio.probe(fake, max_seconds=60)


@pytest.mark.parametrize(("name", "codec"), [("cut.wav", "pcm_s16le"), ("cut.flac", "flac")])
def test_truncated_file_is_refused_as_cut_short(tmp_path: Path, name: str, codec: str) -> None:
    whole = _encode(tmp_path / f"whole-{name}", codec, seconds=8.0)
    data = whole.read_bytes()
    cut = tmp_path / name
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(InvalidInput, match="cut short"):
        audio.probe(cut, max_seconds=60)


def test_too_long_recording_is_refused_with_the_limit(tmp_path: Path) -> None:
    path = _encode(tmp_path / "long.flac", "flac", seconds=6.0)
    with pytest.raises(InvalidInput, match="longer than the limit") as caught:
        audio.probe(path, max_seconds=5.0)
    assert "CASENOTES_MAX_AUDIO_SECONDS" in caught.value.hint


def test_chunks_cover_the_whole_recording_and_cut_in_a_pause(tmp_path: Path) -> None:
    # 3 s of tone, 0.5 s of silence, 3 s of tone, …: every cut should land in a silence.
    rate = 16_000
    pattern = np.concatenate([_tone(3.0, rate), np.zeros(rate // 2, dtype=np.float32)])
    signal = np.tile(pattern, 6)
    path = tmp_path / "pauses.wav"
    with av.open(str(path), "w") as container:
        stream = container.add_stream("pcm_s16le", rate=rate)
        stream.layout = "mono"
        frame = av.AudioFrame.from_ndarray((signal * 32767).astype(np.int16).reshape(1, -1),
                                           format="s16", layout="mono")
        frame.sample_rate = rate
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    parts = list(audio.chunks(path, chunk_seconds=5.0))
    assert len(parts) >= 3
    assert sum(len(p.samples) for p in parts) == len(signal)
    for before, after in zip(parts, parts[1:], strict=False):
        assert after.start == pytest.approx(before.end)
        cut = int(after.start * rate)
        assert float(np.abs(signal[cut - 400:cut + 400]).max()) < 1e-3  # in the silence
