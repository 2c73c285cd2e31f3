"""Drafting a short invented conversation with the extractive drafter, for the drafting tests."""

from __future__ import annotations

from dataclasses import replace

from casenotes.domain.draft import Draft
from casenotes.domain.template import Template
from casenotes.domain.transcript import Segment, Transcript
from casenotes.engines.drafting import ExtractiveDrafter
from casenotes.pipeline.draft import DraftContext, draft
from casenotes.pipeline.templates import load_template


def draft_turns(turns: list[tuple[str, str]], roles: dict[str, str],
                template: str | Template = "home_visit_note") -> Draft:
    """The turns (speaker, words), numbered from 1, drafted in the named or given template."""
    transcript = Transcript(tuple(Segment(i, who, text)
                                  for i, (who, text) in enumerate(turns, 1)))
    chosen = load_template(template) if isinstance(template, str) else template
    return draft(transcript, chosen, ExtractiveDrafter(), DraftContext(roles))


def tight(name: str) -> Template:
    """The template with room for one sentence per section: what is drafted must earn it."""
    template = load_template(name)
    return replace(template, sections=tuple(replace(s, max_sentences=1)
                                            for s in template.sections))


def draft_text(result: Draft) -> str:
    return " ".join(s.text for _, s in result.sentences())


def small_talk(n: int, a: str = "[PERSON_1]", b: str = "[PERSON_2]") -> list[tuple[str, str]]:
    """``n`` turns of everyday talk between ``a`` and ``b`` that no section needs."""
    return [(a if i % 2 == 0 else b, f"The bus was late again this morning, number {i}.")
            for i in range(n)]


def section_text(result: Draft, start: str) -> str:
    """The drafted text of the sections whose names start with ``start``."""
    return " ".join(s.text for sec in result.sections if sec.name.startswith(start)
                    for s in sec.sentences)
