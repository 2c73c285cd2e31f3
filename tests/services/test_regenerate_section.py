"""Regenerating one section of a draft keeps the practitioner's work everywhere else."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from drafting_support import Demo, demo_copy, sign_demo
from sqlalchemy import select

from casenotes.domain.errors import InvalidInput, NotFound, ReadOnly
from casenotes.pipeline.pseudonymise import PiiDetector
from casenotes.services import accounts, review
from casenotes.services.access import AccessRefused
from casenotes.services.regenerate import regenerate_section
from casenotes.services.views import ReviewView, SectionView
from casenotes.store.models import StageRunRow


@pytest.fixture
def demo(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, pii_detector: PiiDetector
) -> Iterator[Demo]:
    yield from demo_copy(tmp_path, tmp_path_factory, pii_detector)


def _drafted_sections(view: ReviewView) -> list[SectionView]:
    return [s for s in view.sections if not s.reserved and len(s.sentences) >= 1]


def test_regenerating_a_section_restores_its_draft_and_keeps_edits_in_other_sections(
    demo: Demo,
) -> None:
    ctx, worker = demo.ctx, demo.worker
    rid = demo.recording_id
    before = review.get_review(ctx, worker, rid)
    target, other = _drafted_sections(before)[:2]
    review.edit_sentence(ctx, worker, rid, target.sentences[0].id, "My rewording here.")
    review.edit_sentence(ctx, worker, rid, other.sentences[0].id, "An edit I want to keep.")
    review.write_section(ctx, worker, rid, target.name, "My own added paragraph.")
    review.write_section(ctx, worker, rid, "Analysis", "My analysis stays.")

    result = regenerate_section(ctx, worker, rid, target.name)

    after = review.get_review(ctx, worker, rid)
    regenerated = next(s for s in after.sections if s.name == target.name)
    kept = next(s for s in after.sections if s.name == other.name)
    assert result.removed == len(target.sentences)
    assert [s.text for s in regenerated.sentences] == [s.drafted_text for s in target.sentences]
    assert not any(s.edited for s in regenerated.sentences)
    assert all(s.segment_ids for s in regenerated.sentences), "every sentence keeps its evidence"
    assert regenerated.human_text == "My own added paragraph."
    assert kept.sentences[0].text == "An edit I want to keep."
    with ctx.session() as session:  # the regeneration's cost is measured like any draft
        stages = list(session.scalars(select(StageRunRow.stage)
                                      .where(StageRunRow.recording_id == rid)))
    assert "regenerate" in stages
    assert next(s for s in after.sections if s.name == "Analysis").human_text == (
        "My analysis stays.")


def test_regenerated_sentences_get_new_ids_and_flags_only_on_that_section_are_replaced(
    demo: Demo,
) -> None:
    ctx, worker = demo.ctx, demo.worker
    rid = demo.recording_id
    before = review.get_review(ctx, worker, rid)
    target = _drafted_sections(before)[0]
    elsewhere = {
        f.id for sec in before.sections if sec.name != target.name
        for f in list(sec.flags) + [f for s in sec.sentences for f in s.flags]
    }
    old_ids = {s.id for sec in before.sections for s in sec.sentences}

    regenerate_section(ctx, worker, rid, target.name)

    after = review.get_review(ctx, worker, rid)
    regenerated = next(s for s in after.sections if s.name == target.name)
    assert not {s.id for s in regenerated.sentences} & old_ids
    still = {
        f.id for sec in after.sections if sec.name != target.name
        for f in list(sec.flags) + [f for s in sec.sentences for f in s.flags]
    }
    assert still == elsewhere
    for sentence in regenerated.sentences:
        for flag in sentence.flags:
            assert flag.sentence_id == sentence.id


def test_a_reserved_section_cannot_be_regenerated(
    demo: Demo,
) -> None:
    ctx, worker = demo.ctx, demo.worker
    with pytest.raises(InvalidInput, match="reserved"):
        regenerate_section(ctx, worker, demo.recording_id, "Analysis")


def test_an_unknown_section_is_a_clear_error(
    demo: Demo,
) -> None:
    ctx, worker = demo.ctx, demo.worker
    with pytest.raises(NotFound, match="no section"):
        regenerate_section(ctx, worker, demo.recording_id, "Not a section")


def test_someone_not_allocated_to_the_case_cannot_regenerate(demo: Demo) -> None:
    stranger = accounts.add_user(demo.ctx, username="stranger", password="a-long-password-1",
                                 role="practitioner", team="Elsewhere")
    with pytest.raises(AccessRefused):
        regenerate_section(demo.ctx, stranger, demo.recording_id, "Discussion")


def test_a_signed_note_cannot_be_regenerated(
    demo: Demo,
) -> None:
    ctx, worker = demo.ctx, demo.worker
    rid = demo.recording_id
    view = review.get_review(ctx, worker, rid)
    sign_demo(demo, "Mine.")
    target = _drafted_sections(view)[0]
    with pytest.raises(ReadOnly):
        regenerate_section(ctx, worker, rid, target.name)
