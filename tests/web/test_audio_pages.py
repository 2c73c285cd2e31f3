"""The audio pages: consent first, upload or record in parts, live status, the transcript."""

from __future__ import annotations

import time
from pathlib import Path

from fastapi.testclient import TestClient
from websupport import csrf_from, login

from audio_clips import speech_clip
from casenotes.services.context import AppContext
from casenotes.services.views import UserView


def _start(client: TestClient, case_id: int, token: str) -> int:
    page = client.get(f"/cases/{case_id}/audio/new")
    assert page.status_code == 200
    assert 'for="present-' in page.text  # every checkbox is labelled
    reply = client.post(f"/cases/{case_id}/audio", data={
        "csrf_token": token, "title": "Home visit", "present": ["Alex Client", "Jo Practitioner"],
        "consent:Alex Client": "granted", "consent:Jo Practitioner": "granted",
    }, follow_redirects=False)
    assert reply.status_code == 303, reply.text
    return int(reply.headers["location"].split("/")[2])


def test_upload_transcribe_with_live_status_then_name_the_speakers(
    client: TestClient, audio_ctx: AppContext, casey: UserView, robin: UserView, case_id: int,
    tmp_path: Path,
) -> None:
    token = login(client, "casey")
    rec = _start(client, case_id, token)
    clip = speech_clip(tmp_path, "Alex said the boiler has been broken since Monday.")
    page = client.get(f"/recordings/{rec}/audio")
    assert "Record in the browser" in page.text and "/static/recorder.js" in page.text
    reply = client.post(f"/recordings/{rec}/audio/file", data={"csrf_token": token},
                        files={"file": ("visit.wav", clip.read_bytes(), "audio/wav")},
                        follow_redirects=False)
    assert reply.status_code == 303, reply.text
    reply = client.post(f"/recordings/{rec}/transcription",
                        data={"csrf_token": token, "dictation": "true"}, follow_redirects=False)
    assert reply.status_code == 303, reply.text
    deadline = time.monotonic() + 120
    status = ""
    while time.monotonic() < deadline:
        status = client.get(f"/recordings/{rec}/transcription/status?was=active").text
        if "Transcribed" in status:
            break
        assert "hx-trigger=\"every 2s\"" in status or "Not transcribed" in status
        time.sleep(0.5)
    assert "Transcribed" in status
    page = client.get(f"/recordings/{rec}/audio")
    assert "boiler" in page.text.lower()
    assert 'class="play-from" data-start=' in page.text
    assert "<audio" in page.text
    form_token = csrf_from(page.text)
    reply = client.post(f"/recordings/{rec}/speakers",
                        data={"csrf_token": form_token, "speaker:Speaker 1": "1"},
                        follow_redirects=False)
    assert reply.status_code == 303, reply.text
    assert "Alex Client:" in client.get(f"/recordings/{rec}/audio").text
    played = client.get(f"/recordings/{rec}/audio/file")
    assert played.status_code == 200 and played.content == clip.read_bytes()
    client.cookies.clear()
    login(client, "robin")
    assert client.get(f"/recordings/{rec}/audio").status_code == 404
    assert client.get(f"/recordings/{rec}/audio/file").status_code == 404


def test_recording_in_parts_with_a_tag_and_a_resent_part(
    client: TestClient, audio_ctx: AppContext, casey: UserView, case_id: int, tmp_path: Path,
) -> None:
    token = login(client, "casey")
    rec = _start(client, case_id, token)
    headers = {"X-CSRF-Token": token}
    upload = client.post(f"/recordings/{rec}/audio/uploads", data={"filename": "rec.wav"},
                         headers=headers).json()["token"]
    data = speech_clip(tmp_path, "Recorded in the browser.").read_bytes()
    half = len(data) // 2
    base = f"/recordings/{rec}/audio/uploads/{upload}"
    assert client.post(f"{base}/parts/0", content=data[:half], headers=headers).json() == {
        "parts": 1}
    assert client.post(f"{base}/parts/0", content=data[:half], headers=headers).json() == {
        "parts": 1}  # a resend after a dropped reply changes nothing
    assert client.get(base).json() == {"parts": 1}
    tag = client.post(f"/recordings/{rec}/tags", data={"kind": "concern", "time": "1.5"},
                      headers={**headers, "Accept": "application/json"})
    assert tag.json()["kind"] == "concern"
    client.post(f"{base}/parts/1", content=data[half:], headers=headers)
    done = client.post(f"{base}/finish", headers=headers).json()
    assert done["next"] == f"/recordings/{rec}/audio" and done["seconds"] > 2
    page = client.get(f"/recordings/{rec}/audio").text
    assert "Transcribe on this machine" in page and "concern" in page


def test_a_file_that_is_not_audio_gets_a_clear_message_and_no_consent_no_recording(
    client: TestClient, audio_ctx: AppContext, casey: UserView, case_id: int,
) -> None:
    token = login(client, "casey")
    rec = _start(client, case_id, token)
    reply = client.post(f"/recordings/{rec}/audio/file", data={"csrf_token": token},
                        files={"file": ("visit.mp3", b"not audio at all" * 100, "audio/mpeg")})
    assert reply.status_code == 422
    assert "could not be read as audio" in reply.text and "Traceback" not in reply.text
    refused = client.post(f"/cases/{case_id}/audio", data={
        "csrf_token": token, "present": ["Alex Client"], "consent:Alex Client": "declined"})
    assert refused.status_code == 409 and "Alex Client: declined" in refused.text
    no_csrf = client.post(f"/recordings/{rec}/tags", data={"kind": "concern", "time": "1"})
    assert no_csrf.status_code == 403
