"""Audio decoding and validation with PyAV (no system ffmpeg needed).

Audio is decoded to 16 kHz mono float32, the rate Whisper and the speaker encoder expect, and
handed out in chunks so a long recording never sits in memory whole. Chunk boundaries fall at the
quietest moment near the nominal length, so a cut rarely splits a word; the boundaries depend
only on the audio, so a resumed job cuts at the same places.

Errors say what was wrong with the file, never what it contains.
"""

from __future__ import annotations

import wave
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath

import av
import numpy as np
import numpy.typing as npt

from casenotes.domain.errors import InvalidInput

SAMPLE_RATE = 16_000
AUDIO_EXTENSIONS = (".wav", ".flac", ".mp3", ".m4a", ".aac", ".ogg", ".opus", ".webm")
_SEARCH_SECONDS = 3.0  # how far back from the nominal boundary a quieter cut is looked for
_WINDOW = SAMPLE_RATE // 10  # 100 ms energy windows

Samples = npt.NDArray[np.float32]

_FORMAT_HINT = (
    "Upload a WAV, FLAC, MP3, M4A/AAC, OGG/Opus or WebM audio file; if the file came from a "
    "recorder, export it again and retry."
)


@dataclass(frozen=True)
class AudioInfo:
    duration: float  # seconds
    container: str


@dataclass(frozen=True)
class AudioChunk:
    index: int
    start: float  # seconds from the start of the recording
    samples: Samples

    @property
    def end(self) -> float:
        return self.start + len(self.samples) / SAMPLE_RATE


def check_upload(filename: str, size: int, *, max_bytes: int) -> None:
    """Refuse empty, over-size or plainly non-audio files before anything is stored."""
    suffix = PurePath(filename).suffix.lower()
    if suffix not in AUDIO_EXTENSIONS:
        raise InvalidInput(f"{PurePath(filename).name!r} is not a supported audio file.",
                           hint=_FORMAT_HINT)
    if size == 0:
        raise InvalidInput("The audio file is empty.",
                           hint="Check the recording finished saving, then upload it again.")
    if size > max_bytes:
        raise InvalidInput(
            f"The audio file is larger than the limit of {max_bytes / 1_048_576:.0f} MiB.",
            hint="Split the recording into parts, or ask your administrator to raise "
            "CASENOTES_MAX_AUDIO_BYTES.",
        )


def probe(path: Path, *, max_seconds: float) -> AudioInfo:
    """Open the file, check it has decodable audio of an allowed length, and say how long it is.

    The whole stream is decoded once (fast, bounded memory): headers alone do not reveal a
    truncated or corrupt file.
    """
    seconds = 0.0
    container_name = ""
    declared: float | None = None
    try:
        with av.open(str(path)) as container:
            container_name = container.format.name
            if not container.streams.audio:
                raise InvalidInput("The file has no audio track.", hint=_FORMAT_HINT)
            stream = container.streams.audio[0]
            if stream.duration is not None and stream.time_base is not None:
                declared = float(stream.duration * stream.time_base)
            elif container.duration is not None:
                declared = container.duration / 1_000_000
            if container_name == "wav":
                declared = _wav_header_seconds(path) or declared
            for frame in container.decode(stream):
                seconds += frame.samples / (frame.sample_rate or SAMPLE_RATE)
                if seconds > max_seconds:
                    raise _too_long(max_seconds)
    except InvalidInput:
        raise
    except (av.error.FFmpegError, ValueError, UnicodeDecodeError, IndexError) as error:
        if seconds > 0.5:
            raise InvalidInput(
                f"The audio file is damaged or cut short: it stops decoding after "
                f"{seconds:.0f} seconds.",
                hint="Upload the original recording again; nothing was stored.",
            ) from error
        raise InvalidInput("The file could not be read as audio.", hint=_FORMAT_HINT) from error
    if seconds < 0.1:
        raise InvalidInput("The audio file contains no sound (it is empty or cut short).",
                           hint="Check the recording finished saving, then upload it again.")
    if declared is not None and seconds < declared * 0.98 - 0.5:
        # The header promises more audio than the file holds: it was cut short in copying.
        raise InvalidInput(
            f"The audio file is cut short: its header says {declared:.0f} seconds but only "
            f"{seconds:.0f} seconds are there.",
            hint="Copy or export the original recording again and upload that; nothing was "
            "stored.",
        )
    return AudioInfo(duration=seconds, container=container_name)


def _wav_header_seconds(path: Path) -> float | None:
    """The length a PCM WAV header promises (PyAV trusts the file size instead)."""
    try:
        with wave.open(str(path), "rb") as wav:
            rate = wav.getframerate()
            return wav.getnframes() / rate if rate else None
    except (wave.Error, EOFError, OSError):
        return None


def _too_long(max_seconds: float) -> InvalidInput:
    return InvalidInput(
        f"The recording is longer than the limit of {max_seconds / 60:.0f} minutes.",
        hint="Split the recording into parts, or ask your administrator to raise "
        "CASENOTES_MAX_AUDIO_SECONDS.",
    )


def _frames(path: Path) -> Iterator[Samples]:
    """The file's audio as 16 kHz mono float32 blocks, as they decode."""
    resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        for frame in container.decode(stream):
            for out in resampler.resample(frame):
                yield (out.to_ndarray().reshape(-1).astype(np.float32) / 32768.0)
        for out in resampler.resample(None):
            yield (out.to_ndarray().reshape(-1).astype(np.float32) / 32768.0)


def _quiet_cut(buffer: Samples, nominal: int) -> int:
    """The sample index of the quietest 100 ms window in the seconds before ``nominal``."""
    lo = max(_WINDOW, nominal - int(_SEARCH_SECONDS * SAMPLE_RATE))
    region = buffer[lo:nominal]
    windows = len(region) // _WINDOW
    if windows == 0:
        return nominal
    energy = (region[: windows * _WINDOW].reshape(windows, _WINDOW) ** 2).mean(axis=1)
    # The latest of the quietest windows keeps chunks close to their nominal length.
    best = windows - 1 - int(np.argmin(energy[::-1]))
    return lo + best * _WINDOW + _WINDOW // 2


def chunks(path: Path, *, chunk_seconds: float) -> Iterator[AudioChunk]:
    """Decode ``path`` into consecutive chunks of about ``chunk_seconds`` each."""
    nominal = int(chunk_seconds * SAMPLE_RATE)
    pending: list[Samples] = []
    pending_len = 0
    start_sample = 0
    index = 0
    for block in _frames(path):
        pending.append(block)
        pending_len += len(block)
        while pending_len >= nominal + int(_SEARCH_SECONDS * SAMPLE_RATE):
            buffer = np.concatenate(pending)
            cut = _quiet_cut(buffer, nominal)
            yield AudioChunk(index, start_sample / SAMPLE_RATE, buffer[:cut].copy())
            start_sample += cut
            index += 1
            rest = buffer[cut:]
            pending, pending_len = [rest], len(rest)
    if pending_len:
        yield AudioChunk(index, start_sample / SAMPLE_RATE, np.concatenate(pending))


def decode(path: Path) -> Samples:
    """The whole file as one 16 kHz mono array (for short clips)."""
    blocks = list(_frames(path))
    return np.concatenate(blocks) if blocks else np.zeros(0, dtype=np.float32)
