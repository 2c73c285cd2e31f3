"""Sentence embedding engines."""

from casenotes.engines.embed.minilm import MiniLMEmbedder

__all__ = ["MiniLMEmbedder"]
