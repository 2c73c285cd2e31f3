"""Who the case is about, who takes part, and who may see it."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Role(enum.StrEnum):
    PRACTITIONER = "practitioner"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
    AUDITOR = "auditor"


@dataclass(frozen=True)
class Person:
    """A participant in a visit or someone mentioned, as known to the case record."""

    name: str
    role: str = ""
    aliases: tuple[str, ...] = ()
    relationships: tuple[tuple[str, str], ...] = field(default=())  # (relation, other name)

    @property
    def names(self) -> list[str]:
        return [self.name, *self.aliases]
