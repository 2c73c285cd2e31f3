"""Practice prompts: the person's own words are there, the analysis is the practitioner's own,
and every action says who will do it and by when."""

from __future__ import annotations

import re

from casenotes.domain.draft import Draft, Section, Sentence, SentenceKind
from casenotes.domain.flags import Flag, FlagKind, Severity
from casenotes.domain.transcript import Transcript
from casenotes.pipeline.check import CheckContext

_QUOTE = re.compile(r"[\"“][^\"”]{3,}[\"”]")
_OWNER = re.compile(
    r"\[[A-Z]+(?:_[A-Z]+)*_\d+\]|(?<=[a-z,;:]\s)[A-Z][a-z]+\b|^[A-Z][a-z]+(?=\s+(?:will|to|and|has|is)\b)|\b(?i:I|I'll|I’ll|we|we'll|"
    r"he|she|they|he'll|she'll|they'll|worker|social worker|practitioner|mother|father|mum|"
    r"dad|carer|parent|nurse|gp|school|teacher|chair|police|health visitor|pa)\b",
)
_WHEN = re.compile(
    r"\b(?:today|tonight|tomorrow|this (?:week|afternoon|evening|morning|month)|next "
    r"(?:week|month|visit|meeting|\w+day)|by (?:the )?\w+|before \w+|within \w+|on \w+day|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|january|february|march|april|may|june|july|"
    r"august|september|october|november|december|\d{1,2}(?:st|nd|rd|th)?\b|\d{1,2}(?::\d\d)?"
    r"\s*(?:am|pm)|weekly|daily|fortnightly|monthly|every \w+|after|until|end of)\b",
    re.IGNORECASE,
)


def _is_actions(section: Section) -> bool:
    name = section.name.lower()
    return "action" in name or "next steps" in name or "what happens next" in name


class PracticeChecker:
    """Prompts for good recording practice (the person's voice, own analysis, clear actions)."""

    name = "practice"
    version = "1.0"

    def check(self, draft: Draft, transcript: Transcript, context: CheckContext) -> list[Flag]:
        flags: list[Flag] = []
        voice = [s.name for s in context.template.sections if s.voice]
        quoted = any(s.kind is SentenceKind.QUOTE or _QUOTE.search(s.text)
                     for _, s in draft.sentences()) or any(
            _QUOTE.search(sec.human_text) for sec in draft.sections)
        if not quoted:
            flags.append(self._flag(
                voice[0] if voice else (draft.sections[0].name if draft.sections else ""), None,
                "The note does not quote the person in their own words. Add what they said "
                "that matters most to them, word for word, with who said it.", Severity.INFO))
        reserved = set(context.template.reserved_sections)
        for section in draft.sections:
            if (section.reserved or section.name in reserved) and not section.human_text.strip():
                flags.append(self._flag(
                    section.name, None,
                    f"\"{section.name}\" is for your own professional judgement and is still "
                    "empty. Write it yourself before signing.", Severity.INFO))
            if _is_actions(section) and not (section.reserved or section.name in reserved):
                flags += self._actions(section)
        return flags

    def _actions(self, section: Section) -> list[Flag]:
        flags = []
        for sentence in section.sentences:
            missing = []
            if not _OWNER.search(sentence.text):
                missing.append("who will do it")
            if not _WHEN.search(sentence.text):
                missing.append("by when")
            if missing:
                flags.append(self._flag(
                    section.name, sentence,
                    f"This action does not say {' or '.join(missing)}. Each action needs an "
                    "owner and a date.", Severity.INFO))
        return flags

    def _flag(self, section: str, sentence: Sentence | None, why: str,
              severity: Severity) -> Flag:
        return Flag(
            kind=FlagKind.PRACTICE,
            severity=severity,
            explanation=why,
            section=section,
            sentence_id=sentence.id if sentence else None,
            segment_ids=tuple(sentence.segment_ids) if sentence else (),
            checker=self.name,
        )
