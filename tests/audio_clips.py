"""Speech clips for the audio tests, made with espeak-ng + sox (padded with silence)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


def speech_clip(folder: Path, text: str, *, voice: str = "en-gb", name: str = "clip",
                pad: float = 1.0, speed: int = 150) -> Path:
    """A 16 kHz mono WAV of ``text`` spoken by espeak-ng, with ``pad`` seconds of silence."""
    if shutil.which("espeak-ng") is None or shutil.which("sox") is None:
        pytest.skip("espeak-ng and sox are needed to make test speech (apt-get install them)")
    raw, out = folder / f"{name}.raw.wav", folder / f"{name}.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(raw), text],
                   check=True, capture_output=True)
    subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(out),
                    "pad", str(pad), str(pad)], check=True, capture_output=True)
    raw.unlink()
    return out
