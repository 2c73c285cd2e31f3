"""The language-model drafter: structured output, every sentence verified, nothing dropped.

One test runs the real SmolLM2-135M (in process, llama-cpp-python, CPU) on a short transcript;
the others check verification with the same gateway refusing or a model-free reply.
"""

from __future__ import annotations

import json
import time

import pytest

from casenotes.domain.draft import SentenceKind
from casenotes.domain.flags import FlagKind
from casenotes.domain.transcript import Segment, Transcript
from casenotes.engines.checks import EvidenceChecker
from casenotes.engines.drafting.llm_drafter import LlmDrafter, _parse, verify
from casenotes.engines.llm.gateway import ModelGateway, ModelRefused, ModelUnavailable
from casenotes.pipeline.check import CheckContext, check
from casenotes.pipeline.draft import DraftContext, draft
from casenotes.pipeline.pseudonymise import PiiDetector
from casenotes.pipeline.templates import load_template, parse_template
from model_server import LoopbackModel

VISIT = Transcript((
    Segment(1, "[PERSON_1]", "I'm here today because the school is worried about attendance."),
    Segment(2, "[PERSON_2]", "The boiler has been broken for two weeks and the house is cold."),
    Segment(3, "[PERSON_3]", "I'm scared at night when the lights go off."),
    Segment(4, "[PERSON_2]", "I've been skipping meals so the kids can eat."),
    Segment(5, "[PERSON_1]", "I'll ring the housing team about the boiler by Friday."),
))
ROLES = {"[PERSON_1]": "social_worker", "[PERSON_2]": "parent", "[PERSON_3]": "child"}


def test_verification_accepts_words_from_the_cited_turn_and_refuses_the_rest() -> None:
    assert verify("The boiler has been broken for two weeks.", [2], VISIT).supported
    assert not verify("The boiler has been broken for two weeks.", [5], VISIT).supported
    assert not verify("The boiler has been broken for two weeks.", [99], VISIT).supported
    invented = verify("The mother drinks alcohol every night.", [2], VISIT)
    assert not invented.supported
    assert verify("It is owed 340 pounds.", [2], VISIT).missing == ("340",)
    assert verify("[PERSON_4] is cold.", [2], VISIT).missing == ("[PERSON_4]",)


def test_a_malformed_model_answer_is_a_clear_error_not_a_silent_gap() -> None:
    with pytest.raises(ModelUnavailable, match="not valid JSON"):
        _parse("Sure! Here is the note.")
    with pytest.raises(ModelUnavailable, match="did not list sentences"):
        _parse('{"text": "x"}')
    with pytest.raises(ModelUnavailable, match="did not list sentences"):
        _parse('{"sentences": []}')
    assert _parse('{"sentences": [{"text": " a  b ", "turns": [2, "x", true]}]}') == [
        ("a b", [2])]


def test_a_gateway_to_a_host_off_the_allow_list_sends_nothing(pii_detector: PiiDetector) -> None:
    gateway = ModelGateway.openai_compatible("http://models.example.net/v1", "any", pii_detector)
    drafter = LlmDrafter(gateway)
    with pytest.raises(ModelRefused, match="not on the allow-list"):
        drafter.draft(VISIT, load_template("home_visit_note"), DraftContext(ROLES))


def test_a_name_the_pseudonymiser_missed_is_withheld_and_the_section_is_still_drafted(
    pii_detector: PiiDetector,
) -> None:
    reply = {"sentences": [{"text": "The boiler has been broken for two weeks.", "turns": [2]}]}
    server = LoopbackModel(lambda _body: reply)
    try:
        gateway = ModelGateway.openai_compatible(f"http://127.0.0.1:{server.port}/v1", "m",
                                                 pii_detector)
        slipped = Transcript((*VISIT.segments, Segment(
            6, "[PERSON_2]", "Everyone just calls the landlord Mr Okafor, he never comes.")))
        template = parse_template(SHORT_NOTE, "short_visit_note.yaml")
        result = draft(slipped, template, LlmDrafter(gateway), DraftContext(ROLES))
        sent = json.dumps(server.bodies)
        assert server.bodies, "the section was never sent"
        assert "Okafor" not in sent and "[WITHHELD]" in sent
        purpose = result.section("Purpose of visit").sentences
        assert [s.text for s in purpose] == ["The boiler has been broken for two weeks."]
        assert purpose[0].evidence and result.meta["withheld_sections"] == ""
    finally:
        server.close()


SHORT_NOTE = """
title: Short visit note
sections:
  - name: Purpose of visit
    guidance: Why the visit happened.
    speaker_roles: [practitioner]
    keywords: [because, worried, school]
    max_sentences: 2
  - name: What the child/person said (their voice)
    guidance: The person's own words, quoted exactly.
    voice: true
    speaker_roles: [child, person]
    keywords: [scared, cold]
  - name: Analysis
    reserved: true
"""


@pytest.mark.slow
def test_real_small_model_drafts_a_short_visit_with_every_sentence_verified_or_flagged(
    pii_detector: PiiDetector,
) -> None:
    template = parse_template(SHORT_NOTE, "short_visit_note.yaml")
    drafter = LlmDrafter(ModelGateway.local_llama(pii_detector), max_tokens_per_sentence=40)
    started = time.perf_counter()
    result = draft(VISIT, template, drafter, DraftContext(ROLES))
    elapsed = time.perf_counter() - started

    assert result.engine == "llm"
    assert result.section("Analysis").is_empty, "reserved sections are never drafted"
    drafted = [s for sec in result.sections if not sec.reserved for s in sec.sentences]
    assert drafted, "the model wrote something"
    assert result.meta["model"].startswith("SmolLM2")
    assert result.section("Purpose of visit").sentences, "a drafted section is never left blank"
    assert result.meta["extractive_sections"] in ("", "Purpose of visit")
    quotes = [s for s in result.section("What the child/person said (their voice)").sentences]
    assert quotes and all(s.kind is SentenceKind.QUOTE for s in quotes)
    for quote in quotes:  # the person's words verbatim, linked to their turn
        ev = quote.evidence[0]
        assert VISIT.segment(ev.segment_id).text[ev.start:ev.end] in quote.text
    unsupported = set(filter(None, result.meta["unsupported"].split(",")))
    flagged = {f.sentence_id for f in check(result, VISIT, [EvidenceChecker()],
                                            CheckContext(template))
               if f.kind is FlagKind.NO_EVIDENCE}
    assert flagged == unsupported, "every unverified sentence is flagged, none dropped"
    for section, sentence in result.sentences():
        if sentence.id not in unsupported and section.name == "Purpose of visit":
            assert verify(sentence.text, sentence.segment_ids, VISIT).supported
    print(f"SmolLM2 drafted {len(drafted)} sentences ({len(unsupported)} flagged) "  # noqa: T201
          f"in {elapsed:.1f} s")
