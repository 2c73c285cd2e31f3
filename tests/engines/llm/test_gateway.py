"""No identifier and no unlisted endpoint gets past the model gateway."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import casenotes
from casenotes.domain.people import Person
from casenotes.engines import llm
from casenotes.engines.llm import ChatMessage, ModelGateway, ModelRefused
from casenotes.pipeline.pseudonymise import PiiDetector
from casenotes.services import audit_log
from casenotes.services.context import AppContext
from casenotes.services.views import UserView
from model_server import LoopbackModel

PEOPLE = [Person("Jayden Robson", "child", ("Jay",)), Person("Kayleigh Robson", "mother")]


@pytest.fixture
def model_server() -> Iterator[LoopbackModel]:
    server = LoopbackModel(lambda _body: {"summary": "ok"})
    yield server
    server.close()


def _gateway(server: LoopbackModel, detector: PiiDetector, host: str = "127.0.0.1",
             **kwargs: Any) -> ModelGateway:
    return ModelGateway.openai_compatible(f"http://{host}:{server.port}/v1", "test-model",
                                          detector, **kwargs)


def _ask(gateway: ModelGateway, text: str) -> str:
    return gateway.complete([ChatMessage("system", "Summarise the visit."),
                             ChatMessage("user", text)], known_people=PEOPLE)


def test_pseudonymised_text_reaches_the_model_and_the_reply_comes_back(
    model_server: LoopbackModel, pii_detector: PiiDetector,
) -> None:
    text = "[PERSON_1] said [PERSON_2] took him to [ORGANISATION_1] on Monday."
    reply = _ask(_gateway(model_server, pii_detector), text)
    assert reply == '{"summary": "ok"}'
    assert model_server.bodies[0]["messages"][1]["content"] == text
    assert model_server.bodies[0]["temperature"] == 0


@pytest.mark.parametrize("text", [
    "Her NHS number is 943 476 5919 and she is well.",
    "NHS no. 9434765919 was checked.",
    "Jayden said school is fine.",
    "We talked about Jayden's bedroom.",
    "Kayleigh's phone is 07700 900123.",
    "His NI number is JG 10 37 59 A.",
    "They live at 14 Acacia Avenue, Leeds LS6 2AB.",
    "Email her at kayleigh.r@example.co.uk please.",
])
def test_an_identifier_never_reaches_the_model(
    model_server: LoopbackModel, pii_detector: PiiDetector, text: str,
) -> None:
    with pytest.raises(ModelRefused) as caught:
        _ask(_gateway(model_server, pii_detector), f"[PERSON_1] visited. {text}")
    assert model_server.bodies == []
    assert "nothing was sent" in caught.value.message
    shown = str(caught.value)
    for word in text.replace(".", " ").replace(",", " ").replace("'s", "").split():
        if any(ch.isdigit() for ch in word) or word in ("Jayden", "Kayleigh", "Acacia", "Leeds"):
            assert word not in shown


def test_a_participant_name_hidden_in_the_system_message_is_refused_too(
    model_server: LoopbackModel, pii_detector: PiiDetector,
) -> None:
    gateway = _gateway(model_server, pii_detector)
    with pytest.raises(ModelRefused):
        gateway.complete([ChatMessage("system", "You write notes about Kayleigh Robson."),
                          ChatMessage("user", "[PERSON_1] was fine.")], known_people=PEOPLE)
    assert model_server.bodies == []


def test_an_endpoint_not_on_the_allow_list_is_refused_without_a_connection(
    model_server: LoopbackModel, pii_detector: PiiDetector,
) -> None:
    # "localhost" reaches the same server, but only 127.0.0.1 is allowed here.
    gateway = _gateway(model_server, pii_detector, host="localhost",
                       allowed_hosts=["127.0.0.1"])
    with pytest.raises(ModelRefused) as caught:
        _ask(gateway, "[PERSON_1] was fine.")
    assert "not on the allow-list" in caught.value.message
    assert model_server.bodies == []
    remote = ModelGateway.openai_compatible("https://models.example.org/v1", "m", pii_detector)
    with pytest.raises(ModelRefused):
        _ask(remote, "[PERSON_1] was fine.")


def test_surrogate_names_the_case_chose_may_pass(
    model_server: LoopbackModel, pii_detector: PiiDetector,
) -> None:
    gateway = _gateway(model_server, pii_detector)
    reply = gateway.complete([ChatMessage("user", "Oliver Bennett said the flat was warm.")],
                             known_people=PEOPLE, allowed_surfaces=["Oliver Bennett"])
    assert reply
    assert "Oliver Bennett" in model_server.everything_received()


def test_an_allowed_surrogate_does_not_let_a_real_name_beside_it_through(
    model_server: LoopbackModel, pii_detector: PiiDetector,
) -> None:
    gateway = _gateway(model_server, pii_detector)
    with pytest.raises(ModelRefused):
        gateway.complete([ChatMessage("user", "Oliver Bennett said Jayden Mehta was warm.")],
                         known_people=PEOPLE, allowed_surfaces=["Oliver Bennett"])
    assert model_server.bodies == []


def test_a_json_schema_is_passed_to_the_server(
    model_server: LoopbackModel, pii_detector: PiiDetector,
) -> None:
    schema = {"type": "object", "properties": {"summary": {"type": "string"}}}
    _gateway(model_server, pii_detector).complete(
        [ChatMessage("user", "[PERSON_1] was fine.")], known_people=PEOPLE, json_schema=schema)
    assert model_server.bodies[0]["response_format"]["json_schema"]["schema"] == schema


def test_refusals_are_audited_with_types_and_counts_only(
    ctx: AppContext, practitioner: UserView, model_server: LoopbackModel,
    pii_detector: PiiDetector,
) -> None:
    def audit(action: str, detail: str) -> None:
        audit_log.record_now(ctx, practitioner, action, "model", "gateway", detail)

    gateway = _gateway(model_server, pii_detector, audit=audit)
    with pytest.raises(ModelRefused):
        _ask(gateway, "Jayden's NHS number is 943 476 5919.")
    events = [e for e in audit_log.list_events(ctx, _auditor(ctx))
              if e.action == "model.refused_identifier"]
    assert len(events) == 1
    assert "NHS_NUMBER=1" in events[0].detail
    assert "Jayden" not in events[0].detail and "943" not in events[0].detail
    assert audit_log.verify_chain(ctx).ok


def _auditor(ctx: AppContext) -> UserView:
    from support import make_user

    return make_user(ctx, "audrey", role="auditor", team=None)


def test_the_local_smollm2_model_answers_through_the_gateway(pii_detector: PiiDetector) -> None:
    pytest.importorskip("llama_cpp", reason="llama-cpp-python is not installed")
    gateway = ModelGateway.local_llama(pii_detector)
    with pytest.raises(ModelRefused):  # checked before the model is even loaded
        gateway.complete([ChatMessage("user", "NHS 943 476 5919")], known_people=PEOPLE)
    reply = gateway.complete([ChatMessage("user", "Say hello to [PERSON_1].")],
                             known_people=PEOPLE, max_tokens=16)
    assert reply.strip()


def test_the_gateway_is_the_only_code_that_talks_to_a_model() -> None:
    """No other module imports an HTTP client or a model runtime."""
    root = Path(casenotes.__file__).parent
    gateway = root / "engines" / "llm" / "gateway.py"
    clients = {"httpx", "requests", "urllib.request", "http.client", "aiohttp", "openai",
               "llama_cpp", "ollama"}
    offenders = []
    for path in root.rglob("*.py"):
        if path == gateway:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            offenders += [f"{path.relative_to(root)}: {n}" for n in names
                          if n.split(".")[0] in clients or n in clients]
    assert offenders == []
    assert set(llm.__all__) == {"DEFAULT_ALLOWED_HOSTS", "ChatMessage", "ModelGateway",
                                "ModelRefused", "ModelUnavailable"}


def test_what_the_scan_would_refuse_can_be_withheld_and_the_rest_sent(
    model_server: LoopbackModel, pii_detector: PiiDetector,
) -> None:
    gateway = _gateway(model_server, pii_detector)
    text = ("3: [PERSON_2]: Everyone just calls him Mr Okafor, he lives downstairs.\n"
            "4: [PERSON_1]: The boiler has been broken for two weeks.")
    with pytest.raises(ModelRefused, match="still contains personal data"):
        _ask(gateway, text)
    assert not model_server.bodies
    withheld = gateway.withhold_identifiers(text, PEOPLE)
    assert "Okafor" not in withheld and "[WITHHELD]" in withheld
    assert "The boiler has been broken for two weeks." in withheld
    _ask(gateway, withheld)
    assert model_server.bodies[0]["messages"][1]["content"] == withheld
