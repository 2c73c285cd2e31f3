"""faster-whisper (CTranslate2 Whisper) behind the :class:`Transcriber` protocol."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from faster_whisper import WhisperModel  # type: ignore[import-untyped]

from casenotes.domain.transcript import Word
from casenotes.pipeline.transcribe import HeardSegment, Samples, vocabulary_prompt


class FasterWhisperTranscriber:
    """Whisper via CTranslate2 on the CPU (or a GPU), VAD on so silence gives no text.

    The model loads on first use. ``language`` is fixed ("en") rather than detected: detection
    on a few seconds of quiet speech picks wrong languages and then invents text.
    """

    name = "faster-whisper"

    def __init__(self, model_path: Path, *, threads: int = 2, device: str = "cpu",
                 compute_type: str = "int8", language: str | None = "en",
                 beam_size: int = 5) -> None:
        self.model_path = model_path
        self.threads = threads
        self.device = device
        self.compute_type = compute_type
        self.language = language
        self.beam_size = beam_size
        self._model: WhisperModel | None = None
        self._lock = threading.Lock()

    @property
    def version(self) -> str:
        return self.model_path.name

    def _loaded(self) -> WhisperModel:
        with self._lock:
            if self._model is None:
                self._model = WhisperModel(
                    str(self.model_path), device=self.device, compute_type=self.compute_type,
                    cpu_threads=self.threads, local_files_only=True,
                )
            return self._model

    def transcribe(self, audio: Samples, *, vocabulary: Sequence[str] = ()) -> list[HeardSegment]:
        model = self._loaded()
        prompt = vocabulary_prompt(vocabulary) or None
        segments, _info = model.transcribe(
            audio, language=self.language, beam_size=self.beam_size, word_timestamps=True,
            vad_filter=True, initial_prompt=prompt, condition_on_previous_text=False,
            hallucination_silence_threshold=2.0,
        )
        heard = []
        for seg in segments:
            words = tuple(
                Word(w.word.strip(), round(float(w.start), 3), round(float(w.end), 3),
                     round(float(w.probability), 3))
                for w in (seg.words or ()) if w.word.strip()
            )
            text = seg.text.strip()
            if text:
                heard.append(HeardSegment(start=round(float(seg.start), 3),
                                          end=round(float(seg.end), 3), text=text, words=words))
        return heard
