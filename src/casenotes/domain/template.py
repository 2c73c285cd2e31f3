"""Note templates: the organisation's sections, which of them only a person writes."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TemplateSection:
    """One section of a note template.

    ``reserved`` sections carry professional judgement: the system never fills them.
    ``keywords`` and ``speaker_roles`` guide the extractive drafter's placement.
    ``voice`` marks the section for the person's own words (verbatim quotes); ``attendees`` the
    section that lists who took part; ``fallback`` the section that takes relevant content no
    other section claims; ``position`` ("early", "late" or "") says where in a conversation this
    section's content usually comes; when ``required_keywords`` is set, a sentence must contain
    one of them to be placed here. ``actions`` marks the section for what was agreed: the
    commitments, requests, directions and plans said in the conversation, and the answers to them
    (the drafter recognises them by their grammar). ``tags`` are the observation tags
    ("home conditions", "concern"…) whose tagged moments belong in this section.
    """

    name: str
    guidance: str = ""
    reserved: bool = False
    keywords: tuple[str, ...] = ()
    speaker_roles: tuple[str, ...] = ()
    voice: bool = False
    max_sentences: int = 6
    attendees: bool = False
    fallback: bool = False
    position: str = ""
    required_keywords: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    actions: bool = False


@dataclass(frozen=True)
class Template:
    """A named, versioned list of sections."""

    name: str
    title: str
    version: str
    sections: tuple[TemplateSection, ...]
    required_elements: tuple[str, ...] = field(default=())
    tone: str = "professional"

    def section(self, name: str) -> TemplateSection:
        for section in self.sections:
            if section.name == name:
                return section
        raise KeyError(name)

    @property
    def reserved_sections(self) -> list[str]:
        return [s.name for s in self.sections if s.reserved]
