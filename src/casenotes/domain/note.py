"""The signed record and what it says about how it was made."""

from __future__ import annotations

import difflib
from dataclasses import dataclass


@dataclass(frozen=True)
class EngineInfo:
    stage: str
    name: str
    version: str


@dataclass(frozen=True)
class TransparencyLabel:
    """How a note was made: engines used and how much of the text the person changed."""

    engines: tuple[EngineInfo, ...]
    changed_share: float  # 0.0 = signed as drafted, 1.0 = entirely rewritten
    human_written_sections: tuple[str, ...] = ()

    def describe(self) -> str:
        engines = "; ".join(f"{e.stage}: {e.name} {e.version}" for e in self.engines)
        return (
            f"Drafted with AI assistance ({engines}). "
            f"{self.changed_share:.0%} of the drafted text was changed by the practitioner. "
            f"Written by the practitioner: {', '.join(self.human_written_sections) or 'none'}."
        )


def changed_share(drafted: str, final: str) -> float:
    """Share of the drafted text that did not survive into the final text (word level)."""
    a, b = drafted.split(), final.split()
    if not a:
        return 0.0 if not b else 1.0
    kept = sum(block.size for block in difflib.SequenceMatcher(a=a, b=b, autojunk=False)
               .get_matching_blocks())
    return round(1.0 - kept / max(len(a), len(b)), 4)
