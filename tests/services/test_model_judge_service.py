"""The model judge in the service pipeline: listed in the checkers, it is built from the
settings and the application's model gateway, and sees pseudonymised text only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from casenotes.config import Settings
from casenotes.pipeline.pseudonymise import PiiDetector
from casenotes.services import accounts, demo, review
from casenotes.services.context import build_context
from model_server import LoopbackModel


def _nothing_is_supported(_body: dict[str, Any]) -> dict[str, Any]:
    return {"verdict": "not_supported", "reason": "The lines do not say this."}


def test_when_llm_judge_is_configured_the_pipeline_asks_the_model_about_pseudonymised_sentences(
    tmp_path: Path, pii_detector: PiiDetector,
) -> None:
    model = LoopbackModel(_nothing_is_supported)
    settings = Settings(data_dir=tmp_path / "data", secret_key="k",
                        checkers=[*Settings().checkers, "llm_judge"], model_url=model.url,
                        model_name="council-model", judge_batch_size=4)
    ctx = build_context(settings, pii_detector=pii_detector)
    try:
        info = demo.load_demo(ctx)
        assert model.bodies, "the judge asked the model"
        sent = model.everything_received()
        for real in ("Rachel", "Maisie", "Denby", "Okafor", "999 357 1024", "07700 900462"):
            assert real not in sent
        assert "[PERSON_" in sent and "(parent)" in sent, "placeholders, with speakers' roles"
        worker = accounts.get_user_by_username(ctx, info.username)
        assert worker is not None
        view = review.get_review(ctx, worker, info.recording_id)
        judged = [f for sec in view.sections for s in sec.sentences for f in s.flags
                  if f.explanation.startswith("The model judge (council-model at 127.0.0.1)")]
        assert judged, "the judge's verdicts became flags"
        assert all(f.kind == "unsupported_claim" for f in judged)
    finally:
        ctx.close()
        model.close()
