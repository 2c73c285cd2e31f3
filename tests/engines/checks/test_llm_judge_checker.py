"""The model judge: a language model, reached only through the gateway, asked whether each
drafted sentence is supported by its turns (a loopback model server, and the real SmolLM2)."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from checksupport import TEMPLATE, draft, sentence, transcript

from casenotes.domain.draft import SentenceKind
from casenotes.domain.errors import InvalidInput
from casenotes.domain.flags import Flag, FlagKind, Severity
from casenotes.domain.people import Person
from casenotes.engines.checks import LlmJudgeChecker, register
from casenotes.engines.checks.llm_judge_checker import (
    GAVE_UP,
    NOT_ALLOWED,
    REFUSED,
    TIMED_OUT,
    UNREADABLE,
    VERDICTS,
)
from casenotes.engines.llm import ModelGateway
from casenotes.pipeline.check import CheckContext, Checker
from casenotes.pipeline.pseudonymise import PiiDetector
from casenotes.pipeline.registry import Registry
from model_server import LoopbackModel

PEOPLE = (Person("Jayden Robson", "child", ("Jay",)), Person("Kayleigh Robson", "parent"),
          Person("Elena Popa", "interpreter"))
CONTEXT = CheckContext(TEMPLATE, speaker_roles={"[PERSON_1]": "social_worker",
                                                "[PERSON_2]": "parent"}, people=PEOPLE)
VISIT = transcript(
    ("[PERSON_1]", "How has [PERSON_3] been sleeping since the move?"),
    ("[PERSON_2]", "Better. He sleeps through most nights now, in his own room."),
    ("[PERSON_1]", "And school?"),
    ("[PERSON_2]", "He's back at school full time and he likes his new teacher."),
)
FAITHFUL = sentence("s1", "[PERSON_2] said [PERSON_3] now sleeps through most nights.", [2])
INVENTED = sentence("s2", "[PERSON_3] was admitted to hospital after a fall.", [4])


def _asked(body: dict[str, Any]) -> str:
    """The sentence the judge asked about (the single-sentence prompt ends with it)."""
    return str(body["messages"][-1]["content"]).rsplit("Sentence: ", 1)[-1]


def _hospital_is_not_supported(body: dict[str, Any]) -> dict[str, Any]:
    if "hospital" in _asked(body):
        return {"verdict": "not_supported", "reason": "Nobody said anything about a hospital."}
    return {"verdict": "supported", "reason": "Turn 2 says it."}


@pytest.fixture
def serve() -> Iterator[Callable[[Callable[[dict[str, Any]], Any]], LoopbackModel]]:
    servers: list[LoopbackModel] = []

    def start(reply: Callable[[dict[str, Any]], Any]) -> LoopbackModel:
        servers.append(LoopbackModel(reply))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def _judge(server: LoopbackModel, detector: PiiDetector, **kwargs: Any) -> LlmJudgeChecker:
    return LlmJudgeChecker(ModelGateway.openai_compatible(server.url, "council-model", detector),
                           **kwargs)


def _of(flags: list[Flag], kind: FlagKind) -> list[Flag]:
    return [f for f in flags if f.kind is kind]


def test_when_the_model_judge_says_not_supported_then_the_sentence_is_flagged_naming_the_judge(
    serve: Callable[..., LoopbackModel], pii_detector: PiiDetector,
) -> None:
    server = serve(_hospital_is_not_supported)
    flags = _judge(server, pii_detector).check(draft(FAITHFUL, INVENTED), VISIT, CONTEXT)

    assert [(f.kind, f.severity, f.sentence_id, f.checker) for f in flags] == [
        (FlagKind.UNSUPPORTED_CLAIM, Severity.WARNING, "s2", "llm_judge")]
    assert "The model judge (council-model at 127.0.0.1)" in flags[0].explanation
    assert "do not support it" in flags[0].explanation
    assert flags[0].segment_ids == (4,)
    # One request per sentence, each with its linked turn, a turn either side, the speakers'
    # roles, a JSON schema for the verdict — and nothing of the case record.
    assert len(server.bodies) == 2
    prompt = server.prompts()[1]
    assert "4: [PERSON_2] (parent): He's back at school full time" in prompt
    assert "3: [PERSON_1] (social worker): And school?" in prompt
    assert "Sentence: [PERSON_3] was admitted to hospital after a fall." in prompt
    assert "sleeps through" not in prompt, "turn 2 is not near turn 4's sentence"
    schema = server.bodies[1]["response_format"]["json_schema"]["schema"]
    assert schema["properties"]["verdict"]["enum"] == list(VERDICTS)
    sent = server.everything_received()
    for real in ("Jayden", "Robson", "Kayleigh", "Elena", "Popa", "child"):
        assert real not in sent


def test_the_models_reason_is_shown_only_when_it_names_nothing_outside_the_sentence_and_turns(
    serve: Callable[..., LoopbackModel], pii_detector: PiiDetector,
) -> None:
    reasons = iter(["Turn 4 is about school; no hospital is mentioned.",
                    "Dr Singh at Leeds General said it was 3 days."])
    server = serve(lambda _b: {"verdict": "contradicted", "reason": next(reasons)})
    judge = _judge(server, pii_detector)
    shown = judge.check(draft(INVENTED), VISIT, CONTEXT)
    hidden = judge.check(draft(INVENTED), VISIT, CONTEXT)

    assert shown[0].severity is Severity.HIGH and "contradict it" in shown[0].explanation
    assert "no hospital is mentioned" in shown[0].explanation
    assert "Singh" not in hidden[0].explanation and "Leeds" not in hidden[0].explanation
    assert "The model judge (council-model at 127.0.0.1)" in hidden[0].explanation


def test_when_the_model_answers_junk_then_no_sentence_is_flagged_and_the_undecided_are_counted(
    serve: Callable[..., LoopbackModel], pii_detector: PiiDetector,
) -> None:
    answers = iter(["I think it is probably fine!", {"verdict": "maybe", "reason": ""},
                    {"verdict": "supported", "reason": "Turn 4."}])
    server = serve(lambda _b: next(answers))
    third = sentence("s3", "[PERSON_3] is back at school full time.", [4])
    note = draft(FAITHFUL, INVENTED, third)
    judge = _judge(server, pii_detector)

    judgement = judge.judge(note, VISIT, CONTEXT)
    assert judgement.undecided == (("s1", UNREADABLE), ("s2", UNREADABLE))
    assert [(v.sentence_id, v.verdict) for v in judgement.verdicts] == [("s3", "supported")]
    assert judgement.requests == 3

    answers = iter(["I think it is probably fine!", {"verdict": "maybe", "reason": ""},
                    {"verdict": "supported", "reason": "Turn 4."}])
    flags = judge.check(note, VISIT, CONTEXT)
    assert _of(flags, FlagKind.UNSUPPORTED_CLAIM) == []
    [incomplete] = flags
    assert (incomplete.kind, incomplete.severity, incomplete.sentence_id) == (
        FlagKind.CHECK_INCOMPLETE, Severity.INFO, None)
    assert "could not decide on 2 sentences in this section (its answer could not be read)" \
        in incomplete.explanation
    assert "“[PERSON_2] said [PERSON_3] now sleeps through most nights.”" \
        in incomplete.explanation


def test_when_a_real_name_is_left_in_the_text_then_nothing_is_sent_and_the_sentence_is_undecided(
    serve: Callable[..., LoopbackModel], pii_detector: PiiDetector,
) -> None:
    server = serve(_hospital_is_not_supported)
    leaky = sentence("s1", "Jayden Robson was admitted to hospital after a fall.", [4])

    judgement = _judge(server, pii_detector).judge(draft(leaky), VISIT, CONTEXT)

    assert server.bodies == [], "the gateway sends nothing that still names someone"
    assert judgement.undecided == (("s1", REFUSED),)


def test_when_the_models_host_is_not_allowed_then_nothing_is_sent_and_the_judge_stops_asking(
    pii_detector: PiiDetector,
) -> None:
    # 192.0.2.0/24 is reserved for documentation: the host check comes before any connection.
    gateway = ModelGateway.openai_compatible("http://192.0.2.10:8000/v1", "m", pii_detector)
    judgement = LlmJudgeChecker(gateway).judge(draft(FAITHFUL, INVENTED), VISIT, CONTEXT)

    assert judgement.requests == 1
    assert judgement.undecided == (("s1", NOT_ALLOWED), ("s2", NOT_ALLOWED))


def test_when_the_model_is_too_slow_then_each_call_is_cut_off_and_the_judge_stops_asking(
    serve: Callable[..., LoopbackModel], pii_detector: PiiDetector,
) -> None:
    def slow(_body: dict[str, Any]) -> dict[str, Any]:
        time.sleep(1.5)
        return {"verdict": "not_supported", "reason": "late"}

    server = serve(slow)
    note = draft(*(sentence(f"s{n}", f"[PERSON_2] said something else, number {n}.", [2])
                   for n in range(1, 6)))
    started = time.perf_counter()
    judgement = _judge(server, pii_detector, timeout=0.3).judge(note, VISIT, CONTEXT)

    assert time.perf_counter() - started < 3.0
    assert judgement.verdicts == ()
    assert [why for _, why in judgement.undecided] == [TIMED_OUT] * 3 + [GAVE_UP] * 2
    assert judgement.requests == 3


def test_human_text_verbatim_quotes_and_unlinked_sentences_are_not_sent_to_the_judge(
    serve: Callable[..., LoopbackModel], pii_detector: PiiDetector,
) -> None:
    server = serve(_hospital_is_not_supported)
    note = draft(
        sentence("s1", "I think the move has helped.", [2], SentenceKind.HUMAN),
        sentence("s2", "\"He's back at school full time\"", [4], SentenceKind.QUOTE),
        sentence("s3", "[PERSON_3] was admitted to hospital.", []),
    )
    assert _judge(server, pii_detector).check(note, VISIT, CONTEXT) == []
    assert server.bodies == []


def test_when_batching_then_neighbouring_sentences_share_one_request_with_a_verdict_each(
    serve: Callable[..., LoopbackModel], pii_detector: PiiDetector,
) -> None:
    def per_line(body: dict[str, Any]) -> dict[str, Any]:
        asked = re.findall(r"^\d+\. (.+)$", str(body["messages"][-1]["content"]), re.M)
        return {"verdicts": [
            {"verdict": "not_supported" if "hospital" in s else "supported", "reason": ""}
            for s in asked]}

    server = serve(per_line)
    third = sentence("s3", "[PERSON_3] likes his new teacher.", [4])
    flags = _judge(server, pii_detector, batch_size=4).check(
        draft(FAITHFUL, INVENTED, third), VISIT, CONTEXT)

    assert len(server.bodies) == 1
    schema = server.bodies[0]["response_format"]["json_schema"]["schema"]
    assert schema["properties"]["verdicts"]["minItems"] == 3
    assert [f.sentence_id for f in flags] == ["s2"]


def test_the_registry_builds_the_judge_from_settings_and_a_gateway_made_on_first_use(
    serve: Callable[..., LoopbackModel], pii_detector: PiiDetector,
) -> None:
    from casenotes.config import Settings

    server = serve(_hospital_is_not_supported)
    built: list[ModelGateway] = []

    def gateway() -> ModelGateway:
        built.append(ModelGateway.openai_compatible(server.url, "m", pii_detector))
        return built[-1]

    registry: Registry[Checker] = Registry("checker")
    register(registry, Settings(judge_batch_size=3, judge_timeout_seconds=7), gateway=gateway)
    judge = registry.create("llm_judge")
    assert isinstance(judge, LlmJudgeChecker)
    assert (judge.batch_size, judge.timeout) == (3, 7)
    assert built == [], "building the checkers loads nothing"
    assert [f.sentence_id for f in judge.check(draft(INVENTED), VISIT, CONTEXT)] == ["s2"]
    assert len(built) == 1

    without: Registry[Checker] = Registry("checker")
    register(without, Settings())
    with pytest.raises(InvalidInput, match="needs the application's model gateway"):
        without.create("llm_judge")


@pytest.mark.slow
def test_the_real_smollm2_judges_a_sentence_through_the_gateway_with_a_valid_verdict(
    pii_detector: PiiDetector,
) -> None:
    pytest.importorskip("llama_cpp", reason="llama-cpp-python is not installed")
    # generous: on a loaded 2-core machine the first answer (with the model load) can pass 60 s
    judge = LlmJudgeChecker(ModelGateway.local_llama(pii_detector), timeout=240)
    started = time.perf_counter()
    judgement = judge.judge(draft(INVENTED), VISIT, CONTEXT)
    elapsed = time.perf_counter() - started

    assert judgement.model.startswith("SmolLM2")
    assert judgement.undecided == (), "the grammar keeps the small model's answer readable"
    [verdict] = judgement.verdicts
    assert verdict.sentence_id == "s2" and verdict.verdict in VERDICTS
    flags = judge.check(draft(INVENTED), VISIT, CONTEXT)
    assert all(f.checker == "llm_judge" and "SmolLM2" in f.explanation for f in flags)
    print(f"SmolLM2 judged: {json.dumps(verdict.verdict)} in {elapsed:.1f} s")  # noqa: T201
