"""Recording in the browser, in a real Chromium: MediaRecorder sends the audio in parts as it
goes, a number key tags the moment, and stopping saves a recording the server can decode.

Chromium's fake capture device stands in for the microphone (a generated tone, no hardware).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import CHROMIUM, NEEDS_CHROMIUM, chromium, serving, sign_in
from playwright.sync_api import BrowserContext, expect
from sqlalchemy import select
from websupport import WEB_PASSWORD

from casenotes.services import audio_capture, audio_transcript
from casenotes.services.context import AppContext
from casenotes.services.views import UserView
from casenotes.store.models import AudioFileRow
from casenotes.web.app import create_app

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not CHROMIUM.exists(),
                                                      reason=NEEDS_CHROMIUM)]
FAKE_MICROPHONE = ("--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream")


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[BrowserContext]:
    with chromium(tmp_path / "profile", extra_args=FAKE_MICROPHONE) as context:
        yield context


def test_recording_in_the_browser_uploads_in_parts_tags_a_moment_and_saves_the_audio(
    ctx: AppContext, casey: UserView, case_id: int, browser: BrowserContext,
) -> None:
    rec = audio_capture.start_audio_recording(
        ctx, casey, case_id, parties={"Alex Client": "granted", "Jo Practitioner": "granted"})
    with serving(create_app(ctx=ctx)) as base:
        browser.grant_permissions(["microphone"], origin=base)
        page = browser.pages[0] if browser.pages else browser.new_page()
        sign_in(page, base, "casey", WEB_PASSWORD)
        page.goto(f"{base}/recordings/{rec.id}/audio")
        page.get_by_role("button", name="Start recording").click()
        expect(page.locator("#record-state")).to_contain_text("to tag a moment", timeout=10_000)
        page.wait_for_timeout(2_000)
        page.keyboard.press("1")  # the first of the organisation's tags
        expect(page.locator("#record-state")).to_contain_text("Tagged", timeout=10_000)
        page.wait_for_timeout(4_500)  # past the 5-second part boundary: two parts are sent
        page.get_by_role("button", name="Stop and save").click()
        page.wait_for_url(f"{base}/recordings/{rec.id}/audio", timeout=30_000)
        expect(page.get_by_text("Transcribe on this machine")).to_be_visible()
    with ctx.session() as session:
        audio = session.scalars(select(AudioFileRow)
                                .where(AudioFileRow.recording_id == rec.id)).one()
    assert 5.0 < audio.duration_s < 30.0  # decoded on the server: the whole recording arrived
    view = audio_transcript.transcript_view(ctx, casey, rec.id)
    assert [t.kind for t in view.tags] == [ctx.settings.observation_tags[0]]
    assert 1.0 < view.tags[0].time < 6.0
