"""Drafters: turn a (pseudonymised) transcript into a draft in a template's sections."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from casenotes.engines.drafting.extractive import ExtractiveDrafter
from casenotes.pipeline.draft import Drafter
from casenotes.pipeline.registry import Registry

if TYPE_CHECKING:
    from casenotes.config import Settings

__all__ = ["ExtractiveDrafter", "register"]


def register(registry: Registry[Drafter], settings: Settings | None = None) -> None:
    """Add the drafters of this package under their names.

    ``extractive`` uses rules only; ``extractive-minilm`` also places sentences by their MiniLM
    similarity to each section's guidance (the model folder from ``settings.embedding_model``,
    default the packaged all-MiniLM-L6-v2, loaded on first use). The language-model drafter
    (``llm_drafter.LlmDrafter``) needs a model gateway and is built by the caller.
    """
    registry.register(ExtractiveDrafter.name, ExtractiveDrafter)
    folder = settings.embedding_model if settings is not None else None

    def with_minilm() -> Drafter:
        from casenotes.engines.embed.minilm import MiniLMEmbedder

        return ExtractiveDrafter(MiniLMEmbedder(Path(folder) if folder else None))

    registry.register("extractive-minilm", with_minilm)
