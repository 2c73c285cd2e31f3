"""Energy and cost per note: every pipeline stage is measured on every run.

:func:`stage_meter` wraps a stage's heavy work (speech recognition per chunk, pseudonymisation,
drafting, checking) and stores one ``stage_runs`` row with:

- **CPU time** of the whole process (``resource.getrusage(RUSAGE_SELF)``: user + system time of
  every thread, so the worker threads of CTranslate2, torch and llama.cpp are counted). Other
  work the same process does at the same moment (another request) is counted too, so on a busy
  server the figure is an upper bound for the stage.
- **Wall time** (``time.perf_counter``).
- **Energy**, by one of two methods, always stored beside the number:

  * ``rapl``: the change in the Linux powercap RAPL counters
    (``<rapl_dir>/intel-rapl:N/energy_uj``, package domains only, wrap-around handled) when they
    are readable. They measure the whole CPU package, so everything else running on the machine
    in that time is included.
  * ``estimate``: CPU seconds × ``watts_per_core`` (setting ``CASENOTES_WATTS_PER_CORE``,
    default 12 W — the Green Algorithms calculator's average power per core; Lannelongue,
    Grealey & Inouye, *Advanced Science* 2021). One CPU second is one core busy for a second.

- **GPU**: when a stage runs on a GPU (``device`` other than ``cpu``, e.g. speech recognition
  with ``asr_device=cuda``), ``gpu_seconds`` is the stage's wall time (the GPU is held for the
  whole stage, so this is an upper bound) and ``gpu_watts`` × that time is added to the energy;
  the method then ends in ``+gpu-estimate`` (RAPL does not cover GPUs).
- The **engine** name and version, and the device.

A stage that fails stores nothing (it will run again); a measurement that cannot be stored is
logged and dropped, never failing the stage. Nothing personal is stored: ids, times and engine
names only.
"""

from __future__ import annotations

import logging
import re
import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from casenotes.config import Settings
from casenotes.services.context import AppContext
from casenotes.store.models import StageRunRow

JOULES_PER_KWH = 3_600_000.0
log = logging.getLogger(__name__)
_PACKAGE = re.compile(r"^intel-rapl:\d+$")  # package domains; sub-domains (N:M) are inside them
METHOD_LABELS = {
    "rapl": "measured (RAPL energy counters)",
    "estimate": "estimated (CPU time × watts per core)",
    "mixed": "partly measured (RAPL), partly estimated (CPU time × watts per core)",
}


def cpu_seconds() -> float:
    """User + system CPU time of this process so far, across all its threads."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclass(frozen=True)
class _Counter:
    path: Path
    max_range: int


def rapl_counters(rapl_dir: Path) -> list[_Counter]:
    """The readable RAPL package counters under ``rapl_dir`` (empty when there are none)."""
    found: list[_Counter] = []
    try:
        zones = sorted(p for p in rapl_dir.iterdir() if _PACKAGE.match(p.name))
    except OSError:
        return []
    for zone in zones:
        energy = zone / "energy_uj"
        try:
            int(energy.read_text().strip())
        except (OSError, ValueError):
            continue  # not there, or readable by root only
        try:
            max_range = int((zone / "max_energy_range_uj").read_text().strip())
        except (OSError, ValueError):
            max_range = 0
        found.append(_Counter(energy, max_range))
    return found


def _read(counters: list[_Counter]) -> list[int] | None:
    try:
        return [int(c.path.read_text().strip()) for c in counters]
    except (OSError, ValueError):
        return None


def _rapl_joules(counters: list[_Counter], before: list[int], after: list[int]) -> float:
    total = 0
    for counter, start, end in zip(counters, before, after, strict=True):
        delta = end - start
        if delta < 0:  # the counter wrapped round
            delta += counter.max_range
        total += max(delta, 0)
    return total / 1_000_000


def estimated_joules(cpu: float, settings: Settings) -> float:
    return cpu * settings.watts_per_core


@dataclass
class StageMeasure:
    """What :func:`stage_meter` measured (filled in when the block ends)."""

    cpu_seconds: float = 0.0
    wall_seconds: float = 0.0
    energy_joules: float = 0.0
    energy_method: str = "estimate"


@contextmanager
def stage_meter(ctx: AppContext, recording_id: int, stage: str, engine: str,
                version: str, *, device: str = "cpu") -> Iterator[StageMeasure]:
    """Measure the block and store it as one run of ``stage`` (only if the block succeeds)."""
    counters = rapl_counters(ctx.settings.rapl_dir)
    before_energy = _read(counters) if counters else None
    started = datetime.now(UTC)
    cpu0, wall0 = cpu_seconds(), time.perf_counter()
    measure = StageMeasure()
    yield measure
    measure.cpu_seconds = max(cpu_seconds() - cpu0, 0.0)
    measure.wall_seconds = max(time.perf_counter() - wall0, 0.0)
    after_energy = _read(counters) if before_energy is not None else None
    if before_energy is not None and after_energy is not None:
        measure.energy_joules = _rapl_joules(counters, before_energy, after_energy)
        measure.energy_method = "rapl"
    else:
        measure.energy_joules = estimated_joules(measure.cpu_seconds, ctx.settings)
        measure.energy_method = "estimate"
    gpu_seconds = None
    if device != "cpu":
        gpu_seconds = measure.wall_seconds
        measure.energy_joules += gpu_seconds * ctx.settings.gpu_watts
        measure.energy_method += "+gpu-estimate"
    try:
        _store(ctx, StageRunRow(
            recording_id=recording_id, stage=stage, engine=engine[:200],
            engine_version=version[:500], device=device[:20],
            cpu_seconds=measure.cpu_seconds, gpu_seconds=gpu_seconds,
            wall_seconds=measure.wall_seconds,
            energy_joules=measure.energy_joules, energy_method=measure.energy_method,
            started_at=started, finished_at=datetime.now(UTC),
        ))
    except SQLAlchemyError as error:  # a measurement must never undo the stage's work
        log.warning("A stage measurement was not stored (%s).", type(error).__name__)


def _store(ctx: AppContext, row: StageRunRow) -> None:
    with ctx.session() as session:
        session.add(row)


def describe_engine(engine: object) -> str:
    """An engine's version as precisely as it can be named: its model folder (last two parts)
    or its own version, and the installed version of the library it is named after."""
    path = getattr(engine, "model_path", None)
    label = (f"{path.parent.name}/{path.name}" if isinstance(path, Path)
             else str(getattr(engine, "version", "")))
    name = str(getattr(engine, "name", ""))
    try:
        library = f"{name} {metadata.version(name)}" if name else ""
    except (metadata.PackageNotFoundError, ValueError):
        library = ""
    return f"{label}; {library}" if library else label


def method_label(methods: set[str]) -> str:
    """How a figure was found, in words (from the methods of the runs it adds up)."""
    if not methods:
        return "nothing measured yet"
    gpu = any(m.endswith("+gpu-estimate") for m in methods)
    cpu = {m.removesuffix("+gpu-estimate") for m in methods}
    text = METHOD_LABELS["mixed"] if len(cpu) > 1 else METHOD_LABELS.get(next(iter(cpu)),
                                                                          next(iter(cpu)))
    return text + ("; GPU estimated (wall time × GPU watts)" if gpu else "")


def current_method(settings: Settings) -> str:
    """How energy would be found on this machine now."""
    if rapl_counters(settings.rapl_dir) and _read(rapl_counters(settings.rapl_dir)) is not None:
        return "rapl"
    return "estimate"
