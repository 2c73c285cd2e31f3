"""Speaker turns on the device: resemblyzer's GE2E voice encoder + spectral clustering."""

from __future__ import annotations

import threading
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from casenotes.pipeline.transcribe import Samples

_RATE = 16_000
_MIN_SECONDS = 1.0  # the encoder needs about a second; shorter spans are padded by repetition
_SAME_VOICE = 0.80  # cosine similarity above which two of very few spans are one voice


class ResemblyzerDiariser:
    """One embedding per stretch of speech, clustered with ``spectralcluster``.

    Knowing how many people spoke helps a lot on similar voices, so ``speakers`` is passed on
    when the practitioner gives it; otherwise between 1 and ``max_speakers`` are tried.
    """

    name = "resemblyzer"

    def __init__(self, *, max_speakers: int = 8, threads: int = 2) -> None:
        self.max_speakers = max_speakers
        self.threads = threads
        self._encoder: Any = None
        self._lock = threading.Lock()

    def _loaded(self) -> Any:
        with self._lock:
            if self._encoder is None:
                import torch

                with warnings.catch_warnings():
                    # resemblyzer imports a SciPy namespace deprecated since its release.
                    warnings.simplefilter("ignore", DeprecationWarning)
                    from resemblyzer import VoiceEncoder  # type: ignore[import-untyped]

                torch.set_num_threads(self.threads)
                self._encoder = VoiceEncoder(device="cpu", verbose=False)
            return self._encoder

    def embed(self, audio: Samples, spans: Sequence[tuple[float, float]]) -> list[list[float]]:
        encoder = self._loaded()
        out = []
        for start, end in spans:
            piece = audio[max(0, int(start * _RATE)): max(int(end * _RATE), int(start * _RATE) + 1)]
            if len(piece) == 0:
                piece = np.zeros(_RATE // 10, dtype=np.float32)
            if len(piece) < _MIN_SECONDS * _RATE:
                piece = np.tile(piece, int(np.ceil(_MIN_SECONDS * _RATE / len(piece))))
            embedding = encoder.embed_utterance(piece.astype(np.float32))
            out.append([round(float(x), 6) for x in embedding])
        return out

    def cluster(self, embeddings: Sequence[Sequence[float]], *, speakers: int | None) -> list[int]:
        matrix = np.asarray(embeddings, dtype=np.float64)
        count = len(matrix)
        if count == 0:
            return []
        if speakers is not None and speakers <= 1:
            return [0] * count
        if speakers is not None and speakers >= count:
            return list(range(count))
        if count < 4:
            return _greedy(matrix, most=speakers)
        from spectralcluster import SpectralClusterer  # type: ignore[import-untyped]

        if speakers is not None:
            low, high = speakers, speakers
        else:
            low, high = 1, min(self.max_speakers, count - 1)
        clusterer = SpectralClusterer(min_clusters=low, max_clusters=high)
        return [int(x) for x in clusterer.predict(matrix)]


def _greedy(matrix: np.ndarray[Any, np.dtype[np.float64]], *, most: int | None) -> list[int]:
    """For two or three spans: join each to the first earlier voice it closely matches.

    With ``most`` (the number of speakers the practitioner gave) no more voices than that are
    made: a span that would start one more joins the earlier span it sounds most like.
    """
    normed = matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)
    labels: list[int] = []
    for i in range(len(normed)):
        similar = [float(normed[i] @ normed[j]) for j in range(i)]
        label = next((labels[j] for j in range(i) if similar[j] > _SAME_VOICE), None)
        if label is None:
            label = max(labels, default=-1) + 1
            if most is not None and label >= most:
                label = labels[int(np.argmax(similar))]
        labels.append(label)
    return labels
