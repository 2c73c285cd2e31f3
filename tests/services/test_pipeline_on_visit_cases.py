"""The whole path on real visit cases: import → consent → pseudonymise → draft → check."""

from __future__ import annotations

import re
import time

import pytest

from casenotes.domain.errors import ConsentRefused
from casenotes.services import cases, processing, recordings, review
from casenotes.services.context import AppContext
from casenotes.services.views import UserView
from visits import load_case, people, transcript_text

CASES = ["case_01", "case_03", "case_05", "case_09"]
# "Jo Hartley said: ", "[PERSON_4], interpreting, said: ", "… asked: “…” Kayleigh Robson said: "
_ATTRIBUTION = re.compile(
    r"(?:^|(?<=[”?.!\"]) )[^:“”]{1,60}? (?:said|asked|reported these words|said that):? "
)


def _import(ctx: AppContext, actor: UserView, case_id: str) -> tuple[int, dict[str, object]]:
    data = load_case(case_id)
    cid = cases.create_case(ctx, actor, reference=case_id, title=data["scenario_summary"][:150],
                            team="Children East", people=people(data))
    rec = recordings.import_transcript(ctx, actor, cid, filename=f"{case_id}.txt",
                                       content=transcript_text(data).encode())
    return rec.id, data


def _grant_all(ctx: AppContext, actor: UserView, recording_id: int) -> None:
    for party in recordings.speakers(ctx, actor, recording_id):
        recordings.record_consent(ctx, actor, recording_id, party=party, decision="granted")


@pytest.mark.parametrize("case_id", CASES)
def test_every_drafted_sentence_is_found_in_the_turn_it_links_to(
    ctx: AppContext, practitioner: UserView, case_id: str
) -> None:
    recording_id, data = _import(ctx, practitioner, case_id)
    _grant_all(ctx, practitioner, recording_id)
    started = time.perf_counter()
    processing.process_recording(ctx, practitioner, recording_id)
    elapsed = time.perf_counter() - started
    view = review.get_review(ctx, practitioner, recording_id)
    turns = {t["turn"]: t["text"] for t in data["transcript"]}
    who = {p["id"]: p["name"] for p in data["participants"]}
    speaker = {t["turn"]: who[t["speaker_id"]] for t in data["transcript"]}
    drafted = [s for sec in view.sections for s in sec.sentences]
    assert drafted, "the draft has no sentences"
    for section in view.sections:
        if section.reserved:
            assert not section.sentences, f"reserved section {section.name} was filled"
            continue
        assert section.sentences, f"section {section.name} has no evidenced sentence"
        for sentence in section.sentences:
            assert sentence.segment_ids, f"{sentence.id} has no evidence"
            if section.name == "Who was present":
                # An attendee line is evidenced by who spoke in the linked turn.
                assert speaker[sentence.segment_ids[0]] in sentence.text
                continue
            evidence = " ".join(turns[i] for i in sentence.segment_ids)
            # The sentence's words (real names restored) come from its evidence turns: an
            # attribution ("… said: ") may precede them, and an answer may follow its question.
            parts = [p.strip(" \"“”'") for p in _ATTRIBUTION.split(sentence.text)]
            assert [p for p in parts if p], (sentence.id, case_id)
            for content in parts:
                assert content in evidence, (sentence.id, case_id)
    print(f"{case_id}: import → draft → checks in {elapsed:.2f} s")  # noqa: T201


def test_reserved_analysis_is_left_to_the_practitioner(
    ctx: AppContext, practitioner: UserView
) -> None:
    recording_id, _ = _import(ctx, practitioner, "case_01")
    _grant_all(ctx, practitioner, recording_id)
    processing.process_recording(ctx, practitioner, recording_id)
    view = review.get_review(ctx, practitioner, recording_id)
    analysis = [s for s in view.sections if s.name == "Analysis"][0]
    assert analysis.reserved and not analysis.sentences and not analysis.human_text
    assert any("Analysis" in b for b in view.sign_blockers)


@pytest.mark.parametrize("decision", ["declined", "withdrawn", None])
def test_processing_stops_unless_every_party_granted_consent(
    ctx: AppContext, practitioner: UserView, decision: str | None
) -> None:
    recording_id, _ = _import(ctx, practitioner, "case_09")
    parties = recordings.speakers(ctx, practitioner, recording_id)
    for party in parties[:-1]:
        recordings.record_consent(ctx, practitioner, recording_id, party=party,
                                  decision="granted")
    if decision is not None:
        recordings.record_consent(ctx, practitioner, recording_id, party=parties[-1],
                                  decision=decision)
    with pytest.raises(ConsentRefused) as refused:
        processing.process_recording(ctx, practitioner, recording_id)
    assert "not every participant has granted consent" in refused.value.message
    assert f"{parties[-1]}: {decision or 'unknown'}" in refused.value.message
    assert recordings.get_recording(ctx, practitioner, recording_id).stage == "imported"


def test_withdrawn_consent_after_granting_stops_processing(
    ctx: AppContext, practitioner: UserView
) -> None:
    recording_id, _ = _import(ctx, practitioner, "case_09")
    _grant_all(ctx, practitioner, recording_id)
    first = recordings.speakers(ctx, practitioner, recording_id)[0]
    recordings.record_consent(ctx, practitioner, recording_id, party=first, decision="withdrawn")
    with pytest.raises(ConsentRefused):
        processing.process_recording(ctx, practitioner, recording_id)


def test_processing_again_resumes_and_does_not_duplicate_the_draft(
    ctx: AppContext, practitioner: UserView
) -> None:
    recording_id, _ = _import(ctx, practitioner, "case_09")
    _grant_all(ctx, practitioner, recording_id)
    first = processing.process_recording(ctx, practitioner, recording_id)
    again = processing.process_recording(ctx, practitioner, recording_id)
    assert first.stage == again.stage == "checked"
    assert first.open_flags == again.open_flags
