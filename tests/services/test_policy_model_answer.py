"""A language model's answer to a policy question: every sentence must cite the passages, and
what the passages do not back is flagged; the question still goes through the model gateway."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from casenotes.engines.llm.cited_answer import judge
from casenotes.services import audit_log, policies
from casenotes.services.context import AppContext
from casenotes.services.views import UserView
from model_server import LoopbackModel
from support import make_user


def _from_first_passage(body: dict[str, Any]) -> dict[str, Any]:
    """Answer from passage [1] of the prompt, add a sentence citing nothing and one citing a
    passage that was not given."""
    prompt = body["messages"][-1]["content"]
    first = re.search(r"\[1\] (.+?)(?:\n\n\[2\]|\n\nQuestion:)", prompt, re.S)
    copied = " ".join((first.group(1) if first else "").split()[:25])
    return {"sentences": [
        {"text": copied, "cites": [1]},
        {"text": "Always ring the police straight away.", "cites": []},
        {"text": "Managers must be told within one hour.", "cites": [9]},
    ]}


@pytest.fixture
def model(ctx: AppContext) -> Iterator[LoopbackModel]:
    server = LoopbackModel(_from_first_passage)
    ctx.settings.model_url = server.url
    ctx.settings.policy_model_answers = True
    yield server
    server.close()


@pytest.fixture
def library(ctx: AppContext) -> None:
    policies.load_demo_policies(ctx, make_user(ctx, "admin1", role="admin", team=None))


def test_each_sentence_of_the_model_answer_cites_passages_and_the_rest_is_flagged(
    ctx: AppContext, practitioner: UserView, library: None, model: LoopbackModel,
) -> None:
    answer = policies.ask(ctx, practitioner, "what if I could not see the child on my visit?")
    assert answer.passages and model.prompts()
    assert answer.passages[0].text.split()[0] in model.prompts()[0]  # it saw the passages
    backed, uncited, invented = answer.model_sentences
    assert backed.cites == (1,) and backed.flag == ""
    assert uncited.flag == "It cites no passage."
    assert invented.flag == "It cites a passage that was not given."
    auditor = make_user(ctx, "ig", role="auditor", team=None)
    events = [e for e in audit_log.list_events(ctx, auditor)
              if e.action == "policy.model_answer"]
    assert [e.detail for e in events] == ["sentences=3 flagged=2"]


def test_a_question_with_an_identifier_gets_passages_but_never_reaches_the_model(
    ctx: AppContext, practitioner: UserView, library: None, model: LoopbackModel,
) -> None:
    answer = policies.ask(ctx, practitioner,
                          "Jayden Robson, NHS number 943 476 5919, was not seen: what now?")
    assert answer.passages  # the organisation's own words are still quoted
    assert answer.model_sentences == ()
    assert "personal data" in answer.model_problem
    assert model.prompts() == []


def test_a_sentence_that_says_more_than_its_passage_is_flagged() -> None:
    passages = ["If the child is not seen, arrange another visit within five working days."]
    assert judge("Arrange another visit within five working days.", [1], passages).flag == ""
    assert judge("Remove the child into police protection immediately.", [1],
                 passages).flag.startswith("Most of its words")
