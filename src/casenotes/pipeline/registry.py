"""An explicit name → factory registry for each engine protocol; duplicates are rejected."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from casenotes.domain.errors import InvalidInput

T = TypeVar("T")


class Registry(Generic[T]):
    """Engines of one kind, chosen by configuration."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._factories: dict[str, Callable[[], T]] = {}

    def register(self, name: str, factory: Callable[[], T]) -> None:
        if name in self._factories:
            raise ValueError(f"a {self.kind} named {name!r} is already registered")
        self._factories[name] = factory

    def names(self) -> list[str]:
        return sorted(self._factories)

    def create(self, name: str) -> T:
        try:
            factory = self._factories[name]
        except KeyError:
            raise InvalidInput(
                f"No {self.kind} engine is called {name!r}.",
                hint=f"Choose one of: {', '.join(self.names()) or '(none registered)'}.",
            ) from None
        return factory()
