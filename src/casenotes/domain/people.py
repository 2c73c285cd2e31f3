"""Who the case is about, who takes part, and who may see it."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field


class Role(enum.StrEnum):
    PRACTITIONER = "practitioner"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
    AUDITOR = "auditor"


#: A participant's role is free text ("detective constable, child abuse investigation unit",
#: "deputy head and designated safeguarding lead"): these words say someone is there for work.
_PROFESSIONAL_ROLE = re.compile(
    r"(?<![a-z])(?:social[_ ]worker|adviser|advisor|manager|chair|practitioner|worker|"
    r"professional|visitor|nurse|teacher|head(?:teacher)?|police|officer|constable|detective|"
    r"sergeant|inspector|doctor|gp|paediatrician|psychiatrist|psychologist|consultant|"
    r"midwife|therapist|mentor|coordinator|co-ordinator|safeguarding[_ ]lead|dsl|senco|idva|"
    r"solicitor|clinician|counsellor)(?![a-z])"
)
#: A child or young person, however the role is worded ("child in placement", "young person").
_CHILD_ROLE = re.compile(r"^(?:the |a )?(?:child|young[_ ]person|baby|infant|teenager)(?![\w'])")


def professional_role(role: str) -> bool:
    """Whether a participant's role (free text) is a professional's, not the family's."""
    return bool(_PROFESSIONAL_ROLE.search(role.lower()))


def child_role(role: str) -> bool:
    """Whether a participant's role (free text) is a child's or young person's."""
    return bool(_CHILD_ROLE.match(role.lower().strip()))


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
