"""Drafting with a language model chosen by configuration: only pseudonymised text leaves, only
to an allow-listed host, and every model sentence is checked against the turns it cites."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from casenotes.config import Settings
from casenotes.engines.llm.gateway import ModelRefused
from casenotes.pipeline.pseudonymise import PiiDetector
from casenotes.pipeline.surrogates import FIRST_NAMES, SURNAMES
from casenotes.services import accounts, audit_log, demo, review
from casenotes.services.context import AppContext, build_context
from model_server import LoopbackModel

# What the model "writes": one sentence faithful to turn 1 and one it made up.
REPLY = {"sentences": [
    {"text": "[PERSON_1] visited because the school had been in touch.", "turns": [7]},
    {"text": "The family has been known to services for 12 years.", "turns": [1]},
]}


@pytest.fixture
def model() -> Iterator[LoopbackModel]:
    server = LoopbackModel(lambda _body: REPLY)
    yield server
    server.close()


def _ctx(tmp_path: Path, detector: PiiDetector, url: str) -> AppContext:
    settings = Settings(data_dir=tmp_path / "data", secret_key="k", drafter="llm",
                        model_url=url, model_name="council-model")
    return build_context(settings, pii_detector=detector)


def test_configured_model_drafts_from_pseudonymised_text_and_invented_content_is_flagged(
    tmp_path: Path, pii_detector: PiiDetector, model: LoopbackModel
) -> None:
    ctx = _ctx(tmp_path, pii_detector, f"http://127.0.0.1:{model.port}/v1")
    try:
        info = demo.load_demo(ctx)
        sent = json.dumps(model.bodies)
        assert model.bodies, "the model was never asked"
        for real in ("Rachel", "Maisie", "Denby", "Okafor", "999 357 1024", "07700 900462"):
            assert real not in sent
        worker = accounts.get_user_by_username(ctx, info.username)
        assert worker is not None
        view = review.get_review(ctx, worker, info.recording_id)
        texts = [s.text for sec in view.sections for s in sec.sentences]
        assert any("12 years" in t for t in texts)
        flagged = [s for sec in view.sections for s in sec.sentences
                   if "12 years" in s.text and s.flags]
        assert flagged, "the invented sentence must carry a flag"
        assert all(not sec.sentences for sec in view.sections if sec.reserved)
    finally:
        ctx.close()


def test_model_on_a_host_not_allow_listed_is_refused_and_audited(
    tmp_path: Path, pii_detector: PiiDetector
) -> None:
    # 192.0.2.0/24 is reserved for documentation: nothing is sent, the host check comes first.
    ctx = _ctx(tmp_path, pii_detector, "http://192.0.2.10:8000/v1")
    try:
        with pytest.raises(ModelRefused):
            demo.load_demo(ctx)
        auditor = accounts.add_user(ctx, username="ig", password="long-enough-pw", role="auditor")
        actions = {e.action for e in audit_log.list_events(ctx, auditor)}
        assert "model.refused_endpoint" in actions
    finally:
        ctx.close()


def _attributing(body: dict[str, Any]) -> dict[str, Any]:
    """A model that attributes the parent's first turn to the name it was shown for them."""
    prompt = body["messages"][-1]["content"]
    for line in prompt.splitlines():
        match = re.match(r"^(\d+): (.+?) \(parent\): (.+)$", line)
        if match:
            turn, who, said = match.groups()
            return {"sentences": [{"text": f"{who} said that {said}", "turns": [int(turn)]}]}
    return {"sentences": [{"text": "Nothing was said.", "turns": []}]}


def test_in_surrogate_mode_the_model_sees_realistic_stand_ins_and_the_note_gets_the_real_name(
    tmp_path: Path, pii_detector: PiiDetector
) -> None:
    model = LoopbackModel(_attributing)
    settings = Settings(data_dir=tmp_path / "data", secret_key="k", drafter="llm",
                        model_url=f"http://127.0.0.1:{model.port}/v1", model_name="m",
                        pseudonym_mode="surrogate")
    ctx = build_context(settings, pii_detector=pii_detector)
    try:
        info = demo.load_demo(ctx)
        sent = json.dumps([m["content"] for b in model.bodies for m in b["messages"]])
        assert model.bodies, "the model was never asked"
        for real in ("Rachel", "Maisie", "Denby", "Okafor", "999 357 1024", "07700 900462"):
            assert real not in sent
        assert "[PERSON_" not in sent  # stand-ins, not placeholders
        stand_ins = [n for n in FIRST_NAMES + SURNAMES if n in sent]
        assert stand_ins
        worker = accounts.get_user_by_username(ctx, info.username)
        assert worker is not None
        view = review.get_review(ctx, worker, info.recording_id)
        attributed = [s for sec in view.sections for s in sec.sentences
                      if " said that " in s.text and s.segment_ids]
        assert attributed, "the model's sentence is kept, with its evidence"
        # Re-identified through the vault: the parent's real name, no stand-in left over.
        assert all(s.text.startswith(("Rachel", "Ms Denby")) for s in attributed)
        assert not any(n in s.text for s in attributed for n in stand_ins)
    finally:
        ctx.close()
        model.close()
