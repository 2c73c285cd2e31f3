"""Engine registries: explicit names, duplicates refused, unknown names explained."""

from __future__ import annotations

import pytest

from casenotes.domain.errors import InvalidInput
from casenotes.pipeline.registry import Registry


def test_duplicate_engine_name_is_refused() -> None:
    registry: Registry[str] = Registry("drafter")
    registry.register("extractive", lambda: "a")
    with pytest.raises(ValueError, match="already registered"):
        registry.register("extractive", lambda: "b")


def test_unknown_engine_lists_the_choices() -> None:
    registry: Registry[str] = Registry("drafter")
    registry.register("extractive", lambda: "a")
    with pytest.raises(InvalidInput) as error:
        registry.create("gpt")
    assert "extractive" in error.value.hint
