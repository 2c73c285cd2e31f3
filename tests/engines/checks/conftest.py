"""Fixtures shared by the checks' tests."""

from __future__ import annotations

import pytest

from casenotes.engines.embed import MiniLMEmbedder


@pytest.fixture(scope="module")
def embedder() -> MiniLMEmbedder:
    """The packaged MiniLM model, loaded once per test module."""
    return MiniLMEmbedder()
