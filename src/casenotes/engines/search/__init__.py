"""Search engines: MiniLM sentence embeddings, reciprocal rank fusion and snippet highlighting."""

from casenotes.engines.search.fusion import grouped_rank_fusion, reciprocal_rank_fusion
from casenotes.engines.search.minilm_index import MiniLmEmbedder, embedder_for
from casenotes.engines.search.snippets import Snippet, best_snippet, query_terms

__all__ = [
    "MiniLmEmbedder",
    "Snippet",
    "best_snippet",
    "embedder_for",
    "grouped_rank_fusion",
    "query_terms",
    "reciprocal_rank_fusion",
]
