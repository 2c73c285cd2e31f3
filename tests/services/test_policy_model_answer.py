"""A language model's answer to a policy question: every sentence must cite the passages, and
what the passages do not back is flagged; the question still goes through the model gateway."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from casenotes.engines.llm.cited_answer import judge
from casenotes.services import audit_log, policies
from casenotes.services.context import AppContext
from casenotes.services.views import UserView
from support import make_user


class _Model:
    """An OpenAI-compatible model on loopback that answers from passage [1] of the prompt,
    adds a sentence citing nothing and one citing a passage it was not given."""

    def __init__(self) -> None:
        self.prompts: list[str] = []
        prompts = self.prompts

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                prompt = body["messages"][-1]["content"]
                prompts.append(prompt)
                first = re.search(r"\[1\] (.+?)(?:\n\n\[2\]|\n\nQuestion:)", prompt, re.S)
                copied = " ".join((first.group(1) if first else "").split()[:25])
                reply = {"sentences": [
                    {"text": copied, "cites": [1]},
                    {"text": "Always ring the police straight away.", "cites": []},
                    {"text": "Managers must be told within one hour.", "cites": [9]},
                ]}
                data = json.dumps({"choices": [{"message": {
                    "role": "assistant", "content": json.dumps(reply)}}]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def model(ctx: AppContext) -> Iterator[_Model]:
    server = _Model()
    ctx.settings.model_url = f"http://127.0.0.1:{server.port}/v1"
    ctx.settings.policy_model_answers = True
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def library(ctx: AppContext) -> None:
    policies.load_demo_policies(ctx, make_user(ctx, "admin1", role="admin", team=None))


def test_each_sentence_of_the_model_answer_cites_passages_and_the_rest_is_flagged(
    ctx: AppContext, practitioner: UserView, library: None, model: _Model,
) -> None:
    answer = policies.ask(ctx, practitioner, "what if I could not see the child on my visit?")
    assert answer.passages and model.prompts
    assert answer.passages[0].text.split()[0] in model.prompts[0]  # it saw the passages
    backed, uncited, invented = answer.model_sentences
    assert backed.cites == (1,) and backed.flag == ""
    assert uncited.flag == "It cites no passage."
    assert invented.flag == "It cites a passage that was not given."
    auditor = make_user(ctx, "ig", role="auditor", team=None)
    events = [e for e in audit_log.list_events(ctx, auditor)
              if e.action == "policy.model_answer"]
    assert [e.detail for e in events] == ["sentences=3 flagged=2"]


def test_a_question_with_an_identifier_gets_passages_but_never_reaches_the_model(
    ctx: AppContext, practitioner: UserView, library: None, model: _Model,
) -> None:
    answer = policies.ask(ctx, practitioner,
                          "Jayden Robson, NHS number 943 476 5919, was not seen: what now?")
    assert answer.passages  # the organisation's own words are still quoted
    assert answer.model_sentences == ()
    assert "personal data" in answer.model_problem
    assert model.prompts == []


def test_a_sentence_that_says_more_than_its_passage_is_flagged() -> None:
    passages = ["If the child is not seen, arrange another visit within five working days."]
    assert judge("Arrange another visit within five working days.", [1], passages).flag == ""
    assert judge("Remove the child into police protection immediately.", [1],
                 passages).flag.startswith("Most of its words")
