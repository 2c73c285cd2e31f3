"""Speech recognition: WER, real-time factor, speaker turns, pipeline overhead, 60-minute memory.

``python -m benchmarks.asr`` (part of ``make bench``) → ``benchmarks/results/asr.md``.

For each model (Whisper base, tiny.en), on the same audio in the same run:

- *raw engine*: faster-whisper alone on audio already decoded into memory (same settings:
  beam 5, VAD on, word times, 2 threads);
- *pipeline*: the file decoded with PyAV in chunks, recognised, voices embedded and clustered
  into speakers, the transcript assembled and the uncertainty post-pass run.

Overhead is the pipeline's time without the speaker step over the raw engine's time; the
whole-pipeline real-time factor includes everything. The 60-minute run goes through the real
service (database, blob store, resumable chunks) in a child process, whose peak RSS is reported.
"""

from __future__ import annotations

import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jiwer
import numpy as np
from scipy.optimize import linear_sum_assignment  # type: ignore[import-untyped]

from benchmarks.common import shared_data, write_table
from casenotes.engines.asr import FasterWhisperTranscriber, model_dir
from casenotes.engines.diarisation import ResemblyzerDiariser
from casenotes.pipeline import audio
from casenotes.pipeline.transcribe import HeardTurn, assemble, transcribe_chunk, word_marks

MODELS = ("base", "tiny.en")
DATA_DIR = Path(tempfile.gettempdir()) / "casenotes-bench-data"


def _norm(text: str) -> str:
    text = text.lower().replace("’", "'")
    text = re.sub(r"[^a-z0-9' ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class Run:
    seconds: float = 0.0  # audio length
    raw: float = 0.0
    decode_asr: float = 0.0  # pipeline without speakers
    speakers: float = 0.0
    refs: list[str] | None = None
    hyps: list[str] | None = None

    def __post_init__(self) -> None:
        self.refs, self.hyps = [], []


def _raw(transcriber: FasterWhisperTranscriber, samples: np.ndarray[Any, Any],
         names: list[str]) -> tuple[float, str]:
    model = transcriber._loaded()
    prompt = ", ".join(names) + "." if names else None
    start = time.perf_counter()
    segments, _ = model.transcribe(samples, language="en", beam_size=5, word_timestamps=True,
                                   vad_filter=True, initial_prompt=prompt,
                                   condition_on_previous_text=False,
                                   hallucination_silence_threshold=2.0)
    text = " ".join(s.text.strip() for s in segments)
    return time.perf_counter() - start, text


def _pipeline(path: Path, transcriber: FasterWhisperTranscriber,
              diariser: ResemblyzerDiariser | None, names: list[str],
              speakers: int | None) -> tuple[float, float, list[HeardTurn], Any]:
    """(time without speakers, speaker time, turns, transcript)."""
    spk_time = 0.0
    turns: list[HeardTurn] = []
    start = time.perf_counter()
    for chunk in audio.chunks(path, chunk_seconds=60.0):
        heard = transcribe_chunk(chunk.samples, chunk.start, transcriber, None,
                                 vocabulary=names)
        if diariser is not None and heard:
            t0 = time.perf_counter()
            emb = diariser.embed(chunk.samples, [(h.start - chunk.start, h.end - chunk.start)
                                                 for h in heard])
            spk_time += time.perf_counter() - t0
            heard = [HeardTurn(h.start, h.end, h.text, h.words, tuple(e))
                     for h, e in zip(heard, emb, strict=True)]
        turns += heard
    t0 = time.perf_counter()
    transcript = assemble(turns, diariser, speakers=speakers)
    spk_time += time.perf_counter() - t0
    for seg in transcript.segments:
        word_marks(seg, names)
    total = time.perf_counter() - start
    return total - spk_time, spk_time, turns, transcript


def _der(gold: list[dict[str, Any]], turns: list[HeardTurn], labels: list[str],
         duration: float) -> tuple[float, float]:
    """Frame-level diarisation error rate (10 ms, optimal speaker mapping) and the share of
    gold turns whose majority speaker is right."""
    frames = int(duration * 100) + 1
    gold_ids = sorted({g["speaker_id"] for g in gold})
    hyp_ids = sorted(set(labels))
    ref = np.full(frames, -1)
    hyp = np.full(frames, -1)
    for g in gold:
        ref[int(g["start"] * 100):int(g["end"] * 100)] = gold_ids.index(g["speaker_id"])
    for turn, label in zip(turns, labels, strict=True):
        hyp[int(turn.start * 100):int(turn.end * 100)] = hyp_ids.index(label)
    overlap = np.zeros((len(gold_ids), len(hyp_ids)))
    for r in range(len(gold_ids)):
        for h in range(len(hyp_ids)):
            overlap[r, h] = np.sum((ref == r) & (hyp == h))
    rows, cols = linear_sum_assignment(-overlap)
    mapping = {int(h): int(r) for r, h in zip(rows, cols, strict=True)}
    mapped = np.array([mapping.get(int(h), -2) if h >= 0 else -1 for h in hyp])
    speech = ref >= 0
    missed = np.sum(speech & (hyp < 0))
    false_alarm = np.sum(~speech & (hyp >= 0))
    confusion = np.sum(speech & (hyp >= 0) & (mapped != ref))
    der = float((missed + false_alarm + confusion) / max(1, np.sum(speech)))
    right = 0
    for g in gold:
        span = mapped[int(g["start"] * 100):int(g["end"] * 100)]
        span = span[span >= 0]
        if len(span) and np.bincount(span).argmax() == gold_ids.index(g["speaker_id"]):
            right += 1
    return der, right / len(gold)


def _turn_labels(turns: list[HeardTurn], diariser: ResemblyzerDiariser,
                 speakers: int | None) -> list[str]:
    raw = diariser.cluster([t.embedding for t in turns], speakers=speakers)
    return [f"S{x}" for x in raw]


def measure(model: str, data: Path,
            visits_limit: int) -> tuple[list[list[str]], dict[str, float]]:
    transcriber = FasterWhisperTranscriber(model_dir(model, DATA_DIR), threads=2)
    diariser = ResemblyzerDiariser()
    rows = []
    warm = data / "audio" / "pocketsphinx"
    clips = [json.loads(line) for line in (warm / "references.jsonl").read_text().splitlines()
             if line.strip()]
    transcriber.transcribe(audio.decode(warm / clips[0]["audio"]))  # load + warm up
    diariser.embed(np.zeros(16000, dtype=np.float32), [(0.0, 1.0)])
    sets: dict[str, Run] = {}
    for clip in clips:
        path = warm / clip["audio"]
        run = sets.setdefault(f"pocketsphinx {clip['set']}", Run())
        samples = audio.decode(path)
        run.seconds += len(samples) / audio.SAMPLE_RATE
        raw_time, _ = _raw(transcriber, samples, [])
        run.raw += raw_time
        asr_time, spk_time, turns, transcript = _pipeline(path, transcriber, diariser, [], None)
        run.decode_asr += asr_time
        run.speakers += spk_time
        assert run.refs is not None and run.hyps is not None
        run.refs.append(_norm(clip["text"]))
        run.hyps.append(_norm(" ".join(s.text for s in transcript.segments)))
    extra: dict[str, float] = {}
    visits = data / "visits"
    for flac in sorted(visits.glob("case_*.flac"))[:visits_limit]:
        case = json.loads((visits / flac.name.replace(".flac", ".json")).read_text())
        gold = json.loads((visits / flac.name.replace(".flac", ".segments.json")).read_text())
        names = [p["name"] for p in case["participants"] + case.get("mentioned_people", [])]
        run = sets.setdefault("visits (synthetic, names as vocabulary)", Run())
        samples = audio.decode(flac)
        duration = len(samples) / audio.SAMPLE_RATE
        run.seconds += duration
        raw_time, _ = _raw(transcriber, samples, names)
        del samples
        run.raw += raw_time
        n_speakers = len({g["speaker_id"] for g in gold["segments"]})
        asr_time, spk_time, turns, transcript = _pipeline(flac, transcriber, diariser, names,
                                                          n_speakers)
        run.decode_asr += asr_time
        run.speakers += spk_time
        assert run.refs is not None and run.hyps is not None
        run.refs.append(_norm(" ".join(t["text"] for t in case["transcript"])))
        run.hyps.append(_norm(" ".join(s.text for s in transcript.segments)))
        der_known, acc_known = _der(gold["segments"], turns,
                                    _turn_labels(turns, diariser, n_speakers), duration)
        der_free, acc_free = _der(gold["segments"], turns,
                                  _turn_labels(turns, diariser, None), duration)
        extra[f"{flac.stem} DER known"] = der_known
        extra[f"{flac.stem} turns known"] = acc_known
        extra[f"{flac.stem} DER unknown"] = der_free
        extra[f"{flac.stem} turns unknown"] = acc_free
    for name, run in sets.items():
        assert run.refs is not None and run.hyps is not None
        wer = jiwer.wer(run.refs, run.hyps)
        whole = run.decode_asr + run.speakers
        rows.append([
            model, name, f"{run.seconds:.0f}", f"{wer:.1%}", f"{run.raw / run.seconds:.3f}",
            f"{run.decode_asr / run.seconds:.3f}", f"{(run.decode_asr / run.raw - 1):+.1%}",
            f"{whole / run.seconds:.3f}",
        ])
    return rows, extra


def long_run(model: str, minutes: int) -> dict[str, float]:
    """The service path on a ``minutes``-long recording; run in a child process."""
    from casenotes.config import Settings
    from casenotes.services import accounts, audio_capture, cases, transcription
    from casenotes.services.context import build_context

    data = shared_data()
    assert data is not None
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sources = sorted((data / "visits").glob("case_*.flac"))
        total = sum(audio.probe(s, max_seconds=1e9).duration for s in sources)
        repeats = int(np.ceil(minutes * 60 / total))
        long_file = folder / "long.flac"
        subprocess.run(["sox", *[str(s) for s in sources * repeats], str(long_file),
                        "trim", "0", str(minutes * 60)], check=True)
        settings = Settings(data_dir=folder / "data", secret_key="bench", asr_model=model)
        (folder / "data" / "models").mkdir(parents=True)
        if model == "base":
            (folder / "data" / "models" / "whisper-base").symlink_to(model_dir(model, DATA_DIR))
        ctx = build_context(settings)
        user = accounts.add_user(ctx, username="bench", password="bench-password-1",
                                 role="practitioner", team="T")
        case_id = cases.create_case(ctx, user, reference="B-1", title="Bench", team="T",
                                    people=[("Kayleigh Robson", "parent", [])])
        rec = audio_capture.start_audio_recording(ctx, user, case_id,
                                                  parties={"Kayleigh Robson": "granted"})
        audio_capture.attach_audio_file(ctx, user, rec.id, filename="long.flac", path=long_file)
        transcription.prepare(ctx, user, rec.id)
        start = time.perf_counter()
        final = transcription.run(ctx, user, rec.id)
        elapsed = time.perf_counter() - start
        ctx.close()
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": minutes * 60.0, "elapsed": elapsed, "peak_mib": peak_mib,
            "chunks": float(final.chunks_total), "done": float(final.status == "done")}


def _option(args: list[str], name: str, default: str) -> str:
    return args[args.index(name) + 1] if name in args[:-1] else default


def main() -> None:
    data = shared_data()
    if data is None:
        print("benchmarks/asr.py: ../shared/data is absent; nothing measured")  # noqa: T201
        return
    args = sys.argv[1:]
    models = [m for m in MODELS if m in args] or list(MODELS)
    visits_limit = int(_option(args, "--visits", "99"))
    minutes = int(_option(args, "--long-minutes", "60"))
    rows: list[list[str]] = []
    extras: dict[str, dict[str, float]] = {}
    for model in models:
        model_rows, extra = measure(model, data, visits_limit)
        rows += model_rows
        extras[model] = extra
    long_model = "base"
    child = subprocess.run([sys.executable, "-m", "benchmarks.asr", "--long", long_model,
                            str(minutes)],
                           check=True, capture_output=True, text=True)
    long = json.loads(child.stdout.strip().splitlines()[-1])
    notes = [
        "Columns: audio seconds; WER (jiwer, lower-cased, punctuation removed); real-time "
        "factor (processing time ÷ audio time) of the raw engine (faster-whisper on audio "
        "already in memory), of the pipeline without the speaker step (PyAV decoding in 60 s "
        "chunks, recognition, assembly, uncertainty marks) and of the whole pipeline (with "
        "resemblyzer speaker embeddings and spectral clustering); overhead = pipeline without "
        "speakers over the raw engine. Targets: overhead ≤ 10%, whole-pipeline RTF ≤ 0.25 "
        "with base, ≤ 2 GiB for 60 minutes.",
        "",
        "Speaker turns on the synthetic visits (10 ms frames, optimal speaker mapping; "
        "'turns' = share of true turns whose majority speaker is right):",
        "",
    ]
    for model, extra in extras.items():
        for key in sorted(k for k in extra if "DER" in k):
            stem, _, kind = key.partition(" DER ")
            notes.append(f"- {model}, {stem}, speakers {kind}: DER {extra[key]:.1%}, turns "
                         f"right {extra[f'{stem} turns {kind}']:.1%}")
    notes += [
        "",
        f"{minutes}-minute recording ({long_model}, built by concatenating the visit audio; "
        f"through the service: database, blob store, {long['chunks']:.0f} resumable chunks): "
        f"peak RSS {long['peak_mib']:.0f} MiB, {long['elapsed']:.0f} s "
        f"(RTF {long['elapsed'] / long['seconds']:.3f}), finished: "
        f"{'yes' if long['done'] else 'no'}.",
        "",
        "The machine is shared with other work while this runs, so times are upper bounds.",
        "Reproduce: `.venv/bin/python -m benchmarks.asr` (or `make bench`).",
    ]
    write_table("asr", "On-device transcription (faster-whisper, resemblyzer)",
                ["model", "audio", "seconds", "WER", "RTF raw engine", "RTF pipeline (no "
                 "speakers)", "overhead", "RTF whole pipeline"], rows, notes)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--long":
        print(json.dumps(long_run(sys.argv[2], int(sys.argv[3]))))  # noqa: T201
    else:
        main()
