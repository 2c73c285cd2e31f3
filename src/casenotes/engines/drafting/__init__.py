"""Drafters: turn a (pseudonymised) transcript into a draft in a template's sections."""

from __future__ import annotations

from typing import TYPE_CHECKING

from casenotes.engines.drafting.extractive import ExtractiveDrafter
from casenotes.pipeline.draft import Drafter
from casenotes.pipeline.registry import Registry

if TYPE_CHECKING:
    from casenotes.config import Settings

__all__ = ["ExtractiveDrafter", "register"]


def register(registry: Registry[Drafter], settings: Settings | None = None) -> None:
    """Add the drafters of this package under their names.

    None of them needs configuration; ``settings`` is accepted like every engine package's.
    """
    registry.register(ExtractiveDrafter.name, ExtractiveDrafter)
