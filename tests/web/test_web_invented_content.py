"""A drafter that invents (as language models have in council pilots) is caught before signing."""

from __future__ import annotations

import html
from pathlib import Path

from fastapi.testclient import TestClient
from websupport import InventingDrafter, login, make_settings

from casenotes.pipeline.pseudonymise import PiiDetector
from casenotes.services import demo
from casenotes.services.context import build_context
from casenotes.web.app import create_app


def test_when_a_drafter_invents_then_the_review_page_flags_it_and_sign_off_waits(
    tmp_path: Path, pii_detector: PiiDetector
) -> None:
    ctx = build_context(make_settings(tmp_path / "data"), pii_detector=pii_detector,
                        drafter=InventingDrafter())
    try:
        info = demo.load_demo(ctx)
        with TestClient(create_app(ctx=ctx), raise_server_exceptions=False) as client:
            login(client, info.username, info.password)
            page = client.get(f"/recordings/{info.recording_id}/review").text
        assert InventingDrafter.UNSAID in page
        assert "is not linked to anything said in the conversation" in page
        assert '"12" is not in what was said' in html.unescape(page)
        assert "still open" in page
    finally:
        ctx.close()
