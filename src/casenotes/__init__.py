"""casenotes: a local-first, responsible AI case-recording assistant for social workers."""

__version__ = "0.1.0"
