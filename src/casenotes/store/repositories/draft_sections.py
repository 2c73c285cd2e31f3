"""One section of a stored draft: replace its drafted sentences and the flags raised on them."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from casenotes.domain.draft import Sentence
from casenotes.domain.flags import Flag
from casenotes.store.models import DraftSectionRow, DraftSentenceRow, FlagRow
from casenotes.store.repositories.drafts import save_flags


def next_sentence_number(session: Session, *, draft_id: int) -> int:
    """One more than the highest ``sN`` id in the draft, so new ids never reuse an old one."""
    sids = session.scalars(
        select(DraftSentenceRow.sid).where(DraftSentenceRow.draft_id == draft_id)
    ).all()
    numbers = [int(s[1:]) for s in sids if s[:1] == "s" and s[1:].isdigit()]
    return max(numbers, default=0) + 1


def replace_sentences(
    session: Session, *, section: DraftSectionRow, sentences: list[Sentence]
) -> int:
    """Put ``sentences`` in place of the section's drafted sentences (and edits to them).

    The section's own text (``human_text``) and every other section are left as they are.
    Returns how many sentences were removed.
    """
    old = session.scalars(
        select(DraftSentenceRow).where(DraftSentenceRow.section_id == section.id)
    ).all()
    for row in old:
        session.delete(row)
    session.flush()
    last = session.scalar(
        select(func.max(DraftSentenceRow.position)).where(
            DraftSentenceRow.draft_id == section.draft_id)
    ) or 0
    for offset, sentence in enumerate(sentences, start=1):
        session.add(DraftSentenceRow(
            draft_id=section.draft_id, section_id=section.id, sid=sentence.id,
            position=last + offset, kind=sentence.kind.value, text=sentence.text,
            evidence=[[e.segment_id, e.start, e.end, e.support] for e in sentence.evidence],
        ))
    session.flush()
    session.expire(section, ["sentences"])
    return len(old)


def replace_flags(session: Session, *, draft_id: int, section: str, flags: list[Flag]) -> None:
    """Drop the flags raised on ``section`` and store ``flags`` (all on that section)."""
    session.execute(delete(FlagRow).where(FlagRow.draft_id == draft_id, FlagRow.section == section))
    save_flags(session, draft_id=draft_id, flags=flags)
