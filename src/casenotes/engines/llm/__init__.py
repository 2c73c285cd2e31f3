"""Language models, reached only through :class:`ModelGateway` (see ``gateway.py``)."""

from __future__ import annotations

from casenotes.engines.llm.gateway import (
    DEFAULT_ALLOWED_HOSTS,
    ChatMessage,
    ModelGateway,
    ModelRefused,
    ModelUnavailable,
)

__all__ = ["DEFAULT_ALLOWED_HOSTS", "ChatMessage", "ModelGateway", "ModelRefused",
           "ModelUnavailable"]
